// `dcisim <command> [options]`: dispatches to the commands registered in commands.cpp.
// `dcisim --version`, `dcisim help` and `dcisim help <command>` (the same as `<command> --help`)
// are answered here.
#include <iostream>

#include "cli/command.h"

namespace {

void print_usage(std::ostream& out) {
  out << "usage: dcisim <command> [options]\n       dcisim help <command>\n       dcisim --version\n\ncommands:\n";
  for (const dcisim::cli::Command& command : dcisim::cli::commands()) {
    out << "  " << command.name << std::string(12 - std::min<size_t>(11, std::string(command.name).size()), ' ')
        << command.summary << "\n";
  }
}

const dcisim::cli::Command* find_command(const std::string& name) {
  for (const dcisim::cli::Command& command : dcisim::cli::commands()) {
    if (name == command.name) return &command;
  }
  return nullptr;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> words(argv + 1, argv + argc);
  if (words.empty()) {
    print_usage(std::cerr);
    return dcisim::cli::kExitUsage;
  }
  if (words[0] == "--version" || words[0] == "-V") {
    std::cout << dcisim::cli::version_line() << "\n";
    return dcisim::cli::kExitOk;
  }
  if (words[0] == "--help" || words[0] == "-h" || words[0] == "help") {
    if (words[0] == "help" && words.size() > 1) {
      const dcisim::cli::Command* command = find_command(words[1]);
      if (command == nullptr) {
        std::cerr << "dcisim: unknown command \"" << words[1] << "\" (see dcisim --help)\n";
        return dcisim::cli::kExitUsage;
      }
      return command->run({"--help"}, std::cout, std::cerr);
    }
    print_usage(std::cout);
    return dcisim::cli::kExitOk;
  }
  if (const dcisim::cli::Command* command = find_command(words[0])) {
    return command->run(std::vector<std::string>(words.begin() + 1, words.end()), std::cout, std::cerr);
  }
  std::cerr << "dcisim: unknown command \"" << words[0] << "\" (see dcisim --help)\n";
  return dcisim::cli::kExitUsage;
}
