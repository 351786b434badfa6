// The listening socket of the emulator's server and the options of accepted sockets.
#pragma once

#include <string>

#include "common/result.h"

namespace dcisim::mockdci {

// A non-blocking TCP socket listening on host:port (0: a free port; host "" or "0.0.0.0": every
// IPv4 address, a name is resolved). SO_REUSEADDR only, never SO_REUSEPORT: a port another
// socket listens on is an error, "cannot listen on 127.0.0.1:8080: address already in use".
common::Result<int> listen_on(const std::string& host, int port, int backlog);

// The port a socket is bound to; 0 when it cannot be read.
int bound_port(int fd);

// Small answers must not wait for Nagle's algorithm.
void set_tcp_no_delay(int fd);

// strerror() for `error`, thread-safe.
std::string errno_text(int error);

}  // namespace dcisim::mockdci
