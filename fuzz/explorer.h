// Property-based exploration (`dcisim explore`): rapidcheck's state machine drives the billing
// core and the DCImanager 6 emulator through generated stories (register, pay, order, suspend,
// delete, faults, outside events, time passing...), the audit after every step, and checks of what
// must hold. A failing story is shrunk to the shortest one that still fails and written as a
// scenario file that `dcisim run` replays to the same failure (same step, same message).
//
// Runs come in batches of kRunsPerBatch; batch b of seed S uses seed S (b = 0) or one derived
// from S and b, so every batch replays alone (`--seed <its seed> --runs <its runs>`), and shards
// (`--shard K/N`: batches b with b % N == K - 1) split the work without overlapping.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/time.h"
#include "fuzz/explore_run.h"
#include "reports/results.h"
#include "scenarios/world.h"

namespace dcisim::fuzz {

inline constexpr int kRunsPerBatch = 25;
inline constexpr int kMaxRuns = 10'000'000;
inline constexpr int kMaxStepsPerRunOption = 500;

struct ExploreOptions {
  uint64_t seed = 1;
  int runs = 100;                    // over every shard together (ignored with a time budget)
  int max_commands = 30;             // per run (rapidcheck's size grows to it)
  common::Duration time_budget;      // > 0: batches until it is spent
  bool swarm = false;                // each run turns on a random subset of command kinds
  bool check_determinism = false;    // each run twice, digests compared
  int shard = 1;                     // K of --shard K/N
  int shards = 1;                    // N
  std::string plant;                 // a planted bug (builds with DCISIM_PLANTED_BUGS)
  scenarios::TransportKind transport = scenarios::TransportKind::in_memory;
  std::filesystem::path out = "out";  // repro scenarios go to out/repro/
  size_t max_findings = 8;           // stop after this many distinct failures
};

struct ExploreProgress {
  ExploreStats stats;
  size_t findings = 0;
  int64_t elapsed_us = 0;
};

struct Found {
  Finding finding;
  uint64_t batch_seed = 0;
  std::string repro_file;           // out/repro/<name>.json
  reports::ScenarioResult replay;   // the repro run by `dcisim run`'s runner
  bool replay_matches = false;      // the replay failed at the same step with the same message
};

struct ExploreResult {
  ExploreStats stats;
  std::vector<Found> found;
  int batches = 0;
  int64_t wall_us = 0;
};

// Checks the options (bounds, the shard, a planted bug's name); an error says which.
common::Status check_explore_options(const ExploreOptions& options);

// Runs the exploration; `on_progress` is told after every run.
ExploreResult explore(const ExploreOptions& options, const std::function<void(const ExploreProgress&)>& on_progress);

// The seed of batch `batch` of an exploration seeded `seed`.
uint64_t batch_seed(uint64_t seed, int batch);

// The fixture every run starts from (the shipped inventory, three tariffs; the start instant is
// drawn per run among month ends, a leap day and a year end).
nlohmann::json explore_fixture();
const std::vector<std::string>& explore_starts();

// The explored runs as reports: one test case per shrunk failure (its replay), or one passing case
// naming what ran.
reports::RunResult explore_run_result(const ExploreOptions& options, const ExploreResult& result);

}  // namespace dcisim::fuzz
