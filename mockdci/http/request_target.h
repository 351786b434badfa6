// A request target as the emulator's handler sees it, decoded as cpp-httplib did before (so that
// the API's paths did not change with the socket server): the path percent-decoded (%XX only; a
// '+' stays a '+', that is a query convention), the query parsed by common::parse_query_string
// ('+' is a space there), the fragment dropped. Pure.
#pragma once

#include <string>
#include <string_view>

#include "common/http.h"
#include "mockdci/http/request_parser.h"

namespace dcisim::mockdci {

struct TargetParts {
  std::string path;        // decoded
  std::string_view query;  // raw: the text after the first '?'
};

// Origin-form ("/p?q"), absolute-form ("http://host/p?q", reduced to its path and query) or "*";
// false for anything else.
bool split_target(std::string_view target, TargetParts& out);

// The request the handler sees: method as sent, decoded path, decoded query parameters, headers
// as sent, the body (moved out, as are the method and headers).
common::HttpRequest to_http_request(RequestHead& head, std::string& body);

}  // namespace dcisim::mockdci
