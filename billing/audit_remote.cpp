// Audit checks against the remote side (invariants 6, 9, 10, 11): every live service's server
// exists and is owned by its client; every owned server maps back to exactly one live service; no
// address is held twice; pool totals add up; active/suspended match ports and power.
#include <algorithm>
#include <map>
#include <set>

#include "billing/audit_checks.h"
#include "common/http.h"

namespace dcisim::billing {

namespace {

struct LiveService {
  int64_t id = 0;
  std::string status;
  std::optional<int64_t> server_id;
  std::string domain;
  std::string email;
  std::string mode;
  std::string unfinished;  // kind of the unfinished operation, "" when none
  std::vector<std::string> addresses;
};

std::vector<LiveService> read_services(AuditContext& ctx) {
  std::vector<LiveService> out;
  store::Statement st = ctx.db.prepare(
      "SELECT s.id, s.status, s.server_id, s.domain, c.email, t.suspension_mode, "
      "COALESCE((SELECT kind FROM operations o WHERE o.service_id = s.id AND o.status IN "
      "('pending', 'manual')), '') FROM services s JOIN clients c ON c.id = s.client_id "
      "JOIN tariffs t ON t.id = s.tariff_id ORDER BY s.id");
  while (st.next()) {
    out.push_back({st.integer(0), st.text(1), st.optional_integer(2), st.text(3), st.text(4),
                   st.text(5), st.text(6), {}});
  }
  ctx.ok(st.status(), "reading services");
  store::Statement addresses =
      ctx.db.prepare("SELECT service_id, address FROM service_addresses ORDER BY service_id, address");
  std::map<int64_t, std::vector<std::string>> by_service;
  while (addresses.next()) by_service[addresses.integer(0)].push_back(addresses.text(1));
  ctx.ok(addresses.status(), "reading addresses");
  for (LiveService& s : out) s.addresses = by_service[s.id];
  return out;
}

std::string name_of(const RemoteServerView& server) {
  return "server " + std::to_string(server.server_id) + " (owner '" + server.owner_email +
         "', domain '" + server.domain + "')";
}

void check_addresses_and_pools(AuditContext& ctx, const RemoteView& view) {
  std::map<std::string, int64_t> holder;
  for (const RemoteServerView& server : view.servers) {
    for (const RemoteAddress& address : server.addresses) {
      auto [it, fresh] = holder.emplace(address.address, server.server_id);
      if (!fresh && it->second != server.server_id) {
        ctx.add("ip_unique", address.address + " is held by servers " + std::to_string(it->second) +
                                 " and " + std::to_string(server.server_id));
      }
    }
  }
  for (const RemotePoolView& pool : view.pools) {
    if (pool.free + pool.assigned != pool.size || pool.free < 0 || pool.assigned < 0) {
      ctx.add("pool_totals", "pool " + std::to_string(pool.pool_id) + " '" + pool.name + "': free " +
                                 std::to_string(pool.free) + " + assigned " + std::to_string(pool.assigned) +
                                 " != size " + std::to_string(pool.size));
    }
  }
}

void check_service_side(AuditContext& ctx, const LiveService& s,
                        const std::map<int64_t, const RemoteServerView*>& servers) {
  if (!s.server_id || s.status == "deleted") return;
  std::string where = "service " + std::to_string(s.id) + " (" + s.status + ")";
  auto found = servers.find(*s.server_id);
  if (found == servers.end()) {
    ctx.add("remote_ownership", where + " holds server " + std::to_string(*s.server_id) +
                                    ", which the remote side does not list");
    return;
  }
  const RemoteServerView& server = *found->second;
  // A close under way whose release went through, its answer lost: the server is already free (or
  // sold again) while billing waits for the close's next attempt to see it.
  if (s.unfinished == "close" && !common::iequals(server.owner_email, s.email)) return;
  if (!common::iequals(server.owner_email, s.email)) {
    ctx.add("remote_ownership", where + " of " + s.email + " holds " + name_of(server));
  }
  for (const std::string& address : s.addresses) {
    bool held = std::any_of(server.addresses.begin(), server.addresses.end(),
                            [&](const RemoteAddress& a) { return a.address == address; });
    if (!held) ctx.add("remote_ownership", where + " records " + address + " but " + name_of(server) + " does not hold it");
  }
  if (!ctx.options.remote_state || !s.unfinished.empty()) return;
  bool ports = s.mode == "port" || s.mode == "both";
  bool power = s.mode == "power" || s.mode == "both";
  std::string wrong;
  if (s.status == "active") {
    if (!server.ports_up) wrong += " ports down;";
    if (power && server.power != "ON") wrong += " power " + server.power + ";";
  } else if (s.status == "suspended") {
    if (ports && server.ports_up) wrong += " ports up;";
    if (power && server.power != "OFF") wrong += " power " + server.power + ";";
  }
  if (!wrong.empty()) {
    ctx.add("remote_state", where + " in " + s.mode + " mode, but " + name_of(server) + " has" + wrong);
  }
}

void check_server_side(AuditContext& ctx, const RemoteView& view, const std::vector<LiveService>& services) {
  std::set<std::string> emails;
  std::map<std::string, const LiveService*> by_domain;
  std::map<int64_t, const LiveService*> by_server;
  for (const LiveService& s : services) {
    std::string email = s.email;
    std::transform(email.begin(), email.end(), email.begin(), ::tolower);
    emails.insert(email);
    by_domain[s.domain] = &s;
    if (s.server_id && s.status != "deleted") by_server[*s.server_id] = &s;
  }
  std::map<std::string, std::vector<int64_t>> servers_per_domain;
  for (const RemoteServerView& server : view.servers) {
    std::string owner = server.owner_email;
    std::transform(owner.begin(), owner.end(), owner.begin(), ::tolower);
    auto domain = by_domain.find(server.domain);
    bool ours = (!owner.empty() && emails.count(owner) != 0) || domain != by_domain.end();
    if (!ours || owner.empty()) continue;
    if (domain != by_domain.end()) servers_per_domain[server.domain].push_back(server.server_id);
    if (by_server.count(server.server_id) != 0) continue;
    // Not yet recorded (an open under way) or never to be (the close after a canceled open).
    bool unrecorded = domain != by_domain.end() && !domain->second->server_id &&
                      (domain->second->unfinished == "open" || domain->second->unfinished == "close");
    if (!unrecorded) {
      ctx.add("remote_ownership", name_of(server) + " is owned but maps to no live service" +
                                      (domain != by_domain.end()
                                           ? " (service " + std::to_string(domain->second->id) + " is " +
                                                 domain->second->status + ")"
                                           : std::string()));
    }
  }
  for (const auto& [domain, ids] : servers_per_domain) {
    if (ids.size() <= 1) continue;
    std::string list;
    for (int64_t id : ids) list += (list.empty() ? "" : ", ") + std::to_string(id);
    ctx.add("single_open", "service " + std::to_string(by_domain[domain]->id) + " ('" + domain +
                               "') has " + std::to_string(ids.size()) + " remote servers: " + list);
  }
}

}  // namespace

void audit_remote(AuditContext& ctx) {
  const RemoteView& view = *ctx.options.remote;
  std::map<int64_t, const RemoteServerView*> servers;
  for (const RemoteServerView& server : view.servers) servers[server.server_id] = &server;
  std::vector<LiveService> services = read_services(ctx);
  check_addresses_and_pools(ctx, view);
  for (const LiveService& s : services) check_service_side(ctx, s, servers);
  check_server_side(ctx, view, services);
}

}  // namespace dcisim::billing
