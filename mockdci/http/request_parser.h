// An incremental HTTP/1.1 request parser (RFC 9112), pure: bytes in, a request or a refusal out,
// no I/O, no clock, no exception. The connection keeps the bytes it read and hands the parser
// what it has not consumed yet; the parser consumes what it could use and says how far it got:
//
//   RequestParser parser(limits);
//   size_t used = 0;
//   switch (parser.parse(unconsumed, used)) {   // drop `used` bytes from the front afterwards
//     case Progress::need_more: ...             // read more first
//     case Progress::head_done: ...             // head parsed, a body follows (100 Continue?)
//     case Progress::done: ...                  // head() and body() are one request; next()
//     case Progress::refused: ...               // refusal(): answer it, then close
//   }
//
// What it refuses, and with which status: a head (request line and headers) over
// `max_head_bytes` or with more than `max_headers` fields 431; a declared body (Content-Length,
// or the chunks read so far) over `max_body_bytes` 413 as soon as it is declared, before any body
// byte is read; a method it does not implement 501, an HTTP major version other than 1 505, a
// transfer coding other than chunked 501, an Expect other than 100-continue 417; anything
// malformed 400 (bad tokens or bytes, obs-fold, a missing or repeated Host in HTTP/1.1,
// Content-Length with Transfer-Encoding, conflicting lengths, a bad chunk). A request line is
// judged as soon as it is complete, before the headers arrive.
//
// Lenient where RFC 9112 allows: empty lines before a request line are skipped, a bare LF ends a
// line, bytes 0x80-0xFF are accepted in the target and in field values (obs-text).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/http.h"

namespace dcisim::mockdci {

struct ParserLimits {
  size_t max_head_bytes = 64 << 10;  // request line + headers (+ a chunked body's trailers)
  size_t max_headers = 100;
  size_t max_body_bytes = 1 << 20;   // Content-Length, or the sum of the chunks
};

// A request's head as parsed. `method`, `target` and `version_minor` are set as soon as the
// request line is complete (so that a refused request can still be named in a journal).
struct RequestHead {
  std::string method;      // as sent: "GET"
  std::string target;      // as sent: "/api/dci/v3/server?where=..."
  int version_minor = 1;   // HTTP/1.<minor>
  common::HeaderList headers;  // names as sent, values without surrounding whitespace
  bool keep_alive = true;  // HTTP/1.1 without "Connection: close", HTTP/1.0 with "keep-alive"
  bool expect_continue = false;  // "Expect: 100-continue" in an HTTP/1.1 request
  bool chunked = false;
  uint64_t content_length = 0;   // when not chunked
};

struct ParseRefusal {
  int status = 400;
  std::string message;  // names what is wrong, for the error JSON
};

class RequestParser {
 public:
  enum class Progress { need_more, head_done, done, refused };

  explicit RequestParser(ParserLimits limits) : limits_(limits) {}

  // Parses from the start of `input` (the bytes not consumed so far). `consumed` gets how many
  // bytes of `input` were used; the caller drops them before the next call. `head_done` is
  // returned once per request that has a body; `done` once per request.
  Progress parse(std::string_view input, size_t& consumed);

  const RequestHead& head() const { return head_; }
  RequestHead& head() { return head_; }
  std::string& body() { return body_; }
  const ParseRefusal& refusal() const { return refusal_; }
  bool body_expected() const { return head_.chunked || head_.content_length > 0; }

  // Ready for the next request on the same connection (after `done`).
  void next();

 private:
  enum class State { request_line, headers, body, chunk_size, chunk_data, chunk_data_end, trailers, done, refused };

  Progress refuse(int status, std::string message);
  Progress parse_head(std::string_view input, size_t& consumed);
  Progress finish_head();
  Progress parse_body(std::string_view input, size_t& consumed);
  // One step of a body: consumes from `rest` (advancing `pos`) and returns what to report, or
  // nullopt to go on with the next state.
  std::optional<Progress> data_step(std::string_view rest, size_t& pos);
  std::optional<Progress> chunk_end_step(std::string_view rest, size_t& pos);
  std::optional<Progress> chunk_size_step(std::string_view rest, size_t& pos);
  std::optional<Progress> trailer_step(std::string_view rest, size_t& pos);
  // The next complete line at `input` (without its CR LF or LF), or npos when it is not complete
  // yet; `line_end` gets the offset just after the line break.
  size_t find_line(std::string_view input, size_t& line_end);

  ParserLimits limits_;
  State state_ = State::request_line;
  RequestHead head_;
  std::string body_;
  ParseRefusal refusal_;
  size_t head_bytes_ = 0;       // bytes of this request's head consumed so far
  size_t scanned_ = 0;          // how far the current line was searched for its end (no rescans)
  uint64_t body_remaining_ = 0; // of the body, or of the current chunk
};

}  // namespace dcisim::mockdci
