// IPmanager v3 (specs/ipmgr_api.json): pools, networks, addresses; allocation, edit and release.
// Served under /api/ip/v3 and, as DCImanager proxies it, under /api/dci/v3/ipmgr (API.md §1).
#include <limits>

#include "mockdci/api_support.h"
#include "mockdci/emulator_core.h"
#include "mockdci/ip_allocation.h"
#include "mockdci/views.h"

namespace dcisim::mockdci {

using common::Error;
using common::Result;
using Json = nlohmann::json;

namespace {

constexpr int64_t kMaxId = std::numeric_limits<int64_t>::max();

Result<Reply> list_pools(EmulatorCore& core, Call& call) {
  std::vector<Json> rows;
  for (const auto& [id, pool] : core.model.pools) rows.push_back(pool_json(core.model, pool));
  return list_reply(call.request, rows, pool_fields());
}

Result<Reply> get_pool(EmulatorCore& core, Call& call) {
  auto it = core.model.pools.find(PoolId(call.id(0)));
  if (it == core.model.pools.end()) return Error::not_found("IP pool " + call.params[0] + " not found");
  return Reply{200, pool_json(core.model, it->second)};
}

Result<Reply> list_nets(EmulatorCore& core, Call& call) {
  std::vector<Json> rows;
  for (const auto& [id, net] : core.model.nets) rows.push_back(net_json(net));
  return list_reply(call.request, rows, net_fields());
}

Result<Reply> get_net(EmulatorCore& core, Call& call) {
  auto it = core.model.nets.find(NetId(call.id(0)));
  if (it == core.model.nets.end()) return Error::not_found("network " + call.params[0] + " not found");
  return Reply{200, net_json(it->second)};
}

Result<Reply> list_ips(EmulatorCore& core, Call& call) {
  std::vector<Json> rows;
  for (const auto& [id, ip] : core.model.ips) rows.push_back(ip_json(core.model, ip));
  return list_reply(call.request, rows, ip_fields());
}

Result<Reply> get_ip(EmulatorCore& core, Call& call) {
  const IpRecord* ip = core.model.ip(IpId(call.id(0)));
  if (ip == nullptr) return Error::not_found("IP address " + call.params[0] + " not found");
  return Reply{200, ip_json(core.model, *ip)};
}

Result<Reply> allocate(EmulatorCore& core, Call& call) {
  PoolId pool(call.id(0));
  if (!core.model.pools.count(pool)) return Error::not_found("IP pool " + call.params[0] + " not found");
  Result<Json> body = parse_body(call.request);
  if (!body) return body.error();
  common::JsonNode node = body_node(*body);
  Result<std::string> family_text = node.at("family").string_or("ipv4");
  if (!family_text) return family_text.error();
  Result<IpFamily> family = parse_family(*family_text);
  if (!family) return node.at("family").error("\"ipv4\" or \"ipv6\"");
  int bits = family_bits(*family);
  Result<int64_t> prefix = node.at("ip_prefix").integer_or(bits, bits, bits);
  if (!prefix) {
    std::string expected = std::to_string(bits);
    expected += " (the emulator allocates single addresses)";
    return node.at("ip_prefix").error(expected);
  }
  Result<std::string> domain = node.at("domain").string_or("");
  if (!domain) return domain.error();
  Result<std::string> note = node.at("note").string_or("");
  if (!note) return note.error();
  Result<int64_t> preferred = node.at("prefered_net").integer_or(0, 1, kMaxId);
  if (!preferred) return preferred.error();
  if (*preferred != 0) {
    auto net = core.model.nets.find(NetId(*preferred));
    if (net == core.model.nets.end() || net->second.pool != pool) {
      return node.at("prefered_net").error_message("network " + std::to_string(*preferred) + " is not in IP pool " + call.params[0]);
    }
  }
  Result<FreeAddress> free = find_free_address(core.model, pool, *family, NetId(*preferred));
  if (!free) return free.error();
  IpId id = assign_address(core.model, *free, ServerId(), *domain);
  core.model.ips.at(id).note = *note;
  return Reply{200, {{"id", id.value()}, {"ids", Json::array({id.value()})}}};
}

Result<Reply> edit_ip(EmulatorCore& core, Call& call) {
  auto it = core.model.ips.find(IpId(call.id(0)));
  if (it == core.model.ips.end()) return Error::not_found("IP address " + call.params[0] + " not found");
  Result<Json> body = parse_body(call.request);
  if (!body) return body.error();
  common::JsonNode node = body_node(*body);
  if (common::Status s = node.only_keys({"domain", "status", "note", "locked"}); !s) return s.error();
  IpRecord edited = it->second;  // every field is checked before anything changes
  for (auto [key, target] : {std::pair{"domain", &edited.domain}, std::pair{"note", &edited.note},
                             std::pair{"status", &edited.status}}) {
    Result<std::string> value = node.at(key).string_or(*target);
    if (!value) return value.error();
    *target = *value;
  }
  static const std::vector<std::string> kStatuses = {"busy", "special", "locked", "problem",
                                                     "service", "extended", "dnsbl", "deleted"};
  if (std::find(kStatuses.begin(), kStatuses.end(), edited.status) == kStatuses.end()) {
    return node.at("status").error("one of busy, special, locked, problem, service, extended, dnsbl, deleted");
  }
  Result<bool> locked = node.at("locked").boolean_or(edited.locked);
  if (!locked) return locked.error();
  edited.locked = *locked;
  it->second = edited;
  core.model.touch(edited.server);
  return id_reply(edited.id.value());
}

Result<Reply> release_ip(EmulatorCore& core, Call& call) {
  IpId id(call.id(0));
  if (core.model.ip(id) == nullptr) return Error::not_found("IP address " + call.params[0] + " not found");
  release_address(core.model, id);
  return id_reply(id.value());
}

}  // namespace

void add_ipmgr_routes(Router& router, EmulatorCore& core) {
  auto bind = [&core](auto f) { return [&core, f](Call& call) { return f(core, call); }; };
  for (std::string base : {"/api/ip/v3", "/api/dci/v3/ipmgr"}) {
    router.add("GET", base + "/ippool", Access::admin, bind(list_pools));
    router.add("GET", base + "/ippool/{id}", Access::admin, bind(get_pool));
    router.add("POST", base + "/ippool/{id}/ip", Access::admin, bind(allocate));
    router.add("GET", base + "/ipnet", Access::admin, bind(list_nets));
    router.add("GET", base + "/ipnet/{id}", Access::admin, bind(get_net));
    router.add("GET", base + "/ip", Access::admin, bind(list_ips));
    router.add("GET", base + "/ip/{id}", Access::admin, bind(get_ip));
    router.add("POST", base + "/ip/{id}", Access::admin, bind(edit_ip));
    router.add("DELETE", base + "/ip/{id}", Access::admin, bind(release_ip));
  }
}

}  // namespace dcisim::mockdci
