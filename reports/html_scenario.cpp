// One scenario's section of report.html: facts, failure, timeline, steps, events, journal.
#include "reports/failure_text.h"
#include "reports/html_parts.h"
#include "reports/text.h"

namespace dcisim::reports::html_parts {

namespace {

std::string fact(const char* name, const std::string& value_html) {
  return "<div><dt>" + std::string(name) + "</dt><dd>" + value_html + "</dd></div>";
}

std::string facts(const ScenarioResult& s, uint64_t run_seed) {
  std::string tags;
  for (const std::string& tag : s.tags) tags += "<span class=\"tag\">" + esc(tag) + "</span>";
  std::string out = "<dl class=\"facts\">";
  if (!s.file.empty()) out += fact("file", "<code>" + esc(s.file) + "</code>");
  bool file_error = s.failure && s.failure->file_error;  // nothing ran: no seed to speak of
  if (!file_error) out += fact("seed", "<code>" + std::to_string(s.seed) + "</code>");
  if (!tags.empty()) out += fact("tags", tags);
  // A scenario that could not run has no virtual time worth showing.
  bool ran = !s.steps.empty() || s.virtual_end != s.virtual_start;
  if (ran) out += fact("virtual time", esc(common::format_instant(s.virtual_start)) + " &rarr; " +
                                  esc(common::format_instant(s.virtual_end)) + " (" +
                                  esc(common::format_duration(s.virtual_end - s.virtual_start)) + ")");
  out += fact("wall time", esc(human_wall_time(s.wall_us)));
  if (!s.digest.empty()) out += fact("digest", "<code>" + esc(s.digest) + "</code>");
  out += "</dl>\n";
  if (s.outcome != ScenarioOutcome::passed) {
    out += "<div class=\"replay\"><span>replay</span><code>" + esc(replay_command(s, run_seed)) +
           "</code></div>\n";
  }
  return out;
}

std::string labelled_pre(const char* label, const std::string& text, const HtmlLimits& limits) {
  if (text.empty()) return "<div><h4>" + std::string(label) + "</h4><p class=\"none\">none recorded</p></div>";
  return "<div><h4>" + std::string(label) + "</h4><pre>" + esc_block(text, limits.max_text_bytes) +
         "</pre></div>";
}

std::string failure_block(const ScenarioResult& s, const HtmlLimits& limits) {
  if (s.outcome == ScenarioOutcome::passed) return "";
  if (s.outcome == ScenarioOutcome::skipped) {
    return "<div class=\"skipped\">\n<h3>Skipped</h3>\n<p class=\"message\">" +
           esc(cut_to_bytes(s.skip_reason, limits.max_text_bytes)) + "</p>\n</div>\n";
  }
  std::string out = "<div class=\"failure\">\n";
  if (!s.failure) {
    out += "<h3>" + esc(failure_summary(s, 600)) + "</h3>\n</div>\n";
    return out;
  }
  const Failure& f = *s.failure;
  if (f.file_error) {
    out += "<h3>Invalid scenario file</h3>\n";
  } else {
    out += "<h3>" + std::string(s.outcome == ScenarioOutcome::error ? "Could not run" : "Failed") +
           " at step " + std::to_string(f.step_index) + "</h3>\n";
  }
  std::string where = failure_location(s);
  if (f.at.known()) {
    out += "<p class=\"where\"><code>" + esc(where) + "</code>" +
           (f.pointer.empty() ? "" : " <span class=\"pointer\">" + esc(f.pointer) + "</span>") + "</p>\n";
  }
  out += "<p class=\"message\">" + esc(cut_to_bytes(f.message, limits.max_text_bytes)) + "</p>\n";
  if (!f.source.empty()) {
    out += "<h4>" + std::string(f.file_error ? "In the file" : "The step as written") + "</h4>\n<pre class=\"source\">" +
           esc_block(f.source, limits.max_text_bytes) + "</pre>\n";
  } else if (!f.step_text.empty()) {
    out += "<pre class=\"step\">" + esc_block(f.step_text, limits.max_text_bytes) + "</pre>\n";
  }
  if (!f.expected.empty() || !f.found.empty()) {
    out += "<div class=\"pair\">" + labelled_pre("Expected", f.expected, limits) +
           labelled_pre("Found", f.found, limits) + "</div>\n";
  }
  if (!f.request.empty() || !f.response.empty()) {
    out += "<div class=\"pair\">" + labelled_pre("Request", f.request, limits) +
           labelled_pre("Response", f.response, limits) + "</div>\n";
  }
  if (!f.last_requests.empty()) {
    out += "<h4>Last emulator requests before the failure</h4>\n" +
           journal_table(f.last_requests, s.virtual_start, limits.max_journal_rows, "journal");
  }
  out += "</div>\n";
  return out;
}

std::string steps_table(const ScenarioResult& s, const HtmlLimits& limits) {
  std::string out = "<h3>Steps</h3>\n";
  if (s.steps.empty()) return out + "<p class=\"none\">No steps ran.</p>\n";
  out += "<table class=\"steps\"><thead><tr><th class=\"num\">#</th><th class=\"num\">line</th><th>virtual time"
         "</th><th>step</th><th>outcome</th><th class=\"num\">wall</th></tr></thead><tbody>\n";
  size_t rows = std::min(s.steps.size(), limits.max_step_rows);
  for (size_t i = 0; i < rows; ++i) {
    const StepRecord& step = s.steps[i];
    const char* outcome = step_outcome_name(step.outcome);
    out += "<tr class=\"" + std::string(outcome) + "\"><td class=\"num\">" +
           std::to_string(step.index) + "</td><td class=\"num\">" +
           (step.at.known() ? std::to_string(step.at.line) : std::string()) + "</td><td title=\"" +
           esc_attr(common::format_instant(step.virtual_at)) + "\">" +
           esc(relative_time(step.virtual_at, s.virtual_start)) + "</td><td class=\"mono\">" +
           esc(cut_to_bytes(step.text, 600)) + "</td><td><span class=\"badge " + outcome + "\">" +
           outcome + "</span></td><td class=\"num\">" + esc(human_wall_time(step.wall_us)) +
           "</td></tr>\n";
  }
  out += "</tbody></table>\n";
  if (rows < s.steps.size()) {
    out += "<p class=\"note\">Showing the first " + std::to_string(rows) + " of " +
           std::to_string(s.steps.size()) + " steps.</p>\n";
  }
  return out;
}

std::string events_table(const ScenarioResult& s, const HtmlLimits& limits) {
  if (s.timeline.empty()) return "";
  size_t rows = std::min(s.timeline.size(), limits.max_event_rows);
  std::string out = "<details class=\"more\"><summary>Events (" + std::to_string(s.timeline.size()) +
                    ")</summary>\n<table class=\"events\"><thead><tr><th>virtual time</th><th>lane"
                    "</th><th>kind</th><th>what</th></tr></thead><tbody>\n";
  for (size_t i = 0; i < rows; ++i) {
    const TimelineEvent& e = s.timeline[i];
    out += "<tr><td title=\"" + esc_attr(common::format_instant(e.at)) + "\">" +
           esc(relative_time(e.at, s.virtual_start)) + "</td><td>" + esc(cut_to_bytes(e.lane, 200)) +
           "</td><td><span class=\"kind k-" + kind_class(e.kind) + "\">" +
           esc(cut_to_bytes(e.kind, 40)) + "</span></td><td>" + esc(cut_to_bytes(e.text, 600)) +
           "</td></tr>\n";
  }
  out += "</tbody></table>\n";
  if (rows < s.timeline.size()) {
    out += "<p class=\"note\">Showing the first " + std::to_string(rows) + " of " +
           std::to_string(s.timeline.size()) + " events.</p>\n";
  }
  return out + "</details>\n";
}

}  // namespace

std::string journal_table(const std::vector<JournalLine>& lines, common::Instant origin, size_t max_rows,
                          const char* css_class) {
  // The last rows matter most (they lead up to the end or the failure): keep the tail.
  std::vector<RequestRun> runs = fold_requests(lines);
  size_t first = runs.size() > max_rows ? runs.size() - max_rows : 0;
  std::string out;
  if (first > 0) {
    out += "<p class=\"note\">Showing the last " + std::to_string(max_rows) + " of " + std::to_string(runs.size()) +
           " rows (" + std::to_string(lines.size()) + " requests).</p>\n";
  }
  out += "<table class=\"" + std::string(css_class) + "\"><thead><tr><th>virtual time</th><th>"
         "method</th><th>target</th><th class=\"num\">status</th><th class=\"num\">times</th>"
         "<th class=\"num\">served in</th></tr></thead><tbody>\n";
  for (size_t i = first; i < runs.size(); ++i) {
    const RequestRun& run = runs[i];
    const JournalLine& line = run.first;
    bool bad = line.status >= 400 || line.status == 0;
    std::string when = common::format_instant(line.at);
    if (run.count > 1) when += " .. " + common::format_instant(run.last_at);
    out += "<tr" + std::string(bad ? " class=\"bad\"" : "") + "><td title=\"" + esc_attr(when) + "\">" +
           esc(relative_time(line.at, origin)) + "</td><td>" + esc(line.method) + "</td><td class=\"mono\">" +
           esc(cut_to_bytes(line.target, 400)) + "</td><td class=\"num\">" + std::to_string(line.status) +
           "</td><td class=\"num\">" + (run.count > 1 ? "&times;" + std::to_string(run.count) : "") +
           "</td><td class=\"num\">" + esc(human_wall_time(line.duration_us)) + "</td></tr>\n";
  }
  out += "</tbody></table>\n";
  return out;
}

std::string scenario_section(const ScenarioResult& s, uint64_t run_seed, const HtmlLimits& limits) {
  const char* outcome = outcome_class(s.outcome);
  bool open = s.outcome != ScenarioOutcome::passed;
  std::string out = "<section class=\"scenario " + std::string(outcome) + "\" id=\"" +
                    scenario_anchor(s) + "\" data-search=\"" + esc_attr(search_text(s)) +
                    "\" data-outcome=\"" + outcome + "\">\n<details" + (open ? " open" : "") + ">\n";
  out += "<summary><span class=\"badge " + std::string(outcome) + "\">" + outcome +
         "</span> <span class=\"suite\">" + esc(s.suite) + " /</span> <span class=\"name\">" +
         esc(s.name) + "</span> <span class=\"meta\">" + std::to_string(s.steps.size()) +
         " steps &middot; " + esc(common::format_duration(s.virtual_end - s.virtual_start)) +
         " virtual &middot; " + esc(human_wall_time(s.wall_us)) + "</span></summary>\n";
  // A failure first: it is what the reader came for.
  out += "<div class=\"body\">\n" + failure_block(s, limits) + facts(s, run_seed);
  out += "<h3>Timeline</h3>\n" + timeline_svg(s, limits) + events_table(s, limits);
  out += steps_table(s, limits);
  if (!s.journal.empty()) {
    out += "<details class=\"more\"><summary>Emulator requests (" + std::to_string(s.journal.size()) +
           ")</summary>\n" + journal_table(s.journal, s.virtual_start, limits.max_journal_rows, "journal") +
           "</details>\n";
  }
  out += "</div>\n</details>\n</section>\n";
  return out;
}

}  // namespace dcisim::reports::html_parts
