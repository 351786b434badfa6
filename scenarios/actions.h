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

}  // namespace dcisim::scenarios
