// Shared by the scenario parser's files: the names defined so far, and the node readers.
#pragma once

#include <set>
#include <string>

#include "common/json_input.h"
#include "scenarios/scenario.h"

namespace dcisim::scenarios::detail {

using common::JsonNode;

// Names a scenario defines as it goes: a name must be defined before a step uses it.
struct Names {
  std::set<std::string> tariffs;
  std::set<std::string> clients;
  std::set<std::string> services;
  std::set<std::string> payments;
};

common::Result<Fixture> parse_fixture(const JsonNode& node, const std::string& file, Names& names);
common::Result<Step> parse_step(const JsonNode& node, Names& names);
common::Result<ExpectStep> parse_expect(const JsonNode& node, const Names& names);

// A reference to a name defined earlier: `kind` is "client", "service", "payment" or "tariff".
common::Result<std::string> read_reference(const JsonNode& node, const std::set<std::string>& defined,
                                           const char* kind, const char* how_to_define);
// A new name (`as`): non-empty, not already used for this kind.
common::Result<std::string> read_new_name(const JsonNode& node, std::set<std::string>& defined,
                                          const char* kind);
std::string join(const std::set<std::string>& names);

}  // namespace dcisim::scenarios::detail
