// Specification of common/json_input.h: errors name the source, the JSON pointer and the form.
#include <catch2/catch.hpp>

#include "common/json_input.h"
#include "common/rng.h"
#include "common/http.h"

using namespace dcisim::common;

TEST_CASE("syntax errors give the line and column", "[unit][json]") {
  Result<Json> parsed = parse_json_text("{\n  \"a\": 1,\n  \"b\": }\n", "inv.json", false);
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.error().message.rfind("inv.json: line 3, column 8: invalid JSON", 0) == 0);
}

TEST_CASE("comments are accepted only when asked for", "[unit][json]") {
  const char* text = "{ // a comment\n \"a\": 1 /* another */ }";
  CHECK(parse_json_text(text, "s.json", true).ok());
  CHECK_FALSE(parse_json_text(text, "s.json", false).ok());
}

TEST_CASE("typed reads name the pointer and the expected form", "[unit][json]") {
  Json doc = Json::parse(R"({"locations": [{"name": "Amsterdam", "racks": [{"units": "x"}]}],
                             "timings": {"os_install": "20m", "diagnostics": "soon"}, "price": "12.34567"})");
  JsonNode root = JsonNode::root(doc, "inventory.json");
  CHECK(root.at("locations").at(0).at("name").string().value() == "Amsterdam");
  Result<int64_t> units = root.at("locations").at(0).at("racks").at(0).at("units").integer(1, 100);
  REQUIRE_FALSE(units.ok());
  CHECK(units.error().message ==
        "inventory.json: /locations/0/racks/0/units: expected an integer in 1..100, got \"x\"");
  CHECK(root.at("timings").at("os_install").duration().value() == Duration::minutes(20));
  CHECK(root.at("timings").at("diagnostics").duration().error().message.find(
            "/timings/diagnostics: expected a duration") != std::string::npos);
  CHECK(root.at("missing").at("deeper").integer_or(7, 0, 10).value() == 7);
  CHECK(root.at("missing").string().error().message ==
        "inventory.json: /missing: expected a string, got nothing (the value is missing)");
  CHECK_FALSE(root.at("price").money().ok());
  Status keys = root.only_keys({"locations", "timings"});
  REQUIRE_FALSE(keys.ok());
  CHECK(keys.error().message ==
        "inventory.json: /price: unknown field \"price\" (expected one of: locations, timings)");
}

TEST_CASE("the seeded generator is deterministic", "[unit][rng]") {
  Rng a(42), b(42), c(43);
  for (int i = 0; i < 100; ++i) {
    uint64_t x = a.next_u64();
    CHECK(x == b.next_u64());
  }
  CHECK(a.next_u64() != c.next_u64());
  Rng d(7);
  for (int i = 0; i < 1000; ++i) {
    int64_t v = d.uniform(-3, 3);
    CHECK(v >= -3);
    CHECK(v <= 3);
  }
  CHECK(Rng(1).hex(24).size() == 24);
  CHECK(seed_from_text("scenario-a") == seed_from_text("scenario-a"));
}

TEST_CASE("query strings decode '+' and percent escapes", "[unit][http]") {
  HeaderList q = parse_query_string("where=(owner_email+IS+null)%20AND%20is_new%20EQ%20false&limit=0,400&flag");
  REQUIRE(q.size() == 3);
  CHECK(q[0].second == "(owner_email IS null) AND is_new EQ false");
  CHECK(q[1].second == "0,400");
  CHECK(q[2].first == "flag");
  CHECK(url_decode(url_encode("a b/c'%")) == "a b/c'%");
}
