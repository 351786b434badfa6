// The DCImanager 6 emulator, embeddable in-process. One object holds the model built from an
// inventory and answers DCImanager's API (auth v4, dci v3, IPmanager v3; see docs/EMULATOR.md)
// plus its own control API under /mockdci/v1/. Requests reach it two ways, through the same
// router, JSON encoding and journal:
//   - over a socket: start("127.0.0.1", 0, nullptr) listens on a free loopback port;
//   - in memory: handle(request), e.g. behind common::InMemoryTransport(emulator->handler()).
//
// Time comes from the Clock in the options: operations (OS install, diagnostics) end when the
// clock passes their end, settled at every request and read. With a VirtualClock the emulator also
// subscribes as TimedWork, so advancing the clock stops at each operation's end.
//
//   common::VirtualClock clock;
//   auto emulator = Emulator::create({.inventory = *inventory, .clock = &clock, .seed = 7});
//   (*emulator)->start("127.0.0.1", 0, nullptr);
//   ... point a client at (*emulator)->base_url() ...
//
// Thread-safe: one mutex guards the model; the socket server (mockdci/http_server.h) calls the
// handler from its event-loop threads.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/clock.h"
#include "common/http.h"
#include "common/result.h"
#include "mockdci/faults.h"
#include "mockdci/http_server.h"
#include "mockdci/inventory.h"
#include "mockdci/journal.h"
#include "mockdci/router.h"

namespace dcisim::mockdci {

class AccessLog;  // mockdci/access_log.h

struct TlsFiles {
  std::string cert_file;  // PEM certificate (chain)
  std::string key_file;   // PEM private key
};

struct EmulatorOptions {
  Inventory inventory;
  common::Clock* clock = nullptr;  // required; must outlive the emulator
  std::string control_token;       // "" = derived from `seed` (read it with control_token())
  uint64_t seed = 1;               // session tokens are drawn from it: same seed, same tokens
  bool secure_tokens = false;      // true: tokens from OpenSSL RAND_bytes (`dcisim serve`)
  size_t max_body_bytes = 1 << 20; // larger request bodies get 413
  size_t journal_capacity = 10'000;
  // Event-loop threads of the socket server (each serves any number of connections); 0: one per
  // core, at most 8. At most kMaxServerThreads (16).
  size_t server_threads = 0;
  AccessLog* access_log = nullptr;  // non-null: one line per answer over a socket; must outlive the emulator
  // Routes served at another method and path (`dcisim serve --route-alias`), applied in order.
  std::vector<RouteAlias> route_aliases;
};

// Typed reads for tests and scenario expectations.
struct AddressView {
  int64_t id = 0;
  std::string address;  // "203.0.113.2"
  std::string family;   // "ipv4" | "ipv6"
  std::string pool;     // the pool's name
};

struct ServerView {
  int64_t id = 0;
  std::string name;
  std::string configuration;
  int64_t location_id = 0;
  int64_t rack_id = 0;
  std::optional<int64_t> owner_id;
  std::string owner_email;  // "" when free
  std::string domain;
  std::string power;        // "ON" | "OFF" | "UNKNOWN"
  std::string state;        // "active" | "suspended"
  bool ports_up = true;     // every switch port of the server has admin_status up
  bool maintenance = false;
  bool in_diagnostics = false;
  bool available = false;   // free for sale (API.md §4)
  std::string operation_status;  // last operation: "" none, "running", "ok", "failed", "canceled"
  std::string os_template;  // name, "" when none
  std::vector<AddressView> addresses;
};

struct PoolUsage {
  int64_t id = 0;
  std::string name;
  int64_t used_ipv4 = 0;
  int64_t used_ipv6 = 0;
  std::string total_ipv4;  // decimal: an IPv6 total does not fit 64 bits
  std::string total_ipv6;
};

struct EmulatorCore;  // the state behind the API (emulator_core.h)

class Emulator {
 public:
  static common::Result<std::unique_ptr<Emulator>> create(EmulatorOptions options);
  ~Emulator();  // stops the socket server
  Emulator(const Emulator&) = delete;
  Emulator& operator=(const Emulator&) = delete;

  // In-memory request: the same router, auth, errors and journal as the socket.
  common::HttpResponse handle(const common::HttpRequest& request);
  common::HttpHandler handler();  // [this](request) { return handle(request); }

  // Listens on host:port (0 = a free port); `tls` non-null serves HTTPS. Returns once the socket
  // is listening. An error when already started or the address cannot be bound.
  common::Status start(const std::string& host, int port, const TlsFiles* tls);
  int port() const;              // 0 when not started
  std::string base_url() const;  // "http://127.0.0.1:PORT" ("https://..." with TLS)
  void stop();                   // idempotent

  const std::string& control_token() const;

  // As GET /mockdci/v1/state, but built afresh from the model rather than from the JSON cache.
  nlohmann::json state() const;
  void reset();                  // back to the inventory: model, tokens and faults (not the clock)
  std::vector<JournalEntry> journal(size_t last_n) const;

  std::optional<ServerView> server(int64_t id) const;
  std::vector<ServerView> servers() const;
  std::map<std::string, int64_t> free_counts() const;  // configuration -> free_server_count
  std::vector<PoolUsage> pools() const;
  std::optional<int64_t> user_id(const std::string& email) const;

  // Out-of-band operator actions, as in the panel (also on the control API).
  common::Status set_power(int64_t server_id, const std::string& power);  // "ON" | "OFF" | "UNKNOWN"
  common::Status set_maintenance(int64_t server_id, bool on);
  // Every switch port of the server up or down (admin_status), as an operator would in the panel.
  common::Status set_ports(int64_t server_id, bool up);
  // Takes the server from its owner, as staff would in the panel (over HTTP: DCImanager's own
  // DELETE /api/dci/v3/server/{id}/owner with an admin token): addresses back to their pools,
  // diagnostics on the clock, then for sale again.
  common::Status release_server(int64_t server_id);
  // Staff give the server to another owner (the user with this e-mail, created if missing),
  // change its domain, or take free IPv4 addresses out of a pool (at most `free_left` remain).
  common::Status give_server(int64_t server_id, const std::string& owner_email);
  common::Status set_domain(int64_t server_id, const std::string& domain);
  common::Status shrink_pool(const std::string& pool, int64_t free_left);
  // Faults: the next `count` DCImanager API requests under `path_prefix` ("" = all) answer 503;
  // the next `count` OS installs end as failed; every token stops working.
  void fail_requests(int64_t count, const std::string& path_prefix);
  void fail_os_installs(int64_t count);
  void expire_tokens();
  // The fault catalogue (faults.h): adds a rule and returns its id; clears every rule and counter.
  common::Result<int64_t> add_fault(const FaultRule& rule);
  void clear_faults();
  std::vector<FaultRule> faults() const;
  // How long operations take from now on (those running keep their end).
  void set_timings(const Timings& timings);
  Timings timings() const;


 private:
  explicit Emulator(std::unique_ptr<EmulatorCore> core);
  std::unique_ptr<EmulatorCore> core_;
};

}  // namespace dcisim::mockdci
