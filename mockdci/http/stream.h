// A connected, non-blocking socket as the event loop reads and writes it: plain TCP here, TLS in
// tls.h. A Stream owns its file descriptor and closes it when destroyed (or by close()).
#pragma once

#include <cstddef>

namespace dcisim::mockdci {

struct IoResult {
  enum class Kind {
    done,         // `bytes` moved (read: at least one)
    would_block,  // try again when epoll says so (see read_needs_writable, write_needs_readable)
    closed,       // the peer closed (read: end of stream)
    failed,       // reset, TLS error...: the connection is unusable
  };
  Kind kind = Kind::failed;
  size_t bytes = 0;
};

class Stream {
 public:
  explicit Stream(int fd) : fd_(fd) {}
  virtual ~Stream();
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;

  virtual IoResult read(char* buffer, size_t size);
  virtual IoResult write(const char* data, size_t size);
  // Sends what ends the stream in our direction (TLS: close_notify first), keeps reading open.
  virtual void shutdown_write();
  // TLS may hold decrypted bytes that epoll cannot see, or need the other readiness to progress.
  virtual bool has_buffered_input() const { return false; }
  virtual bool read_needs_writable() const { return false; }
  virtual bool write_needs_readable() const { return false; }

  // Reads the socket itself, under TLS too: for bytes that will be dropped unread.
  IoResult read_raw(char* buffer, size_t size);
  // Closes the socket; `reset`: with SO_LINGER 0, so that the peer gets a TCP RST.
  virtual void close(bool reset);
  int fd() const { return fd_; }

 protected:
  int fd_;
};

}  // namespace dcisim::mockdci
