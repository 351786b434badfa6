#include "fuzz/explorer.h"

#include <algorithm>
#include <fstream>

#include <rapidcheck.h>
#include <rapidcheck/state.h>

#include "common/clock.h"
#include "common/json_text.h"
#include "common/planted.h"
#include "common/rng.h"
#include "mockdci/default_inventory.h"
#include "scenarios/parse.h"
#include "scenarios/scenario_runner.h"

namespace dcisim::fuzz {

using Json = nlohmann::json;

namespace {

// Tells the caller after every run, from rapidcheck's own events.
class ProgressListener final : public rc::detail::TestListener {
 public:
  explicit ProgressListener(std::function<void()> tick) : tick_(std::move(tick)) {}
  void onTestCaseFinished(const rc::detail::CaseDescription&) override { tick_(); }
  void onShrinkTried(const rc::detail::CaseDescription&, bool) override { tick_(); }
  void onTestFinished(const rc::detail::TestMetadata&, const rc::detail::TestResult&) override {}

 private:
  std::function<void()> tick_;
};

Catalog explore_catalog() {
  Catalog catalog;
  catalog.tariffs = {{"i9", {1, 3}, true}, {"e2236", {1, 12}, false}, {"fra", {1, 6}, false}};
  return catalog;
}

// Swarm testing: each run turns on some kinds; registering, paying, ordering and time always.
uint32_t swarm_mask(uint32_t drawn) {
  uint32_t always = 0;
  for (CommandKind k : {CommandKind::register_client, CommandKind::pay, CommandKind::order, CommandKind::advance}) {
    always |= 1u << static_cast<int>(k);
  }
  return drawn | always;
}

// A short name for a repro file: what failed, and the batch seed.
std::string repro_name(const Finding& finding, uint64_t seed) {
  std::string what = finding.message;
  size_t colon = what.find(": ");  // "step 7: audit: single_open: ..." -> "audit-single_open"
  if (colon != std::string::npos) what = what.substr(colon + 2);
  std::string name;
  for (char c : what.substr(0, 40)) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') {
      name += c;
    } else if (!name.empty() && name.back() != '-') {
      name += '-';
    }
  }
  while (!name.empty() && name.back() == '-') name.pop_back();
  return name + "-" + std::to_string(seed);
}

// The kind of failure, for telling distinct findings apart: "audit: single_open", "expect", ...
std::string failure_class(const std::string& message) {
  std::string m = message;
  size_t colon = m.find(": ");
  if (colon != std::string::npos && m.rfind("step ", 0) == 0) m = m.substr(colon + 2);
  size_t second = m.find(": ", m.find(": ") + 2);
  return m.substr(0, std::min(second, m.size()));
}

// Writes the repro and replays it with the runner of `dcisim run`.
Found replay_finding(const ExploreOptions& options, const ExploreSetup& setup, Finding finding, uint64_t seed) {
  Found found;
  found.finding = std::move(finding);
  found.batch_seed = seed;
  std::filesystem::path folder = options.out / "repro";
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  std::string name = repro_name(found.finding, seed);
  found.repro_file = (folder / (name + ".json")).string();
  Json document = found.finding.scenario;
  document["name"] = "exploration " + name;
  document["description"] = "Found by dcisim explore --seed " + std::to_string(seed) +
                            (options.plant.empty() ? "" : " --plant " + options.plant) + ", shrunk to " +
                            std::to_string(found.finding.commands) + " commands: " + found.finding.message;
  document["tags"] = Json::array({"explore"});
  std::string text = common::json_text(document, 2) + "\n";
  std::ofstream(found.repro_file) << text;
  common::Result<scenarios::Scenario> scenario = scenarios::parse_scenario_text(text, found.repro_file, "repro");
  if (!scenario) {
    found.replay.name = document["name"];
    found.replay.file = found.repro_file;
    found.replay.outcome = reports::ScenarioOutcome::error;
    reports::Failure failure;
    failure.message = "the repro does not parse: " + scenario.error().message;
    found.replay.failure = failure;
    return found;
  }
  scenarios::ScenarioRunOptions run_options;
  run_options.world = setup.world;
  found.replay = scenarios::run_scenario(*scenario, setup.inventory, setup.world_seed, run_options);
  found.replay.replay = "dcisim run " + found.repro_file + (options.plant.empty() ? "" : " --plant " + options.plant) +
                        (options.transport == scenarios::TransportKind::http ? " --transport http" : "");
  found.replay_matches = found.replay.failure && found.replay.failure->step_index == found.finding.step_index &&
                         found.finding.message.find(found.replay.failure->message) != std::string::npos;
  return found;
}

}  // namespace

