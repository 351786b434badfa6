// One exploration run, the system under test of the explorer's state machine: a fresh scenario
// world (scenarios::StepSession, the very rules of `dcisim run`) stepped by generated commands.
// Every step is recorded as a scenario file would hold it (a refusal the billing core was
// entitled to becomes the step's `expect_error`), and each command is followed by checks that
// read the world before and after it and say what must hold:
//   - a replayed payment callback leaves the balance as it was;
//   - a blocked client's payment is not spent (its services' charges stay as they were);
//   - money arriving never lifts a manual suspension flag (abuse, admin, client);
//   - time passing never charges a deleted service.
// They run as `expect` steps, so a failing one replays from the file with the same message.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fuzz/explore_commands.h"
#include "mockdci/inventory.h"
#include "scenarios/parse.h"
#include "scenarios/scenario.h"
#include "scenarios/step_session.h"
#include "scenarios/world.h"

namespace dcisim::fuzz {

// What every run of one exploration starts from.
struct ExploreSetup {
  nlohmann::json fixture;          // the scenario's "fixture" object (start set per run)
  mockdci::Inventory inventory;
  scenarios::WorldOptions world;
  uint64_t world_seed = 1;         // the worlds' seed (tokens, fault probabilities)
};

// A run that failed: the scenario that replays it (the last step is the one that failed).
struct Finding {
  nlohmann::json scenario;
  size_t step_index = 0;
  std::string message;
  size_t commands = 0;
};

struct ExploreStats {
  uint64_t runs = 0;
  uint64_t commands = 0;
  uint64_t steps = 0;  // commands and the checks that follow them
};

class ExploreRun {
 public:
  // A world at `start` ("2026-01-31T22:00:00Z"); a failure is written to `last_failure`.
  ExploreRun(const ExploreSetup& setup, const std::string& start, Finding* last_failure, ExploreStats* stats);
  ~ExploreRun();

  // Runs a command's step and its checks. A failure records the run in `last_failure` and fails
  // the rapidcheck case. A world that cannot be built fails it too.
  void execute(CommandKind kind, const nlohmann::json& step);

  // A hash of the emulator's journal and every table of the billing database (--check-determinism).
  std::string digest();
  // The steps so far, as a scenario file.
  nlohmann::json scenario_json() const;

 private:
  // Reads, runs and records one step; a failure fails the case.
  void run_step(nlohmann::json step, bool accept_refusal);
  std::vector<nlohmann::json> checks_before(CommandKind kind, const nlohmann::json& step);
  [[noreturn]] void fail(const std::string& message);

  const ExploreSetup& setup_;
  nlohmann::json fixture_;
  Finding* last_failure_;
  ExploreStats* stats_;
  std::unique_ptr<scenarios::StepSession> session_;
  std::unique_ptr<scenarios::StepReader> reader_;
  std::vector<nlohmann::json> steps_;
  std::string start_error_;
};

// A hash of every table of the database, row by row in rowid order (what --check-determinism
// compares besides the journal).
std::string database_digest(billing::Billing& billing);

}  // namespace dcisim::fuzz
