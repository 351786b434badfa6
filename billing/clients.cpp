// Clients: registration (validated unique e-mail, salted PBKDF2 password hash), block/unblock,
// authentication and the account's credit limit.
#include <algorithm>
#include <cctype>

#include "billing/actions.h"
#include "billing/funds.h"
#include "billing/history.h"
#include "billing/ledger.h"
#include "billing/rows.h"
#include "billing/secrets.h"

namespace dcisim::billing {

namespace {

using common::Money;

std::string lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

bool valid_local_char(unsigned char c) {
  return std::isalnum(c) || std::string_view("!#$%&'*+/=?^_`{|}~.-").find(static_cast<char>(c)) !=
                                std::string_view::npos;
}

// A pragmatic subset of RFC 5322: local@domain, no spaces, a dot in the domain, sane lengths.
common::Status validate_email(const std::string& email) {
  auto bad = [&](const std::string& why) {
    return common::Error::invalid("bad e-mail '" + email + "': " + why +
                                  " (expected e.g. \"alice@example.com\")");
  };
  if (email.empty() || email.size() > 254) return bad("empty or longer than 254 characters");
  size_t at = email.find('@');
  if (at == std::string::npos || email.find('@', at + 1) != std::string::npos) {
    return bad("exactly one '@' is needed");
  }
  std::string local = email.substr(0, at);
  std::string domain = email.substr(at + 1);
  if (local.empty() || local.size() > 64) return bad("the part before '@' must be 1..64 characters");
  if (!std::all_of(local.begin(), local.end(), [](unsigned char c) { return valid_local_char(c); }) ||
      local.front() == '.' || local.back() == '.' || local.find("..") != std::string::npos) {
    return bad("the part before '@' has a character or dot that is not allowed");
  }
  if (domain.find('.') == std::string::npos || domain.front() == '.' || domain.back() == '.' ||
      domain.find("..") != std::string::npos) {
    return bad("the domain needs a dot between non-empty labels");
  }
  for (unsigned char c : domain) {
    if (!std::isalnum(c) && c != '-' && c != '.') return bad("the domain has a character that is not allowed");
  }
  return common::Status::success();
}

}  // namespace

common::Result<ClientId> register_client(Core& core, const NewClient& request) {
  std::string email = lowercase(request.email);
  DCISIM_RETURN_IF_ERROR(validate_email(email));
  if (request.name.empty() || request.name.size() > 200) {
    return common::Error::invalid("client name must be 1..200 characters");
  }
  if (request.password.size() < 8 || request.password.size() > 1024) {
    return common::Error::invalid("password must be 8..1024 characters");
  }
  std::string salt = generate_secret(core.settings.secrets, core.seed, "salt/" + email, 0, 16);
  std::string remote_password =
      generate_secret(core.settings.secrets, core.seed, "dci-user/" + email, 0, 16);
  store::Statement st = core.db.prepare(
      "INSERT INTO clients (email, name, password_hash, remote_password, status, created_at) "
      "VALUES (?1, ?2, ?3, ?4, 'active', ?5)");
  st.bind(1, email).bind(2, request.name);
  st.bind(3, hash_password(request.password, salt, core.settings.password_iterations));
  st.bind(4, remote_password).bind(5, core.now().unix_ms());
  common::Status inserted = st.run();
  if (!inserted.ok() && inserted.error().kind == common::ErrorKind::conflict) {
    return common::Error::conflict("a client with e-mail '" + email + "' already exists");
  }
  DCISIM_RETURN_IF_ERROR(inserted);
  ClientId id(core.db.last_insert_id());
  store::Statement account = core.db.prepare("INSERT INTO accounts (client_id) VALUES (?1)");
  account.bind(1, id.value());
  DCISIM_RETURN_IF_ERROR(account.run());
  HistoryEntry entry;
  entry.entity = "client";
  entry.entity_id = id.value();
  entry.to_status = client_status_name(ClientStatus::active);
  entry.actor = Actor::client;
  entry.reason = "registered";
  DCISIM_RETURN_IF_ERROR(write_history(core.db, core.now(), entry));
  return id;
}

common::Status set_client_status(Core& core, ClientId client, ClientStatus status,
                                 const std::string& reason) {
  DCISIM_ASSIGN_OR_RETURN(ClientRow row, load_client(core.db, client));
  if (row.status == status) {
    return common::Error::conflict("client " + client.to_string() + " is already " +
                                   client_status_name(status));
  }
  store::Statement st = core.db.prepare("UPDATE clients SET status = ?2 WHERE id = ?1");
  st.bind(1, client.value()).bind(2, client_status_name(status));
  DCISIM_RETURN_IF_ERROR(st.run());
  HistoryEntry entry;
  entry.entity = "client";
  entry.entity_id = client.value();
  entry.from_status = client_status_name(row.status);
  entry.to_status = client_status_name(status);
  entry.actor = Actor::admin;
  entry.reason = reason.empty() ? std::string(status == ClientStatus::blocked ? "blocked" : "unblocked") : reason;
  DCISIM_RETURN_IF_ERROR(write_history(core.db, core.now(), entry));
  if (status == ClientStatus::active) {
    return settle_account(core, row.account_id, Actor::funds, "client unblocked");
  }
  return common::Status::success();
}

common::Result<ClientId> authenticate(Core& core, const std::string& email, const std::string& password) {
  store::Statement st =
      core.db.prepare("SELECT id, password_hash, status FROM clients WHERE email = ?1");
  st.bind(1, lowercase(email));
  bool found = st.next();
  DCISIM_RETURN_IF_ERROR(st.status());
  // One message for an unknown e-mail and a wrong password: no account enumeration.
  if (!found || !verify_password(st.text(1), password)) {
    return common::Error{common::ErrorKind::unauthorized, "wrong e-mail or password"};
  }
  if (st.text(2) == "blocked") {
    return common::Error{common::ErrorKind::forbidden, "client " + std::to_string(st.integer(0)) +
                                                           " is blocked: contact support"};
  }
  return ClientId(st.integer(0));
}

common::Status set_credit_limit(Core& core, ClientId client, Money limit, const std::string& reason) {
  if (limit.is_negative()) return common::Error::invalid("a credit limit cannot be negative");
  if (limit > kMaxAmount) return common::Error::invalid("a credit limit above " + kMaxAmount.to_string() + " is refused");
  DCISIM_ASSIGN_OR_RETURN(AccountRow account, load_account_of_client(core.db, client));
  store::Statement st = core.db.prepare("UPDATE accounts SET credit_limit = ?2 WHERE id = ?1");
  st.bind(1, account.id.value()).bind(2, limit.sub_units());
  DCISIM_RETURN_IF_ERROR(st.run());
  // A raised limit is money available like a payment: the same settling follows.
  return settle_account(core, account.id, Actor::funds,
                        "credit limit set to " + limit.to_string() + (reason.empty() ? "" : ": " + reason));
}

}  // namespace dcisim::billing
