#include "reports/junit.h"

#include <optional>

#include "reports/failure_text.h"
#include "reports/file_output.h"
#include "reports/text.h"

namespace dcisim::reports {

namespace {

struct SuiteTotals {
  std::string name;
  std::vector<const ScenarioResult*> scenarios;  // in run order
  size_t failures = 0;
  size_t errors = 0;
  size_t skipped = 0;
  int64_t wall_us = 0;
};

// Suites in the order their first scenario appears; a linear search keeps the output order
// independent of any hashing (suite counts are small).
std::vector<SuiteTotals> group_by_suite(const RunResult& run) {
  std::vector<SuiteTotals> suites;
  for (const ScenarioResult& s : run.scenarios) {
    SuiteTotals* suite = nullptr;
    for (SuiteTotals& candidate : suites) {
      if (candidate.name == s.suite) suite = &candidate;
    }
    if (suite == nullptr) {
      suites.push_back(SuiteTotals{s.suite, {}, 0, 0, 0, 0});
      suite = &suites.back();
    }
    suite->scenarios.push_back(&s);
    suite->failures += s.outcome == ScenarioOutcome::failed ? 1 : 0;
    suite->errors += s.outcome == ScenarioOutcome::error ? 1 : 0;
    suite->skipped += s.outcome == ScenarioOutcome::skipped ? 1 : 0;
    suite->wall_us += s.wall_us;
  }
  return suites;
}

class JunitDocument {
 public:
  JunitDocument(const RunResult& run, const JunitLimits& limits, JunitFlavor flavor)
      : run_(run), limits_(limits), extended_(flavor == JunitFlavor::extended) {}

  std::string render() {
    out_ = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    // The XSD allows no `skipped` on <testsuites>, only on <testsuite>.
    out_ += "<testsuites name=\"dcisim\"" + counts(run_.scenarios.size(),
                                                   run_.outcome_count(ScenarioOutcome::failed),
                                                   run_.outcome_count(ScenarioOutcome::error),
                                                   run_.wall_us,
                                                   extended_ ? std::optional<size_t>(run_.skipped_count()) : std::nullopt) +
            ">\n";
    for (const SuiteTotals& suite : group_by_suite(run_)) write_suite(suite);
    out_ += "</testsuites>\n";
    return std::move(out_);
  }

 private:
  std::string attribute(const std::string& value) const {
    return markup_attribute(cut_to_bytes(value, limits_.max_attribute_bytes));
  }

  static std::string counts(size_t tests, size_t failures, size_t errors, int64_t wall_us, std::optional<size_t> skipped) {
    return " tests=\"" + std::to_string(tests) + "\" failures=\"" + std::to_string(failures) +
           "\" errors=\"" + std::to_string(errors) + (skipped ? "\" skipped=\"" + std::to_string(*skipped) : "") + "\" time=\"" +
           seconds_3dp(wall_us) + "\"";
  }

  void property(const char* indent, const char* name, const std::string& value) {
    out_ += indent;
    out_ += "<property name=\"";
    out_ += name;
    out_ += "\" value=\"" + attribute(value) + "\"/>\n";
  }

  void write_suite(const SuiteTotals& suite) {
    out_ += "  <testsuite name=\"" + attribute(suite.name) + "\"" +
            counts(suite.scenarios.size(), suite.failures, suite.errors, suite.wall_us, suite.skipped);
    if (run_.started_at) {
      // The JUnit schema's timestamp is an ISO 8601 date-time without a zone designator.
      std::string iso = common::format_instant(*run_.started_at);
      out_ += " timestamp=\"" + attribute(iso.substr(0, 19)) + "\"";
    }
    out_ += ">\n    <properties>\n";
    property("      ", "seed", std::to_string(run_.seed));
    property("      ", "jobs", std::to_string(run_.jobs));
    property("      ", "tool", run_.tool_version);
    out_ += "    </properties>\n";
    for (const ScenarioResult* s : suite.scenarios) write_case(*s);
    out_ += "  </testsuite>\n";
  }

  void write_case(const ScenarioResult& s) {
    bool lean = out_.size() > limits_.max_document_bytes;
    out_ += "    <testcase classname=\"" + attribute(s.suite) + "\" name=\"" + attribute(s.name) +
            "\" time=\"" + seconds_3dp(s.wall_us) + "\"";
    std::string tags;
    for (const std::string& tag : s.tags) tags += (tags.empty() ? "" : ",") + tag;
    if (extended_) {
      if (!s.file.empty()) out_ += " file=\"" + attribute(s.file) + "\"";
      if (s.failure && s.failure->at.known()) out_ += " line=\"" + std::to_string(s.failure->at.line) + "\"";
      out_ += ">\n      <properties>\n";
      property("        ", "seed", std::to_string(s.seed));
      property("        ", "tags", tags);
      out_ += "      </properties>\n";
    } else {
      out_ += ">\n";
    }
    if (s.outcome == ScenarioOutcome::skipped) {
      out_ += "      <skipped message=\"" + attribute(s.skip_reason) + "\"/>\n";
    } else if (s.outcome != ScenarioOutcome::passed) {
      const char* element = s.outcome == ScenarioOutcome::error ? "error" : "failure";
      size_t body_limit = lean ? limits_.lean_failure_body_bytes : limits_.max_failure_body_bytes;
      std::string body = failure_details(s, run_.seed, limits_.max_last_requests);
      out_ += "      <" + std::string(element) + " message=\"" +
              attribute(failure_summary(s, limits_.max_attribute_bytes)) + "\" type=\"dcisim." +
              scenario_outcome_name(s.outcome) + "\">" +
              markup_text(truncate_with_marker(body, body_limit)) + "</" + element + ">\n";
    }
    // Where the scenario is and its facts lead <system-out>: the strict schema has no other place.
    // A lean test case has none (its failure message still leads with file:line:column).
    if (!lean) {
      std::string text = "file: " + (s.failure ? failure_location(s) : s.file) + "\n";
      bool file_error = s.failure && s.failure->file_error;
      if (!file_error) text += "seed: " + std::to_string(s.seed) + "\n";
      if (!tags.empty()) text += "tags: " + tags + "\n";
      if (!file_error) {
        text += "virtual time: " + common::format_instant(s.virtual_start) + " .. " +
                common::format_instant(s.virtual_end) + "\nsteps:\n" + steps_listing(s);
      }
      out_ += "      <system-out>" + markup_text(truncate_with_marker(text, limits_.max_system_out_bytes)) +
              "</system-out>\n";
    }
    out_ += "    </testcase>\n";
  }

  const RunResult& run_;
  const JunitLimits& limits_;
  const bool extended_;
  std::string out_;
};

}  // namespace

const char* junit_flavor_name(JunitFlavor flavor) {
  return flavor == JunitFlavor::extended ? "extended" : "strict";
}

std::optional<JunitFlavor> parse_junit_flavor(std::string_view name) {
  for (JunitFlavor flavor : {JunitFlavor::strict, JunitFlavor::extended}) {
    if (name == junit_flavor_name(flavor)) return flavor;
  }
  return std::nullopt;
}

std::string junit_xml(const RunResult& run, const JunitLimits& limits, JunitFlavor flavor) {
  return JunitDocument(run, limits, flavor).render();
}

common::Status write_junit_xml(const RunResult& run, const std::string& path, const JunitLimits& limits,
                               JunitFlavor flavor) {
  return write_file_atomically(path, junit_xml(run, limits, flavor));
}

}  // namespace dcisim::reports
