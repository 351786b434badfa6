// Emulator's typed reads and out-of-band operator actions (the C++ face of what the control API
// offers over HTTP).
#include "mockdci/accounts.h"
#include "mockdci/emulator.h"
#include "mockdci/emulator_core.h"
#include "mockdci/panel_actions.h"
#include "mockdci/server_actions.h"

namespace dcisim::mockdci {

namespace {

ServerView view_of(const Model& model, const Server& server) {
  ServerView view;
  view.id = server.id.value();
  view.name = server.name;
  view.configuration = server.configuration;
  view.location_id = server.location.value();
  view.rack_id = server.rack.value();
  if (const User* owner = model.user(server.owner)) {
    view.owner_id = owner->id.value();
    view.owner_email = owner->email;
  }
  view.domain = server.domain;
  view.power = power_name(server.power);
  view.state = server_state_name(server.state);
  view.ports_up = model.ports.at(server.port).admin_up;
  view.maintenance = server.maintenance;
  view.in_diagnostics = server.diagnostics_running;
  view.available = unavailable_reason(model, server).empty();
  if (const Operation* op = model.operation(server.last_operation)) view.operation_status = operation_status_name(op->status);
  if (auto it = model.os_templates.find(server.os_template); it != model.os_templates.end()) view.os_template = it->second.name;
  for (IpId id : server.ips) {
    const IpRecord& ip = model.ips.at(id);
    view.addresses.push_back({id.value(), format_ip(ip.address), family_name(ip.address.family), model.pools.at(ip.pool).name});
  }
  return view;
}

}  // namespace

std::optional<ServerView> Emulator::server(int64_t id) const {
  std::lock_guard lock(core_->mutex);
  core_->settle_locked(core_->options.clock->now());
  const Server* server = core_->model.server(ServerId(id));
  if (server == nullptr) return std::nullopt;
  return view_of(core_->model, *server);
}

std::vector<ServerView> Emulator::servers() const {
  std::lock_guard lock(core_->mutex);
  core_->settle_locked(core_->options.clock->now());
  std::vector<ServerView> views;
  for (const auto& [id, server] : core_->model.servers) views.push_back(view_of(core_->model, server));
  return views;
}

std::map<std::string, int64_t> Emulator::free_counts() const {
  std::lock_guard lock(core_->mutex);
  core_->settle_locked(core_->options.clock->now());
  std::vector<std::pair<std::string, int64_t>> counts = free_server_counts(core_->model);
  return {counts.begin(), counts.end()};
}

std::vector<PoolUsage> Emulator::pools() const {
  std::lock_guard lock(core_->mutex);
  core_->settle_locked(core_->options.clock->now());
  const Model& model = core_->model;
  std::vector<PoolUsage> out;
  for (const auto& [id, pool] : model.pools) {
    PoolUsage usage{id.value(), pool.name, 0, 0, "0", "0"};
    U128 total_v4 = 0, total_v6 = 0;
    for (NetId net_id : pool.nets) {
      const IpNet& net = model.nets.at(net_id);
      bool v4 = net.cidr.base.family == IpFamily::v4;
      (v4 ? usage.used_ipv4 : usage.used_ipv6) += net.used_count();
      (v4 ? total_v4 : total_v6) += net.usable_count();
    }
    usage.total_ipv4 = u128_to_string(total_v4);
    usage.total_ipv6 = u128_to_string(total_v6);
    out.push_back(std::move(usage));
  }
  return out;
}

std::optional<int64_t> Emulator::user_id(const std::string& email) const {
  std::lock_guard lock(core_->mutex);
  auto it = core_->model.user_by_email.find(email);
  if (it == core_->model.user_by_email.end()) return std::nullopt;
  return it->second.value();
}

common::Status Emulator::set_power(int64_t server_id, const std::string& power) {
  std::lock_guard lock(core_->mutex);
  return set_power_state(core_->model, ServerId(server_id), power);
}

common::Status Emulator::set_maintenance(int64_t server_id, bool on) {
  std::lock_guard lock(core_->mutex);
  return mockdci::set_maintenance(core_->model, ServerId(server_id), on);
}

common::Status Emulator::set_ports(int64_t server_id, bool up) {
  std::lock_guard lock(core_->mutex);
  auto server = core_->model.servers.find(ServerId(server_id));
  if (server == core_->model.servers.end()) {
    return common::Error::not_found("server " + std::to_string(server_id) + " not found");
  }
  return set_port_admin(core_->model, server->second.port, up);
}

common::Status Emulator::release_server(int64_t server_id) {
  std::lock_guard lock(core_->mutex);
  common::Instant now = core_->options.clock->now();
  core_->settle_locked(now);
  common::Result<OperationId> diagnostics = mockdci::release_server(core_->model, ServerId(server_id), now);
  if (!diagnostics) return diagnostics.error();
  return common::Status::success();
}

void Emulator::fail_requests(int64_t count, const std::string& path_prefix) {
  std::lock_guard lock(core_->mutex);
  core_->model.faults.unavailable_remaining = std::max<int64_t>(count, 0);
  core_->model.faults.unavailable_path_prefix = path_prefix;
}

void Emulator::fail_os_installs(int64_t count) {
  std::lock_guard lock(core_->mutex);
  core_->model.faults.os_install_failures_remaining = std::max<int64_t>(count, 0);
}

void Emulator::expire_tokens() {
  std::lock_guard lock(core_->mutex);
  expire_all_tokens(core_->model);
}

common::Status Emulator::give_server(int64_t server_id, const std::string& owner_email) {
  std::lock_guard lock(core_->mutex);
  return mockdci::give_server(core_->model, ServerId(server_id), owner_email);
}

common::Status Emulator::set_domain(int64_t server_id, const std::string& domain) {
  std::lock_guard lock(core_->mutex);
  return set_server_domain(core_->model, ServerId(server_id), domain);
}

common::Status Emulator::shrink_pool(const std::string& pool, int64_t free_left) {
  std::lock_guard lock(core_->mutex);
  return mockdci::shrink_pool(core_->model, pool, free_left);
}

common::Result<int64_t> Emulator::add_fault(const FaultRule& rule) {
  std::lock_guard lock(core_->mutex);
  return core_->model.faults.rules.add(rule);
}

void Emulator::clear_faults() {
  std::lock_guard lock(core_->mutex);
  core_->model.faults.rules.rules.clear();
  core_->model.faults.unavailable_remaining = 0;
  core_->model.faults.os_install_failures_remaining = 0;
}

std::vector<FaultRule> Emulator::faults() const {
  std::lock_guard lock(core_->mutex);
  return core_->model.faults.rules.rules;
}

void Emulator::set_timings(const Timings& timings) {
  std::lock_guard lock(core_->mutex);
  core_->model.timings = timings;
}

Timings Emulator::timings() const {
  std::lock_guard lock(core_->mutex);
  return core_->model.timings;
}

}  // namespace dcisim::mockdci
