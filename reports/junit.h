// JUnit XML for CI systems (GitLab `artifacts:reports:junit`, Jenkins `junit` and `xunit`,
// GitHub Actions test reporters): one <testsuite> per scenario suite, one <testcase> per scenario,
// with a stable classname (the suite) and name (the scenario's name). Two flavors:
//
// strict (the default): valid against the JUnit XSD Jenkins' xunit plugin checks reports with
// (junit-10.xsd), so every reader takes it. That schema has no place for a test case's file,
// line or properties: they are the first lines of its <system-out> and lead the failure message.
//
//   <testsuites name="dcisim" tests failures errors time>
//     <testsuite name="suite" tests failures errors skipped time [timestamp]>
//       <properties> seed (the run seed), jobs, tool </properties>
//       <testcase classname="suite" name="..." time="0.123">
//         <failure message="suite/a.json:12:40: step 3 (...): ..." type="dcisim.failed"> where,
//           step, the step as written, expected, found, request, response, last requests,
//           replay command </failure>   (<error type="dcisim.error"> when it could not run)
//         <system-out> file:line:column, seed, tags, virtual time span, the steps </system-out>
//
// extended: the same plus what some readers show and the XSD refuses: testcase@file (GitLab's
// file column, GitHub reporters' annotations), testcase@line (of the failure), the test case's
// <properties> (seed, tags) and testsuites@skipped.
//
// All text is escaped; invalid UTF-8 is replaced and characters XML 1.0 forbids are written as
// visible text ("\x01"). Sizes are bounded (JunitLimits) to stay under GitLab's 30 MB cap.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "reports/results.h"

namespace dcisim::reports {

struct JunitLimits {
  size_t max_attribute_bytes = 1024;          // names, messages
  size_t max_failure_body_bytes = 64 * 1024;  // the text inside <failure>/<error>
  size_t max_system_out_bytes = 32 * 1024;    // the steps listing
  size_t max_last_requests = 50;              // lines of "last requests" in a failure body
  // Past this document size, the remaining test cases are written lean (no <system-out>, a
  // failure body of at most `lean_failure_body_bytes`): every scenario is still counted and
  // listed. GitLab refuses reports over 30 MB.
  size_t max_document_bytes = 24 * 1024 * 1024;
  size_t lean_failure_body_bytes = 2 * 1024;
};

enum class JunitFlavor { strict, extended };
// "strict" / "extended", and back (nullopt for anything else).
const char* junit_flavor_name(JunitFlavor flavor);
std::optional<JunitFlavor> parse_junit_flavor(std::string_view name);

// The document, UTF-8, starting with the XML declaration. Suites appear in the order their first
// scenario appears in `run`, test cases in `run` order.
std::string junit_xml(const RunResult& run, const JunitLimits& limits = {},
                      JunitFlavor flavor = JunitFlavor::strict);

// Writes junit_xml(run) to `path` (whole or not at all, see file_output.h).
common::Status write_junit_xml(const RunResult& run, const std::string& path,
                               const JunitLimits& limits = {}, JunitFlavor flavor = JunitFlavor::strict);

}  // namespace dcisim::reports
