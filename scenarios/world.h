// Everything one scenario runs against, isolated from every other scenario: its own virtual
// clock, DCImanager 6 emulator, billing database file (in its own temporary folder), DCImanager 6
// processing module and billing core, plus the names the scenario gave to clients, services and
// payments. The module reaches the emulator through a transport the runner records (bodies
// included, secrets redacted) so that a failure can show the step's request and response.
#pragma once

#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "billing/billing.h"
#include "billing/dci6/module.h"
#include "common/clock.h"
#include "common/http.h"
#include "mockdci/emulator.h"
#include "mockdci/inventory.h"
#include "scenarios/scenario.h"

namespace dcisim::scenarios {

// How the billing core's module reaches the emulator.
enum class TransportKind {
  in_memory,  // common::InMemoryTransport: the same router and JSON, no socket (default, fast)
  http,       // real HTTP over a loopback socket
};

// One request the module sent and what came back, secrets redacted.
struct Exchange {
  common::Instant at;
  std::string method;    // "POST"
  std::string target;    // path and query, as the journal shows it
  int status = 0;        // 0: no response
  std::string request;   // "POST /api/dci/v3/server/3/owner {\"owner\":2,...}"
  std::string response;  // "200 {\"id\":3}" or "no response: <error>"
};

// Wraps the transport to the emulator and keeps the last exchanges (bounded).
class RecordingTransport final : public common::HttpTransport {
 public:
  RecordingTransport(std::unique_ptr<common::HttpTransport> inner, const common::Clock& clock,
                     size_t capacity);
  common::Result<common::HttpResponse> send(const common::HttpRequest& request) override;
  std::string describe() const override { return inner_->describe(); }
  std::deque<Exchange> exchanges() const;
  uint64_t total() const;

 private:
  std::unique_ptr<common::HttpTransport> inner_;
  const common::Clock& clock_;
  const size_t capacity_;
  mutable std::mutex mutex_;
  std::deque<Exchange> exchanges_;
  uint64_t total_ = 0;
};

// A DCImanager 6 that scenarios run against instead of the embedded emulator: a live endpoint
// behind its safety net (certify/live_target.h). The runner asks it whether a scenario can run
// there, where the fixture's tariffs point, and for the transport and module of each scenario's
// world; after each scenario it undoes what the scenario changed. Billing knows none of this: it
// sees a module and a base URL, as always.
class RemoteTarget {
 public:
  virtual ~RemoteTarget() = default;
  // "" when the scenario can run on this target; otherwise why not, in one line (the skip reason).
  virtual std::string unsupported(const Scenario& scenario) const = 0;
  // The target's location id and server configuration for a tariff of the fixture.
  virtual common::Result<std::pair<int64_t, std::string>> place(const TariffFixture& tariff) const = 0;
  // Members of the module's settings the target fixes (base_url, admin_email, admin_password,
  // routes...), laid over the fixture's `dci6` object.
  virtual common::Json module_settings() const = 0;
  // The transport the module talks through, and the clock its 503 retries wait on (real time).
  virtual common::Result<std::unique_ptr<common::HttpTransport>> transport() = 0;
  virtual const common::Clock& retry_clock() const = 0;
  // The module billing drives: `module` wrapped (DCImanager's operations awaited in real time).
  virtual std::unique_ptr<billing::ProvisioningModule> wrap(billing::ProvisioningModule& module) = 0;
  // Asked between steps and at every stop of the virtual clock: an error stops the scenario.
  virtual common::Status interrupted() const = 0;
  // After the scenario, whatever its outcome: undo what it changed. An error fails the scenario.
  virtual common::Status teardown() = 0;
};

struct ClientName {
  billing::ClientId id;
  std::string email;
};

struct World {
  World() = default;
  ~World();  // unsubscribes, closes the database, removes the temporary folder
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  std::filesystem::path folder;
  std::unique_ptr<common::VirtualClock> clock;
  std::unique_ptr<mockdci::Emulator> emulator;  // null on a remote target
  RemoteTarget* target = nullptr;               // null: the embedded emulator
  RecordingTransport* transport = nullptr;  // owned by `transport_owner`
  std::unique_ptr<common::HttpTransport> transport_owner;
  std::unique_ptr<billing::dci6::Dci6Module> module;
  std::unique_ptr<billing::ProvisioningModule> module_wrapper;  // what billing drives on a remote target
  std::unique_ptr<billing::Billing> billing;
  billing::BillingOptions billing_options;  // to open the same database again (`restart`)

  std::map<std::string, billing::TariffId> tariffs;
  std::map<std::string, ClientName> clients;
  std::map<std::string, billing::ServiceId> services;
  std::map<std::string, billing::PaymentId> payments;  // by `as` and by external id
  std::map<std::string, std::string> tariff_configuration;
};

struct WorldOptions {
  TransportKind transport = TransportKind::in_memory;
  std::filesystem::path temp_root;  // default: the system's temporary folder
  size_t exchange_capacity = 64;
  std::string planted_bug;  // builds with DCISIM_PLANTED_BUGS: the bug the billing core and module plant
  RemoteTarget* target = nullptr;  // null: an embedded emulator per scenario; outlives the run
};

// The scenario's inventory: the shipped default, its file, or its inline object.
common::Result<mockdci::Inventory> resolve_inventory(const Scenario& scenario);

// Checks the fixture against the inventory (locations, configurations, OS templates, scripts)
// and the settings, without building anything: errors name the file and JSON pointer.
common::Status check_fixture(const Scenario& scenario, const mockdci::Inventory& inventory);

// The emulator's servers and IPv4 pools as the billing audit reads the remote side: built from
// the emulator's typed reads, without a request (so the journal shows only what billing sent).
billing::RemoteView remote_view_of(const mockdci::Emulator& emulator);
// The remote side of a world: the emulator's typed reads, or on a remote target what the module
// reads from DCImanager (read-only requests).
common::Result<billing::RemoteView> remote_view_of(World& world);

// Closes the billing core and opens it again from its database file, as after a crash or a
// deploy: pending operations continue from what was committed. `down`: how long it stays closed
// (virtual time goes on for the emulator: its operations end; billing's due work runs when it is
// back, at the next clock advance).
common::Status restart_billing(World& world, common::Duration down = common::Duration());

// Builds the world at the fixture's start time: emulator, module, billing, tariffs.
common::Result<std::unique_ptr<World>> build_world(const Scenario& scenario,
                                                   const mockdci::Inventory& inventory,
                                                   uint64_t seed, const WorldOptions& options);

}  // namespace dcisim::scenarios
