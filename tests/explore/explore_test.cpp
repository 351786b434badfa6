// Property-based exploration (fuzz/explorer.h, `dcisim explore`): a bounded exploration of the real
// billing core and emulator finds nothing, the same seed explores the same way, shards split the
// work without overlap, every run is deterministic; and, in builds with planted bugs
// (-DDCISIM_PLANTED_BUGS=ON, scripts/test builds one), every planted bug is found, shrunk to a
// handful of steps, written as a scenario that replays to the same failure, and that scenario
// passes once the bug is gone.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "common/planted.h"
#include "fuzz/explorer.h"
#include "reports/results_json.h"
#include "scenarios/parse.h"
#include "scenarios/scenario_runner.h"
#include "scenarios/world.h"

using namespace dcisim;
namespace fs = std::filesystem;

namespace {

struct Scratch {
  fs::path path = fs::temp_directory_path() / ("dcisim-explore-test-" + std::to_string(::getpid()));
  Scratch() { fs::create_directories(path); }
  ~Scratch() { fs::remove_all(path); }
};

fuzz::ExploreResult run(fuzz::ExploreOptions options) { return fuzz::explore(options, nullptr); }

std::string dcisim_binary() {
  char buffer[4096];
  ssize_t n = readlink("/proc/self/exe", buffer, sizeof buffer - 1);
  REQUIRE(n > 0);
  return (fs::path(std::string(buffer, static_cast<size_t>(n))).parent_path() / "dcisim").string();
}

std::pair<int, std::string> run_dcisim(const std::string& arguments) {
  FILE* pipe = popen((dcisim_binary() + " " + arguments + " 2>&1").c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string output;
  char buffer[4096];
  size_t n = 0;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
  int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

}  // namespace

TEST_CASE("a bounded exploration of the billing core and the emulator finds no failure", "[explore]") {
  Scratch scratch;
  fuzz::ExploreOptions options;
  options.seed = 20261129;
  options.runs = 150;
  options.max_commands = 40;
  options.out = scratch.path;
  fuzz::ExploreResult result = run(options);
  std::printf("exploration: seed %llu, %llu runs, %llu commands, %llu steps, %.2f s\n",
              static_cast<unsigned long long>(options.seed), static_cast<unsigned long long>(result.stats.runs),
              static_cast<unsigned long long>(result.stats.commands), static_cast<unsigned long long>(result.stats.steps),
              static_cast<double>(result.wall_us) / 1e6);
  for (const fuzz::Found& found : result.found) {
    INFO(found.finding.message << "\nrepro: " << found.repro_file << "\n" << found.finding.scenario.dump(2));
    CHECK(false);
  }
  CHECK(result.stats.runs >= 150);
  CHECK(result.stats.commands >= 1000);
}

TEST_CASE("the same seed explores the same way, and shards split the batches without overlap", "[explore]") {
  Scratch scratch;
  fuzz::ExploreOptions options;
  options.seed = 7;
  options.runs = 75;
  options.out = scratch.path;
  fuzz::ExploreResult first = run(options);
  fuzz::ExploreResult again = run(options);
  CHECK(first.stats.runs == again.stats.runs);
  CHECK(first.stats.commands == again.stats.commands);
  CHECK(first.stats.steps == again.stats.steps);
  options.shards = 2;
  options.shard = 1;
  fuzz::ExploreResult one = run(options);
  options.shard = 2;
  fuzz::ExploreResult two = run(options);
  CHECK(one.batches + two.batches == first.batches);
  CHECK(one.stats.commands + two.stats.commands == first.stats.commands);
  CHECK(one.stats.commands != two.stats.commands);  // different batches, not the same one twice
  options.shards = 1;
  options.shard = 1;
  options.seed = 8;
  CHECK(run(options).stats.commands != first.stats.commands);
}

TEST_CASE("every explored run gives the same journal and database when run twice", "[explore]") {
  Scratch scratch;
  fuzz::ExploreOptions options;
  options.seed = 3;
  options.runs = 25;
  options.check_determinism = true;
  options.swarm = true;
  options.out = scratch.path;
  fuzz::ExploreResult result = run(options);
  for (const fuzz::Found& found : result.found) {
    INFO(found.finding.message);
    CHECK(false);
  }
  CHECK(result.stats.runs >= 50);  // each run twice
}

TEST_CASE("dcisim explore: reports, usage errors, planted bugs refused without them, report merge of shards", "[explore][cli]") {
  Scratch scratch;
  std::string a = (scratch.path / "a").string(), b = (scratch.path / "b").string(), merged = (scratch.path / "m").string();
  auto [code, output] = run_dcisim("explore --runs 25 --seed 5 --shard 1/2 --out " + a);
  INFO(output);
  CHECK(code == 0);
  CHECK(output.find("dcisim explore: seed 5, 25 runs of at most 30 commands, shard 1/2") != std::string::npos);
  CHECK(output.find("0 failures; seed 5") != std::string::npos);
  for (const char* report : {"junit.xml", "results.json", "report.html"}) CHECK(fs::exists(fs::path(a) / report));
  CHECK(run_dcisim("explore --runs 25 --seed 5 --shard 2/2 --quiet --out " + b).first == 0);
  auto [merge_code, merge_output] = run_dcisim("report merge " + a + " " + b + " --out " + merged);
  INFO(merge_output);
  CHECK(merge_code == 0);
  auto read = reports::read_results_json(merged + "/results.json");
  REQUIRE(read.ok());
  CHECK(read->scenarios.size() == 2);

  auto [usage_code, usage] = run_dcisim("explore --runs 0");
  CHECK(usage_code == 2);
  CHECK(usage.find("--runs") != std::string::npos);
  CHECK(run_dcisim("explore --shard 3/2").first == 2);
  auto [list_code, list] = run_dcisim("explore --list-plants");
  CHECK(list_code == 0);
  for (const std::string& name : common::planted_bug_names()) CHECK(list.find(name + "\n") != std::string::npos);
  if (!common::kPlantedBugsBuilt) {
    auto [plant_code, plant] = run_dcisim("explore --plant renew_deleted");
    CHECK(plant_code == 2);
    CHECK(plant.find("this build has no planted bugs") != std::string::npos);
    CHECK(run_dcisim("run scenarios/suite --plant renew_deleted").first == 2);
  }
}

#ifdef DCISIM_PLANTED_BUGS
TEST_CASE("planted: every planted bug is found, shrunk to a handful of steps, and its repro replays", "[explore][planted]") {
  for (const std::string& bug : common::planted_bug_names()) {
    DYNAMIC_SECTION(bug) {
      Scratch scratch;
      fuzz::ExploreOptions options;
      options.seed = 1;
      options.runs = 600;
      options.max_commands = 40;
      options.plant = bug;
      options.out = scratch.path;
      options.max_findings = 1;
      fuzz::ExploreResult result = run(options);
      std::printf("planted %s: %zu found after %llu runs, %llu commands, %.2f s\n", bug.c_str(), result.found.size(),
                  static_cast<unsigned long long>(result.stats.runs), static_cast<unsigned long long>(result.stats.commands),
                  static_cast<double>(result.wall_us) / 1e6);
      REQUIRE(result.found.size() == 1);
      const fuzz::Found& found = result.found[0];
      INFO(found.finding.message << "\n" << found.finding.scenario.dump(2));
      CHECK(found.replay_matches);
      CHECK(found.finding.commands <= 8);
      // The repro passes once the bug is gone: the same file, the same seed, no plant.
      auto scenario = scenarios::load_scenario_file(found.repro_file);
      REQUIRE(scenario.ok());
      auto inventory = scenarios::resolve_inventory(*scenario);
      REQUIRE(inventory.ok());
      reports::ScenarioResult clean = scenarios::run_scenario(*scenario, *inventory, *scenario->seed, {});
      INFO((clean.failure ? clean.failure->message : std::string()));
      CHECK(clean.outcome == reports::ScenarioOutcome::passed);
    }
  }
}
#endif
