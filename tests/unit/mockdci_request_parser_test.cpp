// The socket server's pure HTTP/1.1 request parser (mockdci/http/request_parser.h) and target
// decoding (request_target.h): requests in one piece or a byte at a time, framing, limits, refusals.
#include <catch2/catch.hpp>

#include "mockdci/http/request_parser.h"
#include "mockdci/http/request_target.h"

using namespace dcisim;
using namespace dcisim::mockdci;
using Progress = RequestParser::Progress;

namespace {

// Everything the parser reported for `input`, fed `step` bytes at a time as a connection would
// (unconsumed bytes handed back with the next ones).
struct Outcome {
  std::vector<Progress> events;
  std::vector<RequestHead> heads;
  std::vector<std::string> bodies;
  ParseRefusal refusal;
  size_t unconsumed = 0;
};

Outcome run(std::string_view input, size_t step = SIZE_MAX, ParserLimits limits = {}) {
  RequestParser parser(limits);
  Outcome out;
  std::string buffer;
  for (size_t fed = 0; fed < input.size() || !buffer.empty();) {
    size_t take = std::min(step, input.size() - fed);
    buffer.append(input.substr(fed, take));
    fed += take;
    while (true) {
      size_t used = 0;
      Progress progress = parser.parse(buffer, used);
      buffer.erase(0, used);
      if (progress == Progress::need_more) break;
      out.events.push_back(progress);
      if (progress == Progress::refused) {
        out.refusal = parser.refusal();
        out.unconsumed = buffer.size();
        return out;
      }
      if (progress == Progress::done) {
        out.heads.push_back(parser.head());
        out.bodies.push_back(parser.body());
        parser.next();
      }
      if (buffer.empty()) break;
    }
    if (take == 0) break;
  }
  out.unconsumed = buffer.size();
  return out;
}

int refusal_status(std::string_view input, ParserLimits limits = {}) {
  Outcome outcome = run(input, SIZE_MAX, limits);
  return outcome.events.empty() || outcome.events.back() != Progress::refused ? 0 : outcome.refusal.status;
}

}  // namespace

TEST_CASE("parser: a GET in one piece and byte by byte gives the same head") {
  std::string request = "GET /api/x?a=1 HTTP/1.1\r\nHost: h\r\nX-Token:  abc \r\n\r\n";
  for (size_t step : {SIZE_MAX, size_t{1}, size_t{7}}) {
    Outcome outcome = run(request, step);
    REQUIRE(outcome.heads.size() == 1);
    const RequestHead& head = outcome.heads[0];
    CHECK(head.method == "GET");
    CHECK(head.target == "/api/x?a=1");
    CHECK(head.version_minor == 1);
    CHECK(head.keep_alive);
    CHECK(head.headers == common::HeaderList{{"Host", "h"}, {"X-Token", "abc"}});
    CHECK(outcome.bodies[0].empty());
    CHECK(outcome.unconsumed == 0);
  }
}

TEST_CASE("parser: Content-Length bodies, head_done before the body, pipelined requests") {
  std::string request = "POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello"
                        "GET /b HTTP/1.1\r\nHost: h\r\n\r\n";
  for (size_t step : {SIZE_MAX, size_t{1}, size_t{3}}) {
    Outcome outcome = run(request, step);
    CHECK(outcome.events == std::vector<Progress>{Progress::head_done, Progress::done, Progress::done});
    REQUIRE(outcome.heads.size() == 2);
    CHECK(outcome.bodies[0] == "hello");
    CHECK(outcome.heads[1].target == "/b");
  }
}

TEST_CASE("parser: chunked bodies with extensions and trailers, in pieces") {
  std::string request = "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: Chunked\r\n\r\n"
                        "4;a=b\r\nWiki\r\n5\r\npedia\r\ne\r\n in\r\n\r\nchunks.\r\n0\r\nX-T: 1\r\n\r\n";
  for (size_t step : {SIZE_MAX, size_t{1}, size_t{5}}) {
    Outcome outcome = run(request, step);
    REQUIRE(outcome.heads.size() == 1);
    CHECK(outcome.heads[0].chunked);
    CHECK(outcome.bodies[0] == "Wikipedia in\r\n\r\nchunks.");
  }
}

TEST_CASE("parser: keep-alive by version and Connection, Expect: 100-continue") {
  CHECK_FALSE(run("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n").heads[0].keep_alive);
  CHECK_FALSE(run("GET / HTTP/1.0\r\n\r\n").heads[0].keep_alive);
  CHECK(run("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").heads[0].keep_alive);
  CHECK(run("GET / HTTP/1.1\r\nHost: h\r\nConnection: keep-alive, Upgrade\r\n\r\n").heads[0].keep_alive);
  CHECK(run("POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\nContent-Length: 1\r\n\r\nx").heads[0].expect_continue);
  CHECK_FALSE(run("POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nx").heads[0].expect_continue);
  CHECK(run("GET / HTTP/1.7\r\nHost: h\r\n\r\n").heads[0].version_minor == 7);  // a later 1.x is 1.1-compatible
}

