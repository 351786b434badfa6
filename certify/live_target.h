// The live target of `dcisim run --target live`: scenarios tagged `live-safe` run the very same
// billing core and DCImanager 6 module against a real endpoint, behind the safety net.
//   - Only servers named by --allow-server are seen and may be issued (each must be for sale
//     when the run starts); every change is announced in the teardown ledger before it is sent.
//   - Tariffs are placed in --location (or the allowed servers' location) on the allowed
//     servers' configuration; OS templates and scripts are DCImanager's own, by name.
//   - The billing clock stays virtual; DCImanager's operations are awaited in real time
//     (RealTimeWaits, bounded by --timeout-op).
//   - A scenario that needs the emulator (faults, panel steps, pool or free-count expectations,
//     its own inventory) or more servers than allowed is skipped, with the reason.
//   - After every scenario, and at the end of the run, the ledger is undone (cleanup_ledger).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "billing/dci6/client.h"
#include "certify/endpoint.h"
#include "certify/ledger.h"
#include "certify/real_time.h"
#include "common/clock.h"
#include "scenarios/world.h"

namespace dcisim::certify {

struct LiveTargetOptions {
  EndpointOptions endpoint;
  std::vector<int64_t> allowed_servers;                      // --allow-server
  std::string location;                                      // --location NAME; "" = the allowed servers'
  common::Duration timeout_op = common::Duration::minutes(90);  // --timeout-op
  common::Duration poll = common::Duration::ms(500);         // the first look again (PollSchedule)
  std::string ledger_path;                                   // where the teardown ledger goes
  uint64_t seed = 1;
  const StopSignal* stop = nullptr;
  std::function<void(const std::string&)> waiting;           // progress while waiting ("" = done)
  std::function<void(const std::string&)> undone;            // each thing a teardown undid
};

class LiveTarget final : public scenarios::RemoteTarget {
 public:
  // Logs in, finds the location, checks that every allowed server exists and is for sale, reads
  // the OS templates and scripts, and starts the ledger with the allowed servers as they are.
  static common::Result<std::unique_ptr<LiveTarget>> open(LiveTargetOptions options);

  std::string unsupported(const scenarios::Scenario& scenario) const override;
  common::Result<std::pair<int64_t, std::string>> place(const scenarios::TariffFixture& tariff) const override;
  common::Json module_settings() const override;
  common::Result<std::unique_ptr<common::HttpTransport>> transport() override;
  const common::Clock& retry_clock() const override { return real_clock_; }
  std::unique_ptr<billing::ProvisioningModule> wrap(billing::ProvisioningModule& module) override;
  common::Status interrupted() const override;
  common::Status teardown() override;

  // One line for the run's header: "https://dci:8443, location Amsterdam (1), 1 allowed server
  // (i9-9900K-64Gb-2x1024NVMe), ledger out/ledger.jsonl".
  std::string describe() const;
  const std::string& ledger_path() const { return ledger_->path(); }

 private:
  LiveTarget(LiveTargetOptions options, std::unique_ptr<Ledger> ledger);
  common::Status read_catalog(billing::dci6::Dci6Client& client);

  LiveTargetOptions options_;
  std::unique_ptr<Ledger> ledger_;
  common::RealClock real_clock_;
  int64_t location_id_ = 0;
  std::string location_name_;
  std::string configuration_;
  std::vector<std::string> os_templates_;
  std::vector<std::string> scripts_;
};

}  // namespace dcisim::certify
