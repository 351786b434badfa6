#include "mockdci/http/event_loop.h"

#include <errno.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <chrono>
#include <climits>

#include "mockdci/http/acceptor.h"
#include "mockdci/http/response_writer.h"
#include "mockdci/http/socket.h"
#include "mockdci/http/tls.h"

namespace dcisim::mockdci {

namespace {

constexpr uint64_t kListenerKey = 1;
constexpr uint64_t kWakeKey = 2;
constexpr int kMaxEvents = 256;
constexpr size_t kReadBufferBytes = 64 << 10;
constexpr int kReadsPerTurn = 4;
constexpr size_t kWriteBytesPerTurn = 256 << 10;
constexpr size_t kAcceptsPerTurn = 64;
constexpr size_t kTimersPerTurn = 1024;

int64_t monotonic_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

EventLoop::~EventLoop() {
  close_all();
  if (epoll_fd_ >= 0) ::close(epoll_fd_);
  if (wake_fd_ >= 0) ::close(wake_fd_);
}

common::Status EventLoop::open() {
  epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
  wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (epoll_fd_ < 0 || wake_fd_ < 0) return common::Error::io("cannot make an event loop: " + errno_text(errno));
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.u64 = kWakeKey;
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &event) != 0) return common::Error::io("cannot make an event loop: " + errno_text(errno));
  read_buffer_.resize(kReadBufferBytes);
  return common::Status::success();
}

common::Status EventLoop::watch_listener(int listen_fd, Acceptor* acceptor) {
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.u64 = kListenerKey;
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, listen_fd, &event) != 0) return common::Error::io("cannot watch the listening socket: " + errno_text(errno));
  acceptor_ = acceptor;
  return common::Status::success();
}

void EventLoop::adopt(int fd) {
  bool was_empty = false;
  {
    std::lock_guard lock(inbox_mutex_);
    was_empty = inbox_.empty();
    inbox_.push_back(fd);
  }
  if (was_empty) wake();
}

void EventLoop::wake() {
  uint64_t one = 1;
  [[maybe_unused]] ssize_t n = ::write(wake_fd_, &one, sizeof one);  // EAGAIN: already signalled
}

TurnTime EventLoop::turn_time() {
  int64_t second = wall_clock_.now().unix_seconds();
  if (second != date_second_) {
    date_second_ = second;
    date_text_ = http_date(second);
  }
  return {monotonic_now_ns(), date_text_};
}

void EventLoop::run() {
  // A write to a socket the peer reset raises SIGPIPE: TLS writes cannot pass MSG_NOSIGNAL, so
  // the signal is blocked in this thread (the write then fails with EPIPE).
  sigset_t pipe_signal;
  sigemptyset(&pipe_signal);
  sigaddset(&pipe_signal, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_signal, nullptr);
  std::vector<epoll_event> events(kMaxEvents);
  while (!shared_.stopping.load(std::memory_order_acquire)) {
    int timeout_ms = ready_.empty() ? wait_timeout_ms(monotonic_now_ns()) : 0;
    int n = ::epoll_wait(epoll_fd_, events.data(), kMaxEvents, timeout_ms);
    if (n < 0 && errno != EINTR) break;  // cannot happen with a valid epoll fd
    TurnTime time = turn_time();
    for (int i = 0; i < n; ++i) {
      uint64_t key = events[i].data.u64;
      if (key == kWakeKey) {
        uint64_t count = 0;
        [[maybe_unused]] ssize_t read_bytes = ::read(wake_fd_, &count, sizeof count);
        adopt_inbox(time);
      } else if (key == kListenerKey) {
        if (acceptor_ != nullptr) acceptor_->accept_some(kAcceptsPerTurn);
      } else if (auto found = slots_.find(key); found != slots_.end()) {
        turn(*found->second, events[i].events, time);
      }
    }
    run_ready(time);
    run_timers(turn_time());
  }
  close_all();
}

