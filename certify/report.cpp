#include "certify/report.h"

#include <cstdio>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "reports/file_output.h"
#include "reports/text.h"

namespace dcisim::certify {

namespace {

using OJson = nlohmann::ordered_json;
using reports::markup_attribute;
using reports::markup_text;

constexpr size_t kAttributeBytes = 1024;
constexpr size_t kBlockBytes = 16 * 1024;

std::string attr(const std::string& text) { return markup_attribute(reports::cut_to_bytes(text, kAttributeBytes)); }
std::string block(const std::string& text) { return markup_text(reports::truncate_with_marker(text, kBlockBytes)); }

std::string ms(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", value);
  return text;
}

// Groups in the order their first check appears.
std::vector<std::string> groups_of(const CertifyResult& result) {
  std::vector<std::string> groups;
  for (const Check& check : result.checks) {
    if (std::find(groups.begin(), groups.end(), check.group) == groups.end()) groups.push_back(check.group);
  }
  return groups;
}

std::string check_text(const Check& check) {
  std::string text = "why: " + check.why + "\n";
  if (!check.message.empty()) text += "message: " + check.message + "\n";
  if (!check.sent.empty()) text += "sent:\n" + check.sent + "\n";
  if (!check.received.empty()) text += "received:\n" + check.received + "\n";
  return text;
}

}  // namespace

std::string certify_junit_xml(const CertifyResult& result) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<testsuites name=\"dcisim certify\" tests=\"" + std::to_string(result.checks.size()) + "\" failures=\"" +
         std::to_string(result.count(CheckOutcome::fail)) + "\" errors=\"0\" time=\"" + reports::seconds_3dp(result.wall_us) + "\">\n";
  for (const std::string& group : groups_of(result)) {
    size_t tests = 0, failures = 0, skipped = 0;
    int64_t wall = 0;
    for (const Check& check : result.checks) {
      if (check.group != group) continue;
      ++tests;
      failures += check.outcome == CheckOutcome::fail ? 1 : 0;
      skipped += check.outcome == CheckOutcome::skip ? 1 : 0;
      wall += check.wall_us;
    }
    out += "  <testsuite name=\"certify." + attr(group) + "\" tests=\"" + std::to_string(tests) + "\" failures=\"" +
           std::to_string(failures) + "\" errors=\"0\" skipped=\"" + std::to_string(skipped) + "\" time=\"" +
           reports::seconds_3dp(wall) + "\">\n";
    out += "    <properties>\n      <property name=\"endpoint\" value=\"" + attr(result.endpoint) + "\"/>\n";
    out += "      <property name=\"seed\" value=\"" + std::to_string(result.seed) + "\"/>\n    </properties>\n";
    for (const Check& check : result.checks) {
      if (check.group != group) continue;
      out += "    <testcase classname=\"certify." + attr(group) + "\" name=\"" + attr(check.name) + "\" time=\"" +
             reports::seconds_3dp(check.wall_us) + "\">\n";
      if (check.outcome == CheckOutcome::fail) {
        out += "      <failure message=\"" + attr(check.message) + "\" type=\"dcisim.certify\">" + block(check_text(check)) +
               "</failure>\n";
      } else if (check.outcome == CheckOutcome::skip) {
        out += "      <skipped message=\"" + attr(check.message) + "\"/>\n";
      }
      out += "      <system-out>" + block(check_text(check)) + "</system-out>\n";
      out += "    </testcase>\n";
    }
    out += "  </testsuite>\n";
  }
  out += "</testsuites>\n";
  return out;
}

