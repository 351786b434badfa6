// Specification of reports/junit.h: the JUnit XML CI systems read.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/rng.h"
#include "reports/junit.h"
#include "reports_mini_xml.h"
#include "reports_sample.h"

using namespace dcisim::reports;
using namespace dcisim::reports::testing;

namespace {

XmlElement parse_or_fail(const std::string& xml) {
  MiniXmlReader reader(xml);
  std::optional<XmlElement> root = reader.parse();
  INFO(reader.error());
  REQUIRE(root.has_value());
  return *root;
}

const XmlElement* find_case(const XmlElement& root, const std::string& name) {
  for (const XmlElement* suite : root.all("testsuite")) {
    for (const XmlElement* c : suite->all("testcase")) {
      if (c->attr("name") == name) return c;
    }
  }
  return nullptr;
}

}  // namespace

TEST_CASE("junit xml is well-formed with counts on testsuites and each testsuite", "[unit][reports][junit]") {
  XmlElement root = parse_or_fail(junit_xml(sample_run()));
  CHECK(root.name == "testsuites");
  CHECK(root.attr("tests") == "3");
  CHECK(root.attr("failures") == "1");
  CHECK(root.attr("errors") == "1");
  CHECK_FALSE(root.has_attr("skipped"));  // the strict XSD allows `skipped` on <testsuite> only
  CHECK(root.attr("time") == "2.600");
  std::vector<const XmlElement*> suites = root.all("testsuite");
  REQUIRE(suites.size() == 2);
  CHECK(suites[0]->attr("name") == "suite");
  CHECK(suites[0]->attr("tests") == "2");
  CHECK(suites[0]->attr("failures") == "1");
  CHECK(suites[0]->attr("errors") == "0");
  CHECK(suites[0]->attr("skipped") == "0");
  CHECK(suites[0]->attr("time") == "2.512");
  CHECK(suites[1]->attr("name") == "nasty <suite>");
  CHECK(suites[1]->attr("errors") == "1");
  CHECK(suites[0]->all("testcase").size() == 2);
}

TEST_CASE("each scenario is a testcase with its suite as classname, its name and time in seconds", "[unit][reports][junit]") {
  XmlElement root = parse_or_fail(junit_xml(sample_run()));
  const XmlElement* passed = find_case(root, "order to active");
  REQUIRE(passed != nullptr);
  CHECK(passed->attr("classname") == "suite");
  CHECK(passed->attr("time") == "0.012");
  CHECK_FALSE(passed->has_attr("file"));  // not in the strict XSD: in <system-out> instead
  CHECK(passed->first("properties") == nullptr);
  CHECK(passed->first("failure") == nullptr);
  CHECK(passed->first("error") == nullptr);
  REQUIRE(passed->first("system-out") != nullptr);
  const std::string& out = passed->first("system-out")->text;
  CHECK(out.rfind("file: scenarios/suite/order_to_active.json\nseed: 18446744073709551557\ntags: order,smoke\n", 0) == 0);
  CHECK(out.find("#4  2026-01-01T01:00:00Z  expect") != std::string::npos);
}

TEST_CASE("the run seed is a suite property and each scenario's seed, exact to 64 bits, leads its system-out",
          "[unit][reports][junit]") {
  XmlElement root = parse_or_fail(junit_xml(sample_run()));
  const XmlElement* suite_props = root.all("testsuite")[0]->first("properties");
  REQUIRE(suite_props != nullptr);
  CHECK(suite_props->all("property")[0]->attr("name") == "seed");
  CHECK(suite_props->all("property")[0]->attr("value") == "42");
  const XmlElement* failed = find_case(root, "suspend on expiry");
  REQUIRE(failed->first("system-out") != nullptr);
  CHECK(failed->first("system-out")->text.rfind("file: scenarios/suite/suspend on expiry.json:12:33\nseed: 7\n", 0) == 0);
}

