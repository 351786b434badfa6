// What went wrong in one DCImanager API call, keeping what DCImanager said: the HTTP status, its
// error code and message ({"error": {"code", "msg", "value"}}, API.md §1). `ApiResult<T>` is a T
// or an ApiError, like common::Result but without losing those fields, so that the module can
// tell "no free server" from "server busy" from "no answer at all".
#pragma once

#include <string>
#include <utility>
#include <variant>

#include <nlohmann/json.hpp>

#include "common/assert.h"
#include "common/result.h"

namespace dcisim::billing::dci6 {

using Json = nlohmann::json;

struct ApiError {
  common::ErrorKind kind = common::ErrorKind::internal;
  int http_status = 0;   // 0: no response came (kind io): the request may or may not have taken
                         // effect; -1: not sent at all (refused on our side, e.g. a failed checkpoint)
  int code = 0;          // DCImanager's error.code; 0 when the body had none
  std::string msg;       // DCImanager's error.msg (the auth service's flat "error" also lands here)
  Json value;            // DCImanager's error.value (an object or a string); null when absent
  std::string message;   // for people: "POST /api/dci/v3/server/5/owner: HTTP 400, error 3001: ..."

  bool no_response() const { return http_status == 0; }
  // Worth trying again later: no response, 5xx, 401 after the one re-login, an unreadable body.
  bool transient() const;
  common::Error to_error() const { return common::Error{kind, message}; }
};

// The error kind for an HTTP status: 400 invalid_argument, 401 unauthorized, 403 forbidden,
// 404 not_found, 409 conflict, 5xx unavailable, other 4xx invalid_argument.
common::ErrorKind error_kind_for_status(int http_status);

// Reads DCImanager's error body. Accepts {"error": {"code", "msg", "value"}} (dci v3, ip v3) and
// the auth spec's {"error": "<text>", "code": <int>}; a body that is neither gives code 0 and
// the body's start as msg (bodies such as "Unavailable" are plain text).
ApiError parse_api_error(int http_status, const std::string& body, const std::string& what);

template <typename T>
class [[nodiscard]] ApiResult {
 public:
  ApiResult(T value) : state_(std::move(value)) {}
  ApiResult(ApiError error) : state_(std::move(error)) {}

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & {
    DCISIM_ASSERT(ok(), "ApiResult::value() on an error");
    return std::get<0>(state_);
  }
  const T& value() const& {
    DCISIM_ASSERT(ok(), "ApiResult::value() on an error");
    return std::get<0>(state_);
  }
  T value() && {  // by value, as common::Result: safe on a temporary in a range-for
    DCISIM_ASSERT(ok(), "ApiResult::value() on an error");
    return std::get<0>(std::move(state_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  const ApiError& error() const {
    DCISIM_ASSERT(!ok(), "ApiResult::error() on a value");
    return std::get<1>(state_);
  }

 private:
  std::variant<T, ApiError> state_;
};

}  // namespace dcisim::billing::dci6
