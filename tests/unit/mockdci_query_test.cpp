// Specification of mockdci/query.h: the real clients' queries, where's logic and values.
#include <catch2/catch.hpp>

#include "mockdci_query_fixtures.h"

using namespace query_test;

// --- the five queries real clients send (API.md §3) ---------------------------------------------

TEST_CASE("real client: free servers that are not new, owner_email asc, limit 0,400",
          "[unit][query]") {
  Json result =
      run(servers(), {"(owner_email IS null) AND is_new EQ false", "owner_email asc", "0,400"});
  CHECK(ids_of(result) == Ids{1, 8});
  CHECK(result.at("size") == 2);
  CHECK(result.at("list").at(0) == servers().at(0));  // rows come back whole
}

TEST_CASE("real client: a user's servers in a location, configuration asc, limit 4,18",
          "[unit][query]") {
  Params p{"(owner_email EQ 'x@y.z') AND is_new EQ false AND location_id EQ 3", "configuration asc",
           "4,18"};
  // Matches 2, 3, 5 (X@Y.Z: the collation is case-insensitive), 9, 11, 12; sorted byte-wise:
  // AMD(9) E3(11) E5(2) Xeon(5) i9(3) i9(12); offset 4 skips four of them.
  Json result = run(servers(), p);
  CHECK(ids_of(result) == Ids{3, 12});
  CHECK(result.at("size") == 6);
  p.limit = "0,18";
  CHECK(ids_of(run(servers(), p)) == Ids{9, 11, 2, 5, 3, 12});
}

TEST_CASE("real client: switch ports id desc, limit 0,1000", "[unit][query]") {
  std::vector<Json> ports;
  for (int64_t id = 1; id <= 5; ++id) {
    ports.push_back({{"id", id},
                     {"name", "Gi0/" + std::to_string(id)},
                     {"admin_status", "up"},
                     {"oper_status", "up"},
                     {"description", ""}});
  }
  Json result = run(ports, {{}, "id desc", "0,1000"}, kPortFields);
  CHECK(ids_of(result) == Ids{5, 4, 3, 2, 1});
  CHECK(result.at("size") == 5);
}

TEST_CASE("real client: addresses of a network whose domain is not an extended one",
          "[unit][query]") {
  Json result =
      run(ips(), {"NOT domain CP '%extended.%' AND (ipnet EQ 7)", "name asc", "0,512"}, kIpFields);
  // 2 and 6 (case-insensitive) have "extended." in the domain; 7's '.' is an X, so it stays;
  // 5's domain is null and NOT (NULL LIKE ...) is NULL, so MySQL leaves it out; 4 is in net 8.
  // Names sort as strings: "192.0.2.10" < "192.0.2.3".
  CHECK(ids_of(result) == Ids{1, 3, 7});
  CHECK(result.at("size") == 3);
}

TEST_CASE("real client: addresses of a network not in status extended", "[unit][query]") {
  Json result = run(ips(), {"ipnet EQ 7 AND status NE 'extended'", "name asc", "0,300"}, kIpFields);
  CHECK(ids_of(result) == Ids{1, 3, 5});
  CHECK(result.at("size") == 3);
}

// --- where: logic -----------------------------------------------------------------------------

TEST_CASE("AND binds tighter than OR", "[unit][query]") {
  CHECK(bit_ids("a EQ 1 OR b EQ 1 AND c EQ 1") == Ids{3, 4, 5, 6, 7});
  CHECK(bit_ids("b EQ 1 AND c EQ 1 OR a EQ 1") == Ids{3, 4, 5, 6, 7});
}

TEST_CASE("NOT binds tighter than AND and OR", "[unit][query]") {
  CHECK(bit_ids("NOT a EQ 1 AND b EQ 1") == Ids{2, 3});
  CHECK(bit_ids("NOT a EQ 1 OR c EQ 1") == Ids{0, 1, 2, 3, 5, 7});
  CHECK(bit_ids("NOT NOT a EQ 1") == Ids{4, 5, 6, 7});
}

TEST_CASE("parentheses override precedence and nest", "[unit][query]") {
  CHECK(bit_ids("(a EQ 1 OR b EQ 1) AND c EQ 1") == Ids{3, 5, 7});
  CHECK(bit_ids("NOT (a EQ 1 AND b EQ 1)") == Ids{0, 1, 2, 3, 4, 5});
  CHECK(bit_ids("((a EQ 0) AND ((b EQ 1) OR (NOT (c EQ 0))))") == Ids{1, 2, 3});
}

