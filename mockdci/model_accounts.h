// Users (DCImanager accounts, @admin or @user), their session and long-lived tokens, and the
// catalog a user orders from: OS templates and scripts.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/time.h"
#include "mockdci/ids.h"

namespace dcisim::mockdci {

struct User {
  UserId id;
  std::string email;
  std::string password;  // plain: an emulator, never a real secret; never shown in state or journal
  std::string full_name;
  std::string phone_number;
  std::string role;  // "@admin" | "@user"

  bool is_admin() const { return role == "@admin"; }
};

struct Token {
  TokenId id;
  std::string value;  // "4-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"; never in state or journal
  UserId user;
  std::optional<common::Instant> expires_at;  // none: a session token that lives until reset
  std::string description;
  bool long_lived = false;  // made by POST /auth/v4/token
};

struct OsTemplate {
  TemplateId id;
  std::string name;
  std::vector<std::string> tags;
};

struct Script {
  ScriptId id;
  std::string name;
  std::string access;  // "all" | "admin"
};

}  // namespace dcisim::mockdci