TEST_CASE("the extended flavor adds file, line, properties and testsuites@skipped", "[unit][reports][junit]") {
  XmlElement root = parse_or_fail(junit_xml(sample_run(), {}, JunitFlavor::extended));
  CHECK(root.attr("skipped") == "0");
  const XmlElement* passed = find_case(root, "order to active");
  REQUIRE(passed != nullptr);
  CHECK(passed->attr("file") == "scenarios/suite/order_to_active.json");
  CHECK_FALSE(passed->has_attr("line"));
  REQUIRE(passed->first("properties") != nullptr);
  const XmlElement* seed = passed->first("properties")->all("property")[0];
  CHECK(seed->attr("name") == "seed");
  CHECK(seed->attr("value") == "18446744073709551557");
  CHECK(passed->first("properties")->all("property")[1]->attr("value") == "order,smoke");
  const XmlElement* failed = find_case(root, "suspend on expiry");
  CHECK(failed->attr("line") == "12");
  CHECK(parse_junit_flavor("extended") == JunitFlavor::extended);
  CHECK(parse_junit_flavor("strict") == JunitFlavor::strict);
  CHECK_FALSE(parse_junit_flavor("gitlab"));
}

TEST_CASE("a failure names the step, expected, found, the last requests and the replay command", "[unit][reports][junit]") {
  XmlElement root = parse_or_fail(junit_xml(sample_run()));
  const XmlElement* failed = find_case(root, "suspend on expiry");
  REQUIRE(failed != nullptr);
  const XmlElement* failure = failed->first("failure");
  REQUIRE(failure != nullptr);
  CHECK(failure->attr("message") ==
        "scenarios/suite/suspend on expiry.json:12:33: step 2 (expect {\"service\":\"s1\",\"status\":\"active\"}): "
        "expect: service s1 status: expected active, found processing");
  CHECK(failure->attr("type") == "dcisim.failed");
  CHECK(failure->text.find("expected:\nactive\n") != std::string::npos);
  CHECK(failure->text.find("found:\nprocessing (operation open, attempt 3)\n") != std::string::npos);
  CHECK(failure->text.find("response:\n503 {\"error\"") != std::string::npos);
  CHECK(failure->text.find("step 2 at scenarios/suite/suspend on expiry.json:12:5: expect") != std::string::npos);
  CHECK(failure->text.find("failing key: /steps/2/expect/status at scenarios/suite/suspend on expiry.json:12:33\n") !=
        std::string::npos);
  CHECK(failure->text.find("as written:\n> 12 |     {\"expect\"") != std::string::npos);
  CHECK(failure->text.find("2026-01-01T00:28:00Z GET /api/dci/v3/server/3 -> 503 (850 us) x3 (until 2026-01-01T00:30:00Z)") !=
        std::string::npos);
  CHECK(failure->text.find("replay: dcisim run 'scenarios/suite/suspend on expiry.json' --seed 42") !=
        std::string::npos);
}

TEST_CASE("a scenario that could not run is an error, not a failure", "[unit][reports][junit]") {
  XmlElement root = parse_or_fail(junit_xml(sample_run()));
  const XmlElement* suite = root.all("testsuite")[1];
  const XmlElement* error_case = suite->all("testcase")[0];
  REQUIRE(error_case->first("error") != nullptr);
  CHECK(error_case->first("failure") == nullptr);
  CHECK(error_case->first("error")->attr("type") == "dcisim.error");
  CHECK(error_case->first("error")->attr("message").find("step 0 (fixture") == 0);
}

TEST_CASE("markup, control characters and invalid UTF-8 in names are escaped, not passed through", "[unit][reports][junit]") {
  std::string xml = junit_xml(sample_run());
  CHECK(xml.find("<script>") == std::string::npos);
  CHECK(xml.find("</failure><script>") == std::string::npos);
  XmlElement root = parse_or_fail(xml);  // also refuses \x01, \x07 and \xff
  const XmlElement* c = root.all("testsuite")[1]->all("testcase")[0];
  CHECK(c->attr("classname") == "nasty <suite>");
  CHECK(c->attr("name") == "a<b & \"c\" 'd' \\x01 bell\\x07 bad\xEF\xBF\xBD utf8");
  CHECK(c->first("error")->text.find("fixture </failure><script>alert(1)</script>") != std::string::npos);
}

