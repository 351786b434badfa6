#include "mockdci/auth.h"

#include "mockdci/accounts.h"

namespace dcisim::mockdci {

using common::Error;
using common::ErrorKind;

namespace {

std::string_view trim(std::string_view text) {
  size_t begin = text.find_first_not_of(' ');
  if (begin == std::string_view::npos) return {};
  size_t end = text.find_last_not_of(' ');
  return text.substr(begin, end - begin + 1);
}

std::string cookie_value(const std::string& header, std::string_view name) {
  std::string_view rest = header;
  while (!rest.empty()) {
    size_t semicolon = rest.find(';');
    std::string_view pair = trim(rest.substr(0, semicolon));
    size_t eq = pair.find('=');
    if (eq != std::string_view::npos && trim(pair.substr(0, eq)) == name) return std::string(trim(pair.substr(eq + 1)));
    if (semicolon == std::string_view::npos) break;
    rest = rest.substr(semicolon + 1);
  }
  return "";
}

// Compares without an early exit, so that the time taken does not reveal a matching prefix.
bool equal_in_constant_time(const std::string& a, const std::string& b) {
  if (a.size() != b.size() || b.empty()) return false;
  unsigned char difference = 0;
  for (size_t i = 0; i < a.size(); ++i) difference |= static_cast<unsigned char>(a[i] ^ b[i]);
  return difference == 0;
}

}  // namespace

std::string session_token_of(const common::HttpRequest& request) {
  if (const std::string* header = request.header("x-xsrf-token"); header != nullptr && !header->empty()) return *header;
  if (const std::string* cookie = request.header("Cookie"); cookie != nullptr) return cookie_value(*cookie, "ses6");
  return "";
}

common::Result<Caller> authenticate(const Model& model, const common::HttpRequest& request, common::Instant now) {
  std::string value = session_token_of(request);
  if (value.empty()) {
    return Error{ErrorKind::unauthorized, "unauthorized: send the session token in the x-xsrf-token header or the ses6 cookie"};
  }
  const Token* token = find_token(model, value, now);
  if (token == nullptr) return Error{ErrorKind::unauthorized, "unauthorized: the token is invalid or has expired"};
  const User& user = model.users.at(token->user);
  return Caller{user.id, user.is_admin(), user.email};
}

common::Status check_control_token(const std::string& expected, const common::HttpRequest& request) {
  const std::string* header = request.header("Authorization");
  const std::string prefix = "Bearer ";
  if (header == nullptr || header->compare(0, prefix.size(), prefix) != 0) {
    return Error{ErrorKind::unauthorized, "the control API needs \"Authorization: Bearer <control token>\""};
  }
  if (!equal_in_constant_time(header->substr(prefix.size()), expected)) {
    return Error{ErrorKind::unauthorized, "wrong control token"};
  }
  return common::Status::success();
}

}  // namespace dcisim::mockdci
