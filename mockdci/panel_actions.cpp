#include "mockdci/panel_actions.h"

#include <vector>

#include "mockdci/accounts.h"
#include "mockdci/ip_allocation.h"

namespace dcisim::mockdci {

using common::Error;
using common::Status;

namespace {

common::Result<Server*> server_for_panel(Model& model, ServerId id) {
  Server* server = model.server(id);
  if (server == nullptr) return Error::not_found("server " + std::to_string(id.value()) + " not found");
  model.touch(id);
  return server;
}

}  // namespace

Status give_server(Model& model, ServerId id, const std::string& email) {
  common::Result<Server*> server = server_for_panel(model, id);
  if (!server) return server.error();
  if (email.find('@') == std::string::npos) return Error::invalid("owner: expected an e-mail address, got \"" + email + "\"");
  UserId owner;
  if (auto existing = model.user_by_email.find(email); existing != model.user_by_email.end()) {
    owner = existing->second;
  } else {
    NewUser user;
    user.email = email;
    user.password = "set-by-staff-in-the-panel";
    user.full_name = "created in the panel";
    common::Result<UserId> created = create_user(model, user);
    if (!created) return created.error();
    owner = *created;
  }
  if (!(*server)->owner.valid()) return Error::conflict("server " + std::to_string(id.value()) + " is free: issue it instead");
  (*server)->owner = owner;
  return Status::success();
}

Status set_server_domain(Model& model, ServerId id, const std::string& domain) {
  common::Result<Server*> server = server_for_panel(model, id);
  if (!server) return server.error();
  (*server)->domain = domain;
  for (IpId ip : (*server)->ips) model.ips.at(ip).domain = domain;
  return Status::success();
}

Status shrink_pool(Model& model, const std::string& pool_name, int64_t free_left) {
  PoolId pool;
  for (const auto& [id, p] : model.pools) {
    if (p.name == pool_name) pool = id;
  }
  if (!pool.valid()) return Error::not_found("IP pool \"" + pool_name + "\" not found");
  if (free_left < 0) return Error::invalid("free_ipv4: expected a count >= 0");
  std::vector<FreeAddress> free;
  for (;;) {
    if (static_cast<int64_t>(free.size()) > kMaxShrink + free_left) {
      return Error::invalid("IP pool \"" + pool_name + "\" has more than " + std::to_string(kMaxShrink) +
                            " free IPv4 addresses to take out: shrink a smaller pool");
    }
    common::Result<FreeAddress> next = find_free_address(model, pool, IpFamily::v4);
    if (!next) break;
    IpId taken = assign_address(model, *next, ServerId(), "");  // held, so the next search moves on
    model.ips.at(taken).status = "locked";
    model.ips.at(taken).locked = true;
    model.ips.at(taken).note = "taken out of the pool by staff";
    free.push_back(*next);
  }
  // Give back the last `free_left` taken (the highest addresses): those stay free.
  int64_t give_back = std::min<int64_t>(free_left, static_cast<int64_t>(free.size()));
  std::vector<IpId> taken;
  for (const auto& [id, record] : model.ips) {
    if (record.pool == pool && !record.server.valid() && record.note == "taken out of the pool by staff") taken.push_back(id);
  }
  for (int64_t i = 0; i < give_back && !taken.empty(); ++i) {
    release_address(model, taken.back());
    taken.pop_back();
  }
  return Status::success();
}

}  // namespace dcisim::mockdci
