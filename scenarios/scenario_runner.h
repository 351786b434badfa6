// Runs one scenario in its own world, step by step: actions, expectations, and after every step
// the audit of every global invariant (billing::audit against the emulator's state). The first
// failure stops the scenario and is recorded with its step, what was expected, what was found,
// the step's last request and response, and the last emulator requests.
#pragma once

#include <cstdint>
#include <functional>

#include "mockdci/inventory.h"
#include "reports/results.h"
#include "scenarios/scenario.h"
#include "scenarios/world.h"

namespace dcisim::scenarios {

struct ScenarioRunOptions {
  WorldOptions world;
  size_t journal_extract = 200;   // emulator requests kept in the result
  size_t last_requests = 20;      // shown with a failure
  std::function<void()> on_step;  // called after every step (progress); may be empty
  // The scenario's wall-time bound (`dcisim run --timeout`): past it the scenario stops, in the
  // middle of an advance if need be, and fails saying where it was. Zero: no bound.
  common::Duration wall_timeout = common::Duration::minutes(5);
};

// `inventory` is the scenario's resolved inventory (resolve_inventory); `seed` its seed.
reports::ScenarioResult run_scenario(const Scenario& scenario, const mockdci::Inventory& inventory,
                                     uint64_t seed, const ScenarioRunOptions& options);

// The seed a scenario runs with: its pinned seed, else one derived from the run seed and its
// name (so that the outcome does not depend on the order or number of scenarios in a run).
uint64_t scenario_seed(const Scenario& scenario, uint64_t run_seed);

}  // namespace dcisim::scenarios
