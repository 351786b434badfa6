// The socket side of the emulator, and the only place that touches its sockets: an HTTP/1.1
// server (HTTP or HTTPS) that turns each request into a common::HttpRequest, hands it to the
// emulator's handler on an event-loop thread and writes the answer back as the handler's
// Delivery says. No connection can crash, starve or block it: an idle or slow connection costs
// no thread, every connection is served in turn a bounded amount, every wait has a timeout and
// every buffer a limit (see HttpServerOptions). The pieces live in mockdci/http/: the request
// parser, the connection state machine, the event loop, the acceptor, TLS.
//
//   HttpServer server;
//   server.start({.port = 0}, handler, {});   // returns once the socket listens
//   ... clients use server.port() ...
//   server.stop();
//
// The handler must be fast (it runs on a loop thread; the loop waits for it) and thread-safe
// (loops call it concurrently); what it throws becomes a 500 with DCImanager's error JSON.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "common/http.h"
#include "common/result.h"
#include "common/time.h"
#include "mockdci/http/exchange.h"

namespace dcisim::mockdci {

struct TlsFiles;

inline constexpr size_t kMaxServerThreads = 16;

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;                     // 0: a free port
  const TlsFiles* tls = nullptr;    // non-null: HTTPS (read by start() only)
  size_t max_body_bytes = 1 << 20;  // a larger declared body: 413 before it is read, then close
  // Event-loop threads; 0: one per core (at most 8). Connections are dealt to them in turn.
  size_t threads = 0;

  size_t max_head_bytes = 64 << 10;     // request line + headers: beyond, 431
  size_t max_headers = 100;             // header fields: beyond, 431
  size_t max_connections = 10'000;      // open at once: beyond, a new one is closed at once
  size_t max_pipelined_requests = 16;   // answers waiting per connection: beyond, reading pauses

  // First byte to end of head: 408. Also accept to first byte: a silent close.
  common::Duration header_timeout = common::Duration::seconds(20);
  common::Duration body_timeout = common::Duration::seconds(60);    // end of head to end of body: 408
  common::Duration idle_timeout = common::Duration::seconds(60);    // between requests: close
  common::Duration write_timeout = common::Duration::seconds(60);   // an answer not taken by then: abort
  common::Duration hang_limit = common::Duration::minutes(10);      // Delivery hang (and delay) bound
  common::Duration linger_timeout = common::Duration::seconds(2);   // reading after a last answer
};

class HttpServer {
 public:
  HttpServer();
  ~HttpServer();  // stops

  // `handler` answers every request; `observers` (each may be empty) hear of the answers the HTTP
  // layer made itself, and of every answer once it is out (exchange.h). Returns once
  // the socket listens; an error (and nothing started) when the address cannot be bound (a port
  // in use), the TLS files are bad, or an option is out of range.
  common::Status start(const HttpServerOptions& options, common::HttpHandler handler, ExchangeObservers observers);
  void stop();  // idempotent; closes every connection
  bool running() const;
  int port() const;
  bool tls() const;
  size_t threads() const;  // loops running

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dcisim::mockdci
