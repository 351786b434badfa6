#include "cli/run_progress.h"

#include <cstdio>

#include "reports/failure_text.h"

namespace dcisim::cli {

namespace {

constexpr common::Duration kRedrawEvery = common::Duration::ms(100);
constexpr size_t kSummaryBytes = 400;

std::string seconds_text(common::Duration d) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1fs", static_cast<double>(d.count_ms()) / 1000.0);
  return buffer;
}

}  // namespace

RunProgress::RunProgress(std::ostream& out, size_t total, bool terminal, bool quiet, const common::Clock& wall_clock)
    : out_(out), total_(total), terminal_(terminal), quiet_(quiet), wall_clock_(wall_clock),
      started_(wall_clock.now()), last_draw_(started_) {
  if (terminal_) redraw(true);
}

void RunProgress::step_done() {
  ++steps_;
  if (terminal_) redraw(false);
}

void RunProgress::scenario_done(const reports::ScenarioResult& result) {
  ++done_;
  bool skipped = result.outcome == reports::ScenarioOutcome::skipped;
  bool passed = result.outcome == reports::ScenarioOutcome::passed || skipped;
  if (!passed) ++failed_;
  std::string id = result.suite + "/" + result.name;
  if (skipped) {
    if (terminal_) clear_line();
    if (terminal_ || !quiet_) out_ << "SKIP " << id << ": " << result.skip_reason << "\n";
    if (terminal_) redraw(true);
    out_.flush();
    return;
  }
  if (terminal_) {
    if (!passed) {
      clear_line();
      out_ << "FAIL " << id << ": " << reports::failure_summary(result, kSummaryBytes) << "\n";
    }
    redraw(true);
    return;
  }
  if (!passed) {
    out_ << "FAIL " << id << ": " << reports::failure_summary(result, kSummaryBytes) << "\n";
  } else if (!quiet_) {
    out_ << "PASS " << id << "\n";
  }
  out_.flush();
}

void RunProgress::finish() {
  if (terminal_) clear_line();
}

void RunProgress::redraw(bool force) {
  common::Instant now = wall_clock_.now();
  if (!force && now - last_draw_ < kRedrawEvery) return;
  last_draw_ = now;
  out_ << "\r\033[2K" << "dcisim run: " << done_ << "/" << total_ << " scenarios, " << steps_ << " steps, "
       << failed_ << (failed_ == 1 ? " failure" : " failures") << ", " << seconds_text(now - started_);
  out_.flush();
}

void RunProgress::clear_line() {
  out_ << "\r\033[2K";
  out_.flush();
}

}  // namespace dcisim::cli
