// An HttpServer (the emulator's socket server) with a handler of the tests' own, for what the
// emulator itself does not do yet: the handler echoes the request as JSON and takes the Delivery
// from the path, /delivery/<mode>[?delay_ms=N][&size=N]; an observer keeps every ExchangeRecord
// once its answer is done.
#pragma once

#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include "common/json_text.h"
#include "mockdci/http_server.h"
#include "raw_http.h"

namespace dcisim::testing {

inline common::HttpResponse echo_answer(const common::HttpRequest& request) {
  nlohmann::json query = nlohmann::json::array();
  for (const auto& [key, value] : request.query) query.push_back({key, value});
  nlohmann::json headers = nlohmann::json::array();
  for (const auto& [key, value] : request.headers) headers.push_back({key, value});
  nlohmann::json body = {{"method", request.method}, {"path", request.path}, {"query", query},
                         {"headers", headers}, {"body", request.body}, {"body_size", request.body.size()}};
  common::HttpResponse response;
  response.status = 200;
  response.headers.emplace_back("Content-Type", "application/json");
  response.headers.emplace_back("X-Echo", "yes");
  response.body = common::json_text(body);
  if (request.path.rfind("/delivery/", 0) == 0) {
    std::string mode = request.path.substr(10);
    using Mode = common::Delivery::Mode;
    for (Mode m : {Mode::normal, Mode::reset, Mode::close, Mode::truncate, Mode::hang}) {
      if (mode == common::delivery_mode_name(m)) response.delivery.mode = m;
    }
    if (const std::string* delay = request.query_param("delay_ms")) {
      response.delivery.delay = common::Duration::ms(std::stoll(*delay));
    }
    if (const std::string* size = request.query_param("size")) response.body = std::string(std::stoul(*size), 'x');
  }
  if (request.path == "/throw") throw std::runtime_error("the handler threw");
  return response;
}

class EchoServer {
 public:
  explicit EchoServer(mockdci::HttpServerOptions options = {}) {
    mockdci::ExchangeObservers observers;
    observers.done = [this](const mockdci::ExchangeRecord& record) {
      {
        std::lock_guard lock(mutex_);
        records_.push_back(record);
      }
      changed_.notify_all();
    };
    common::Status started = server.start(options, echo_answer, observers);
    INFO((started ? std::string() : started.error().message));
    REQUIRE(started.ok());
  }

  ~EchoServer() { server.stop(); }  // before the records go: stopping reports what was pending

  int port() const { return server.port(); }

  // Waits (bounded) until at least `count` records came; all records so far.
  std::vector<mockdci::ExchangeRecord> records(size_t count = 0, std::chrono::milliseconds bound = std::chrono::seconds(5)) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, bound, [&] { return records_.size() >= count; });
    return records_;
  }

  mockdci::HttpServer server;

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<mockdci::ExchangeRecord> records_;
};

inline std::string get_request(const std::string& target, const std::string& extra_headers = "") {
  return "GET " + target + " HTTP/1.1\r\nHost: test\r\n" + extra_headers + "\r\n";
}

}  // namespace dcisim::testing
