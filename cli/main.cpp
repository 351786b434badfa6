// `dcisim <command> [options]`: dispatches to the commands registered in commands.cpp.
#include <iostream>

#include "cli/command.h"

namespace {

void print_usage(std::ostream& out) {
  out << "usage: dcisim <command> [options]\n\ncommands:\n";
  for (const dcisim::cli::Command& command : dcisim::cli::commands()) {
    out << "  " << command.name << std::string(12 - std::min<size_t>(11, std::string(command.name).size()), ' ')
        << command.summary << "\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> words(argv + 1, argv + argc);
  if (words.empty()) {
    print_usage(std::cerr);
    return dcisim::cli::kExitUsage;
  }
  if (words[0] == "--help" || words[0] == "-h" || words[0] == "help") {
    print_usage(std::cout);
    return dcisim::cli::kExitOk;
  }
  for (const dcisim::cli::Command& command : dcisim::cli::commands()) {
    if (words[0] == command.name) {
      return command.run(std::vector<std::string>(words.begin() + 1, words.end()), std::cout, std::cerr);
    }
  }
  std::cerr << "dcisim: unknown command \"" << words[0] << "\" (see dcisim --help)\n";
  return dcisim::cli::kExitUsage;
}
