// Users (DCImanager accounts, @admin or @user), their session and long-lived tokens, their
// one-time login keys, and the catalog a user orders from: OS templates and scripts. One user
// model serves both auth v4 (/auth/v4/user) and dci v3 (/dci/v3/user): they are the same people.
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
  std::string password;  // plain: an emulator, never a real secret; never shown in state or journal;
                         // "" when created without one (auth v4): no password login, keys only
  std::string full_name;
  std::string phone_number;
  std::string role;  // "@admin" | "@user"
  std::string state = "active";       // "active" | "disabled" (auth v4 suspend/resume)
  std::string auth_source = "local";  // "local" | "ldap" (auth v4; the emulator checks passwords itself)
  bool email_confirm = false;
  std::string lang = "en";            // "en" | "ru"

  bool is_admin() const { return role == "@admin"; }
  bool active() const { return state == "active"; }
};

// A one-time key (auth v4 POST /user/{id}/key, /self/key): exchanged once for a session token at
// POST /auth/v4/public/key, then gone.
struct LoginKey {
  KeyId id;
  std::string value;  // never in state or journal
  UserId user;
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
