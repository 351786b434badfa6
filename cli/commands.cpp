#include "cli/command.h"

namespace dcisim::cli {

const std::vector<Command>& commands() {
  static const std::vector<Command> all = {
      {"serve", "run the DCImanager 6 emulator on a port (dcisim serve --help)", serve_command},
      {"run", "run scenario files and write reports (dcisim run --help)", run_command},
      {"inventory", "generate or check emulator inventory files (dcisim inventory --help)", inventory_command},
      {"explore", "generate stories, check every invariant, shrink what fails to a scenario (dcisim explore --help)",
       explore_command},
      {"report", "merge the results of several runs into one report (dcisim report merge --help)", report_command},
      {"certify", "certify a live DCImanager 6 for the billing core (dcisim certify --help)", certify_command},
  };
  return all;
}

std::string version_line() { return std::string("dcisim ") + DCISIM_VERSION; }

}  // namespace dcisim::cli
