// Small helpers every route handler uses: reading the JSON body, answering list queries, and the
// usual {"id": N} reply.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/http.h"
#include "common/json_input.h"
#include "common/result.h"
#include "mockdci/router.h"

namespace dcisim::mockdci {

// The body as a JSON object: an empty body is {}; malformed JSON or a non-object is an error
// (invalid_argument) saying where, e.g. "request body: line 1, column 9: invalid JSON: ...".
common::Result<nlohmann::json> parse_body(const common::HttpRequest& request);
// Field access with errors like "request body: /owner: expected an integer in 1..., got "x"".
common::JsonNode body_node(const nlohmann::json& body);

// Applies the request's where/orderby/limit to `rows` (fields: what a query may name) and
// returns {"list": [...], "size": N}; a malformed query is an error naming the position.
common::Result<Reply> list_reply(const common::HttpRequest& request, const std::vector<nlohmann::json>& rows,
                                 const std::vector<std::string>& fields);

Reply id_reply(int64_t id);

}  // namespace dcisim::mockdci
