// Takes new connections off the listening socket and deals them to the event loops in turn
// (round-robin), on the thread of the loop that watches the listener. Beyond `max_connections`
// open connections a new one is accepted and closed at once, so that the backlog never fills and
// the connections already open are not slowed. When the process runs out of file descriptors,
// a spare descriptor is given up to accept and close the waiting connection (else the listener
// would stay readable and the loop would spin).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace dcisim::mockdci {

class EventLoop;
struct LoopShared;

class Acceptor {
 public:
  Acceptor(int listen_fd, std::vector<EventLoop*> loops, LoopShared& shared, size_t max_connections);
  ~Acceptor();
  Acceptor(const Acceptor&) = delete;
  Acceptor& operator=(const Acceptor&) = delete;

  // Accepts at most `max_accepts` connections, then returns (the loop serves the others).
  void accept_some(size_t max_accepts);

 private:
  void shed_one();

  int listen_fd_;
  std::vector<EventLoop*> loops_;
  LoopShared& shared_;
  size_t max_connections_;
  size_t next_loop_ = 0;
  int spare_fd_ = -1;
};

}  // namespace dcisim::mockdci
