#include "billing/dci6/api_error.h"

#include "common/json_input.h"
#include "common/json_text.h"

namespace dcisim::billing::dci6 {

namespace {

// Plain-text bodies are quoted in messages; keep them short and printable.
std::string printable_start(const std::string& body) {
  constexpr size_t kMax = 120;
  std::string out;
  for (char c : body.substr(0, kMax)) {
    unsigned char u = static_cast<unsigned char>(c);
    out += (u >= 0x20 && u < 0x7f) ? c : ' ';
  }
  if (body.size() > kMax) out += "...";
  return out;
}

}  // namespace

bool ApiError::transient() const {
  switch (kind) {
    case common::ErrorKind::io:
    case common::ErrorKind::unavailable:
    case common::ErrorKind::unauthorized:
    case common::ErrorKind::internal:
      return true;
    default:
      return false;
  }
}

common::ErrorKind error_kind_for_status(int http_status) {
  switch (http_status) {
    case 400: return common::ErrorKind::invalid_argument;
    case 401: return common::ErrorKind::unauthorized;
    case 403: return common::ErrorKind::forbidden;
    case 404: return common::ErrorKind::not_found;
    case 409: return common::ErrorKind::conflict;
    case 429: return common::ErrorKind::unavailable;  // too many requests: retry later
    default: break;
  }
  if (http_status >= 500) return common::ErrorKind::unavailable;
  if (http_status >= 400) return common::ErrorKind::invalid_argument;
  return common::ErrorKind::internal;
}

ApiError parse_api_error(int http_status, const std::string& body, const std::string& what) {
  ApiError error;
  error.kind = error_kind_for_status(http_status);
  error.http_status = http_status;
  common::Result<Json> read = common::parse_json_text(body, "the response body", false);
  Json parsed = read ? std::move(read).value() : Json();
  if (parsed.is_object() && parsed.contains("error")) {
    const Json& inner = parsed["error"];
    if (inner.is_object()) {
      if (inner.contains("code") && inner["code"].is_number_integer()) error.code = inner["code"].get<int>();
      if (inner.contains("msg") && inner["msg"].is_string()) error.msg = inner["msg"].get<std::string>();
      if (inner.contains("value")) error.value = inner["value"];
    } else if (inner.is_string()) {
      error.msg = inner.get<std::string>();
      if (parsed.contains("code") && parsed["code"].is_number_integer()) error.code = parsed["code"].get<int>();
    }
  } else {
    error.msg = printable_start(body);
  }
  error.message = what + ": HTTP " + std::to_string(http_status);
  if (error.code != 0) error.message += ", error " + std::to_string(error.code);
  if (!error.msg.empty()) error.message += ": " + error.msg;
  if (error.value.is_string() && !error.value.get<std::string>().empty()) {
    error.message += " (" + printable_start(error.value.get<std::string>()) + ")";
  } else if (error.value.is_object() && !error.value.empty()) {
    error.message += " (" + printable_start(common::json_text(error.value)) + ")";
  }
  return error;
}

}  // namespace dcisim::billing::dci6
