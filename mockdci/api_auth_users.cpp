// auth v4 users, self and one-time keys (specs/auth_v4_api.yaml, tags Users, User, Key): list with
// where/orderby/limit, get, create, edit, delete, password, suspend/resume, keys. The users are
// the very ones dci v3 /user shows (one model, accounts.h). Answers in the spec's shapes: 201
// {"id"} on create, 200 {} on edits, UserGet rows, 201 {"id","key"} for keys.
#include "mockdci/accounts.h"
#include "mockdci/api_support.h"
#include "mockdci/emulator_core.h"
#include "mockdci/views.h"

namespace dcisim::mockdci {

using common::Error;
using common::JsonNode;
using common::Result;
using common::Status;
using Json = nlohmann::json;

namespace {

constexpr size_t kMaxTextLength = 255;  // the spec's maxLength for e-mail and full_name
constexpr size_t kMinPasswordLength = 8;  // the spec's minLength for passwords

Reply ok_reply() { return Reply{200, Json::object()}; }

Result<std::string> text_field(const JsonNode& node, std::string fallback) {
  Result<std::string> value = node.string_or(std::move(fallback));
  if (value && value->size() > kMaxTextLength) return node.error("at most 255 characters");
  return value;
}

Result<std::string> password_field(const JsonNode& node) {
  Result<std::string> value = node.string();
  if (value && value->size() < kMinPasswordLength) return node.error("a password of at least 8 characters");
  return value;
}

Result<std::string> enum_field(const JsonNode& node, std::string fallback, std::initializer_list<const char*> allowed) {
  Result<std::string> value = node.string_or(fallback);
  if (!value) return value;
  std::string expected;
  for (const char* option : allowed) {
    if (*value == option) return value;
    expected += (expected.empty() ? "" : " or ") + std::string("\"") + option + "\"";
  }
  return node.error(expected);
}

// The spec's `roles` (an array of at least one role) as the emulator's one role. Only the built-in
// roles exist here; "@admin" wins when both are given.
Result<std::string> role_field(const JsonNode& node, std::string fallback) {
  if (!node.present()) return fallback;
  const Json& roles = *node.raw();
  const char* expected = "a non-empty array of the roles \"@admin\" and \"@user\"";
  if (!roles.is_array() || roles.empty()) return node.error(expected);
  std::string role = "@user";
  for (const Json& item : roles) {
    if (!item.is_string() || (item != "@admin" && item != "@user")) return node.error(expected);
    if (item == "@admin") role = "@admin";
  }
  return role;
}

Result<Json> body_of(const Call& call, std::initializer_list<std::string_view> allowed) {
  Result<Json> body = parse_body(call.request);
  if (!body) return body;
  if (Status s = body_node(*body).only_keys(allowed); !s) return s.error();
  return body;
}

Result<User*> target_user(EmulatorCore& core, const Call& call) {
  Result<UserId> id = find_user(core.model, call.params.at(0));
  if (!id) return id.error();
  return &core.model.users.at(*id);
}

Result<Reply> list_users(EmulatorCore& core, Call& call) {
  std::vector<Json> rows;
  rows.reserve(core.model.users.size());
  for (const auto& [id, user] : core.model.users) rows.push_back(auth_user_json(user));
  return list_reply(call.request, rows, auth_user_fields());
}

Result<Reply> get_user(EmulatorCore& core, Call& call) {
  Result<User*> user = target_user(core, call);
  if (!user) return user.error();
  return Reply{200, auth_user_json(**user)};
}

Result<Reply> post_user(EmulatorCore& core, Call& call) {
  Result<Json> body = body_of(call, {"email", "full_name", "password", "roles", "auth_source", "email_confirm"});
  if (!body) return body.error();
  JsonNode node = body_node(*body);
  NewUser user;
  user.password_optional = true;
  Result<std::string> email = node.at("email").non_empty_string();
  if (!email) return email.error();
  if (email->size() > kMaxTextLength) return node.at("email").error("an e-mail of at most 255 characters");
  user.email = *email;
  Result<std::string> full_name = text_field(node.at("full_name"), "");
  if (!full_name) return full_name.error();
  user.full_name = *full_name;
  if (node.at("password").present()) {
    Result<std::string> password = password_field(node.at("password"));
    if (!password) return password.error();
    user.password = *password;
  }
  Result<std::string> role = role_field(node.at("roles"), "@user");
  if (!role) return role.error();
  user.role = *role;
  Result<std::string> source = enum_field(node.at("auth_source"), "local", {"local", "ldap"});
  if (!source) return source.error();
  user.auth_source = *source;
  Result<bool> confirmed = node.at("email_confirm").boolean_or(false);
  if (!confirmed) return confirmed.error();
  user.email_confirm = *confirmed;
  Result<UserId> id = create_user(core.model, user);
  if (!id) return id.error();
  return Reply{201, {{"id", id->value()}}};
}

// Every field is checked before anything changes.
Result<Reply> edit_user(EmulatorCore& core, Call& call) {
  Result<User*> target = target_user(core, call);
  if (!target) return target.error();
  Result<Json> body = body_of(call, {"full_name", "roles", "auth_source", "email_confirm", "lang"});
  if (!body) return body.error();
  JsonNode node = body_node(*body);
  User edited = **target;
  Result<std::string> full_name = text_field(node.at("full_name"), edited.full_name);
  if (!full_name) return full_name.error();
  Result<std::string> role = role_field(node.at("roles"), edited.role);
  if (!role) return role.error();
  Result<std::string> source = enum_field(node.at("auth_source"), edited.auth_source, {"local", "ldap"});
  if (!source) return source.error();
  Result<bool> confirmed = node.at("email_confirm").boolean_or(edited.email_confirm);
  if (!confirmed) return confirmed.error();
  Result<std::string> lang = enum_field(node.at("lang"), edited.lang, {"en", "ru"});
  if (!lang) return lang.error();
  if (edited.id == call.caller.user && *role != "@admin") return Error::conflict("a user cannot take @admin from itself");
  edited.full_name = *full_name;
  edited.role = *role;
  edited.auth_source = *source;
  edited.email_confirm = *confirmed;
  edited.lang = *lang;
  **target = std::move(edited);
  return ok_reply();
}

Result<Reply> remove_user(EmulatorCore& core, Call& call) {
  Result<UserId> id = find_user(core.model, call.params.at(0));
  if (!id) return id.error();
  if (Status s = delete_user(core.model, *id, call.caller.user); !s) return s.error();
  return ok_reply();
}

Result<Reply> set_password(EmulatorCore& core, Call& call) {
  Result<User*> target = target_user(core, call);
  if (!target) return target.error();
  Result<Json> body = body_of(call, {"password"});
  if (!body) return body.error();
  Result<std::string> password = password_field(body_node(*body).at("password"));
  if (!password) return password.error();
  (*target)->password = *password;
  return ok_reply();
}

Result<Reply> set_active(EmulatorCore& core, Call& call, bool active) {
  Result<User*> target = target_user(core, call);
  if (!target) return target.error();
  if (Result<Json> body = body_of(call, {}); !body) return body.error();  // the spec's Empty body
  if (Status s = set_user_active(core.model, (*target)->id, active, call.caller.user); !s) return s.error();
  return ok_reply();
}

Result<Reply> get_self(EmulatorCore& core, Call& call) {
  return Reply{200, auth_user_json(core.model.users.at(call.caller.user))};
}

Result<Reply> edit_self(EmulatorCore& core, Call& call) {
  Result<Json> body = body_of(call, {"full_name", "lang"});
  if (!body) return body.error();
  JsonNode node = body_node(*body);
  User& self = core.model.users.at(call.caller.user);
  Result<std::string> full_name = text_field(node.at("full_name"), self.full_name);
  if (!full_name) return full_name.error();
  Result<std::string> lang = enum_field(node.at("lang"), self.lang, {"en", "ru"});
  if (!lang) return lang.error();
  self.full_name = *full_name;
  self.lang = *lang;
  return ok_reply();
}

Result<Reply> change_own_password(EmulatorCore& core, Call& call) {
  Result<Json> body = body_of(call, {"old_password", "password"});
  if (!body) return body.error();
  JsonNode node = body_node(*body);
  Result<std::string> old_password = node.at("old_password").string();
  if (!old_password) return old_password.error();
  Result<std::string> password = password_field(node.at("password"));
  if (!password) return password.error();
  User& self = core.model.users.at(call.caller.user);
  if (self.password.empty() || self.password != *old_password) {
    return Error{common::ErrorKind::forbidden, "old_password: the current password is wrong"};
  }
  self.password = *password;
  return ok_reply();
}

Result<Reply> make_key(EmulatorCore& core, UserId user) {
  std::string value = core.new_key_value();
  KeyId id = add_login_key(core.model, user, value);
  return Reply{201, {{"id", id.value()}, {"key", value}}};
}

Result<Reply> login_with_key(EmulatorCore& core, Call& call) {
  Result<Json> body = parse_body(call.request);
  if (!body) return body.error();
  Result<std::string> key = body_node(*body).at("key").non_empty_string();
  if (!key) return key.error();
  Result<UserId> user = use_login_key(core.model, *key);
  if (!user) return user.error();
  std::string value = core.new_token_value();
  TokenId id = add_token(core.model, *user, value, std::nullopt, "", false);
  return Reply{201, {{"id", id.value()}, {"token", value}, {"confirmed", true}, {"expires_at", nullptr}}};
}

}  // namespace

void add_auth_user_routes(Router& router, EmulatorCore& core) {
  const std::string base = "/api/auth/v4";
  auto bind = [&core](auto f) { return [&core, f](Call& call) { return f(core, call); }; };
  router.add("GET", base + "/user", Access::admin, bind(list_users));
  router.add("POST", base + "/user", Access::admin, bind(post_user));
  router.add("GET", base + "/user/{any}", Access::admin, bind(get_user));
  router.add("POST", base + "/user/{any}", Access::admin, bind(edit_user));
  router.add("DELETE", base + "/user/{any}", Access::admin, bind(remove_user));
  router.add("POST", base + "/user/{any}/password", Access::admin, bind(set_password));
  router.add("POST", base + "/user/{any}/suspend", Access::admin, [&core](Call& c) { return set_active(core, c, false); });
  router.add("POST", base + "/user/{any}/resume", Access::admin, [&core](Call& c) { return set_active(core, c, true); });
  router.add("POST", base + "/user/{any}/key", Access::admin, [&core](Call& c) -> Result<Reply> {
    Result<UserId> user = find_user(core.model, c.params.at(0));
    if (!user) return user.error();
    return make_key(core, *user);
  });
  router.add("GET", base + "/self", Access::session, bind(get_self));
  router.add("POST", base + "/self", Access::session, bind(edit_self));
  router.add("POST", base + "/self/password", Access::session, bind(change_own_password));
  router.add("POST", base + "/self/key", Access::session, [&core](Call& c) { return make_key(core, c.caller.user); });
  router.add("POST", base + "/public/key", Access::anyone, bind(login_with_key));
}

}  // namespace dcisim::mockdci
