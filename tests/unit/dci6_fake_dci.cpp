#include "dci6_fake_dci.h"

#include <sstream>

namespace dcisim::testing {

namespace {

const std::string kToken = "fake-token";

common::HttpResponse answer(int status, const Json& body) {
  common::HttpResponse response;
  response.status = status;
  response.body = body.dump();
  return response;
}

common::HttpResponse error(int status, int code, const std::string& msg) {
  return answer(status, {{"error", {{"code", code}, {"msg", msg}, {"value", ""}}}});
}

std::vector<std::string> segments(const std::string& path) {
  std::vector<std::string> out;
  std::stringstream stream(path);
  std::string part;
  while (std::getline(stream, part, '/')) {
    if (!part.empty()) out.push_back(part);
  }
  return out;
}

// {"list": rows[offset, offset+size), "size": rows.size()} per `limit`.
Json page(const std::vector<Json>& rows, const common::HttpRequest& request) {
  size_t offset = 0;
  size_t size = rows.size();
  if (const std::string* limit = request.query_param("limit")) {
    size_t comma = limit->find(',');
    if (comma == std::string::npos) {
      size = std::stoul(*limit);
    } else {
      offset = std::stoul(limit->substr(0, comma));
      size = std::stoul(limit->substr(comma + 1));
    }
  }
  Json list = Json::array();
  for (size_t i = offset; i < rows.size() && i < offset + size; ++i) list.push_back(rows[i]);
  return {{"list", list}, {"size", rows.size()}};
}

}  // namespace

int64_t FakeDci::add_server(const std::string& configuration, int64_t location_id) {
  FakeServer server;
  server.id = next_id_++;
  server.name = "A1-" + std::to_string(server.id);
  server.configuration = configuration;
  server.location_id = location_id;
  server.port_id = 100 + server.id;
  port_status[server.port_id] = "up";
  servers[server.id] = server;
  return server.id;
}

int64_t FakeDci::add_user(const std::string& email) {
  int64_t id = next_id_++;
  users[id] = email;
  return id;
}

int64_t FakeDci::allocate_ip(const std::string& family) {
  int64_t id = next_id_++;
  std::string address = family == "ipv4" ? "203.0.113." + std::to_string(ipv4_host_++)
                                         : "2001:db8::" + std::to_string(ipv6_host_++);
  ips_[id] = {address, family};
  return id;
}

void FakeDci::finish_operations(const std::string& status) {
  for (auto& [id, server] : servers) {
    if (server.operation_status == "running") server.operation_status = status;
    server.diagnostics = false;
  }
}

void FakeDci::settle_transitions() {
  for (auto& [id, server] : servers) {
    if (server.state == "suspending") server.state = "suspended";
    if (server.state == "resuming") server.state = "active";
    if (!server.pending_power.empty()) {
      server.power = server.pending_power;
      server.pending_power.clear();
      server.operation_status = "ok";
    }
    if (server.releasing) {
      server.releasing = false;
      server.owner.reset();
      server.domain.clear();
      server.ips.clear();
      server.state = "active";
      server.operation_status = "ok";
    }
  }
}

size_t FakeDci::count(const std::string& method, const std::string& path) const {
  size_t n = 0;
  for (const common::HttpRequest& request : requests) n += request.method == method && request.path == path ? 1 : 0;
  return n;
}

std::vector<common::HttpRequest> FakeDci::mutations() const {
  std::vector<common::HttpRequest> out;
  for (const common::HttpRequest& request : requests) {
    if (request.method != "GET" && request.path != "/api/auth/v4/public/token") out.push_back(request);
  }
  return out;
}

Json FakeDci::server_json(const FakeServer& server) const {
  Json ip = Json::array();
  for (int64_t id : server.ips) ip.push_back({{"id", id}, {"name", ips_.at(id).first}, {"family", ips_.at(id).second}});
  Json link = {{"id", server.id}, {"switch", server.switch_id}, {"connection_id", server.port_id}, {"is_ipmi_connection", false}};
  if (!omit_port_status) link["admin_status"] = port_status.at(server.port_id);
  Json out = {{"id", server.id}, {"name", server.name}, {"domain", server.domain}, {"configuration", server.configuration},
              {"state", server.state}, {"power_status", server.power}, {"is_new", server.is_new},
              {"location_id", server.location_id}, {"maintenance", server.maintenance}, {"diagnostics", server.diagnostics},
              {"ip", ip}, {"switch_connection", Json::array({link})}};
  out["owner"] = server.owner ? Json(*server.owner) : Json();
  out["owner_email"] = server.owner ? Json(users.at(*server.owner)) : Json();
  out["operation"] = server.operation_status.empty()
                         ? Json()
                         : Json{{"id", server.operation_id}, {"status", server.operation_status}, {"status_info", ""}};
  return out;
}

common::HttpResponse FakeDci::handle(const common::HttpRequest& request) {
  requests.push_back(request);
  Json body = request.body.empty() ? Json::object() : Json::parse(request.body, nullptr, false);
  if (request.path == "/api/auth/v4/public/token") return answer(201, {{"id", "1"}, {"token", kToken}});
  const std::string* token = request.header("x-xsrf-token");
  if (token == nullptr || *token != kToken) return error(401, 1000, "Unauthorized");
  return route(request, body);
}

common::HttpResponse FakeDci::route(const common::HttpRequest& request, const Json& body) {
  std::vector<std::string> parts = segments(request.path);  // api dci v3 <collection> ...
  if (parts.size() < 4) return error(404, 404, "no such path");
  const std::string& collection = parts[3];
  std::vector<Json> rows;
  if (collection == "user" && parts.size() == 4) {
    if (request.method == "POST") {
      for (const auto& [id, email] : users) {
        if (email == body.value("email", "")) return error(400, 2001, "User already exists");
      }
      return answer(200, {{"id", add_user(body.value("email", ""))}});
    }
    for (const auto& [id, email] : users) rows.push_back({{"id", id}, {"email", email}, {"roles", {"@user"}}});
    return answer(200, page(rows, request));
  }
  if (collection == "os_template") {
    rows = {{{"id", 1}, {"name", "Debian 12"}}, {{"id", 2}, {"name", "Ubuntu 24.04"}}};
    return answer(200, page(rows, request));
  }
  if (collection == "script") {
    int64_t id = 1;
    for (const auto& [name, access] : scripts) rows.push_back({{"id", id++}, {"name", name}, {"access", access}});
    return answer(200, page(rows, request));
  }
  if (collection == "switch" && parts.size() >= 6) {
    int64_t switch_id = std::stoll(parts[4]);
    if (parts.size() == 7 && request.method == "POST") {
      port_status[std::stoll(parts[6])] = body.value("admin_status", "up");
      return answer(200, {{"id", std::stoll(parts[6])}});
    }
    for (const auto& [id, server] : servers) {
      if (server.switch_id == switch_id) rows.push_back({{"id", server.port_id}, {"admin_status", port_status[server.port_id]}});
    }
    return answer(200, page(rows, request));
  }
  if (collection != "server") return error(404, 404, "no such collection");
  if (parts.size() == 4) {
    for (const auto& [id, server] : servers) rows.push_back(server_json(server));
    return answer(200, page(rows, request));
  }
  if (parts[4] == "configuration") {
    std::map<std::string, int> free;
    for (const auto& [id, server] : servers) free[server.configuration] += server.owner ? 0 : 1;
    for (const auto& [configuration, count] : free) rows.push_back({{"configuration", configuration}, {"free_server_count", count}});
    return answer(200, {{"list", rows}});
  }
  auto found = servers.find(std::stoll(parts[4]));
  if (found == servers.end()) return error(404, 4004, "Server not found");
  if (parts.size() == 5) return answer(200, server_json(found->second));
  return server_call(found->second, parts[5], request, body);
}

common::HttpResponse FakeDci::server_call(FakeServer& server, const std::string& action, const common::HttpRequest& request,
                                          const Json& body) {
  if (action == "owner" && request.method == "POST") {
    if (server.owner || server.operation_status == "running") return error(400, 3001, "Server is not available");
    if (auto refused = refuse_issue.find(server.id); refused != refuse_issue.end()) {
      return error(409, 3003, refused->second);
    }
    server.owner = body.value("owner", int64_t{0});
    server.domain = body.value("domain", "");
    server.ips.push_back(allocate_ip("ipv4"));
    if (pool_has_ipv6) server.ips.push_back(allocate_ip("ipv6"));
  } else if (action == "owner" && request.method == "DELETE") {
    if (!server.owner) return error(400, 3002, "Server has no owner");
    if (server.operation_status == "running") return error(400, 3004, "An operation is running");
    if (hold_release) {
      server.releasing = true;
      server.state = "releasing";
      server.operation_id = next_id_++;
      server.operation_status = "running";
      return answer(200, {{"id", server.id}});
    }
    server.owner.reset();
    server.domain.clear();
    server.ips.clear();
    server.state = "active";
    server.diagnostics = true;
    server.operation_id = next_id_++;
    server.operation_status = "running";
  } else if (action == "ip") {
    server.ips.push_back(allocate_ip(body.value("family", "ipv4")));
  } else if (action == "operating_system") {
    server.operation_id = next_id_++;
    server.operation_status = "running";
    return answer(200, {{"id", server.id}, {"task", server.operation_id}});
  } else if (action == "suspend" || action == "resume") {
    bool suspend = action == "suspend";
    port_status[server.port_id] = suspend ? "down" : "up";
    server.state = hold_transitions ? (suspend ? "suspending" : "resuming") : (suspend ? "suspended" : "active");
  } else if (action == "power_on" || action == "power_off") {
    bool on = action == "power_on";
    bool is_on = common::iequals(server.power, "ON");  // a real DCImanager may write "on"
    if (on ? is_on : !is_on) return error(400, 3003, "Wrong power state");
    if (server.operation_status == "running") return error(400, 3004, "An operation is running");
    if (hold_power) {
      server.pending_power = on ? "ON" : "OFF";
      server.operation_id = next_id_++;
      server.operation_status = "running";
    } else {
      server.power = on ? "ON" : "OFF";
    }
  } else {
    return error(404, 404, "no such action");
  }
  return answer(200, {{"id", server.id}});
}

common::Result<common::HttpResponse> LossyTransport::send(const common::HttpRequest& request) {
  common::HttpResponse response = dci_.handle(request);
  bool matches = request.method == lose_method_ && request.path.size() >= lose_suffix_.size() &&
                 request.path.compare(request.path.size() - lose_suffix_.size(), lose_suffix_.size(), lose_suffix_) == 0;
  if (lose_left_ > 0 && matches) {
    --lose_left_;
    return common::Error::io(request.method + " " + request.path + ": connection reset (the answer was lost)");
  }
  return response;
}

void LossyTransport::lose_answers(std::string method, std::string path_suffix, int times) {
  lose_method_ = std::move(method);
  lose_suffix_ = std::move(path_suffix);
  lose_left_ = times;
}

common::Status RecordingContext::checkpoint(const Json& progress) {
  if (fail_checkpoints) return common::Error::io("database is locked");
  checkpoints.push_back(progress);
  requests_at_checkpoint.push_back(dci_.requests.size());
  return common::Status::success();
}

}  // namespace dcisim::testing
