// Test doubles for the DCImanager client's HTTP tests: a scripted HTTP(S) peer on 127.0.0.1 (an
// httplib server whose answers a test writes as a function), a self-signed certificate made with
// the OpenSSL API at test time, and a clock that records the waits it is asked for. Not an
// emulator: each test scripts exactly the behaviour it checks.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/http.h"

namespace httplib {
class Server;
}

namespace dcisim::testing {

struct SeenRequest {
  std::string method;
  std::string path;
  std::string target;          // as sent on the wire, query still percent-encoded
  common::HeaderList query;    // decoded, in order
  common::HeaderList headers;
  std::string body;

  const std::string* header(const std::string& name) const;
  const std::string* param(const std::string& name) const;
};

using PeerScript = std::function<common::HttpResponse(const SeenRequest&)>;

class ScriptedPeer {
 public:
  struct Tls {
    std::string cert_file;
    std::string key_file;
  };
  // Listens on 127.0.0.1 at a free port; with `tls` it speaks HTTPS.
  explicit ScriptedPeer(PeerScript script, const Tls* tls = nullptr);
  ~ScriptedPeer();

  std::string base_url() const;  // "http://127.0.0.1:<port>" or "https://..."
  int port() const { return port_; }
  std::vector<SeenRequest> requests() const;
  size_t count(const std::string& method, const std::string& path) const;

 private:
  std::unique_ptr<httplib::Server> server_;
  bool https_ = false;
  int port_ = 0;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::vector<SeenRequest> seen_;
  PeerScript script_;
};

// A port on 127.0.0.1 where nothing listens (bound, then closed).
int closed_port();

// A self-signed certificate (EC P-256, CA:TRUE) for the given DNS names and IP addresses, written
// with its key into a fresh temporary directory.
struct TestCertificate {
  std::string directory;
  std::string cert_file;
  std::string key_file;
};
TestCertificate make_self_signed_certificate(const std::vector<std::string>& dns_names,
                                             const std::vector<std::string>& ip_addresses);

// A Clock whose waits are recorded and take no time.
class RecordingClock final : public common::Clock {
 public:
  common::Instant now() const override { return common::Instant::from_unix_seconds(1767225600); }
  bool is_virtual() const override { return true; }
  void wait_for(common::Duration d) const override {
    std::lock_guard<std::mutex> lock(mutex_);
    waits_.push_back(d);
  }
  std::vector<common::Duration> waits() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return waits_;
  }

 private:
  mutable std::mutex mutex_;
  mutable std::vector<common::Duration> waits_;
};

// A gate a scripted handler can wait at (bounded), opened by the test: no sleeping.
class Gate {
 public:
  void open();
  bool wait(common::Duration bound);  // true when opened within `bound`

 private:
  std::mutex mutex_;
  std::condition_variable opened_cv_;
  bool opened_ = false;
};

common::HttpResponse json_response(int status, const std::string& body);

}  // namespace dcisim::testing
