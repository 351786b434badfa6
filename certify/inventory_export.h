// `dcisim certify --export-inventory FILE`: an emulator inventory (docs/INVENTORY.md) read from a
// live DCImanager, so that `--compare` (or anyone) can run the emulator shaped like the operator's
// installation: its OS templates, scripts, IP pools with their networks, locations, racks with
// their pools, units and servers (configurations in id order), and the hardware of each
// configuration. No password is exported: the administrator's is a placeholder, and no user,
// owner or token leaves the live system.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "certify/probes.h"
#include "common/result.h"

namespace dcisim::certify {

inline constexpr const char* kExportedAdminPassword = "change-me";

struct ExportedInventory {
  nlohmann::json inventory;  // valid for mockdci::parse_inventory
  std::vector<std::string> notes;  // what could not be carried over, and guesses made
};

// From what the read-only probes learned. Checked with the emulator's own inventory parser.
common::Result<ExportedInventory> export_inventory(const EndpointFacts& facts, const std::string& admin_email);

}  // namespace dcisim::certify
