#include "mockdci/http/socket.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

namespace dcisim::mockdci {

std::string errno_text(int error) {
  char buffer[256];
  // GNU strerror_r: returns the text, in `buffer` or a static string.
  return strerror_r(error, buffer, sizeof buffer);
}

namespace {

// One attempt on one resolved address; the fd, or -1 with errno set.
int bind_and_listen(const addrinfo& address, int backlog) {
  int fd = ::socket(address.ai_family, address.ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, address.ai_protocol);
  if (fd < 0) return -1;
  int on = 1;
  if (::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) != 0 ||
      ::bind(fd, address.ai_addr, address.ai_addrlen) != 0 || ::listen(fd, backlog) != 0) {
    int saved = errno;
    ::close(fd);
    errno = saved;
    return -1;
  }
  return fd;
}

}  // namespace

common::Result<int> listen_on(const std::string& host, int port, int backlog) {
  std::string where = (host.empty() ? std::string("*") : host) + ":" + std::to_string(port);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  std::string port_text = std::to_string(port);
  const char* node = host.empty() ? nullptr : host.c_str();
  if (int rc = ::getaddrinfo(node, port_text.c_str(), &hints, &found); rc != 0) {
    return common::Error::io("cannot listen on " + where + ": " + gai_strerror(rc));
  }
  int last_error = 0;
  int fd = -1;
  for (addrinfo* address = found; address != nullptr && fd < 0; address = address->ai_next) {
    fd = bind_and_listen(*address, backlog);
    if (fd < 0) last_error = errno;
  }
  ::freeaddrinfo(found);
  if (fd < 0) {
    std::string hint = last_error == EADDRINUSE      ? " (another process listens on this port)"
                       : last_error == EADDRNOTAVAIL ? " (not an address of this machine)"
                       : last_error == EACCES        ? " (a port below 1024 needs privileges)"
                                                     : "";
    return common::Error::io("cannot listen on " + where + ": " + errno_text(last_error) + hint);
  }
  return fd;
}

int bound_port(int fd) {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) return 0;
  if (address.ss_family == AF_INET) return ntohs(reinterpret_cast<sockaddr_in*>(&address)->sin_port);
  if (address.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6*>(&address)->sin6_port);
  return 0;
}

void set_tcp_no_delay(int fd) {
  int on = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
}

}  // namespace dcisim::mockdci
