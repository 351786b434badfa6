// The route table shared by the socket server and the in-memory path: (method, path pattern) ->
// handler. Patterns are literal segments plus `{id}` (a positive integer) and `{any}` (any one
// segment), e.g. "/api/dci/v3/server/{id}/power_on". A literal segment wins over a parameter, so
// "/server/configuration" never reaches "/server/{id}". Handlers see plain values (common::
// HttpRequest), never httplib types, and return a Reply or an Error that api_error.h maps.
//
// Service prefixes: DCImanager answers every service both as /api/<service>/... and as
// /<service>/... (docs/EMULATOR.md, "Service prefixes"). Routes are registered once, under
// /api; `match` also tries a path without the prefix as /api + path, for every route at once.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/http.h"
#include "common/result.h"
#include "common/time.h"
#include "mockdci/ids.h"

namespace dcisim::mockdci {

// Who may call a route.
enum class Access {
  anyone,   // login: no token, but a DCImanager route (faults apply)
  open,     // the emulator's own public routes (health, OpenAPI): no token, never faulted
  session,  // any DCImanager token (@user or @admin)
  admin,    // an @admin token; a @user gets 403
  control,  // the control API's bearer token; DCImanager tokens never open it
};

struct Caller {
  UserId user;  // invalid for anyone/control routes
  bool admin = false;
  std::string email;
};

// One request as a handler sees it.
struct Call {
  const common::HttpRequest& request;
  std::vector<std::string> params;  // path parameters in pattern order
  Caller caller;
  common::Instant now;  // read once per request

  int64_t id(size_t index) const;  // params[index] as the integer `{id}` matched
};

struct Reply {
  Reply() = default;
  Reply(int status_in, nlohmann::json body_in) : status(status_in), body(std::move(body_in)) {}
  // A body already serialized (a cached server), sent as is.
  static Reply serialized(int status, std::string text) {
    Reply reply;
    reply.status = status;
    reply.text = std::move(text);
    return reply;
  }

  int status = 200;
  nlohmann::json body = nlohmann::json::object();
  std::string text;  // when not empty: the body, used instead of `body`
};

using Handler = std::function<common::Result<Reply>(Call&)>;

// "POST /api/dci/v3/server/{id}/owner=POST /api/dci/v3/server/{id}/assign": serve the route
// registered as the left side at the right side instead (`dcisim serve --route-alias`), as a
// DCImanager version whose path differs from ours would. Placeholders may be written with any
// name (`{ip_id}`); they are ids, and both sides must have the same number of them.
struct RouteAlias {
  std::string from_method, from_pattern;
  std::string to_method, to_pattern;
};
common::Result<RouteAlias> parse_route_alias(const std::string& text);

struct Route {
  std::string method;
  std::string pattern;
  Access access = Access::session;
  bool locks_model = true;  // false only for handlers that lock by themselves (clock advance)
  Handler handler;
  std::vector<std::string> segments;
};

class Router {
 public:
  void add(std::string method, std::string pattern, Access access, Handler handler, bool locks_model = true);

  // Paths whose first segment is not `prefix`'s are also tried as prefix + path ("/api": then
  // "/dci/v3/server" reaches "/api/dci/v3/server"). A route registered without the prefix
  // ("/mockdci/v1/...") still matches first.
  void set_optional_prefix(std::string prefix);

  // Moves a registered route to another method and path: the old one then answers as any unknown
  // path (404, or 405 when the path still has other methods). Errors name the alias.
  common::Status apply_alias(const RouteAlias& alias);

  struct Match {
    const Route* route = nullptr;     // nullptr: no route for this method
    std::vector<std::string> params;
    std::string allowed_methods;      // when the path matched under other methods: "GET, POST"
    std::string canonical_path;       // the path as registered: with the optional prefix
  };
  Match match(const std::string& method, const std::string& path) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  Match match_exact(const std::string& method, const std::vector<std::string>& path_segments) const;

  std::vector<Route> routes_;
  std::string optional_prefix_;  // "" = none
};

}  // namespace dcisim::mockdci
