#include "cli/serve_help.h"

#include <nlohmann/json.hpp>

#include "mockdci/default_inventory.h"

namespace dcisim::cli {

namespace {

// One word for a POSIX shell: in single quotes, a ' written as '\''.
std::string single_quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

std::string serve_login_help() {
  common::Result<mockdci::Inventory> shipped = mockdci::default_inventory();
  std::string email = shipped ? shipped->admin.email : "admin@example.com";
  std::string password = shipped ? shipped->admin.password : "secret";
  return "\nLogging in: POST /api/auth/v4/public/token with {\"email\": \"" + email + "\", \"password\": \"" + password +
         "\"}\n"
         "(the default inventory's administrator; --admin-email and --admin-password, or the \"admin\" of\n"
         "--inventory FILE, set another) answers {\"token\": ...}: send it in the x-xsrf-token header.\n"
         "The control API (/mockdci/v1: clock, faults, state, reset) takes \"Authorization: Bearer T\",\n"
         "T being the --control-token given or the one printed on the line \"dcisim serve: control token: T\".\n"
         "Once listening, stderr shows a login to copy: \"dcisim serve: try: curl ...\".\n";
}

std::string serve_example_curl(const std::string& base_url, const std::string& email, const std::string& password) {
  nlohmann::json body = {{"email", email}, {"password", password}};
  bool tls = base_url.rfind("https://", 0) == 0;
  return std::string("curl -s") + (tls ? " -k" : "") + " -X POST " + single_quoted(base_url + "/api/auth/v4/public/token") +
         " -H 'Content-Type: application/json' -d " +
         single_quoted(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace dcisim::cli
