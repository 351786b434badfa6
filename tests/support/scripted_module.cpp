#include "tests/support/scripted_module.h"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

namespace dcisim::testing {

using billing::StepResult;
using billing::StepStatus;

namespace {

StepResult result(StepStatus status, const std::string& message, Json progress = Json()) {
  StepResult r;
  r.status = status;
  r.message = message;
  r.progress = std::move(progress);
  return r;
}

bool ports_mode(billing::SuspensionMode mode) { return mode != billing::SuspensionMode::power; }
bool power_mode(billing::SuspensionMode mode) { return mode != billing::SuspensionMode::port; }

}  // namespace

ScriptedModule::ScriptedModule(int ipv4_pool_size, int ipv6_pool_size)
    : ipv4_used_(static_cast<size_t>(ipv4_pool_size), false),
      ipv6_used_(static_cast<size_t>(ipv6_pool_size), false) {}

void ScriptedModule::add_server(int64_t id, const std::string& configuration, int64_t location_id) {
  ScriptedServer server;
  server.id = id;
  server.configuration = configuration;
  server.location_id = location_id;
  servers_[id] = server;
}

void ScriptedModule::fail_next(int steps, const std::string& message) {
  fail_steps_ = steps;
  fail_message_ = message;
}
void ScriptedModule::lose_next_response() { lose_response_ = true; }
void ScriptedModule::refuse_next(const std::string& message) { refuse_message_ = message; }
void ScriptedModule::throw_next() { throw_ = true; }

void ScriptedModule::drift(int64_t server_id, bool ports_up, const std::string& power) {
  ScriptedServer& server = servers_.at(server_id);
  server.ports_up = ports_up;
  server.power = power;
}

void ScriptedModule::assign(int64_t server_id, const std::string& owner_email,
                            const std::string& domain) {
  ScriptedServer& server = servers_.at(server_id);
  server.owner_email = owner_email;
  server.owner_user_id = 999;
  server.domain = domain;
}

int ScriptedModule::owned_servers() const {
  int owned = 0;
  for (const auto& [id, server] : servers_) owned += !server.owner_email.empty();
  return owned;
}

const ScriptedServer* ScriptedModule::server(int64_t id) const {
  auto found = servers_.find(id);
  return found == servers_.end() ? nullptr : &found->second;
}

const ScriptedServer* ScriptedModule::server_of_domain(const std::string& domain) const {
  for (const auto& [id, server] : servers_) {
    if (!server.owner_email.empty() && server.domain == domain) return &server;
  }
  return nullptr;
}

int ScriptedModule::free_ipv4() const {
  int free = 0;
  for (bool used : ipv4_used_) free += !used;
  return free;
}

std::optional<StepResult> ScriptedModule::scripted_outcome(const std::string& call) {
  calls_.push_back(call);
  if (throw_) {
    throw_ = false;
    throw std::runtime_error("scripted exception");
  }
  if (fail_steps_ > 0) {
    --fail_steps_;
    return result(StepStatus::retry, fail_message_);
  }
  if (refuse_message_) {
    std::string message = *refuse_message_;
    refuse_message_.reset();
    return result(StepStatus::manual, message);
  }
  return std::nullopt;
}

std::optional<billing::RemoteAddress> ScriptedModule::allocate(const std::string& family) {
  std::vector<bool>& used = family == "ipv4" ? ipv4_used_ : ipv6_used_;
  for (size_t i = 0; i < used.size(); ++i) {
    if (used[i]) continue;
    used[i] = true;
    char text[64];
    if (family == "ipv4") {
      std::snprintf(text, sizeof text, "192.0.2.%zu", i + 1);
    } else {
      std::snprintf(text, sizeof text, "2001:db8::%zx", i + 1);
    }
    int64_t id = static_cast<int64_t>(i + 1) + (family == "ipv4" ? 0 : 10'000);
    return billing::RemoteAddress{id, text, family};
  }
  return std::nullopt;
}

void ScriptedModule::release(ScriptedServer& server) {
  for (const billing::RemoteAddress& a : server.addresses) {
    std::vector<bool>& used = a.family == "ipv4" ? ipv4_used_ : ipv6_used_;
    used[static_cast<size_t>(a.id - (a.family == "ipv4" ? 1 : 10'001))] = false;
  }
  server.addresses.clear();
  server.owner_email.clear();
  server.owner_user_id = 0;
  server.domain.clear();
  server.ports_up = true;
  server.power = "ON";
}

common::Status ScriptedModule::take_server(const billing::OpenOrder& order, ScriptedServer& server,
                                           common::Instant now) {
  std::vector<billing::RemoteAddress> addresses;
  auto want = [&](const std::string& family, int count) {
    for (int i = 0; i < count; ++i) {
      std::optional<billing::RemoteAddress> a = allocate(family);
      if (!a) return false;
      addresses.push_back(*a);
    }
    return true;
  };
  if (!want("ipv4", 1 + order.extra_ipv4) || !want("ipv6", order.extra_ipv6)) {
    server.addresses = addresses;
    release(server);
    return common::Error::conflict("address pool exhausted");
  }
  auto [user, fresh] = users_.emplace(order.client_email, static_cast<int64_t>(users_.size() + 1));
  server.owner_email = order.client_email;
  server.owner_user_id = user->second;
  server.domain = order.domain;
  server.addresses = addresses;
  server.installed_at = now + install_time;
  ++servers_taken_;
  return common::Status::success();
}

StepResult ScriptedModule::finish_open(const billing::OpenOrder& order, ScriptedServer& server,
                                       billing::OperationContext& context) {
  Json progress{{"stage", "installing"}, {"server_id", server.id}};
  if (context.now() < server.installed_at) {
    StepResult waiting = result(StepStatus::waiting, "installing " + order.os_template, progress);
    waiting.wake_at = server.installed_at;
    return waiting;
  }
  StepResult done = result(StepStatus::done, "installed " + order.os_template, progress);
  done.opened = billing::OpenedServer{server.id, server.owner_user_id,
                                      "server-" + std::to_string(server.id), server.addresses};
  return done;
}

StepResult ScriptedModule::open(const billing::OpenOrder& order, const Json& progress,
                                billing::OperationContext& context) {
  if (auto outcome = scripted_outcome("open " + std::to_string(order.service_id))) return *outcome;
  // Adopt what this service already took (a lost response, a restart): never a second server.
  for (auto& [id, server] : servers_) {
    if (!server.owner_email.empty() && server.domain == order.domain) {
      return finish_open(order, server, context);
    }
  }
  if (progress.value("stage", "") == "installing") {
    return result(StepStatus::manual, "server " + std::to_string(progress.value("server_id", 0)) +
                                          " of this order is gone");
  }
  ScriptedServer* free = nullptr;
  for (auto& [id, server] : servers_) {
    if (server.owner_email.empty() && server.configuration == order.configuration &&
        server.location_id == order.location_id) {
      free = &server;
      break;
    }
  }
  if (free == nullptr) {
    return result(StepStatus::manual, "no free server of configuration " + order.configuration +
                                          " in location " + std::to_string(order.location_id));
  }
  common::Status saved = context.checkpoint(Json{{"stage", "issuing"}, {"server_id", free->id}});
  if (!saved.ok()) return result(StepStatus::retry, "checkpoint failed: " + saved.error().message);
  common::Status taken = take_server(order, *free, context.now());
  if (!taken.ok()) return result(StepStatus::manual, taken.error().message);
  if (lose_response_) {
    lose_response_ = false;
    return result(StepStatus::retry, "connection reset after sending (response lost)");
  }
  return finish_open(order, *free, context);
}

StepResult ScriptedModule::set_state(const billing::RemoteService& service, bool active,
                                     billing::OperationContext& context, const char* call) {
  auto found = servers_.find(service.server_id);
  if (found == servers_.end()) {
    return result(StepStatus::manual, "server " + std::to_string(service.server_id) + " does not exist");
  }
  ScriptedServer& server = found->second;
  if (ports_mode(service.mode)) server.ports_up = active;
  if (power_mode(service.mode)) server.power = active ? "ON" : "OFF";
  if (lose_response_) {
    lose_response_ = false;
    return result(StepStatus::retry, std::string(call) + ": connection reset after sending");
  }
  return result(StepStatus::done, std::string(call) + " server " + std::to_string(server.id));
}

StepResult ScriptedModule::suspend(const billing::RemoteService& service, const Json&,
                                   billing::OperationContext& context) {
  if (auto outcome = scripted_outcome("suspend " + std::to_string(service.service_id))) return *outcome;
  return set_state(service, false, context, "suspend");
}

StepResult ScriptedModule::resume(const billing::RemoteService& service, const Json&,
                                  billing::OperationContext& context) {
  if (auto outcome = scripted_outcome("resume " + std::to_string(service.service_id))) return *outcome;
  return set_state(service, true, context, "resume");
}

StepResult ScriptedModule::close(const billing::RemoteService& service, const Json&,
                                 billing::OperationContext& context) {
  if (auto outcome = scripted_outcome("close " + std::to_string(service.service_id))) return *outcome;
  auto found = servers_.find(service.server_id);
  if (service.server_id == 0) {  // a canceled open: whatever the holder has under the domain
    found = std::find_if(servers_.begin(), servers_.end(), [&](const auto& entry) {
      return !service.domain.empty() && entry.second.domain == service.domain &&
             entry.second.owner_email == service.client_email;
    });
  }
  if (found != servers_.end() && !found->second.owner_email.empty()) release(found->second);
  if (lose_response_) {
    lose_response_ = false;
    return result(StepStatus::retry, "close: connection reset after sending");
  }
  return result(StepStatus::done, "released server " + std::to_string(service.server_id));
}

common::Result<std::vector<billing::SyncAction>> ScriptedModule::sync(
    const std::vector<billing::SyncExpectation>& expected) {
  calls_.push_back("sync " + std::to_string(expected.size()));
  if (fail_sync_) {
    fail_sync_ = false;
    return common::Error{common::ErrorKind::unavailable, "sync: 503 Service Unavailable"};
  }
  std::vector<billing::SyncAction> actions;
  for (const billing::SyncExpectation& e : expected) {
    billing::SyncAction action{e.service.service_id, e.service.server_id, "none", ""};
    auto found = servers_.find(e.service.server_id);
    if (found == servers_.end()) {
      action.action = "missing";
      actions.push_back(action);
      continue;
    }
    ScriptedServer& server = found->second;
    bool want_ports_up = e.should_be_active || !ports_mode(e.service.mode);
    if (server.ports_up != want_ports_up) {
      server.ports_up = want_ports_up;
      action.action = want_ports_up ? "ports_up" : "ports_down";
    }
    if (power_mode(e.service.mode)) {
      std::string want_power = e.should_be_active ? "ON" : "OFF";
      if (server.power != want_power) {
        server.power = want_power;
        action.action = e.should_be_active ? "power_on" : "power_off";
      }
    }
    actions.push_back(action);
  }
  return actions;
}

common::Result<billing::RemoteView> ScriptedModule::remote_view() {
  billing::RemoteView view;
  for (const auto& [id, server] : servers_) {
    billing::RemoteServerView v;
    v.server_id = id;
    if (!server.owner_email.empty()) v.owner_user_id = server.owner_user_id;
    v.owner_email = server.owner_email;
    v.power = server.power;
    v.ports_up = server.ports_up;
    v.state = server.owner_email.empty() ? "free" : "active";
    v.domain = server.domain;
    v.configuration = server.configuration;
    v.location_id = server.location_id;
    v.addresses = server.addresses;
    view.servers.push_back(v);
  }
  auto pool = [&](int64_t id, const char* family, const std::vector<bool>& used) {
    int64_t assigned = 0;
    for (bool u : used) assigned += u;
    int64_t size = static_cast<int64_t>(used.size());
    view.pools.push_back({id, std::string(family) + "-pool", family, size, assigned, size - assigned});
  };
  pool(1, "ipv4", ipv4_used_);
  pool(2, "ipv6", ipv6_used_);
  return view;
}

}  // namespace dcisim::testing
