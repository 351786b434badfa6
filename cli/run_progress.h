// What `dcisim run` tells the person or the CI log while it runs.
// On a terminal: one progress line redrawn in place (scenarios done/total, steps, failures so far,
// elapsed), with each failure printed above it as it happens. Off a terminal (or --quiet): no
// redrawing, only plain lines a machine can read: "PASS suite/name" / "FAIL suite/name: ..."
// (--quiet keeps only the FAIL lines).
#pragma once

#include <cstddef>
#include <ostream>

#include "common/clock.h"
#include "scenarios/suite_runner.h"

namespace dcisim::cli {

class RunProgress final : public scenarios::ProgressSink {
 public:
  RunProgress(std::ostream& out, size_t total, bool terminal, bool quiet, const common::Clock& wall_clock);
  void step_done() override;
  void scenario_done(const reports::ScenarioResult& result) override;
  // Clears the progress line (terminal only).
  void finish();

 private:
  void redraw(bool force);
  void clear_line();

  std::ostream& out_;
  const size_t total_;
  const bool terminal_;
  const bool quiet_;
  const common::Clock& wall_clock_;
  const common::Instant started_;
  common::Instant last_draw_;
  size_t done_ = 0;
  size_t failed_ = 0;
  size_t steps_ = 0;
};

}  // namespace dcisim::cli
