// `dcisim inventory`: generate a large inventory file, or check one and summarise it.
#include <filesystem>
#include <iostream>

#include "cli/args.h"
#include "cli/command.h"
#include "common/json_text.h"
#include "mockdci/inventory.h"

namespace dcisim::cli {

namespace {

constexpr const char* kUsage =
    "usage: dcisim inventory generate servers=N [--seed S]   print a valid inventory of N servers\n"
    "       dcisim inventory check FILE                       validate FILE and summarise it\n"
    "Exit status: 0 valid, 1 FILE is invalid, 2 usage error or no such FILE.\n"
    "The format is documented in docs/INVENTORY.md.\n";

int generate(const Args& args, std::ostream& out, std::ostream& err) {
  const std::vector<std::string>& words = args.positional();
  if (words.size() != 2 || words[1].rfind("servers=", 0) != 0) {
    err << "dcisim inventory: generate expects servers=N (see dcisim inventory --help)\n";
    return kExitUsage;
  }
  common::Result<int64_t> servers = parse_int_flag("servers", words[1].substr(8), 1, mockdci::kMaxServers);
  common::Result<int64_t> seed = parse_int_flag("--seed", args.value("--seed").value_or("1"), 0, INT64_MAX);
  for (const common::Error* error : {servers ? nullptr : &servers.error(), seed ? nullptr : &seed.error()}) {
    if (error != nullptr) {
      err << "dcisim inventory: " << error->message << "\n";
      return kExitUsage;
    }
  }
  out << common::json_text(mockdci::generate_inventory_json(*servers, static_cast<uint64_t>(*seed)), 1) << "\n";
  return kExitOk;
}

int check(const Args& args, std::ostream& out, std::ostream& err) {
  if (args.positional().size() != 2) {
    err << "dcisim inventory: check expects one FILE (see dcisim inventory --help)\n";
    return kExitUsage;
  }
  // A file that is not there is a usage error (2), like `dcisim run`'s; one that is there but
  // invalid is what the check found (1).
  const std::string& path = args.positional()[1];
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    err << "dcisim inventory: " << path << ": no such file (see dcisim inventory --help)\n";
    return kExitUsage;
  }
  common::Result<mockdci::Inventory> inventory = mockdci::load_inventory_file(path);
  if (!inventory) {
    err << inventory.error().message << "\n";
    return kExitFailure;
  }
  size_t racks = 0;
  for (const mockdci::LocationSpec& location : inventory->locations) racks += location.racks.size();
  out << args.positional()[1] << ": valid: " << inventory->server_count() << " servers, " << inventory->locations.size()
      << " locations, " << racks << " racks, " << inventory->ip_pools.size() << " IP pools\n";
  return kExitOk;
}

}  // namespace

int inventory_command(const std::vector<std::string>& words, std::ostream& out, std::ostream& err) {
  common::Result<Args> args = Args::parse(words, {{"--seed"}, {"--help", false}});
  if (!args) {
    err << "dcisim inventory: " << args.error().message << " (see dcisim inventory --help)\n";
    return kExitUsage;
  }
  if (args->has("--help")) {
    out << kUsage;
    return kExitOk;
  }
  std::string action = args->positional().empty() ? "" : args->positional()[0];
  if (action == "generate") return generate(*args, out, err);
  if (action == "check") return check(*args, out, err);
  err << "dcisim inventory: expected generate or check (see dcisim inventory --help)\n";
  return kExitUsage;
}

}  // namespace dcisim::cli
