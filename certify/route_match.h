// Which route of the module's table a request is: "POST /api/dci/v3/server/5/owner" is
// server.issue with {id: 5}. Used by the safety net to know what a request changes, and by
// certify to name what it probes.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "billing/dci6/routes.h"

namespace dcisim::certify {

struct MatchedRoute {
  billing::dci6::RouteId id;
  std::map<std::string, int64_t> params;  // {"id": 5}, {"id": 3, "port_id": 14}
};

// The route `method` + `path` (without the base URL's prefix) is, or nullopt. Placeholders match
// positive integers only; a literal segment wins over a placeholder.
std::optional<MatchedRoute> match_route(const billing::dci6::RouteTable& routes, const std::string& method,
                                        const std::string& path);

}  // namespace dcisim::certify
