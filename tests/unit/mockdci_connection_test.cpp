// The socket server's connection state machine (mockdci/http/connection.h) without a socket:
// bytes and time in, bytes and deadlines out.
#include <catch2/catch.hpp>

#include "mockdci/http/connection.h"

using namespace dcisim;
using namespace dcisim::mockdci;

namespace {

constexpr int64_t kMs = 1'000'000;

struct Rig {
  Rig() {
    services.handler = [this](const common::HttpRequest& request) {
      ++calls;
      common::HttpResponse response;
      response.body = request.path;
      if (request.path == "/delayed") response.delivery.delay = common::Duration::ms(100);
      return response;
    };
  }
  TurnTime at(int64_t ms) { return {ms * kMs, "Thu, 01 Jan 2026 00:00:00 GMT"}; }
  // Takes everything the connection has to send.
  std::string drain(Connection& connection, int64_t ms) {
    std::string out;
    while (!connection.output().empty()) {
      out += connection.output();
      connection.on_sent(connection.output().size(), at(ms));
    }
    return out;
  }
  ConnectionConfig config;
  ConnectionServices services;
  int calls = 0;
};

std::string get(const std::string& path) { return "GET " + path + " HTTP/1.1\r\nHost: t\r\n\r\n"; }

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("connection: a turn answers at most max_requests_per_turn requests, then asks for another turn") {
  Rig rig;
  rig.config.max_requests_per_turn = 3;
  Connection connection(rig.config, rig.services, 0);
  std::string requests;
  for (int i = 0; i < 7; ++i) requests += get("/r" + std::to_string(i));
  connection.on_input(requests, rig.at(0));
  connection.process(rig.at(0));
  CHECK(rig.calls == 3);
  CHECK(connection.wants_turn());
  std::string out = rig.drain(connection, 0);
  connection.process(rig.at(0));
  connection.process(rig.at(0));
  CHECK(rig.calls == 7);
  CHECK_FALSE(connection.wants_turn());
  out += rig.drain(connection, 0);
  CHECK(count(out, "HTTP/1.1 200 OK") == 7);
  CHECK(out.find("/r0") < out.find("/r6"));
}

TEST_CASE("connection: answers not sent pause parsing at max_queued_answers, and reading once the input is full") {
  Rig rig;
  rig.config.max_queued_answers = 2;
  rig.config.max_input_bytes = 200;
  Connection connection(rig.config, rig.services, 0);
  std::string requests;
  for (int i = 0; i < 10; ++i) requests += get("/p" + std::to_string(i));
  connection.on_input(requests, rig.at(0));
  connection.process(rig.at(0));
  // One answer is in the output, two wait: nothing more is parsed until they leave.
  CHECK(rig.calls == 3);
  CHECK_FALSE(connection.wants_input());
  CHECK_FALSE(connection.wants_turn());
  rig.drain(connection, 0);
  CHECK(connection.wants_turn());
  while (connection.wants_turn()) {
    connection.process(rig.at(0));
    rig.drain(connection, 0);
  }
  CHECK(rig.calls == 10);
  CHECK(connection.wants_input());
}

TEST_CASE("connection: a delayed answer waits for its deadline, and the answers behind it too") {
  Rig rig;
  Connection connection(rig.config, rig.services, 0);
  connection.on_input(get("/delayed") + get("/after"), rig.at(0));
  connection.process(rig.at(0));
  CHECK(rig.calls == 2);  // handled at once; only the sending waits
  CHECK(connection.output().empty());
  CHECK(connection.deadline_ns() == 100 * kMs);
  connection.on_timer(rig.at(99));
  CHECK(connection.output().empty());
  connection.on_timer(rig.at(100));
  std::string out = rig.drain(connection, 100);
  CHECK(out.find("/delayed") < out.find("/after"));
}

TEST_CASE("connection: a head not complete within the header timeout gets 408, an idle connection a silent close") {
  Rig rig;
  rig.config.header_timeout_ns = 50 * kMs;
  rig.config.idle_timeout_ns = 70 * kMs;
  SECTION("half a head") {
    Connection connection(rig.config, rig.services, 0);
    connection.on_input("GET /slow HTTP/1.1\r\nHo", rig.at(10));
    connection.process(rig.at(10));
    CHECK(connection.deadline_ns() == 60 * kMs);
    connection.on_timer(rig.at(60));
    std::string out = rig.drain(connection, 60);
    CHECK(out.rfind("HTTP/1.1 408 Request Timeout\r\n", 0) == 0);
    CHECK(out.find("Connection: close\r\n") != std::string::npos);
    CHECK(connection.take_shutdown());
    connection.on_peer_closed(rig.at(61));
    CHECK(connection.ending() == Connection::Ending::close);
  }
  SECTION("idle after an answer") {
    Connection connection(rig.config, rig.services, 0);
    connection.on_input(get("/once"), rig.at(0));
    connection.process(rig.at(0));
    rig.drain(connection, 5);
    CHECK(connection.deadline_ns() == 75 * kMs);
    connection.on_timer(rig.at(75));
    CHECK(connection.ending() == Connection::Ending::close);
    CHECK_FALSE(connection.take_shutdown());  // nothing to say: no answer, no shutdown first
  }
}

TEST_CASE("connection: a client that half-closes after its requests still gets every answer") {
  Rig rig;
  Connection connection(rig.config, rig.services, 0);
  connection.on_input(get("/a") + get("/b") + "GET /partial HT", rig.at(0));
  connection.on_peer_closed(rig.at(0));
  connection.process(rig.at(0));
  std::string out = rig.drain(connection, 0);
  CHECK(count(out, "HTTP/1.1 200 OK") == 2);
  CHECK(connection.ending() == Connection::Ending::close);
}
