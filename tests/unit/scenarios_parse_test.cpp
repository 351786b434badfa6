// Specification of the scenario file format's parser: what it accepts, and the error it gives
// (file, JSON pointer, expected form) for each kind of mistake, before anything runs.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "common/json_input.h"
#include "scenarios/parse.h"

using namespace dcisim::scenarios;

namespace {

const char* const kTariff = R"({"name": "i9-ams", "location": "Amsterdam",
  "configuration": "i9-9900K-64Gb-2x1024NVMe", "os": ["Debian 12"],
  "prices": {"1": "100.00", "12": "1000.00"}, "setup_fee": "20", "addons": {"ipv4": "3.00", "scripts": {"docker": "5"}},
  "grace_days": 2, "auto_delete_days": 5, "suspension": "both"})";

std::string scenario_with_steps(const std::string& steps) {
  return std::string(R"({"name": "t", "tags": ["x"], "fixture": {"tariffs": [)") + kTariff +
         "]}, \"steps\": [" + steps + "]}";
}

std::string error_of(const std::string& text) {
  auto parsed = parse_scenario_text(text, "s.json", "suite");
  REQUIRE_FALSE(parsed.ok());
  return parsed.error().message;
}

const char* const kStory = R"(
  {"register": {"as": "alice"}},
  {"pay": {"client": "alice", "amount": "120.00", "external_id": "gw-1"}},
  {"order": {"client": "alice", "tariff": "i9-ams", "period": 12, "os": "Debian 12", "as": "s1",
             "addons": {"ipv4": 1, "script": "docker"}, "autoprolong": false}},
  {"advance": "1h"},
  {"advance": {"to": "expiry", "service": "s1", "plus": "1d"}},
  {"expect": {"service": "s1", "status": "active", "flags": [], "expiredate": "2027-01-01T00:20:00Z",
              "charges": [{"kind": "period", "amount": "1000.00"}], "history": [{"to": "active", "actor": "system"}],
              "server": {"owner": "alice@example.com", "power": "ON", "ports": "up", "ipv4": 2, "pool": "rack-a1"}}},
  {"expect": {"client": "alice", "balance": "-900.00", "open_tasks": 0, "free": {"i9-9900K-64Gb-2x1024NVMe": 5}}},
  {"refund": {"payment": "gw-1", "amount": "10"}},
  {"order": {"client": "alice", "tariff": "i9-ams", "os": "Windows", "as": "s2"}, "expect_error": "not offered"},
  {"delete": {"service": "s1"}, "note": "client deletes"}
)";

}  // namespace

TEST_CASE("a well-formed scenario parses into its fixture and steps", "[unit][scenario]") {
  auto parsed = parse_scenario_text(scenario_with_steps(kStory), "suite/s.json", "suite");
  REQUIRE(parsed.ok());
  const Scenario& s = *parsed;
  CHECK(s.name == "t");
  CHECK(s.suite == "suite");
  REQUIRE(s.fixture.tariffs.size() == 1);
  const TariffFixture& t = s.fixture.tariffs[0];
  CHECK(t.prices.at(12).to_string() == "1000.00");
  CHECK(t.setup_fee.to_string() == "20.00");
  CHECK(t.scripts.at("docker").to_string() == "5.00");
  CHECK_FALSE(t.ipv6_price.has_value());
  CHECK(t.suspension == "both");
  CHECK(s.fixture.inventory_source == Fixture::InventorySource::shipped_default);
  REQUIRE(s.steps.size() == 10);
  CHECK(s.steps[2].keyword == "order");
  const auto& order = std::get<OrderStep>(s.steps[2].body);
  CHECK(order.period_months == 12);
  CHECK(order.extra_ipv4 == 1);
  CHECK(order.script == "docker");
  CHECK_FALSE(order.autoprolong);
  CHECK(s.steps[2].origin.pointer == "/steps/2");
  CHECK(s.steps[0].text == R"(register {"as": "alice"})");  // as written
  const auto& advance = std::get<AdvanceStep>(s.steps[4].body);
  CHECK(advance.kind == AdvanceStep::Kind::to_service_expiry);
  CHECK(advance.plus == dcisim::common::Duration::days(1));
  const auto& expect = std::get<ExpectStep>(s.steps[5].body);
  CHECK(expect.status == std::optional<std::string>("active"));
  REQUIRE(expect.server.has_value());
  CHECK(expect.server->ipv4 == std::optional<int>(2));
  CHECK(expect.history.size() == 1);
  const auto& money = std::get<ExpectStep>(s.steps[6].body);
  CHECK(money.balance->to_string() == "-900.00");
  CHECK(money.free.at("i9-9900K-64Gb-2x1024NVMe") == 5);
  CHECK(s.steps[8].expect_error == std::optional<std::string>("not offered"));
  CHECK(s.steps[9].note == "client deletes");
}

