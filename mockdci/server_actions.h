// What can be done to a server (API.md §4 and §7): issue it to a user (allocating its addresses),
// release it (diagnostics, then free), power, OS install, suspend and resume (switch ports),
// extra addresses. Every action checks all of its preconditions before it changes anything, so a
// refused action leaves the model as it was. Errors: `not_found` for an unknown id in the path,
// `invalid_argument` for a bad value in the body, `conflict` when the server's state forbids it,
// `forbidden` when the caller may not.
//
// Operations are settled lazily: `settle_operations(model, now)` finishes every operation whose end
// is at or before `now`, in end order; the Emulator calls it before every request and read.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"
#include "mockdci/model.h"

namespace dcisim::mockdci {

// "" when the server can be sold (API.md §4: no owner, diagnostics done, last operation ok or
// canceled, not in maintenance); otherwise why not, for error messages.
std::string unavailable_reason(const Model& model, const Server& server);

// Every configuration with its number of servers available for sale, by configuration name.
std::vector<std::pair<std::string, int64_t>> free_server_counts(const Model& model);

common::Status issue_server(Model& model, ServerId server, UserId owner, const std::string& domain);
common::Result<OperationId> release_server(Model& model, ServerId server, common::Instant now);

common::Result<IpId> add_server_ip(Model& model, ServerId server, IpFamily family);
common::Status remove_server_ip(Model& model, ServerId server, IpId ip);

enum class PowerAction { on, off, reset };
common::Status power_server(Model& model, ServerId server, PowerAction action, common::Instant now);

struct InstallRequest {
  TemplateId os_template;
  ScriptId script;  // invalid: no script
  std::string domain;  // "" keeps the server's domain
  bool caller_is_admin = false;  // scripts with access "admin" are refused to @user callers
};
common::Result<OperationId> install_os(Model& model, ServerId server, const InstallRequest& request,
                                       common::Instant now);

common::Status suspend_server(Model& model, ServerId server, common::Instant now);
common::Status resume_server(Model& model, ServerId server, common::Instant now);
common::Status set_port_admin(Model& model, PortId port, bool up);

// Out-of-band operator actions (the panel, not the API): no preconditions.
common::Status set_power_state(Model& model, ServerId server, const std::string& power);  // "ON" | "OFF" | "UNKNOWN"
common::Status set_maintenance(Model& model, ServerId server, bool on);

// Returns true when an operation finished (the model changed).
bool settle_operations(Model& model, common::Instant now);
std::optional<common::Instant> next_operation_end(const Model& model);

}  // namespace dcisim::mockdci