TEST_CASE("keywords are case-insensitive", "[unit][query]") {
  CHECK(bit_ids("a eq 1 and not b Eq 1 oR id lt 0") == Ids{4, 5});
  CHECK(ids(servers(), "owner_email is NULL and is_new eq FALSE") == Ids{1, 8});
  CHECK(ids(servers(), "owner_email Is Not Null AND location_id EQ 5") == Ids{7});
}

TEST_CASE("every comparison operator on numbers", "[unit][query]") {
  CHECK(bit_ids("id EQ 3") == Ids{3});
  CHECK(bit_ids("id NE 3") == Ids{0, 1, 2, 4, 5, 6, 7});
  CHECK(bit_ids("id GT 5") == Ids{6, 7});
  CHECK(bit_ids("id GE 5") == Ids{5, 6, 7});
  CHECK(bit_ids("id LT 2") == Ids{0, 1});
  CHECK(bit_ids("id LE 2") == Ids{0, 1, 2});
  CHECK(bit_ids("id GT -1 AND id LT 1.5") == Ids{0, 1});
}

TEST_CASE("a comparison with NULL is unknown, and NOT unknown is still unknown", "[unit][query]") {
  std::vector<Json> rows = {
      {{"id", 1}, {"note", "x"}}, {{"id", 2}, {"note", nullptr}}, {{"id", 3}}};
  CHECK(ids(rows, "note EQ 'x'") == Ids{1});
  CHECK(ids(rows, "note NE 'x'").empty());
  CHECK(ids(rows, "NOT note EQ 'x'").empty());
  CHECK(ids(rows, "note EQ null").empty());
  CHECK(ids(rows, "NOT note EQ null").empty());
  // unknown OR true is true; unknown AND false is false, so NOT of it is true.
  CHECK(ids(rows, "note EQ 'x' OR id GE 2") == Ids{1, 2, 3});
  CHECK(ids(rows, "NOT (note EQ 'x' AND id EQ 5)") == Ids{1, 2, 3});
}

TEST_CASE("IS null and IS NOT null: missing, null and paths through non-objects are null",
          "[unit][query]") {
  std::vector<Json> rows = {{{"id", 1}, {"note", "x"}, {"rack", {{"id", 4}}}},
                            {{"id", 2}, {"note", nullptr}, {"rack", nullptr}},
                            {{"id", 3}, {"rack", 7}},
                            {{"id", 4}, {"note", ""}, {"rack", {{"id", nullptr}}}}};
  CHECK(ids(rows, "note IS null") == Ids{2, 3});
  CHECK(ids(rows, "note IS NOT null") == Ids{1, 4});
  CHECK(ids(rows, "rack.id IS null") == Ids{2, 3, 4});
  CHECK(ids(rows, "rack.id IS NOT null") == Ids{1});
  CHECK(ids(rows, "NOT note IS null") == Ids{1, 4});
}

// --- where: values and coercions --------------------------------------------------------------

TEST_CASE("CP is LIKE: % any run, _ one character, case-insensitive", "[unit][query]") {
  std::vector<Json> rows = {{{"id", 1}, {"name", "srv-ams-01"}}, {{"id", 2}, {"name", "srv-AMS-2"}},
                            {{"id", 3}, {"name", "café"}},       {{"id", 4}, {"name", "100%_done"}},
                            {{"id", 5}, {"name", ""}},           {{"id", 6}, {"name", 42}}};
  CHECK(ids(rows, "name CP 'srv-ams-%'") == Ids{1, 2});
  CHECK(ids(rows, "name CP '%AMS-_'") == Ids{2});
  CHECK(ids(rows, "name CP '%-__'") == Ids{1});
  CHECK(ids(rows, "name CP 'caf_'") == Ids{3});  // é is one character (two bytes)
  CHECK(ids(rows, "name CP 'ca_'").empty());
  CHECK(ids(rows, "name CP '%'") == Ids{1, 2, 3, 4, 5, 6});
  CHECK(ids(rows, "name CP ''") == Ids{5});
  CHECK(ids(rows, "name CP '%\\%\\_%'") == Ids{4});  // \ escapes % and _
  CHECK(ids(rows, "name CP '4_'") == Ids{6});        // a number is matched as its text
  CHECK(ids(rows, "name CP '%s%s%s%'").empty());     // backtracking ends
  CHECK(ids(rows, "NOT name CP '%a%'") == Ids{4, 5, 6});
}

