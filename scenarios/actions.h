// Carrying out a scenario's action steps (everything but `expect`) on its world. An action the
// system refuses comes back as the system's error: the runner compares it with the step's
// `expect_error`, or fails the scenario with it.
#pragma once

#include "common/result.h"
#include "scenarios/scenario.h"
#include "scenarios/world.h"

namespace dcisim::scenarios {

// `index` is the step's position (fresh external ids are derived from it, for determinism).
common::Status run_action(const Step& step, size_t index, World& world);

// The fault kinds the `fault` step knows, and a check of a fault spec, for the prepare phase.
common::Status check_fault(const FaultStep& fault, const Origin& origin);

// A `fault` step read: a fault rule for the emulator (faults.h), or one of the actions
// expire_tokens, clear (every rule and counter) and timings (how long operations take).
struct ParsedFault {
  enum class Action { rule, expire_tokens, clear, timings } action = Action::rule;
  mockdci::FaultRule rule;
  common::Json timings;  // for `timings`: the step without "kind"
  Origin origin;
  common::JsonNode timings_node() const;
};
common::Result<ParsedFault> read_fault(const FaultStep& fault, const Origin& origin);

}  // namespace dcisim::scenarios
