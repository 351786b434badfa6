#include "billing/dci6/routes.h"

#include <algorithm>
#include <cctype>

namespace dcisim::billing::dci6 {

namespace {

struct RouteDefault {
  RouteId id;
  const char* name;
  const char* method;
  const char* path;
  bool assumed;
};

// In RouteId order (checked by an assertion in defaults()).
constexpr RouteDefault kDefaults[] = {
    {RouteId::auth_token, "auth.token", "POST", "/api/auth/v4/public/token", false},
    {RouteId::user_list, "user.list", "GET", "/api/dci/v3/user", false},
    {RouteId::user_create, "user.create", "POST", "/api/dci/v3/user", false},
    {RouteId::server_list, "server.list", "GET", "/api/dci/v3/server", false},
    {RouteId::server_get, "server.get", "GET", "/api/dci/v3/server/{id}", false},
    {RouteId::server_configurations, "server.configurations", "GET", "/api/dci/v3/server/configuration", false},
    {RouteId::server_power_on, "server.power_on", "POST", "/api/dci/v3/server/{id}/power_on", false},
    {RouteId::server_power_off, "server.power_off", "POST", "/api/dci/v3/server/{id}/power_off", false},
    {RouteId::location_list, "location.list", "GET", "/api/dci/v3/location", true},
    {RouteId::rack_list, "rack.list", "GET", "/api/dci/v3/rack", true},
    {RouteId::os_template_list, "os_template.list", "GET", "/api/dci/v3/os_template", true},
    {RouteId::script_list, "script.list", "GET", "/api/dci/v3/script", true},
    {RouteId::server_issue, "server.issue", "POST", "/api/dci/v3/server/{id}/owner", true},
    {RouteId::server_release, "server.release", "DELETE", "/api/dci/v3/server/{id}/owner", true},
    {RouteId::server_ip_add, "server.ip_add", "POST", "/api/dci/v3/server/{id}/ip", true},
    {RouteId::server_ip_delete, "server.ip_delete", "DELETE", "/api/dci/v3/server/{id}/ip/{ip_id}", true},
    {RouteId::server_install_os, "server.install_os", "POST", "/api/dci/v3/server/{id}/operating_system", true},
    {RouteId::server_suspend, "server.suspend", "POST", "/api/dci/v3/server/{id}/suspend", true},
    {RouteId::server_resume, "server.resume", "POST", "/api/dci/v3/server/{id}/resume", true},
    {RouteId::switch_port_list, "switch.port_list", "GET", "/api/dci/v3/switch/{id}/port", false},
    {RouteId::switch_port_edit, "switch.port_edit", "POST", "/api/dci/v3/switch/{id}/port/{port_id}", true},
    // Not called by the module's operations: `certify` and the live target's teardown remove the
    // DCImanager users a run created (API.md §5).
    {RouteId::user_delete, "user.delete", "DELETE", "/api/dci/v3/user/{id}", true},
};
static_assert(std::size(kDefaults) == kRouteCount, "one default per RouteId");

const RouteDefault* find_default(std::string_view name) {
  for (const RouteDefault& entry : kDefaults) {
    if (name == entry.name) return &entry;
  }
  return nullptr;
}

std::string known_names() {
  std::string out;
  for (const RouteDefault& entry : kDefaults) out += (out.empty() ? "" : ", ") + std::string(entry.name);
  return out;
}

bool valid_path_char(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return std::isalnum(u) || c == '/' || c == '_' || c == '-' || c == '.' || c == '~' || c == '{' || c == '}';
}

}  // namespace

const char* route_name(RouteId id) { return kDefaults[static_cast<size_t>(id)].name; }

std::optional<RouteId> route_id(std::string_view name) {
  const RouteDefault* entry = find_default(name);
  if (entry == nullptr) return std::nullopt;
  return entry->id;
}

RouteTable RouteTable::defaults() {
  RouteTable table;
  for (size_t i = 0; i < kRouteCount; ++i) {
    DCISIM_ASSERT(static_cast<size_t>(kDefaults[i].id) == i, "route defaults out of RouteId order");
    table.routes_[i] = Route{kDefaults[i].method, kDefaults[i].path, kDefaults[i].assumed};
  }
  return table;
}

common::Result<std::vector<std::string>> route_placeholders(std::string_view path) {
  std::vector<std::string> names;
  size_t at = 0;
  while (at < path.size()) {
    size_t open = path.find_first_of("{}", at);
    if (open == std::string_view::npos) break;
    if (path[open] == '}') return common::Error::invalid("unbalanced '}' at position " + std::to_string(open + 1));
    size_t close = path.find_first_of("{}", open + 1);
    if (close == std::string_view::npos || path[close] == '{') {
      return common::Error::invalid("unclosed '{' at position " + std::to_string(open + 1));
    }
    std::string name(path.substr(open + 1, close - open - 1));
    bool well_formed = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || c == '_';
    });
    if (!well_formed) return common::Error::invalid("bad placeholder '{" + name + "}' (expected {id}, {ip_id}, ...)");
    names.push_back(std::move(name));
    at = close + 1;
  }
  return names;
}

