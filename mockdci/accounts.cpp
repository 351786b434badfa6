#include "mockdci/accounts.h"

#include <charconv>
#include <vector>

namespace dcisim::mockdci {

using common::Error;
using common::Result;
using common::Status;

Result<UserId> create_user(Model& model, const NewUser& user) {
  if (user.email.empty() || user.email.size() > 200 || user.email.find('@') == std::string::npos) {
    return Error::invalid("email: expected an e-mail address, got \"" + user.email + "\"");
  }
  if (user.password.empty() && !user.password_optional) return Error::invalid("password: expected a non-empty password");
  if (user.role != "@user" && user.role != "@admin") {
    return Error::invalid("role: expected \"@user\" or \"@admin\", got \"" + user.role + "\"");
  }
  if (model.user_by_email.count(user.email)) {
    return Error::conflict("email: a user with e-mail \"" + user.email + "\" already exists");
  }
  UserId id(++model.last_user_id);
  User created{id, user.email, user.password, user.full_name, user.phone_number, user.role};
  created.auth_source = user.auth_source;
  created.email_confirm = user.email_confirm;
  model.users.emplace(id, std::move(created));
  model.user_by_email.emplace(user.email, id);
  return id;
}

int64_t owned_server_count(const Model& model, UserId user) {
  int64_t count = 0;
  for (const auto& [id, server] : model.servers) count += server.owner == user ? 1 : 0;
  return count;
}

Status delete_user(Model& model, UserId target, UserId acting) {
  const User* user = model.user(target);
  if (user == nullptr) return Error::not_found("user " + std::to_string(target.value()) + " not found");
  if (target == acting) return Error::conflict("a user cannot delete itself");
  if (int64_t owned = owned_server_count(model, target); owned > 0) {
    return Error::conflict("user " + std::to_string(target.value()) + " owns " + std::to_string(owned) +
                           " server(s): the user must not be the owner of any server");
  }
  std::vector<TokenId> tokens;
  for (const auto& [id, token] : model.tokens) {
    if (token.user == target) tokens.push_back(id);
  }
  for (TokenId id : tokens) {
    model.token_by_value.erase(model.tokens.at(id).value);
    model.tokens.erase(id);
  }
  for (auto it = model.keys.begin(); it != model.keys.end();) {
    if (it->second.user != target) {
      ++it;
      continue;
    }
    model.key_by_value.erase(it->second.value);
    it = model.keys.erase(it);
  }
  model.user_by_email.erase(user->email);
  model.users.erase(target);
  return Status::success();
}

Result<UserId> check_credentials(const Model& model, const std::string& email, const std::string& password) {
  auto it = model.user_by_email.find(email);
  if (it == model.user_by_email.end()) return Error::invalid("invalid e-mail or password");
  const User& user = model.users.at(it->second);
  if (user.password.empty() || user.password != password) return Error::invalid("invalid e-mail or password");
  if (!user.active()) return Error{common::ErrorKind::forbidden, "the user " + email + " is disabled"};
  return it->second;
}

Result<UserId> find_user(const Model& model, const std::string& id_or_email) {
  int64_t number = 0;
  auto [end, ec] = std::from_chars(id_or_email.data(), id_or_email.data() + id_or_email.size(), number);
  if (ec == std::errc() && end == id_or_email.data() + id_or_email.size() && model.user(UserId(number)) != nullptr) {
    return UserId(number);
  }
  if (auto it = model.user_by_email.find(id_or_email); it != model.user_by_email.end()) return it->second;
  return Error::not_found("user " + id_or_email + " not found");
}

Status set_user_active(Model& model, UserId target, bool active, UserId acting) {
  auto it = model.users.find(target);
  if (it == model.users.end()) return Error::not_found("user " + std::to_string(target.value()) + " not found");
  if (target == acting && !active) return Error::conflict("a user cannot disable itself");
  it->second.state = active ? "active" : "disabled";
  return Status::success();
}

KeyId add_login_key(Model& model, UserId user, std::string value) {
  DCISIM_ASSERT(!model.key_by_value.count(value), "key values are unique");
  KeyId id(++model.last_key_id);
  model.key_by_value.emplace(value, id);
  model.keys.emplace(id, LoginKey{id, std::move(value), user});
  return id;
}

Result<UserId> use_login_key(Model& model, const std::string& value) {
  auto it = model.key_by_value.find(value);
  if (it == model.key_by_value.end()) {
    return Error{common::ErrorKind::unauthorized, "unauthorized: the key is unknown or was used already"};
  }
  UserId user = model.keys.at(it->second).user;
  const User* found = model.user(user);
  if (found == nullptr || !found->active()) {
    return Error{common::ErrorKind::unauthorized, "unauthorized: the key's user is disabled or gone"};
  }
  model.keys.erase(it->second);
  model.key_by_value.erase(it);
  return user;
}

TokenId add_token(Model& model, UserId user, std::string value, std::optional<common::Instant> expires_at,
                  std::string description, bool long_lived) {
  DCISIM_ASSERT(!model.token_by_value.count(value), "token values are unique");
  TokenId id(++model.last_token_id);
  model.token_by_value.emplace(value, id);
  model.tokens.emplace(id, Token{id, std::move(value), user, expires_at, std::move(description), long_lived});
  return id;
}

const Token* find_token(const Model& model, const std::string& value, common::Instant now) {
  auto it = model.token_by_value.find(value);
  if (it == model.token_by_value.end()) return nullptr;
  const Token& token = model.tokens.at(it->second);
  if (token.expires_at && *token.expires_at <= now) return nullptr;
  const User* user = model.user(token.user);
  if (user == nullptr || !user->active()) return nullptr;
  return &token;
}

Status delete_token(Model& model, const std::string& id_or_value, UserId acting, bool acting_is_admin) {
  TokenId id;
  int64_t number = 0;
  auto [end, ec] = std::from_chars(id_or_value.data(), id_or_value.data() + id_or_value.size(), number);
  if (ec == std::errc() && end == id_or_value.data() + id_or_value.size()) {
    id = TokenId(number);
  } else if (auto it = model.token_by_value.find(id_or_value); it != model.token_by_value.end()) {
    id = it->second;
  }
  auto it = model.tokens.find(id);
  if (it == model.tokens.end() || (!acting_is_admin && it->second.user != acting)) {
    return Error::not_found("token not found");
  }
  model.token_by_value.erase(it->second.value);
  model.tokens.erase(it);
  return Status::success();
}

void expire_all_tokens(Model& model) {
  model.tokens.clear();
  model.token_by_value.clear();
}

}  // namespace dcisim::mockdci
