// common::Delivery as a client sees it over a real socket, enacted by the emulator's socket
// server for a handler that asks for it (here the echo handler: /delivery/<mode>?delay_ms=N).
// Also HTTPS through the same loop.
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "echo_server.h"
#include "mockdci_test_support.h"

using namespace dcisim;
using namespace dcisim::testing;
using namespace std::chrono_literals;
using Mode = common::Delivery::Mode;

namespace {

mockdci::ExchangeRecord only_record(EchoServer& server) {
  std::vector<mockdci::ExchangeRecord> records = server.records(1);
  REQUIRE(records.size() == 1);
  return records[0];
}

}  // namespace

TEST_CASE("Delivery reset: the client gets a TCP reset and no byte") {
  EchoServer server;
  RawConnection connection(server.port());
  REQUIRE(connection.send(get_request("/delivery/reset")));
  CHECK(connection.wait_end(deadline_in(5s)) == SocketEnd::reset);
  CHECK(connection.unread().empty());
  CHECK(only_record(server).delivery == Mode::reset);
}

TEST_CASE("Delivery close: the connection closes without a response") {
  EchoServer server;
  RawConnection connection(server.port());
  REQUIRE(connection.send(get_request("/delivery/close")));
  CHECK(connection.wait_end(deadline_in(5s)) == SocketEnd::closed);
  CHECK(connection.unread().empty());
  CHECK(only_record(server).delivery == Mode::close);
}

TEST_CASE("Delivery truncate: status line and headers with the full Content-Length, half the body, then close") {
  EchoServer server;
  RawConnection connection(server.port());
  REQUIRE(connection.send(get_request("/delivery/truncate?size=1000")));
  SocketEnd end = SocketEnd::open;
  std::optional<RawResponse> response = connection.read_response(deadline_in(5s), &end);
  REQUIRE(response);
  CHECK(response->status == 200);
  CHECK(*response->header("Content-Length") == "1000");
  CHECK_FALSE(response->complete);
  CHECK(response->body == std::string(500, 'x'));
  CHECK(end == SocketEnd::closed);
}

TEST_CASE("Delivery hang: nothing comes, the connection stays open until the client leaves") {
  EchoServer server;
  RawConnection connection(server.port());
  REQUIRE(connection.send(get_request("/delivery/hang")));
  CHECK(connection.fill(deadline_in(300ms)) == SocketEnd::timeout);  // no byte, no close
  CHECK(connection.unread().empty());
  CHECK(server.records(1, 0ms).empty());  // the hang is reported when it ends
  connection.close();
  CHECK(only_record(server).delivery == Mode::hang);
}

TEST_CASE("Delivery hang ends at the server's hang_limit with a close and no byte") {
  mockdci::HttpServerOptions options;
  options.hang_limit = common::Duration::ms(300);
  EchoServer server(options);
  RawConnection connection(server.port());
  REQUIRE(connection.send(get_request("/delivery/hang")));
  CHECK(connection.wait_end(deadline_in(5s)) == SocketEnd::closed);
  CHECK(connection.unread().empty());
}

TEST_CASE("Delivery delay: the answer waits, other connections do not") {
  EchoServer server;
  RawConnection delayed(server.port());
  // The delay is long against the polls below, so that a loaded machine cannot blur them.
  REQUIRE(delayed.send(get_request("/delivery/normal?delay_ms=1500")));
  CHECK(delayed.fill(deadline_in(100ms)) == SocketEnd::timeout);
  RawConnection other(server.port());
  REQUIRE(other.send(get_request("/meanwhile")));
  std::optional<RawResponse> quick = other.read_response(deadline_in(5s));
  REQUIRE(quick);
  CHECK(quick->json["path"] == "/meanwhile");
  std::optional<RawResponse> late = delayed.read_response(deadline_in(5s));
  REQUIRE(late);
  CHECK(late->json["path"] == "/delivery/normal");
  std::vector<mockdci::ExchangeRecord> records = server.records(2);
  REQUIRE(records.size() == 2);
  CHECK(records[0].request.path == "/meanwhile");
  CHECK(records[1].duration_us >= 1'500'000);  // measured by the server on its monotonic clock
}

TEST_CASE("Delivery delay keeps pipelined answers in order") {
  EchoServer server;
  RawConnection connection(server.port());
  REQUIRE(connection.send(get_request("/delivery/normal?delay_ms=200") + get_request("/second")));
  std::optional<RawResponse> first = connection.read_response(deadline_in(5s));
  std::optional<RawResponse> second = connection.read_response(deadline_in(5s));
  REQUIRE(first);
  REQUIRE(second);
  CHECK(first->json["path"] == "/delivery/normal");
  CHECK(second->json["path"] == "/second");
}

TEST_CASE("Delivery delay then reset: nothing during the delay, then a reset") {
  EchoServer server;
  RawConnection connection(server.port());
  REQUIRE(connection.send(get_request("/delivery/reset?delay_ms=1000")));
  CHECK(connection.fill(deadline_in(100ms)) == SocketEnd::timeout);
  CHECK(connection.wait_end(deadline_in(5s)) == SocketEnd::reset);
  CHECK(connection.unread().empty());
}

TEST_CASE("HTTPS through the event loop: keep-alive, large bodies both ways, a delivery") {
  std::string dir = (std::filesystem::temp_directory_path() / ("dcisim-net-tls-" + std::to_string(getpid()))).string();
  std::filesystem::create_directories(dir);
  mockdci::TlsFiles files{dir + "/cert.pem", dir + "/key.pem"};
  write_self_signed(files.cert_file, files.key_file);
  mockdci::HttpServerOptions options;
  options.tls = &files;
  EchoServer server(options);
  httplib::SSLClient client("127.0.0.1", server.port());
  client.enable_server_certificate_verification(false);
  client.set_keep_alive(true);
  for (int i = 0; i < 3; ++i) {
    auto small = client.Get(("/tls/" + std::to_string(i)).c_str());
    REQUIRE(small);
    CHECK(small->status == 200);
    CHECK(Json::parse(small->body)["path"] == "/tls/" + std::to_string(i));
  }
  std::string big(300'000, 'b');
  auto echoed = client.Post("/tls/big", big, "application/octet-stream");
  REQUIRE(echoed);
  CHECK(Json::parse(echoed->body)["body_size"] == big.size());
  auto large = client.Get("/delivery/normal?size=2000000");
  REQUIRE(large);
  CHECK(large->body.size() == 2'000'000);
  auto truncated = client.Get("/delivery/truncate?size=100000");
  CHECK_FALSE(truncated);  // the client sees the body cut short
  std::filesystem::remove_all(dir);
}

TEST_CASE("HTTPS: a bad certificate or key is a clear error from start()") {
  std::string dir = (std::filesystem::temp_directory_path() / ("dcisim-net-badtls-" + std::to_string(getpid()))).string();
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/junk.pem") << "not a certificate\n";
  mockdci::TlsFiles files{dir + "/junk.pem", dir + "/junk.pem"};
  mockdci::HttpServerOptions options;
  options.tls = &files;
  mockdci::HttpServer server;
  common::Status started = server.start(options, echo_answer, {});
  REQUIRE_FALSE(started.ok());
  CHECK_THAT(started.error().message, Catch::Contains("cannot serve HTTPS with certificate"));
  CHECK_FALSE(server.running());
  std::filesystem::remove_all(dir);
}
