// One step of `open` (internal to the module): validate the order, resolve the OS template and
// script, ensure the client's DCImanager user, take (or adopt) a free server, add extra IPs,
// install the OS and poll it. Each call goes as far as it can and returns done, waiting, retry or
// manual with the updated progress:
//   {"user_id", "template_id", "script_id", "server_id", "issued", "refused_server_ids",
//    "base_ipv4", "base_ipv6",
//    "install": {"failures", "before_operation_id", "started_at_ms", "confirmed", "reinstall"},
//    "waiting_since_ms", "intent"}
#pragma once

#include <optional>

#include "billing/dci6/client.h"
#include "billing/dci6/server_facts.h"
#include "billing/dci6/settings.h"
#include "billing/provisioning.h"

namespace dcisim::billing::dci6 {

class OpenStep {
 public:
  OpenStep(Dci6Client& client, const Dci6Settings& settings, const OpenOrder& order, const Json& progress,
           OperationContext& context);
  StepResult run();

 private:
  // Each stage returns a StepResult to stop the step there, or nullopt to go on.
  std::optional<StepResult> validate();
  std::optional<StepResult> resolve_catalog();
  std::optional<StepResult> ensure_user();
  std::optional<StepResult> ensure_server();
  std::optional<StepResult> take_free_server();
  std::optional<StepResult> add_extra_ips();
  std::optional<StepResult> install_os();
  StepResult poll_install();

  ApiResult<std::optional<int64_t>> find_user();
  std::optional<StepResult> load_server();
  // Saves the intent; a failure stops the step before anything is sent.
  std::optional<StepResult> checkpoint(const std::string& intent);

  StepResult finish(StepStatus status, std::string message);
  StepResult from_error(const ApiError& error, const std::string& doing);
  std::string no_free_server_message();

  Dci6Client& client_;
  const Dci6Settings& settings_;
  const OpenOrder& order_;
  Json progress_;
  OperationContext& context_;
  std::string domain_;
  ServerFacts server_;  // valid after ensure_server
};

}  // namespace dcisim::billing::dci6
