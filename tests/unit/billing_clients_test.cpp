// Specification of clients (registration, passwords, blocking), generated secrets and settings.
#include <catch2/catch.hpp>

#include "tests/support/billing_harness.h"

using namespace dcisim;
using namespace dcisim::testing;
using billing::Actor;
using billing::ServiceStatus;

namespace {

template <typename T>
std::string error_of(const common::Result<T>& result) {
  return result.ok() ? std::string("(ok)") : result.error().message;
}
std::string error_of(const common::Status& status) {
  return status.ok() ? std::string("(ok)") : status.error().message;
}

}  // namespace

TEST_CASE("registration validates the e-mail, name and password, and e-mails are unique "
          "regardless of case", "[unit][billing][clients]") {
  BillingHarness h;
  for (const char* bad : {"", "alice", "alice@", "@example.com", "a@b", "a b@example.com",
                          "a@@example.com", "a..b@example.com", "a@exa_mple.com", ".a@example.com"}) {
    INFO(bad);
    common::Result<ClientId> refused = h->register_client({bad, "A", "long enough"});
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().kind == common::ErrorKind::invalid_argument);
    CHECK(refused.error().message.find("bad e-mail") == 0);
  }
  CHECK(error_of(h->register_client({"a@example.com", "", "long enough"})) ==
        "client name must be 1..200 characters");
  CHECK(error_of(h->register_client({"a@example.com", "A", "short"})) ==
        "password must be 8..1024 characters");
  ClientId alice = h->register_client({"Alice@Example.com", "Alice", "long enough"}).value();
  CHECK(h->client(alice).value().email == "alice@example.com");
  CHECK(error_of(h->register_client({"ALICE@example.COM", "A2", "long enough"})) ==
        "a client with e-mail 'alice@example.com' already exists");
  CHECK(h->clients().value().size() == 1);
  CHECK(h->client_by_email("alice@example.com").value().id == alice);
  REQUIRE_AUDIT_CLEAN(h);
}

TEST_CASE("passwords are stored as salted PBKDF2 hashes and checked", "[unit][billing][clients]") {
  BillingHarness h;
  ClientId bob = h.client("bob");
  billing::store::Statement st = h->database().prepare("SELECT password_hash FROM clients");
  REQUIRE(st.next());
  std::string stored = st.text(0);
  CHECK(stored.rfind("pbkdf2-sha256$1000$", 0) == 0);
  CHECK(stored.find("correct horse battery") == std::string::npos);
  CHECK(h->authenticate("bob@example.com", "correct horse battery").value() == bob);
  CHECK(h->authenticate("BOB@example.com", "correct horse battery").value() == bob);
  common::Result<ClientId> wrong = h->authenticate("bob@example.com", "wrong password");
  CHECK(wrong.error().kind == common::ErrorKind::unauthorized);
  CHECK(error_of(h->authenticate("nobody@example.com", "x")) == "wrong e-mail or password");
  REQUIRE(h->block_client(bob, "").ok());
  CHECK(h->authenticate("bob@example.com", "correct horse battery").error().kind ==
        common::ErrorKind::forbidden);
}

TEST_CASE("a blocked client cannot act on services but staff can, and unblocking lets waiting orders go",
          "[unit][billing][clients]") {
  BillingHarness h;
  ClientId carol = h.client("carol", Money::from_units(100));
  TariffId tariff = h.tariff();
  ServiceId id = h.order(carol, tariff);
  h.advance(Duration::hours(1));
  ServiceId waiting = h.order(carol, tariff);  // 60 left: charged
  ServiceId third = h.order(carol, tariff);    // 20 left: waits
  REQUIRE(h->block_client(carol, "chargeback").ok());
  CHECK(error_of(h->block_client(carol, "")) == "client 1 is already blocked");
  CHECK(h->client(carol).value().status == billing::ClientStatus::blocked);
  CHECK(error_of(h->prolong(id, 1, Actor::client)).find("client 1 is blocked") == 0);
  CHECK(error_of(h->suspend(id, billing::SuspendFlag::client, "")).find("client 1 is blocked") == 0);
  CHECK(error_of(h->delete_service(id, Actor::client, "")).find("client 1 is blocked") == 0);
  REQUIRE(h->admin_credit(carol, Money::from_units(100), "").ok());  // money is accepted
  CHECK(h.service(third).status == ServiceStatus::ordered);          // but not spent on orders
  REQUIRE(h->prolong(id, 1, Actor::admin).ok());                     // staff may act
  REQUIRE(h->unblock_client(carol, "resolved").ok());
  CHECK(h.service(third).status == ServiceStatus::processing);
  std::vector<billing::HistoryView> history = h->history("client", carol.value()).value();
  REQUIRE(history.size() == 3);
  CHECK(history[1].to_status == "blocked");
  CHECK(history[1].reason == "chargeback");
  CHECK(h.service(waiting).status != ServiceStatus::ordered);
  h.advance(Duration::hours(1));
  REQUIRE_AUDIT_CLEAN(h);
}

