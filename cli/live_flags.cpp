#include "cli/live_flags.h"

#include <algorithm>
#include <sstream>

#include "common/text.h"

namespace dcisim::cli {

using common::Error;
using common::Result;

std::vector<FlagSpec> endpoint_flags() {
  return {{"--endpoint"}, {"--email"}, {"--password-env"}, {"--password-file"}, {"--ca"}, {"--insecure", false}, {"--routes"}};
}

common::Status refuse_credential_flags(const std::vector<std::string>& words) {
  for (const std::string& word : words) {
    std::string name = word.substr(0, word.find('='));
    if (name == "--password" || name == "--token" || name == "--admin-password") {
      return Error::invalid(name + " is not accepted: credentials never go in flags (they would show in the process list "
                                   "and shell history); use --password-env VAR or --password-file FILE");
    }
  }
  return common::Status::success();
}

Result<certify::EndpointOptions> read_endpoint(const Args& args, bool need_url) {
  certify::EndpointOptions endpoint;
  endpoint.url = args.value("--endpoint").value_or("");
  endpoint.email = args.value("--email").value_or("");
  if (need_url && endpoint.url.empty()) return Error::invalid("--endpoint URL is required (https://dci.example.com)");
  if (need_url && endpoint.email.empty()) return Error::invalid("--email is required (the DCImanager administrator's e-mail)");
  DCISIM_ASSIGN_OR_RETURN(endpoint.password, certify::read_password(args.value("--password-env"), args.value("--password-file")));
  endpoint.ca_file = args.value("--ca").value_or("");
  endpoint.insecure = args.has("--insecure");
  if (auto routes = args.value("--routes")) {
    common::Status loaded = certify::load_routes_file(*routes, endpoint.routes);
    if (!loaded) return Error::invalid("--routes " + *routes + ": " + loaded.error().message);
    endpoint.routes_file = *routes;
  }
  if (need_url || !endpoint.url.empty()) DCISIM_RETURN_IF_ERROR(certify::check_endpoint(endpoint));
  return endpoint;
}

Result<std::vector<int64_t>> read_allowed_servers(const Args& args) {
  std::vector<int64_t> ids;
  for (const std::string& value : args.values("--allow-server")) {
    std::stringstream parts(value);
    std::string part;
    while (std::getline(parts, part, ',')) {
      DCISIM_ASSIGN_OR_RETURN(int64_t id, parse_int_flag("--allow-server", part, 1, INT64_MAX));
      if (std::find(ids.begin(), ids.end(), id) != ids.end()) {
        return Error::invalid("--allow-server " + std::to_string(id) + " is given twice");
      }
      ids.push_back(id);
    }
  }
  return ids;
}

Result<common::Duration> read_timeout_op(const Args& args) {
  std::string text = args.value("--timeout-op").value_or("90m");
  Result<common::Duration> d = common::parse_duration(text);
  if (!d || *d < common::Duration::seconds(1) || *d > common::Duration::days(7)) {
    return Error::invalid("--timeout-op expects a duration from 1s to 7d such as \"90m\", got \"" +
                          common::printable_utf8(text, 40) + "\"");
  }
  return *d;
}

}  // namespace dcisim::cli
