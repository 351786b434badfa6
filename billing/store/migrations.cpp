#include "billing/store/migrations.h"


namespace dcisim::billing::store {

namespace {

// Version 1: the whole model. Money columns are INTEGER sub-units (common::Money), times are
// INTEGER unix milliseconds (common::Instant). Payments, expenses and history are append-only:
// triggers refuse the changes that would rewrite them (a payment may only move status).
constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE clients (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  remote_password TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('active', 'blocked')),
  created_at INTEGER NOT NULL
);

CREATE TABLE accounts (
  id INTEGER PRIMARY KEY,
  client_id INTEGER NOT NULL UNIQUE REFERENCES clients(id),
  balance INTEGER NOT NULL DEFAULT 0,
  credit_limit INTEGER NOT NULL DEFAULT 0 CHECK (credit_limit >= 0)
);

CREATE TABLE payments (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  amount INTEGER NOT NULL,
  method TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('new', 'in_pay', 'paid', 'canceled', 'refunded')),
  external_id TEXT UNIQUE,
  refund_of INTEGER REFERENCES payments(id),
  created_at INTEGER NOT NULL,
  paid_at INTEGER,
  note TEXT NOT NULL DEFAULT '',
  CHECK ((refund_of IS NULL AND amount > 0) OR (refund_of IS NOT NULL AND amount < 0))
);
CREATE INDEX payments_account ON payments(account_id, id);
CREATE TRIGGER payments_append_only BEFORE UPDATE OF id, account_id, amount, method, refund_of, created_at
  ON payments BEGIN SELECT RAISE(ABORT, 'payments are append-only: write a correction row'); END;
CREATE TRIGGER payments_no_delete BEFORE DELETE ON payments
  BEGIN SELECT RAISE(ABORT, 'payments are append-only: write a correction row'); END;

CREATE TABLE tariffs (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  location_id INTEGER NOT NULL,
  configuration TEXT NOT NULL,
  setup_fee INTEGER NOT NULL CHECK (setup_fee >= 0),
  auto_delete_days INTEGER NOT NULL CHECK (auto_delete_days >= 0),
  auto_delete_manual INTEGER NOT NULL DEFAULT 0,
  grace_days INTEGER NOT NULL CHECK (grace_days >= 0),
  refund_unused_on_delete INTEGER NOT NULL,
  suspension_mode TEXT NOT NULL CHECK (suspension_mode IN ('port', 'power', 'both')),
  created_at INTEGER NOT NULL
);
CREATE TABLE tariff_prices (
  tariff_id INTEGER NOT NULL REFERENCES tariffs(id),
  months INTEGER NOT NULL CHECK (months IN (1, 3, 6, 12)),
  price INTEGER NOT NULL CHECK (price >= 0),
  PRIMARY KEY (tariff_id, months)
);
CREATE TABLE tariff_templates (
  tariff_id INTEGER NOT NULL REFERENCES tariffs(id),
  template TEXT NOT NULL,
  PRIMARY KEY (tariff_id, template)
);
CREATE TABLE tariff_addons (
  tariff_id INTEGER NOT NULL REFERENCES tariffs(id),
  kind TEXT NOT NULL CHECK (kind IN ('ipv4', 'ipv6', 'script')),
  name TEXT NOT NULL,
  monthly_price INTEGER NOT NULL CHECK (monthly_price >= 0),
  max_quantity INTEGER NOT NULL CHECK (max_quantity >= 1),
  PRIMARY KEY (tariff_id, kind, name)
);

