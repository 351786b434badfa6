#include "billing/dci6/server_actions.h"

#include <map>

#include "billing/dci6/json_fields.h"

namespace dcisim::billing::dci6 {

namespace {

ApiError refused(common::ErrorKind kind, std::string message) {
  ApiError error;
  error.kind = kind;
  error.http_status = -1;  // not from the wire: our own refusal
  error.message = std::move(message);
  return error;
}

std::string server_label(const ServerFacts& server) { return "server " + std::to_string(server.id); }

}  // namespace

bool is_transitional_state(const std::string& state) { return state == "suspending" || state == "resuming"; }

ApiResult<ServerFacts> ServerActions::load(int64_t server_id) {
  ApiResult<Json> row = client_.get(RouteId::server_get, {{"id", server_id}});
  if (!row) return row.error();
  ServerFacts server = read_server(*row);
  if (!needs_port_lookup(server)) return server;
  std::map<int64_t, std::vector<Json>> ports_by_switch;  // one read per switch
  for (SwitchLink& link : server.links) {
    if (link.ipmi || !link.admin_status.empty()) continue;
    auto found = ports_by_switch.find(link.switch_id);
    if (found == ports_by_switch.end()) {
      ListQuery query;
      query.orderby = "id asc";
      ApiResult<std::vector<Json>> ports = client_.list_all(RouteId::switch_port_list, {{"id", link.switch_id}}, query);
      if (!ports) return ports.error();
      found = ports_by_switch.emplace(link.switch_id, std::move(ports).value()).first;
    }
    for (const Json& port : found->second) {
      if (json_int(port, "id") == link.port_id) link.admin_status = json_text(port, "admin_status");
    }
  }
  return server;
}

ApiResult<Json> ServerActions::change(const std::string& intent, RouteId route, const PathParams& params,
                                      const Json& body) {
  if (common::Status saved = checkpoint_(intent); !saved) {
    return refused(saved.error().kind, "not sent (" + intent + "): " + saved.error().message);
  }
  return client_.post(route, params, body);
}

ApiResult<ChangeOutcome> ServerActions::set_ports(ServerFacts& server, bool up) {
  ChangeOutcome outcome;
  if (is_transitional_state(server.state)) {
    outcome.transitional = true;
    outcome.detail = server_label(server) + " is " + server.state;
    return outcome;
  }
  bool route_needed = up ? server.state == "suspended" : server.state != "suspended";
  if (route_needed) {
    RouteId route = up ? RouteId::server_resume : RouteId::server_suspend;
    std::string intent = std::string(up ? "resume " : "suspend ") + server_label(server);
    ApiResult<Json> sent = change(intent, route, {{"id", server.id}}, Json::object());
    if (!sent) return sent.error();
    outcome.changed = true;
    outcome.detail = intent;
    ApiResult<ServerFacts> reread = load(server.id);
    if (!reread) return reread.error();
    server = std::move(reread).value();
    if (is_transitional_state(server.state)) {
      outcome.transitional = true;
      return outcome;
    }
  }
  return edit_ports(server, up, std::move(outcome));
}

ApiResult<ChangeOutcome> ServerActions::edit_ports(ServerFacts& server, bool up, ChangeOutcome outcome) {
  bool edited = false;
  for (const SwitchLink& link : server.links) {
    if (link.ipmi || link.admin_status.empty() || common::iequals(link.admin_status, up ? "up" : "down")) continue;
    std::string intent = std::string("set port ") + std::to_string(link.port_id) + " of switch " +
                         std::to_string(link.switch_id) + (up ? " up" : " down") + " for " + server_label(server);
    Json body = {{"admin_status", up ? "up" : "down"}};
    ApiResult<Json> sent = change(intent, RouteId::switch_port_edit, {{"id", link.switch_id}, {"port_id", link.port_id}}, body);
    if (!sent) return sent.error();
    edited = true;
    outcome.detail += (outcome.detail.empty() ? "" : "; ") + intent;
  }
  if (edited) {
    outcome.changed = true;
    ApiResult<ServerFacts> reread = load(server.id);
    if (!reread) return reread.error();
    server = std::move(reread).value();
  }
  return outcome;
}

ApiResult<ChangeOutcome> ServerActions::set_power(ServerFacts& server, bool on, bool on_from_unknown) {
  ChangeOutcome outcome;
  bool needed = false;
  if (on) {
    needed = server.power == "OFF" || (on_from_unknown && server.power == "UNKNOWN");
  } else if (server.power == "UNKNOWN") {
    return refused(common::ErrorKind::conflict, "cannot power off " + server_label(server) +
                                                    ": its power status is UNKNOWN (power_off needs ON)");
  } else {
    needed = server.power == "ON";
  }
  if (!needed) return outcome;
  std::string intent = std::string(on ? "power on " : "power off ") + server_label(server);
  if (server.operation_status == "running") {  // DCImanager refuses power calls meanwhile
    outcome.transitional = true;
    outcome.detail = server_label(server) + " has an operation running: " + intent + " waits for it";
    return outcome;
  }
  ApiResult<Json> sent = change(intent, on ? RouteId::server_power_on : RouteId::server_power_off, {{"id", server.id}},
                                Json::object());
  if (!sent) return sent.error();
  outcome.changed = true;
  outcome.detail = intent;
  ApiResult<ServerFacts> reread = load(server.id);
  if (!reread) return reread.error();
  server = std::move(reread).value();
  // A power change may take a while: done only when the server reports the new power.
  outcome.transitional = !common::iequals(server.power, on ? "ON" : "OFF");
  return outcome;
}

ApiResult<std::vector<ServerFacts>> servers_held_by(Dci6Client& client, const std::string& client_email,
                                                    const std::string& domain) {
  ListQuery query;
  query.where = where_and({where_eq("owner_email", client_email), where_eq("domain", domain)});
  query.orderby = "id asc";
  ApiResult<std::vector<Json>> rows = client.list_all(RouteId::server_list, {}, query);
  if (!rows) return rows.error();
  std::vector<ServerFacts> held;
  for (const Json& row : *rows) {
    ServerFacts server = read_server(row);
    if (server.domain == domain && common::iequals(server.owner_email, client_email)) held.push_back(server);
  }
  return held;
}

}  // namespace dcisim::billing::dci6
