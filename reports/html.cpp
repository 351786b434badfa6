#include "reports/html.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "reports/failure_text.h"
#include "reports/file_output.h"
#include "reports/html_parts.h"
#include "reports/text.h"

namespace dcisim::reports {

namespace html_parts {

std::string esc(std::string_view text) { return markup_text(text); }
std::string esc_attr(std::string_view text) { return markup_attribute(text); }
std::string esc_block(std::string_view text, size_t max_bytes) {
  return markup_text(truncate_with_marker(text, max_bytes));
}

std::string scenario_anchor(const ScenarioResult& scenario) {
  constexpr size_t kMaxSlugBytes = 60;
  std::string key = scenario.suite + "/" + scenario.name;
  std::string slug;
  uint32_t hash = 2166136261u;  // FNV-1a: short, stable across runs and platforms
  for (char c : key) {
    hash = (hash ^ static_cast<unsigned char>(c)) * 16777619u;
    bool word = std::isalnum(static_cast<unsigned char>(c)) && static_cast<unsigned char>(c) < 0x80;
    if (word && slug.size() < kMaxSlugBytes) {
      slug += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!word && !slug.empty() && slug.back() != '-' && slug.size() < kMaxSlugBytes) {
      slug += '-';
    }
  }
  if (!slug.empty() && slug.back() != '-') slug += '-';
  char hex[16];
  std::snprintf(hex, sizeof hex, "%08x", hash);
  return "s-" + slug + hex;
}

const char* outcome_class(ScenarioOutcome outcome) { return scenario_outcome_name(outcome); }

std::string search_text(const ScenarioResult& s) {
  std::string text = s.suite + " " + s.name + " " + s.file + " " + scenario_outcome_name(s.outcome);
  for (const std::string& tag : s.tags) text += " " + tag;
  text = cut_to_bytes(text, 2048);
  // ASCII lower-casing only: the filter script lower-cases the query the same way for ASCII,
  // and non-ASCII letters compare as typed.
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string relative_time(common::Instant t, common::Instant origin) {
  common::Duration d = t - origin;
  std::string out = d.count_ms() < 0 ? "" : "+";
  out += common::format_duration(d);
  return out;
}

std::string status_name(std::string_view text) {
  size_t arrow = text.rfind("->");
  std::string_view rest = arrow == std::string_view::npos ? text : text.substr(arrow + 2);
  size_t start = rest.find_first_not_of(' ');
  std::string name;
  for (size_t i = start; i != std::string_view::npos && i < rest.size(); ++i) {
    char c = static_cast<char>(std::tolower(static_cast<unsigned char>(rest[i])));
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) break;
    name += c;
  }
  return name.empty() ? "unknown" : name;
}

namespace {
const char* pick(std::string_view value, std::initializer_list<const char*> known) {
  for (const char* k : known) {
    if (value == k) return k;
  }
  return "other";
}
}  // namespace

const char* status_class(std::string_view status) {
  return pick(status, {"ordered", "processing", "active", "suspended", "stopped", "deleted", "closed"});
}

const char* kind_class(std::string_view kind) {
  return pick(kind, {"status", "charge", "payment", "refund", "operation", "task", "step", "fault"});
}

}  // namespace html_parts

namespace {

using namespace html_parts;

// Failed and errored scenarios first, each group in run order.
std::vector<size_t> display_order(const RunResult& run) {
  std::vector<size_t> order;
  for (size_t i = 0; i < run.scenarios.size(); ++i) {
    if (run.scenarios[i].outcome != ScenarioOutcome::passed) order.push_back(i);
  }
  for (size_t i = 0; i < run.scenarios.size(); ++i) {
    if (run.scenarios[i].outcome == ScenarioOutcome::passed) order.push_back(i);
  }
  return order;
}

std::string verdict(const RunResult& run) {
  size_t failed = run.outcome_count(ScenarioOutcome::failed);
  size_t errors = run.outcome_count(ScenarioOutcome::error);
  std::string text = std::to_string(run.passed_count()) + " passed";
  if (failed > 0) text += ", " + std::to_string(failed) + " failed";
  if (errors > 0) text += ", " + std::to_string(errors) + " could not run";
  if (run.skipped_count() > 0) text += ", " + std::to_string(run.skipped_count()) + " skipped";
  return text + " of " + std::to_string(run.scenarios.size()) + " scenarios";
}

std::string page_head(const RunResult& run) {
  bool ok = run.failed_count() == 0;
  std::string title = ok ? "dcisim: all " + std::to_string(run.scenarios.size()) + " scenarios passed"
                         : "dcisim: " + std::to_string(run.failed_count()) + " of " +
                               std::to_string(run.scenarios.size()) + " scenarios failed";
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  // Self-contained by construction: the browser may not fetch anything, not even by accident.
  out += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
         "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<title>" + esc(title) + "</title>\n<style>" + std::string(stylesheet()) + "</style>\n";
  out += "</head>\n<body>\n";
  return out;
}

std::string summary(const RunResult& run) {
  bool ok = run.failed_count() == 0;
  std::string out = "<header class=\"banner " + std::string(ok ? "passed" : "failed") + "\">\n";
  out += "<h1>dcisim report</h1>\n<p class=\"verdict\">" +
         std::string(ok ? "PASSED" : "FAILED") + " &middot; " + esc(verdict(run)) + "</p>\n";
  out += "<dl class=\"facts\">";
  out += "<div><dt>run seed</dt><dd><code>" + std::to_string(run.seed) + "</code></dd></div>";
  out += "<div><dt>wall time</dt><dd>" + esc(human_wall_time(run.wall_us)) + "</dd></div>";
  out += "<div><dt>jobs</dt><dd>" + std::to_string(run.jobs) + "</dd></div>";
  if (run.started_at) {
    out += "<div><dt>started</dt><dd>" + esc(common::format_instant(*run.started_at)) + "</dd></div>";
  }
  if (!run.tool_version.empty()) {
    out += "<div><dt>tool</dt><dd>" + esc(run.tool_version) + "</dd></div>";
  }
  out += "</dl>\n</header>\n";
  return out;
}

std::string failures_list(const RunResult& run, const std::vector<size_t>& order) {
  if (run.failed_count() == 0) return "";
  std::string out = "<section class=\"failures\">\n<h2>Failures (" +
                    std::to_string(run.failed_count()) + ")</h2>\n<ol>\n";
  for (size_t i : order) {
    const ScenarioResult& s = run.scenarios[i];
    if (s.outcome == ScenarioOutcome::passed || s.outcome == ScenarioOutcome::skipped) continue;
    out += "<li><a href=\"#" + scenario_anchor(s) + "\"><span class=\"badge " +
           outcome_class(s.outcome) + "\">" + scenario_outcome_name(s.outcome) + "</span> " +
           "<span class=\"suite\">" + esc(s.suite) + " /</span> " + esc(s.name) + "</a>\n";
    out += "<div class=\"reason\">" + esc(failure_summary(s, 600)) + "</div>\n";
    if (s.failure && !s.failure->source.empty()) {
      out += "<pre class=\"source\">" + esc_block(s.failure->source, 4096) + "</pre>\n";
    }
    out += "<div class=\"replay\"><span>replay</span><code>" +
           esc(replay_command(s, run.seed)) + "</code></div></li>\n";
  }
  out += "</ol>\n</section>\n";
  return out;
}

std::string overview(const RunResult& run, const std::vector<size_t>& order) {
  std::string out = "<section class=\"overview\">\n<h2>Scenarios</h2>\n";
  // Shown by the script: without JavaScript the filter could not work.
  out += "<div id=\"controls\" class=\"controls\" hidden><input type=\"search\" id=\"filter\" "
         "placeholder=\"Filter by name, suite, tag or status\" aria-label=\"Filter scenarios\"> "
         "<label><input type=\"checkbox\" id=\"only-failed\"> failed only</label> "
         "<span id=\"shown\"></span></div>\n";
  out += "<table class=\"list\">\n<thead><tr><th>status</th><th>suite</th><th>scenario</th>"
         "<th>tags</th><th class=\"num\">steps</th><th>virtual time</th><th class=\"num\">wall"
         "</th></tr></thead>\n<tbody>\n";
  for (size_t i : order) {
    const ScenarioResult& s = run.scenarios[i];
    std::string tags;
    for (const std::string& tag : s.tags) tags += "<span class=\"tag\">" + esc(tag) + "</span>";
    out += "<tr data-search=\"" + esc_attr(search_text(s)) + "\" data-outcome=\"" +
           outcome_class(s.outcome) + "\"><td><span class=\"badge " + outcome_class(s.outcome) +
           "\">" + scenario_outcome_name(s.outcome) + "</span></td><td>" + esc(s.suite) +
           "</td><td><a href=\"#" + scenario_anchor(s) + "\">" + esc(s.name) + "</a></td><td>" +
           tags + "</td><td class=\"num\">" + std::to_string(s.steps.size()) + "</td><td>" +
           esc(common::format_duration(s.virtual_end - s.virtual_start)) +
           "</td><td class=\"num\">" + esc(human_wall_time(s.wall_us)) + "</td></tr>\n";
  }
  out += "</tbody>\n</table>\n</section>\n";
  return out;
}

// `page_bytes` is what precedes the scenario sections, counted against max_page_bytes.
std::string details(const RunResult& run, const std::vector<size_t>& order, const HtmlLimits& limits,
                    size_t page_bytes) {
  std::string out = "<main>\n";
  size_t shown = 0;
  for (size_t i : order) {
    bool over_count = shown == limits.max_detailed_scenarios;
    bool over_size = page_bytes + out.size() > limits.max_page_bytes;
    if (over_count || over_size) {
      out += "<p class=\"note\">Details of " + std::to_string(order.size() - shown) +
             " more scenarios are left out of this page (" +
             (over_count ? "at most " + std::to_string(limits.max_detailed_scenarios) + " scenarios"
                         : "page size limit") +
             "); results.json holds them.</p>\n";
      break;
    }
    out += scenario_section(run.scenarios[i], run.seed, limits);
    ++shown;
  }
  out += "</main>\n";
  return out;
}

}  // namespace

std::string html_report(const RunResult& run, const HtmlLimits& limits) {
  std::vector<size_t> order = display_order(run);
  std::string out = page_head(run);
  out += summary(run);
  out += failures_list(run, order);
  out += overview(run, order);
  out += details(run, order, limits, out.size());
  out += "<footer>Generated by " + esc(run.tool_version.empty() ? "dcisim" : run.tool_version) +
         ". Times on timelines are virtual (the scenario's clock); wall times are real. This page "
         "is self-contained; results.json beside it holds the same data.</footer>\n";
  out += "<script>" + std::string(script()) + "</script>\n</body>\n</html>\n";
  return out;
}

common::Status write_html_report(const RunResult& run, const std::string& path,
                                 const HtmlLimits& limits) {
  return write_file_atomically(path, html_report(run, limits));
}

}  // namespace dcisim::reports
