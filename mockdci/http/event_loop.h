// One event-loop thread of the emulator's socket server: an epoll instance (level-triggered) over
// non-blocking sockets, each with its Connection state machine. An idle or slow connection costs
// a few hundred bytes and no thread. Each turn serves a connection a bounded amount (a few reads,
// at most `max_requests_per_turn` requests, at most kWriteBytesPerTurn bytes), and connections
// with more buffered work wait on a ready list behind the others, so that service is round-robin.
//
// Time: deadlines (timeouts, Delivery delays) are on the monotonic clock (steady_clock), owned by
// the loop: the socket layer is real I/O, unlike the emulator's model, which runs on its
// common::Clock. The Date header comes from a common::RealClock.
//
// New connections arrive through adopt() from the acceptor (any thread: a locked inbox and an
// eventfd wake-up). Loop 0 also owns the listening socket and calls the Acceptor when it is
// readable. stop is a flag plus a wake-up; run() then closes every connection and returns.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "mockdci/http/connection.h"
#include "mockdci/http/stream.h"

namespace dcisim::mockdci {

class TlsContext;
class Acceptor;

// What every loop of one server shares; outlives the loops.
struct LoopShared {
  ConnectionConfig connection;
  ConnectionServices services;
  const TlsContext* tls = nullptr;  // non-null: HTTPS
  std::atomic<bool> stopping{false};
  std::atomic<size_t> open_connections{0};
};

class EventLoop {
 public:
  explicit EventLoop(LoopShared& shared) : shared_(shared) {}
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  common::Status open();  // the epoll instance and the wake-up eventfd
  // This loop also accepts: `acceptor` is called when `listen_fd` is readable.
  common::Status watch_listener(int listen_fd, Acceptor* acceptor);
  void run();             // on the loop's own thread, until shared.stopping
  void adopt(int fd);     // any thread: serve this accepted socket (owned from now on)
  void wake();            // any thread

 private:
  struct Slot {
    Slot(uint64_t id_in, std::unique_ptr<Stream> stream_in, const LoopShared& shared, int64_t now_ns)
        : id(id_in), stream(std::move(stream_in)), connection(shared.connection, shared.services, now_ns) {}
    uint64_t id;
    std::unique_ptr<Stream> stream;
    Connection connection;
    uint32_t interest = 0;            // epoll events asked for
    int64_t scheduled_ns = kNoDeadline;  // its entry in timers_
    bool ready = false;               // on ready_
    bool failed = false;              // an I/O error: close
  };

  TurnTime turn_time();
  void adopt_inbox(const TurnTime& time);
  // The new connection's slot, or nullptr when it cannot be made (the socket is then closed).
  Slot* add_connection(int fd, const TurnTime& time) noexcept;
  void turn(Slot& slot, uint32_t events, const TurnTime& time);
  void read_input(Slot& slot, const TurnTime& time);
  void write_output(Slot& slot, const TurnTime& time);
  void settle(Slot& slot, const TurnTime& time);
  void close_slot(Slot& slot, bool reset, const TurnTime& time);
  void run_ready(const TurnTime& time);
  void run_timers(const TurnTime& time);
  int wait_timeout_ms(int64_t now_ns) const;
  void close_all();

  LoopShared& shared_;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;
  Acceptor* acceptor_ = nullptr;

  std::mutex inbox_mutex_;
  std::vector<int> inbox_;  // guarded by inbox_mutex_

  std::unordered_map<uint64_t, std::unique_ptr<Slot>> slots_;
  uint64_t next_id_ = 16;  // below: the listener and the wake-up fd
  std::vector<uint64_t> ready_;
  std::set<std::pair<int64_t, uint64_t>> timers_;  // (deadline, slot id), at most one per slot
  std::vector<char> read_buffer_;

  common::RealClock wall_clock_;  // the Date header only
  int64_t date_second_ = -1;
  std::string date_text_;
};

}  // namespace dcisim::mockdci
