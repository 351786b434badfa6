#include "mockdci/http/connection.h"

#include <algorithm>
#include <exception>

#include "common/json_text.h"
#include "mockdci/api_error.h"
#include "mockdci/http/request_target.h"
#include "mockdci/http/response_writer.h"

namespace dcisim::mockdci {

using common::Delivery;

namespace {

int64_t deadline_after(int64_t now_ns, int64_t timeout_ns) {
  return timeout_ns >= kNoDeadline - now_ns ? kNoDeadline : now_ns + timeout_ns;
}

// What a journal can name of a request the HTTP layer refused: as much as was parsed.
ExchangeRecord refused_record(const RequestHead& head) {
  ExchangeRecord record;
  record.request.method = head.method;
  TargetParts parts;
  if (!head.target.empty() && split_target(head.target, parts)) {
    record.request.path = std::move(parts.path);
    if (!parts.query.empty()) record.request.query = common::parse_query_string(parts.query);
  }
  record.answered_by_server = true;
  return record;
}

}  // namespace

Connection::Connection(const ConnectionConfig& config, const ConnectionServices& services, int64_t now_ns)
    : config_(config), services_(services), parser_(config.parser) {
  // A new connection's first request must start within the header timeout.
  idle_deadline_ns_ = deadline_after(now_ns, config_.header_timeout_ns);
}

bool Connection::wants_input() const {
  switch (phase_) {
    case Phase::hanging:
    case Phase::lingering: return true;
    case Phase::closed: return false;
    case Phase::serving: break;
  }
  return !peer_closed_ && !no_more_requests_ && input_.size() - input_pos_ < config_.max_input_bytes;
}

void Connection::on_input(std::string_view bytes, const TurnTime& time) {
  if (discarding()) {
    discarded_bytes_ += bytes.size();
    if (discarded_bytes_ > config_.max_discard_bytes) {
      if (phase_ == Phase::hanging) report(hang_, time.now_ns, true);
      end(Ending::close);
    }
    return;
  }
  if (phase_ != Phase::serving || peer_closed_ || no_more_requests_) return;
  input_.append(bytes);
  awaiting_input_ = false;
}

void Connection::on_peer_closed(const TurnTime& time) {
  switch (phase_) {
    case Phase::hanging:
      report(hang_, time.now_ns, true);
      end(Ending::close);
      return;
    case Phase::lingering: end(Ending::close); return;
    case Phase::closed: return;
    case Phase::serving: break;
  }
  // The client may have half-closed after its last request: answer what is complete, then close.
  peer_closed_ = true;
  finish_if_done(time);
}

void Connection::consume(size_t bytes) {
  input_pos_ += bytes;
  if (input_pos_ == input_.size()) {
    input_.clear();
    input_pos_ = 0;
  } else if (input_pos_ >= (32 << 10)) {
    input_.erase(0, input_pos_);
    input_pos_ = 0;
  }
}

bool Connection::idle() const {
  return phase_ == Phase::serving && !request_open_ && queue_.empty() && !sending_ && output_pos_ == output_.size();
}

void Connection::process(const TurnTime& time) {
  if (phase_ != Phase::serving) return;
  promote(time);
  size_t answered = 0;
  while (phase_ == Phase::serving && !no_more_requests_ && !awaiting_input_ &&
         queue_.size() < config_.max_queued_answers && answered < config_.max_requests_per_turn) {
    std::string_view available = unconsumed();
    if (available.empty()) break;
    if (!request_open_) {
      request_open_ = true;
      request_started_ns_ = time.now_ns;
      request_deadline_ns_ = deadline_after(time.now_ns, config_.header_timeout_ns);
    }
    size_t used = 0;
    RequestParser::Progress progress = parser_.parse(available, used);
    consume(used);
    switch (progress) {
      case RequestParser::Progress::need_more: awaiting_input_ = true; break;
      case RequestParser::Progress::head_done: on_head(time); break;
      case RequestParser::Progress::done:
        answer_request(time);
        ++answered;
        break;
      case RequestParser::Progress::refused: refuse_request(time); break;
    }
  }
  finish_if_done(time);
}

bool Connection::wants_turn() const {
  return phase_ == Phase::serving && !no_more_requests_ && !awaiting_input_ && input_pos_ < input_.size() &&
         queue_.size() < config_.max_queued_answers;
}

void Connection::on_head(const TurnTime& time) {
  request_deadline_ns_ = deadline_after(time.now_ns, config_.body_timeout_ns);
  if (parser_.head().expect_continue && unconsumed().empty()) {
    Answer interim;
    interim.bytes = std::string(kContinueResponse);
    interim.interim = true;
    interim.ready_ns = time.now_ns;
    queue_.push_back(std::move(interim));
    promote(time);
  }
}

common::HttpResponse Connection::call_handler(const common::HttpRequest& request) {
  // The boundary: nothing a handler throws leaves the HTTP layer.
  std::string what;
  try {
    return services_.handler(request);
  } catch (const std::exception& e) {
    what = e.what();
  } catch (...) {
    what = "unknown exception";
  }
  return error_response(common::Error::internal("internal error answering " + request.method + " " +
                                                common::printable_utf8(request.path, 200) + ": " + what));
}

void Connection::answer_request(const TurnTime& time) {
  RequestHead& head = parser_.head();
  bool head_request = head.method == "HEAD";
  bool keep_alive = head.keep_alive;
  bool http10 = head.version_minor == 0;
  common::HttpRequest request = to_http_request(head, parser_.body());
  parser_.next();
  request_open_ = false;
  request_deadline_ns_ = kNoDeadline;
  common::HttpResponse response = call_handler(request);
  ExchangeRecord record;
  record.request.method = std::move(request.method);
  record.request.path = std::move(request.path);
  record.request.query = std::move(request.query);
  if (!keep_alive) no_more_requests_ = true;
  queue_answer(response, head_request, !keep_alive, http10 && keep_alive, std::move(record), time);
}

void Connection::refuse_request(const TurnTime& time) {
  const ParseRefusal& refusal = parser_.refusal();
  common::HttpResponse response = refusal.status == 413 ? body_too_large_response(config_.parser.max_body_bytes)
                                                        : protocol_error_response(refusal.status, refusal.message);
  no_more_requests_ = true;
  request_open_ = false;
  queue_answer(response, false, true, false, refused_record(parser_.head()), time);
}

void Connection::time_out_request(const TurnTime& time) {
  bool in_body = parser_.head().method.empty() ? false : parser_.body_expected();
  common::HttpResponse response = protocol_error_response(
      408, in_body ? "the request body did not arrive in time" : "the request line and headers did not arrive in time");
  no_more_requests_ = true;
  request_open_ = false;
  queue_answer(response, false, true, false, refused_record(parser_.head()), time);
}

void Connection::queue_answer(const common::HttpResponse& response, bool head_request, bool close,
                              bool http10_keep_alive, ExchangeRecord record, const TurnTime& time) {
  Delivery::Mode mode = response.delivery.mode;
  bool broken = mode != Delivery::Mode::normal;
  WireResponse wire = serialize_response(response, {head_request, close || broken, http10_keep_alive && !broken, time.http_date});
  Answer answer;
  answer.bytes = std::move(wire.bytes);
  answer.body_offset = wire.body_offset;
  answer.mode = mode;
  // A delay is bounded like a hang: an answer is never held longer than hang_limit.
  int64_t delay_ns = std::clamp<int64_t>(response.delivery.delay.count_ms(), 0, config_.hang_limit_ns / 1'000'000) * 1'000'000;
  answer.ready_ns = time.now_ns + delay_ns;
  answer.close_after = close || broken;
  answer.record = std::move(record);
  answer.record.status = response.status >= 100 && response.status <= 599 ? response.status : 500;
  answer.record.delivery = mode;
  answer.started_ns = request_started_ns_;
  if (answer.record.answered_by_server && services_.observers.answered_by_server) {
    answer.record.duration_us = std::max<int64_t>(0, time.now_ns - answer.started_ns) / 1000;
    try {
      services_.observers.answered_by_server(answer.record);
    } catch (...) {
      // As in report(): the record is lost, not the server.
    }
  }
  if (broken) no_more_requests_ = true;
  queue_.push_back(std::move(answer));
  promote(time);
}

void Connection::promote(const TurnTime& time) {
  if (phase_ != Phase::serving || sending_ || queue_.empty() || queue_.front().ready_ns > time.now_ns) return;
  Answer answer = std::move(queue_.front());
  queue_.pop_front();
  switch (answer.mode) {
    case Delivery::Mode::truncate:
      answer.bytes.resize(answer.body_offset + (answer.bytes.size() - answer.body_offset) / 2);
      [[fallthrough]];
    case Delivery::Mode::normal:
      output_ = std::move(answer.bytes);
      output_pos_ = 0;
      answer.bytes = std::string();
      current_ = std::move(answer);
      sending_ = true;
      write_deadline_ns_ = deadline_after(time.now_ns, config_.write_timeout_ns);
      return;
    case Delivery::Mode::close:
      report(answer, time.now_ns, true);
      enter_lingering(time);
      return;
    case Delivery::Mode::reset:
      report(answer, time.now_ns, true);
      end(Ending::reset);
      return;
    case Delivery::Mode::hang:
      hang_ = std::move(answer);
      phase_ = Phase::hanging;
      phase_deadline_ns_ = deadline_after(time.now_ns, config_.hang_limit_ns);
      input_.clear();
      input_pos_ = 0;
      return;
  }
}

void Connection::on_sent(size_t bytes, const TurnTime& time) {
  output_pos_ = std::min(output_.size(), output_pos_ + bytes);
  if (output_pos_ < output_.size()) return;
  output_.clear();
  output_pos_ = 0;
  write_deadline_ns_ = kNoDeadline;
  if (sending_) {
    sending_ = false;
    if (!current_.interim) report(current_, time.now_ns, true);
    if (current_.close_after) {
      enter_lingering(time);
      return;
    }
  }
  promote(time);
  if (idle()) idle_deadline_ns_ = deadline_after(time.now_ns, config_.idle_timeout_ns);
  finish_if_done(time);
}

void Connection::enter_lingering(const TurnTime& time) {
  input_.clear();
  input_pos_ = 0;
  if (peer_closed_) {
    end(Ending::close);
    return;
  }
  phase_ = Phase::lingering;
  shutdown_pending_ = true;
  phase_deadline_ns_ = deadline_after(time.now_ns, config_.linger_timeout_ns);
}

void Connection::end(Ending ending) {
  phase_ = Phase::closed;
  ending_ = ending;
  shutdown_pending_ = false;
}

void Connection::finish_if_done(const TurnTime& time) {
  if (phase_ != Phase::serving || !peer_closed_) return;
  if (!queue_.empty() || sending_ || output_pos_ < output_.size()) return;
  if (no_more_requests_ || awaiting_input_ || unconsumed().empty()) end(Ending::close);
}

bool Connection::take_shutdown() {
  bool pending = shutdown_pending_;
  shutdown_pending_ = false;
  return pending;
}

int64_t Connection::deadline_ns() const {
  switch (phase_) {
    case Phase::hanging:
    case Phase::lingering: return phase_deadline_ns_;
    case Phase::closed: return kNoDeadline;
    case Phase::serving: break;
  }
  int64_t deadline = kNoDeadline;
  if (sending_ || output_pos_ < output_.size()) {
    deadline = write_deadline_ns_;
  } else if (!queue_.empty()) {
    deadline = queue_.front().ready_ns;
  }
  if (request_open_ && !no_more_requests_ && !peer_closed_) deadline = std::min(deadline, request_deadline_ns_);
  if (idle()) deadline = std::min(deadline, idle_deadline_ns_);
  return deadline;
}

void Connection::on_timer(const TurnTime& time) {
  int64_t now = time.now_ns;
  switch (phase_) {
    case Phase::hanging:
      if (now >= phase_deadline_ns_) {
        report(hang_, now, true);
        end(Ending::close);
      }
      return;
    case Phase::lingering:
      if (now >= phase_deadline_ns_) end(Ending::close);
      return;
    case Phase::closed: return;
    case Phase::serving: break;
  }
  if ((sending_ || output_pos_ < output_.size()) && now >= write_deadline_ns_) {
    abandon(time);  // the client does not read: give up on this connection
    return;
  }
  promote(time);
  if (request_open_ && !no_more_requests_ && !peer_closed_ && now >= request_deadline_ns_) {
    time_out_request(time);
  } else if (idle() && now >= idle_deadline_ns_) {
    end(Ending::close);
  }
}

void Connection::report(Answer& answer, int64_t now_ns, bool completed) {
  if (answer.interim || !services_.observers.done) return;
  answer.record.completed = completed;
  answer.record.duration_us = std::max<int64_t>(0, now_ns - answer.started_ns) / 1000;
  try {
    services_.observers.done(answer.record);
  } catch (...) {
    // An observer must not throw; if it does, the record is lost, not the server.
  }
}

void Connection::abandon(const TurnTime& time) {
  if (phase_ == Phase::closed) return;  // everything was reported on the way
  if (phase_ == Phase::hanging) report(hang_, time.now_ns, true);
  if (sending_) report(current_, time.now_ns, false);
  for (Answer& answer : queue_) report(answer, time.now_ns, false);
  queue_.clear();
  sending_ = false;
  end(Ending::close);
}

}  // namespace dcisim::mockdci
