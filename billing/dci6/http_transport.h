// The HTTP(S) transport to a live DCImanager (or the emulator served on a socket): a
// common::HttpTransport on cpp-httplib with OpenSSL. TLS certificates (and the host name) are
// verified by default against the system trust store or `ca_file`; `insecure` is the explicit
// opt-out. Connect and read timeouts bound every request; the connection is kept alive between
// requests. A request that gets no response (refused, reset, timed out, TLS failure) is an Error
// of kind `io`: the caller cannot know whether it took effect.
//
// This is the only file of the project that includes httplib.h for the client side; the header
// keeps it out (compile time).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "common/http.h"
#include "common/result.h"
#include "common/time.h"

namespace httplib {
class Client;
}

namespace dcisim::billing::dci6 {

// "https://dci.example.com:8443/prefix" taken apart.
struct BaseUrl {
  std::string scheme;       // "http" | "https"
  std::string host;         // "dci.example.com", "127.0.0.1", "[::1]"
  int port = 0;             // 0: the scheme's default
  std::string path_prefix;  // "" or "/prefix" (no trailing slash), put before every request path
};

// Accepts http:// and https:// URLs with a host, an optional port and an optional path prefix;
// no query, fragment or user info. Errors say what is wrong.
common::Result<BaseUrl> parse_base_url(const std::string& text);

struct HttpTransportOptions {
  std::string base_url;
  std::string ca_file;   // "" = the system trust store
  bool insecure = false; // true: do not verify the server's certificate
  common::Duration connect_timeout = common::Duration::seconds(10);
  common::Duration read_timeout = common::Duration::seconds(60);
  bool keep_alive = true;
};

class HttplibTransport final : public common::HttpTransport {
 public:
  // Checks the URL and that `ca_file` is readable; connects lazily on the first request.
  static common::Result<std::unique_ptr<HttplibTransport>> create(const HttpTransportOptions& options);
  ~HttplibTransport() override;

  // Thread-safe: requests through one transport are sent one at a time.
  common::Result<common::HttpResponse> send(const common::HttpRequest& request) override;
  std::string describe() const override { return description_; }

 private:
  HttplibTransport(BaseUrl url, std::unique_ptr<httplib::Client> client, std::string description);

  BaseUrl url_;
  std::string description_;
  std::mutex mutex_;
  std::unique_ptr<httplib::Client> client_;
};

}  // namespace dcisim::billing::dci6
