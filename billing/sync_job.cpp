#include "billing/sync_job.h"

#include "common/json_text.h"

namespace dcisim::billing {

namespace {

using common::Instant;

Json actions_json(const std::vector<SyncAction>& actions) {
  Json out = Json::array();
  for (const SyncAction& a : actions) {
    out.push_back({{"service_id", a.service_id}, {"server_id", a.server_id},
                   {"action", a.action}, {"detail", a.detail}});
  }
  return out;
}

std::vector<SyncAction> actions_from(const std::string& text) {
  Json parsed = Json::parse(text, nullptr, false);
  std::vector<SyncAction> actions;
  if (!parsed.is_array()) return actions;
  for (const Json& a : parsed) {
    actions.push_back({a.value("service_id", int64_t{0}), a.value("server_id", int64_t{0}),
                       a.value("action", std::string()), a.value("detail", std::string())});
  }
  return actions;
}

}  // namespace

common::Result<std::vector<SyncExpectation>> sync_expectations(store::Database& db) {
  store::Statement st = db.prepare(
      "SELECT s.id, s.server_id, t.suspension_mode, s.status, c.email, s.domain FROM services s "
      "JOIN tariffs t ON t.id = s.tariff_id JOIN clients c ON c.id = s.client_id "
      "WHERE s.status IN ('active', 'suspended') AND s.server_id IS NOT NULL ORDER BY s.id");
  std::vector<SyncExpectation> expected;
  while (st.next()) {
    SyncExpectation e;
    e.service.service_id = st.integer(0);
    e.service.server_id = st.integer(1);
    DCISIM_ASSIGN_OR_RETURN(e.service.mode, parse_suspension_mode(st.text(2)));
    e.should_be_active = st.text(3) == "active";
    e.service.client_email = st.text(4);
    e.service.domain = st.text(5);
    expected.push_back(e);
  }
  DCISIM_RETURN_IF_ERROR(st.status());
  return expected;
}

common::Result<SyncRunView> run_sync(Core& core) {
  DCISIM_ASSIGN_OR_RETURN(std::vector<SyncExpectation> expected, sync_expectations(core.db));
  SyncRunView run;
  run.ran_at = core.now();
  run.services = static_cast<int>(expected.size());
  if (!expected.empty()) {
    common::Result<std::vector<SyncAction>> actions = core.module.sync(expected);
    if (actions.ok()) {
      run.actions = std::move(actions).value();
    } else {
      run.error = actions.error().message;
    }
  }
  store::Transaction tx(core.db);
  DCISIM_RETURN_IF_ERROR(tx.begin());
  store::Statement st = core.db.prepare(
      "INSERT INTO sync_runs (ran_at, services, actions, error) VALUES (?1, ?2, ?3, ?4)");
  st.bind(1, run.ran_at.unix_ms()).bind(2, run.services).bind(3, common::json_text(actions_json(run.actions)));
  st.bind(4, run.error);
  DCISIM_RETURN_IF_ERROR(st.run());
  run.id = core.db.last_insert_id();
  DCISIM_RETURN_IF_ERROR(tx.commit());
  return run;
}

common::Result<Instant> next_sync_run(Core& core) {
  store::Statement last = core.db.prepare("SELECT MAX(ran_at) FROM sync_runs");
  if (last.next() && !last.is_null(0)) {
    return Instant::from_unix_ms(last.integer(0)) + core.settings.sync_interval;
  }
  DCISIM_RETURN_IF_ERROR(last.status());
  store::Statement created = core.db.prepare("SELECT value FROM meta WHERE key = 'created_at'");
  Instant created_at = core.now();
  if (created.next()) created_at = Instant::from_unix_ms(std::stoll(created.text(0)));
  DCISIM_RETURN_IF_ERROR(created.status());
  return created_at + core.settings.sync_interval;
}

common::Result<std::vector<SyncRunView>> sync_run_views(store::Database& db) {
  store::Statement st = db.prepare("SELECT id, ran_at, services, actions, error FROM sync_runs ORDER BY id");
  std::vector<SyncRunView> runs;
  while (st.next()) {
    SyncRunView run;
    run.id = st.integer(0);
    run.ran_at = Instant::from_unix_ms(st.integer(1));
    run.services = static_cast<int>(st.integer(2));
    run.actions = actions_from(st.text(3));
    run.error = st.text(4);
    runs.push_back(std::move(run));
  }
  DCISIM_RETURN_IF_ERROR(st.status());
  return runs;
}

}  // namespace dcisim::billing