void EventLoop::adopt_inbox(const TurnTime& time) {
  std::vector<int> fds;
  {
    std::lock_guard lock(inbox_mutex_);
    fds.swap(inbox_);
  }
  for (int fd : fds) {
    Slot* slot = add_connection(fd, time);
    if (slot == nullptr) {
      shared_.open_connections.fetch_sub(1);
      continue;
    }
    try {
      settle(*slot, time);
    } catch (...) {
      close_slot(*slot, false, time);
    }
  }
}

EventLoop::Slot* EventLoop::add_connection(int fd, const TurnTime& time) noexcept {
  std::unique_ptr<Stream> stream;
  try {
    stream = shared_.tls != nullptr ? shared_.tls->wrap(fd) : std::unique_ptr<Stream>(new Stream(fd));
  } catch (...) {
    ::close(fd);  // out of memory before a Stream owned the socket
    return nullptr;
  }
  if (stream == nullptr) return nullptr;  // wrap() closed it
  // From here the socket belongs to `stream`, then to the slot: a throw closes it with them.
  try {
    uint64_t id = next_id_++;
    auto slot = std::make_unique<Slot>(id, std::move(stream), shared_, time.now_ns);
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = id;
    if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event) != 0) return nullptr;
    slot->interest = EPOLLIN;
    return slots_.emplace(id, std::move(slot)).first->second.get();
  } catch (...) {
    return nullptr;  // out of memory for one more connection: refused, the others go on
  }
}

void EventLoop::turn(Slot& slot, uint32_t events, const TurnTime& time) {
  try {
    if ((events & (EPOLLERR | EPOLLHUP)) != 0) {
      // Reset, or both directions closed: nothing can be sent any more.
      close_slot(slot, false, time);
      return;
    }
    bool readable = (events & EPOLLIN) != 0 || events == 0 || ((events & EPOLLOUT) != 0 && slot.stream->read_needs_writable());
    if (readable) read_input(slot, time);
    slot.connection.process(time);
    // Answers are timed to their last byte: the handler's time counts (one clock read per turn).
    TurnTime after{monotonic_now_ns(), time.http_date};
    write_output(slot, after);
    settle(slot, after);
  } catch (...) {
    // The loop's boundary: a connection whose turn threw (out of memory) is dropped, the loop
    // and every other connection go on.
    close_slot(slot, false, time);
  }
}

void EventLoop::read_input(Slot& slot, const TurnTime& time) {
  for (int i = 0; i < kReadsPerTurn && slot.connection.wants_input(); ++i) {
    bool raw = slot.connection.discarding();
    IoResult result = raw ? slot.stream->read_raw(read_buffer_.data(), read_buffer_.size())
                          : slot.stream->read(read_buffer_.data(), read_buffer_.size());
    switch (result.kind) {
      case IoResult::Kind::done:
        slot.connection.on_input(std::string_view(read_buffer_.data(), result.bytes), time);
        if (result.bytes < read_buffer_.size() && (raw || !slot.stream->has_buffered_input())) {
          if (shared_.tls == nullptr) return;  // a short plain read emptied the socket
        }
        break;
      case IoResult::Kind::would_block: return;
      case IoResult::Kind::closed: slot.connection.on_peer_closed(time); return;
      case IoResult::Kind::failed: slot.failed = true; return;
    }
  }
}

void EventLoop::write_output(Slot& slot, const TurnTime& time) {
  size_t sent = 0;
  while (sent < kWriteBytesPerTurn && !slot.failed) {
    std::string_view output = slot.connection.output();
    if (output.empty()) return;
    IoResult result = slot.stream->write(output.data(), output.size());
    if (result.kind == IoResult::Kind::would_block) return;
    if (result.kind != IoResult::Kind::done) {
      slot.failed = true;
      return;
    }
    slot.connection.on_sent(result.bytes, time);
    sent += result.bytes;
  }
}

