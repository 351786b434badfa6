#include "mockdci/http/response_writer.h"

#include <cstdio>

#include "common/time.h"

namespace dcisim::mockdci {

namespace {

bool server_owned(std::string_view name) {
  return common::iequals(name, "Content-Length") || common::iequals(name, "Transfer-Encoding") ||
         common::iequals(name, "Connection") || common::iequals(name, "Keep-Alive") || common::iequals(name, "Date");
}

void append_clean(std::string& out, std::string_view text) {
  for (char c : text) out += c == '\r' || c == '\n' || c == '\0' ? ' ' : c;
}

bool has_body(int status) { return status >= 200 && status != 204 && status != 304; }

}  // namespace

const char* reason_phrase(int status) {
  switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 411: return "Length Required";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 417: return "Expectation Failed";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 505: return "HTTP Version Not Supported";
    default: return status < 300 ? "OK" : status < 400 ? "Redirect" : status < 500 ? "Client Error" : "Server Error";
  }
}

std::string http_date(int64_t unix_seconds) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  int64_t days = unix_seconds >= 0 ? unix_seconds / 86400 : -((-unix_seconds + 86399) / 86400);
  int64_t second_of_day = unix_seconds - days * 86400;
  common::CivilDate date = common::civil_from_days(days);
  int weekday = static_cast<int>(((days % 7) + 7 + 4) % 7);  // 1970-01-01 was a Thursday
  char text[40];
  std::snprintf(text, sizeof text, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[weekday], date.day,
                kMonths[date.month - 1], date.year, static_cast<int>(second_of_day / 3600),
                static_cast<int>(second_of_day / 60 % 60), static_cast<int>(second_of_day % 60));
  return text;
}

WireResponse serialize_response(const common::HttpResponse& response, const ResponseFraming& framing) {
  int status = response.status >= 100 && response.status <= 599 ? response.status : 500;
  bool body = has_body(status);
  WireResponse out;
  out.bytes.reserve(160 + response.body.size() + response.headers.size() * 48);
  out.bytes += "HTTP/1.1 ";
  out.bytes += std::to_string(status);
  out.bytes += ' ';
  out.bytes += reason_phrase(status);
  out.bytes += "\r\n";
  bool content_type = false;
  for (const auto& [name, value] : response.headers) {
    if (server_owned(name) || name.empty()) continue;
    content_type = content_type || common::iequals(name, "Content-Type");
    append_clean(out.bytes, name);
    out.bytes += ": ";
    append_clean(out.bytes, value);
    out.bytes += "\r\n";
  }
  if (body && !content_type) out.bytes += "Content-Type: application/json\r\n";
  if (!framing.date.empty()) {
    out.bytes += "Date: ";
    out.bytes += framing.date;
    out.bytes += "\r\n";
  }
  if (body) {
    out.bytes += "Content-Length: ";
    out.bytes += std::to_string(response.body.size());
    out.bytes += "\r\n";
  }
  if (framing.close) {
    out.bytes += "Connection: close\r\n";
  } else if (framing.http10_keep_alive) {
    out.bytes += "Connection: keep-alive\r\n";
  }
  out.bytes += "\r\n";
  out.body_offset = out.bytes.size();
  if (body && !framing.head_request) out.bytes += response.body;
  return out;
}

}  // namespace dcisim::mockdci
