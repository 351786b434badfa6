// A scenario file that cannot run: unreadable, not JSON, a mistake in the format, a fixture the
// inventory cannot satisfy, a name another scenario already has. Like a test framework's
// collection error, it does not hide the run: the other scenarios still run, and the file becomes
// a test case of its own (outcome `error`) in every report, naming the file, line, column, JSON
// pointer and message, with the lines of the file around the mistake.
#pragma once

#include <string>

#include "common/json_positions.h"
#include "common/result.h"
#include "reports/results.h"

namespace dcisim::scenarios {

struct FileProblem {
  std::string file;         // as collected from the command line
  std::string suite;        // the file's folder name, as for a scenario
  std::string name;         // the scenario's "name" when the file has a readable one, else the file name
  std::string message;      // the error as found: "x.json: /steps/4/order/tariff: tariff \"i9\" is ..."
  std::string detail;       // the same without the file's name: "/steps/4/order/tariff: tariff ..."
  std::string pointer;      // "/steps/4/order/tariff"; "" for a syntax error or an unreadable file
  common::TextPosition at;  // where it is (line 0: unknown, e.g. the file cannot be read)
  std::string source;       // the lines of the file around it, numbered, the line of `at` marked
};

// Finds where `error`, met while preparing `file`, is in the file (read again, bounded). The
// position comes from the JSON pointer the error names or from the line and column of a syntax
// error; the source lines are those of the enclosing step when the error is inside one.
FileProblem describe_file_problem(const std::string& file, const std::string& suite, const common::Error& error);

// "x.json:12:7: /steps/4/order/tariff: tariff ..." (the form compilers print, which editors and
// terminals link to the place), or "x.json: ..." when the position is unknown.
std::string problem_line(const FileProblem& problem);

// The test case a run reports for the file: outcome `error`, a Failure with file_error set.
reports::ScenarioResult problem_result(const FileProblem& problem);

}  // namespace dcisim::scenarios
