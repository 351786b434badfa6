#include "scenarios/step_session.h"

#include <algorithm>

#include "billing/audit.h"
#include "scenarios/actions.h"
#include "scenarios/expectations.h"

namespace dcisim::scenarios {

using common::Result;
using common::Status;

namespace {

std::optional<StepFailure> check_expect(const ExpectStep& expect, World& world) {
  Result<std::vector<Mismatch>> mismatches = check_expectation(expect, world);
  if (!mismatches) return StepFailure{"expect: cannot read the state: " + mismatches.error().message, "", "", ""};
  if (mismatches->empty()) return std::nullopt;
  StepFailure failure;
  failure.key = "/expect" + mismatches->front().key;
  for (const Mismatch& m : *mismatches) {
    std::string line = m.what + ": expected " + m.expected + ", found " + m.found;
    failure.message += (failure.message.empty() ? "expect: " : "; ") + line;
    failure.expected += (failure.expected.empty() ? "" : "\n") + m.what + ": " + m.expected;
    failure.found += (failure.found.empty() ? "" : "\n") + m.what + ": " + m.found;
  }
  return failure;
}

// The action's outcome against what the step expected of it (`expect_error`).
std::optional<StepFailure> judge_action(Step& step, const Status& status, bool accept_refusal) {
  if (!step.expect_error && !status.ok() && accept_refusal) {
    step.expect_error = status.error().message;  // the refusal, as a file would say it
    return std::nullopt;
  }
  if (step.expect_error) {
    if (status.ok()) {
      return StepFailure{step.keyword + " succeeded, but it should have been refused with an error containing \"" +
                             *step.expect_error + "\"",
                         "refused: ..." + *step.expect_error + "...", "succeeded", "/expect_error"};
    }
    if (status.error().message.find(*step.expect_error) == std::string::npos) {
      return StepFailure{step.keyword + " was refused with another error: " + status.error().message,
                         "refused: ..." + *step.expect_error + "...", "refused: " + status.error().message, "/expect_error"};
    }
    return std::nullopt;
  }
  if (!status.ok()) return StepFailure{step.keyword + " failed: " + status.error().message, "success", status.error().message, ""};
  return std::nullopt;
}

}  // namespace

Result<std::unique_ptr<StepSession>> StepSession::start(const Scenario& scenario, const mockdci::Inventory& inventory,
                                                        uint64_t seed, const WorldOptions& options) {
  DCISIM_ASSIGN_OR_RETURN(std::unique_ptr<World> world, build_world(scenario, inventory, seed, options));
  return std::unique_ptr<StepSession>(new StepSession(std::move(world)));
}

std::optional<StepFailure> StepSession::run(Step& step, size_t index, bool accept_refusal) {
  World& world = *world_;
  std::optional<StepFailure> failure;
  if (const auto* expect = std::get_if<ExpectStep>(&step.body)) {
    failure = check_expect(*expect, world);
  } else {
    failure = judge_action(step, run_action(step, index, world), accept_refusal);
  }
  if (std::holds_alternative<PanelStep>(step.body)) remote_drift_ = true;
  if (std::holds_alternative<RestartStep>(step.body)) scheduler_errors_seen_ = 0;  // a new Billing
  if (auto syncs = world.billing->sync_runs(); syncs && syncs->size() > syncs_seen_) {
    syncs_seen_ = syncs->size();
    // Only a sync that reconciled every server ends the drift a panel step caused.
    const billing::SyncRunView& last = syncs->back();
    bool clean = last.error.empty() && std::none_of(last.actions.begin(), last.actions.end(),
                                                    [](const billing::SyncAction& a) { return a.action == "error"; });
    if (clean) remote_drift_ = false;
  }
  if (!failure) failure = after_step_checks(step);
  known_findings_.insert(step.expect_audit.begin(), step.expect_audit.end());
  return failure;
}

// Then the scheduler's errors and the audit. `step.expect_audit`: invariants this step must break;
// `known_findings_`: ones earlier steps broke on purpose, tolerated from then on.
std::optional<StepFailure> StepSession::after_step_checks(const Step& step) {
  World& world = *world_;
  std::vector<std::string> errors = world.billing->scheduler_errors();
  if (errors.size() > scheduler_errors_seen_) {
    std::string message = "the billing scheduler reported: " + errors[scheduler_errors_seen_];
    scheduler_errors_seen_ = errors.size();
    return StepFailure{message, "", "", ""};
  }
  Result<billing::RemoteView> remote = remote_view_of(world);  // the emulator's reads, or the module's
  if (!remote) {
    return StepFailure{"audit: cannot read the remote side: " + remote.error().message, "the remote side can be read",
                       remote.error().message, ""};
  }
  billing::AuditOptions options;
  options.remote = &*remote;
  options.remote_state = !remote_drift_;
  std::vector<billing::Violation> all = billing::audit(*world.billing, options);
  const std::vector<std::string>& expected = step.expect_audit;
  std::vector<billing::Violation> violations;
  for (const billing::Violation& v : all) {
    bool wanted = std::find(expected.begin(), expected.end(), v.invariant) != expected.end();
    if (!wanted && known_findings_.count(v.invariant) == 0) violations.push_back(v);
  }
  for (const std::string& name : expected) {
    bool reported = std::any_of(all.begin(), all.end(), [&](const billing::Violation& v) { return v.invariant == name; });
    if (!reported) {
      return StepFailure{"expect_audit: the audit did not report " + name + " after this step",
                         "the audit reports " + name, all.empty() ? "every invariant holds" : billing::describe(all),
                         "/expect_audit"};
    }
  }
  if (violations.empty()) return std::nullopt;
  StepFailure failure;
  failure.message = "audit: " + violations[0].invariant + ": " + violations[0].message;
  if (violations.size() > 1) failure.message += " (and " + std::to_string(violations.size() - 1) + " more)";
  failure.expected = "every invariant holds";
  failure.found = billing::describe(violations);
  return failure;
}

}  // namespace dcisim::scenarios
