// The `dcisim` subcommands. Each command is one function in its own file (serve_command.cpp,
// inventory_command.cpp, ...) registered in commands.cpp; main.cpp only dispatches.
//
// Exit codes, the same for every command (mapped in one place per command):
//   0 success, 1 the command ran and failed (cannot listen, invalid file, failed run),
//   2 usage error (unknown option, bad flag value): one readable line on stderr.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace dcisim::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

struct Command {
  const char* name;     // "serve"
  const char* summary;  // one line for `dcisim --help`
  // `args` are the words after the command name.
  int (*run)(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
};

const std::vector<Command>& commands();

int serve_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int run_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int inventory_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int certify_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
// `dcisim run --target ...` (cli/live_run.cpp): run_command hands such a command line over.
bool wants_target(const std::vector<std::string>& args);
int run_live_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace dcisim::cli
