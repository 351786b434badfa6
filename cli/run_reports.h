// The report files `dcisim run` writes into its --out folder, and keeping that folder honest:
// before a run, the reports a former run left there are removed, so that a run that stops early
// (a usage error, nothing selected, a report that cannot be written) never leaves an old green
// junit.xml for CI to pick up. Only dcisim's own files go: never the folder, nothing else in it.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "reports/junit.h"
#include "reports/results.h"

namespace dcisim::cli {

struct ReportOptions {
  std::string out_dir = "out";
  reports::JunitFlavor junit_flavor = reports::JunitFlavor::strict;
};

// The --out folder a command line names as far as it can be read, for when the line has a
// mistake elsewhere: the word after "--out" or the value of "--out=", before any "--"; "out" when
// it names none.
std::string out_dir_in(const std::vector<std::string>& words);

// Removes junit.xml, results.json, report.html (and a `.tmp` of each) from `out_dir`; a folder
// that does not exist is fine. An error names the file that could not be removed.
common::Status remove_former_reports(const std::string& out_dir);

// Writes the three reports, each whole or not at all.
common::Status write_run_reports(const reports::RunResult& run, const ReportOptions& options);

}  // namespace dcisim::cli