void EventLoop::settle(Slot& slot, const TurnTime& time) {
  if (slot.failed) {
    close_slot(slot, false, time);
    return;
  }
  if (slot.connection.take_shutdown()) slot.stream->shutdown_write();
  switch (slot.connection.ending()) {
    case Connection::Ending::close: close_slot(slot, false, time); return;
    case Connection::Ending::reset: close_slot(slot, true, time); return;
    case Connection::Ending::open: break;
  }
  uint32_t interest = 0;
  if (slot.connection.wants_input() || slot.stream->write_needs_readable()) interest |= EPOLLIN;
  if (!slot.connection.output().empty() || slot.stream->read_needs_writable()) interest |= EPOLLOUT;
  if (interest != slot.interest) {
    epoll_event event{};
    event.events = interest;
    event.data.u64 = slot.id;
    if (::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, slot.stream->fd(), &event) != 0) {
      close_slot(slot, false, time);
      return;
    }
    slot.interest = interest;
  }
  bool buffered = !slot.connection.discarding() && slot.connection.wants_input() && slot.stream->has_buffered_input();
  if (!slot.ready && (slot.connection.wants_turn() || buffered)) {
    slot.ready = true;
    ready_.push_back(slot.id);
  }
  // Timers move only earlier here; an entry that fires early finds its deadline later and is
  // put back (run_timers), so that most requests cost no timer update.
  int64_t deadline = slot.connection.deadline_ns();
  if (deadline < slot.scheduled_ns) {
    if (slot.scheduled_ns != kNoDeadline) timers_.erase({slot.scheduled_ns, slot.id});
    timers_.emplace(deadline, slot.id);
    slot.scheduled_ns = deadline;
  }
}

void EventLoop::close_slot(Slot& slot, bool reset, const TurnTime& time) {
  slot.connection.abandon(time);
  if (slot.scheduled_ns != kNoDeadline) timers_.erase({slot.scheduled_ns, slot.id});
  // Counted closed before the peer can see the close: a client that saw it may connect again.
  shared_.open_connections.fetch_sub(1);
  slot.stream->close(reset);  // also leaves the epoll set
  slots_.erase(slot.id);      // `slot` is gone
}

void EventLoop::run_ready(const TurnTime& time) {
  std::vector<uint64_t> ready;
  ready.swap(ready_);
  for (uint64_t id : ready) {
    auto found = slots_.find(id);
    if (found == slots_.end()) continue;
    found->second->ready = false;
    turn(*found->second, 0, time);
  }
}

void EventLoop::run_timers(const TurnTime& time) {
  for (size_t fired = 0; fired < kTimersPerTurn && !timers_.empty(); ++fired) {
    auto [deadline, id] = *timers_.begin();
    if (deadline > time.now_ns) return;
    timers_.erase(timers_.begin());
    auto found = slots_.find(id);
    if (found == slots_.end()) continue;
    Slot& slot = *found->second;
    slot.scheduled_ns = kNoDeadline;
    try {
      slot.connection.on_timer(time);
      slot.connection.process(time);
      write_output(slot, time);
      settle(slot, time);
    } catch (...) {
      close_slot(slot, false, time);
    }
  }
}

int EventLoop::wait_timeout_ms(int64_t now_ns) const {
  if (timers_.empty()) return -1;  // stop() wakes the loop through the eventfd
  int64_t wait_ns = timers_.begin()->first - now_ns;
  if (wait_ns <= 0) return 0;
  int64_t wait_ms = (wait_ns + 999'999) / 1'000'000;  // never wake before the deadline
  return wait_ms > INT_MAX ? INT_MAX : static_cast<int>(wait_ms);
}

void EventLoop::close_all() {
  TurnTime time{monotonic_now_ns(), {}};
  while (!slots_.empty()) close_slot(*slots_.begin()->second, false, time);
  timers_.clear();
  ready_.clear();
  std::lock_guard lock(inbox_mutex_);
  for (int fd : inbox_) {
    ::close(fd);
    shared_.open_connections.fetch_sub(1);
  }
  inbox_.clear();
}

}  // namespace dcisim::mockdci
