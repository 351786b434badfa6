#include "mockdci/http/stream.h"

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

namespace dcisim::mockdci {

namespace {

IoResult from_errno() {
  if (errno == EAGAIN || errno == EWOULDBLOCK) return {IoResult::Kind::would_block, 0};
  return {IoResult::Kind::failed, 0};
}

}  // namespace

Stream::~Stream() { Stream::close(false); }

IoResult Stream::read_raw(char* buffer, size_t size) {
  while (true) {
    ssize_t n = ::recv(fd_, buffer, size, 0);
    if (n > 0) return {IoResult::Kind::done, static_cast<size_t>(n)};
    if (n == 0) return {IoResult::Kind::closed, 0};
    if (errno != EINTR) return from_errno();
  }
}

IoResult Stream::read(char* buffer, size_t size) { return read_raw(buffer, size); }

IoResult Stream::write(const char* data, size_t size) {
  while (true) {
    ssize_t n = ::send(fd_, data, size, MSG_NOSIGNAL);
    if (n >= 0) return {IoResult::Kind::done, static_cast<size_t>(n)};
    if (errno != EINTR) return from_errno();
  }
}

void Stream::shutdown_write() { ::shutdown(fd_, SHUT_WR); }

void Stream::close(bool reset) {
  if (fd_ < 0) return;
  if (reset) {
    linger no_linger{1, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &no_linger, sizeof no_linger);
  }
  ::close(fd_);
  fd_ = -1;
}

}  // namespace dcisim::mockdci