CREATE TABLE services (
  id INTEGER PRIMARY KEY,
  client_id INTEGER NOT NULL REFERENCES clients(id),
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  tariff_id INTEGER NOT NULL REFERENCES tariffs(id),
  status TEXT NOT NULL CHECK (status IN ('ordered', 'processing', 'active', 'suspended', 'deleted')),
  flags TEXT NOT NULL DEFAULT '',
  period_months INTEGER NOT NULL CHECK (period_months IN (1, 3, 6, 12)),
  autoprolong INTEGER NOT NULL,
  os_template TEXT NOT NULL,
  extra_ipv4 INTEGER NOT NULL DEFAULT 0,
  extra_ipv6 INTEGER NOT NULL DEFAULT 0,
  script TEXT NOT NULL DEFAULT '',
  domain TEXT NOT NULL UNIQUE,
  server_id INTEGER,
  expiredate INTEGER,
  activated_at INTEGER,
  auto_suspended_at INTEGER,
  created_at INTEGER NOT NULL,
  deleted_at INTEGER
);
CREATE UNIQUE INDEX services_one_per_server ON services(server_id) WHERE server_id IS NOT NULL;
CREATE INDEX services_client ON services(client_id, id);
CREATE INDEX services_status ON services(status, id);

CREATE TABLE service_params (
  service_id INTEGER NOT NULL REFERENCES services(id),
  name TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (service_id, name)
);
CREATE TABLE service_addresses (
  service_id INTEGER NOT NULL REFERENCES services(id),
  remote_id INTEGER NOT NULL,
  address TEXT NOT NULL UNIQUE,
  family TEXT NOT NULL CHECK (family IN ('ipv4', 'ipv6'))
);
CREATE INDEX service_addresses_service ON service_addresses(service_id);

-- One row per paid period. start_at/end_at are set when the period begins (activation or the end
-- of a resume); a period charged in advance of a renewal starts at the previous end.
CREATE TABLE service_periods (
  id INTEGER PRIMARY KEY,
  service_id INTEGER NOT NULL REFERENCES services(id),
  seq INTEGER NOT NULL CHECK (seq >= 1),
  months INTEGER NOT NULL CHECK (months >= 1),
  charged_at INTEGER NOT NULL,
  start_at INTEGER,
  end_at INTEGER,
  canceled_at INTEGER,
  UNIQUE (service_id, seq)
);

CREATE TABLE expenses (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  service_id INTEGER REFERENCES services(id),
  kind TEXT NOT NULL CHECK (kind IN ('period', 'setup', 'addon', 'refund')),
  amount INTEGER NOT NULL,
  period_seq INTEGER,
  created_at INTEGER NOT NULL,
  balance_after INTEGER NOT NULL,
  credit_limit INTEGER NOT NULL,
  description TEXT NOT NULL,
  CHECK ((kind = 'refund' AND amount < 0) OR (kind <> 'refund' AND amount >= 0))
);
-- One charge of each kind per service period: a replayed renewal cannot charge twice.
CREATE UNIQUE INDEX expenses_one_per_period ON expenses(service_id, kind, period_seq)
  WHERE period_seq IS NOT NULL;
CREATE INDEX expenses_account ON expenses(account_id, id);
CREATE TRIGGER expenses_no_update BEFORE UPDATE ON expenses
  BEGIN SELECT RAISE(ABORT, 'expenses are append-only: write a correction row'); END;
CREATE TRIGGER expenses_no_delete BEFORE DELETE ON expenses
  BEGIN SELECT RAISE(ABORT, 'expenses are append-only: write a correction row'); END;

CREATE TABLE operations (
  id INTEGER PRIMARY KEY,
  service_id INTEGER NOT NULL REFERENCES services(id),
  kind TEXT NOT NULL CHECK (kind IN ('open', 'suspend', 'resume', 'close')),
  status TEXT NOT NULL CHECK (status IN ('pending', 'manual', 'done', 'canceled')),
  actor TEXT NOT NULL,
  reason TEXT NOT NULL,
  request TEXT NOT NULL,
  progress TEXT NOT NULL DEFAULT '{}',
  result TEXT NOT NULL DEFAULT '{}',
  attempts INTEGER NOT NULL DEFAULT 0,
  steps INTEGER NOT NULL DEFAULT 0,
  next_run_at INTEGER,
  last_error TEXT NOT NULL DEFAULT '',
  from_status TEXT NOT NULL,
  from_flags TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  finished_at INTEGER,
  CHECK ((status = 'pending') = (next_run_at IS NOT NULL))
);
-- Operations on one service are serialized: at most one unfinished operation per service.
CREATE UNIQUE INDEX operations_one_unfinished ON operations(service_id)
  WHERE status IN ('pending', 'manual');
