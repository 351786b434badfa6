#include "certify/safety_net.h"

#include <algorithm>

#include "billing/dci6/json_fields.h"
#include "certify/route_match.h"
#include "common/json_input.h"
#include "common/json_text.h"

namespace dcisim::certify {

using billing::dci6::RouteId;
using common::HttpRequest;
using common::HttpResponse;
using common::Result;

namespace {

constexpr int kRefusedCode = 1001;  // DCImanager's "forbidden" family

Json body_of(const HttpRequest& request) {
  if (request.body.empty()) return Json::object();
  Result<Json> parsed = common::parse_json_text(request.body, "request body", false);
  return parsed && parsed->is_object() ? *parsed : Json::object();
}

bool is_server_route(RouteId id) {
  switch (id) {
    case RouteId::server_power_on:
    case RouteId::server_power_off:
    case RouteId::server_issue:
    case RouteId::server_release:
    case RouteId::server_ip_add:
    case RouteId::server_ip_delete:
    case RouteId::server_install_os:
    case RouteId::server_suspend:
    case RouteId::server_resume:
      return true;
    default:
      return false;
  }
}

}  // namespace

SafetyNet::SafetyNet(std::unique_ptr<common::HttpTransport> inner, SafetyNetOptions options)
    : inner_(std::move(inner)), options_(std::move(options)) {
  DCISIM_ASSERT(options_.ledger != nullptr, "the safety net needs a ledger");
}

std::vector<std::string> SafetyNet::refusals() const {
  std::lock_guard lock(mutex_);
  return refusals_;
}

void SafetyNet::adopt_created_user(int64_t user_id) {
  std::lock_guard lock(mutex_);
  created_users_.insert(user_id);
}

bool SafetyNet::created(int64_t user_id) const {
  std::lock_guard lock(mutex_);
  return created_users_.count(user_id) != 0;
}

bool SafetyNet::allowed(int64_t server_id) const {
  const std::vector<int64_t>& ids = options_.allowed_servers;
  return std::find(ids.begin(), ids.end(), server_id) != ids.end();
}

HttpResponse SafetyNet::refuse(const HttpRequest& request, const std::string& why) {
  std::string message = "dcisim safety net: " + why + "; nothing was sent";
  {
    std::lock_guard lock(mutex_);
    refusals_.push_back(request.method + " " + request.path + ": " + why);
  }
  HttpResponse response;
  response.status = 403;
  response.headers.emplace_back("Content-Type", "application/json");
  response.body = common::json_text(Json{{"error", {{"code", kRefusedCode}, {"msg", message}, {"value", request.path}}}});
  return response;
}

HttpRequest SafetyNet::restricted_server_list(const HttpRequest& request) const {
  std::string only;
  for (int64_t id : options_.allowed_servers) only += (only.empty() ? "" : " OR ") + std::string("id EQ ") + std::to_string(id);
  if (only.empty()) only = "id EQ 0";  // nothing allowed: billing sees no server at all
  HttpRequest restricted = request;
  bool found = false;
  for (auto& [name, value] : restricted.query) {
    if (name != "where") continue;
    found = true;
    value = value.empty() ? "(" + only + ")" : "(" + value + ") AND (" + only + ")";
  }
  if (!found) restricted.query.emplace_back("where", "(" + only + ")");
  return restricted;
}

int64_t SafetyNet::server_of_port(const HttpRequest& request, int64_t switch_id, int64_t port_id) {
  HttpRequest read;
  read.method = "GET";
  read.path = options_.routes.expand(RouteId::switch_port_list, {{"id", switch_id}});
  read.query = {{"where", "id EQ " + std::to_string(port_id)}};
  read.headers = request.headers;  // the same session; the body-less GET carries no secret of its own
  read.headers.erase(std::remove_if(read.headers.begin(), read.headers.end(),
                                    [](const auto& h) { return common::iequals(h.first, "Content-Type"); }),
                     read.headers.end());
  Result<HttpResponse> answer = inner_->send(read);
  if (!answer || answer->status != 200) return 0;
  Result<Json> body = common::parse_json_text(answer->body, "port list", false);
  if (!body) return 0;
  for (const Json& port : billing::dci6::json_member(*body, "list")) {
    if (billing::dci6::json_int(port, "id") == port_id) return billing::dci6::json_int(port, "server");
  }
  return 0;
}

Result<HttpResponse> SafetyNet::send(const HttpRequest& request) {
  std::optional<MatchedRoute> route = match_route(options_.routes, request.method, request.path);
  if (request.method == "GET") {
    if (route && route->id == RouteId::server_list) return inner_->send(restricted_server_list(request));
    return inner_->send(request);
  }
  if (route && route->id == RouteId::auth_token) return inner_->send(request);  // logging in changes nothing
  if (!route) return refuse(request, request.method + " " + request.path + " is not a route of the module's table");

  Json body = body_of(request);
  Json change = {{"route", billing::dci6::route_name(route->id)}, {"method", request.method}, {"path", request.path}};
  if (route->id == RouteId::user_create) {
    change["email"] = billing::dci6::json_text(body, "email");
  } else if (route->id == RouteId::user_delete) {
    int64_t user = route->params["id"];
    if (!created(user)) return refuse(request, "DCImanager user " + std::to_string(user) + " was not created by this run");
    change["user"] = user;
  } else if (is_server_route(route->id)) {
    int64_t server = route->params["id"];
    if (!allowed(server)) return refuse(request, "server " + std::to_string(server) + " is not in --allow-server");
    change["server"] = server;
    if (route->id == RouteId::server_issue) {
      int64_t owner = billing::dci6::json_id_of(billing::dci6::json_member(body, "owner"));
      if (!created(owner)) {
        return refuse(request, "DCImanager user " + std::to_string(owner) +
                                   " was not created by this run: a server is issued only to a user the run created");
      }
      change["owner"] = owner;
      change["domain"] = billing::dci6::json_text(body, "domain");
    }
  } else if (route->id == RouteId::switch_port_edit) {
    int64_t server = server_of_port(request, route->params["id"], route->params["port_id"]);
    if (!allowed(server)) {
      return refuse(request, "port " + std::to_string(route->params["port_id"]) + " of switch " +
                                 std::to_string(route->params["id"]) + " is not connected to a server in --allow-server");
    }
    change["server"] = server;
    change["admin_status"] = billing::dci6::json_text(body, "admin_status");
  } else {
    return refuse(request, std::string(billing::dci6::route_name(route->id)) + " is not a change the live target makes");
  }

  Result<int64_t> seq = options_.ledger->record_change(change);
  if (!seq) return refuse(request, "the teardown ledger cannot be written (" + seq.error().message + ")");
  Result<HttpResponse> answer = inner_->send(request);
  int64_t created = 0;
  if (answer && answer->status >= 200 && answer->status < 300 && route->id == RouteId::user_create) {
    Result<Json> parsed = common::parse_json_text(answer->body, "answer", false);
    if (parsed) created = billing::dci6::json_int(*parsed, "id");
    if (created > 0) adopt_created_user(created);
  }
  // A failed write of the answer is not fatal: the cleanup checks the remote state anyway.
  (void)options_.ledger->record_result(*seq, answer ? answer->status : 0, created);
  return answer;
}

}  // namespace dcisim::certify
