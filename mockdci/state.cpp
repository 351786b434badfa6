// The control API's whole-model snapshot. Deterministic: every collection is an ordered map.
#include "mockdci/views.h"

namespace dcisim::mockdci {

namespace {

Json optional_instant(std::optional<common::Instant> t) {
  return t ? Json(common::format_instant(*t)) : Json(nullptr);
}

void accounts_json(const Model& model, Json& state) {
  std::map<UserId, int64_t> counts = server_counts(model);
  Json users = Json::array();
  for (const auto& [id, user] : model.users) users.push_back(user_json(user, counts[id]));
  state["users"] = std::move(users);
  Json tokens = Json::array();
  for (const auto& [id, token] : model.tokens) {
    tokens.push_back({{"id", id.value()},
                      {"user", token.user.value()},
                      {"long_lived", token.long_lived},
                      {"description", token.description},
                      {"expires_at", optional_instant(token.expires_at)}});
  }
  state["tokens"] = std::move(tokens);
}

Json operations_json(const Model& model) {
  Json list = Json::array();
  for (const auto& [id, op] : model.operations) {
    bool done = op.status != OperationStatus::running;
    list.push_back({{"id", id.value()},
                    {"server", op.server.value()},
                    {"type", operation_kind_name(op.kind)},
                    {"status", operation_status_name(op.status)},
                    {"started_at", common::format_instant(op.started_at)},
                    {"ends_at", common::format_instant(op.ends_at)},
                    {"finished_at", done ? Json(common::format_instant(op.finished_at)) : Json(nullptr)}});
  }
  return list;
}

void hardware_json(const Model& model, Json& state, const std::vector<Json>* server_rows) {
  Json locations = Json::array();
  for (const auto& [id, location] : model.locations) locations.push_back(location_json(location));
  Json racks = Json::array();
  for (const auto& [id, rack] : model.racks) racks.push_back(rack_json(rack));
  Json switches = Json::array();
  for (const auto& [id, sw] : model.switches) switches.push_back(switch_json(sw));
  Json ports = Json::array();
  for (const auto& [id, port] : model.ports) ports.push_back(port_json(model, port));
  Json servers = Json::array();
  if (server_rows != nullptr) {
    servers = *server_rows;
  } else {
    for (const auto& [id, server] : model.servers) servers.push_back(server_json(model, server));
  }
  state["locations"] = std::move(locations);
  state["racks"] = std::move(racks);
  state["switches"] = std::move(switches);
  state["ports"] = std::move(ports);
  state["servers"] = std::move(servers);
}

}  // namespace

Json state_json(const Model& model, common::Instant now, const std::vector<Json>* server_rows) {
  Json state = {{"now", common::format_instant(now)},
                {"timings",
                 {{"os_install", common::format_duration(model.timings.os_install)},
                  {"diagnostics", common::format_duration(model.timings.diagnostics)},
                  {"suspend", common::format_duration(model.timings.suspend)},
                  {"resume", common::format_duration(model.timings.resume)},
                  {"power", common::format_duration(model.timings.power)},
                  {"release", common::format_duration(model.timings.release)}}},
                {"deallocation_pool", model.deallocation_pool.value()}};
  accounts_json(model, state);
  Json templates = Json::array();
  for (const auto& [id, t] : model.os_templates) templates.push_back(os_template_json(t));
  Json scripts = Json::array();
  for (const auto& [id, s] : model.scripts) scripts.push_back(script_json(s));
  state["os_templates"] = std::move(templates);
  state["scripts"] = std::move(scripts);
  Json pools = Json::array();
  for (const auto& [id, pool] : model.pools) pools.push_back(pool_json(model, pool));
  Json nets = Json::array();
  for (const auto& [id, net] : model.nets) nets.push_back(net_json(net));
  Json ips = Json::array();
  for (const auto& [id, ip] : model.ips) {
    Json row = ip_json(model, ip);
    row["server"] = ip.server.valid() ? Json(ip.server.value()) : Json(nullptr);
    ips.push_back(row);
  }
  state["ip_pools"] = std::move(pools);
  state["ipnets"] = std::move(nets);
  state["ips"] = std::move(ips);
  hardware_json(model, state, server_rows);
  state["operations"] = operations_json(model);
  state["configurations"] = configuration_list_json(model)["list"];
  state["faults"] = {{"unavailable_remaining", model.faults.unavailable_remaining},
                     {"unavailable_path_prefix", model.faults.unavailable_path_prefix},
                     {"os_install_failures_remaining", model.faults.os_install_failures_remaining},
                     {"rules", model.faults.rules.to_json()}};
  return state;
}

}  // namespace dcisim::mockdci
