#include "mockdci/http/request_parser.h"

#include <algorithm>
#include <array>

namespace dcisim::mockdci {

namespace {

constexpr size_t kMaxChunkLineBytes = 4096;  // chunk size + extensions
constexpr size_t kMaxChunkSizeDigits = 15;   // 2^60: far over any body limit

// RFC 9110 §5.6.2: tchar.
bool is_tchar(unsigned char c) {
  if (c >= '0' && c <= '9') return true;
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

bool is_token(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return is_tchar(static_cast<unsigned char>(c)); });
}

// Field values: HTAB, SP, visible ASCII, obs-text. CR, LF, NUL and other controls are refused.
bool is_field_value_byte(unsigned char c) { return c == '\t' || (c >= 0x20 && c != 0x7F); }

bool is_target_byte(unsigned char c) { return c > 0x20 && c != 0x7F; }

std::string_view trim_ows(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool implemented_method(std::string_view method) {
  static constexpr std::array<std::string_view, 7> kMethods = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"};
  return std::find(kMethods.begin(), kMethods.end(), method) != kMethods.end();
}

// Calls `each` with every trimmed, non-empty element of a comma-separated list.
template <typename Each>
void for_each_list_element(std::string_view list, Each each) {
  size_t pos = 0;
  while (pos <= list.size()) {
    size_t comma = list.find(',', pos);
    if (comma == std::string_view::npos) comma = list.size();
    std::string_view element = trim_ows(list.substr(pos, comma - pos));
    if (!element.empty()) each(element);
    pos = comma + 1;
  }
}

// 1*DIGIT, saturating at UINT64_MAX (a huge length is still a length: over any limit).
bool parse_length(std::string_view text, uint64_t& value) {
  if (text.empty()) return false;
  value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    uint64_t digit = static_cast<uint64_t>(c - '0');
    value = value > (UINT64_MAX - digit) / 10 ? UINT64_MAX : value * 10 + digit;
  }
  return true;
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

size_t RequestParser::find_line(std::string_view input, size_t& line_end) {
  size_t newline = input.find('\n', std::min(scanned_, input.size()));
  if (newline == std::string_view::npos) {
    scanned_ = input.size();
    return std::string_view::npos;
  }
  scanned_ = 0;
  line_end = newline + 1;
  return newline > 0 && input[newline - 1] == '\r' ? newline - 1 : newline;
}

RequestParser::Progress RequestParser::refuse(int status, std::string message) {
  state_ = State::refused;
  refusal_ = {status, std::move(message)};
  return Progress::refused;
}

void RequestParser::next() {
  state_ = State::request_line;
  head_ = RequestHead{};
  body_.clear();
  refusal_ = {};
  head_bytes_ = 0;
  scanned_ = 0;
  body_remaining_ = 0;
}

RequestParser::Progress RequestParser::parse(std::string_view input, size_t& consumed) {
  consumed = 0;
  switch (state_) {
    case State::refused: return Progress::refused;
    case State::done: return Progress::done;
    case State::request_line:
    case State::headers: return parse_head(input, consumed);
    default: return parse_body(input, consumed);
  }
}

namespace {

// The request line "METHOD SP target SP HTTP/1.x" into `head`; an empty status when it is fine.
ParseRefusal check_request_line(std::string_view line, RequestHead& head) {
  size_t sp1 = line.find(' ');
  size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos) {
    return {400, "malformed request line (expected METHOD SP target SP HTTP/1.1)"};
  }
  std::string_view method = line.substr(0, sp1);
  std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  std::string_view version = line.substr(sp2 + 1);
  if (!is_token(method)) return {400, "malformed request line: the method is not a token"};
  head.method = std::string(method);
  if (target.empty() || !std::all_of(target.begin(), target.end(), [](char c) { return is_target_byte(static_cast<unsigned char>(c)); })) {
    return {400, "malformed request line: the target is empty or holds a control character"};
  }
  head.target = std::string(target);
  if (version.size() != 8 || version.substr(0, 5) != "HTTP/" || version[6] != '.' || version[5] < '0' ||
      version[5] > '9' || version[7] < '0' || version[7] > '9') {
    return {400, "malformed request line: the version is not HTTP/<digit>.<digit>"};
  }
  if (version[5] != '1') return {505, "HTTP version " + std::string(version.substr(5)) + " is not supported (HTTP/1.1 and HTTP/1.0 are)"};
  head.version_minor = version[7] - '0';
  if (!implemented_method(method)) return {501, "method " + std::string(method) + " is not implemented"};
  TargetParts parts;
  if (!split_target(target, parts) || (parts.path == "*" && method != "OPTIONS")) {
    return {400, "malformed request target (expected /path, http://host/path, or * with OPTIONS)"};
  }
  return {0, ""};
}

}  // namespace

RequestParser::Progress RequestParser::parse_head(std::string_view input, size_t& consumed) {
  size_t pos = 0;
  while (true) {
    size_t line_end = 0;
    size_t length = find_line(input.substr(pos), line_end);
    if (length == std::string_view::npos) {
      consumed = pos;
      if (head_bytes_ + (input.size() - pos) > limits_.max_head_bytes) {
        return refuse(431, "the request line and headers are over the limit of " + std::to_string(limits_.max_head_bytes) + " bytes");
      }
      return Progress::need_more;
    }
    std::string_view line = input.substr(pos, length);
    pos += line_end;
    head_bytes_ += line_end;
    consumed = pos;
    if (head_bytes_ > limits_.max_head_bytes) {
      return refuse(431, "the request line and headers are over the limit of " + std::to_string(limits_.max_head_bytes) + " bytes");
    }
    if (state_ == State::request_line) {
      if (line.empty()) continue;  // RFC 9112 §2.2: empty lines before a request line are ignored
      ParseRefusal refused = check_request_line(line, head_);
      if (refused.status != 0) return refuse(refused.status, std::move(refused.message));
      state_ = State::headers;
      continue;
    }
    if (line.empty()) return finish_head();
    if (line.front() == ' ' || line.front() == '\t') return refuse(400, "malformed header: obsolete line folding");
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || !is_token(line.substr(0, colon))) {
      return refuse(400, "malformed header line (expected name: value, the name a token without spaces)");
    }
    std::string_view value = trim_ows(line.substr(colon + 1));
    if (!std::all_of(value.begin(), value.end(), [](char c) { return is_field_value_byte(static_cast<unsigned char>(c)); })) {
      return refuse(400, "malformed header " + std::string(line.substr(0, colon)) + ": the value holds a control character");
    }
    if (head_.headers.size() >= limits_.max_headers) {
      return refuse(431, "more than " + std::to_string(limits_.max_headers) + " header fields");
    }
    head_.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  }
}

