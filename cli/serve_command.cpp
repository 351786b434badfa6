// `dcisim serve`: the DCImanager 6 emulator on a port, until SIGINT or SIGTERM.
//
// Signals: SIGINT and SIGTERM are blocked in every thread before the server's threads start (they
// inherit the mask) and the main thread takes them with sigwait(). No signal handler runs, so no
// global flag or self-pipe is needed: the command has no global state at all.
#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>

#include <iostream>
#include <memory>

#include "cli/args.h"
#include "cli/command.h"
#include "cli/serve_help.h"
#include "mockdci/access_log.h"
#include "mockdci/default_inventory.h"
#include "mockdci/emulator.h"

namespace dcisim::cli {

namespace {

constexpr const char* kUsage =
    "usage: dcisim serve [--port N] [--host ADDR] [--inventory FILE | --generate servers=N [--seed S]]\n"
    "                    [--admin-email E] [--admin-password P] [--tls-cert C --tls-key K]\n"
    "                    [--clock real|virtual] [--control-token T] [--access-log FILE|-]\n"
    "                    [--threads N] [--timings fast|NAME=D,...] [--route-alias 'M /path=M /new-path' ...]\n"
    "Serves the DCImanager 6 API (auth v4, dci v3, ip v3) and the control API /mockdci/v1 on\n"
    "127.0.0.1 (default) until SIGINT or SIGTERM. --port 0 (the default) picks a free port. The first\n"
    "line on stdout is `dcisim serve: listening on http(s)://HOST:PORT`; when no --control-token is\n"
    "given, the second is `dcisim serve: control token: T`. Without --inventory the shipped default\n"
    "inventory is served. --clock virtual starts at 2026-01-01T00:00:00Z and moves only through\n"
    "POST /mockdci/v1/clock/advance. --timings fast makes OS installs and diagnostics take a second\n"
    "and no timed action longer, for live-target runs; --timings os_install=5s,release=2s sets\n"
    "single timings (os_install, diagnostics, suspend, resume, power, release). --route-alias serves a\n"
    "route at another path, as a DCImanager version that differs from ours. --access-log writes one\n"
    "line per request (time, method, path, status, duration) to FILE or, with -, to stdout.\n"
    "--threads N: event-loop threads (default 0: one per core, at most 8; at most 16). A port in use\n"
    "is an error (exit 1). See docs/EMULATOR.md.\n";

struct ServeSettings {
  std::string host = "127.0.0.1";
  int port = 0;
  std::optional<std::string> inventory_path;
  std::optional<int64_t> generate_servers;
  uint64_t seed = 1;
  std::optional<std::string> admin_email;
  std::optional<std::string> admin_password;
  std::optional<mockdci::TlsFiles> tls;
  bool virtual_clock = false;
  std::string control_token;  // "" = generate one
  bool fast_timings = false;  // --timings fast
  std::vector<std::pair<std::string, common::Duration>> timings;  // --timings name=D,...: over the inventory's
  std::vector<mockdci::RouteAlias> route_aliases;
  std::optional<std::string> access_log;  // a file, or "-" for stdout
  size_t threads = 0;                     // event-loop threads, 0: one per core
};

// The inventory timing a `--timings` name sets.
common::Duration* timing_of(mockdci::Timings& timings, const std::string& name) {
  if (name == "os_install") return &timings.os_install;
  if (name == "diagnostics") return &timings.diagnostics;
  if (name == "suspend") return &timings.suspend;
  if (name == "resume") return &timings.resume;
  if (name == "power") return &timings.power;
  if (name == "release") return &timings.release;
  return nullptr;
}

// "fast" or "os_install=5s,diagnostics=3s" (any of os_install, diagnostics, suspend, resume,
// power, release; the others stay as the inventory says).
common::Status parse_timings_flag(const std::string& text, ServeSettings& s) {
  if (text == "fast") {
    s.fast_timings = true;
    return common::Status::success();
  }
  std::string usage = "--timings expects fast or name=D,... (names: os_install, diagnostics, suspend, resume, power, "
                      "release; D such as 5s), got \"" + text + "\"";
  mockdci::Timings probe;
  size_t at = 0;
  while (at <= text.size()) {
    size_t comma = std::min(text.find(',', at), text.size());
    std::string part = text.substr(at, comma - at);
    size_t eq = part.find('=');
    if (eq == std::string::npos || timing_of(probe, part.substr(0, eq)) == nullptr) return common::Error::invalid(usage);
    common::Result<common::Duration> d = common::parse_duration(part.substr(eq + 1));
    if (!d || *d > common::Duration::days(7)) return common::Error::invalid(usage);
    s.timings.push_back({part.substr(0, eq), *d});
    at = comma + 1;
  }
  return common::Status::success();
}

// --timings fast: installs and diagnostics take a second, and no timed action takes longer (a
// live-target run against --clock real then takes seconds).
void apply_timings(const ServeSettings& s, mockdci::Timings& timings) {
  const common::Duration second = common::Duration::seconds(1);
  if (s.fast_timings) {
    timings.os_install = second;
    timings.diagnostics = second;
    for (common::Duration* d : {&timings.suspend, &timings.resume, &timings.power, &timings.release}) *d = std::min(*d, second);
  }
  for (const auto& [name, d] : s.timings) *timing_of(timings, name) = d;
}

common::Result<ServeSettings> settings_from(const Args& args) {
  ServeSettings s;
  if (auto host = args.value("--host")) s.host = *host;
  if (auto port = args.value("--port")) {
    common::Result<int64_t> n = parse_int_flag("--port", *port, 0, 65535);
    if (!n) return n.error();
    s.port = static_cast<int>(*n);
  }
  s.inventory_path = args.value("--inventory");
  if (auto generate = args.value("--generate")) {
    if (s.inventory_path) return common::Error::invalid("--inventory and --generate cannot be used together");
    if (generate->rfind("servers=", 0) != 0) return common::Error::invalid("--generate expects servers=N, got \"" + *generate + "\"");
    common::Result<int64_t> n = parse_int_flag("--generate servers", generate->substr(8), 1, mockdci::kMaxServers);
    if (!n) return n.error();
    s.generate_servers = *n;
  }
  if (auto seed = args.value("--seed")) {
    common::Result<int64_t> n = parse_int_flag("--seed", *seed, 0, INT64_MAX);
    if (!n) return n.error();
    s.seed = static_cast<uint64_t>(*n);
  }
  s.admin_email = args.value("--admin-email");
  s.admin_password = args.value("--admin-password");
  if (s.admin_email && s.admin_email->find('@') == std::string::npos) {
    return common::Error::invalid("--admin-email expects an e-mail address, got \"" + *s.admin_email + "\"");
  }
  if (s.admin_password && s.admin_password->empty()) return common::Error::invalid("--admin-password cannot be empty");
  auto cert = args.value("--tls-cert");
  auto key = args.value("--tls-key");
  if (cert.has_value() != key.has_value()) return common::Error::invalid("--tls-cert and --tls-key go together");
  if (cert) s.tls = mockdci::TlsFiles{*cert, *key};
  std::string clock = args.value("--clock").value_or("real");
  if (clock != "real" && clock != "virtual") return common::Error::invalid("--clock expects real or virtual, got \"" + clock + "\"");
  s.virtual_clock = clock == "virtual";
  s.control_token = args.value("--control-token").value_or("");
  if (args.has("--control-token") && s.control_token.empty()) return common::Error::invalid("--control-token cannot be empty");
  if (auto timings = args.value("--timings")) DCISIM_RETURN_IF_ERROR(parse_timings_flag(*timings, s));
  for (const std::string& text : args.values("--route-alias")) {
    common::Result<mockdci::RouteAlias> alias = mockdci::parse_route_alias(text);
    if (!alias) return alias.error();
    s.route_aliases.push_back(*alias);
  }
  if (auto threads = args.value("--threads")) {
    common::Result<int64_t> n = parse_int_flag("--threads", *threads, 0, static_cast<int64_t>(mockdci::kMaxServerThreads));
    if (!n) return n.error();
    s.threads = static_cast<size_t>(*n);
  }
  s.access_log = args.value("--access-log");
  if (s.access_log && s.access_log->empty()) return common::Error::invalid("--access-log expects a file or -");
  if (!args.positional().empty()) return common::Error::invalid("unexpected argument \"" + args.positional()[0] + "\"");
  return s;
}

common::Result<mockdci::Inventory> inventory_for(const ServeSettings& s) {
  common::Result<mockdci::Inventory> inventory =
      s.inventory_path ? mockdci::load_inventory_file(*s.inventory_path)
      : s.generate_servers ? mockdci::generate_inventory(*s.generate_servers, s.seed)
                           : mockdci::default_inventory();
  if (!inventory) return inventory;
  if (s.admin_email) inventory->admin.email = *s.admin_email;
  if (s.admin_password) inventory->admin.password = *s.admin_password;
  apply_timings(s, inventory->timings);
  for (const mockdci::UserSpec& user : inventory->users) {
    if (user.email == inventory->admin.email) {
      return common::Error::invalid("--admin-email " + user.email + " is already a user of the inventory");
    }
  }
  return inventory;
}

// Many idle clients each hold a descriptor: use the hard limit, not the (often 1024) soft one.
void raise_open_file_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

int serve(const ServeSettings& settings, std::ostream& out, std::ostream& err) {
  // Block the stop signals before any thread exists (the access log's, the server's), so that
  // only sigwait() sees them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  raise_open_file_limit();
  common::Result<mockdci::Inventory> inventory = inventory_for(settings);
  if (!inventory) {
    err << "dcisim serve: " << inventory.error().message << "\n";
    return kExitFailure;
  }
  std::unique_ptr<mockdci::AccessLog> access_log;  // declared before the emulator: outlives it
  if (settings.access_log) {
    common::Result<std::unique_ptr<mockdci::AccessLog>> opened = mockdci::AccessLog::open(*settings.access_log);
    if (!opened) {
      err << "dcisim serve: " << opened.error().message << "\n";
      return kExitFailure;
    }
    access_log = std::move(*opened);
  }
  std::unique_ptr<common::Clock> clock;
  if (settings.virtual_clock) {
    clock = std::make_unique<common::VirtualClock>();
  } else {
    clock = std::make_unique<common::RealClock>();
  }
  const std::string admin_email = inventory->admin.email, admin_password = inventory->admin.password;
  mockdci::EmulatorOptions options;
  options.inventory = std::move(*inventory);
  options.clock = clock.get();
  options.control_token = settings.control_token;
  options.seed = settings.seed;
  options.secure_tokens = true;  // a served emulator's tokens must not be guessable
  options.route_aliases = settings.route_aliases;
  options.access_log = access_log.get();
  options.server_threads = settings.threads;
  common::Result<std::unique_ptr<mockdci::Emulator>> emulator = mockdci::Emulator::create(std::move(options));
  if (!emulator) {
    err << "dcisim serve: " << emulator.error().message << "\n";
    return kExitFailure;
  }
  const mockdci::TlsFiles* tls = settings.tls ? &*settings.tls : nullptr;
  if (common::Status started = (*emulator)->start(settings.host, settings.port, tls); !started) {
    err << "dcisim serve: " << started.error().message << "\n";
    return kExitFailure;
  }
  out << "dcisim serve: listening on " << (*emulator)->base_url() << std::endl;
  if (settings.control_token.empty()) out << "dcisim serve: control token: " << (*emulator)->control_token() << std::endl;
  // A hint for people on stderr: stdout keeps its two lines for scripts.
  err << "dcisim serve: try: " << serve_example_curl((*emulator)->base_url(), admin_email, admin_password) << std::endl;
  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  err << "dcisim serve: " << (signal_number == SIGINT ? "SIGINT" : "SIGTERM") << ", stopping\n";
  (*emulator)->stop();
  return kExitOk;
}

}  // namespace

int serve_command(const std::vector<std::string>& words, std::ostream& out, std::ostream& err) {
  const std::vector<FlagSpec> flags = {
      {"--port"}, {"--host"}, {"--inventory"}, {"--generate"}, {"--seed"}, {"--admin-email"}, {"--admin-password"},
      {"--tls-cert"}, {"--tls-key"}, {"--clock"}, {"--control-token"}, {"--timings"}, {"--access-log"}, {"--threads"},
      {"--route-alias", true, true}, {"--help", false}};
  common::Result<Args> args = Args::parse(words, flags);
  if (args && args->has("--help")) {
    out << kUsage << serve_login_help();
    return kExitOk;
  }
  common::Result<ServeSettings> settings = args ? settings_from(*args) : common::Result<ServeSettings>(args.error());
  if (!settings) {
    err << "dcisim serve: " << settings.error().message << " (see dcisim serve --help)\n";
    return kExitUsage;
  }
  return serve(*settings, out, err);
}

}  // namespace dcisim::cli
