// Specification of mockdci/query.h: orderby and limit.
#include <catch2/catch.hpp>

#include "mockdci_query_fixtures.h"

using namespace query_test;

// --- orderby and limit ------------------------------------------------------------------------

namespace {
std::vector<Json> order_rows() {
  return {{{"id", 1}, {"name", "b"}, {"unit", 10}, {"note", "x"}},
          {{"id", 2}, {"name", "a"}, {"unit", 9}, {"note", nullptr}},
          {{"id", 3}, {"name", "B"}, {"unit", 10}, {"note", "y"}},
          {{"id", 4}, {"name", "a"}, {"unit", 2}},
          {{"id", 5}, {"name", "b"}, {"unit", 9}, {"note", "x"}}};
}
Ids order_ids(const std::string& orderby) {
  return ids_of(run(order_rows(), {{}, orderby, {}}));
}
}  // namespace

TEST_CASE("orderby sorts numbers numerically and strings byte-wise, stably", "[unit][query]") {
  CHECK(order_ids("unit") == Ids{4, 2, 5, 1, 3});  // 9 before 10; ties keep the given order
  CHECK(order_ids("unit asc") == Ids{4, 2, 5, 1, 3});
  CHECK(order_ids("name") == Ids{3, 2, 4, 1, 5});  // "B" < "a" < "b" byte-wise
}

TEST_CASE("orderby desc reverses, with ties still in the given order", "[unit][query]") {
  CHECK(order_ids("unit desc") == Ids{1, 3, 2, 5, 4});
  CHECK(order_ids("id DESC") == Ids{5, 4, 3, 2, 1});
}

TEST_CASE("orderby takes several keys, each with its own direction", "[unit][query]") {
  CHECK(order_ids("name asc, unit desc") == Ids{3, 2, 4, 1, 5});
  CHECK(order_ids("unit desc,name asc") == Ids{3, 1, 2, 5, 4});
  CHECK(order_ids("note, id desc") == Ids{4, 2, 5, 1, 3});
}

TEST_CASE("orderby puts null and missing first ascending and last descending", "[unit][query]") {
  CHECK(order_ids("note asc") == Ids{2, 4, 1, 5, 3});
  CHECK(order_ids("note desc") == Ids{3, 1, 5, 2, 4});
  CHECK(ids_of(run(servers(), {"id LE 4", "owner_email asc", {}})) == Ids{1, 4, 2, 3});
}

TEST_CASE("orderby follows nested paths", "[unit][query]") {
  CHECK(ids_of(run(servers(), {"id GE 6 AND id LE 9", "rack.id desc, id desc", {}})) ==
        Ids{8, 7, 9, 6});
}

TEST_CASE("limit takes a size, or a 0-based offset and a size", "[unit][query]") {
  auto limited = [](const std::string& limit) {
    return ids_of(run(bit_rows(), {{}, {}, limit}, kBitFields));
  };
  CHECK(limited("3") == Ids{0, 1, 2});
  CHECK(limited("0,3") == Ids{0, 1, 2});
  CHECK(limited("2,3") == Ids{2, 3, 4});
  CHECK(limited(" 6 , 5 ") == Ids{6, 7});
  CHECK(limited("0,0").empty());
  CHECK(limited("0").empty());
  CHECK(limited("0,9223372036854775807").size() == 8);
  CHECK(limited("9223372036854775807,9223372036854775807").empty());
}

TEST_CASE("an offset past the end gives an empty list but the full size", "[unit][query]") {
  Json result = run(bit_rows(), {"a EQ 1", "id desc", "4,10"}, kBitFields);
  CHECK(result.at("list").empty());
  CHECK(result.at("size") == 4);
  CHECK(run(bit_rows(), {"a EQ 1", {}, "3,10"}, kBitFields).at("list").size() == 1);
}

TEST_CASE("limit errors quote what was sent", "[unit][query]") {
  for (const char* bad :
       {"a,b", "-1", "1,2,3", "1,", ",1", "+5", "1.5", "99999999999999999999", "0x10", "1 2"}) {
    INFO(bad);
    CHECK(error_of({{}, {}, bad}) ==
          std::string(
              "limit: expected \"size\" or \"offset,size\" with non-negative integers, got \"") +
              bad + "\"");
  }
}