TEST_CASE("comments are allowed in scenario files", "[unit][scenario]") {
  std::string text = "// a story\n" + scenario_with_steps(R"({"register": {"as": "a"}} /* the client */)");
  CHECK(parse_scenario_text(text, "s.json", "suite").ok());
}

TEST_CASE("an unknown step names its pointer and lists the keywords", "[unit][scenario]") {
  std::string message = error_of(scenario_with_steps(R"({"register": {"as": "a"}}, {"pya": {"client": "a"}})"));
  CHECK(message.rfind("s.json: /steps/1/pya: unknown step \"pya\" (expected one of: register, block,", 0) == 0);
}

TEST_CASE("an unknown tariff is reported with the defined ones", "[unit][scenario]") {
  std::string message = error_of(scenario_with_steps(
      R"({"register": {"as": "a"}}, {"order": {"client": "a", "tariff": "i9", "os": "Debian 12", "as": "s"}})"));
  CHECK(message == "s.json: /steps/1/order/tariff: tariff \"i9\" is not defined before this step "
                   "(defined: i9-ams; define it in fixture.tariffs)");
}

TEST_CASE("a name used before `as` defines it is an error", "[unit][scenario]") {
  std::string message = error_of(scenario_with_steps(R"({"pay": {"client": "bob", "amount": "1"}})"));
  CHECK(message.find("s.json: /steps/0/pay/client: client \"bob\" is not defined before this step") == 0);
  CHECK(message.find("register it first") != std::string::npos);
  std::string service = error_of(scenario_with_steps(R"({"expect": {"service": "s9", "status": "active"}})"));
  CHECK(service.find("/steps/0/expect/service: service \"s9\" is not defined") != std::string::npos);
}

TEST_CASE("a bad duration names the pointer and the expected form", "[unit][scenario]") {
  std::string message = error_of(scenario_with_steps(R"({"advance": "31 days"})"));
  CHECK(message == "s.json: /steps/0/advance: expected a duration such as \"90s\", \"20m\", \"2h\" or \"31d\", got \"31 days\"");
}

TEST_CASE("wrong field types and unknown fields are errors with pointers", "[unit][scenario]") {
  CHECK(error_of(scenario_with_steps(R"({"register": {"as": "a"}}, {"pay": {"client": "a", "amount": "12.345678"}})")) ==
        "s.json: /steps/1/pay/amount: expected an amount such as \"12.34\" (a string or number, at most 4 decimals), got \"12.345678\"");
  CHECK(error_of(scenario_with_steps(R"({"register": {"as": "a", "mail": "x"}})")) ==
        "s.json: /steps/0/register/mail: unknown field \"mail\" (expected one of: as, email, name, password)");
  CHECK(error_of(scenario_with_steps(R"({"register": {"as": "a"}}, {"order": {"client": "a", "tariff": "i9-ams", "os": "D", "period": 2, "as": "s"}})")) ==
        "s.json: /steps/1/order/period: expected a period in months: 1, 3, 6 or 12, got 2");
  CHECK(error_of(scenario_with_steps(R"({"register": {"as": "a"}, "advance": "1h"})")) ==
        "s.json: /steps/0: a step has exactly one keyword, found \"advance\" and \"register\"");
}

