// HTTP as plain values, shared by the emulator's router, the billing core's DCImanager client and
// the in-memory transport that connects them without a socket. Only generic HTTP lives here:
// nothing about DCImanager's paths or JSON shapes (the client and the emulator must not share
// wire-format code, so that they cannot agree on the same mistake).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "common/time.h"

namespace dcisim::common {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method;  // "GET", "POST", "DELETE"
  std::string path;    // decoded path without the query: "/api/dci/v3/server/1"
  HeaderList query;    // decoded query parameters, in order
  HeaderList headers;  // as sent; look up with header() (case-insensitive)
  std::string body;

  const std::string* header(std::string_view name) const;
  const std::string* query_param(std::string_view name) const;
  // "/api/dci/v3/server?where=..." with the query percent-encoded, for logs and journals.
  std::string target() const;
};

// How a response reaches the client. Normally as it is; the emulator's fault catalogue can ask
// for a broken delivery, and each transport enacts it: the socket server on the wire, the
// in-memory transport as the error a client would see over a socket (Error kind `io`).
struct Delivery {
  enum class Mode {
    normal,    // the response as it is
    reset,     // the connection is reset (TCP RST) before any byte of the response
    close,     // the connection is closed without a response (an empty reply)
    truncate,  // status line and headers (with the full Content-Length), half the body, then close
    hang,      // nothing is sent until the client gives up (the server bounds the wait)
  };
  Mode mode = Mode::normal;
  // Waited before the response (or the broken delivery) goes out. Over a socket: real time. In
  // memory: a delay of at least the transport's timeout is a timeout; a shorter one changes
  // nothing a client can see.
  Duration delay;
};
const char* delivery_mode_name(Delivery::Mode mode);

struct HttpResponse {
  int status = 200;
  HeaderList headers;
  std::string body;
  Delivery delivery;  // set by the emulator's faults; clients never see this field

  const std::string* header(std::string_view name) const;
};

// Serves a request: the emulator's router is one.
using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

// Sends a request somewhere and returns the response; an Error of kind `io` when no response came
// (connection refused, reset, timeout): the caller cannot know whether the request took effect.
class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  virtual Result<HttpResponse> send(const HttpRequest& request) = 0;
  // Where requests go, for messages: "http://127.0.0.1:8080" or "in-memory".
  virtual std::string describe() const = 0;
};

// A transport that calls a handler in-process: same router, same JSON, no socket. A broken
// Delivery becomes the `io` error the same client would get over a socket; a delay of at least
// `timeout` is a timeout (after the handler ran: the request may have taken effect).
class InMemoryTransport final : public HttpTransport {
 public:
  explicit InMemoryTransport(HttpHandler handler, Duration timeout = Duration::seconds(60))
      : handler_(std::move(handler)), timeout_(timeout) {}
  Result<HttpResponse> send(const HttpRequest& request) override;
  std::string describe() const override { return "in-memory"; }

 private:
  HttpHandler handler_;
  Duration timeout_;
};

std::string url_encode(std::string_view text);  // RFC 3986 unreserved characters kept
std::string url_decode(std::string_view text);  // '+' decodes to a space, as in query strings
HeaderList parse_query_string(std::string_view query);
bool iequals(std::string_view a, std::string_view b);

}  // namespace dcisim::common
