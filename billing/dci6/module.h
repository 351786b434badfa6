// The DCImanager 6 processing module: billing's ProvisioningModule on a DCImanager 6 (the embedded
// emulator or a live system, told apart by nothing but the base URL). See docs/DCI6_MODULE.md.
//
//   common::VirtualClock clock;
//   common::InMemoryTransport transport(emulator_handler);            // or an HttplibTransport
//   dci6::Dci6Module module(settings, transport, clock);              // transport not owned
//   auto live = dci6::Dci6Module::connect(settings, common::RealClock()); // owns an HttplibTransport
//
// Stateless between calls: whatever a step must remember is in the `progress` JSON it returns,
// and its intent is checkpointed through the OperationContext before every remote change, so that
// a step repeated after a crash or a lost response adopts what the previous attempt did (the
// server held by this service's user with this service's domain, the extra IPs the server
// already has, the install already running) instead of doing it twice. Progress never holds a
// password.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "billing/dci6/client.h"
#include "billing/dci6/server_facts.h"
#include "billing/dci6/settings.h"
#include "billing/provisioning.h"
#include "common/clock.h"
#include "common/http.h"

namespace dcisim::billing::dci6 {

class Dci6Module final : public ProvisioningModule {
 public:
  // Talks through `transport`; `transport` and `clock` must outlive the module. The clock is used
  // only for the client's short waits between 503 retries; step times come from the context.
  Dci6Module(Dci6Settings settings, common::HttpTransport& transport, const common::Clock& clock);
  // Talks to `settings.base_url` through its own HttplibTransport (TLS per the settings).
  static common::Result<std::unique_ptr<Dci6Module>> connect(Dci6Settings settings, const common::Clock& clock);

  std::string name() const override { return "dci6"; }

  StepResult open(const OpenOrder& order, const Json& progress, OperationContext& context) override;
  StepResult suspend(const RemoteService& service, const Json& progress, OperationContext& context) override;
  StepResult resume(const RemoteService& service, const Json& progress, OperationContext& context) override;
  StepResult close(const RemoteService& service, const Json& progress, OperationContext& context) override;
  bool may_hold_server(const Json& open_progress) const override;

  common::Result<std::vector<SyncAction>> sync(const std::vector<SyncExpectation>& expected) override;
  common::Result<RemoteView> remote_view() override;

  const Dci6Settings& settings() const { return settings_; }
  Dci6Client& client() { return client_; }

 private:
  Dci6Module(Dci6Settings settings, std::unique_ptr<common::HttpTransport> owned, const common::Clock& clock);
  StepResult close_by_holder(const RemoteService& service, const Json& progress, OperationContext& context);
  StepResult wait_for_release(const ServerFacts& server, Json& progress, OperationContext& context);
  StepResult switch_service(const RemoteService& service, const Json& progress, OperationContext& context, bool active);
  common::Result<std::vector<SyncAction>> sync_one(const SyncExpectation& expectation);

  Dci6Settings settings_;
  std::unique_ptr<common::HttpTransport> owned_transport_;  // null when the transport is the caller's
  Dci6Client client_;
};

// The domain a service's server gets: the order's, or "service-<id>.<domain_suffix>".
std::string service_domain(const OpenOrder& order, const Dci6Settings& settings);

}  // namespace dcisim::billing::dci6