TEST_CASE("fixture mistakes are found before any step", "[unit][scenario]") {
  CHECK(error_of(R"({"name": "t", "fixture": {"tariffs": [{"name": "x"}]}, "steps": [{"advance": "1h"}]})") ==
        "s.json: /fixture/tariffs/0/location: expected a non-empty string, got nothing (the value is missing)");
  std::string periods = error_of(R"({"name": "t", "fixture": {"tariffs": [{"name": "x", "location": "A", "configuration": "c",
      "os": ["D"], "prices": {"2": "1"}}]}, "steps": [{"advance": "1h"}]})");
  CHECK(periods == "s.json: /fixture/tariffs/0/prices/2: unknown period \"2\" (expected months: \"1\", \"3\", \"6\" or \"12\")");
  CHECK(error_of(R"({"name": "t", "fixture": {"tariffs": []}, "steps": []})") ==
        "s.json: /steps: expected a non-empty array of steps, got []");
  CHECK(error_of(R"({"name": "t", "fixture": {"tariffs": []}, "steps": [{"advance": "1h"}], "extra": 1})") ==
        "s.json: /extra: unknown field \"extra\" (expected one of: name, description, tags, seed, fixture, steps)");
}

TEST_CASE("a scenario with a JSON syntax error names the line and column", "[unit][scenario]") {
  CHECK(error_of("{\"name\": \"t\",\n \"steps\": [}\n").rfind("s.json: line 2, column 12: invalid JSON", 0) == 0);
}

TEST_CASE("service checks need a service and expect_error needs an action", "[unit][scenario]") {
  CHECK(error_of(scenario_with_steps(R"({"expect": {"status": "active"}})")) ==
        "s.json: /steps/0/expect: these checks are about a service: add \"service\": \"<name>\"");
  CHECK(error_of(scenario_with_steps(R"({"advance": "1h", "expect_error": "x"})")) ==
        "s.json: /steps/0/expect_error: \"expect_error\" applies to an action, not to \"advance\"");
}

