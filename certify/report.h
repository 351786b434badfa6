// certify's reports, written from a CertifyResult into --out DIR:
//   junit.xml     one <testsuite> per group, one <testcase> per check (<failure>, <skipped/>), valid
//                 against Jenkins' junit-10.xsd, the checks' text in <system-out>;
//   results.json  everything: checks, route verdicts, latencies, the comparison ("dcisim-certify-results");
//   report.html   the certification report: one row per check (outcome, what was sent, what came
//                 back, why it matters to billing), the route table's verdicts, latency p50/p95 per
//                 route, and the live-vs-emulator differences. Self-contained (no external fetch).
// Secrets never reach them: every exchange was redacted when it was recorded.
#pragma once

#include <string>

#include "certify/checks.h"
#include "common/result.h"

namespace dcisim::certify {

std::string certify_junit_xml(const CertifyResult& result);
std::string certify_results_json(const CertifyResult& result);
std::string certify_html(const CertifyResult& result);

// Writes the three files into `dir` (created if missing).
common::Status write_certify_reports(const CertifyResult& result, const std::string& dir);

}  // namespace dcisim::certify
