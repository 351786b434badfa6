// Specification of the JSON position index: a JSON pointer to the line and column where the value
// (or the member's name) is written, for the text nlohmann parsed, comments included.
#include <catch2/catch.hpp>

#include <string>

#include "common/json_positions.h"

using dcisim::common::JsonPositions;
using dcisim::common::TextPosition;

namespace {

const char* const kScenario = R"(// a comment { with brackets } and "quotes"
{
  "name": "order",   /* block
                        comment */
  "steps": [
    {"register": {"as": "alice"}},
    {"expect": {"service": "s1",
                "status": "active"}}
  ],
  "é/~": {"ünï": 1}
}
)";

TextPosition at(const JsonPositions& positions, const std::string& pointer) {
  auto span = positions.find(pointer);
  REQUIRE(span.has_value());
  return span->at;
}

}  // namespace

TEST_CASE("a pointer maps to the line and column of the member's name, an element to the value", "[unit][common]") {
  JsonPositions positions = JsonPositions::index(kScenario);
  CHECK(positions.complete());
  CHECK(at(positions, "") == TextPosition{2, 1});
  CHECK(at(positions, "/name") == TextPosition{3, 3});
  CHECK(at(positions, "/steps") == TextPosition{5, 3});
  CHECK(at(positions, "/steps/0") == TextPosition{6, 5});
  CHECK(at(positions, "/steps/0/register/as") == TextPosition{6, 19});
  CHECK(at(positions, "/steps/1/expect/status") == TextPosition{8, 17});
  // Escaped pointer tokens, and columns counted in characters, not bytes.
  CHECK(at(positions, "/\xC3\xA9~1~0") == TextPosition{10, 3});
  CHECK(at(positions, "/\xC3\xA9~1~0/\xC3\xBCn\xC3\xAF") == TextPosition{10, 11});
  auto step = positions.find("/steps/1");
  REQUIRE(step);
  CHECK(step->value_at == TextPosition{7, 5});
  CHECK(step->last_line == 8);
  CHECK(std::string(kScenario).substr(step->value_begin, step->value_end - step->value_begin).rfind("{\"expect\"", 0) == 0);
  CHECK(std::string(kScenario)[step->value_end - 1] == '}');
}

TEST_CASE("absent parts: find says no, nearest gives the closest ancestor that is there", "[unit][common]") {
  JsonPositions positions = JsonPositions::index(kScenario);
  CHECK_FALSE(positions.find("/steps/0/register/email"));
  CHECK_FALSE(positions.find("/steps/9"));
  CHECK_FALSE(positions.find("/steps/01"));
  REQUIRE(positions.nearest("/steps/0/register/email"));
  CHECK(positions.nearest("/steps/0/register/email")->at == TextPosition{6, 6});
  CHECK(positions.nearest("/steps/9/advance")->at == TextPosition{5, 3});
  CHECK_FALSE(JsonPositions::index("").nearest("/x"));
}

TEST_CASE("a byte order mark takes no column and a repeated member counts once, the last", "[unit][common]") {
  JsonPositions positions = JsonPositions::index("\xEF\xBB\xBF{\"a\": 1, \"a\": 2}");
  CHECK(at(positions, "/a") == TextPosition{1, 10});
}

TEST_CASE("any bytes are safe: indexing stops where the text stops making sense", "[unit][common]") {
  for (const char* text : {"{", "[1,", "{\"a\" 1}", "/* open", "\"open", "{\"a\": [1, 2}", "{\"a\":}", "[]]", "{\"\\u", "[\"\\ud800\\u"}) {
    INFO(text);
    JsonPositions positions = JsonPositions::index(text);
    CHECK_FALSE(positions.complete());
  }
  JsonPositions partial = JsonPositions::index("{\"a\": {\"b\": 1}, \"c\": ");
  CHECK(at(partial, "/a/b") == TextPosition{1, 8});
  std::string deep(300, '[');
  CHECK_FALSE(JsonPositions::index(deep + std::string(300, ']')).complete());
}

TEST_CASE("a value as written on one line, and an excerpt of numbered lines", "[unit][common]") {
  std::string text = kScenario;
  auto args = JsonPositions::index(text).find("/steps/1/expect");
  REQUIRE(args);
  CHECK(dcisim::common::one_line_as_written(text, args->value_begin, args->value_end, 200) ==
        R"({"service": "s1", "status": "active"})");
  std::string commented = "{ \"a\":  1, // why\n  \"b\": \"x  /* not a comment */\" }";
  CHECK(dcisim::common::one_line_as_written(commented, 0, commented.size(), 200) ==
        R"({ "a": 1, "b": "x  /* not a comment */" })");
  CHECK(dcisim::common::one_line_as_written(commented, 0, commented.size(), 8) == "{ \"a\": 1...");

  CHECK(dcisim::common::source_excerpt(text, 7, 8, 8, 10) ==
        "  7 |     {\"expect\": {\"service\": \"s1\",\n"
        "> 8 |                 \"status\": \"active\"}}\n");
  std::string many;
  for (int i = 1; i <= 30; ++i) many += "line " + std::to_string(i) + "\n";
  std::string cut = dcisim::common::source_excerpt(many, 1, 30, 20, 5);
  CHECK(cut == "      (17 lines above)\n"
               "  18 | line 18\n  19 | line 19\n> 20 | line 20\n  21 | line 21\n  22 | line 22\n"
               "      (8 lines below)\n");
}
