// Real time for the live target. The billing clock stays virtual; DCImanager's own operations
// (an OS install, diagnostics, a suspension still `suspending`) run for real on the live side.
//   - StopSignal: Ctrl-C for long live jobs. Waits go through it, so that a wait ends at once
//     when the run is interrupted; runners check it between steps.
//   - SignalStop: while alive, SIGINT and SIGTERM request the stop (a second one exits at once,
//     leaving the ledger for `dcisim certify --cleanup`).
//   - RealTimeWaits: a ProvisioningModule around the real one. When a step answers `waiting`
//     (remote work in progress) it looks again every `poll` of real time, with virtual time
//     standing still, until the step is done, fails, or `timeout` of real time has passed
//     (then `manual`). So a scenario's `advance 1h` does not race a 20-minute install.
#pragma once

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "billing/provisioning.h"
#include "common/time.h"

namespace dcisim::certify {

class StopSignal {
 public:
  void request(const std::string& why);
  bool requested() const;
  std::string why() const;
  // Waits `d` of real time. Returns false at once when a stop is (or becomes) requested.
  bool wait_for(common::Duration d) const;

 private:
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  bool requested_ = false;
  std::string why_;
};

// Construct it on the main thread before any other thread exists (the signals are blocked in
// every thread created after it and taken by its own thread).
class SignalStop {
 public:
  // `second_signal_note` is printed to stderr when a second signal ends the process at once.
  SignalStop(StopSignal& stop, std::string second_signal_note);
  ~SignalStop();
  SignalStop(const SignalStop&) = delete;
  SignalStop& operator=(const SignalStop&) = delete;

 private:
  StopSignal& stop_;
  std::string note_;
  std::atomic<bool> done_{false};
  sigset_t previous_mask_;
  std::thread thread_;
};

// How often to look again at a remote operation: first after `first`, then 1.5 times longer each
// time, never longer than `cap`: a 2-second install is seen at once, a 20-minute one is not
// polled thousands of times.
class PollSchedule {
 public:
  explicit PollSchedule(common::Duration first, common::Duration cap = common::Duration::seconds(10))
      : next_(first), cap_(cap) {}
  common::Duration next() {
    common::Duration now = next_;
    next_ = std::min(common::Duration::ms(next_.count_ms() * 3 / 2), cap_);
    return now;
  }

 private:
  common::Duration next_;
  common::Duration cap_;
};

// Waits `d` of real time, or until `stop` (may be null) is requested; false when it was.
bool wait_real_time(const StopSignal* stop, common::Duration d);

struct RealTimeOptions {
  common::Duration poll = common::Duration::ms(500);         // first look again after this (PollSchedule)
  common::Duration timeout = common::Duration::minutes(90);  // per operation (--timeout-op)
  const StopSignal* stop = nullptr;                          // may be null
  // What is being waited for ("open of service 1: OS install started on server 5, 12s"); "" when
  // the wait is over. For a progress line on a terminal; may be empty.
  std::function<void(const std::string&)> progress;
};

class RealTimeWaits final : public billing::ProvisioningModule {
 public:
  RealTimeWaits(billing::ProvisioningModule& inner, RealTimeOptions options)
      : inner_(inner), options_(std::move(options)) {}

  std::string name() const override { return inner_.name(); }
  billing::StepResult open(const billing::OpenOrder& order, const billing::Json& progress,
                           billing::OperationContext& context) override;
  billing::StepResult suspend(const billing::RemoteService& service, const billing::Json& progress,
                              billing::OperationContext& context) override;
  billing::StepResult resume(const billing::RemoteService& service, const billing::Json& progress,
                             billing::OperationContext& context) override;
  billing::StepResult close(const billing::RemoteService& service, const billing::Json& progress,
                            billing::OperationContext& context) override;
  bool may_hold_server(const billing::Json& open_progress) const override { return inner_.may_hold_server(open_progress); }
  common::Result<std::vector<billing::SyncAction>> sync(const std::vector<billing::SyncExpectation>& expected) override {
    return inner_.sync(expected);
  }
  common::Result<billing::RemoteView> remote_view() override { return inner_.remote_view(); }

 private:
  using Step = std::function<billing::StepResult(const billing::Json& progress)>;
  billing::StepResult until_settled(const std::string& what, const billing::Json& progress, const Step& step);

  billing::ProvisioningModule& inner_;
  RealTimeOptions options_;
};

}  // namespace dcisim::certify
