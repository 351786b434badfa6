// Crash safety: a billing core in its own process (tests/crash_driver) works against
// `dcisim serve --clock virtual` over HTTP and is killed with SIGKILL at unpredictable moments,
// many times. After every kill the database is opened again here and checked: SQLite's
// integrity_check, every acknowledged payment still there and paid (once), and the full audit
// against the database and DCImanager's side as the module reads it (no double charge, no server
// held twice or leaked, every operation accounted for). Then the driver starts again from the
// same file, as after a real crash. Seeds are printed; the kill points come from the seed (the
// number of output lines read before the kill) and from scheduling.
#include <catch2/catch.hpp>
#include <httplib.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "billing/audit.h"
#include "billing/billing.h"
#include "billing/dci6/module.h"
#include "common/clock.h"
#include "common/json_input.h"
#include "common/rng.h"
#include "tests/support/billing_harness.h"

using namespace dcisim;
namespace fs = std::filesystem;

namespace {

std::string bin_dir() {
  char buffer[4096];
  ssize_t n = readlink("/proc/self/exe", buffer, sizeof buffer - 1);
  REQUIRE(n > 0);
  return fs::path(std::string(buffer, static_cast<size_t>(n))).parent_path().string();
}

// A child process with its stdout on a pipe, read line by line with a deadline.
class Child {
 public:
  explicit Child(const std::vector<std::string>& argv) {
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    pid_ = fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      dup2(fds[1], STDOUT_FILENO);
      close(fds[0]);
      close(fds[1]);
      std::vector<char*> args;
      for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      execv(args[0], args.data());
      _exit(127);
    }
    close(fds[1]);
    out_ = fds[0];
  }
  ~Child() {
    kill_now();
    if (out_ >= 0) close(out_);
  }

  // The next line, or "" at the end of output or after `timeout_ms` without one.
  std::string line(int timeout_ms = 20'000) {
    for (;;) {
      size_t newline = buffer_.find('\n');
      if (newline != std::string::npos) {
        std::string text = buffer_.substr(0, newline);
        buffer_.erase(0, newline + 1);
        return text;
      }
      pollfd p{out_, POLLIN, 0};
      if (poll(&p, 1, timeout_ms) <= 0) return "";
      char chunk[4096];
      ssize_t n = read(out_, chunk, sizeof chunk);
      if (n <= 0) return "";
      buffer_.append(chunk, static_cast<size_t>(n));
    }
  }
  void kill_now() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  int wait_exit() {
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int out_ = -1;
  std::string buffer_;
};

struct Acked {
  std::string external_id;
  int64_t amount = 0;
};

// Opens the database as a restarted billing core would, and checks everything.
void check_after_crash(const std::string& db, const std::string& url, common::Instant now,
                       const std::vector<Acked>& acked, const std::string& when) {
  INFO(when);
  common::VirtualClock clock(now);
  billing::dci6::Dci6Settings settings;
  settings.base_url = url;
  settings.admin_email = "admin@example.com";
  settings.admin_password = "secret";
  auto module = billing::dci6::Dci6Module::connect(settings, clock);
  REQUIRE(module.ok());
  auto opened = billing::Billing::open({db, &clock, module->get(), 1, testing::test_settings()});
  REQUIRE(opened.ok());
  billing::Billing& b = **opened;
  {
    billing::store::Statement st = b.database().prepare("PRAGMA integrity_check");
    REQUIRE(st.next());
    CHECK(st.text(0) == "ok");
  }
  for (const Acked& a : acked) {
    INFO("acknowledged payment " << a.external_id);
    auto payment = b.confirm_payment(a.external_id);  // a replayed callback: finds it, changes nothing
    REQUIRE(payment.ok());
    CHECK(payment->amount.sub_units() == a.amount);
    CHECK(payment->status == billing::PaymentStatus::paid);
    billing::store::Statement count = b.database().prepare("SELECT COUNT(*) FROM payments WHERE external_id = ?1");
    count.bind(1, a.external_id);
    REQUIRE(count.next());
    CHECK(count.integer(0) == 1);
  }
  auto remote = (*module)->remote_view();
  REQUIRE(remote.ok());
  billing::AuditOptions options;
  options.remote = &*remote;
  std::vector<billing::Violation> violations = billing::audit(b, options);
  INFO(billing::describe(violations));
  CHECK(violations.empty());
  if (when == "at the end") {
    billing::store::Statement st = b.database().prepare(
        "SELECT (SELECT COUNT(*) FROM clients), (SELECT COUNT(*) FROM payments), (SELECT COUNT(*) FROM expenses), "
        "(SELECT COUNT(*) FROM services), (SELECT COUNT(*) FROM services WHERE status = 'active'), "
        "(SELECT COUNT(*) FROM operations), (SELECT COUNT(*) FROM tasks)");
    REQUIRE(st.next());
    std::printf("crash test: %lld clients, %lld payments (%zu acknowledged), %lld expenses, %lld services (%lld active), "
                "%lld operations, %lld tasks\n",
                static_cast<long long>(st.integer(0)), static_cast<long long>(st.integer(1)), acked.size(),
                static_cast<long long>(st.integer(2)), static_cast<long long>(st.integer(3)),
                static_cast<long long>(st.integer(4)), static_cast<long long>(st.integer(5)),
                static_cast<long long>(st.integer(6)));
    CHECK(st.integer(4) > 0);  // the workload got services running, between the kills
  }
}

// The emulator's virtual now, from its control API.
common::Instant emulator_now(const std::string& url, const std::string& token) {
  httplib::Client http(url);
  auto answer = http.Get("/mockdci/v1/clock", {{"Authorization", "Bearer " + token}});
  REQUIRE(answer);
  REQUIRE(answer->status == 200);
  return common::parse_instant(nlohmann::json::parse(answer->body).at("now").get<std::string>()).value();
}

}  // namespace

