// dcisim_bench_connections: what wrk does not measure, for scripts/bench-emulator.
//
//   dcisim_bench_connections idle-login PORT IDLE LOGINS
//     opens IDLE connections that send nothing, then logs in LOGINS times, one at a time, each on
//     a new connection (POST /api/auth/v4/public/token as admin@example.com / secret); prints
//     "logins=N failed=F median_ms=M slowest_ms=S".
//   dcisim_bench_connections busy PORT CONNECTIONS SECONDS TOKEN
//     keeps CONNECTIONS keep-alive connections busy for SECONDS, each sending
//     GET /api/dci/v3/server/1 (x-xsrf-token: TOKEN) again as soon as its answer is in; prints
//     "connections=C without_answer=N answers=A requests_per_s=R slowest_gap_ms=G", where
//     `without_answer` counts the connections that got no answer at all in the run, and
//     `slowest_gap_ms` is the longest any connection waited for an answer.
//
// A benchmark reads the machine's clock (steady_clock) by design; nothing here is a test.
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace dcisim::bench {

namespace {

using Clock = std::chrono::steady_clock;

double ms_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

void raise_open_file_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

int connect_to(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return -1;
  }
  int on = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  return fd;
}

// Appends what `fd` has to `buffer`; false at end of stream or error.
bool read_some(int fd, std::string& buffer) {
  char chunk[16384];
  ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
  if (n > 0) {
    buffer.append(chunk, static_cast<size_t>(n));
    return true;
  }
  return n < 0 && (errno == EAGAIN || errno == EINTR);
}

// The length of the first whole response in `buffer` (framed by Content-Length), 0 if not yet.
size_t whole_response(const std::string& buffer, int* status) {
  size_t head_end = buffer.find("\r\n\r\n");
  if (head_end == std::string::npos) return 0;
  size_t length = 0;
  size_t at = buffer.find("Content-Length: ");
  if (at != std::string::npos && at < head_end) length = std::strtoul(buffer.c_str() + at + 16, nullptr, 10);
  if (buffer.size() < head_end + 4 + length) return 0;
  if (status != nullptr) *status = std::atoi(buffer.c_str() + 9);
  return head_end + 4 + length;
}

int idle_login(int port, int idle_count, int logins) {
  std::vector<int> idle;
  for (int i = 0; i < idle_count; ++i) {
    int fd = connect_to(port);
    if (fd < 0) {
      std::fprintf(stderr, "idle-login: connection %d failed: %s\n", i, std::strerror(errno));
      return 1;
    }
    idle.push_back(fd);
  }
  std::string body = R"({"email":"admin@example.com","password":"secret"})";
  std::string request = "POST /api/auth/v4/public/token HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n"
                        "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  std::vector<double> times_ms;
  int failed = 0;
  for (int i = 0; i < logins; ++i) {
    Clock::time_point start = Clock::now();
    int fd = connect_to(port);
    timeval limit{30, 0};
    if (fd >= 0) ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    std::string buffer;
    int status = 0;
    bool ok = fd >= 0 && ::send(fd, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size());
    while (ok && whole_response(buffer, &status) == 0) {
      char chunk[16384];
      ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);  // blocking, at most 30 s (SO_RCVTIMEO)
      ok = n > 0;
      if (ok) buffer.append(chunk, static_cast<size_t>(n));
    }
    times_ms.push_back(ms_between(start, Clock::now()));
    failed += ok && status == 201 ? 0 : 1;
    if (fd >= 0) ::close(fd);
  }
  for (int fd : idle) ::close(fd);
  std::sort(times_ms.begin(), times_ms.end());
  std::printf("logins=%d failed=%d median_ms=%.2f slowest_ms=%.2f\n", logins, failed, times_ms[times_ms.size() / 2],
              times_ms.back());
  return 0;
}

struct BusyConnection {
  int fd = -1;
  std::string buffer;
  long answers = 0;
  Clock::time_point sent_at;
  double slowest_gap_ms = 0;
};

int busy(int port, int count, int seconds, const std::string& token) {
  std::string request = "GET /api/dci/v3/server/1 HTTP/1.1\r\nHost: bench\r\nx-xsrf-token: " + token + "\r\n\r\n";
  int epoll_fd = ::epoll_create1(EPOLL_CLOEXEC);
  std::vector<BusyConnection> connections(static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) {
    BusyConnection& c = connections[static_cast<size_t>(i)];
    c.fd = connect_to(port);
    if (c.fd < 0) {
      std::fprintf(stderr, "busy: connection %d failed: %s\n", i, std::strerror(errno));
      return 1;
    }
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u32 = static_cast<uint32_t>(i);
    ::epoll_ctl(epoll_fd, EPOLL_CTL_ADD, c.fd, &event);
  }
  Clock::time_point start = Clock::now();
  for (BusyConnection& c : connections) {
    c.sent_at = Clock::now();
    ::send(c.fd, request.data(), request.size(), MSG_NOSIGNAL);
  }
  Clock::time_point end = start + std::chrono::seconds(seconds);
  std::vector<epoll_event> events(256);
  long answers = 0;
  while (Clock::now() < end) {
    int wait_ms = static_cast<int>(std::max<double>(1, ms_between(Clock::now(), end)));
    int n = ::epoll_wait(epoll_fd, events.data(), static_cast<int>(events.size()), wait_ms);
    for (int i = 0; i < n; ++i) {
      BusyConnection& c = connections[events[static_cast<size_t>(i)].data.u32];
      if (!read_some(c.fd, c.buffer)) {
        ::epoll_ctl(epoll_fd, EPOLL_CTL_DEL, c.fd, nullptr);
        continue;
      }
      while (size_t length = whole_response(c.buffer, nullptr)) {
        c.buffer.erase(0, length);
        ++c.answers;
        ++answers;
        Clock::time_point now = Clock::now();
        c.slowest_gap_ms = std::max(c.slowest_gap_ms, ms_between(c.sent_at, now));
        c.sent_at = now;
        ::send(c.fd, request.data(), request.size(), MSG_NOSIGNAL);
      }
    }
  }
  double elapsed_s = ms_between(start, Clock::now()) / 1000;
  int without_answer = 0;
  double slowest_gap_ms = 0;
  for (BusyConnection& c : connections) {
    without_answer += c.answers == 0 ? 1 : 0;
    // A connection still waiting at the end waited at least this long.
    slowest_gap_ms = std::max({slowest_gap_ms, c.slowest_gap_ms, c.answers == 0 ? ms_between(c.sent_at, Clock::now()) : 0.0});
    ::close(c.fd);
  }
  ::close(epoll_fd);
  std::printf("connections=%d without_answer=%d answers=%ld requests_per_s=%.0f slowest_gap_ms=%.1f\n", count, without_answer,
              answers, answers / elapsed_s, slowest_gap_ms);
  return 0;
}

int usage() {
  std::fprintf(stderr, "usage: dcisim_bench_connections idle-login PORT IDLE LOGINS\n"
                       "       dcisim_bench_connections busy PORT CONNECTIONS SECONDS TOKEN\n");
  return 2;
}

}  // namespace

}  // namespace dcisim::bench

int main(int argc, char** argv) {
  using namespace dcisim::bench;
  raise_open_file_limit();
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 4 && args[0] == "idle-login") return idle_login(std::atoi(args[1].c_str()), std::atoi(args[2].c_str()), std::atoi(args[3].c_str()));
  if (args.size() == 5 && args[0] == "busy") return busy(std::atoi(args[1].c_str()), std::atoi(args[2].c_str()), std::atoi(args[3].c_str()), args[4]);
  return usage();
}
