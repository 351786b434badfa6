#include "mockdci/api_error.h"

#include "common/json_text.h"

namespace dcisim::mockdci {

using common::ErrorKind;
using common::HttpResponse;

namespace {

HttpResponse error_json(int status, int code, const std::string& message, const std::string& value) {
  nlohmann::json body = {{"error", {{"code", code}, {"msg", message}, {"value", value}}}};
  return json_response(status, body);
}

}  // namespace

HttpResponse json_response(int status, const nlohmann::json& body) {
  HttpResponse response;
  response.status = status;
  response.headers.emplace_back("Content-Type", "application/json");
  response.body = common::json_text(body);
  return response;
}

HttpResponse error_response(const common::Error& error, const std::string& value) {
  switch (error.kind) {
    case ErrorKind::unauthorized: return error_json(401, 1000, error.message, value);
    case ErrorKind::forbidden: return error_json(403, 1001, error.message, value);
    case ErrorKind::not_found: return error_json(404, 1002, error.message, value);
    case ErrorKind::invalid_argument: return error_json(400, 1003, error.message, value);
    case ErrorKind::conflict: return error_json(400, 1004, error.message, value);
    case ErrorKind::unavailable: return unavailable_response();
    case ErrorKind::io:
    case ErrorKind::internal: break;
  }
  return error_json(500, 1099, error.message, value);
}

HttpResponse method_not_allowed_response(const std::string& method, const std::string& path,
                                         const std::string& allowed) {
  HttpResponse response = error_json(405, 1005, "method " + method + " is not allowed on " + path + " (allowed: " + allowed + ")", path);
  response.headers.emplace_back("Allow", allowed);
  return response;
}

HttpResponse body_too_large_response(size_t limit_bytes) {
  return error_json(413, 1006, "the request body is over the limit of " + std::to_string(limit_bytes) + " bytes", "");
}

HttpResponse protocol_error_response(int status, const std::string& message) {
  return error_json(status, status < 500 ? 1003 : 1099, message, "");
}

HttpResponse unavailable_response() {
  HttpResponse response;
  response.status = 503;
  response.headers.emplace_back("Content-Type", "text/plain");
  response.body = "Unavailable";
  return response;
}

}  // namespace dcisim::mockdci
