// Other processes for the tests that need them: the `dcisim` binary built beside the test
// binaries, a child process whose output is read line by line with a deadline (no sleeps: poll()
// on the pipe), and a self-signed certificate for HTTPS on 127.0.0.1.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace dcisim::testing {

// build/bin/dcisim, beside the running test binary (REQUIREd to exist).
std::string dcisim_binary();

class ChildProcess {
 public:
  // Runs argv (argv[0] is the program's path) with `env` added to the environment. Its stdout and
  // stderr go to one pipe, read with line() and rest().
  explicit ChildProcess(const std::vector<std::string>& argv,
                        const std::vector<std::pair<std::string, std::string>>& env = {});
  ~ChildProcess();  // a child still running is killed (SIGKILL) and reaped
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // The next line without its newline; nullopt at the end of output or after `timeout_ms`.
  std::optional<std::string> line(int timeout_ms = 60'000);
  // Every line until the end of output (or `timeout_ms` without output), joined with "\n".
  std::string rest(int timeout_ms = 120'000);
  // Everything read so far (every line returned, in order).
  const std::string& transcript() const { return transcript_; }
  void signal(int signal_number);
  // Waits for the exit: its code, or -1 when a signal ended it.
  int wait_exit();
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int out_ = -1;
  std::string buffer_;
  std::string transcript_;
};

// Runs `dcisim ARGS...` to its end; returns the exit code and puts its output in *output.
int run_dcisim(const std::vector<std::string>& args, std::string* output,
               const std::vector<std::pair<std::string, std::string>>& env = {});

// Writes a fresh self-signed certificate and key for 127.0.0.1 (PEM files).
void write_self_signed(const std::string& cert_path, const std::string& key_path);

}  // namespace dcisim::testing
