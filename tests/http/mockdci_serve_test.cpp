// `dcisim serve` as a process: the first stdout line, the control token line, signals, flags.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <regex>

#include "mockdci_test_support.h"
#include "raw_http.h"

using namespace dcisim;
using namespace dcisim::testing;

namespace {

// A child `dcisim serve ...` with its stdout and stderr on pipes; killed if a test leaves it.
class ServeProcess {
 public:
  explicit ServeProcess(const std::vector<std::string>& args) {
    std::string binary = dcisim_binary();
    int out[2], err[2];
    REQUIRE(pipe(out) == 0);
    REQUIRE(pipe(err) == 0);
    pid_ = fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      dup2(out[1], 1);
      dup2(err[1], 2);
      close(out[0]), close(out[1]), close(err[0]), close(err[1]);
      std::vector<char*> argv = {const_cast<char*>(binary.c_str()), const_cast<char*>("serve")};
      for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
      argv.push_back(nullptr);
      execv(binary.c_str(), argv.data());
      _exit(127);
    }
    close(out[1]);
    close(err[1]);
    out_ = out[0];
    err_ = err[0];
  }
  ~ServeProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    close(out_);
    close(err_);
  }

  // The next stdout line without its newline; "" at end of file.
  std::string read_line() { return read_line_from(out_); }
  std::string read_all_stdout() { return read_all(out_); }
  std::string read_all_stderr() { return read_all(err_); }

  // Sends `signal` (0: none) and waits; the exit code, or -1 when killed by a signal.
  int stop(int signal) {
    if (signal != 0) kill(pid_, signal);
    int status = 0;
    REQUIRE(waitpid(pid_, &status, 0) == pid_);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  static std::string read_line_from(int fd) {
    std::string line;
    char c = 0;
    while (read(fd, &c, 1) == 1 && c != '\n') line += c;
    return line;
  }
  static std::string read_all(int fd) {
    std::string text;
    char buffer[4096];
    for (ssize_t n; (n = read(fd, buffer, sizeof buffer)) > 0;) text.append(buffer, static_cast<size_t>(n));
    return text;
  }

  pid_t pid_ = -1;
  int out_ = -1;
  int err_ = -1;
};

int port_of(const std::string& first_line) {
  std::smatch match;
  REQUIRE(std::regex_match(first_line, match, std::regex(R"(dcisim serve: listening on http://127\.0\.0\.1:(\d+))")));
  return std::stoi(match[1]);
}

}  // namespace

TEST_CASE("dcisim serve prints the listening line first, then the generated control token, and serves the API") {
  ServeProcess serve({"--port", "0"});
  int port = port_of(serve.read_line());
  std::string token_line = serve.read_line();
  std::smatch match;
  REQUIRE(std::regex_match(token_line, match, std::regex(R"(dcisim serve: control token: ([0-9a-f]{32}))")));
  std::string control_token = match[1];
  httplib::Client client("127.0.0.1", port);
  auto login = client.Post("/api/auth/v4/public/token", R"({"email":"admin@example.com","password":"secret"})", "application/json");
  REQUIRE(login);
  CHECK(login->status == 201);
  auto state = client.Get("/mockdci/v1/state", {{"Authorization", "Bearer " + control_token}});
  REQUIRE(state);
  CHECK(state->status == 200);
  CHECK(serve.stop(SIGTERM) == 0);
}

TEST_CASE("dcisim serve stops cleanly on SIGINT") {
  ServeProcess serve({"--port", "0", "--control-token", "t0ken"});
  port_of(serve.read_line());
  CHECK(serve.stop(SIGINT) == 0);
  CHECK(serve.read_all_stdout().empty());  // no token line when the token was given
  CHECK_THAT(serve.read_all_stderr(), Catch::Contains("SIGINT, stopping"));
}

TEST_CASE("dcisim serve with a virtual clock moves time only through the control API") {
  ServeProcess serve({"--clock", "virtual", "--control-token", "t0ken", "--generate", "servers=50",
                      "--admin-email", "ops@example.com", "--admin-password", "pw"});
  int port = port_of(serve.read_line());
  httplib::Client client("127.0.0.1", port);
  httplib::Headers control = {{"Authorization", "Bearer t0ken"}};
  auto clock = client.Get("/mockdci/v1/clock", control);
  REQUIRE(clock);
  CHECK(Json::parse(clock->body)["now"] == "2026-01-01T00:00:00Z");
  auto advanced = client.Post("/mockdci/v1/clock/advance", control, R"({"seconds": 86400})", "application/json");
  REQUIRE(advanced);
  CHECK(Json::parse(advanced->body)["now"] == "2026-01-02T00:00:00Z");
  auto login = client.Post("/auth/v4/public/token", R"({"email":"ops@example.com","password":"pw"})", "application/json");
  REQUIRE(login);
  REQUIRE(login->status == 201);
  auto servers = client.Get("/api/dci/v3/server?limit=0,1", {{"x-xsrf-token", Json::parse(login->body)["token"]}});
  REQUIRE(servers);
  CHECK(Json::parse(servers->body)["size"] == 50);
  CHECK(serve.stop(SIGTERM) == 0);
}

