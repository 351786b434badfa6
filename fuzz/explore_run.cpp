#include "fuzz/explore_run.h"

#include <rapidcheck.h>

#include "common/json_text.h"
#include "common/rng.h"
#include "scenarios/timeline.h"

namespace dcisim::fuzz {

using Json = nlohmann::json;

namespace {

constexpr size_t kMaxStepsPerRun = 5'000;  // a run that long is a generator bug, not a test

Json scenario_document(const Json& fixture, uint64_t seed, Json steps) {
  return {{"name", "exploration"}, {"seed", seed}, {"fixture", fixture}, {"steps", std::move(steps)}};
}

}  // namespace

ExploreRun::ExploreRun(const ExploreSetup& setup, const std::string& start, Finding* last_failure, ExploreStats* stats)
    : setup_(setup), fixture_(setup.fixture), last_failure_(last_failure), stats_(stats) {
  fixture_["start"] = start;
  // The fixture as a file would hold it, read by the same parser (one placeholder step: a
  // scenario has at least one), then stepped from nothing.
  Json document = scenario_document(fixture_, setup.world_seed, Json::array({{{"run", "operations"}}}));
  common::Result<scenarios::Scenario> parsed = scenarios::parse_scenario_text(common::json_text(document), "exploration.json", "explore");
  if (!parsed) {
    start_error_ = "the exploration fixture does not parse: " + parsed.error().message;
    return;
  }
  parsed->steps.clear();
  common::Result<std::unique_ptr<scenarios::StepSession>> session =
      scenarios::StepSession::start(*parsed, setup.inventory, setup.world_seed, setup.world);
  if (!session) {
    start_error_ = "the exploration world could not be built: " + session.error().message;
    return;
  }
  session_ = std::move(session).value();
  reader_ = std::make_unique<scenarios::StepReader>(*parsed, "exploration.json");
  ++stats_->runs;
}

ExploreRun::~ExploreRun() = default;

Json ExploreRun::scenario_json() const {
  Json steps = Json::array();
  for (const Json& s : steps_) steps.push_back(s);
  return scenario_document(fixture_, setup_.world_seed, std::move(steps));
}

void ExploreRun::fail(const std::string& message) {
  if (last_failure_ != nullptr) {
    last_failure_->scenario = scenario_json();
    last_failure_->step_index = steps_.empty() ? 0 : steps_.size() - 1;
    last_failure_->message = message;
  }
  RC_FAIL(message);
}

void ExploreRun::run_step(Json step, bool accept_refusal) {
  if (steps_.size() >= kMaxStepsPerRun) fail("a run of more than " + std::to_string(kMaxStepsPerRun) + " steps");
  size_t index = steps_.size();
  common::Result<scenarios::Step> read = reader_->read(step, index);
  if (!read) {
    steps_.push_back(step);
    fail("the explorer wrote a step the scenario format refuses: " + read.error().message);
  }
  scenarios::Step parsed = std::move(read).value();
  std::optional<scenarios::StepFailure> failure = session_->run(parsed, index, accept_refusal);
  if (parsed.expect_error && !step.contains("expect_error")) step["expect_error"] = *parsed.expect_error;
  steps_.push_back(std::move(step));
  ++stats_->steps;
  if (failure) fail("step " + std::to_string(index) + ": " + failure->message);
}

std::vector<Json> ExploreRun::checks_before(CommandKind kind, const Json& step) {
  scenarios::World& world = session_->world();
  std::vector<Json> checks;
  auto charges_of = [&](billing::ServiceId id) -> int64_t {
    auto expenses = world.billing->service_expenses(id);
    return expenses ? static_cast<int64_t>(expenses->size()) : -1;
  };
  if (kind == CommandKind::pay || kind == CommandKind::pay_replay || kind == CommandKind::credit) {
    const Json& args = step.begin().value();
    std::string client = args["client"].get<std::string>();
    auto found = world.clients.find(client);
    if (found == world.clients.end()) return checks;
    billing::ClientId id = found->second.id;
    if (kind == CommandKind::pay_replay) {
      if (auto account = world.billing->account(id)) {
        checks.push_back({{"note", "a replayed callback changes nothing"},
                          {"expect", {{"client", client}, {"balance", account->balance.to_string()}}}});
      }
    }
    auto view = world.billing->client(id);
    bool blocked = view && view->status == billing::ClientStatus::blocked;
    for (const auto& [name, service_id] : world.services) {
      auto s = world.billing->service(service_id);
      if (!s || s->client_id != id) continue;
      if (blocked) {
        checks.push_back({{"note", "a blocked client's money is not spent"},
                          {"expect", {{"service", name}, {"charges", {{"count", charges_of(service_id)}}}}}});
      }
      billing::SuspendFlags manual = s->flags.without(billing::SuspendFlag::automatic);
      if (!manual.empty()) {
        Json flags = Json::array();
        std::string text = s->flags.to_string();
        for (size_t pos = 0; pos < text.size();) {
          size_t comma = std::min(text.find(',', pos), text.size());
          flags.push_back(text.substr(pos, comma - pos));
          pos = comma + 1;
        }
        checks.push_back({{"note", "money never lifts a manual suspension"}, {"expect", {{"service", name}, {"flags", flags}}}});
      }
    }
  }
  if (kind == CommandKind::advance || kind == CommandKind::run_job || kind == CommandKind::restart) {
    for (const auto& [name, service_id] : world.services) {
      auto s = world.billing->service(service_id);
      if (s && s->status == billing::ServiceStatus::deleted) {
        checks.push_back({{"note", "a deleted service is never charged again"},
                          {"expect", {{"service", name}, {"charges", {{"count", charges_of(service_id)}}}}}});
      }
    }
  }
  return checks;
}

void ExploreRun::execute(CommandKind kind, const Json& step) {
  if (!session_) RC_FAIL(start_error_);
  ++stats_->commands;
  std::vector<Json> checks = checks_before(kind, step);
  // What the billing core may refuse (no money, busy, a name it no longer has...) is not a
  // failure; registering, paying and crediting within the limits must always work.
  bool must_work = kind == CommandKind::register_client || kind == CommandKind::pay || kind == CommandKind::credit ||
                   kind == CommandKind::advance || kind == CommandKind::restart || kind == CommandKind::fault ||
                   kind == CommandKind::run_job;
  run_step(step, !must_work);
  for (Json& check : checks) run_step(std::move(check), false);
}

std::string ExploreRun::digest() {
  if (!session_) return "";
  scenarios::World& world = session_->world();
  std::string text = scenarios::run_digest(world.emulator->journal(SIZE_MAX), world) + "\n" + database_digest(*world.billing);
  return text;
}

std::string database_digest(billing::Billing& billing) {
  billing::store::Database& db = billing.database();
  std::vector<std::string> tables;
  billing::store::Statement names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
  while (names.next()) tables.push_back(names.text(0));
  std::string text;
  for (const std::string& table : tables) {
    std::vector<std::string> columns;
    billing::store::Statement info = db.prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid");
    info.bind(1, table);
    while (info.next()) columns.push_back(info.text(0));
    if (columns.empty()) continue;
    std::string select = "SELECT ";
    for (size_t i = 0; i < columns.size(); ++i) select += (i ? " || '|' || quote(\"" : "quote(\"") + columns[i] + "\")";
    select += " FROM \"" + table + "\" ORDER BY rowid";
    billing::store::Statement rows = db.prepare(select);
    text += table + "\n";
    while (rows.next()) text += rows.text(0) + "\n";
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(common::seed_from_text(text)));
  return hex;
}

}  // namespace dcisim::fuzz
