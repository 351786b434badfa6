// A raw-socket HTTP client for the socket server's tests: sends exactly the bytes a test wants
// (malformed, trickled, pipelined) and reads answers strictly, every wait bounded by a deadline
// on the socket (poll), never a sleep.
#pragma once

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

namespace dcisim::testing {

using SteadyTime = std::chrono::steady_clock::time_point;

inline SteadyTime deadline_in(std::chrono::milliseconds ms) { return std::chrono::steady_clock::now() + ms; }

inline int ms_until(SteadyTime deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
  return left < 0 ? 0 : static_cast<int>(left);
}

struct RawResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  nlohmann::json json;  // null when the body is not JSON
  bool complete = true;  // false: the connection ended before Content-Length bytes of body

  const std::string* header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
      if (key.size() == name.size() && std::equal(key.begin(), key.end(), name.begin(), [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
          })) {
        return &value;
      }
    }
    return nullptr;
  }
};

// How a read ended when it did not give bytes.
enum class SocketEnd { open, closed, reset, timeout };

class RawConnection {
 public:
  explicit RawConnection(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    REQUIRE(fd_ >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    int on = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  }
  ~RawConnection() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawConnection(RawConnection&& other) noexcept : fd_(std::exchange(other.fd_, -1)), buffer_(std::move(other.buffer_)) {}
  RawConnection(const RawConnection&) = delete;

  // False when the server already closed or reset the connection.
  bool send(std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  void shutdown_write() { ::shutdown(fd_, SHUT_WR); }
  void close() {
    ::close(fd_);
    fd_ = -1;
  }

  // Reads more bytes into the buffer until `deadline`; how it ended when no byte came.
  SocketEnd fill(SteadyTime deadline) {
    pollfd p{fd_, POLLIN, 0};
    int ready = ::poll(&p, 1, ms_until(deadline));
    if (ready <= 0) return SocketEnd::timeout;
    char chunk[16384];
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n > 0) {
      buffer_.append(chunk, static_cast<size_t>(n));
      return SocketEnd::open;
    }
    if (n == 0) return SocketEnd::closed;
    return errno == ECONNRESET ? SocketEnd::reset : SocketEnd::closed;
  }

  // One whole response (interim 1xx included), strictly framed by Content-Length; nullopt when
  // the connection ended or the deadline passed first (`end` says which).
  std::optional<RawResponse> read_response(SteadyTime deadline, SocketEnd* end = nullptr, bool head_request = false) {
    SocketEnd how = SocketEnd::open;
    size_t head_end = std::string::npos;
    while ((head_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if ((how = fill(deadline)) != SocketEnd::open) break;
    }
    if (head_end == std::string::npos) {
      if (end != nullptr) *end = how;
      return std::nullopt;
    }
    RawResponse response;
    std::string head = buffer_.substr(0, head_end);
    size_t line_end = head.find("\r\n");
    std::string status_line = head.substr(0, line_end);
    INFO("status line: " << status_line);
    REQUIRE(status_line.rfind("HTTP/1.1 ", 0) == 0);
    REQUIRE(status_line.size() > 12);
    REQUIRE(status_line[12] == ' ');
    response.status = std::stoi(status_line.substr(9, 3));
    size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
    while (pos < head.size()) {
      size_t next = head.find("\r\n", pos);
      if (next == std::string::npos) next = head.size();
      std::string line = head.substr(pos, next - pos);
      size_t colon = line.find(':');
      REQUIRE(colon != std::string::npos);
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      response.headers.emplace_back(line.substr(0, colon), value);
      pos = next + 2;
    }
    buffer_.erase(0, head_end + 4);
    size_t length = 0;
    if (const std::string* declared = response.header("Content-Length")) length = std::stoul(*declared);
    bool bodyless = head_request || response.status < 200 || response.status == 204 || response.status == 304;
    if (!bodyless) {
      REQUIRE(response.header("Content-Length") != nullptr);  // the server always frames by length
      while (buffer_.size() < length) {
        if ((how = fill(deadline)) != SocketEnd::open) {
          if (end != nullptr) *end = how;
          response.body = buffer_;  // what came before the end: a truncated body
          buffer_.clear();
          response.complete = false;
          return response;
        }
      }
      response.body = buffer_.substr(0, length);
      buffer_.erase(0, length);
    }
    response.json = nlohmann::json::parse(response.body, nullptr, false);
    if (response.json.is_discarded()) response.json = nullptr;
    return response;
  }

  // Waits for the server to end the connection; any bytes that come first are kept.
  SocketEnd wait_end(SteadyTime deadline) {
    while (true) {
      SocketEnd how = fill(deadline);
      if (how != SocketEnd::open) return how;
    }
  }

  const std::string& unread() const { return buffer_; }
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
  std::string buffer_;
};

// DCImanager's error JSON: {"error": {"code": int, "msg": string, "value": ...}}.
inline bool is_error_json(const RawResponse& response) {
  const nlohmann::json& json = response.json;
  return json.is_object() && json.contains("error") && json["error"].is_object() &&
         json["error"].contains("code") && json["error"]["code"].is_number_integer() &&
         json["error"].contains("msg") && json["error"]["msg"].is_string() && json["error"].contains("value");
}

}  // namespace dcisim::testing