TEST_CASE("generated secrets follow the seed: same seed same secrets, another seed others",
          "[unit][billing][clients][determinism]") {
  auto root_password_with = [](uint64_t seed) {
    BillingHarness h(test_settings(), seed);
    ClientId client = h.client("dora", Money::from_units(100));
    ServiceId id = h.order(client, h.tariff());
    return h.service(id).root_password;
  };
  std::string first = root_password_with(7);
  CHECK(first == root_password_with(7));
  CHECK(first != root_password_with(8));
  CHECK(first.size() == 16);
  CHECK(first.find_first_of("ABCDEFGHJKLMNPQRSTUVWXYZ") != std::string::npos);
  CHECK(first.find_first_of("abcdefghijkmnopqrstuvwxyz") != std::string::npos);
  CHECK(first.find_first_of("23456789") != std::string::npos);

  billing::Settings system = test_settings();
  system.secrets = billing::SecretSource::system;
  BillingHarness a(system, 7), b(system, 7);
  ServiceId sa = a.order(a.client("x", Money::from_units(100)), a.tariff());
  ServiceId sb = b.order(b.client("x", Money::from_units(100)), b.tariff());
  CHECK(a.service(sa).root_password != b.service(sb).root_password);
}

TEST_CASE("settings read from JSON keep defaults and name the bad field", "[unit][billing][settings]") {
  auto parse = [](const std::string& text) {
    common::Json doc = common::Json::parse(text);
    return billing::parse_settings(common::JsonNode::root(doc, "settings.json"));
  };
  billing::Settings s = parse(R"({"max_attempts": 3, "retry_backoff_start": "30s",
                                  "sync_interval": "6h", "secrets": "system"})").value();
  CHECK(s.max_attempts == 3);
  CHECK(s.retry_backoff_start == Duration::seconds(30));
  CHECK(s.retry_backoff_cap == Duration::hours(1));
  CHECK(s.sync_interval == Duration::hours(6));
  CHECK(s.secrets == billing::SecretSource::system);
  CHECK(error_of(parse(R"({"max_attempts": 0})")).find("settings.json: /max_attempts: expected") == 0);
  CHECK(error_of(parse(R"({"daily_job_offset": "1d"})")) ==
        "settings.json: /daily_job_offset: expected a duration shorter than 1d, got \"1d\"");
  CHECK(error_of(parse(R"({"secrets": "random"})")).find("/secrets: expected \"seeded\" or \"system\"") !=
        std::string::npos);
  CHECK(error_of(parse(R"({"max_attemps": 3})")).find("max_attemps") != std::string::npos);
}

TEST_CASE("amounts beyond billing::kMaxAmount are refused wherever money comes in, and change nothing",
          "[unit][billing][limits]") {
  BillingHarness b;
  ClientId alice = b->register_client({"alice@example.com", "Alice", "secret-pass"}).value();
  Money too_much = billing::kMaxAmount + Money::from_sub_units(1);
  CHECK_FALSE(b->pay(alice, too_much, "card", "gw-big").ok());
  CHECK_FALSE(b->admin_credit(alice, too_much, "typo").ok());
  common::Status limit = b->set_credit_limit(alice, too_much, "typo");
  REQUIRE_FALSE(limit.ok());
  CHECK(limit.error().message == "a credit limit above 1000000000.00 is refused");
  billing::TariffSpec tariff = standard_tariff("huge");
  tariff.prices[1] = too_much;
  CHECK_FALSE(b->create_tariff(tariff).ok());
  tariff = standard_tariff("huge-setup");
  tariff.setup_fee = too_much;
  CHECK_FALSE(b->create_tariff(tariff).ok());
  CHECK(b->account(alice)->balance == Money::zero());
  CHECK(b->account(alice)->credit_limit == Money::zero());
  CHECK(b->payments(alice)->empty());
  CHECK(b->pay(alice, billing::kMaxAmount, "card", "gw-max").ok());  // the limit itself is fine
}
