// Undoing what a ledger says a run changed on a DCImanager (`dcisim certify --cleanup LEDGER`, and
// the live target after every scenario and at the end of a run, also after a failure or Ctrl-C).
// Idempotent: it looks at the live state and changes only what still differs, so it may run any
// number of times, after a crash at any point. It touches only what the ledger names:
//   - a server the run changed and that is held by a user the run created is resumed if needed,
//     released, waited for (diagnostics, in real time, bounded), and brought back to the power and
//     port state it had before; a server held by anybody else is left alone and reported;
//   - a user the run created is deleted (found by e-mail: its id may have been lost in a crash).
// The outcome is appended to the ledger: "done" when nothing is left to undo.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "billing/dci6/client.h"
#include "billing/dci6/server_facts.h"
#include "certify/ledger.h"
#include "certify/real_time.h"
#include "common/time.h"

namespace dcisim::certify {

struct CleanupOptions {
  common::Duration timeout = common::Duration::minutes(90);  // real time per server (diagnostics)
  common::Duration poll = common::Duration::ms(500);  // the first look again (PollSchedule)
  const StopSignal* stop = nullptr;                          // may be null
  std::function<void(const std::string&)> on_action;         // each thing undone, as it happens
};

struct CleanupReport {
  std::vector<std::string> actions;   // "released server 5 from alice@example.com"
  std::vector<std::string> problems;  // what could not be undone, and why
  bool ok() const { return problems.empty(); }
};

// An operation is running on the server (an install, diagnostics, or a timed suspend, resume,
// power change or release: state suspending/resuming/releasing): look again later.
bool settling(const billing::dci6::ServerFacts& server);

// `client` talks to the ledger's endpoint with the ledger's routes (not through a safety net:
// the cleanup checks every server and user against the ledger itself).
CleanupReport cleanup_ledger(Ledger& ledger, billing::dci6::Dci6Client& client, const CleanupOptions& options);

}  // namespace dcisim::certify
