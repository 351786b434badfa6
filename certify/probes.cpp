#include "certify/probes_internal.h"

#include <algorithm>

namespace dcisim::certify {

namespace internal {

using dci6::RouteId;

std::string rows_text(size_t n) { return std::to_string(n) + (n == 1 ? " row" : " rows"); }

Check Probes::begin(const std::string& group, const std::string& name, const std::string& why) const {
  Check check;
  check.group = group;
  check.name = name;
  check.why = why;
  return check;
}

void Probes::note(Check& check, const Exchange& exchange, const std::string& record_key) {
  for (auto [into, text] : {std::pair{&check.sent, &exchange.sent}, std::pair{&check.received, &exchange.received_text}}) {
    if (!into->empty()) into->push_back('\n');
    into->append(*text);
  }
  check.wall_us += exchange.wall_us;
  if (!record_key.empty()) {
    run_.records.push_back({record_key, exchange.method, exchange.path, exchange.answered ? exchange.status : 0, exchange.json, ""});
  }
}

void Probes::finish(Check check, CheckOutcome outcome, const std::string& message) {
  check.outcome = outcome;
  check.message = message;
  run_.checks.push_back(std::move(check));
}

void Probes::held(RouteId route, bool ok, const std::string& detail) {
  auto [it, fresh] = run_.route_held.emplace(dci6::route_name(route), std::make_pair(ok, detail));
  if (!fresh && !ok) it->second = {false, detail};  // one failure is enough to fail the route
}

std::vector<Json> Probes::read_list(const Exchange& exchange, const std::vector<FieldRule>& rows, std::string& problems,
                                    std::string& notes) const {
  auto add = [](std::string& into, const std::string& text) {
    if (!text.empty()) into += (into.empty() ? "" : "; ") + text;
  };
  if (!exchange.answered) {
    add(problems, "no answer: " + exchange.error);
    return {};
  }
  if (exchange.status != 200) {
    add(problems, "HTTP " + std::to_string(exchange.status) + (exchange.error_msg().empty() ? "" : ": " + exchange.error_msg()));
    return {};
  }
  std::vector<ContractProblem> shape = check_contract(exchange.json, list_contract());
  if (!shape.empty()) {
    add(problems, "expected {\"list\": [...], \"size\": N}: " + problems_text(shape, false));
    return {};
  }
  std::vector<Json> out = exchange.json["list"].get<std::vector<Json>>();
  std::vector<ContractProblem> all;
  for (const Json& row : out) {
    for (ContractProblem& p : check_contract(row, rows)) {
      bool seen = std::any_of(all.begin(), all.end(), [&](const ContractProblem& q) { return q.path == p.path && q.problem == p.problem; });
      if (!seen) all.push_back(std::move(p));
    }
  }
  add(problems, problems_text(all, false));
  add(notes, problems_text(all, true));
  return out;
}

void Probes::latency_samples() {
  for (size_t round = 1; round < options_.samples; ++round) {
    for (const auto& [route, params] : sampled_) session_.call(route, params, {{"limit", "0,20"}});
  }
}

ProbeRun Probes::run() {
  login_checks();
  if (!session_.logged_in()) return std::move(run_);  // nothing else can be asked
  catalog_checks();
  list_checks();
  server_checks();
  pool_checks();
  route_checks();
  latency_samples();
  return std::move(run_);
}

}  // namespace internal

ProbeRun run_read_only_probes(ProbeSession& session, const ProbeOptions& options) {
  return internal::Probes(session, options).run();
}

std::vector<RouteVerdict> route_verdicts(const billing::dci6::RouteTable& routes, const ProbeRun& run) {
  std::vector<RouteVerdict> out;
  for (size_t i = 0; i < billing::dci6::kRouteCount; ++i) {
    auto id = static_cast<billing::dci6::RouteId>(i);
    RouteVerdict verdict;
    verdict.name = billing::dci6::route_name(id);
    verdict.route = routes.describe(id);
    verdict.assumed = routes.route(id).assumed;
    verdict.overridden = routes.route(id).overridden;
    auto found = run.route_held.find(verdict.name);
    if (found != run.route_held.end()) {
      verdict.held = found->second.first;
      verdict.detail = found->second.second;
    }
    out.push_back(std::move(verdict));
  }
  return out;
}

int64_t pool_for_rack(const Json& rack, const EndpointFacts& facts, std::string* why) {
  auto has_ipv4 = [&](int64_t pool_id) {
    for (const Json& pool : facts.pools) {
      if (billing::dci6::json_int(pool, "id") != pool_id) continue;
      for (const Json& net_ref : billing::dci6::json_member(pool, "ipnets")) {
        int64_t net_id = billing::dci6::json_id_of(net_ref);
        for (const Json& net : facts.networks) {
          if (billing::dci6::json_int(net, "id") != net_id) continue;
          const Json& family = billing::dci6::json_member(net, "family");
          bool v4 = family.is_number_integer() ? family.get<int64_t>() == 2
                                               : billing::dci6::json_text(net, "name").find(':') == std::string::npos;
          if (v4) return true;
        }
      }
    }
    return false;
  };
  int64_t rack_pool = billing::dci6::json_id_of(billing::dci6::json_member(rack, "ippool"));
  if (rack_pool > 0 && has_ipv4(rack_pool)) {
    *why = "the rack's own pool";
    return rack_pool;
  }
  int64_t location_id = billing::dci6::json_id_of(billing::dci6::json_member(rack, "location"));
  for (const Json& location : facts.locations) {
    if (billing::dci6::json_int(location, "id") != location_id) continue;
    int64_t pool = billing::dci6::json_id_of(billing::dci6::json_member(location, "ippool"));
    if (pool > 0 && has_ipv4(pool)) {
      *why = std::string(rack_pool > 0 ? "the rack's pool has no IPv4, so " : "") + "the location's pool";
      return pool;
    }
  }
  for (const Json& pool : facts.pools) {
    int64_t id = billing::dci6::json_int(pool, "id");
    if (billing::dci6::json_text(pool, "name").find("public") != std::string::npos && has_ipv4(id)) {
      *why = "neither the rack nor its location names a pool with IPv4, so the first \"public\" pool";
      return id;
    }
  }
  *why = "no pool with IPv4 by the documented order (rack, location, \"public\")";
  return 0;
}

}  // namespace dcisim::certify
