// Users and tokens (auth v4 and dci v3 /user): creating and deleting users, checking a login,
// issuing and resolving tokens. Token values are made by the caller (the Emulator draws them from
// its seeded generator, or from OpenSSL in `serve` mode) so that this stays pure model logic.
#pragma once

#include <optional>
#include <string>

#include "common/result.h"
#include "mockdci/model.h"

namespace dcisim::mockdci {

struct NewUser {
  std::string email;
  std::string password;  // required unless password_optional
  std::string full_name;
  std::string phone_number;
  std::string role = "@user";  // "@admin" | "@user"
  std::string auth_source = "local";
  bool email_confirm = false;
  bool password_optional = false;  // auth v4 POST /user: a user may be created without one
};

// Errors: invalid_argument for a malformed field, conflict for an e-mail already taken.
common::Result<UserId> create_user(Model& model, const NewUser& user);

// A user named by id ("7") or by e-mail (auth v4's UserId parameter); not_found otherwise.
common::Result<UserId> find_user(const Model& model, const std::string& id_or_email);
// auth v4 suspend/resume: a disabled user cannot log in and its tokens stop working. Refused
// (conflict) for the acting user itself.
common::Status set_user_active(Model& model, UserId target, bool active, UserId acting);

// One-time login keys: made by an administrator (or a user for itself), used once.
KeyId add_login_key(Model& model, UserId user, std::string value);
// The key's user, the key consumed; unauthorized when unknown, used or its user is disabled.
common::Result<UserId> use_login_key(Model& model, const std::string& value);
// Refused while the user owns a server, for the acting user itself, and for unknown ids.
common::Status delete_user(Model& model, UserId target, UserId acting);
int64_t owned_server_count(const Model& model, UserId user);

// The user with this e-mail and password; an error (invalid_argument) otherwise, and forbidden
// for a disabled user. A user without a password never logs in with one.
common::Result<UserId> check_credentials(const Model& model, const std::string& email,
                                         const std::string& password);

TokenId add_token(Model& model, UserId user, std::string value,
                  std::optional<common::Instant> expires_at, std::string description, bool long_lived);
// The live token with this value, or nullptr (unknown, expired, its user deleted or disabled).
const Token* find_token(const Model& model, const std::string& value, common::Instant now);
// Deletes a token by id or by value. A @user may delete only its own tokens.
common::Status delete_token(Model& model, const std::string& id_or_value, UserId acting, bool acting_is_admin);
// Every token stops working (a fault to test clients' re-login).
void expire_all_tokens(Model& model);

}  // namespace dcisim::mockdci
