#include "mockdci/views.h"

#include "mockdci/server_actions.h"

namespace dcisim::mockdci {

namespace {

Json id_or_null(int64_t id) { return id > 0 ? Json(id) : Json(nullptr); }

// Server JSON is built member by member: nlohmann's initializer lists copy every value, and server
// JSON is the hot path of GET /server and of list queries over large inventories.
Json server_ip_json(const Model& model, const IpRecord& ip) {
  const IpNet& net = model.nets.at(ip.net);
  Json row(Json::value_t::object);
  row["id"] = ip.id.value();
  row["name"] = format_ip(ip.address);
  row["family"] = family_name(ip.address.family);
  row["gateway"] = format_ip(net.gateway);
  row["network"] = net.cidr.to_string();
  row["domain"] = ip.domain;
  row["status"] = ip.status;
  row["status_info"] = "";
  return row;
}

Json operation_json(const Operation* op) {
  if (op == nullptr) return nullptr;
  Json row(Json::value_t::object);
  row["id"] = op->id.value();
  row["type"] = operation_kind_name(op->kind);
  row["status"] = operation_status_name(op->status);
  row["status_info"] = "";
  row["progress_info"] = Json::array();
  return row;
}

Json id_name(int64_t id, const std::string& name) {
  Json row(Json::value_t::object);
  row["id"] = id;
  row["name"] = name;
  return row;
}

bool port_oper_up(const Model& model, const SwitchPort& port) {
  const Server* server = model.server(port.server);
  return port.admin_up && (server == nullptr || server->power == Power::on);
}

}  // namespace

Json switch_connection_json(const Model& model, const SwitchPort& port) {
  Json row(Json::value_t::object);
  row["id"] = port.id.value();
  row["switch"] = port.switch_id.value();
  row["switch_name"] = model.switches.at(port.switch_id).name;
  row["hidden_connection"] = false;
  row["connection_id"] = port.id.value();
  row["description"] = port.name;
  row["admin_status"] = port.admin_up ? "up" : "down";
  row["oper_status"] = port_oper_up(model, port) ? "up" : "down";
  row["do_not_collect_traffic"] = false;
  row["is_ipmi_connection"] = false;
  return row;
}

// The main address of a family ("main_ipv4": the first of the server's addresses of that family),
// as DCImanager nests it: {"id", "name", "domain"}; every member null when there is none.
void main_address(const Model& model, const Server& server, IpFamily family, Json& row, const char* id_key,
                  const char* info_key) {
  Json info = {{"id", nullptr}, {"name", nullptr}, {"domain", nullptr}};
  row[id_key] = nullptr;
  for (IpId id : server.ips) {
    const IpRecord& ip = model.ips.at(id);
    if (ip.address.family != family) continue;
    row[id_key] = id.value();
    info = {{"id", id.value()}, {"name", format_ip(ip.address)}, {"domain", ip.domain}};
    break;
  }
  row[info_key] = std::move(info);
}

Json owner_json(const User* owner) {
  if (owner == nullptr) return nullptr;
  Json row(Json::value_t::object);
  row["id"] = owner->id.value();
  row["email"] = owner->email;
  return row;
}

Json server_json(const Model& model, const Server& server) {
  const Rack& rack = model.racks.at(server.rack);
  const Location& location = model.locations.at(server.location);
  const User* owner = model.user(server.owner);
  Json row(Json::value_t::object);
  row["id"] = server.id.value();
  row["name"] = server.name;
  row["barcode"] = server.name;
  row["uuid"] = stable_uuid(kServerUuidKind, server.id.value());
  row["mac"] = server.mac;
  row["domain"] = server.domain;
  row["configuration"] = server.configuration;
  row["state"] = server_state_name(server.state);
  row["state_info"] = "";
  auto os_template = model.os_templates.find(server.os_template);
  row["os_template"] = os_template == model.os_templates.end() ? Json(nullptr) : os_template_json(os_template->second);
  row["operation"] = operation_json(model.operation(server.last_operation));
  row["hardware_info"] = hardware_info_json(model, server);
  row["perform_info"] = Json::object();
  row["settings"]["efi"] = false;
  Json& ips = row["ip"] = Json::array();
  for (IpId id : server.ips) ips.push_back(server_ip_json(model, model.ips.at(id)));
  main_address(model, server, IpFamily::v4, row, "main_ipv4", "main_ipv4_info");
  main_address(model, server, IpFamily::v6, row, "main_ipv6", "main_ipv6_info");
  row["switch_connection"] = Json::array();
  row["switch_connection"].push_back(switch_connection_json(model, model.ports.at(server.port)));
  row["pdu_connection"] = Json::array();
  row["power_status"] = power_name(server.power);
  row["owner_email"] = owner ? Json(owner->email) : Json(nullptr);
  row["owner"] = owner_json(owner);
  row["is_new"] = false;
  row["has_errors"] = false;
  row["location_id"] = location.id.value();
  row["location"] = id_name(location.id.value(), location.name);
  row["rack"] = id_name(rack.id.value(), rack.name);
  row["rack"]["size"] = rack.units;
  row["unit"] = server.unit;
  row["maintenance"] = server.maintenance;
  row["diagnostics"]["status"] = server.diagnostics_running ? "running" : "ok";
  return row;
}

const std::vector<std::string>& server_fields() {
  static const std::vector<std::string> fields = {
      "id", "name", "barcode", "uuid", "mac", "domain", "configuration", "state", "state_info",
      "os_template", "operation", "hardware_info", "perform_info", "settings", "ip", "main_ipv4",
      "main_ipv4_info", "main_ipv6", "main_ipv6_info", "switch_connection", "pdu_connection",
      "power_status", "owner_email", "owner", "is_new", "has_errors", "location_id", "location",
      "rack", "unit", "maintenance", "diagnostics"};  // an object field admits its paths: "rack.id"
  return fields;
}

Json configuration_list_json(const Model& model) {
  Json list = Json::array();
  for (const auto& [configuration, count] : free_server_counts(model)) {
    list.push_back({{"configuration", configuration}, {"free_server_count", count}});
  }
  return {{"list", list}, {"size", list.size()}};
}

Json location_json(const Location& location) {
  return {{"id", location.id.value()}, {"name", location.name}, {"ippool", id_or_null(location.pool.value())}};
}

const std::vector<std::string>& location_fields() {
  static const std::vector<std::string> fields = {"id", "name", "ippool"};
  return fields;
}

Json rack_json(const Rack& rack) {
  return {{"id", rack.id.value()},
          {"name", rack.name},
          {"location", rack.location.value()},
          {"ippool", id_or_null(rack.pool.value())},
          {"units", rack.units}};
}

const std::vector<std::string>& rack_fields() {
  static const std::vector<std::string> fields = {"id", "name", "location", "ippool", "units"};
  return fields;
}

Json os_template_json(const OsTemplate& os_template) {
  return {{"id", os_template.id.value()}, {"name", os_template.name}, {"tags", os_template.tags}};
}

const std::vector<std::string>& os_template_fields() {
  static const std::vector<std::string> fields = {"id", "name", "tags"};
  return fields;
}

Json script_json(const Script& script) {
  return {{"id", script.id.value()}, {"name", script.name}, {"access", script.access}};
}

const std::vector<std::string>& script_fields() {
  static const std::vector<std::string> fields = {"id", "name", "access"};
  return fields;
}

Json user_json(const User& user, int64_t server_count) {
  return {{"id", user.id.value()},
          {"email", user.email},
          {"full_name", user.full_name},
          {"phone_number", user.phone_number},
          {"server_count", server_count},
          {"roles", Json::array({user.role})},
          {"vlans_per_user", 5},
          {"state", user.state}};
}

const std::vector<std::string>& user_fields() {
  static const std::vector<std::string> fields = {"id", "email", "full_name", "phone_number", "server_count",
                                                  "roles", "vlans_per_user", "state"};
  return fields;
}

std::map<UserId, int64_t> server_counts(const Model& model) {
  std::map<UserId, int64_t> counts;
  for (const auto& [id, server] : model.servers) {
    if (server.owner.valid()) ++counts[server.owner];
  }
  return counts;
}

Json switch_json(const Switch& sw) {
  return {{"id", sw.id.value()}, {"name", sw.name}, {"rack", sw.rack.value()}, {"port_count", sw.ports.size()}};
}

const std::vector<std::string>& switch_fields() {
  static const std::vector<std::string> fields = {"id", "name", "rack", "port_count"};
  return fields;
}

Json port_json(const Model& model, const SwitchPort& port) {
  Json row(Json::value_t::object);
  row["id"] = port.id.value();
  row["name"] = port.name;
  row["switch"] = port.switch_id.value();
  const Server* server = model.server(port.server);
  row["server"] = server == nullptr ? Json(nullptr) : id_name(server->id.value(), server->name);
  row["description"] = port.name;
  row["admin_status"] = port.admin_up ? "up" : "down";
  row["oper_status"] = port_oper_up(model, port) ? "up" : "down";
  return row;
}

const std::vector<std::string>& port_fields() {
  static const std::vector<std::string> fields = {"id", "name", "switch", "server", "description",
                                                  "admin_status", "oper_status"};
  return fields;
}

}  // namespace dcisim::mockdci