RequestParser::Progress RequestParser::finish_head() {
  bool http11 = head_.version_minor >= 1;
  size_t hosts = 0;
  bool has_length = false;
  bool close = false;
  bool keep_alive = false;
  bool bad_length = false;
  std::vector<std::string_view> codings;
  std::string_view bad_expect;
  bool expect_continue = false;
  bool has_transfer_encoding = false;
  for (const auto& [name, value] : head_.headers) {
    if (common::iequals(name, "Host")) {
      ++hosts;
    } else if (common::iequals(name, "Content-Length")) {
      for_each_list_element(value, [&](std::string_view element) {
        uint64_t length = 0;
        if (!parse_length(element, length) || (has_length && length != head_.content_length)) bad_length = true;
        head_.content_length = length;
        has_length = true;
      });
      if (trim_ows(value).empty()) bad_length = true;
    } else if (common::iequals(name, "Transfer-Encoding")) {
      has_transfer_encoding = true;
      for_each_list_element(value, [&](std::string_view coding) { codings.push_back(coding); });
    } else if (common::iequals(name, "Connection")) {
      for_each_list_element(value, [&](std::string_view option) {
        close = close || common::iequals(option, "close");
        keep_alive = keep_alive || common::iequals(option, "keep-alive");
      });
    } else if (common::iequals(name, "Expect")) {
      if (common::iequals(value, "100-continue")) {
        expect_continue = true;
      } else {
        bad_expect = value;
      }
    }
  }
  if (http11 && hosts != 1) return refuse(400, "an HTTP/1.1 request needs exactly one Host header (found " + std::to_string(hosts) + ")");
  if (bad_length) return refuse(400, "malformed Content-Length (expected one decimal number)");
  if (has_transfer_encoding) {
    if (!http11) return refuse(400, "Transfer-Encoding in an HTTP/1.0 request");
    if (has_length) return refuse(400, "both Content-Length and Transfer-Encoding");
    if (codings.empty() || !common::iequals(codings.back(), "chunked")) {
      return refuse(400, "Transfer-Encoding must end with chunked");
    }
    if (codings.size() > 1) return refuse(501, "transfer coding " + std::string(codings.front()) + " is not implemented (only chunked)");
    head_.chunked = true;
  } else if (head_.content_length > limits_.max_body_bytes) {
    return refuse(413, "");
  }
  if (!bad_expect.empty()) return refuse(417, "Expect: " + std::string(bad_expect) + " is not supported (only 100-continue)");
  head_.expect_continue = http11 && expect_continue;
  head_.keep_alive = !close && (http11 || keep_alive);
  if (!body_expected()) {
    state_ = State::done;
    return Progress::done;
  }
  if (head_.chunked) {
    state_ = State::chunk_size;
  } else {
    state_ = State::body;
    body_remaining_ = head_.content_length;
    body_.reserve(std::min<uint64_t>(head_.content_length, 64 << 10));
  }
  return Progress::head_done;
}

