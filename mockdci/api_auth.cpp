// auth v4 (specs/auth_v4_api.yaml): login, long-lived tokens, token deletion. Served under
// /api/auth/v4 and, through the router's optional prefix, under /auth/v4 (API.md §1). Users,
// self and keys: api_auth_users.cpp.
#include "mockdci/accounts.h"
#include "mockdci/api_support.h"
#include "mockdci/auth.h"
#include "mockdci/emulator_core.h"

namespace dcisim::mockdci {

using common::Error;
using common::Result;

namespace {

// auth v4 writes times as "2022-01-01 00:00:00"; ISO 8601 ("2022-01-01T00:00:00Z") and a bare
// date are accepted too. All UTC.
Result<common::Instant> parse_expiry(std::string text) {
  if (text.size() > 10 && text[10] == ' ') text[10] = 'T';
  if (text.size() > 10 && text.back() != 'Z') text += 'Z';
  return common::parse_instant(text);
}

Result<Reply> login(EmulatorCore& core, Call& call) {
  Result<nlohmann::json> body = parse_body(call.request);
  if (!body) return body.error();
  common::JsonNode node = body_node(*body);
  Result<std::string> email = node.at("email").non_empty_string();
  if (!email) return email.error();
  Result<std::string> password = node.at("password").string();
  if (!password) return password.error();
  Result<UserId> user = check_credentials(core.model, *email, *password);
  if (!user) return user.error();
  std::string value = core.new_token_value();
  TokenId id = add_token(core.model, *user, value, std::nullopt, "", false);
  // `id` is a number, as the spec's 201Token says (it was a string here before).
  return Reply{201, {{"id", id.value()}, {"token", value}, {"confirmed", true}, {"expires_at", nullptr}}};
}

Result<Reply> create_long_lived_token(EmulatorCore& core, Call& call) {
  Result<nlohmann::json> body = parse_body(call.request);
  if (!body) return body.error();
  common::JsonNode node = body_node(*body);
  Result<std::string> expires_text = node.at("expires_at").non_empty_string();
  if (!expires_text) return expires_text.error();
  Result<common::Instant> expires_at = parse_expiry(*expires_text);
  if (!expires_at) return node.at("expires_at").error("a time such as \"2030-01-01 00:00:00\" (UTC)");
  if (*expires_at <= call.now) {
    return node.at("expires_at").error_message("the expiry " + common::format_instant(*expires_at) + " is not in the future");
  }
  Result<std::string> description = node.at("description").string_or("");
  if (!description) return description.error();
  if (description->size() > 255) return node.at("description").error("at most 255 characters");
  std::string value = core.new_token_value();
  TokenId id = add_token(core.model, call.caller.user, value, *expires_at, *description, true);
  return Reply{201, {{"id", id.value()}, {"token", value}}};
}

Result<Reply> remove_token(EmulatorCore& core, Call& call) {
  if (common::Status s = delete_token(core.model, call.params.at(0), call.caller.user, call.caller.admin); !s) return s.error();
  return Reply{200, nlohmann::json::object()};
}

}  // namespace

void add_auth_routes(Router& router, EmulatorCore& core) {
  const std::string prefix = "/api/auth/v4";
  router.add("POST", prefix + "/public/token", Access::anyone, [&core](Call& call) { return login(core, call); });
  router.add("POST", prefix + "/token", Access::session,
             [&core](Call& call) { return create_long_lived_token(core, call); });
  router.add("DELETE", prefix + "/token/{any}", Access::session, [&core](Call& call) { return remove_token(core, call); });
}

}  // namespace dcisim::mockdci
