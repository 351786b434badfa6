// Fuzz target: the inventory parser. Promise: any text gives an inventory or an error naming the
// source, never a throw; an inventory that parses can start an emulator (the model builds).
#include <cstdint>
#include <string_view>

#include "common/clock.h"
#include "common/json_input.h"
#include "fuzz/targets/fuzz_input.h"
#include "mockdci/emulator.h"
#include "mockdci/inventory.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto document = dcisim::common::parse_json_text(text, "fuzz-inventory.json", true);
  if (!document) return 0;
  auto inventory = dcisim::mockdci::parse_inventory(*document, "fuzz-inventory.json");
  if (!inventory) {
    if (inventory.error().message.find("fuzz-inventory.json") == std::string::npos) {
      dcisim::fuzz::fail("an error that does not name the source: " + inventory.error().message);
    }
    return 0;
  }
  if (inventory->server_count() > 2000) return 0;  // large ones are valid, but slow to build here
  dcisim::common::VirtualClock clock;
  dcisim::mockdci::EmulatorOptions options;
  options.inventory = *inventory;
  options.clock = &clock;
  auto emulator = dcisim::mockdci::Emulator::create(std::move(options));
  if (!emulator) dcisim::fuzz::fail("a parsed inventory the emulator refuses: " + emulator.error().message);
  (void)(*emulator)->state();
  return 0;
}
