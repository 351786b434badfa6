// dci v3 catalog and accounts: locations, racks, OS templates, scripts (ASSUMED, API.md §7),
// users (API.md §5) and switches with their ports.
#include <limits>

#include "mockdci/accounts.h"
#include "mockdci/api_support.h"
#include "mockdci/emulator_core.h"
#include "mockdci/server_actions.h"
#include "mockdci/views.h"

namespace dcisim::mockdci {

using common::Error;
using common::Result;
using Json = nlohmann::json;

namespace {

template <typename Map, typename RowFn>
Result<Reply> list_of(const Call& call, const Map& map, RowFn row, const std::vector<std::string>& fields) {
  std::vector<Json> rows;
  rows.reserve(map.size());
  for (const auto& [id, object] : map) rows.push_back(row(object));
  return list_reply(call.request, rows, fields);
}

Result<Reply> list_users(EmulatorCore& core, Call& call) {
  std::map<UserId, int64_t> counts = server_counts(core.model);
  return list_of(call, core.model.users, [&](const User& user) { return user_json(user, counts[user.id]); }, user_fields());
}

Result<Reply> get_user(EmulatorCore& core, Call& call) {
  const User* user = core.model.user(UserId(call.id(0)));
  if (user == nullptr) return Error::not_found("user " + call.params[0] + " not found");
  return Reply{200, user_json(*user, owned_server_count(core.model, user->id))};
}

Result<Reply> post_user(EmulatorCore& core, Call& call) {
  Result<Json> body = parse_body(call.request);
  if (!body) return body.error();
  common::JsonNode node = body_node(*body);
  NewUser user;
  for (auto [key, target] : {std::pair{"email", &user.email}, std::pair{"password", &user.password},
                             std::pair{"full_name", &user.full_name}, std::pair{"phone_number", &user.phone_number},
                             std::pair{"role", &user.role}}) {
    Result<std::string> value = node.at(key).string_or(*target);
    if (!value) return value.error();
    *target = *value;
  }
  Result<UserId> id = create_user(core.model, user);
  if (!id) return id.error();
  return id_reply(id->value());
}

Result<Reply> remove_user(EmulatorCore& core, Call& call) {
  if (common::Status s = delete_user(core.model, UserId(call.id(0)), call.caller.user); !s) return s.error();
  return id_reply(call.id(0));
}

Result<const Switch*> find_switch(const Model& model, const Call& call) {
  auto it = model.switches.find(SwitchId(call.id(0)));
  if (it == model.switches.end()) return Error::not_found("switch " + call.params[0] + " not found");
  return &it->second;
}

Result<Reply> list_ports(EmulatorCore& core, Call& call) {
  Result<const Switch*> sw = find_switch(core.model, call);
  if (!sw) return sw.error();
  std::vector<Json> rows;
  for (PortId port : (*sw)->ports) rows.push_back(port_json(core.model, core.model.ports.at(port)));
  return list_reply(call.request, rows, port_fields());
}

Result<Reply> edit_port(EmulatorCore& core, Call& call) {
  Result<const Switch*> sw = find_switch(core.model, call);
  if (!sw) return sw.error();
  PortId port(call.id(1));
  auto it = core.model.ports.find(port);
  if (it == core.model.ports.end() || it->second.switch_id != (*sw)->id) {
    return Error::not_found("port " + call.params[1] + " not found on switch " + call.params[0]);
  }
  Result<Json> body = parse_body(call.request);
  if (!body) return body.error();
  common::JsonNode node = body_node(*body);
  Result<std::string> status = node.at("admin_status").string();
  if (!status || (*status != "up" && *status != "down")) return node.at("admin_status").error("\"up\" or \"down\"");
  if (common::Status s = set_port_admin(core.model, port, *status == "up"); !s) return s.error();
  return id_reply(port.value());
}

}  // namespace

void add_catalog_routes(Router& router, EmulatorCore& core) {
  const std::string base = "/api/dci/v3";
  router.add("GET", base + "/location", Access::session,
             [&core](Call& c) { return list_of(c, core.model.locations, location_json, location_fields()); });
  router.add("GET", base + "/rack", Access::session, [&core](Call& c) { return list_of(c, core.model.racks, rack_json, rack_fields()); });
  router.add("GET", base + "/os_template", Access::session,
             [&core](Call& c) { return list_of(c, core.model.os_templates, os_template_json, os_template_fields()); });
  router.add("GET", base + "/script", Access::session,
             [&core](Call& c) { return list_of(c, core.model.scripts, script_json, script_fields()); });
  router.add("GET", base + "/user", Access::admin, [&core](Call& c) { return list_users(core, c); });
  router.add("POST", base + "/user", Access::admin, [&core](Call& c) { return post_user(core, c); });
  router.add("GET", base + "/user/{id}", Access::admin, [&core](Call& c) { return get_user(core, c); });
  router.add("DELETE", base + "/user/{id}", Access::admin, [&core](Call& c) { return remove_user(core, c); });
  router.add("GET", base + "/switch", Access::admin,
             [&core](Call& c) { return list_of(c, core.model.switches, switch_json, switch_fields()); });
  router.add("GET", base + "/switch/{id}/port", Access::admin, [&core](Call& c) { return list_ports(core, c); });
  router.add("POST", base + "/switch/{id}/port/{id}", Access::admin, [&core](Call& c) { return edit_port(core, c); });
}

}  // namespace dcisim::mockdci
