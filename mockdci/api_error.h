// The one place where failures become HTTP responses: DCImanager's error JSON
// {"error": {"code": <int>, "msg": "<text>", "value": <string>}} with the matching status.
//
//   kind / case            status  code
//   unauthorized           401     1000  (the code clients treat as "log in again", API.md §1)
//   forbidden              403     1001
//   not_found              404     1002  (unknown id in the path, unknown path)
//   invalid_argument       400     1003  (malformed JSON, wrong types, bad values, bad queries)
//   conflict               400     1004  (the state forbids it: power preconditions, no free IP)
//   method not allowed     405     1005
//   body too large         413     1006
//   refused by the HTTP layer (malformed 400, timeout 408, Expect 417, head too large 431: 1003;
//   method or version not implemented 501/505: 1099), see protocol_error_response
//   io / internal          500     1099
//   unavailable            503     "Unavailable" as plain text (API.md §1), not JSON
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "common/http.h"
#include "common/result.h"

namespace dcisim::mockdci {

// `value` names what the error is about (the path, a field), "" when nothing in particular.
common::HttpResponse error_response(const common::Error& error, const std::string& value = "");
common::HttpResponse method_not_allowed_response(const std::string& method, const std::string& path,
                                                 const std::string& allowed);
common::HttpResponse body_too_large_response(size_t limit_bytes);
// A request the HTTP layer refused before any handler saw it: `status` as given (4xx: code 1003,
// 5xx: 1099), `message` names what is wrong.
common::HttpResponse protocol_error_response(int status, const std::string& message);
common::HttpResponse unavailable_response();
common::HttpResponse json_response(int status, const nlohmann::json& body);

}  // namespace dcisim::mockdci
