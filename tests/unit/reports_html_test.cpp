// Specification of reports/html.h: the self-contained report.html.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "reports/html.h"
#include "reports/html_parts.h"
#include "reports_sample.h"

using namespace dcisim::reports;
using namespace dcisim::reports::testing;

namespace {

size_t count(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
  return n;
}

bool has(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("the report names every scenario and says how the run went", "[unit][reports][html]") {
  std::string html = html_report(sample_run());
  CHECK(has(html, "<title>dcisim: 2 of 3 scenarios failed</title>"));
  CHECK(has(html, "FAILED &middot; 1 passed, 1 failed, 1 could not run of 3 scenarios"));
  CHECK(has(html, "order to active"));
  CHECK(has(html, "suspend on expiry"));
  CHECK(has(html, "<code>42</code>"));                    // run seed
  CHECK(has(html, "<code>18446744073709551557</code>"));  // scenario seed, all 64 bits
  CHECK(has(html, "2.600 s"));                            // run wall time
}

TEST_CASE("a failure shows the step, expected and found, request and response, and the replay command", "[unit][reports][html]") {
  std::string html = html_report(sample_run());
  CHECK(has(html, "Failed at step 2"));
  CHECK(has(html, "expect {&quot;service&quot;:&quot;s1&quot;,&quot;status&quot;:&quot;active&quot;}"));
  CHECK(has(html, "expect: service s1 status: expected active, found processing"));
  CHECK(has(html, "<h4>Expected</h4><pre>active</pre>"));
  CHECK(has(html, "<h4>Found</h4><pre>processing (operation open, attempt 3)</pre>"));
  CHECK(has(html, "<h4>Request</h4><pre>GET /api/dci/v3/server/3</pre>"));
  CHECK(has(html, "503 {&quot;error&quot;"));
  CHECK(has(html, "Last emulator requests before the failure"));
  CHECK(has(html, "dcisim run &#39;scenarios/suite/suspend on expiry.json&#39; --seed 42"));
}

TEST_CASE("a failure's details come first: where it is in the file and the step as written", "[unit][reports][html]") {
  std::string html = html_report(sample_run());
  CHECK(has(html, "<p class=\"where\"><code>scenarios/suite/suspend on expiry.json:12:33</code> "
                  "<span class=\"pointer\">/steps/2/expect/status</span></p>"));
  CHECK(has(html, "<h4>The step as written</h4>\n<pre class=\"source\">&gt; 12 |     {&quot;expect&quot;"));
  // In the list of failures at the top too, and inside the section before the facts.
  CHECK(count(html, "<pre class=\"source\">&gt; 12 |") == 2);
  size_t section = html.find("<section class=\"scenario failed\"");
  CHECK(html.find("<div class=\"failure\">", section) < html.find("<dl class=\"facts\">", section));
  // Repeated polls fold into one row with a count.
  CHECK(has(html, "<td class=\"mono\">/api/dci/v3/server/3</td><td class=\"num\">503</td><td class=\"num\">&times;3</td>"));
  CHECK(has(html, "<th class=\"num\">line</th>"));
  CHECK(has(html, "<td class=\"num\">12</td>"));
}

TEST_CASE("anchors come from the suite and the name, not the position in the run", "[unit][reports][html]") {
  std::string failed = html_parts::scenario_anchor(sample_failed());
  CHECK(failed.rfind("s-suite-suspend-on-expiry-", 0) == 0);
  CHECK(failed.size() == std::string("s-suite-suspend-on-expiry-").size() + 8);
  RunResult reordered = sample_run();
  std::swap(reordered.scenarios[0], reordered.scenarios[1]);
  for (const RunResult& run : {sample_run(), reordered}) {
    CHECK(has(html_report(run), "<section class=\"scenario failed\" id=\"" + failed + "\""));
  }
  std::string hostile = html_parts::scenario_anchor(sample_hostile());
  CHECK(hostile.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") == std::string::npos);
  ScenarioResult other = sample_failed();
  other.name = "suspend on expiry!";  // the same slug, another scenario: the hash tells them apart
  CHECK(html_parts::scenario_anchor(other) != failed);
}

TEST_CASE("failed and errored scenarios come before passed ones", "[unit][reports][html]") {
  std::string html = html_report(sample_run());
  std::string failed_id = html_parts::scenario_anchor(sample_failed());
  size_t failed = html.find("<section class=\"scenario failed\" id=\"" + failed_id + "\"");
  size_t error = html.find("<section class=\"scenario error\" id=\"" + html_parts::scenario_anchor(sample_hostile()) + "\"");
  size_t passed = html.find("<section class=\"scenario passed\" id=\"" + html_parts::scenario_anchor(sample_passed()) + "\"");
  REQUIRE(failed != std::string::npos);
  REQUIRE(error != std::string::npos);
  REQUIRE(passed != std::string::npos);
  CHECK(failed < error);
  CHECK(error < passed);
  CHECK(has(html, "<section class=\"scenario failed\" id=\"" + failed_id + "\" data-search=\"suite suspend on expiry"));
  CHECK(has(html, "<details open>"));  // failures are expanded
}

TEST_CASE("the page is self-contained: no network references of any kind", "[unit][reports][html]") {
  std::string html = html_report(sample_run());
  CHECK_FALSE(has(html, "http://"));
  CHECK_FALSE(has(html, "https://"));
  CHECK_FALSE(has(html, "src="));
  CHECK_FALSE(has(html, "<link"));
  CHECK_FALSE(has(html, "url("));
  CHECK_FALSE(has(html, "@import"));
  CHECK(has(html, "Content-Security-Policy\" content=\"default-src 'none'"));
}

TEST_CASE("text from the run is escaped everywhere, so it cannot inject markup", "[unit][reports][html]") {
  std::string html = html_report(sample_run());
  CHECK(count(html, "<script") == 1);  // ours, at the end of the page
  CHECK_FALSE(has(html, "alert(1)</script>"));
  CHECK(has(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
  CHECK(has(html, "a&lt;b &amp; &quot;c&quot; &#39;d&#39; \\x01 bell\\x07 bad\xEF\xBF\xBD utf8"));
  CHECK_FALSE(has(html, "\x01"));
  CHECK_FALSE(has(html, "\xff"));
  CHECK(count(html, "<section") == count(html, "</section>"));
  CHECK(count(html, "<details") == count(html, "</details>"));
  CHECK(count(html, "<table") == count(html, "</table>"));
  CHECK(count(html, "<svg") == count(html, "</svg>"));
}

TEST_CASE("the timeline draws a lane per client, service and the emulator with status spans", "[unit][reports][html]") {
  std::string svg = html_parts::timeline_svg(sample_passed(), HtmlLimits{});
  CHECK(has(svg, "<svg viewBox="));
  CHECK(has(svg, ">steps<title>"));
  CHECK(has(svg, ">client alice<title>"));
  CHECK(has(svg, ">service s1<title>"));
  CHECK(has(svg, ">emulator<title>"));
  CHECK(svg.find(">client alice<") < svg.find(">service s1<"));
  CHECK(svg.find(">service s1<") < svg.find(">emulator<"));
  CHECK(count(svg, "<rect class=\"st st-") == 5);  // one span per status event of s1
  CHECK(has(svg, "class=\"st st-active\""));
  CHECK(has(svg, "class=\"st st-suspended\""));
  CHECK(has(svg, "<g class=\"mark k-payment\">"));
  // payment and charge at the same instant share one mark whose tooltip lists both
  CHECK(has(svg, "payment: payment 120.00 (ext-1)\ncharge: charge 100.00 period 1 month</title>"));
  CHECK(has(svg, "2026-01-01T00:21:00Z (+21m)"));
  CHECK(has(svg, ">+31d<"));  // axis tick as an offset from the start
}

TEST_CASE("the failing step is marked on the timeline", "[unit][reports][html]") {
  std::string svg = html_parts::timeline_svg(sample_failed(), HtmlLimits{});
  CHECK(has(svg, "class=\"fail-line\""));
  CHECK(has(svg, ">step 2 failed</text>"));
  CHECK(has(svg, "<g class=\"step failed\">"));
  CHECK_FALSE(has(html_parts::timeline_svg(sample_passed(), HtmlLimits{}), "fail-line"));
}

TEST_CASE("limits are applied and the page says what it left out", "[unit][reports][html]") {
  RunResult run = sample_run();
  ScenarioResult& s = run.scenarios[0];
  for (int i = 0; i < 50; ++i) {
    s.timeline.push_back({sample_at(100 + i), "client c" + std::to_string(i), "payment", "p"});
    std::string target = "/api/dci/v3/server/" + std::to_string(i);
    s.journal.push_back(sample_request(100 + i, "GET", target.c_str(), 200));
  }
  HtmlLimits limits;
  limits.max_timeline_events = 20;
  limits.max_timeline_lanes = 6;
  limits.max_event_rows = 30;
  limits.max_journal_rows = 10;
  std::string html = html_report(run, limits);
  CHECK(has(html, "The timeline leaves out"));
  CHECK(has(html, "Showing the first 30 of 60 events."));
  CHECK(has(html, "Showing the last 10 of 53 rows (53 requests)."));
  std::string svg = html_parts::timeline_svg(s, limits);
  CHECK(count(svg, "class=\"lane-name\"") == 6);
}

TEST_CASE("past the page budget, the remaining scenarios are listed but not detailed", "[unit][reports][html]") {
  std::string full = html_report(sample_run());
  HtmlLimits limits;
  // Room for everything up to the end of the first section (the failed one), not the second.
  std::string passed_id = html_parts::scenario_anchor(sample_passed());
  limits.max_page_bytes = full.find("<section class=\"scenario error\"") - 1;
  std::string html = html_report(sample_run(), limits);
  CHECK(has(html, "id=\"" + html_parts::scenario_anchor(sample_failed()) + "\""));
  CHECK_FALSE(has(html, "id=\"" + passed_id + "\""));
  CHECK(has(html, "Details of 2 more scenarios are left out of this page (page size limit)"));
  CHECK(has(html, "<a href=\"#" + passed_id + "\">order to active</a>"));  // still in the overview
  limits = HtmlLimits{};
  limits.max_detailed_scenarios = 2;
  CHECK(has(html_report(sample_run(), limits),
            "Details of 1 more scenarios are left out of this page (at most 2 scenarios)"));
}

TEST_CASE("status names are read from status event texts", "[unit][reports][html]") {
  CHECK(html_parts::status_name("active -> suspended (auto: expired)") == "suspended");
  CHECK(html_parts::status_name("ordered") == "ordered");
  CHECK(html_parts::status_name("processing->Active") == "active");
  CHECK(html_parts::status_name("-> <b>") == "unknown");
  CHECK(std::string(html_parts::status_class("weird\" onclick=")) == "other");
  CHECK(std::string(html_parts::kind_class("payment")) == "payment");
}

TEST_CASE("an all-passed run says so and lists no failures", "[unit][reports][html]") {
  RunResult run;
  run.seed = 5;
  run.scenarios = {sample_passed()};
  std::string html = html_report(run);
  CHECK(has(html, "<title>dcisim: all 1 scenarios passed</title>"));
  CHECK(has(html, "PASSED &middot; 1 passed of 1 scenarios"));
  CHECK_FALSE(has(html, "Failures ("));
  CHECK(has(html, "<details>"));  // passed scenarios start collapsed
  CHECK(html_report(RunResult{}).find("0 passed of 0 scenarios") != std::string::npos);
}

TEST_CASE("the same run gives the same page", "[unit][reports][html]") {
  CHECK(html_report(sample_run()) == html_report(sample_run()));
}

TEST_CASE("write_html_report writes the page to the given path", "[unit][reports][html]") {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / "dcisim_reports_html_test";
  std::filesystem::remove_all(dir);
  std::string path = (dir / "report.html").string();
  REQUIRE(write_html_report(sample_run(), path).ok());
  std::ifstream in(path, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  CHECK(content.str() == html_report(sample_run()));
  std::filesystem::remove_all(dir);
}
