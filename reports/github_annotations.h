// GitHub Actions workflow commands for a run's failures: one line per failed scenario,
//   ::error file=scenarios/suite/a.json,line=12,col=40,title=dcisim suite/a::step 3 (...): ...
// which GitHub shows on the file's line in the pull request and in the job summary. `dcisim run`
// prints them when GITHUB_ACTIONS=true. Values are escaped as GitHub's toolkit does (%, CR, LF
// in the message; also ':' and ',' in properties).
#pragma once

#include <string>

#include "reports/results.h"

namespace dcisim::reports {

// At most `max_lines` annotations (GitHub shows a few per step anyway); a final ::notice says how
// many were left out. `workspace` ($GITHUB_WORKSPACE) is stripped from absolute file paths so
// that they are relative to the repository, as GitHub wants them. Empty when nothing failed.
std::string github_annotations(const RunResult& run, const std::string& workspace, size_t max_lines = 50);

}  // namespace dcisim::reports
