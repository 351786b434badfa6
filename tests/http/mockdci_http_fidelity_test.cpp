// The emulator's socket server speaks HTTP/1.1 as servers do (RFC 9112): bodies framed by
// Content-Length, chunked or absent, Expect: 100-continue, HEAD, keep-alive and HTTP/1.0,
// pipelining, the target decoded as before, headers as sent, and clear refusals.
#include <regex>

#include "echo_server.h"

using namespace dcisim;
using namespace dcisim::testing;
using namespace std::chrono_literals;

namespace {

RawResponse answer_to(RawConnection& connection, const std::string& bytes, bool head_request = false) {
  REQUIRE(connection.send(bytes));
  SocketEnd end = SocketEnd::open;
  std::optional<RawResponse> response = connection.read_response(deadline_in(5s), &end, head_request);
  INFO("the connection ended: " << static_cast<int>(end));
  REQUIRE(response.has_value());
  return *response;
}

}  // namespace

TEST_CASE("a POST with neither a body nor Content-Length has an empty body") {
  EchoServer server;
  RawConnection connection(server.port());
  RawResponse response = answer_to(connection, "POST /things HTTP/1.1\r\nHost: test\r\n\r\n");
  CHECK(response.status == 200);
  CHECK(response.json["method"] == "POST");
  CHECK(response.json["body"] == "");
  // The connection stays usable: the empty body was not waited for.
  CHECK(answer_to(connection, get_request("/next")).json["path"] == "/next");
}

TEST_CASE("a chunked request body is decoded, extensions and trailers ignored") {
  EchoServer server;
  RawConnection connection(server.port());
  RawResponse response = answer_to(connection,
                                   "POST /chunks HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n"
                                   "5\r\nhello\r\n6;name=value\r\n world\r\nA\r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\n");
  CHECK(response.status == 200);
  CHECK(response.json["body"] == "hello world0123456789");
  CHECK(answer_to(connection, get_request("/after")).json["path"] == "/after");
}

TEST_CASE("a chunked body is read as its chunks arrive, byte by byte") {
  EchoServer server;
  RawConnection connection(server.port());
  std::string request = "POST /slow HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n";
  for (char c : request) REQUIRE(connection.send(std::string(1, c)));
  std::optional<RawResponse> response = connection.read_response(deadline_in(5s));
  REQUIRE(response);
  CHECK(response->json["body"] == "abcde");
}