TEST_CASE("parser: refusals and their statuses") {
  ParserLimits small{200, 3, 10};
  CHECK(refusal_status("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\n", small) == 413);
  CHECK(refusal_status("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999999\r\n\r\n") == 413);
  CHECK(refusal_status("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nb\r\n", small) == 413);
  CHECK(refusal_status("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffff\r\n") == 413);
  CHECK(refusal_status("GET /" + std::string(300, 'a') + " HTTP/1.1\r\n\r\n", small) == 431);
  CHECK(refusal_status("GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", small) == 431);
  CHECK(refusal_status(std::string(300, 'a'), small) == 431);  // no line end within the limit
  CHECK(refusal_status("PROPFIND / HTTP/1.1\r\nHost: h\r\n\r\n") == 501);
  CHECK(refusal_status("GET / HTTP/3.0\r\nHost: h\r\n\r\n") == 505);
  CHECK(refusal_status("GET / HTTP/1.1\r\nHost: h\r\nExpect: later\r\n\r\n") == 417);
  CHECK(refusal_status("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n") == 501);
  for (std::string bad : {"GET / HTTP/1.1\r\n\r\n", "GET  / HTTP/1.1\r\nHost: h\r\n\r\n", "GET / HTTP/1.1 \r\nHost: h\r\n\r\n",
                          "GET / http/1.1\r\nHost: h\r\n\r\n", "GET /\x7f HTTP/1.1\r\nHost: h\r\n\r\n", "G(T / HTTP/1.1\r\n\r\n",
                          "GET x HTTP/1.1\r\nHost: h\r\n\r\n", "GET * HTTP/1.1\r\nHost: h\r\n\r\n",
                          "GET / HTTP/1.1\r\nHost: h\r\nX : y\r\n\r\n", "GET / HTTP/1.1\r\nHost: h\r\nX: a\x01z\r\n\r\n",
                          "GET / HTTP/1.1\r\nHost: h\r\nX: a\rz\r\n\r\n", "GET / HTTP/1.1\r\nHost: h\r\n  fold\r\n\r\n",
                          "GET / HTTP/1.1\r\nHost: h\r\nnocolon\r\n\r\n", "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n",
                          "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1, 2\r\n\r\n",
                          "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n",
                          "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 1\r\n\r\n",
                          "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nx\r\n",
                          "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n"}) {
    INFO(bad);
    CHECK(refusal_status(bad) == 400);
  }
  // The same Content-Length repeated is one length.
  CHECK(run("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2, 2\r\nContent-Length: 2\r\n\r\nab").bodies[0] == "ab");
}

TEST_CASE("parser: a request line is judged as soon as it is complete, before the headers") {
  RequestParser parser({});
  size_t used = 0;
  CHECK(parser.parse("TRACE / HTTP/1.1\r\nHo", used) == Progress::refused);
  CHECK(parser.refusal().status == 501);
  CHECK(parser.head().method == "TRACE");
  CHECK(parser.head().target == "/");
}

TEST_CASE("parser: OPTIONS * is a request, leading empty lines and bare LFs are accepted") {
  CHECK(run("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n").heads.size() == 1);
  Outcome lf = run("\r\n\nGET /lf HTTP/1.1\nHost: h\n\n");
  REQUIRE(lf.heads.size() == 1);
  CHECK(lf.heads[0].target == "/lf");
}

TEST_CASE("parser: every byte in a header value is either kept or refused, never a crash") {
  for (int value = 0; value < 256; ++value) {
    std::string request = std::string("GET / HTTP/1.1\r\nHost: h\r\nX: a") + static_cast<char>(value) + "b\r\n\r\n";
    Outcome outcome = run(request, 1);
    bool allowed = value == '\t' || (value >= 0x20 && value != 0x7F);
    INFO(value);
    if (value == '\n') {
      CHECK(refusal_status(request) == 400);  // "b" alone is not a header line
    } else if (allowed) {
      REQUIRE(outcome.heads.size() == 1);
      CHECK(outcome.heads[0].headers[1].second == std::string("a") + static_cast<char>(value) + "b");
    } else {
      CHECK(refusal_status(request) == 400);
    }
  }
}

TEST_CASE("split_target and to_http_request decode as the emulator always did") {
  TargetParts parts;
  REQUIRE(split_target("/a%20b+c/%2f%zz%4?q=1#frag", parts));
  CHECK(parts.path == "/a b+c//%zz%4");
  CHECK(parts.query == "q=1");
  REQUIRE(split_target("https://host:8443/x/y?z", parts));
  CHECK(parts.path == "/x/y");
  CHECK(parts.query == "z");
  REQUIRE(split_target("http://host?z", parts));
  CHECK(parts.path == "/");
  CHECK_FALSE(split_target("ftp://host/x", parts));
  CHECK_FALSE(split_target("x/y", parts));
  CHECK_FALSE(split_target("http:///x", parts));

  RequestHead head;
  head.method = "GET";
  head.target = "/api/%ff?where=name%20EQ%20%27a+b%27&limit=0,1&empty=&flag";
  head.headers = {{"X-A", "1"}};
  std::string body = "b";
  common::HttpRequest request = to_http_request(head, body);
  CHECK(request.method == "GET");
  CHECK(request.path == "/api/\xff");
  CHECK(request.query == common::HeaderList{{"where", "name EQ 'a b'"}, {"limit", "0,1"}, {"empty", ""}, {"flag", ""}});
  CHECK(request.headers == common::HeaderList{{"X-A", "1"}});
  CHECK(request.body == "b");
}