common::Result<Route> parse_route_text(std::string_view text) {
  size_t space = text.find(' ');
  if (space == std::string_view::npos) {
    return common::Error::invalid("expected \"METHOD /path\", e.g. \"POST /api/dci/v3/server/{id}/owner\"");
  }
  std::string method(text.substr(0, space));
  std::string path(text.substr(space + 1));
  if (method != "GET" && method != "POST" && method != "DELETE") {
    return common::Error::invalid("method \"" + method + "\" is not one of GET, POST, DELETE");
  }
  if (path.empty() || path[0] != '/') return common::Error::invalid("the path must start with '/'");
  for (char c : path) {
    if (!valid_path_char(c)) {
      return common::Error::invalid(std::string("the path may hold only letters, digits, / _ - . ~ and {placeholders}, found '") + c + "'");
    }
  }
  common::Result<std::vector<std::string>> placeholders = route_placeholders(path);
  if (!placeholders) return placeholders.error();
  return Route{std::move(method), std::move(path), true};
}

common::Status RouteTable::apply_overrides(const common::JsonNode& overrides) {
  if (!overrides.present()) return common::Status::success();
  if (common::Status object = overrides.require_object(); !object) return object;
  std::array<Route, kRouteCount> updated = routes_;
  for (auto it = overrides.raw()->begin(); it != overrides.raw()->end(); ++it) {
    common::JsonNode node = overrides.at(it.key());
    const RouteDefault* entry = find_default(it.key());
    if (entry == nullptr) {
      return node.error_message("unknown route \"" + it.key() + "\" (known routes: " + known_names() + ")");
    }
    common::Result<std::string> text = node.non_empty_string();
    if (!text) return node.error("a route such as \"POST /api/dci/v3/server/{id}/owner\"");
    common::Result<Route> parsed = parse_route_text(*text);
    if (!parsed) return node.error_message(parsed.error().message);
    std::vector<std::string> wanted = *route_placeholders(entry->path);
    std::vector<std::string> given = *route_placeholders(parsed->path);
    std::sort(wanted.begin(), wanted.end());
    std::sort(given.begin(), given.end());
    if (wanted != given) {
      return node.error_message("the path must use exactly the placeholders of the default \"" +
                                std::string(entry->path) + "\"");
    }
    parsed->assumed = true;  // an operator's choice is as unverified as our own assumption
    parsed->overridden = true;
    updated[static_cast<size_t>(entry->id)] = std::move(parsed).value();
  }
  routes_ = std::move(updated);
  return common::Status::success();
}

std::string RouteTable::expand(RouteId id, const PathParams& params) const {
  const std::string& path = route(id).path;
  std::string out;
  size_t at = 0;
  while (at < path.size()) {
    size_t open = path.find('{', at);
    if (open == std::string::npos) {
      out.append(path, at, std::string::npos);
      break;
    }
    size_t close = path.find('}', open);
    DCISIM_ASSERT(close != std::string::npos, "route paths are validated when set");
    out.append(path, at, open - at);
    std::string name = path.substr(open + 1, close - open - 1);
    auto param = std::find_if(params.begin(), params.end(), [&](const auto& p) { return p.first == name; });
    DCISIM_ASSERT(param != params.end(), "a route placeholder without a value");
    out += std::to_string(param->second);
    at = close + 1;
  }
  return out;
}

std::string RouteTable::describe(RouteId id) const { return route(id).method + " " + route(id).path; }

common::Json RouteTable::overrides() const {
  common::Json out = common::Json::object();
  for (size_t i = 0; i < kRouteCount; ++i) {
    if (routes_[i].overridden) out[kDefaults[i].name] = routes_[i].method + " " + routes_[i].path;
  }
  return out;
}

}  // namespace dcisim::billing::dci6
