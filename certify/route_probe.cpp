// Every route of the module's table that names an object, probed without changing anything: the
// route is called on an object that does not exist, and the answer is compared with the answer
// to a path that surely is no route. "Unknown object" (404 with DCImanager's error JSON, saying
// what was not found) holds the route; an answer like the unknown route's, a 405 or a 2xx does not.
#include <cctype>

#include "certify/probes_internal.h"

namespace dcisim::certify::internal {

using dci6::RouteId;

namespace {

// A plausible body for each change, aimed at an object that does not exist.
Json probe_body(RouteId route) {
  switch (route) {
    case RouteId::server_issue: return {{"owner", kMissingId}, {"domain", "dcisim-certify.invalid"}};
    case RouteId::server_ip_add: return {{"family", "ipv4"}};
    case RouteId::server_install_os:
      return {{"os_template", kMissingId}, {"password", "dcisim-certify-probe"}, {"domain", "dcisim-certify.invalid"}};
    case RouteId::switch_port_edit: return {{"admin_status", "up"}};
    default: return Json::object();
  }
}

// The answer with numbers and the request's path taken out, to compare two answers' kind.
std::string shape_of(const Exchange& answer, const std::string& path) {
  std::string text = answer.json.is_null() ? answer.body.substr(0, 300) : answer.error_msg();
  for (size_t at = text.find(path); at != std::string::npos; at = text.find(path)) text.replace(at, path.size(), "<path>");
  std::string out = std::to_string(answer.status) + " ";
  for (char c : text) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      if (out.empty() || out.back() != '#') out += '#';
    } else {
      out += c;
    }
  }
  return out;
}

bool has_placeholder(const std::string& path) { return path.find('{') != std::string::npos; }

}  // namespace

void Probes::route_checks() {
  const dci6::RouteTable& routes = session_.routes();
  for (size_t i = 0; i < dci6::kRouteCount; ++i) {
    auto route = static_cast<RouteId>(i);
    const dci6::Route& entry = routes.route(route);
    bool probe_create = route == RouteId::user_create;
    if (!has_placeholder(entry.path) && !probe_create) continue;  // lists and login: checked above
    std::string name = dci6::route_name(route);
    Check check = begin("routes", "route " + name + ": " + routes.describe(route) + (entry.overridden ? " (from --routes)" : ""),
                        "billing sends this call; a route DCImanager does not serve fails every operation that needs it");
    dci6::PathParams params;
    for (const char* placeholder : {"id", "ip_id", "port_id"}) params.push_back({placeholder, kMissingId});
    std::string path = routes.expand(route, params);
    Json body = probe_create ? Json::object() : probe_body(route);
    const Json* sent_body = entry.method == "POST" ? &body : nullptr;
    Exchange answer = session_.send(name, entry.method, path, {}, sent_body);
    note(check, answer, "route " + name);
    size_t record = run_.records.size() - 1;
    std::string unknown_path = path + "/dcisim-certify-no-such-route";
    Exchange baseline = session_.send("", entry.method, unknown_path, {}, sent_body);
    note(check, baseline, "route " + name + " (an unknown route)");

    std::string what = answer.received().substr(0, 300);
    std::string verdict;  // "" = held
    if (!answer.answered) {
      verdict = "no answer: " + answer.error;
    } else if (answer.status == 405) {
      verdict = "the path is served but not with " + entry.method + " (405)";
    } else if (answer.status == 401 || answer.status == 403) {
      verdict = "refused to the administrator (" + std::to_string(answer.status) + ")";
    } else if (answer.status >= 200 && answer.status < 300) {
      verdict = "answered " + std::to_string(answer.status) + " for an object that does not exist";
    } else if (answer.status >= 500) {
      verdict = "server error " + std::to_string(answer.status);
    } else if (baseline.answered && shape_of(answer, path) == shape_of(baseline, unknown_path)) {
      verdict = "answered like an unknown route";
    } else if (!answer.error_json()) {
      verdict = "answered " + std::to_string(answer.status) + " without DCImanager's error JSON";
    } else if (probe_create ? answer.status != 400 : (answer.status != 404 && answer.status != 400)) {
      verdict = "answered " + std::to_string(answer.status) + " (expected 404 for an unknown object" +
                (probe_create ? ", or 400 for an incomplete body)" : ")");
    }
    held(route, verdict.empty(), what);
    run_.records[record].verdict = verdict.empty() ? "held" : "not held: " + verdict;
    std::string unknown_object = probe_create ? "an incomplete body is refused: " : "unknown object: ";
    if (verdict.empty()) {
      finish(check, CheckOutcome::pass, unknown_object + answer.error_msg());
    } else {
      finish(check, CheckOutcome::fail, name + " (" + routes.describe(route) + ") does not hold: " + verdict +
                                            "; it answered " + what + "; an unknown route answers " +
                                            baseline.received().substr(0, 200));
    }
  }
}

}  // namespace dcisim::certify::internal