uint64_t batch_seed(uint64_t seed, int batch) {
  if (batch == 0) return seed;
  return common::Rng(seed ^ (static_cast<uint64_t>(batch) * 0x9E3779B97F4A7C15ULL)).next_u64() >> 1;
}

const std::vector<std::string>& explore_starts() {
  static const std::vector<std::string> kStarts = {"2026-01-01T00:00:00Z", "2026-01-31T22:00:00Z",
                                                   "2028-02-28T12:00:00Z", "2026-12-31T23:00:00Z"};
  return kStarts;
}

Json explore_fixture() {
  Json tariffs = Json::array();
  tariffs.push_back({{"name", "i9"}, {"location", "Amsterdam"}, {"configuration", "i9-9900K-64Gb-2x1024NVMe"},
                     {"os", {"Debian 12"}}, {"prices", {{"1", "100.00"}, {"3", "285.00"}}}, {"setup_fee", "10.00"},
                     {"addons", {{"ipv4", "3.00"}}}, {"grace_days", 1}, {"auto_delete_days", 5}});
  tariffs.push_back({{"name", "e2236"}, {"location", "Amsterdam"}, {"configuration", "E-2236-32Gb-2x480SSD"},
                     {"os", {"Debian 12"}}, {"prices", {{"1", "60.00"}, {"12", "600.00"}}}, {"suspension", "power"},
                     {"refund_unused_on_delete", true}, {"auto_delete_days", 3}});
  tariffs.push_back({{"name", "fra"}, {"location", "Frankfurt"}, {"configuration", "i9-9900K-64Gb-2x1024NVMe"},
                     {"os", {"Debian 12"}}, {"prices", {{"1", "90.00"}, {"6", "500.00"}}}, {"suspension", "both"}});
  Json settings = {{"max_attempts", 3}, {"retry_backoff_start", "1m"}, {"retry_backoff_cap", "10m"}, {"unpaid_order_days", 2},
                   {"dci6", {{"read_timeout", "30s"}, {"max_unavailable_retries", 1}, {"poll_interval", "1m"},
                             {"operation_timeout", "2h"}}}};
  return {{"inventory", "default"}, {"settings", settings}, {"tariffs", tariffs}};
}

common::Status check_explore_options(const ExploreOptions& options) {
  if (options.runs < 1 || options.runs > kMaxRuns) return common::Error::invalid("--runs must be in 1.." + std::to_string(kMaxRuns));
  if (options.max_commands < 1 || options.max_commands > kMaxStepsPerRunOption) {
    return common::Error::invalid("--steps must be in 1.." + std::to_string(kMaxStepsPerRunOption));
  }
  if (options.shards < 1 || options.shard < 1 || options.shard > options.shards || options.shards > 10'000) {
    return common::Error::invalid("--shard K/N needs 1 <= K <= N <= 10000");
  }
  if (!options.plant.empty()) {
    if (!common::kPlantedBugsBuilt) {
      return common::Error::invalid("--plant: this build has no planted bugs (configure with -DDCISIM_PLANTED_BUGS=ON)");
    }
    const auto& names = common::planted_bug_names();
    if (std::find(names.begin(), names.end(), options.plant) == names.end()) {
      std::string list;
      for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
      return common::Error::invalid("--plant: no planted bug \"" + options.plant + "\" (known: " + list + ")");
    }
  }
  return common::Status::success();
}

