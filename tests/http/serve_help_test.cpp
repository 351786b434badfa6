// `dcisim serve` for a client developer: --help says how to log in and where the control token
// is, and start-up prints one curl command that logs in (checked by sending what it says).
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <regex>

#include "mockdci_test_support.h"

using namespace dcisim;
using namespace dcisim::testing;

namespace {

std::string dcisim_path() {
  char buffer[4096] = {};
  ssize_t n = readlink("/proc/self/exe", buffer, sizeof buffer - 1);
  REQUIRE(n > 0);
  std::string self(buffer, static_cast<size_t>(n));
  return self.substr(0, self.rfind('/')) + "/dcisim";
}

// `dcisim serve ARGS` with stderr on a pipe (stdout to /dev/null); SIGTERM and reaped at the end.
class Serve {
 public:
  explicit Serve(std::vector<std::string> args) {
    std::string binary = dcisim_path();
    int err[2];
    REQUIRE(pipe(err) == 0);
    pid_ = fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      dup2(err[1], 2);
      close(err[0]), close(err[1]);
      std::vector<char*> argv = {const_cast<char*>(binary.c_str()), const_cast<char*>("serve")};
      for (std::string& arg : args) argv.push_back(arg.data());
      argv.push_back(nullptr);
      execv(binary.c_str(), argv.data());
      _exit(127);
    }
    close(err[1]);
    err_ = err[0];
  }
  ~Serve() {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
    close(err_);
  }
  // The next stderr line; "" when the process ended.
  std::string read_error_line() {
    std::string line;
    char c = 0;
    while (read(err_, &c, 1) == 1 && c != '\n') line += c;
    return line;
  }

 private:
  pid_t pid_ = -1;
  int err_ = -1;
};

std::string run_help() {
  FILE* pipe = popen((dcisim_path() + " serve --help").c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string text;
  char buffer[4096];
  for (size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) text.append(buffer, n);
  CHECK(pclose(pipe) == 0);
  return text;
}

}  // namespace

TEST_CASE("dcisim serve --help says how to log in as the default administrator and where the control token is") {
  std::string help = run_help();
  CHECK_THAT(help, Catch::Contains("POST /api/auth/v4/public/token with {\"email\": \"admin@example.com\", \"password\": \"secret\"}"));
  CHECK_THAT(help, Catch::Contains("x-xsrf-token"));
  CHECK_THAT(help, Catch::Contains("\"dcisim serve: control token: T\""));
  CHECK_THAT(help, Catch::Contains("dcisim serve: try: curl"));
}

TEST_CASE("dcisim serve prints a curl command on stderr that logs in as it says") {
  Serve serve({"--port", "0", "--control-token", "t0ken", "--admin-email", "ops@example.com", "--admin-password", "it's"});
  std::string line = serve.read_error_line();
  INFO(line);
  std::smatch match;
  REQUIRE(std::regex_match(line, match, std::regex(R"(dcisim serve: try: curl -s -X POST 'http://127\.0\.0\.1:(\d+)(/api/auth/v4/public/token)' )"
                                                   R"(-H 'Content-Type: application/json' -d '(.*)')")));
  std::string body = std::regex_replace(match[3].str(), std::regex(R"('\\'')"), "'");  // the shell's quoting undone
  CHECK(Json::parse(body) == Json{{"email", "ops@example.com"}, {"password", "it's"}});
  httplib::Client client("127.0.0.1", std::stoi(match[1]));
  auto login = client.Post(match[2].str(), body, "application/json");
  REQUIRE(login);
  CHECK(login->status == 201);
}
