// IPmanager v3 rows, field names and types as in specs/ipmgr_api.json (counts are strings there).
#include "mockdci/views.h"

namespace dcisim::mockdci {

Json pool_json(const Model& model, const IpPool& pool) {
  U128 total[2] = {0, 0};
  int64_t using_ip[2] = {0, 0};
  Json nets = Json::array();
  for (NetId id : pool.nets) {
    const IpNet& net = model.nets.at(id);
    int family = net.cidr.base.family == IpFamily::v4 ? 0 : 1;
    total[family] += net.usable_count();
    using_ip[family] += net.used_count();
    nets.push_back({{"id", id.value()}, {"name", net.cidr.to_string()}, {"gateway", format_ip(net.gateway)}});
  }
  bool is_public = pool.name.find("public") != std::string::npos;
  return {{"id", pool.id.value()},
          {"name", pool.name},
          {"userspace", 1},
          {"note", ""},
          {"is_public", is_public ? "true" : "false"},
          {"using_ip", std::to_string(using_ip[0] + using_ip[1])},
          {"using_ipv4", std::to_string(using_ip[0])},
          {"using_ipv6", std::to_string(using_ip[1])},
          {"total_ip", u128_to_string(total[0] + total[1])},
          {"total_ipv4", u128_to_string(total[0])},
          {"total_ipv6", u128_to_string(total[1])},
          {"ipnets", nets}};
}

const std::vector<std::string>& pool_fields() {
  static const std::vector<std::string> fields = {"id", "name", "userspace", "note", "is_public",
                                                  "using_ip", "using_ipv4", "using_ipv6", "total_ip",
                                                  "total_ipv4", "total_ipv6", "ipnets"};
  return fields;
}

Json net_json(const IpNet& net) {
  return {{"id", net.id.value()},
          {"name", net.cidr.to_string()},
          {"first", format_ip(net.cidr.base)},
          {"last", format_ip(net.cidr.last())},
          {"family", family_number(net.cidr.base.family)},
          {"mask", net.cidr.prefix},
          {"gateway", format_ip(net.gateway)},
          {"userspace", 1},
          {"vlan", ""},
          {"note", ""},
          {"size", u128_to_string(net.cidr.size())},
          {"using_ip", std::to_string(net.used_count())},
          {"total_ip", u128_to_string(net.usable_count())},
          {"need_reserve", false},
          {"ippools", Json::array({net.pool.value()})}};
}

const std::vector<std::string>& net_fields() {
  static const std::vector<std::string> fields = {"id", "name", "first", "last", "family", "mask",
                                                  "gateway", "userspace", "vlan", "note", "size",
                                                  "using_ip", "total_ip", "need_reserve", "ippools"};
  return fields;
}

Json ip_json(const Model& model, const IpRecord& ip) {
  std::string name = format_ip(ip.address);
  return {{"id", ip.id.value()},
          {"name", name},
          {"domain", ip.domain},
          {"ipnet", ip.net.value()},
          {"ipnet_name", model.nets.at(ip.net).cidr.to_string()},
          {"ippool", ip.pool.value()},
          {"size", 1},
          {"status", ip.status},
          {"note", ip.note},
          {"userspace", 1},
          {"locked", ip.locked},
          {"first", name}};
}

const std::vector<std::string>& ip_fields() {
  static const std::vector<std::string> fields = {"id", "name", "domain", "ipnet", "ipnet_name", "ippool",
                                                  "size", "status", "note", "userspace", "locked", "first"};
  return fields;
}

}  // namespace dcisim::mockdci
