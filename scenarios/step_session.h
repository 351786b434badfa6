// One scenario's world stepped one step at a time, by the rules of `dcisim run`: the step (an
// action, or an `expect`), then what every step is followed by: the billing scheduler's errors
// and the audit of every invariant (with `expect_audit` findings and the drift a panel step causes
// until a clean sync). The runner drives a session through a file's steps; the explorer
// (fuzz/) drives one through steps it generates, so that what it finds replays from a file the
// same way.
#pragma once

#include <memory>
#include <optional>
#include <set>
#include <string>

#include "common/result.h"
#include "mockdci/inventory.h"
#include "scenarios/scenario.h"
#include "scenarios/world.h"

namespace dcisim::scenarios {

// Why a step failed, as the reports show it.
struct StepFailure {
  std::string message;
  std::string expected;
  std::string found;
  std::string key;  // the part of the step that failed, relative to it: "/expect/status"; "" the step
};

class StepSession {
 public:
  // Builds the scenario's world (its fixture; its steps are not run).
  static common::Result<std::unique_ptr<StepSession>> start(const Scenario& scenario, const mockdci::Inventory& inventory,
                                                            uint64_t seed, const WorldOptions& options);

  // Runs one step; `index` is its position in the scenario (fresh external ids derive from it).
  // With `accept_refusal`, an action the system refuses (and that expected no error) is not a
  // failure: the refusal's message is written into `step.expect_error`, so that the step replays
  // the same way from a file, and the checks run as after any step.
  std::optional<StepFailure> run(Step& step, size_t index, bool accept_refusal = false);

  World& world() { return *world_; }

 private:
  explicit StepSession(std::unique_ptr<World> world) : world_(std::move(world)) {}
  std::optional<StepFailure> after_step_checks(const Step& step);

  std::unique_ptr<World> world_;
  size_t scheduler_errors_seen_ = 0;
  bool remote_drift_ = false;              // a panel step changed a server behind billing's back
  std::set<std::string> known_findings_;   // invariants broken on purpose (expect_audit), tolerated after
  size_t syncs_seen_ = 0;
};

}  // namespace dcisim::scenarios
