// Reading scenario files. Every error names the file, the JSON pointer and the expected form,
// and is found before anything runs:
//   suite/a.json: /steps/4/order/tariff: unknown tariff "i9" (defined: i9-ams, e2236-ams)
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "scenarios/scenario.h"

namespace dcisim::scenarios {

// Parses one scenario (comments allowed). `file` names it in errors and resolves relative
// inventory paths; `suite` is its JUnit classname (usually the folder name).
common::Result<Scenario> parse_scenario_text(std::string_view text, const std::string& file,
                                             const std::string& suite);
common::Result<Scenario> load_scenario_file(const std::string& path);

// Expands files and folders (recursively: every *.json and *.jsonc, sorted by path) into
// scenario files. A path that does not exist is an error.
common::Result<std::vector<std::string>> collect_scenario_files(const std::vector<std::string>& paths);
// True for the names collect_scenario_files picks up in a folder: *.json and *.jsonc.
bool is_scenario_file_name(std::string_view path);

// The step keywords, in the order the documentation lists them.
const std::vector<std::string>& step_keywords();

}  // namespace dcisim::scenarios
