// Specification of the billing store (billing/store/): transactions roll back unless committed,
// migrations are versioned and applied once, the ledger tables are append-only.
#include <catch2/catch.hpp>

#include "billing/store/migrations.h"
#include "billing/store/sqlite.h"
#include "tests/support/billing_harness.h"

using namespace dcisim;
using namespace dcisim::billing::store;
using namespace dcisim::testing;

namespace {

std::unique_ptr<Database> open_migrated(const std::string& path) {
  common::Result<std::unique_ptr<Database>> db = Database::open(path);
  REQUIRE(db.ok());
  REQUIRE(migrate(**db).ok());
  return std::move(db).value();
}

int64_t count(Database& db, const std::string& table) {
  Statement st = db.prepare("SELECT COUNT(*) FROM " + table);
  REQUIRE(st.next());
  return st.integer(0);
}

}  // namespace

TEST_CASE("a transaction rolls back unless committed", "[unit][billing][store]") {
  TempDir dir;
  std::unique_ptr<Database> db = open_migrated(dir.path() + "/t.db");
  {
    Transaction tx(*db);
    REQUIRE(tx.begin().ok());
    REQUIRE(db->exec("INSERT INTO meta (key, value) VALUES ('a', '1')").ok());
  }
  CHECK(count(*db, "meta") == 0);
  {
    Transaction tx(*db);
    REQUIRE(tx.begin().ok());
    Statement st = db->prepare("INSERT INTO meta (key, value) VALUES (?1, ?2)");
    st.bind(1, "b").bind(2, int64_t{2});
    REQUIRE(st.run().ok());
    REQUIRE(tx.commit().ok());
  }
  CHECK(count(*db, "meta") == 1);
}

TEST_CASE("opening applies the migrations once and records the schema version",
          "[unit][billing][store]") {
  TempDir dir;
  std::string path = dir.path() + "/m.db";
  {
    std::unique_ptr<Database> db = open_migrated(path);
    CHECK(schema_version(*db).value() == latest_schema_version());
    CHECK(count(*db, "schema_version") == latest_schema_version());
    REQUIRE(db->exec("INSERT INTO meta (key, value) VALUES ('kept', 'yes')").ok());
  }
  std::unique_ptr<Database> again = open_migrated(path);
  CHECK(count(*again, "schema_version") == latest_schema_version());
  CHECK(count(*again, "meta") == 1);
  Statement wal = again->prepare("PRAGMA journal_mode");
  REQUIRE(wal.next());
  CHECK(wal.text(0) == "wal");
  Statement fk = again->prepare("PRAGMA foreign_keys");
  REQUIRE(fk.next());
  CHECK(fk.integer(0) == 1);
}

TEST_CASE("a database from a newer build is refused, not misread", "[unit][billing][store]") {
  TempDir dir;
  std::string path = dir.path() + "/new.db";
  {
    std::unique_ptr<Database> db = open_migrated(path);
    REQUIRE(db->exec("INSERT INTO schema_version (version) VALUES (99)").ok());
  }
  common::Result<std::unique_ptr<Database>> db = Database::open(path);
  REQUIRE(db.ok());
  common::Status refused = migrate(**db);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message.find("has schema version 99, newer than this build supports") !=
        std::string::npos);
}

TEST_CASE("a database that cannot be opened is an io error naming the path", "[unit][billing][store]") {
  common::Result<std::unique_ptr<Database>> db = Database::open("/nonexistent-dir/x/billing.db");
  REQUIRE_FALSE(db.ok());
  CHECK(db.error().kind == common::ErrorKind::io);
  CHECK(db.error().message.find("/nonexistent-dir/x/billing.db") != std::string::npos);
}

TEST_CASE("expenses, payments and history are append-only", "[unit][billing][store]") {
  testing::BillingHarness h;
  ClientId alice = h.client("alice", Money::from_units(100));
  h.order(alice, h.tariff());
  Database& db = h->database();
  for (const char* sql : {"UPDATE expenses SET amount = 1", "DELETE FROM expenses",
                          "UPDATE payments SET amount = 1", "DELETE FROM payments",
                          "UPDATE status_history SET reason = 'x'", "DELETE FROM status_history"}) {
    INFO(sql);
    common::Status refused = db.exec(sql);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().message.find("append-only") != std::string::npos);
  }
  CHECK(db.exec("UPDATE payments SET note = 'annotated'").ok());  // status and notes may move
  CHECK(count(db, "expenses") == 2);
}

TEST_CASE("a billing database reopened resumes with everything in it", "[unit][billing][store][restart]") {
  testing::BillingHarness h;
  ClientId bob = h.client("bob", Money::from_units(100));
  TariffId tariff = h.tariff();
  ServiceId id = h.order(bob, tariff);
  h.advance(Duration::hours(1));
  h.reopen();
  CHECK(h.service(id).status == billing::ServiceStatus::active);
  CHECK(h.balance(bob) == Money::from_units(60));
  CHECK(h->tariff(tariff).value().spec.prices.at(3) == Money::from_units(81));
  CHECK(h->authenticate("bob@example.com", "correct horse battery").value() == bob);
  REQUIRE_AUDIT_CLEAN(h);
}
