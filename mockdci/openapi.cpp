#include "mockdci/openapi.h"

#include <map>
#include <string_view>

namespace dcisim::mockdci {

using Json = nlohmann::json;

namespace {

struct RouteDoc {
  const char* summary;
  int success_status = 200;
  bool list = false;  // a collection: accepts where, orderby and limit
};

// One line per route: "METHOD pattern" as registered.
const std::map<std::string_view, RouteDoc>& route_docs() {
  static const std::map<std::string_view, RouteDoc> docs = {
      {"POST /api/auth/v4/public/token", {"Log in with e-mail and password: a session token", 201}},
      {"POST /api/auth/v4/public/key", {"Exchange a one-time key for a session token", 201}},
      {"POST /api/auth/v4/token", {"Create a long-lived token (expires_at, description)", 201}},
      {"DELETE /api/auth/v4/token/{any}", {"Delete a token by id or value"}},
      {"GET /api/auth/v4/user", {"List users (auth v4 UserGet rows)", 200, true}},
      {"POST /api/auth/v4/user", {"Create a user (email, full_name, password, roles, auth_source, email_confirm)", 201}},
      {"GET /api/auth/v4/user/{any}", {"One user, by id or e-mail"}},
      {"POST /api/auth/v4/user/{any}", {"Edit a user (full_name, roles, auth_source, email_confirm, lang)"}},
      {"DELETE /api/auth/v4/user/{any}", {"Delete a user who owns no server"}},
      {"POST /api/auth/v4/user/{any}/password", {"Set a user's password"}},
      {"POST /api/auth/v4/user/{any}/suspend", {"Disable a user: no login, its tokens stop working"}},
      {"POST /api/auth/v4/user/{any}/resume", {"Enable a user again"}},
      {"POST /api/auth/v4/user/{any}/key", {"Create a one-time login key for a user", 201}},
      {"GET /api/auth/v4/self", {"The caller's own user"}},
      {"POST /api/auth/v4/self", {"Edit the caller's own user (full_name, lang)"}},
      {"POST /api/auth/v4/self/password", {"Change the caller's password (old_password, password)"}},
      {"POST /api/auth/v4/self/key", {"Create a one-time login key for the caller", 201}},
      {"GET /api/dci/v3/server", {"List servers (a @user: its own)", 200, true}},
      {"GET /api/dci/v3/server/configuration", {"Free servers per configuration", 200, true}},
      {"GET /api/dci/v3/server/{id}", {"One server"}},
      {"POST /api/dci/v3/server/{id}/power_on", {"Power on (only when OFF or UNKNOWN)"}},
      {"POST /api/dci/v3/server/{id}/power_off", {"Power off (only when ON)"}},
      {"POST /api/dci/v3/server/{id}/power_reset", {"Power reset"}},
      {"POST /api/dci/v3/server/{id}/owner", {"Issue the server to a user, allocating its addresses [ASSUMED]"}},
      {"DELETE /api/dci/v3/server/{id}/owner", {"Release the server: addresses back, diagnostics [ASSUMED]"}},
      {"POST /api/dci/v3/server/{id}/ip", {"An extra address from the server's pool [ASSUMED]"}},
      {"DELETE /api/dci/v3/server/{id}/ip/{id}", {"Remove an address of the server [ASSUMED]"}},
      {"POST /api/dci/v3/server/{id}/operating_system", {"Install an OS: an operation [ASSUMED]"}},
      {"POST /api/dci/v3/server/{id}/suspend", {"Switch ports down [ASSUMED]"}},
      {"POST /api/dci/v3/server/{id}/resume", {"Switch ports up [ASSUMED]"}},
      {"GET /api/dci/v3/location", {"List locations", 200, true}},
      {"GET /api/dci/v3/rack", {"List racks", 200, true}},
      {"GET /api/dci/v3/os_template", {"List OS templates", 200, true}},
      {"GET /api/dci/v3/script", {"List scripts", 200, true}},
      {"GET /api/dci/v3/user", {"List users (dci v3 rows)", 200, true}},
      {"POST /api/dci/v3/user", {"Create a user (email, full_name, password, phone_number, role)"}},
      {"GET /api/dci/v3/user/{id}", {"One user (dci v3 row)"}},
      {"DELETE /api/dci/v3/user/{id}", {"Delete a user who owns no server"}},
      {"GET /api/dci/v3/switch", {"List switches", 200, true}},
      {"GET /api/dci/v3/switch/{id}/port", {"List a switch's ports", 200, true}},
      {"POST /api/dci/v3/switch/{id}/port/{id}", {"Set a port's admin_status"}},
      {"GET /mockdci/v1/state", {"The whole model (no secrets)"}},
      {"POST /mockdci/v1/reset", {"Back to the inventory"}},
      {"GET /mockdci/v1/clock", {"The emulator's clock"}},
      {"POST /mockdci/v1/clock/advance", {"Advance a virtual clock"}},
      {"GET /mockdci/v1/journal", {"The request journal (?last=N)"}},
      {"GET /mockdci/v1/faults", {"The injected faults"}},
      {"POST /mockdci/v1/faults", {"Inject faults: rules of the fault catalogue, timings, the first API's counters"}},
      {"DELETE /mockdci/v1/faults", {"Clear every fault rule and counter"}},
      {"POST /mockdci/v1/pool/{any}", {"Operator action: take free IPv4 addresses out of a pool (by name)"}},
      {"POST /mockdci/v1/server/{id}", {"An operator's out-of-band action on a server: power, ports, maintenance, another owner, domain, release"}},
      {"GET /mockdci/v1/health", {"Health check: {\"status\": \"ok\"}"}},
      {"GET /mockdci/v1/openapi.json", {"This document"}},
  };
  return docs;
}

// IPmanager routes are the same under /api/ip/v3 and the /api/dci/v3/ipmgr alias.
const std::map<std::string_view, RouteDoc>& ipmgr_docs() {
  static const std::map<std::string_view, RouteDoc> docs = {
      {"GET /ippool", {"List IP pools", 200, true}},
      {"GET /ippool/{id}", {"One IP pool"}},
      {"POST /ippool/{id}/ip", {"Allocate an address from a pool"}},
      {"GET /ipnet", {"List networks", 200, true}},
      {"GET /ipnet/{id}", {"One network"}},
      {"GET /ip", {"List addresses handed out", 200, true}},
      {"GET /ip/{id}", {"One address"}},
      {"POST /ip/{id}", {"Edit an address (domain, status, note, locked)"}},
      {"DELETE /ip/{id}", {"Release an address"}},
  };
  return docs;
}

const RouteDoc* find_doc(const std::string& method, const std::string& pattern) {
  std::string key = method + " " + pattern;
  if (auto it = route_docs().find(key); it != route_docs().end()) return &it->second;
  for (std::string_view base : {"/api/ip/v3", "/api/dci/v3/ipmgr"}) {
    if (pattern.compare(0, base.size(), base) != 0) continue;
    std::string rest = method + " " + pattern.substr(base.size());
    if (auto it = ipmgr_docs().find(rest); it != ipmgr_docs().end()) return &it->second;
  }
  return nullptr;
}

// "/api/dci/v3/switch/{id}/port/{id}" -> "/api/dci/v3/switch/{switch_id}/port/{port_id}", and the
// parameter names in order. `{any}` after "token" or "user" is that object's id (or value, e-mail).
std::string openapi_path(const Route& route, std::vector<std::pair<std::string, bool>>& params) {
  std::string path;
  std::string previous;
  for (const std::string& segment : route.segments) {
    std::string out = segment;
    if (segment == "{id}" || segment == "{any}") {
      std::string name = previous + "_id";
      params.emplace_back(name, segment == "{id}");
      out = "{" + name + "}";
    }
    path += "/" + out;
    previous = segment;
  }
  return path;
}

Json security_of(Access access) {
  switch (access) {
    case Access::anyone:
    case Access::open: return Json::array();
    case Access::control: return Json::array({{{"control", Json::array()}}});
    case Access::session:
    case Access::admin: return Json::array({{{"session_header", Json::array()}}, {{"session_cookie", Json::array()}}});
  }
  return Json::array();
}

std::string tag_of(const std::string& pattern) {
  if (pattern.rfind("/api/auth/", 0) == 0) return "auth v4";
  if (pattern.rfind("/api/ip/", 0) == 0) return "IPmanager v3";
  if (pattern.rfind("/api/dci/v3/ipmgr", 0) == 0) return "IPmanager v3 (dci alias)";
  if (pattern.rfind("/api/dci/", 0) == 0) return "dci v3";
  return "emulator";
}

Json operation_of(const Route& route, const std::vector<std::pair<std::string, bool>>& path_params) {
  const RouteDoc* doc = find_doc(route.method, route.pattern);
  Json op(Json::value_t::object);
  op["summary"] = doc != nullptr ? doc->summary : "";
  op["tags"] = Json::array({tag_of(route.pattern)});
  op["security"] = security_of(route.access);
  if (route.access == Access::admin) op["x-dcisim-access"] = "@admin";
  if (route.access == Access::session) op["x-dcisim-access"] = "@admin or @user";
  Json params = Json::array();
  for (const auto& [name, integer] : path_params) {
    Json schema = integer ? Json{{"type", "integer"}, {"minimum", 1}} : Json{{"type", "string"}};
    params.push_back({{"name", name}, {"in", "path"}, {"required", true}, {"schema", schema}});
  }
  if (doc != nullptr && doc->list) {
    for (const char* name : {"where", "orderby", "limit"}) {
      params.push_back({{"name", name}, {"in", "query"}, {"required", false}, {"schema", {{"type", "string"}}}});
    }
  }
  if (!params.empty()) op["parameters"] = params;
  if (route.method == "POST") {
    op["requestBody"] = {{"required", false},
                         {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}};
  }
  int status = doc != nullptr ? doc->success_status : 200;
  Json success_schema = doc != nullptr && doc->list ? Json{{"$ref", "#/components/schemas/List"}}
                                                     : Json{{"type", "object"}};
  op["responses"] = {
      {std::to_string(status), {{"description", "success"}, {"content", {{"application/json", {{"schema", success_schema}}}}}}},
      {"default", {{"description", "DCImanager's error JSON (503: the text Unavailable)"},
                   {"content", {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}}}};
  return op;
}

Json components() {
  Json error = {{"type", "object"},
                {"required", {"error"}},
                {"properties",
                 {{"error",
                   {{"type", "object"},
                    {"required", {"code", "msg", "value"}},
                    {"properties",
                     {{"code", {{"type", "integer"}}}, {"msg", {{"type", "string"}}}, {"value", {{"type", "string"}}}}}}}}}};
  Json list = {{"type", "object"},
               {"required", {"list", "size"}},
               {"properties", {{"list", {{"type", "array"}, {"items", {{"type", "object"}}}}}, {"size", {{"type", "integer"}}}}}};
  Json schemes = {
      {"session_header", {{"type", "apiKey"}, {"in", "header"}, {"name", "x-xsrf-token"}}},
      {"session_cookie", {{"type", "apiKey"}, {"in", "cookie"}, {"name", "ses6"}}},
      {"control", {{"type", "http"}, {"scheme", "bearer"}, {"description", "the control token of dcisim serve"}}}};
  return {{"schemas", {{"Error", error}, {"List", list}}}, {"securitySchemes", schemes}};
}

}  // namespace

const char* route_summary(const std::string& method, const std::string& pattern) {
  const RouteDoc* doc = find_doc(method, pattern);
  return doc != nullptr ? doc->summary : "";
}

Json openapi_document(const Router& router) {
  Json paths(Json::value_t::object);
  for (const Route& route : router.routes()) {
    std::vector<std::pair<std::string, bool>> params;
    std::string path = openapi_path(route, params);
    std::string method = route.method;
    for (char& c : method) c = static_cast<char>(c - 'A' + 'a');
    paths[path][method] = operation_of(route, params);
  }
  Json info = {{"title", "dcisim: DCImanager 6 emulator"},
               {"version", "1"},
               {"description",
                "The DCImanager 6 API as the emulator serves it (auth v4, dci v3, IPmanager v3) and its own "
                "/mockdci/v1 control API. Every /api/<service>/... path also answers as /<service>/.... "
                "Generated from the route table; see docs/EMULATOR.md."}};
  return {{"openapi", "3.0.3"}, {"info", info}, {"servers", Json::array({{{"url", "/"}}})}, {"paths", paths},
          {"components", components()}};
}

}  // namespace dcisim::mockdci
