#include "common/http.h"

#include <cctype>

namespace dcisim::common {

namespace {

const std::string* find_header(const HeaderList& list, std::string_view name) {
  for (const auto& [key, value] : list) {
    if (iequals(key, name)) return &value;
  }
  return nullptr;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

const std::string* HttpRequest::header(std::string_view name) const { return find_header(headers, name); }

const std::string* HttpRequest::query_param(std::string_view name) const {
  for (const auto& [key, value] : query) {
    if (key == name) return &value;
  }
  return nullptr;
}

std::string HttpRequest::target() const {
  std::string out = path;
  char separator = '?';
  for (const auto& [key, value] : query) {
    out += separator;
    out += url_encode(key) + "=" + url_encode(value);
    separator = '&';
  }
  return out;
}

const std::string* HttpResponse::header(std::string_view name) const { return find_header(headers, name); }

const char* delivery_mode_name(Delivery::Mode mode) {
  switch (mode) {
    case Delivery::Mode::normal: return "normal";
    case Delivery::Mode::reset: return "reset";
    case Delivery::Mode::close: return "close";
    case Delivery::Mode::truncate: return "truncate";
    case Delivery::Mode::hang: return "hang";
  }
  return "normal";
}

Result<HttpResponse> InMemoryTransport::send(const HttpRequest& request) {
  HttpResponse response = handler_(request);
  std::string what = request.method + " " + request.path + ": ";
  if (response.delivery.mode == Delivery::Mode::hang || response.delivery.delay >= timeout_) {
    return Error::io(what + "no response within " + format_duration(timeout_) + " (timed out)");
  }
  switch (response.delivery.mode) {
    case Delivery::Mode::normal: return response;
    case Delivery::Mode::reset: return Error::io(what + "connection reset by peer");
    case Delivery::Mode::close: return Error::io(what + "the connection closed without a response");
    case Delivery::Mode::truncate: return Error::io(what + "the connection closed in the middle of the response body");
    case Delivery::Mode::hang: break;
  }
  return Error::io(what + "no response");
}

std::string url_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string url_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

HeaderList parse_query_string(std::string_view query) {
  HeaderList out;
  size_t pos = 0;
  while (pos <= query.size()) {
    size_t end = query.find('&', pos);
    if (end == std::string_view::npos) end = query.size();
    std::string_view pair = query.substr(pos, end - pos);
    if (!pair.empty()) {
      size_t eq = pair.find('=');
      if (eq == std::string_view::npos) {
        out.emplace_back(url_decode(pair), "");
      } else {
        out.emplace_back(url_decode(pair.substr(0, eq)), url_decode(pair.substr(eq + 1)));
      }
    }
    pos = end + 1;
  }
  return out;
}

}  // namespace dcisim::common
