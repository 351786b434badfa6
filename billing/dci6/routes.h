// The one route table of the DCImanager 6 client: every call the module makes, by name, with its
// method and path. The documented calls (API.md §2-§6) and the ASSUMED ones (API.md §7, whose
// exact shape is not public) live here and nowhere else, so that an operator can adapt the module
// to a live DCImanager version from configuration, without a rebuild:
//   "routes": {"server.issue": "POST /api/dci/v3/server/{id}/owner"}
// An override must keep the method family sane (GET, POST or DELETE) and use exactly the
// placeholders of the default ("{id}", "{ip_id}", "{port_id}"), so a typo cannot send a request
// to a half-expanded path.
#pragma once

#include <array>
#include <cstdint>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/json_input.h"
#include "common/result.h"

namespace dcisim::billing::dci6 {

enum class RouteId {
  auth_token,          // POST /api/auth/v4/public/token                        [SPEC]
  user_list,           // GET  /api/dci/v3/user                                  [DOC]
  user_create,         // POST /api/dci/v3/user                                  [DOC]
  server_list,         // GET  /api/dci/v3/server                                [DOC]
  server_get,          // GET  /api/dci/v3/server/{id}                           [DOC]
  server_configurations,  // GET /api/dci/v3/server/configuration                [DOC]
  server_power_on,     // POST /api/dci/v3/server/{id}/power_on                  [DOC]
  server_power_off,    // POST /api/dci/v3/server/{id}/power_off                 [DOC]
  location_list,       // GET  /api/dci/v3/location                              [ASSUMED]
  rack_list,           // GET  /api/dci/v3/rack                                  [ASSUMED]
  os_template_list,    // GET  /api/dci/v3/os_template                           [ASSUMED]
  script_list,         // GET  /api/dci/v3/script                                [ASSUMED]
  server_issue,        // POST /api/dci/v3/server/{id}/owner                     [ASSUMED]
  server_release,      // DELETE /api/dci/v3/server/{id}/owner                   [ASSUMED]
  server_ip_add,       // POST /api/dci/v3/server/{id}/ip                        [ASSUMED]
  server_ip_delete,    // DELETE /api/dci/v3/server/{id}/ip/{ip_id}              [ASSUMED]
  server_install_os,   // POST /api/dci/v3/server/{id}/operating_system          [ASSUMED]
  server_suspend,      // POST /api/dci/v3/server/{id}/suspend                   [ASSUMED]
  server_resume,       // POST /api/dci/v3/server/{id}/resume                    [ASSUMED]
  switch_port_list,    // GET  /api/dci/v3/switch/{id}/port                      [CODE]
  switch_port_edit,    // POST /api/dci/v3/switch/{id}/port/{port_id}            [ASSUMED]
  user_delete,         // DELETE /api/dci/v3/user/{id}                           [ASSUMED]
};
inline constexpr size_t kRouteCount = static_cast<size_t>(RouteId::user_delete) + 1;

// The name used in configuration and messages: "server.issue".
const char* route_name(RouteId id);
// The route of a name ("server.issue"); nullopt for an unknown name.
std::optional<RouteId> route_id(std::string_view name);

struct Route {
  std::string method;  // "GET", "POST" or "DELETE"
  std::string path;    // "/api/dci/v3/server/{id}/owner"
  bool assumed = false;  // not public: to be checked by `certify` against a live system
  bool overridden = false;  // set from configuration ("routes"), not the built-in default
};

// Values for a route's placeholders: {{"id", 5}}. Every placeholder is an object id.
using PathParams = std::vector<std::pair<std::string, int64_t>>;

class RouteTable {
 public:
  // Every route at its documented (or assumed) default.
  static RouteTable defaults();

  // Applies an object of overrides {"<route name>": "<METHOD> <path>"}. An unknown name, a value
  // that is not "METHOD /path", an unsupported method or a placeholder set that differs from the
  // default is an error naming the JSON pointer; on error the table is unchanged.
  common::Status apply_overrides(const common::JsonNode& overrides);

  const Route& route(RouteId id) const { return routes_[static_cast<size_t>(id)]; }
  // The path with every placeholder replaced by its id. Every placeholder of
  // the route must be given: a missing one is a bug in the caller (asserted).
  std::string expand(RouteId id, const PathParams& params) const;

  // "POST /api/dci/v3/server/{id}/owner", for messages and docs.
  std::string describe(RouteId id) const;
  // The overridden routes as an object {"server.issue": "POST /..."}: what apply_overrides read
  // (an empty object when every route is at its default).
  common::Json overrides() const;

 private:
  std::array<Route, kRouteCount> routes_;
};

// Parses "POST /api/dci/v3/server/{id}/owner" (method, one space, path); errors say what is wrong.
common::Result<Route> parse_route_text(std::string_view text);
// The placeholder names of a path, in order: "/a/{id}/b/{ip_id}" -> {"id", "ip_id"}.
common::Result<std::vector<std::string>> route_placeholders(std::string_view path);

}  // namespace dcisim::billing::dci6
