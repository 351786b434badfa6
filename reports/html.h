// report.html: one self-contained page for a person (inline CSS, a few lines of inline JS for the
// filter box, inline SVG timelines; no network, no external fonts, a Content-Security-Policy that
// forbids fetching anything). Contents:
//   - a summary: verdict, counts, run seed, wall time, and for every failure its one-line reason
//     and the replay command (`dcisim run <file> --seed <seed>`);
//   - a filter box (name, suite, tag or status; "failed only") and an overview table;
//   - per scenario, failed and errored first: status, tags, seed, the failure (step, expected,
//     found, request, response, last emulator requests), a timeline on the virtual time axis
//     (a lane per client, service and the emulator; service statuses as coloured spans; charges,
//     payments, operations as marks with tooltips), the steps table, the events and the journal.
// Every text from the run is escaped. Sizes are bounded by HtmlLimits and the page says when it
// shows less than the run holds. The page is a pure function of the RunResult.
#pragma once

#include <cstddef>
#include <string>

#include "common/result.h"
#include "reports/results.h"

namespace dcisim::reports {

struct HtmlLimits {
  size_t max_timeline_events = 400;    // marks drawn in one scenario's timeline
  size_t max_timeline_lanes = 24;      // lanes drawn; events of further lanes are left out
  size_t max_event_rows = 1000;        // rows of one scenario's events table
  size_t max_step_rows = 1000;         // rows of one scenario's steps table
  size_t max_journal_rows = 200;       // rows of one scenario's request journal table
  size_t max_text_bytes = 16 * 1024;   // one text block: step, expected, found, request, response
  size_t max_detailed_scenarios = 2000;  // further scenarios appear in the overview table only
  // Once the page passes this size, the remaining scenarios (passed ones come last) appear in the
  // overview table only: browsers struggle with pages of hundreds of megabytes.
  size_t max_page_bytes = 48 * 1024 * 1024;
};

std::string html_report(const RunResult& run, const HtmlLimits& limits = {});

// Writes html_report(run) to `path` (whole or not at all, see file_output.h).
common::Status write_html_report(const RunResult& run, const std::string& path,
                                 const HtmlLimits& limits = {});

}  // namespace dcisim::reports
