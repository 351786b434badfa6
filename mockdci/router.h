// The route table shared by the socket server and the in-memory path: (method, path pattern) ->
// handler. Patterns are literal segments plus `{id}` (a positive integer) and `{any}` (any one
// segment), e.g. "/api/dci/v3/server/{id}/power_on". A literal segment wins over a parameter, so
// "/server/configuration" never reaches "/server/{id}". Handlers see plain values (common::
// HttpRequest), never httplib types, and return a Reply or an Error that api_error.h maps.
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
  anyone,   // login
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

  struct Match {
    const Route* route = nullptr;     // nullptr: no route for this method
    std::vector<std::string> params;
    std::string allowed_methods;      // when the path matched under other methods: "GET, POST"
  };
  Match match(const std::string& method, const std::string& path) const;

 private:
  std::vector<Route> routes_;
};

}  // namespace dcisim::mockdci