RequestParser::Progress RequestParser::parse_body(std::string_view input, size_t& consumed) {
  size_t pos = 0;
  while (true) {
    consumed = pos;
    std::string_view rest = input.substr(pos);
    switch (state_) {
      case State::body:
      case State::chunk_data: {
        size_t take = static_cast<size_t>(std::min<uint64_t>(body_remaining_, rest.size()));
        body_.append(rest.data(), take);
        pos += take;
        consumed = pos;
        body_remaining_ -= take;
        if (body_remaining_ > 0) return Progress::need_more;
        if (state_ == State::body) {
          state_ = State::done;
          return Progress::done;
        }
        state_ = State::chunk_data_end;
        break;
      }
      case State::chunk_data_end: {
        if (rest.empty() || (rest[0] == '\r' && rest.size() < 2)) return Progress::need_more;
        size_t skip = rest[0] == '\n' ? 1 : (rest[0] == '\r' && rest[1] == '\n') ? 2 : 0;
        if (skip == 0) return refuse(400, "malformed chunked body: chunk data longer than its size");
        pos += skip;
        state_ = State::chunk_size;
        break;
      }
      case State::chunk_size: {
        size_t line_end = 0;
        size_t length = find_line(rest, line_end);
        if (length == std::string_view::npos) {
          if (rest.size() > kMaxChunkLineBytes) return refuse(400, "malformed chunked body: chunk size line too long");
          return Progress::need_more;
        }
        std::string_view line = rest.substr(0, length);
        pos += line_end;
        size_t digits = 0;
        uint64_t size = 0;
        while (digits < line.size() && hex_digit(line[digits]) >= 0) {
          if (digits == kMaxChunkSizeDigits) return refuse(413, "");
          size = size * 16 + static_cast<uint64_t>(hex_digit(line[digits]));
          ++digits;
        }
        std::string_view extension = trim_ows(line.substr(digits));
        bool extension_ok = extension.empty() || (extension[0] == ';' &&
            std::all_of(extension.begin(), extension.end(), [](char c) { return is_field_value_byte(static_cast<unsigned char>(c)); }));
        if (digits == 0 || !extension_ok || length > kMaxChunkLineBytes) {
          return refuse(400, "malformed chunked body: bad chunk size line");
        }
        if (size > limits_.max_body_bytes - body_.size()) return refuse(413, "");
        if (size == 0) {
          state_ = State::trailers;
        } else {
          body_remaining_ = size;
          state_ = State::chunk_data;
        }
        break;
      }
      case State::trailers: {
        size_t line_end = 0;
        size_t length = find_line(rest, line_end);
        if (length == std::string_view::npos) {
          if (head_bytes_ + rest.size() > limits_.max_head_bytes) {
            return refuse(431, "the request's headers and trailers are over the limit of " + std::to_string(limits_.max_head_bytes) + " bytes");
          }
          return Progress::need_more;
        }
        std::string_view line = rest.substr(0, length);
        pos += line_end;
        head_bytes_ += line_end;
        if (head_bytes_ > limits_.max_head_bytes) {
          return refuse(431, "the request's headers and trailers are over the limit of " + std::to_string(limits_.max_head_bytes) + " bytes");
        }
        if (line.empty()) {
          consumed = pos;
          state_ = State::done;
          return Progress::done;
        }
        size_t colon = line.find(':');
        if (colon == std::string_view::npos || !is_token(line.substr(0, colon))) {
          return refuse(400, "malformed chunked body: bad trailer line");
        }
        break;  // trailer fields are read and ignored
      }
      case State::done: return Progress::done;
      case State::refused: return Progress::refused;
      case State::request_line:
      case State::headers: return Progress::need_more;  // not reached: parse() routes heads elsewhere
    }
  }
}

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
    if (end == std::string_view::npos) {
      out.path.assign(1, '/');
      out.query = {};
      return true;
    }
    if (target[end] == '?') {
      out.path.assign(1, '/');
      out.query = target.substr(end + 1);
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