ExploreResult explore(const ExploreOptions& options, const std::function<void(const ExploreProgress&)>& on_progress) {
  common::Stopwatch stopwatch;
  ExploreResult result;
  ExploreSetup setup;
  setup.fixture = explore_fixture();
  setup.inventory = *mockdci::default_inventory();
  setup.world.transport = options.transport;
  setup.world.planted_bug = options.plant;
  // Thousands of throw-away databases: in memory-backed storage when the machine has it (their
  // fsyncs would otherwise be most of the time).
  std::error_code shm_error;
  if (std::filesystem::is_directory("/dev/shm", shm_error)) setup.world.temp_root = "/dev/shm";
  setup.world_seed = options.seed;
  Catalog catalog = explore_catalog();
  std::vector<std::string> classes_found;
  auto tick = [&] {
    if (on_progress) on_progress({result.stats, result.found.size(), stopwatch.elapsed_us()});
  };
  ProgressListener listener(tick);
  int runs_done = 0;
  for (int batch = 0;; ++batch) {
    bool out_of_time = options.time_budget > common::Duration() && stopwatch.elapsed_us() / 1000 >= options.time_budget.count_ms();
    if (options.time_budget > common::Duration() ? out_of_time : runs_done >= options.runs) break;
    if (result.found.size() >= options.max_findings) break;
    if (batch % options.shards != options.shard - 1) {
      if (options.time_budget == common::Duration()) runs_done += kRunsPerBatch;  // that shard's share
      continue;
    }
    int runs = options.time_budget > common::Duration() ? kRunsPerBatch
                                                         : std::min(kRunsPerBatch, options.runs - runs_done);
    runs_done += runs;
    uint64_t seed = batch_seed(options.seed, batch);
    Finding last_failure;
    auto property = [&] {
      std::string start = *rc::gen::elementOf(explore_starts());
      Model model;
      if (options.swarm) model.enabled = swarm_mask(*rc::gen::arbitrary<uint32_t>());
      auto generate = [&catalog](const Model& m) { return generate_command(m, catalog); };
      if (!options.check_determinism) {
        ExploreRun run(setup, start, &last_failure, &result.stats);
        rc::state::check(model, run, generate);
        return;
      }
      const auto commands = *rc::state::gen::commands(model, generate);
      ExploreRun first(setup, start, &last_failure, &result.stats);
      rc::state::runAll(commands, model, first);
      ExploreRun second(setup, start, &last_failure, &result.stats);
      rc::state::runAll(commands, model, second);
      std::string a = first.digest(), b = second.digest();
      if (a != b) {
        last_failure.scenario = first.scenario_json();
        last_failure.step_index = last_failure.scenario["steps"].size() - 1;
        last_failure.message = "nondeterminism: the same steps gave two runs with different journals or databases (digests " +
                               a + " and " + b + ")";
        RC_FAIL(last_failure.message);
      }
    };
    rc::detail::TestMetadata metadata;
    metadata.id = "dcisim-explore";
    metadata.description = "dcisim explore";
    rc::detail::TestParams params;
    params.seed = seed;
    params.maxSuccess = runs;
    params.maxSize = options.max_commands;
    params.maxDiscardRatio = 20;
    rc::detail::TestResult outcome = rc::detail::checkTestable(property, metadata, params, listener);
    ++result.batches;
    rc::detail::FailureResult failure;
    if (outcome.match(failure)) {
      last_failure.commands = 0;
      for (const Json& step : last_failure.scenario["steps"]) {
        if (!step.contains("expect")) ++last_failure.commands;
      }
      std::string kind = failure_class(last_failure.message);
      if (std::find(classes_found.begin(), classes_found.end(), kind) == classes_found.end()) {
        classes_found.push_back(kind);
        result.found.push_back(replay_finding(options, setup, std::move(last_failure), seed));
        tick();
      }
    }
  }
  result.wall_us = stopwatch.elapsed_us();
  return result;
}

reports::RunResult explore_run_result(const ExploreOptions& options, const ExploreResult& result) {
  reports::RunResult run;
  run.seed = options.seed;
  run.wall_us = result.wall_us;
  for (const Found& found : result.found) {
    reports::ScenarioResult scenario = found.replay;
    scenario.suite = "explore";
    if (!found.replay_matches) {
      reports::Failure failure = scenario.failure.value_or(reports::Failure{});
      failure.message = "the repro did not replay the exploration's failure (" + found.finding.message + "); replayed: " +
                        (scenario.failure ? scenario.failure->message : std::string("it passed"));
      scenario.failure = failure;
      scenario.outcome = reports::ScenarioOutcome::error;
    }
    run.scenarios.push_back(std::move(scenario));
  }
  if (result.found.empty()) {
    reports::ScenarioResult summary;
    summary.suite = "explore";
    summary.name = "exploration seed " + std::to_string(options.seed) + " shard " + std::to_string(options.shard) + "/" +
                   std::to_string(options.shards) + ": " + std::to_string(result.stats.runs) + " runs, " +
                   std::to_string(result.stats.commands) + " commands";
    summary.seed = options.seed;
    summary.outcome = reports::ScenarioOutcome::passed;
    summary.wall_us = result.wall_us;
    run.scenarios.push_back(std::move(summary));
  }
  return run;
}

}  // namespace dcisim::fuzz
