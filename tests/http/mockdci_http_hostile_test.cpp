// No connection can crash, starve or block the emulator's socket server: hostile bytes anywhere
// in a request, hundreds of idle, trickling or busy connections, bodies declared too large, a
// second server on the same port. Every wait is bounded on the socket; "at once" means well
// within a bound that the old thread-per-connection server could not meet (it took 15 s to log
// in beside 200 idle connections, and never answered beside 64 trickling ones).
#include "echo_server.h"
#include "mockdci_test_support.h"

using namespace dcisim;
using namespace dcisim::testing;
using namespace std::chrono_literals;

namespace {

constexpr auto kAtOnce = 3s;  // generous for a loaded 2-core machine and sanitizer builds

std::string login_request() {
  std::string body = R"({"email":"admin@example.com","password":"secret"})";
  return "POST /api/auth/v4/public/token HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

// Logs in on a new connection; the answer must come within kAtOnce.
void check_login_at_once(int port) {
  RawConnection connection(port);
  REQUIRE(connection.send(login_request()));
  std::optional<RawResponse> response = connection.read_response(deadline_in(kAtOnce));
  REQUIRE(response);
  CHECK(response->status == 201);
}

// Sends `request` on a new connection and checks the answer is well-formed HTTP with DCImanager's
// error JSON (the raw reader REQUIREs the framing).
void check_error_answer(int port, const std::string& request) {
  RawConnection connection(port);
  REQUIRE(connection.send(request));
  std::optional<RawResponse> response = connection.read_response(deadline_in(5s));
  REQUIRE(response);
  CHECK(response->status >= 400);
  CHECK(response->status < 600);
  CHECK(is_error_json(*response));
}

}  // namespace

TEST_CASE("every byte value in the path, a header name, a header value and the body gets well-formed error JSON") {
  EmulatorFixture fixture;
  int port = fixture.emulator->port();
  for (int value = 0; value < 256; ++value) {
    char byte = static_cast<char>(value);
    INFO("byte " << value);
    check_error_answer(port, std::string("GET /api/x") + byte + "y HTTP/1.1\r\nHost: t\r\n\r\n");
    check_error_answer(port, std::string("GET /api/dci/v3/server/1 HTTP/1.1\r\nHost: t\r\nX-A") + byte + "B: v\r\n\r\n");
    check_error_answer(port, std::string("GET /api/dci/v3/server/1 HTTP/1.1\r\nHost: t\r\nX-V: a") + byte + "b\r\n\r\n");
    check_error_answer(port, std::string("POST /api/auth/v4/public/token HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\n{") + byte + "}");
  }
  // All 256 values at once, percent-encoded and raw, in one path.
  std::string all_raw;
  std::string all_encoded;
  for (int value = 0x21; value < 256; ++value) all_raw += value == 0x7F || value == '#' || value == '?' ? 'x' : static_cast<char>(value);
  for (int value = 0; value < 256; ++value) {
    char hex[4];
    std::snprintf(hex, sizeof hex, "%%%02X", value);
    all_encoded += hex;
  }
  check_error_answer(port, "GET /" + all_raw + " HTTP/1.1\r\nHost: t\r\n\r\n");
  check_error_answer(port, "GET /" + all_encoded + "?" + all_encoded + "=" + all_encoded + " HTTP/1.1\r\nHost: t\r\n\r\n");
  check_login_at_once(port);
}

TEST_CASE("GET /%ff gets 404 with error JSON") {
  EmulatorFixture fixture;
  RawConnection connection(fixture.emulator->port());
  REQUIRE(connection.send("GET /%ff HTTP/1.1\r\nHost: t\r\n\r\n"));
  std::optional<RawResponse> response = connection.read_response(deadline_in(5s));
  REQUIRE(response);
  CHECK(response->status == 404);
  REQUIRE(is_error_json(*response));
  CHECK(response->json["error"]["code"] == 1002);
  CHECK(response->json["error"]["value"] == "/\xEF\xBF\xBD");  // the byte as U+FFFD
}

TEST_CASE("a login answers at once while 300 idle connections are open") {
  EmulatorFixture fixture;
  int port = fixture.emulator->port();
  std::vector<RawConnection> idle;
  for (int i = 0; i < 300; ++i) idle.emplace_back(port);
  check_login_at_once(port);
  // Half of them send half a request and stop: still no wait.
  for (size_t i = 0; i < idle.size(); i += 2) REQUIRE(idle[i].send("GET /api/dci/v3/server/1 HTTP/1.1\r\nHo"));
  check_login_at_once(port);
}

TEST_CASE("a login answers at once while 64 connections trickle their requests a byte at a time") {
  EmulatorFixture fixture;
  int port = fixture.emulator->port();
  std::vector<RawConnection> slow;
  for (int i = 0; i < 64; ++i) {
    slow.emplace_back(port);
    REQUIRE(slow.back().send("POST /api/auth/v4/public/token HTTP/1.1\r\nHost: t\r\nX-Slow: "));
  }
  for (int round = 0; round < 5; ++round) {
    for (RawConnection& connection : slow) REQUIRE(connection.send("a"));
    check_login_at_once(port);
  }
  // And bodies trickled after a complete head.
  for (RawConnection& connection : slow) REQUIRE(connection.send("\r\nContent-Length: 100\r\n\r\n{"));
  for (int round = 0; round < 3; ++round) {
    for (RawConnection& connection : slow) REQUIRE(connection.send(" "));
    check_login_at_once(port);
  }
}

TEST_CASE("256 busy connections each get every answer") {
  EmulatorFixture fixture;
  std::string token = fixture.login();
  int port = fixture.emulator->port();
  std::vector<RawConnection> busy;
  for (int i = 0; i < 256; ++i) busy.emplace_back(port);
  std::string request = get_request("/api/dci/v3/server/1", "x-xsrf-token: " + token + "\r\n");
  for (int round = 0; round < 4; ++round) {
    for (RawConnection& connection : busy) REQUIRE(connection.send(request + request));
    SteadyTime deadline = deadline_in(20s);
    size_t answered = 0;
    for (RawConnection& connection : busy) {
      for (int k = 0; k < 2; ++k) {
        std::optional<RawResponse> response = connection.read_response(deadline);
        answered += response && response->status == 200 ? 1 : 0;
      }
    }
    CHECK(answered == 2 * busy.size());
  }
}

TEST_CASE("Content-Length: 100000000 with no body gets 413 at once, journaled, then the connection closes") {
  EmulatorFixture fixture;
  RawConnection connection(fixture.emulator->port());
  REQUIRE(connection.send("POST /api/auth/v4/public/token HTTP/1.1\r\nHost: t\r\nContent-Length: 100000000\r\n\r\n"));
  std::optional<RawResponse> response = connection.read_response(deadline_in(kAtOnce));
  REQUIRE(response);
  CHECK(response->status == 413);
  REQUIRE(is_error_json(*response));
  CHECK(response->json["error"]["code"] == 1006);
  CHECK(connection.wait_end(deadline_in(5s)) == SocketEnd::closed);
  std::vector<mockdci::JournalEntry> journal = fixture.emulator->journal(1);
  REQUIRE(journal.size() == 1);
  CHECK(journal[0].status == 413);
  CHECK(journal[0].method == "POST");
  CHECK(journal[0].target == "/api/auth/v4/public/token");
}

TEST_CASE("requests the HTTP layer refuses are journaled like the handler's answers") {
  EmulatorFixture fixture;
  for (std::string request : {"GET /api/dci/v3/server HTTP/1.1\r\n\r\n", "FROB /api/dci/v3/server HTTP/1.1\r\nHost: t\r\n\r\n"}) {
    RawConnection connection(fixture.emulator->port());
    REQUIRE(connection.send(request));
    REQUIRE(connection.read_response(deadline_in(5s)));
    // Journaled before the answer was sent; the close also ends the connection cleanly.
    REQUIRE(connection.wait_end(deadline_in(5s)) == SocketEnd::closed);
  }
  std::vector<mockdci::JournalEntry> journal = fixture.emulator->journal(2);
  REQUIRE(journal.size() == 2);
  CHECK(journal[0].status == 400);  // no Host
  CHECK(journal[1].status == 501);
  CHECK(journal[1].method == "FROB");
  CHECK(journal[1].target == "/api/dci/v3/server");
}

TEST_CASE("a second server on a port in use fails to start, naming the port") {
  EmulatorFixture fixture;
  int port = fixture.emulator->port();
  EmulatorFixture second;
  second.emulator->stop();
  common::Status started = second.emulator->start("127.0.0.1", port, nullptr);
  REQUIRE_FALSE(started.ok());
  CHECK_THAT(started.error().message, Catch::Contains("127.0.0.1:" + std::to_string(port)));
  CHECK_THAT(started.error().message, Catch::Contains("in use"));
  CHECK(second.emulator->base_url().empty());
  check_login_at_once(port);  // the first one still answers, alone
}

TEST_CASE("beyond max_connections a new connection is closed at once and the open ones go on") {
  mockdci::HttpServerOptions options;
  options.max_connections = 4;
  EchoServer server(options);
  std::vector<RawConnection> open;
  for (int i = 0; i < 4; ++i) {
    open.emplace_back(server.port());
    REQUIRE(open.back().send(get_request("/hello")));
    REQUIRE(open.back().read_response(deadline_in(5s)));
  }
  RawConnection refused(server.port());
  CHECK(refused.wait_end(deadline_in(5s)) != SocketEnd::timeout);
  CHECK(refused.unread().empty());
  REQUIRE(open[0].send(get_request("/still")));
  CHECK(open[0].read_response(deadline_in(5s)));
  // The server resets one (Delivery reset) and counts it closed before the client sees the reset.
  REQUIRE(open[3].send(get_request("/delivery/reset")));
  CHECK(open[3].wait_end(deadline_in(5s)) == SocketEnd::reset);
  RawConnection again(server.port());
  REQUIRE(again.send(get_request("/again")));
  std::optional<RawResponse> response = again.read_response(deadline_in(5s));
  REQUIRE(response);
  CHECK(response->json["path"] == "/again");
}

TEST_CASE("timeouts: an idle keep-alive connection is closed, a slow head or body gets 408") {
  mockdci::HttpServerOptions options;
  options.idle_timeout = common::Duration::ms(200);
  options.header_timeout = common::Duration::ms(200);
  options.body_timeout = common::Duration::ms(200);
  EchoServer server(options);
  SECTION("idle after an answer: closed without a word") {
    RawConnection connection(server.port());
    REQUIRE(connection.send(get_request("/once")));
    REQUIRE(connection.read_response(deadline_in(5s)));
    CHECK(connection.wait_end(deadline_in(5s)) == SocketEnd::closed);
    CHECK(connection.unread().empty());
  }
  SECTION("a new connection that never sends: closed without a word") {
    RawConnection connection(server.port());
    CHECK(connection.wait_end(deadline_in(5s)) == SocketEnd::closed);
    CHECK(connection.unread().empty());
  }
  SECTION("half a head: 408 with error JSON, then closed") {
    RawConnection connection(server.port());
    REQUIRE(connection.send("GET /slow HTTP/1.1\r\nHost: t\r\nX-"));
    std::optional<RawResponse> response = connection.read_response(deadline_in(5s));
    REQUIRE(response);
    CHECK(response->status == 408);
    CHECK(is_error_json(*response));
    CHECK(connection.wait_end(deadline_in(5s)) == SocketEnd::closed);
    std::vector<mockdci::ExchangeRecord> records = server.records(1);
    REQUIRE(records.size() == 1);
    CHECK(records[0].answered_by_server);
  }
  SECTION("half a body: 408") {
    RawConnection connection(server.port());
    REQUIRE(connection.send("POST /slow HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc"));
    std::optional<RawResponse> response = connection.read_response(deadline_in(5s));
    REQUIRE(response);
    CHECK(response->status == 408);
    CHECK_THAT(response->json["error"]["msg"].get<std::string>(), Catch::Contains("body"));
  }
}

TEST_CASE("an answer the client does not read is abandoned after the write timeout") {
  mockdci::HttpServerOptions options;
  options.write_timeout = common::Duration::ms(300);
  EchoServer server(options);
  RawConnection connection(server.port());
  REQUIRE(connection.send(get_request("/delivery/normal?size=16000000")));  // more than the socket buffers
  std::vector<mockdci::ExchangeRecord> records = server.records(1, std::chrono::seconds(10));
  REQUIRE(records.size() == 1);
  CHECK_FALSE(records[0].completed);
  CHECK(connection.wait_end(deadline_in(10s)) != SocketEnd::timeout);
}