TEST_CASE("dcisim serve refuses bad flags with exit code 2 and one readable line") {
  for (std::vector<std::string> args : {std::vector<std::string>{"--bogus"}, {"--port", "70000"}, {"--clock", "sideways"},
                                        {"--tls-cert", "c.pem"}, {"--generate", "racks=3"}, {"--port"},
                                        {"--threads", "17"}, {"--access-log", ""}}) {
    ServeProcess serve(args);
    int code = serve.stop(0);
    std::string err = serve.read_all_stderr();
    INFO(err);
    CHECK(code == 2);
    CHECK(err.rfind("dcisim serve: ", 0) == 0);
    CHECK(std::count(err.begin(), err.end(), '\n') == 1);
    CHECK(serve.read_all_stdout().empty());
  }
}

TEST_CASE("dcisim serve with an invalid inventory exits 1 naming the file and the JSON pointer") {
  std::string path = "mockdci_serve_test_inventory.json";
  Json inventory = default_inventory_json();
  inventory["locations"][0]["racks"][0]["ip_pool"] = "missing";
  std::ofstream(path) << inventory.dump();
  ServeProcess serve({"--inventory", path});
  CHECK(serve.stop(0) == 1);
  CHECK_THAT(serve.read_all_stderr(), Catch::Contains(path + ": /locations/0/racks/0/ip_pool: unknown IP pool"));
  std::remove(path.c_str());
}

TEST_CASE("dcisim serve serves HTTPS with --tls-cert and --tls-key") {
  std::string cert = "mockdci_serve_test_cert.pem";
  std::string key = "mockdci_serve_test_key.pem";
  write_self_signed(cert, key);
  ServeProcess serve({"--tls-cert", cert, "--tls-key", key, "--control-token", "t0ken"});
  std::smatch match;
  std::string first = serve.read_line();
  REQUIRE(std::regex_match(first, match, std::regex(R"(dcisim serve: listening on https://127\.0\.0\.1:(\d+))")));
  httplib::SSLClient client("127.0.0.1", std::stoi(match[1]));
  client.enable_server_certificate_verification(false);
  auto login = client.Post("/api/auth/v4/public/token", R"({"email":"admin@example.com","password":"secret"})", "application/json");
  REQUIRE(login);
  CHECK(login->status == 201);
  CHECK(serve.stop(SIGTERM) == 0);
  std::remove(cert.c_str());
  std::remove(key.c_str());
}

TEST_CASE("dcisim serve on a port in use exits 1 with one readable line, and the first server goes on") {
  ServeProcess first({"--control-token", "t0ken"});
  int port = port_of(first.read_line());
  ServeProcess second({"--port", std::to_string(port), "--control-token", "t0ken"});
  CHECK(second.stop(0) == 1);
  std::string err = second.read_all_stderr();
  INFO(err);
  CHECK(err.rfind("dcisim serve: cannot listen on 127.0.0.1:" + std::to_string(port) + ": ", 0) == 0);
  CHECK_THAT(err, Catch::Contains("in use"));
  CHECK(std::count(err.begin(), err.end(), '\n') == 1);
  CHECK(second.read_all_stdout().empty());
  httplib::Client client("127.0.0.1", port);
  auto login = client.Post("/api/auth/v4/public/token", R"({"email":"admin@example.com","password":"secret"})", "application/json");
  REQUIRE(login);
  CHECK(login->status == 201);
  CHECK(first.stop(SIGTERM) == 0);
}

TEST_CASE("dcisim serve --access-log writes one line per request: time, method, printable path, status, duration") {
  std::string path = "mockdci_serve_test_access.log";
  std::remove(path.c_str());
  ServeProcess serve({"--control-token", "t0ken", "--access-log", path});
  int port = port_of(serve.read_line());
  using namespace std::chrono_literals;
  for (std::string request : {std::string("POST /api/auth/v4/public/token HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Length: 49\r\n\r\n"
                                          R"({"email":"admin@example.com","password":"secret"})"),
                              std::string("GET /api/dci/v3/server/1?where=id%20EQ%201 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"),
                              std::string("GET /%ff%0a%20x HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"),
                              std::string("POST /api/auth/v4/public/token HTTP/1.1\r\nHost: t\r\nContent-Length: 100000000\r\n\r\n")}) {
    RawConnection connection(port);
    REQUIRE(connection.send(request));
    REQUIRE(connection.read_response(deadline_in(5s)));
    // Every request closes its connection: its line is logged before the close, so in order.
    REQUIRE(connection.wait_end(deadline_in(5s)) == SocketEnd::closed);
  }
  CHECK(serve.stop(SIGTERM) == 0);  // the log is written out before the process ends
  std::ifstream file(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(file, line);) lines.push_back(line);
  REQUIRE(lines.size() == 4);
  std::regex shape(R"((\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) (\S+) (\S+) (\d{3}) (\d+\.\d{3})ms( by-server)?)");
  std::vector<std::smatch> fields(4);
  for (size_t i = 0; i < lines.size(); ++i) {
    INFO(lines[i]);
    REQUIRE(std::regex_match(lines[i], fields[i], shape));
  }
  CHECK(fields[0][2] == "POST");
  CHECK(fields[0][3] == "/api/auth/v4/public/token");
  CHECK(fields[0][4] == "201");
  CHECK(fields[1][3] == "/api/dci/v3/server/1?where=id%20EQ%201");
  CHECK(fields[1][4] == "401");
  CHECK(fields[2][3] == "/\xEF\xBF\xBD%0A%20x");  // not UTF-8 -> U+FFFD; control bytes and spaces escaped
  CHECK(fields[2][4] == "404");
  CHECK(fields[3][4] == "413");
  CHECK(fields[3][6] == " by-server");
  std::remove(path.c_str());
}
