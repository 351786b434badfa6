// The documented bounds of the scenario format (docs/SCENARIOS.md, "Limits"). Each keeps one
// file from running for ever or exhausting memory; going over one is an error naming the limit.
#pragma once

#include <cstddef>

#include "common/time.h"

namespace dcisim::scenarios {

inline constexpr size_t kMaxScenarioBytes = 16 * 1024 * 1024;  // one scenario file
inline constexpr size_t kMaxSteps = 10'000;                     // steps in one scenario
inline constexpr size_t kMaxStepTextBytes = 4096;               // a step's one-line text in reports
// One `advance` step moves virtual time by at most this much (every day in it runs the daily
// job, so a step's cost grows with it); more time takes more steps.
inline constexpr common::Duration kMaxAdvance = common::Duration::days(3660);  // about 10 years

}  // namespace dcisim::scenarios
