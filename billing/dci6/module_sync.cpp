// Dci6Module::sync and Dci6Module::remote_view: reading the remote side and reconciling it.
#include "billing/dci6/module.h"
#include "billing/dci6/server_actions.h"

namespace dcisim::billing::dci6 {

namespace {

common::Status no_checkpoint(const std::string&) { return common::Status::success(); }

SyncAction action_of(const RemoteService& service, std::string action, std::string detail) {
  return SyncAction{service.service_id, service.server_id, std::move(action), std::move(detail)};
}

}  // namespace

common::Result<std::vector<SyncAction>> Dci6Module::sync(const std::vector<SyncExpectation>& expected) {
  std::vector<SyncAction> actions;
  for (const SyncExpectation& expectation : expected) {
    common::Result<std::vector<SyncAction>> one = sync_one(expectation);
    if (!one) {
      // One server DCImanager cannot answer for does not keep the others from being reconciled;
      // the next run tries it again (sync is idempotent).
      actions.push_back({expectation.service.service_id, expectation.service.server_id, "error", one.error().message});
      continue;
    }
    actions.insert(actions.end(), one->begin(), one->end());
  }
  return actions;
}

// An active service: ports up (port, both), power on when OFF (every mode: BILLmanager powers on
// an Active service's server). A suspended one: ports down (port, both), power off when ON (power,
// both). API.md §7, last paragraph.
common::Result<std::vector<SyncAction>> Dci6Module::sync_one(const SyncExpectation& expectation) {
  const RemoteService& service = expectation.service;
  std::string label = "server " + std::to_string(service.server_id);
  ServerActions remote(client_, no_checkpoint);
  ApiResult<ServerFacts> server = remote.load(service.server_id);
  if (!server && server.error().kind == common::ErrorKind::not_found) {
    return std::vector<SyncAction>{action_of(service, "missing", label + " does not exist")};
  }
  if (!server) return server.error().to_error();
  if (!server->owner.has_value() && server->owner_email.empty()) {
    return std::vector<SyncAction>{action_of(service, "missing", label + " has no owner")};
  }
  if (std::string foreign = holder_mismatch(*server, service.client_email, service.domain); !foreign.empty()) {
    return std::vector<SyncAction>{action_of(service, "foreign", foreign + ": left alone")};
  }
  std::vector<SyncAction> actions;
  bool active = expectation.should_be_active;
  if (service.mode != SuspensionMode::power) {
    ApiResult<ChangeOutcome> ports = remote.set_ports(*server, active);
    if (!ports) return ports.error().to_error();
    if (ports->changed) actions.push_back(action_of(service, active ? "ports_up" : "ports_down", ports->detail));
    if (!ports->changed && ports->transitional) actions.push_back(action_of(service, "none", ports->detail));
  }
  bool power_wrong = active ? server->power == "OFF" : server->power == "ON";
  if (power_wrong && (active || service.mode != SuspensionMode::port)) {
    ApiResult<ChangeOutcome> power = remote.set_power(*server, active, false);
    if (!power) return power.error().to_error();
    if (power->changed) actions.push_back(action_of(service, active ? "power_on" : "power_off", power->detail));
  }
  if (actions.empty()) actions.push_back(action_of(service, "none", label + " is as expected"));
  return actions;
}

common::Result<RemoteView> Dci6Module::remote_view() {
  ListQuery by_id;
  by_id.orderby = "id asc";
  ApiResult<std::vector<Json>> rows = client_.list_all(RouteId::server_list, {}, by_id);
  if (!rows) return rows.error().to_error();
  ServerActions remote(client_, no_checkpoint);
  RemoteView view;
  for (const Json& row : *rows) {
    ServerFacts server = read_server(row);
    if (!server.complete || needs_port_lookup(server)) {
      ApiResult<ServerFacts> full = remote.load(server.id);  // list rows may be abbreviated
      if (!full) return full.error().to_error();
      server = std::move(full).value();
    }
    RemoteServerView out;
    out.server_id = server.id;
    out.owner_user_id = server.owner;
    out.owner_email = server.owner_email;
    out.power = server.power;
    out.ports_up = data_ports_up(server);
    out.state = server.state;
    out.domain = server.domain;
    out.configuration = server.configuration;
    out.location_id = server.location_id;
    out.addresses = server.addresses;
    view.servers.push_back(std::move(out));
  }
  return view;
}

}  // namespace dcisim::billing::dci6
