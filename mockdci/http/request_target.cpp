#include "mockdci/http/request_target.h"

namespace dcisim::mockdci {

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode_path(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex_digit(text[i + 1]) >= 0 && hex_digit(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_digit(text[i + 1]) * 16 + hex_digit(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace

bool split_target(std::string_view target, TargetParts& out) {
  size_t hash = target.find('#');
  if (hash != std::string_view::npos) target = target.substr(0, hash);
  if (target == "*") {
    out.path.assign(1, '*');  // not = "*": GCC 12 warns falsely
    out.query = {};
    return true;
  }
  std::string_view scheme_end = "://";
  size_t authority = target.find(scheme_end);
  if (!target.empty() && target[0] != '/' && authority != std::string_view::npos) {
    std::string_view scheme = target.substr(0, authority);
    if (!common::iequals(scheme, "http") && !common::iequals(scheme, "https")) return false;
    size_t start = authority + scheme_end.size();
    size_t end = target.find_first_of("/?", start);
    if (end == start) return false;  // no host
    if (end == std::string_view::npos || target[end] == '?') {
      out.path.assign(1, '/');
      out.query = end == std::string_view::npos ? std::string_view() : target.substr(end + 1);
      return true;
    }
    target = target.substr(end);
  }
  if (target.empty() || target[0] != '/') return false;
  size_t question = target.find('?');
  out.path = percent_decode_path(target.substr(0, question));
  out.query = question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
  return true;
}

common::HttpRequest to_http_request(RequestHead& head, std::string& body) {
  common::HttpRequest out;
  TargetParts parts;
  if (split_target(head.target, parts)) {
    out.path = std::move(parts.path);
    if (!parts.query.empty()) out.query = common::parse_query_string(parts.query);
  }
  out.method = std::move(head.method);
  out.headers = std::move(head.headers);
  out.body = std::move(body);
  return out;
}

}  // namespace dcisim::mockdci
