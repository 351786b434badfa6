// The contract between the billing core and a processing module (BILLmanager's word for the
// plug-in that talks to the panel that really provisions: here, DCImanager 6 in billing/dci6/).
//
// The billing core owns operations: it persists each one, runs it through the module step by step,
// saves the module's progress after every step, retries with backoff and opens a manual task when
// the module gives up. A module is stateless between calls: everything it needs to resume after a
// crash or a lost response is in the `progress` JSON it returns (and checkpoints before any remote
// change), so that a retried `open` adopts the server it already took instead of taking a second.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "common/time.h"

namespace dcisim::billing {

using Json = nlohmann::json;

enum class SuspensionMode { port, power, both };
const char* suspension_mode_name(SuspensionMode mode);
common::Result<SuspensionMode> parse_suspension_mode(const std::string& text);

// Everything `open` needs, fixed when the operation is created.
struct OpenOrder {
  int64_t service_id = 0;
  std::string client_email;     // the DCImanager user is found or created by this e-mail
  std::string client_name;
  std::string user_password;    // for creating the DCImanager user (never logged)
  int64_t location_id = 0;      // DCImanager location id
  std::string configuration;    // e.g. "i9-9900K-64Gb-2x1024NVMe"
  std::string os_template;      // template name, e.g. "Debian 12"
  std::string script;           // software script name, "" for none
  int extra_ipv4 = 0;           // addon addresses beyond the main one(s)
  int extra_ipv6 = 0;
  std::string domain;           // unique per service; how a retried open recognises its server
  std::string root_password;    // for the OS install (stored by billing, never logged)
};

// The remote identity of a provisioned service.
struct RemoteAddress {
  int64_t id = 0;
  std::string address;  // "203.0.113.5" or "2001:db8:100::2"
  std::string family;   // "ipv4" | "ipv6"
};

struct OpenedServer {
  int64_t server_id = 0;
  int64_t remote_user_id = 0;
  std::string server_name;
  std::vector<RemoteAddress> addresses;
};

// What suspend/resume/close/sync act on.
struct RemoteService {
  int64_t service_id = 0;
  int64_t server_id = 0;
  SuspensionMode mode = SuspensionMode::port;
  // Who should hold the server: the client's e-mail and the service's domain. A server held by
  // anybody else (staff moved it, a mix-up) is never suspended, resumed or released for this
  // service. Empty: not checked.
  std::string client_email;
  std::string domain;
};

// Given to the module for each step.
class OperationContext {
 public:
  virtual ~OperationContext() = default;
  virtual common::Instant now() const = 0;
  // Persists `progress` durably (one committed transaction) BEFORE the module sends a request
  // that changes remote state. If it fails the module must not send the request.
  virtual common::Status checkpoint(const Json& progress) = 0;
};

enum class StepStatus {
  done,     // the operation finished; for open, `opened` is set
  waiting,  // remote work in progress; call again at `wake_at` with `progress`
  retry,    // failed in a way that may pass (network, 5xx): retry with backoff
  manual,   // cannot finish automatically (no free server, refused): open a manual task
};
const char* step_status_name(StepStatus status);

struct StepResult {
  StepStatus status = StepStatus::retry;
  Json progress = Json::object();  // saved by the runner after every step; an empty object
                                   // (or null) keeps the last checkpoint
  common::Instant wake_at;         // for `waiting`
  std::string message;             // for `retry` and `manual`: what happened, for people
  std::optional<OpenedServer> opened;
};

// The remote side as the module sees it, for the audit and reconciliation. Read-only.
struct RemoteServerView {
  int64_t server_id = 0;
  std::optional<int64_t> owner_user_id;
  std::string owner_email;      // "" when free
  std::string power;            // "ON" | "OFF" | "UNKNOWN"
  bool ports_up = true;         // every switch port admin_status up
  std::string state;            // "active", "suspended", ...
  std::string domain;
  std::string configuration;
  int64_t location_id = 0;
  std::vector<RemoteAddress> addresses;
};

// An IP pool's totals, when the module can read them (IPmanager): the audit checks
// free + assigned == size. Optional: a module that cannot read pools leaves the list empty.
struct RemotePoolView {
  int64_t pool_id = 0;
  std::string name;
  std::string family;  // "ipv4" | "ipv6"
  int64_t size = 0;
  int64_t assigned = 0;
  int64_t free = 0;
};

struct RemoteView {
  std::vector<RemoteServerView> servers;
  std::vector<RemotePoolView> pools;  // may be empty
};

// What a sync found and did for one service.
struct SyncAction {
  int64_t service_id = 0;
  int64_t server_id = 0;
  // "power_on", "power_off", "ports_up", "ports_down", "none", "missing" (no such server, or no
  // owner), "foreign" (held by somebody else: left alone), "error" (DCImanager could not be asked
  // or refused: the next run tries again; the others are reconciled meanwhile)
  std::string action;
  std::string detail;
};

struct SyncExpectation {
  RemoteService service;
  bool should_be_active = true;  // false: suspended
};

class ProvisioningModule {
 public:
  virtual ~ProvisioningModule() = default;
  virtual std::string name() const = 0;

  virtual StepResult open(const OpenOrder& order, const Json& progress, OperationContext& context) = 0;
  virtual StepResult suspend(const RemoteService& service, const Json& progress, OperationContext& context) = 0;
  virtual StepResult resume(const RemoteService& service, const Json& progress, OperationContext& context) = 0;
  // `service.server_id` 0: the service never recorded a server (staff canceled its open after a
  // server may have been taken): release whatever `client_email` holds under `domain`, if any.
  virtual StepResult close(const RemoteService& service, const Json& progress, OperationContext& context) = 0;
  // Whether an open whose saved progress is `open_progress` may have taken a server. Billing asks
  // when staff cancel an open task: if so a close runs before the service is deleted, so that no
  // server stays with a client who no longer pays for it. No remote call: the progress decides.
  virtual bool may_hold_server(const Json& open_progress) const = 0;

  // Brings the remote side in line with billing (power and ports per the suspension mode).
  virtual common::Result<std::vector<SyncAction>> sync(const std::vector<SyncExpectation>& expected) = 0;
  // Reads the remote side (every server, its owner, power, ports and addresses).
  virtual common::Result<RemoteView> remote_view() = 0;
};

}  // namespace dcisim::billing
