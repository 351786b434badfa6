// Specification of mockdci/query.h: errors name the parameter and the position; limits.
#include <catch2/catch.hpp>

#include "mockdci_query_fixtures.h"

using namespace query_test;

// --- errors -----------------------------------------------------------------------------------

TEST_CASE("where errors name the position and what was found", "[unit][query]") {
  CHECK(where_error("configuration EQ") ==
        "where: position 17: expected a value after EQ, found end of input");
  CHECK(where_error("nmae EQ 'x'") == "where: position 1: unknown field \"nmae\"");
  CHECK(where_error("name EQ 'abc") == "where: position 9: unterminated string");
  CHECK(where_error("name EQ 'it''s") == "where: position 9: unterminated string");
  CHECK(where_error("name EQ 'x' AND") ==
        "where: position 16: expected a field name, found end of input");
  CHECK(where_error("name EQ 'x' AND AND id EQ 1") ==
        "where: position 17: expected a field name, found \"AND\"");
  CHECK(where_error("name = 'x'") ==
        "where: position 6: unexpected character '=' (operators are EQ NE GT GE LT LE CP)");
  CHECK(where_error("name EQ \"x\"") ==
        "where: position 9: unexpected character '\"' (strings are in single quotes)");
  CHECK(where_error("(name EQ 'x'") ==
        "where: position 13: expected AND, OR or ')' to close the '(' at position 1, found end "
        "of input");
  CHECK(where_error("name EQ 'x')") ==
        "where: position 12: expected AND, OR or end of input, found ')'");
  CHECK(where_error("name EQ 'x' id EQ 1") ==
        "where: position 13: expected AND, OR or end of input, found \"id\"");
  CHECK(where_error("name 'x'") ==
        "where: position 6: expected an operator (EQ, NE, GT, GE, LT, LE, CP or IS) after "
        "\"name\", found string 'x'");
  CHECK(where_error("name IS 'x'") ==
        "where: position 9: expected null after IS, found string 'x'");
  CHECK(where_error("name IS NOT 5") ==
        "where: position 13: expected null after IS NOT, found number 5");
  CHECK(where_error("id EQ name") ==
        "where: position 7: expected a value after EQ, found \"name\"");
  CHECK(where_error("id GE") == "where: position 6: expected a value after GE, found end of input");
  CHECK(where_error("id EQ 12abc") == "where: position 7: malformed number \"12abc\"");
  CHECK(where_error("id EQ 1.") == "where: position 7: malformed number \"1.\"");
  CHECK(where_error("rack..id EQ 1") == "where: position 1: malformed field name \"rack..id\"");
  CHECK(where_error("()") == "where: position 2: expected a field name, found ')'");
  CHECK(where_error("NOT") == "where: position 4: expected a field name, found end of input");
  CHECK(where_error("id EQ 1 \x01") == "where: position 9: unexpected character '\\x01'");
}

TEST_CASE("where positions count characters, not bytes", "[unit][query]") {
  CHECK(where_error("name EQ 'é' AND nmae EQ 1") == "where: position 17: unknown field \"nmae\"");
}

TEST_CASE("where fields must be known, and a known object admits paths inside it", "[unit][query]") {
  CHECK(parse({"rack.id EQ 1 AND rack.name IS null"}).ok());
  CHECK(where_error("rackid EQ 1") == "where: position 1: unknown field \"rackid\"");
  CHECK(where_error("id EQ 1 OR racks.id EQ 1") ==
        "where: position 12: unknown field \"racks.id\"");
  CHECK(error_of({"id EQ 1"}, {}) == "where: position 1: unknown field \"id\"");
}

TEST_CASE("orderby errors name the position", "[unit][query]") {
  CHECK(error_of({{}, "name ascending", {}}) ==
        "orderby: position 6: expected asc or desc, found \"ascending\"");
  CHECK(error_of({{}, "nmae", {}}) == "orderby: position 1: unknown field \"nmae\"");
  CHECK(error_of({{}, "name,", {}}) ==
        "orderby: position 6: expected a field name, found end of input");
  CHECK(error_of({{}, "name,,id", {}}) == "orderby: position 6: expected a field name, found ','");
  CHECK(error_of({{}, "name asc desc", {}}) ==
        "orderby: position 10: expected ',' or end of input, found \"desc\"");
  CHECK(error_of({{}, "name 5", {}}) ==
        "orderby: position 6: expected ',' or end of input, found number 5");
  CHECK(error_of({{}, "'name'", {}}) ==
        "orderby: position 1: expected a field name, found string 'name'");
}

TEST_CASE("where and orderby are limited to 4096 bytes", "[unit][query]") {
  std::string longest("id EQ 1");
  longest.append(4096 - longest.size(), ' ');
  CHECK(parse({longest}).ok());
  CHECK(where_error(longest + " ") == "where: too long: 4097 bytes, the limit is 4096");
  std::string long_orderby("id");
  long_orderby.append(4095, ' ');
  CHECK(error_of({{}, long_orderby, {}}) == "orderby: too long: 4097 bytes, the limit is 4096");
  // A flat chain as long as the limit allows is fine: chains do not nest.
  std::string chain = "id EQ 1";
  while (chain.size() + 12 <= 4096) chain += " AND id GE 0";
  REQUIRE(parse({chain}).ok());
  CHECK(ids_of(run(bit_rows(), {chain, {}, {}}, kBitFields)) == Ids{1});
}

TEST_CASE("where nests at most 64 levels, then errs instead of overflowing", "[unit][query]") {
  auto nested = [](int depth) {
    return std::string(depth, '(') + "id EQ 3" + std::string(depth, ')');
  };
  CHECK(bit_ids(nested(64)) == Ids{3});
  CHECK(where_error(nested(65)) ==
        "where: position 65: nesting deeper than 64 levels of parentheses and NOT");
  std::string nots;
  for (int i = 0; i < 64; ++i) nots += "NOT ";
  CHECK(bit_ids(nots + "id EQ 3") == Ids{3});
  CHECK(where_error(nots + "NOT id EQ 3") ==
        "where: position 257: nesting deeper than 64 levels of parentheses and NOT");
  CHECK(where_error("(NOT " + nested(63)).find("position 68: nesting deeper") != std::string::npos);
  CHECK(where_error(std::string(2000, '(')).find("nesting deeper") != std::string::npos);
}
