// Responses as bytes on the wire (RFC 9112): the status line, the handler's headers, then the
// framing headers the server owns (Date, Content-Length, Connection) and the body. Pure.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/http.h"

namespace dcisim::mockdci {

struct ResponseFraming {
  bool head_request = false;  // HEAD: the headers a GET would get (Content-Length too), no body
  bool close = false;         // "Connection: close": the last response on this connection
  bool http10_keep_alive = false;  // "Connection: keep-alive" for an HTTP/1.0 client that asked
  std::string_view date;      // the Date header's value (http_date)
};

struct WireResponse {
  std::string bytes;       // status line, headers, body
  size_t body_offset = 0;  // where the body starts in `bytes`
};

// The handler's Content-Length, Transfer-Encoding, Connection, Keep-Alive and Date are replaced
// by the server's; a missing Content-Type is application/json; CR, LF and NUL in a name or value
// become spaces (no response splitting); a status outside 100-599 becomes 500. 1xx, 204 and 304
// carry no body and no Content-Length.
WireResponse serialize_response(const common::HttpResponse& response, const ResponseFraming& framing);

inline constexpr std::string_view kContinueResponse = "HTTP/1.1 100 Continue\r\n\r\n";

const char* reason_phrase(int status);

// IMF-fixdate (RFC 9110 §5.6.7): "Sun, 06 Nov 1994 08:49:37 GMT".
std::string http_date(int64_t unix_seconds);

}  // namespace dcisim::mockdci
