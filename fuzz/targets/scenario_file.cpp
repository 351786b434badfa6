// Fuzz target: the scenario file parser (JSON with comments, the whole format). Promise: any
// text parses into a scenario or an error naming the file, never a throw or a crash; a scenario
// that parses has at least one step and a name.
#include <cstdint>
#include <string_view>

#include "fuzz/targets/fuzz_input.h"
#include "scenarios/parse.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto scenario = dcisim::scenarios::parse_scenario_text(text, "fuzz.json", "fuzz");
  if (scenario) {
    if (scenario->steps.empty() || scenario->name.empty()) dcisim::fuzz::fail("a scenario without steps or name parsed");
  } else if (scenario.error().message.rfind("fuzz.json", 0) != 0) {
    dcisim::fuzz::fail("an error that does not name the file: " + scenario.error().message);
  }
  return 0;
}
