#include "billing/dci6/server_facts.h"

#include <cctype>

#include "billing/dci6/json_fields.h"
#include "common/http.h"

namespace dcisim::billing::dci6 {

namespace {

// DCImanager's documentation writes ON/OFF/UNKNOWN and `suspended`; a real answer seen in public
// code writes `on` and `state: "ok"`. The facts hold one spelling, so that every comparison in the
// module is a plain one: power in upper case, states and operation statuses in lower case.
std::string upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}
std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

bool flag_of(const Json& value) {
  if (value.is_boolean()) return value.get<bool>();
  if (value.is_number_integer()) return value.get<int64_t>() != 0;
  if (value.is_string()) {
    const std::string& text = value.get_ref<const std::string&>();
    return common::iequals(text, "running") || common::iequals(text, "true") || common::iequals(text, "on");
  }
  if (value.is_object()) return common::iequals(json_text(value, "status"), "running") || json_flag(value, "running", false);
  return false;
}

std::string family_of(const Json& ip) {
  const Json& family = ip.contains("family") ? ip["family"] : Json();
  if (family.is_string()) return common::iequals(family.get<std::string>(), "ipv6") ? "ipv6" : "ipv4";
  if (family.is_number_integer()) return family.get<int64_t>() == 10 ? "ipv6" : "ipv4";
  return json_text(ip, "name").find(':') != std::string::npos ? "ipv6" : "ipv4";
}

void read_operation(const Json& row, ServerFacts& out) {
  auto it = row.find("operation");
  if (it == row.end() || !it->is_object()) return;
  out.operation_id = json_int(*it, "id");
  out.operation_status = lower(json_text(*it, "status"));
  out.operation_info = json_text(*it, "status_info");
}

void read_addresses(const Json& row, ServerFacts& out) {
  auto it = row.find("ip");
  if (it == row.end() || !it->is_array()) {
    out.complete = false;
    return;
  }
  for (const Json& ip : *it) {
    if (!ip.is_object()) continue;
    out.addresses.push_back(RemoteAddress{json_int(ip, "id"), json_text(ip, "name"), family_of(ip)});
  }
}

void read_links(const Json& row, ServerFacts& out) {
  auto it = row.find("switch_connection");
  if (it == row.end() || !it->is_array()) {
    out.complete = false;
    return;
  }
  for (const Json& link : *it) {
    if (!link.is_object()) continue;
    SwitchLink parsed;
    parsed.switch_id = json_int(link, "switch");
    parsed.port_id = json_int(link, "connection_id");
    parsed.admin_status = json_text(link, "admin_status");
    parsed.ipmi = link.contains("is_ipmi_connection") && flag_of(link["is_ipmi_connection"]);
    out.links.push_back(std::move(parsed));
  }
}

bool is_up(const std::string& status) { return common::iequals(status, "up"); }


}  // namespace

ServerFacts read_server(const Json& row) {
  ServerFacts out;
  if (!row.is_object()) {
    out.complete = false;
    return out;
  }
  out.id = json_int(row, "id");
  out.name = json_text(row, "name");
  out.domain = json_text(row, "domain");
  out.configuration = json_text(row, "configuration");
  out.state = lower(json_text(row, "state"));
  if (row.contains("owner") && !row["owner"].is_null()) {
    int64_t owner = json_id_of(row["owner"]);
    if (owner > 0) out.owner = owner;
  }
  out.owner_email = json_text(row, "owner_email");
  out.power = upper(json_text(row, "power_status"));
  if (out.power.empty()) out.power = "UNKNOWN";
  if (row.contains("location_id")) out.location_id = json_id_of(row["location_id"]);
  if (out.location_id == 0 && row.contains("location")) out.location_id = json_id_of(row["location"]);
  out.is_new = row.contains("is_new") && flag_of(row["is_new"]);
  out.maintenance = row.contains("maintenance") && flag_of(row["maintenance"]);
  out.diagnostics_running = row.contains("diagnostics") && flag_of(row["diagnostics"]);
  read_operation(row, out);
  read_addresses(row, out);
  read_links(row, out);
  return out;
}

bool available_for_sale(const ServerFacts& server) {
  bool owned = server.owner.has_value() || !server.owner_email.empty();
  bool operation_settled = server.operation_status.empty() || server.operation_status == "ok" ||
                           server.operation_status == "canceled";
  return !owned && !server.is_new && !server.maintenance && !server.diagnostics_running && operation_settled;
}

bool becoming_available(const ServerFacts& server) {
  bool owned = server.owner.has_value() || !server.owner_email.empty();
  bool busy = server.diagnostics_running || server.operation_status == "running";
  return !owned && !server.is_new && !server.maintenance && busy;
}

int count_addresses(const ServerFacts& server, const std::string& family) {
  int count = 0;
  for (const RemoteAddress& address : server.addresses) count += address.family == family ? 1 : 0;
  return count;
}

bool data_ports_up(const ServerFacts& server) {
  for (const SwitchLink& link : server.links) {
    if (!link.ipmi && !link.admin_status.empty() && !is_up(link.admin_status)) return false;
  }
  return true;
}

bool data_ports_down(const ServerFacts& server) {
  for (const SwitchLink& link : server.links) {
    if (!link.ipmi && is_up(link.admin_status)) return false;
  }
  return true;
}

bool needs_port_lookup(const ServerFacts& server) {
  for (const SwitchLink& link : server.links) {
    if (!link.ipmi && link.admin_status.empty()) return true;
  }
  return false;
}

std::string holder_mismatch(const ServerFacts& server, const std::string& client_email, const std::string& domain) {
  if (client_email.empty() && domain.empty()) return "";
  bool email_ok = client_email.empty() || common::iequals(server.owner_email, client_email);
  bool domain_ok = domain.empty() || server.domain == domain;
  if (email_ok && domain_ok) return "";
  std::string label = "server " + std::to_string(server.id);
  std::string expected = "not by " + (client_email.empty() ? std::string("this service") : client_email) +
                         (domain.empty() ? "" : " (domain " + domain + ")");
  if (server.owner_email.empty() && !server.owner.has_value()) return label + " has no owner, " + expected;
  std::string holder = server.owner_email.empty() ? "user " + std::to_string(server.owner.value_or(0)) : server.owner_email;
  return label + " is held by " + holder + " (domain " + (server.domain.empty() ? "none" : server.domain) + "), " +
         expected;
}

}  // namespace dcisim::billing::dci6
