#include "mockdci/http/request_parser.h"

#include "mockdci/http/request_target.h"

#include <algorithm>
#include <array>
#include <vector>

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

bool all_field_value_bytes(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return is_field_value_byte(static_cast<unsigned char>(c)); });
}

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
    if (!all_field_value_bytes(value)) {
      return refuse(400, "malformed header " + std::string(line.substr(0, colon)) + ": the value holds a control character");
    }
    if (head_.headers.size() >= limits_.max_headers) {
      return refuse(431, "more than " + std::to_string(limits_.max_headers) + " header fields");
    }
    head_.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  }
}

namespace {

// What the headers say about framing, the connection and expectations, read in one pass.
struct HeadFields {
  size_t hosts = 0;
  bool has_length = false;
  bool bad_length = false;
  uint64_t length = 0;
  bool has_transfer_encoding = false;
  std::vector<std::string_view> codings;
  bool close = false;
  bool keep_alive = false;
  bool expect_continue = false;
  std::string_view bad_expect;
};

void read_length(std::string_view value, HeadFields& fields) {
  if (trim_ows(value).empty()) fields.bad_length = true;
  for_each_list_element(value, [&](std::string_view element) {
    uint64_t length = 0;
    if (!parse_length(element, length) || (fields.has_length && length != fields.length)) fields.bad_length = true;
    fields.length = length;
    fields.has_length = true;
  });
}

HeadFields read_fields(const common::HeaderList& headers) {
  HeadFields fields;
  for (const auto& [name, value] : headers) {
    if (common::iequals(name, "Host")) {
      ++fields.hosts;
    } else if (common::iequals(name, "Content-Length")) {
      read_length(value, fields);
    } else if (common::iequals(name, "Transfer-Encoding")) {
      fields.has_transfer_encoding = true;
      for_each_list_element(value, [&](std::string_view coding) { fields.codings.push_back(coding); });
    } else if (common::iequals(name, "Connection")) {
      for_each_list_element(value, [&](std::string_view option) {
        fields.close = fields.close || common::iequals(option, "close");
        fields.keep_alive = fields.keep_alive || common::iequals(option, "keep-alive");
      });
    } else if (common::iequals(name, "Expect")) {
      if (common::iequals(value, "100-continue")) {
        fields.expect_continue = true;
      } else {
        fields.bad_expect = value;
      }
    }
  }
  return fields;
}

}  // namespace

RequestParser::Progress RequestParser::finish_head() {
  bool http11 = head_.version_minor >= 1;
  HeadFields fields = read_fields(head_.headers);
  if (http11 && fields.hosts != 1) {
    return refuse(400, "an HTTP/1.1 request needs exactly one Host header (found " + std::to_string(fields.hosts) + ")");
  }
  if (fields.bad_length) return refuse(400, "malformed Content-Length (expected one decimal number)");
  if (fields.has_transfer_encoding) {
    if (!http11) return refuse(400, "Transfer-Encoding in an HTTP/1.0 request");
    if (fields.has_length) return refuse(400, "both Content-Length and Transfer-Encoding");
    if (fields.codings.empty() || !common::iequals(fields.codings.back(), "chunked")) {
      return refuse(400, "Transfer-Encoding must end with chunked");
    }
    if (fields.codings.size() > 1) {
      return refuse(501, "transfer coding " + std::string(fields.codings.front()) + " is not implemented (only chunked)");
    }
    head_.chunked = true;
  } else if (fields.length > limits_.max_body_bytes) {
    return refuse(413, "");
  }
  head_.content_length = head_.chunked ? 0 : fields.length;
  if (!fields.bad_expect.empty()) {
    return refuse(417, "Expect: " + std::string(fields.bad_expect) + " is not supported (only 100-continue)");
  }
  head_.expect_continue = http11 && fields.expect_continue;
  head_.keep_alive = !fields.close && (http11 || fields.keep_alive);
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

std::optional<RequestParser::Progress> RequestParser::data_step(std::string_view rest, size_t& pos) {
  size_t take = static_cast<size_t>(std::min<uint64_t>(body_remaining_, rest.size()));
  body_.append(rest.data(), take);
  pos += take;
  body_remaining_ -= take;
  if (body_remaining_ > 0) return Progress::need_more;
  if (state_ == State::body) {
    state_ = State::done;
    return Progress::done;
  }
  state_ = State::chunk_data_end;
  return std::nullopt;
}

std::optional<RequestParser::Progress> RequestParser::chunk_end_step(std::string_view rest, size_t& pos) {
  if (rest.empty() || (rest[0] == '\r' && rest.size() < 2)) return Progress::need_more;
  size_t skip = rest[0] == '\n' ? 1 : (rest[0] == '\r' && rest[1] == '\n') ? 2 : 0;
  if (skip == 0) return refuse(400, "malformed chunked body: chunk data longer than its size");
  pos += skip;
  state_ = State::chunk_size;
  return std::nullopt;
}

std::optional<RequestParser::Progress> RequestParser::chunk_size_step(std::string_view rest, size_t& pos) {
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
  bool extension_ok = extension.empty() || (extension[0] == ';' && all_field_value_bytes(extension));
  if (digits == 0 || !extension_ok || length > kMaxChunkLineBytes) return refuse(400, "malformed chunked body: bad chunk size line");
  if (size > limits_.max_body_bytes - body_.size()) return refuse(413, "");
  body_remaining_ = size;
  state_ = size == 0 ? State::trailers : State::chunk_data;
  return std::nullopt;
}

std::optional<RequestParser::Progress> RequestParser::trailer_step(std::string_view rest, size_t& pos) {
  size_t line_end = 0;
  size_t length = find_line(rest, line_end);
  size_t seen = length == std::string_view::npos ? rest.size() : line_end;
  if (head_bytes_ + seen > limits_.max_head_bytes) {
    return refuse(431, "the request's headers and trailers are over the limit of " + std::to_string(limits_.max_head_bytes) + " bytes");
  }
  if (length == std::string_view::npos) return Progress::need_more;
  std::string_view line = rest.substr(0, length);
  pos += line_end;
  head_bytes_ += line_end;
  if (line.empty()) {
    state_ = State::done;
    return Progress::done;
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos || !is_token(line.substr(0, colon))) return refuse(400, "malformed chunked body: bad trailer line");
  return std::nullopt;  // trailer fields are read and ignored
}

RequestParser::Progress RequestParser::parse_body(std::string_view input, size_t& consumed) {
  size_t pos = 0;
  while (true) {
    std::string_view rest = input.substr(pos);
    std::optional<Progress> progress;
    switch (state_) {
      case State::body:
      case State::chunk_data: progress = data_step(rest, pos); break;
      case State::chunk_data_end: progress = chunk_end_step(rest, pos); break;
      case State::chunk_size: progress = chunk_size_step(rest, pos); break;
      case State::trailers: progress = trailer_step(rest, pos); break;
      case State::done: progress = Progress::done; break;
      case State::refused: progress = Progress::refused; break;
      case State::request_line:
      case State::headers: progress = Progress::need_more; break;  // not reached: parse() routes heads elsewhere
    }
    consumed = pos;
    if (progress) return *progress;
  }
}

}  // namespace dcisim::mockdci
