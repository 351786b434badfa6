// Fuzz target: the scenario file parser (JSON with comments, the whole format) and the position
// index that locates errors and failures in the same text. Promises: any text parses into a
// scenario or an error naming the file, never a throw or a crash; a scenario that parses has at
// least one step and a name, and each step's position lies inside the text; the position index
// of any bytes keeps every span inside the text, and the one-line and excerpt renderings of it
// stay bounded.
#include <cstdint>
#include <string_view>

#include "common/json_positions.h"
#include "fuzz/targets/fuzz_input.h"
#include "scenarios/parse.h"

namespace {

void check_positions(std::string_view text) {
  dcisim::common::JsonPositions positions = dcisim::common::JsonPositions::index(text);
  for (const char* pointer : {"", "/steps", "/steps/0", "/steps/0/expect/status", "/fixture/tariffs/0/name", "/a~1b/~0"}) {
    std::optional<dcisim::common::JsonSpan> span = positions.nearest(pointer);
    if (!span) continue;
    if (span->value_begin > span->value_end || span->value_end > text.size()) dcisim::fuzz::fail("a span outside the text");
    if (span->at.line == 0 || span->last_line < span->value_at.line) dcisim::fuzz::fail("a span without a line");
    std::string line = dcisim::common::one_line_as_written(text, span->value_begin, span->value_end, 200);
    if (line.size() > 203) dcisim::fuzz::fail("a one-line rendering over its bound");
    std::string excerpt = dcisim::common::source_excerpt(text, span->value_at.line, span->last_line, span->at.line, 8);
    if (excerpt.size() > 10 * 260) dcisim::fuzz::fail("an excerpt over its bound");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  check_positions(text);
  auto scenario = dcisim::scenarios::parse_scenario_text(text, "fuzz.json", "fuzz");
  if (scenario) {
    if (scenario->steps.empty() || scenario->name.empty()) dcisim::fuzz::fail("a scenario without steps or name parsed");
    for (const auto& step : scenario->steps) {
      if (step.source.value_end > text.size() || step.source.value_begin > step.source.value_end) {
        dcisim::fuzz::fail("a step's position outside the text");
      }
    }
  } else if (scenario.error().message.rfind("fuzz.json", 0) != 0) {
    dcisim::fuzz::fail("an error that does not name the file: " + scenario.error().message);
  }
  return 0;
}
