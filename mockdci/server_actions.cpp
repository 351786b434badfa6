#include "mockdci/server_actions.h"

#include <map>

#include "mockdci/ip_allocation.h"

namespace dcisim::mockdci {

using common::Error;
using common::Instant;
using common::Result;
using common::Status;

namespace {

std::string server_text(ServerId id) { return "server " + std::to_string(id.value()); }

// Every action finds its server here, which marks it touched (changed) for the JSON cache.
Result<Server*> find_server(Model& model, ServerId id) {
  Server* server = model.server(id);
  if (server == nullptr) return Error::not_found(server_text(id) + " not found");
  model.touch(id);
  return server;
}

Status require_owned(const Server& server) {
  if (!server.owner.valid()) return Error::conflict(server_text(server.id) + " has no owner (issue it to a user first)");
  return Status::success();
}

Status require_no_running_operation(const Model& model, const Server& server) {
  const Operation* last = model.operation(server.last_operation);
  if (last != nullptr && last->status == OperationStatus::running) {
    return Error::conflict(server_text(server.id) + " has a running " + operation_kind_name(last->kind) +
                           " operation (id " + std::to_string(last->id.value()) + ")");
  }
  return Status::success();
}

void set_ports(Model& model, const Server& server, bool up) { model.ports.at(server.port).admin_up = up; }

// The name operation faults use for a kind ("power" for both power operations).
const char* fault_operation_name(OperationKind kind) {
  switch (kind) {
    case OperationKind::power_on:
    case OperationKind::power_off: return "power";
    default: return operation_kind_name(kind);
  }
}

common::Duration duration_of(const Model& model, OperationKind kind) {
  switch (kind) {
    case OperationKind::os_install: return model.timings.os_install;
    case OperationKind::diagnostics: return model.timings.diagnostics;
    case OperationKind::suspend: return model.timings.suspend;
    case OperationKind::resume: return model.timings.resume;
    case OperationKind::power_on:
    case OperationKind::power_off: return model.timings.power;
    case OperationKind::release: return model.timings.release;
  }
  return common::Duration();
}

OperationId start_operation(Model& model, Server& server, OperationKind kind, Instant now) {
  Operation op;
  op.id = OperationId(++model.last_operation_id);
  op.server = server.id;
  op.kind = kind;
  op.started_at = now;
  op.ends_at = now + duration_of(model, kind);
  op.stuck = model.faults.rules.fire_operation(FaultKind::stuck, fault_operation_name(kind), model.faults.rng);
  if (kind == OperationKind::diagnostics) {
    op.fails = model.faults.rules.fire_operation(FaultKind::diagnostics_failure, "diagnostics", model.faults.rng);
  }
  server.last_operation = op.id;
  if (!op.stuck) model.running.emplace(op.ends_at, op.id);
  OperationId id = op.id;
  model.operations.emplace(id, std::move(op));
  return id;
}

void finish_operation(Model& model, Operation& op, OperationStatus status, Instant at);

// A timed suspend, resume, power or release: its effect lands when it ends (settle_operations).
bool timed(const Model& model, OperationKind kind) { return duration_of(model, kind) > common::Duration(); }

void finish_release(Model& model, Server& server, Instant at);

void finish_operation(Model& model, Operation& op, OperationStatus status, Instant at) {
  if (!op.stuck) model.running.erase({op.ends_at, op.id});
  op.status = status;
  op.finished_at = at;
}

}  // namespace

std::string unavailable_reason(const Model& model, const Server& server) {
  if (server.owner.valid()) return "it is issued to user " + std::to_string(server.owner.value());
  if (server.diagnostics_running) return "its diagnostics are running";
  if (server.maintenance) return "it is in maintenance";
  const Operation* last = model.operation(server.last_operation);
  if (last != nullptr && last->status != OperationStatus::ok && last->status != OperationStatus::canceled) {
    return std::string("its last operation is ") + operation_status_name(last->status);
  }
  return "";
}

std::vector<std::pair<std::string, int64_t>> free_server_counts(const Model& model) {
  std::map<std::string, int64_t> counts;
  for (const auto& [id, server] : model.servers) {
    int64_t& count = counts[server.configuration];
    if (unavailable_reason(model, server).empty()) ++count;
  }
  return {counts.begin(), counts.end()};
}

Status issue_server(Model& model, ServerId server_id, UserId owner, const std::string& domain) {
  Result<Server*> found = find_server(model, server_id);
  if (!found) return found.error();
  Server& server = **found;
  if (model.user(owner) == nullptr) return Error::invalid("owner: user " + std::to_string(owner.value()) + " not found");
  if (std::string why = unavailable_reason(model, server); !why.empty()) {
    return Error::conflict(server_text(server_id) + " cannot be issued: " + why);
  }
  Result<PoolId> pool = provisioning_pool(model, server);  // always a pool with IPv4
  if (!pool) return pool.error();
  Result<FreeAddress> v4 = find_free_address(model, *pool, IpFamily::v4);
  if (!v4) return v4.error();
  std::optional<FreeAddress> v6;
  if (pool_has_family(model, *pool, IpFamily::v6)) {
    Result<FreeAddress> free = find_free_address(model, *pool, IpFamily::v6);
    if (!free) return free.error();
    v6 = *free;
  }
  server.owner = owner;
  server.domain = domain;
  server.state = ServerState::active;
  set_ports(model, server, true);
  assign_address(model, *v4, server_id, domain);
  if (v6) assign_address(model, *v6, server_id, domain);
  return Status::success();
}

Result<OperationId> release_server(Model& model, ServerId server_id, Instant now) {
  Result<Server*> found = find_server(model, server_id);
  if (!found) return found.error();
  Server& server = **found;
  if (Status s = require_owned(server); !s) return s.error();
  if (server.state == ServerState::releasing) return server.last_operation;  // already under way
  Result<FreeAddress> diagnostics_address = find_free_address(model, model.deallocation_pool, IpFamily::v4);
  if (!diagnostics_address) return diagnostics_address.error();
  // An operation still running (an OS install, a timed suspend...) is cancelled: the server goes to
  // diagnostics instead.
  auto last = model.operations.find(server.last_operation);
  if (last != model.operations.end() && last->second.status == OperationStatus::running) {
    finish_operation(model, last->second, OperationStatus::canceled, now);
  }
  if (timed(model, OperationKind::release)) {
    server.state = ServerState::releasing;  // still owned until the release ends
    return start_operation(model, server, OperationKind::release, now);
  }
  finish_release(model, server, now);
  return server.last_operation;
}

namespace {

// The release itself: addresses back, owner gone, diagnostics on the clock.
void finish_release(Model& model, Server& server, Instant now) {
  ServerId server_id = server.id;
  Result<FreeAddress> diagnostics_address = find_free_address(model, model.deallocation_pool, IpFamily::v4);
  std::vector<IpId> held = server.ips;
  for (IpId ip : held) release_address(model, ip);
  server.owner = UserId();
  server.domain.clear();
  server.os_template = TemplateId();
  server.state = ServerState::active;
  server.power = Power::on;  // diagnostics boot the server
  set_ports(model, server, true);
  if (diagnostics_address) {  // checked when the release was accepted; the pool may have filled since
    IpId address = assign_address(model, *diagnostics_address, server_id, "");
    model.ips.at(address).note = "diagnostics";
  }
  server.diagnostics_running = true;
  start_operation(model, server, OperationKind::diagnostics, now);
}

}  // namespace

Result<IpId> add_server_ip(Model& model, ServerId server_id, IpFamily family) {
  Result<Server*> found = find_server(model, server_id);
  if (!found) return found.error();
  Server& server = **found;
  if (Status s = require_owned(server); !s) return s.error();
  Result<PoolId> pool = provisioning_pool(model, server);
  if (!pool) return pool.error();
  Result<FreeAddress> free = find_free_address(model, *pool, family);
  if (!free) return free.error();
  return assign_address(model, *free, server_id, server.domain);
}

Status remove_server_ip(Model& model, ServerId server_id, IpId ip) {
  Result<Server*> found = find_server(model, server_id);
  if (!found) return found.error();
  const IpRecord* record = model.ip(ip);
  if (record == nullptr || record->server != server_id) {
    return Error::not_found("address " + std::to_string(ip.value()) + " is not assigned to " + server_text(server_id));
  }
  release_address(model, ip);
  return Status::success();
}

Status power_server(Model& model, ServerId server_id, PowerAction action, Instant now) {
  Result<Server*> found = find_server(model, server_id);
  if (!found) return found.error();
  Server& server = **found;
  if (Status s = require_no_running_operation(model, server); !s) return s;
  const char* now_text = power_name(server.power);
  if (action == PowerAction::on && server.power == Power::on) {
    return Error::conflict(server_text(server_id) + " is ON: power_on is allowed only when the power is OFF or UNKNOWN");
  }
  if (action == PowerAction::off && server.power != Power::on) {
    return Error::conflict(server_text(server_id) + " is " + now_text + ": power_off is allowed only when the power is ON");
  }
  OperationKind kind = action == PowerAction::off ? OperationKind::power_off : OperationKind::power_on;
  if (timed(model, kind)) {
    start_operation(model, server, kind, now);  // the power changes when it ends
    return Status::success();
  }
  server.power = action == PowerAction::off ? Power::off : Power::on;
  return Status::success();
}

Result<OperationId> install_os(Model& model, ServerId server_id, const InstallRequest& request, Instant now) {
  Result<Server*> found = find_server(model, server_id);
  if (!found) return found.error();
  Server& server = **found;
  if (Status s = require_owned(server); !s) return s.error();
  if (Status s = require_no_running_operation(model, server); !s) return s.error();
  if (!model.os_templates.count(request.os_template)) {
    return Error::invalid("os_template: no OS template with id " + std::to_string(request.os_template.value()));
  }
  if (request.script.valid()) {
    auto script = model.scripts.find(request.script);
    if (script == model.scripts.end()) {
      return Error::invalid("script: no script with id " + std::to_string(request.script.value()));
    }
    if (script->second.access != "all" && !request.caller_is_admin) {
      return Error{common::ErrorKind::forbidden, "script: \"" + script->second.name + "\" is for administrators only"};
    }
  }
  OperationId id = start_operation(model, server, OperationKind::os_install, now);
  Operation& op = model.operations.at(id);
  op.os_template = request.os_template;
  op.script = request.script;
  if (model.faults.os_install_failures_remaining > 0) {
    --model.faults.os_install_failures_remaining;
    op.fails = true;
  } else {
    op.fails = model.faults.rules.fire_operation(FaultKind::os_install_failure, "os_install", model.faults.rng);
  }
  server.os_template = request.os_template;
  if (!request.domain.empty()) server.domain = request.domain;
  return id;
}

namespace {

// Suspend (down) or resume (up): immediate, or an operation with a transitional state. A repeated
// call changes nothing more; a call against the running opposite transition is refused.
Status switch_server(Model& model, ServerId server_id, bool up, Instant now) {
  Result<Server*> found = find_server(model, server_id);
  if (!found) return found.error();
  Server& server = **found;
  if (Status s = require_owned(server); !s) return s;
  ServerState target = up ? ServerState::active : ServerState::suspended;
  ServerState moving = up ? ServerState::resuming : ServerState::suspending;
  if (server.state == target || server.state == moving) return Status::success();
  if (server.state == ServerState::releasing || server.state == ServerState::suspending ||
      server.state == ServerState::resuming) {
    return Error::conflict(server_text(server_id) + " is " + server_state_name(server.state) + ": try again when it ends");
  }
  OperationKind kind = up ? OperationKind::resume : OperationKind::suspend;
  if (timed(model, kind)) {
    if (Status s = require_no_running_operation(model, server); !s) return s;
    server.state = moving;
    start_operation(model, server, kind, now);
    return Status::success();
  }
  server.state = target;
  set_ports(model, server, up);
  return Status::success();
}

}  // namespace

Status suspend_server(Model& model, ServerId server_id, Instant now) { return switch_server(model, server_id, false, now); }

Status resume_server(Model& model, ServerId server_id, Instant now) { return switch_server(model, server_id, true, now); }

Status set_port_admin(Model& model, PortId port, bool up) {
  auto it = model.ports.find(port);
  if (it == model.ports.end()) return Error::not_found("port " + std::to_string(port.value()) + " not found");
  it->second.admin_up = up;
  model.touch(it->second.server);
  return Status::success();
}

Status set_power_state(Model& model, ServerId server_id, const std::string& power) {
  Result<Server*> found = find_server(model, server_id);
  if (!found) return found.error();
  for (Power candidate : {Power::on, Power::off, Power::unknown}) {
    if (power == power_name(candidate)) {
      (*found)->power = candidate;
      return Status::success();
    }
  }
  return Error::invalid("power: expected \"ON\", \"OFF\" or \"UNKNOWN\", got \"" + power + "\"");
}

Status set_maintenance(Model& model, ServerId server_id, bool on) {
  Result<Server*> found = find_server(model, server_id);
  if (!found) return found.error();
  (*found)->maintenance = on;
  return Status::success();
}

bool settle_operations(Model& model, Instant now) {
  bool changed = false;
  while (!model.running.empty() && model.running.begin()->first <= now) {
    changed = true;
    auto [ends_at, id] = *model.running.begin();
    Operation& op = model.operations.at(id);
    Server& server = model.servers.at(op.server);
    model.touch(op.server);
    finish_operation(model, op, op.fails ? OperationStatus::failed : OperationStatus::ok, ends_at);
    switch (op.kind) {
      case OperationKind::os_install:
        if (!op.fails) server.power = Power::on;
        break;
      case OperationKind::diagnostics: {
        std::vector<IpId> held = server.ips;
        for (IpId ip : held) {
          if (model.ips.at(ip).pool == model.deallocation_pool) release_address(model, ip);
        }
        server.diagnostics_running = false;  // failed: not for sale ("its last operation is failed")
        break;
      }
      case OperationKind::suspend:
      case OperationKind::resume: {
        bool up = op.kind == OperationKind::resume;
        server.state = up ? ServerState::active : ServerState::suspended;
        set_ports(model, server, up);
        break;
      }
      case OperationKind::power_on: server.power = Power::on; break;
      case OperationKind::power_off: server.power = Power::off; break;
      case OperationKind::release: finish_release(model, server, ends_at); break;
    }
  }
  return changed;
}

std::optional<Instant> next_operation_end(const Model& model) {
  if (model.running.empty()) return std::nullopt;
  return model.running.begin()->first;
}

}  // namespace dcisim::mockdci
