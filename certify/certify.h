// `dcisim certify` end to end (the CLI in cli/certify_command.cpp only reads flags and prints):
//   run_certify   read-only probes; with allowed servers the destructive cycle on each, then the
//                 cleanup; with `compare` the same probes against the embedded emulator, diffed;
//   run_export    the endpoint read into an emulator inventory (--export-inventory FILE);
//   run_cleanup   a ledger undone (--cleanup LEDGER).
// See docs/CERTIFICATION.md.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "certify/checks.h"
#include "certify/cleanup.h"
#include "certify/endpoint.h"
#include "certify/real_time.h"
#include "common/result.h"

namespace dcisim::certify {

struct CertifyOptions {
  EndpointOptions endpoint;
  std::vector<int64_t> allowed_servers;  // the destructive cycle runs on each, one after the other
  bool compare = false;
  std::string inventory_file;            // --compare's emulator inventory; "" = read from the endpoint now
  std::string ledger_path;               // the teardown ledger (with allowed servers)
  uint64_t seed = 1;
  size_t samples = 5;                    // each read-only GET this many times, for the latency table
  common::Duration timeout_op = common::Duration::minutes(90);
  common::Duration poll = common::Duration::ms(500);  // the first look again (PollSchedule)
  const StopSignal* stop = nullptr;
  std::function<void(const Check&)> on_check;            // each check as it ends
  std::function<void(const std::string&)> waiting;       // progress while waiting ("" = done)
};

CertifyResult run_certify(const CertifyOptions& options);

struct ExportOutcome {
  std::string path;
  size_t servers = 0;
  std::vector<std::string> notes;
};
common::Result<ExportOutcome> run_export(const EndpointOptions& endpoint, const std::string& path, uint64_t seed);

// `endpoint` may leave url and email empty: the ledger's header gives them. The route overrides
// in force when the ledger was written apply, then any in `endpoint.routes`.
common::Result<CleanupReport> run_cleanup(const std::string& ledger_path, EndpointOptions endpoint,
                                          const CleanupOptions& options);

}  // namespace dcisim::certify