std::string certify_results_json(const CertifyResult& result) {
  OJson j = OJson::object();
  j["format"] = "dcisim-certify-results";
  j["format_version"] = 1;
  j["tool_version"] = result.tool_version;
  j["endpoint"] = result.endpoint;
  j["admin_email"] = result.admin_email;
  j["seed"] = std::to_string(result.seed);
  j["routes_file"] = result.routes_file;
  j["ledger"] = result.ledger;
  j["wall_us"] = result.wall_us;
  j["summary"] = {{"total", result.checks.size()}, {"passed", result.count(CheckOutcome::pass)},
                  {"failed", result.count(CheckOutcome::fail)}, {"skipped", result.count(CheckOutcome::skip)}};
  j["checks"] = OJson::array();
  for (const Check& c : result.checks) {
    j["checks"].push_back({{"group", c.group}, {"name", c.name}, {"outcome", check_outcome_name(c.outcome)},
                           {"message", c.message}, {"why", c.why}, {"sent", c.sent}, {"received", c.received},
                           {"wall_us", c.wall_us}});
  }
  j["routes"] = OJson::array();
  for (const RouteVerdict& r : result.routes) {
    OJson route = {{"name", r.name}, {"route", r.route}, {"assumed", r.assumed}, {"from_routes_file", r.overridden}};
    route["held"] = r.held ? OJson(*r.held) : OJson(nullptr);
    route["detail"] = r.detail;
    j["routes"].push_back(route);
  }
  j["latency"] = OJson::array();
  for (const LatencyRow& l : result.latency) {
    j["latency"].push_back({{"route", l.route}, {"samples", l.samples}, {"p50_ms", l.p50_ms}, {"p95_ms", l.p95_ms}, {"max_ms", l.max_ms}});
  }
  if (result.compare) {
    OJson compare = {{"inventory", result.compare->inventory}, {"probes", result.compare->probes}, {"differences", OJson::array()}};
    for (const Difference& d : result.compare->differences) {
      compare["differences"].push_back({{"probe", d.probe}, {"path", d.path}, {"live", d.live}, {"emulator", d.emulator}});
    }
    j["compare"] = compare;
  } else {
    j["compare"] = nullptr;
  }
  return j.dump(2, ' ', false, OJson::error_handler_t::replace) + "\n";
}