TEST_CASE("newlines in attribute values survive attribute normalisation", "[unit][reports][junit]") {
  RunResult run = sample_run();
  run.scenarios[0].name = "two\nlines\tand tab";
  XmlElement root = parse_or_fail(junit_xml(run));
  CHECK(root.all("testsuite")[0]->all("testcase")[0]->attr("name") == "two\nlines\tand tab");
}

TEST_CASE("the same run gives the same document, with the start time only when known", "[unit][reports][junit]") {
  RunResult run = sample_run();
  CHECK(junit_xml(run) == junit_xml(run));
  CHECK(junit_xml(run).find("timestamp=") == std::string::npos);
  run.started_at = sample_at(90);
  CHECK(junit_xml(run).find("timestamp=\"2026-01-01T01:30:00\"") != std::string::npos);
}

TEST_CASE("long failure bodies are truncated with a marker", "[unit][reports][junit]") {
  RunResult run = sample_run();
  run.scenarios[1].failure->found = std::string(200'000, 'x');
  JunitLimits limits;
  limits.max_failure_body_bytes = 10'000;
  XmlElement root = parse_or_fail(junit_xml(run, limits));
  const XmlElement* failure = find_case(root, "suspend on expiry")->first("failure");
  CHECK(failure->text.size() < 10'100);
  CHECK(failure->text.find("more bytes truncated]") != std::string::npos);
}

TEST_CASE("past the document budget, remaining cases are still listed but written lean", "[unit][reports][junit]") {
  RunResult run;
  ScenarioResult failed = sample_failed();
  failed.failure->found = std::string(50'000, 'y');
  for (int i = 0; i < 40; ++i) {
    failed.name = "case " + std::to_string(i);
    run.scenarios.push_back(failed);
  }
  JunitLimits limits;
  limits.max_document_bytes = 500'000;
  std::string xml = junit_xml(run, limits);
  CHECK(xml.size() < 700'000);
  XmlElement root = parse_or_fail(xml);
  CHECK(root.attr("tests") == "40");
  CHECK(root.all("testsuite")[0]->all("testcase").size() == 40);
  const XmlElement* last = find_case(root, "case 39");
  REQUIRE(last != nullptr);
  CHECK(last->first("system-out") == nullptr);
  CHECK(last->first("failure")->attr("message").rfind("scenarios/suite/suspend on expiry.json:12:33: step 2", 0) == 0);
}

TEST_CASE("write_junit_xml writes the whole document and reports an unwritable path", "[unit][reports][junit]") {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / "dcisim_reports_junit_test";
  std::filesystem::remove_all(dir);
  std::string path = (dir / "out" / "junit.xml").string();
  REQUIRE(write_junit_xml(sample_run(), path).ok());
  std::ifstream in(path, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  CHECK(content.str() == junit_xml(sample_run()));
  CHECK_FALSE(std::filesystem::exists(path + ".tmp"));
  dcisim::common::Status refused = write_junit_xml(sample_run(), (dir / "out" / "junit.xml" / "x").string());
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().kind == dcisim::common::ErrorKind::io);
  std::filesystem::remove_all(dir);
}

TEST_CASE("any bytes in names and failure texts still give a well-formed document", "[unit][reports][junit]") {
  dcisim::common::Rng rng(20260101);
  for (int round = 0; round < 200; ++round) {
    auto random_bytes = [&rng]() {
      std::string bytes;
      int64_t length = rng.uniform(0, 40);
      for (int64_t i = 0; i < length; ++i) {
        // Mostly the troublesome ranges: controls, markup characters, high bytes.
        bytes += static_cast<char>(rng.chance(1, 2) ? rng.uniform(0, 0x3F) : rng.uniform(0x80, 0xFF));
      }
      return bytes;
    };
    RunResult run = sample_run();
    run.scenarios[1].suite = random_bytes();
    run.scenarios[1].name = random_bytes();
    run.scenarios[1].failure->message = random_bytes();
    run.scenarios[1].failure->found = random_bytes();
    run.scenarios[1].steps[0].text = random_bytes();
    std::string xml = junit_xml(run);
    MiniXmlReader reader(xml);
    std::optional<XmlElement> root = reader.parse();
    INFO("round " << round << ": " << reader.error());
    REQUIRE(root.has_value());
    CHECK(root->attr("tests") == "3");
  }
}