TEST_CASE("quoted strings keep spaces and a doubled quote is a quote", "[unit][query]") {
  std::vector<Json> rows = {{{"id", 1}, {"note", "it's a test"}},
                            {{"id", 2}, {"note", "two  spaces, AND (parens)"}},
                            {{"id", 3}, {"note", "'"}}};
  CHECK(ids(rows, "note EQ 'it''s a test'") == Ids{1});
  CHECK(ids(rows, "note EQ 'two  spaces, and (parens)'") == Ids{2});
  CHECK(ids(rows, "note EQ ''''") == Ids{3});
  CHECK(ids(rows, "note CP '%''%'") == Ids{1, 3});
}

TEST_CASE("strings compare case-insensitively, as MySQL's default collation does",
          "[unit][query]") {
  CHECK(ids(servers(), "owner_email EQ 'X@y.Z' AND location_id EQ 5") == Ids{7});
  CHECK(ids(servers(), "owner_email NE 'x@y.z'") == Ids{6});
  CHECK(ids(servers(), "owner_email GT 'OTHER@Y.Z'") == Ids{2, 3, 5, 7, 9, 10, 11, 12});
}

TEST_CASE("numbers compare numerically, quoted or not, exactly beyond 2^53", "[unit][query]") {
  std::vector<Json> rows = {{{"id", 1}, {"serial", "10"}, {"price", 9.5}},
                            {{"id", 2}, {"serial", "9"}, {"price", 10}},
                            {{"id", 3}, {"serial", "abc"}, {"price", 9007199254740993LL}},
                            {{"id", 4}, {"serial", "-2.5"}, {"price", 18446744073709551615ULL}}};
  CHECK(ids(rows, "price GT 9.75") == Ids{2, 3, 4});
  CHECK(ids(rows, "price EQ '10'") == Ids{2});  // a quoted number against a numeric field
  CHECK(ids(rows, "price EQ '10.0'") == Ids{2});
  CHECK(ids(rows, "serial GT 9") == Ids{1});  // a numeric string against a number: as numbers
  CHECK(ids(rows, "serial LT 0") == Ids{4});
  CHECK(ids(rows, "serial GT '9'") == Ids{3});  // string against string: as strings
  CHECK(ids(rows, "price EQ 9007199254740993") == Ids{3});
  CHECK(ids(rows, "price EQ 9007199254740992").empty());
  CHECK(ids(rows, "price GT 9223372036854775807") == Ids{4});
  // A string that is not a number does not compare with a number, either way.
  CHECK(ids(rows, "serial EQ 0 OR NOT serial EQ 0") == Ids{1, 2, 4});
  CHECK(ids(rows, "price EQ 'abc' OR NOT price EQ 'abc'").empty());
}

TEST_CASE("booleans compare with true/false and as 1/0", "[unit][query]") {
  CHECK(ids(servers(), "is_new EQ true") == Ids{4, 10});
  CHECK(ids(servers(), "is_new EQ 1") == Ids{4, 10});
  CHECK(ids(servers(), "is_new NE TRUE AND location_id EQ 5") == Ids{7, 8});
  CHECK(ids(servers(), "is_new GT 0") == Ids{4, 10});
  CHECK(ids(servers(), "is_new CP '1'") == Ids{4, 10});
}

TEST_CASE("nested paths reach into objects, arrays and objects compare with nothing",
          "[unit][query]") {
  CHECK(ids(servers(), "rack.id EQ 50") == Ids{7, 8});
  CHECK(ids(servers(), "rack.name CP 'r5'") == Ids{7, 8});
  CHECK(ids(servers(), "rack EQ 50 OR NOT rack EQ 50").empty());
  CHECK(ids(servers(), "ip EQ '192.0.2.1' OR NOT ip CP '%'").empty());
  CHECK(ids(servers(), "ip.name EQ '192.0.2.1'").empty());  // a path does not enter arrays
}

TEST_CASE("an absent or blank parameter means no filter, natural order, no limit",
          "[unit][query]") {
  CHECK(run(servers(), {}).at("list").size() == 12);
  Json result = run(servers(), {"  ", "", " "});
  CHECK(result.at("list").size() == 12);
  CHECK(result.at("size") == 12);
  CHECK(ListQuery().apply(servers()).at("list") == Json(servers()));
}
