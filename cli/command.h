// The `dcisim` subcommands. Each command is one function in its own file (serve_command.cpp,
// inventory_command.cpp, ...) registered in commands.cpp; main.cpp only dispatches.
//
// Exit codes, the same for every command (mapped in one place per command):
//   0 success, 1 the command ran and failed (cannot listen, a failed scenario, an inventory that
//   `inventory check` finds invalid), 2 usage or file error (unknown option, bad flag value, a file
//   that does not exist; for `run` also a scenario file with a mistake), 3 nothing matched the
//   selection (`run --tag/--filter`), 4 a report could not be written.
// Usage errors print one readable line on stderr.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace dcisim::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitNothingSelected = 3;
inline constexpr int kExitReportNotWritten = 4;

struct Command {
  const char* name;     // "serve"
  const char* summary;  // one line for `dcisim --help`
  // `args` are the words after the command name.
  int (*run)(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
};

const std::vector<Command>& commands();

// "dcisim 0.1.0": `dcisim --version`, and the tool named in reports.
std::string version_line();

int serve_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int run_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int inventory_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int explore_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int report_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int certify_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
// `dcisim run --target ...` (cli/live_run.cpp): run_command hands such a command line over.
bool wants_target(const std::vector<std::string>& args);
int run_live_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace dcisim::cli
