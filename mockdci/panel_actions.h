// What staff do in DCImanager's panel behind the billing core's back, beyond power, ports,
// maintenance and release (server_actions.h): give a server to another owner, change its domain,
// take addresses out of a pool. The outside events a scenario's `panel` step and the control API
// stage; the billing core must notice them (sync, holder checks) and never act on a server that is
// no longer its client's. No preconditions beyond the objects existing: staff may do anything.
#pragma once

#include <cstdint>
#include <string>

#include "common/result.h"
#include "mockdci/model.h"

namespace dcisim::mockdci {

// The server now belongs to the user with this e-mail (a @user created, with a password nobody
// knows, when there is none); addresses, domain and OS stay.
common::Status give_server(Model& model, ServerId server, const std::string& email);
common::Status set_server_domain(Model& model, ServerId server, const std::string& domain);
// Takes free IPv4 addresses of the pool out of use (status "locked", held by no server) until at
// most `free_left` remain, as staff shrinking a pool would. At most kMaxShrink addresses at once.
inline constexpr int64_t kMaxShrink = 65'536;
common::Status shrink_pool(Model& model, const std::string& pool_name, int64_t free_left);

}  // namespace dcisim::mockdci
