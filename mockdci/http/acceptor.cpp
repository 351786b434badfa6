#include "mockdci/http/acceptor.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "mockdci/http/event_loop.h"
#include "mockdci/http/socket.h"

namespace dcisim::mockdci {

Acceptor::Acceptor(int listen_fd, std::vector<EventLoop*> loops, LoopShared& shared, size_t max_connections)
    : listen_fd_(listen_fd), loops_(std::move(loops)), shared_(shared), max_connections_(max_connections) {
  spare_fd_ = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
}

Acceptor::~Acceptor() {
  if (spare_fd_ >= 0) ::close(spare_fd_);
}

void Acceptor::accept_some(size_t max_accepts) {
  for (size_t i = 0; i < max_accepts; ++i) {
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED || errno == EPROTO) continue;
      if (errno == EMFILE || errno == ENFILE) shed_one();
      return;  // EAGAIN: nobody waits; anything else: try again on the next readiness
    }
    if (shared_.open_connections.load(std::memory_order_relaxed) >= max_connections_) {
      ::close(fd);
      continue;
    }
    shared_.open_connections.fetch_add(1, std::memory_order_relaxed);
    set_tcp_no_delay(fd);
    try {
      loops_[next_loop_]->adopt(fd);
    } catch (...) {
      // Out of memory for the loop's inbox: refuse this connection, not the server.
      shared_.open_connections.fetch_sub(1, std::memory_order_relaxed);
      ::close(fd);
    }
    next_loop_ = (next_loop_ + 1) % loops_.size();
  }
}

void Acceptor::shed_one() {
  if (spare_fd_ < 0) return;
  ::close(spare_fd_);
  int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
  if (fd >= 0) ::close(fd);
  spare_fd_ = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
}

}  // namespace dcisim::mockdci
