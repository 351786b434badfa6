// The socket side of the emulator: a cpp-httplib server (HTTP or HTTPS) that turns each request
// into a common::HttpRequest, hands it to the emulator's handler and writes the answer back. The
// only file that includes httplib.h. Keep-alive connections are served concurrently, one per
// pool thread, so `threads` bounds the connections answered at once.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "common/http.h"
#include "common/result.h"

namespace dcisim::mockdci {

struct TlsFiles;

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;                     // 0: a free port
  const TlsFiles* tls = nullptr;    // non-null: HTTPS
  size_t max_body_bytes = 1 << 20;
  size_t threads = 64;
};

class HttpServer {
 public:
  HttpServer();
  ~HttpServer();  // stops

  // `handler` answers every request; `too_large` answers one whose body is over the limit (the
  // body was not read). Returns once the socket listens.
  common::Status start(const HttpServerOptions& options, common::HttpHandler handler,
                       common::HttpHandler too_large);
  void stop();
  bool running() const;
  int port() const;
  bool tls() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dcisim::mockdci