TEST_CASE("files and folders expand to sorted scenario files", "[unit][scenario]") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("dcisim-collect-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "sub");
  for (const char* name : {"b.json", "a.json", "sub/c.json", "notes.txt"}) std::ofstream(dir / name) << "{}";
  auto files = collect_scenario_files({dir.string()});
  REQUIRE(files.ok());
  REQUIRE(files->size() == 3);
  CHECK(fs::path((*files)[0]).filename() == "a.json");
  CHECK(fs::path((*files)[2]).filename() == "c.json");
  auto missing = collect_scenario_files({(dir / "nope").string()});
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message.find("no such file or folder") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("the JSON Schema lists exactly the step keywords the parser knows", "[unit][scenario]") {
  auto schema = dcisim::common::parse_json_file(std::string(DCISIM_SOURCE_DIR) + "/scenarios/schema/scenario.schema.json", false);
  REQUIRE(schema.ok());
  std::vector<std::string> in_schema;
  for (const auto& [key, unused] : (*schema)["$defs"]["step"]["properties"].items()) {
    if (key != "note" && key != "expect_error" && key != "expect_audit") in_schema.push_back(key);
  }
  std::vector<std::string> known = step_keywords();
  std::sort(in_schema.begin(), in_schema.end());
  std::sort(known.begin(), known.end());
  CHECK(in_schema == known);
}

TEST_CASE("the format's limits are errors that name them", "[unit][scenario]") {
  CHECK(error_of(scenario_with_steps(R"({"advance": "90000000000d90000000000d"})")) ==
        "s.json: /steps/0/advance: expected a duration of at most 36500d, got \"90000000000d90000000000d\"");
  CHECK(error_of(scenario_with_steps(R"({"advance": "3661d"})")) ==
        "s.json: /steps/0/advance: expected a duration of at most 3660d per advance step (split a longer span "
        "into several steps), got \"3661d\"");
  CHECK(error_of(scenario_with_steps(R"({"advance": {"by": "20000d"}})")).find("/steps/0/advance/by: expected a duration of at most 3660d") !=
        std::string::npos);
  CHECK(error_of(scenario_with_steps(R"({"register": {"as": "a"}}, {"pay": {"client": "a", "amount": "10000000000000"}})")) ==
        "s.json: /steps/1/pay/amount: expected an amount of at most 1000000000000.00 either side of zero, got \"10000000000000\"");
  CHECK(parse_scenario_text(scenario_with_steps(R"({"advance": "3660d"})"), "s.json", "suite").ok());
}

TEST_CASE("the extended language: retry_task, restart with downtime, another period, payments, pools, times in a range",
          "[unit][scenario]") {
  auto parsed = parse_scenario_text(scenario_with_steps(R"(
    {"register": {"as": "a"}},
    {"pay": {"client": "a", "amount": "0", "as": "p1"}},
    {"order": {"client": "a", "tariff": "i9-ams", "os": "Debian 12", "as": "s1"}},
    {"prolong": {"service": "s1", "period": 3, "periods": 2}},
    {"retry_task": {"service": "s1"}},
    {"restart": {"down": "3d"}},
    {"expect": {"service": "s1", "expiredate": {"between": ["2026-02-01", "2026-02-02T12:00:00Z"]}, "task": null,
                "charges": [{"kind": "period", "amount": "100", "start": "2026-01-01T00:20:00Z", "end": {"between": ["2026-02-01", "2026-02-02"]}}]},
     "expect_audit": ["remote_ownership", "remote_state"]},
    {"expect": {"client": "a", "payments": [{"status": "paid", "amount": "10"}], "payment": {"name": "p1", "status": "refunded"},
                "pools": {"rack-a1": {"used_ipv4": 1, "free_ipv6": "18446744073709551616"}}}})"),
                                    "s.json", "suite");
  INFO((parsed.ok() ? "" : parsed.error().message));
  REQUIRE(parsed.ok());
  CHECK(std::get<PayStep>(parsed->steps[1].body).amount.is_zero());  // billing, not the parser, refuses it
  CHECK(std::get<ProlongStep>(parsed->steps[3].body).period_months == 3);
  CHECK(std::get<RestartStep>(parsed->steps[5].body).down == dcisim::common::Duration::days(3));
  const auto& expect = std::get<ExpectStep>(parsed->steps[6].body);
  CHECK_FALSE(expect.expiredate->value().exact());
  CHECK(expect.task.has_value());
  CHECK_FALSE(expect.task->has_value());
  CHECK(parsed->steps[6].expect_audit == std::vector<std::string>{"remote_ownership", "remote_state"});
  const auto& money = std::get<ExpectStep>(parsed->steps[7].body);
  CHECK(money.payments->size() == 1);
  CHECK(money.pools.at("rack-a1").free_ipv6 == "18446744073709551616");

  CHECK(error_of(scenario_with_steps(R"({"expect": {"open_tasks": 0, "pools": {"p": {}}}})")) ==
        "s.json: /steps/0/expect/pools/p: expected at least one of used_ipv4, free_ipv4, used_ipv6, free_ipv6, got {}");
  CHECK(error_of(scenario_with_steps(R"({"register": {"as": "a"}}, {"order": {"client": "a", "tariff": "i9-ams", "os": "Debian 12", "as": "s1"}},
      {"expect": {"service": "s1", "expiredate": {"between": ["2026-02-02", "2026-02-01"]}}})")) ==
        "s.json: /steps/2/expect/expiredate/between: expected [from, to] with from <= to, got [\"2026-02-02\",\"2026-02-01\"]");
  CHECK(error_of(scenario_with_steps(R"({"register": {"as": "a"}}, {"expect": {"payment": {"name": "nope"}}})")).find(
            "/steps/1/expect/payment/name: payment \"nope\" is not defined before this step") != std::string::npos);
  CHECK(error_of(scenario_with_steps(R"({"restart": {"down": "4000d"}})")).find("at most 3660d per advance step") != std::string::npos);
}