TEST_CASE("chunked bodies over the limit or malformed are refused") {
  mockdci::HttpServerOptions options;
  options.max_body_bytes = 10;
  EchoServer server(options);
  SECTION("the sum of the chunks over max_body_bytes: 413 before the chunk is read") {
    RawConnection connection(server.port());
    RawResponse response = answer_to(connection, "POST /c HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n12345678\r\n8\r\n");
    CHECK(response.status == 413);
    CHECK(is_error_json(response));
    CHECK(*response.header("Connection") == "close");
  }
  SECTION("a chunk size that is not hex: 400") {
    RawConnection connection(server.port());
    RawResponse response = answer_to(connection, "POST /c HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
    CHECK(response.status == 400);
    CHECK(is_error_json(response));
  }
  SECTION("a coding other than chunked: 501; chunked not last: 400") {
    RawConnection first(server.port());
    CHECK(answer_to(first, "POST /c HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: gzip, chunked\r\n\r\n").status == 501);
    RawConnection second(server.port());
    CHECK(answer_to(second, "POST /c HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked, gzip\r\n\r\n").status == 400);
  }
  SECTION("Content-Length with Transfer-Encoding: 400") {
    RawConnection connection(server.port());
    CHECK(answer_to(connection, "POST /c HTTP/1.1\r\nHost: test\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n").status == 400);
  }
}

TEST_CASE("Expect: 100-continue gets 100 Continue, then the answer once the body came") {
  EchoServer server;
  RawConnection connection(server.port());
  RawResponse interim = answer_to(connection, "POST /expect HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
  CHECK(interim.status == 100);
  CHECK(interim.body.empty());
  RawResponse response = answer_to(connection, "hello");
  CHECK(response.status == 200);
  CHECK(response.json["body"] == "hello");
}

TEST_CASE("Expect: 100-continue with a body over the limit gets 413 at once, never 100") {
  mockdci::HttpServerOptions options;
  options.max_body_bytes = 100;
  EchoServer server(options);
  RawConnection connection(server.port());
  RawResponse response = answer_to(connection, "POST /expect HTTP/1.1\r\nHost: test\r\nContent-Length: 101\r\nExpect: 100-continue\r\n\r\n");
  CHECK(response.status == 413);
  CHECK(is_error_json(response));
  CHECK(connection.wait_end(deadline_in(5s)) == SocketEnd::closed);
  CHECK(connection.unread().empty());
}

TEST_CASE("an Expect other than 100-continue is refused with 417") {
  EchoServer server;
  RawConnection connection(server.port());
  RawResponse response = answer_to(connection, "POST /e HTTP/1.1\r\nHost: test\r\nContent-Length: 1\r\nExpect: magic\r\n\r\nx");
  CHECK(response.status == 417);
  CHECK(is_error_json(response));
}

TEST_CASE("HEAD gets a GET's status and headers, Content-Length included, and no body") {
  EchoServer server;
  RawConnection connection(server.port());
  RawResponse get = answer_to(connection, get_request("/resource"));
  RawResponse head = answer_to(connection, "HEAD /resource HTTP/1.1\r\nHost: test\r\n\r\n", true);
  CHECK(head.status == get.status);
  CHECK(head.body.empty());
  REQUIRE(head.header("Content-Length") != nullptr);
  // The echo names the method, so the GET's body is 1 byte shorter than a HEAD's would be.
  CHECK(std::stoul(*head.header("Content-Length")) == get.body.size() + 1);
  CHECK(*head.header("X-Echo") == "yes");
  CHECK(*head.header("Content-Type") == "application/json");
  // No body bytes were sent: the next answer on the connection parses from its first byte.
  CHECK(answer_to(connection, get_request("/after-head")).json["path"] == "/after-head");
}

TEST_CASE("pipelined requests are answered in order on one connection") {
  EchoServer server;
  RawConnection connection(server.port());
  std::string requests;
  for (int i = 0; i < 40; ++i) requests += get_request("/pipelined/" + std::to_string(i));
  requests += "POST /pipelined/body HTTP/1.1\r\nHost: test\r\nContent-Length: 3\r\n\r\nabc";
  REQUIRE(connection.send(requests));
  for (int i = 0; i < 40; ++i) {
    std::optional<RawResponse> response = connection.read_response(deadline_in(5s));
    REQUIRE(response);
    CHECK(response->json["path"] == "/pipelined/" + std::to_string(i));
  }
  std::optional<RawResponse> last = connection.read_response(deadline_in(5s));
  REQUIRE(last);
  CHECK(last->json["body"] == "abc");
}

TEST_CASE("Connection: close and HTTP/1.0 close after the answer, HTTP/1.0 keep-alive stays open") {
  EchoServer server;
  SECTION("HTTP/1.1 with Connection: close") {
    RawConnection connection(server.port());
    RawResponse response = answer_to(connection, get_request("/bye", "Connection: close\r\n") + get_request("/never"));
    CHECK(*response.header("Connection") == "close");
    CHECK(connection.wait_end(deadline_in(5s)) == SocketEnd::closed);
    CHECK(connection.unread().empty());  // the pipelined request after the close was not answered
  }
  SECTION("HTTP/1.0 without keep-alive, no Host needed") {
    RawConnection connection(server.port());
    RawResponse response = answer_to(connection, "GET /old HTTP/1.0\r\n\r\n");
    CHECK(response.status == 200);
    CHECK(connection.wait_end(deadline_in(5s)) == SocketEnd::closed);
  }
  SECTION("HTTP/1.0 with Connection: keep-alive") {
    RawConnection connection(server.port());
    RawResponse first = answer_to(connection, "GET /old HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    CHECK(*first.header("Connection") == "keep-alive");
    RawResponse second = answer_to(connection, "GET /again HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    CHECK(second.json["path"] == "/again");
  }
}

TEST_CASE("the target is decoded as before: %XX in the path, + kept there, the query decoded, headers as sent") {
  EchoServer server;
  RawConnection connection(server.port());
  RawResponse response = answer_to(connection,
                                   "GET /a%20b+c/%2F%zz?where=name%20EQ%20%27x%27&limit=0,10&plus=a+b#frag HTTP/1.1\r\n"
                                   "Host: test\r\nX-Mixed-Case:  padded value \t\r\nx-dup: 1\r\nX-Dup: 2\r\n\r\n");
  CHECK(response.json["path"] == "/a b+c//%zz");
  CHECK(response.json["query"] == nlohmann::json::array({{"where", "name EQ 'x'"}, {"limit", "0,10"}, {"plus", "a b"}}));
  nlohmann::json headers = response.json["headers"];
  CHECK(headers == nlohmann::json::array({{"Host", "test"}, {"X-Mixed-Case", "padded value"}, {"x-dup", "1"}, {"X-Dup", "2"}}));
}

TEST_CASE("an absolute-form target is served by its path") {
  EchoServer server;
  RawConnection connection(server.port());
  RawResponse response = answer_to(connection, "GET http://test/api/x?y=1 HTTP/1.1\r\nHost: test\r\n\r\n");
  CHECK(response.json["path"] == "/api/x");
  CHECK(response.json["query"] == nlohmann::json::array({{"y", "1"}}));
}

TEST_CASE("refusals: unknown method 501, HTTP/2 505, missing Host 400, head over the limit 431, each with error JSON and a close") {
  mockdci::HttpServerOptions options;
  options.max_head_bytes = 1024;
  options.max_headers = 5;
  EchoServer server(options);
  struct Case {
    std::string request;
    int status;
  };
  std::vector<Case> cases = {
      {"BREW /pot HTTP/1.1\r\nHost: t\r\n\r\n", 501},
      {"GET / HTTP/2.0\r\nHost: t\r\n\r\n", 505},
      {"GET / HTTP/1.1\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + std::string(2000, 'a') + "\r\n\r\n", 431},
      {"GET /" + std::string(2000, 'a') + " HTTP/1.1\r\nHost: t\r\n\r\n", 431},
      {"GET / HTTP/1.1\r\nHost: t\r\nA: 1\r\nB: 1\r\nC: 1\r\nD: 1\r\nE: 1\r\n\r\n", 431},
      {"GET / HTTP/1.1\r\nHost: t\r\n folded\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nHost: t\r\nBad Name: x\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nHost: t\r\nContent-Length: 1x\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n", 400},
      {"GET noslash HTTP/1.1\r\nHost: t\r\n\r\n", 400},
      {"GET / HTTP/1.1 extra\r\nHost: t\r\n\r\n", 400},
      {std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 15), 400},  // TLS on plain HTTP
  };
  for (const Case& c : cases) {
    INFO(c.request.substr(0, 80));
    RawConnection connection(server.port());
    RawResponse response = answer_to(connection, c.request);
    CHECK(response.status == c.status);
    CHECK(is_error_json(response));
    CHECK(*response.header("Connection") == "close");
    CHECK(connection.wait_end(deadline_in(5s)) == SocketEnd::closed);
  }
  std::vector<mockdci::ExchangeRecord> records = server.records(cases.size());
  REQUIRE(records.size() == cases.size());
  for (const mockdci::ExchangeRecord& record : records) CHECK(record.answered_by_server);
  CHECK(records[0].request.method == "BREW");
  CHECK(records[0].request.path == "/pot");
}

TEST_CASE("empty lines before a request line are skipped, a bare LF ends a line") {
  EchoServer server;
  RawConnection connection(server.port());
  RawResponse response = answer_to(connection, "\r\n\r\nGET /lf HTTP/1.1\nHost: t\n\n");
  CHECK(response.status == 200);
  CHECK(response.json["path"] == "/lf");
}

TEST_CASE("what a handler throws becomes a 500 with error JSON, and the connection goes on") {
  EchoServer server;
  RawConnection connection(server.port());
  RawResponse response = answer_to(connection, get_request("/throw"));
  CHECK(response.status == 500);
  CHECK(is_error_json(response));
  CHECK_THAT(response.json["error"]["msg"].get<std::string>(), Catch::Contains("the handler threw"));
  CHECK(answer_to(connection, get_request("/fine")).status == 200);
}

TEST_CASE("every answer carries a Date header") {
  EchoServer server;
  RawConnection connection(server.port());
  RawResponse response = answer_to(connection, get_request("/date"));
  REQUIRE(response.header("Date") != nullptr);
  CHECK(std::regex_match(*response.header("Date"), std::regex(R"((Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT)")));
}