CREATE INDEX operations_due ON operations(next_run_at, id) WHERE status = 'pending';
CREATE INDEX operations_service ON operations(service_id, id);

CREATE TABLE tasks (
  id INTEGER PRIMARY KEY,
  operation_id INTEGER NOT NULL REFERENCES operations(id),
  service_id INTEGER NOT NULL REFERENCES services(id),
  status TEXT NOT NULL CHECK (status IN ('open', 'retried', 'canceled')),
  reason TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  closed_at INTEGER,
  resolution TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX tasks_one_open_per_operation ON tasks(operation_id) WHERE status = 'open';

CREATE TABLE status_history (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  entity TEXT NOT NULL CHECK (entity IN ('client', 'payment', 'service', 'operation', 'task')),
  entity_id INTEGER NOT NULL,
  from_status TEXT NOT NULL,
  to_status TEXT NOT NULL,
  from_flags TEXT NOT NULL DEFAULT '',
  to_flags TEXT NOT NULL DEFAULT '',
  actor TEXT NOT NULL,
  reason TEXT NOT NULL,
  amount INTEGER,
  balance_after INTEGER,
  operation_id INTEGER
);
CREATE INDEX status_history_entity ON status_history(entity, entity_id, id);
CREATE TRIGGER status_history_no_update BEFORE UPDATE ON status_history
  BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
CREATE TRIGGER status_history_no_delete BEFORE DELETE ON status_history
  BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;

CREATE TABLE daily_runs (
  day TEXT PRIMARY KEY,
  ran_at INTEGER NOT NULL,
  summary TEXT NOT NULL
);

CREATE TABLE sync_runs (
  id INTEGER PRIMARY KEY,
  ran_at INTEGER NOT NULL,
  services INTEGER NOT NULL,
  actions TEXT NOT NULL,
  error TEXT NOT NULL DEFAULT ''
);
)sql";

}  // namespace

const std::vector<Migration>& migrations() {
  static const std::vector<Migration> kMigrations = {
      {1, "clients, accounts, ledger, tariffs, services, operations, tasks, history, jobs", kSchemaV1},
  };
  return kMigrations;
}

int latest_schema_version() { return migrations().back().version; }

common::Result<int> schema_version(Database& db) {
  DCISIM_RETURN_IF_ERROR(db.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"));
  Statement st = db.prepare("SELECT MAX(version) FROM schema_version");
  if (!st.next()) {
    DCISIM_RETURN_IF_ERROR(st.status());
    return 0;
  }
  return static_cast<int>(st.optional_integer(0).value_or(0));
}

common::Status migrate(Database& db) {
  DCISIM_ASSIGN_OR_RETURN(int current, schema_version(db));
  if (current > latest_schema_version()) {
    return common::Error::conflict(
        "database '" + db.path() + "' has schema version " + std::to_string(current) +
        ", newer than this build supports (" + std::to_string(latest_schema_version()) +
        "): use a newer dcisim or another file");
  }
  for (const Migration& migration : migrations()) {
    if (migration.version <= current) continue;
    Transaction tx(db);
    DCISIM_RETURN_IF_ERROR(tx.begin());
    common::Status applied = db.exec(migration.sql);
    if (!applied.ok()) {
      return common::Error::io("migration " + std::to_string(migration.version) + " (" +
                               std::string(migration.description) + ") failed: " +
                               applied.error().message);
    }
    Statement st = db.prepare("INSERT INTO schema_version (version) VALUES (?1)");
    st.bind(1, migration.version);
    DCISIM_RETURN_IF_ERROR(st.run());
    DCISIM_RETURN_IF_ERROR(tx.commit());
  }
  return common::Status::success();
}

}  // namespace dcisim::billing::store
