// One HTTP/1.1 connection as a state machine without I/O. The event loop hands it the bytes it
// read and the time; the connection parses requests (RequestParser), calls the handler, queues
// the answers in request order, and tells the loop what to send, when to wake it up and how to
// end. Apart from the handler call it is pure, so every rule below holds whatever the socket does.
//
// Rules:
//   - pipelining: requests are answered in order; at most `max_queued_answers` answers wait to be
//     sent (parsing pauses beyond, then reading pauses once `max_input_bytes` are buffered);
//   - fairness: at most `max_requests_per_turn` requests are answered per turn (wants_turn() says
//     that more are buffered), so one busy connection cannot hold its loop;
//   - keep-alive: HTTP/1.1 unless "Connection: close", HTTP/1.0 only with "keep-alive";
//   - Expect: 100-continue gets "100 Continue" before its body (a refused head gets its final
//     answer at once instead); HEAD gets a GET's headers without the body;
//   - a refused request (limits, malformed, timeout) is answered with DCImanager's error JSON and
//     the connection closes after it: write side shut, input read and dropped until the client
//     closes or `linger_timeout` passes (so that the client reads the answer rather than a reset);
//   - timeouts: a request's head within `header_timeout` of its first byte, its body within
//     `body_timeout` of the head (both: 408); a new connection's first byte within
//     `header_timeout` of the accept and the next request's within `idle_timeout` (else a silent
//     close); each answer sent within `write_timeout` of being ready (else an abort);
//   - Delivery (set by the handler): `delay` holds the answer (and those behind it) until its
//     time; `reset`, `close`, `truncate` and `hang` end the connection as documented in
//     common/http.h; a hang ends when the client closes or `hang_limit` passes.
#pragma once

#include <cstdint>
#include <deque>
#include <limits>
#include <string>
#include <string_view>

#include "common/http.h"
#include "mockdci/http/exchange.h"
#include "mockdci/http/request_parser.h"

namespace dcisim::mockdci {

inline constexpr int64_t kNoDeadline = std::numeric_limits<int64_t>::max();

struct ConnectionConfig {
  ParserLimits parser;
  size_t max_queued_answers = 16;
  size_t max_requests_per_turn = 8;
  size_t max_input_bytes = 128 << 10;     // unparsed input buffered (must exceed the head limit)
  size_t max_discard_bytes = 1 << 20;     // read and dropped while lingering or hanging
  int64_t header_timeout_ns = 20'000'000'000;
  int64_t body_timeout_ns = 60'000'000'000;
  int64_t idle_timeout_ns = 60'000'000'000;
  int64_t write_timeout_ns = 60'000'000'000;
  int64_t hang_limit_ns = 600'000'000'000;
  int64_t linger_timeout_ns = 2'000'000'000;
};

// What the connections of one loop share; outlives them.
struct ConnectionServices {
  common::HttpHandler handler;
  ExchangeObservers observers;  // each may be empty
};

// The time of a turn: monotonic nanoseconds for deadlines, and the Date header's value.
struct TurnTime {
  int64_t now_ns = 0;
  std::string_view http_date;
};

class Connection {
 public:
  enum class Ending { open, close, reset };

  Connection(const ConnectionConfig& config, const ConnectionServices& services, int64_t now_ns);

  // Input. While discarding() the bytes are dropped (lingering or hanging), and the loop may read
  // the socket under TLS without decrypting.
  bool wants_input() const;
  bool discarding() const { return phase_ == Phase::hanging || phase_ == Phase::lingering; }
  void on_input(std::string_view bytes, const TurnTime& time);
  void on_peer_closed(const TurnTime& time);

  // Parses and answers what the buffered input holds, within the per-turn bound.
  void process(const TurnTime& time);
  bool wants_turn() const;  // buffered requests wait for another turn

  // Output: the bytes to send now; on_sent() with how many the socket took.
  std::string_view output() const { return std::string_view(output_).substr(output_pos_); }
  void on_sent(size_t bytes, const TurnTime& time);

  int64_t deadline_ns() const;  // kNoDeadline when none
  void on_timer(const TurnTime& time);

  // True once, when the loop must shut the socket's write side (the last answer is out).
  bool take_shutdown();
  Ending ending() const { return ending_; }
  // The connection is going away (error, stop): reports every answer not reported yet.
  void abandon(const TurnTime& time);

 private:
  enum class Phase { serving, hanging, lingering, closed };

  struct Answer {
    std::string bytes;
    size_t body_offset = 0;
    common::Delivery::Mode mode = common::Delivery::Mode::normal;
    int64_t ready_ns = 0;
    bool close_after = false;
    bool interim = false;  // 100 Continue: no record
    ExchangeRecord record;
    int64_t started_ns = 0;
  };

  std::string_view unconsumed() const { return std::string_view(input_).substr(input_pos_); }
  void consume(size_t bytes);
  bool idle() const;
  void on_head(const TurnTime& time);
  void answer_request(const TurnTime& time);
  void refuse_request(const TurnTime& time);
  void time_out_request(const TurnTime& time);
  common::HttpResponse call_handler(const common::HttpRequest& request);
  void queue_answer(const common::HttpResponse& response, bool head_request, bool close, bool http10_keep_alive,
                    ExchangeRecord record, const TurnTime& time);
  void promote(const TurnTime& time);
  void enter_lingering(const TurnTime& time);
  void end(Ending ending);
  void finish_if_done(const TurnTime& time);
  void report(Answer& answer, int64_t now_ns, bool completed);

  const ConnectionConfig& config_;
  const ConnectionServices& services_;
  RequestParser parser_;
  Phase phase_ = Phase::serving;
  Ending ending_ = Ending::open;

  std::string input_;
  size_t input_pos_ = 0;
  bool awaiting_input_ = false;   // the parser needs bytes that have not arrived
  bool request_open_ = false;     // a request's first byte arrived, its end not yet
  bool no_more_requests_ = false; // a last answer is queued: nothing more is parsed
  bool peer_closed_ = false;
  bool shutdown_pending_ = false;
  int64_t request_started_ns_ = 0;
  int64_t request_deadline_ns_ = kNoDeadline;
  int64_t idle_deadline_ns_ = kNoDeadline;

  std::deque<Answer> queue_;      // answers not started, in request order
  std::string output_;
  size_t output_pos_ = 0;
  bool sending_ = false;          // current_ is the answer in output_
  Answer current_;
  int64_t write_deadline_ns_ = kNoDeadline;

  Answer hang_;                   // the answer whose delivery is a hang, while hanging
  int64_t phase_deadline_ns_ = kNoDeadline;  // end of a hang or of lingering
  size_t discarded_bytes_ = 0;
};

}  // namespace dcisim::mockdci
