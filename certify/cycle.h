// certify --allow-server ID: the full destructive cycle on one server, through the safety net, so
// that every change is announced in the teardown ledger before it is sent: create a DCImanager
// user, issue the server to it, check its address comes from the pool the documented order
// gives, add and remove an address, install an OS and wait for it (real time, bounded), suspend,
// resume, power off and on, release it and wait until it is for sale again, delete the user, and
// check the server is as it was. The first failure stops the cycle; the cleanup (cleanup_ledger)
// runs whatever happened, and is itself a check.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "certify/checks.h"
#include "certify/endpoint.h"
#include "certify/ledger.h"
#include "certify/probes.h"
#include "certify/real_time.h"
#include "certify/session.h"
#include "common/http.h"

namespace dcisim::certify {

struct CycleOptions {
  int64_t server_id = 0;
  uint64_t seed = 1;
  common::Duration timeout_op = common::Duration::minutes(90);
  common::Duration poll = common::Duration::ms(500);  // the first look again (PollSchedule)
  const StopSignal* stop = nullptr;
  std::function<void(const std::string&)> waiting;  // progress while waiting ("" = done)
  std::function<void(const Check&)> on_check;       // each check as it ends (progress lines)
  const EndpointFacts* facts = nullptr;             // the read-only probes' findings (pools)
};

// `transport` is the endpoint behind a SafetyNet that allows options.server_id and writes to
// `ledger`. The checks, in order; latencies land in `session`'s table.
std::vector<Check> run_cycle(common::HttpTransport& transport, ProbeSession& session, Ledger& ledger,
                             const CycleOptions& options);

}  // namespace dcisim::certify
