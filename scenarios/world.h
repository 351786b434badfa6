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
  std::unique_ptr<mockdci::Emulator> emulator;
  RecordingTransport* transport = nullptr;  // owned by `transport_owner`
  std::unique_ptr<common::HttpTransport> transport_owner;
  std::unique_ptr<billing::dci6::Dci6Module> module;
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
};

// The scenario's inventory: the shipped default, its file, or its inline object.
common::Result<mockdci::Inventory> resolve_inventory(const Scenario& scenario);

// Checks the fixture against the inventory (locations, configurations, OS templates, scripts)
// and the settings, without building anything: errors name the file and JSON pointer.
common::Status check_fixture(const Scenario& scenario, const mockdci::Inventory& inventory);

// The emulator's servers and IPv4 pools as the billing audit reads the remote side: built from
// the emulator's typed reads, without a request (so the journal shows only what billing sent).
billing::RemoteView remote_view_of(const mockdci::Emulator& emulator);

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
