// Internal to reports/: the pieces report.html is assembled from. html.cpp lays out the page,
// html_scenario.cpp one scenario's section, html_timeline.cpp its SVG timeline, html_assets.cpp
// the inline stylesheet and script.
#pragma once

#include <string>
#include <string_view>

#include "reports/html.h"
#include "reports/results.h"

namespace dcisim::reports::html_parts {

// Escaped text and attribute values (see text.h).
std::string esc(std::string_view text);
std::string esc_attr(std::string_view text);
// Escaped and cut to `max_bytes` with a truncation marker.
std::string esc_block(std::string_view text, size_t max_bytes);

// "s-suite-suspend-on-expiry-1f0e9a2b": a scenario's anchor, from its suite and name only (a slug
// and a hash of both), so that a link to it stays good from one run to the next.
std::string scenario_anchor(const ScenarioResult& scenario);
// "passed" / "failed" / "error": CSS class and data-outcome value.
const char* outcome_class(ScenarioOutcome outcome);
// Lower-cased suite, name, file, tags and outcome, for the filter box.
std::string search_text(const ScenarioResult& scenario);
// Offset from the scenario's start: "+0s", "+20m", "+31d1m"; negative offsets "-5m".
std::string relative_time(common::Instant t, common::Instant origin);

// The status a "status" event moves to: "active -> suspended (auto)" -> "suspended";
// "ordered" -> "ordered". Lower-case letters, digits and '_' only.
std::string status_name(std::string_view event_text);
// CSS class suffixes from fixed lists ("other" for anything else), so user text never becomes
// a class name: statuses ordered, processing, active, suspended, stopped, deleted, closed; kinds
// status, charge, payment, refund, operation, task, step, fault.
const char* status_class(std::string_view status);
const char* kind_class(std::string_view kind);

std::string scenario_section(const ScenarioResult& scenario, uint64_t run_seed, const HtmlLimits& limits);
// A request journal as a table, repeats folded (`GET /api/dci/v3/server/1` polled twenty times is
// one row "x20"); the last `max_rows` rows.
std::string journal_table(const std::vector<JournalLine>& lines, common::Instant origin, size_t max_rows,
                          const char* css_class);
std::string timeline_svg(const ScenarioResult& scenario, const HtmlLimits& limits);

const char* stylesheet();
const char* script();

}  // namespace dcisim::reports::html_parts