TEST_CASE("a billing core killed with SIGKILL at random moments loses no acknowledged payment, charges "
          "nothing twice and leaks no server",
          "[crash]") {
  // DCISIM_CRASH_SEED and DCISIM_CRASH_ROUNDS explore further than the default run.
  const char* seed_text = std::getenv("DCISIM_CRASH_SEED");
  const char* rounds_text = std::getenv("DCISIM_CRASH_ROUNDS");
  const uint64_t seed = seed_text ? std::stoull(seed_text) : 20261129;
  const int rounds = rounds_text ? std::stoi(rounds_text) : 16;
  std::printf("crash test: seed %llu, %d kills (replay: DCISIM_CRASH_SEED=%llu DCISIM_CRASH_ROUNDS=%d)\n",
              static_cast<unsigned long long>(seed), rounds, static_cast<unsigned long long>(seed), rounds);
  common::Rng rng(seed);
  testing::TempDir dir;
  std::string db = dir.path() + "/billing.db";
  const std::string token = "crash-control";
  // The shipped inventory's shape with more servers of the ordered configuration (12 in rack A1,
  // addresses from the location's /25), so that most orders find one.
  std::string inventory = dir.path() + "/inventory.json";
  std::ofstream(inventory) << R"({
    "admin": {"email": "admin@example.com", "password": "secret"},
    "os_templates": [{"name": "Debian 12"}],
    "ip_pools": [
      {"name": "public-main", "networks": [{"cidr": "203.0.113.0/24", "gateway": "203.0.113.1"}]},
      {"name": "ams-pool", "networks": [{"cidr": "198.51.100.0/25", "gateway": "198.51.100.1"},
                                        {"cidr": "2001:db8:100::/64", "gateway": "2001:db8:100::1"}]},
      {"name": "dealloc", "networks": [{"cidr": "10.255.0.0/24", "gateway": "10.255.0.1"}]}],
    "deallocation_pool": "dealloc",
    "locations": [{"name": "Amsterdam", "ip_pool": "ams-pool", "racks": [
      {"name": "A1", "units": 42, "servers": [{"configuration": "i9-9900K-64Gb-2x1024NVMe", "count": 12}]}]}],
    "timings": {"os_install": "20m", "diagnostics": "30m"}})";
  Child serve({bin_dir() + "/dcisim", "serve", "--clock", "virtual", "--port", "0", "--control-token", token,
               "--inventory", inventory});
  std::string listening = serve.line();
  REQUIRE(listening.rfind("dcisim serve: listening on ", 0) == 0);
  std::string url = listening.substr(listening.rfind(' ') + 1);

  std::vector<Acked> acked;
  for (int round = 0; round < rounds; ++round) {
    Child driver({bin_dir() + "/dcisim_crash_driver", db, url, token, std::to_string(seed), std::to_string(round), "100000"});
    int64_t lines_before_kill = rng.uniform(1, 40);
    for (int64_t n = 0; n < lines_before_kill; ++n) {
      std::string text = driver.line();
      REQUIRE_FALSE(text.empty());  // the driver died on its own or hung
      if (text.rfind("ACK ", 0) == 0) {
        size_t space = text.rfind(' ');
        acked.push_back({text.substr(4, space - 4), std::stoll(text.substr(space + 1))});
      }
    }
    driver.kill_now();
    check_after_crash(db, url, emulator_now(url, token), acked, "after the kill in round " + std::to_string(round));
  }
  // A last run that is not killed: the core picks up what the kills left and goes on.
  Child last({bin_dir() + "/dcisim_crash_driver", db, url, token, std::to_string(seed), std::to_string(rounds), "60"});
  for (std::string text = last.line(); !text.empty(); text = last.line()) {
    if (text.rfind("ACK ", 0) == 0) {
      size_t space = text.rfind(' ');
      acked.push_back({text.substr(4, space - 4), std::stoll(text.substr(space + 1))});
    }
  }
  CHECK(last.wait_exit() == 0);
  check_after_crash(db, url, emulator_now(url, token), acked, "at the end");
}