std::string certify_html(const CertifyResult& result) {
  bool ok = result.passed();
  std::string title = std::string("dcisim certify: ") + (ok ? "PASSED" : "FAILED") + " · " + result.endpoint;
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n";
  out += "<title>" + markup_text(title) + "</title>\n<style>"
         "body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#1f2328}"
         "h1{font-size:20px}h2{font-size:16px;margin-top:28px}"
         "table{border-collapse:collapse;width:100%;margin:8px 0}td,th{border:1px solid #d0d7de;padding:4px 8px;"
         "vertical-align:top;text-align:left}th{background:#f6f8fa}"
         "pre{margin:0;white-space:pre-wrap;word-break:break-all;font:12px ui-monospace,monospace;max-height:16em;overflow:auto}"
         ".passed{color:#1a7f37}.failed{color:#cf222e;font-weight:600}.skipped{color:#6e7781;font-style:italic}"
         ".banner{padding:10px 14px;border-radius:6px}.banner.ok{background:#dafbe1}.banner.bad{background:#ffebe9}"
         ".num{text-align:right}.why{color:#57606a}"
         "</style>\n</head>\n<body>\n";
  out += "<h1>DCImanager 6 certification</h1>\n<p class=\"banner " + std::string(ok ? "ok" : "bad") + "\"><b>" +
         (ok ? "PASSED" : "FAILED") + "</b> · " + std::to_string(result.count(CheckOutcome::pass)) + " passed, " +
         std::to_string(result.count(CheckOutcome::fail)) + " failed, " + std::to_string(result.count(CheckOutcome::skip)) +
         " skipped of " + std::to_string(result.checks.size()) + " checks</p>\n";
  out += "<p>endpoint <code>" + markup_text(result.endpoint) + "</code> · administrator <code>" +
         markup_text(result.admin_email) + "</code> · seed <code>" + std::to_string(result.seed) + "</code> · routes: " +
         markup_text(result.routes_file.empty() ? "the built-in table" : result.routes_file) +
         (result.ledger.empty() ? "" : " · ledger <code>" + markup_text(result.ledger) + "</code>") + " · " +
         markup_text(reports::human_wall_time(result.wall_us)) + "</p>\n";

  out += "<h2>Checks</h2>\n<table>\n<thead><tr><th>outcome</th><th>group</th><th>check</th><th>why it matters to billing</th>"
         "<th>sent</th><th>came back</th></tr></thead>\n<tbody>\n";
  for (const Check& c : result.checks) {
    out += "<tr><td class=\"" + std::string(check_outcome_name(c.outcome)) + "\">" + check_outcome_name(c.outcome) +
           "</td><td>" + markup_text(c.group) + "</td><td>" + markup_text(c.name) +
           (c.message.empty() ? "" : "<br><small>" + block(c.message) + "</small>") + "</td><td class=\"why\">" +
           markup_text(c.why) + "</td><td><pre>" + block(c.sent) + "</pre></td><td><pre>" + block(c.received) +
           "</pre></td></tr>\n";
  }
  out += "</tbody>\n</table>\n";

  out += "<h2>The module's route table</h2>\n<table>\n<thead><tr><th>route</th><th>call</th><th>source</th><th>held</th>"
         "<th>came back</th></tr></thead>\n<tbody>\n";
  for (const RouteVerdict& r : result.routes) {
    std::string held = !r.held ? "not probed" : (*r.held ? "held" : "FAILED");
    std::string css = !r.held ? "skipped" : (*r.held ? "passed" : "failed");
    out += "<tr><td>" + markup_text(r.name) + "</td><td><code>" + markup_text(r.route) + "</code></td><td>" +
           (r.overridden ? "--routes" : (r.assumed ? "built-in (ASSUMED)" : "built-in (documented)")) + "</td><td class=\"" +
           css + "\">" + held + "</td><td><pre>" + block(r.detail) + "</pre></td></tr>\n";
  }
  out += "</tbody>\n</table>\n";

  out += "<h2>Latency per route</h2>\n<table>\n<thead><tr><th>route</th><th class=\"num\">samples</th><th class=\"num\">p50 ms"
         "</th><th class=\"num\">p95 ms</th><th class=\"num\">max ms</th></tr></thead>\n<tbody>\n";
  for (const LatencyRow& l : result.latency) {
    out += "<tr><td>" + markup_text(l.route) + "</td><td class=\"num\">" + std::to_string(l.samples) + "</td><td class=\"num\">" +
           ms(l.p50_ms) + "</td><td class=\"num\">" + ms(l.p95_ms) + "</td><td class=\"num\">" + ms(l.max_ms) + "</td></tr>\n";
  }
  out += "</tbody>\n</table>\n";

  if (result.compare) {
    const CompareResult& c = *result.compare;
    out += "<h2>Live system and emulator compared</h2>\n<p>" + std::to_string(c.probes) + " probes; the emulator's inventory: " +
           markup_text(c.inventory) + ". " + std::to_string(c.differences.size()) + " differences" +
           (c.differences.empty() ? "." : " (ids and times are aliases; each row is a fidelity fix to send upstream):") + "</p>\n";
    if (!c.differences.empty()) {
      out += "<table>\n<thead><tr><th>probe</th><th>field</th><th>live</th><th>emulator</th></tr></thead>\n<tbody>\n";
      for (const Difference& d : c.differences) {
        out += "<tr><td>" + markup_text(d.probe) + "</td><td><code>" + markup_text(d.path) + "</code></td><td>" +
               markup_text(d.live) + "</td><td>" + markup_text(d.emulator) + "</td></tr>\n";
      }
      out += "</tbody>\n</table>\n";
    }
  }
  out += "</body>\n</html>\n";
  return out;
}

common::Status write_certify_reports(const CertifyResult& result, const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  DCISIM_RETURN_IF_ERROR(reports::write_file_atomically(dir + "/junit.xml", certify_junit_xml(result)));
  DCISIM_RETURN_IF_ERROR(reports::write_file_atomically(dir + "/results.json", certify_results_json(result)));
  return reports::write_file_atomically(dir + "/report.html", certify_html(result));
}

}  // namespace dcisim::certify
