// The catalog, the list and `where` queries the module sends, one server read whole, and the IP
// pools with the pool each rack would use.
#include <algorithm>
#include <set>

#include "billing/dci6/list_query.h"
#include "certify/probes_internal.h"

namespace dcisim::certify::internal {

using dci6::RouteId;

namespace {

constexpr size_t kPage = 200;
constexpr size_t kMaxRows = 100'000;
constexpr size_t kMaxConfigurationsProbed = 3;

common::HeaderList query_of(const dci6::ListQuery& query) { return query.parameters(); }

std::string absent_email(uint64_t seed) { return "dcisim-certify-absent-" + std::to_string(seed) + "@example.invalid"; }

bool ascending_ids(const std::vector<Json>& rows) {
  for (size_t i = 1; i < rows.size(); ++i) {
    if (dci6::json_int(rows[i], "id") <= dci6::json_int(rows[i - 1], "id")) return false;
  }
  return true;
}

int64_t location_of(const Json& server) {
  int64_t id = dci6::json_int(server, "location_id");
  return id > 0 ? id : dci6::json_id_of(dci6::json_member(server, "location"));
}

bool is_null_or_empty(const Json& value) { return value.is_null() || (value.is_string() && value.get<std::string>().empty()); }

}  // namespace

void Probes::catalog_checks() {
  struct Catalog {
    RouteId route;
    const char* name;
    const std::vector<FieldRule>& rules;
    std::vector<Json>* facts;
    const char* why;
  };
  const Catalog catalog[] = {
      {RouteId::server_configurations, "server configurations", configuration_contract(), nullptr,
       "tariffs bind to a configuration string; its free count tells staff what can be sold"},
      {RouteId::location_list, "locations", location_contract(), &run_.facts.locations,
       "a tariff sells servers of one location; a location may name the IP pool its servers get"},
      {RouteId::rack_list, "racks", rack_contract(), &run_.facts.racks,
       "a rack may name its own IP pool, which comes first in the pool order"},
      {RouteId::os_template_list, "OS templates", os_template_contract(), &run_.facts.templates,
       "a server cannot be issued without an OS: the module finds the ordered template's id by name"},
      {RouteId::script_list, "scripts and their access", script_contract(), &run_.facts.scripts,
       "the module installs ordered scripts by id; only scripts with access \"all\" may be ordered"},
  };
  for (const Catalog& item : catalog) {
    Check check = begin("catalog", std::string(item.name) + " (" + session_.routes().describe(item.route) + ")", item.why);
    dci6::ListQuery by_id;
    if (item.route != RouteId::server_configurations) by_id.orderby = "id asc";
    Exchange answer = session_.call(item.route, {}, query_of(by_id));
    note(check, answer, dci6::route_name(item.route));
    sampled_.push_back({item.route, {}});
    std::string problems, notes;
    std::vector<Json> rows = read_list(answer, item.rules, problems, notes);
    if (item.facts != nullptr) *item.facts = rows;
    if (item.route == RouteId::script_list && problems.empty()) {
      std::string all, other;
      for (const Json& row : rows) {
        std::string name = dci6::json_text(row, "name");
        (dci6::json_text(row, "access") == "all" ? all : other) += (name + ", ");
      }
      notes += (notes.empty() ? "" : "; ") + std::string("may be ordered (access all): ") +
               (all.empty() ? "none" : all.substr(0, all.size() - 2)) + "; may not: " +
               (other.empty() ? "none" : other.substr(0, other.size() - 2));
    }
    held(item.route, problems.empty(), answer.received().substr(0, 200));
    if (problems.empty()) notes = rows_text(rows.size()) + (notes.empty() ? "" : "; " + notes);
    finish(check, problems.empty() ? CheckOutcome::pass : CheckOutcome::fail, problems.empty() ? notes : problems);
  }
}

void Probes::list_checks() {
  std::string admin = session_.endpoint().email;
  {
    Check check = begin("lists", "users by e-mail (where email EQ '<admin e-mail>')",
                        "the module finds a client's DCImanager user this way before creating one: a filter that is "
                        "ignored would create duplicates or give a server to the wrong user");
    dci6::ListQuery query;
    query.where = dci6::where_eq("email", admin);
    query.orderby = "id asc";
    Exchange answer = session_.call(RouteId::user_list, {}, query_of(query));
    note(check, answer, "user.list where email");
    sampled_.push_back({RouteId::user_list, {}});
    std::string problems, notes;
    std::vector<Json> rows = read_list(answer, user_contract(), problems, notes);
    for (const Json& row : rows) {
      if (!common::iequals(dci6::json_text(row, "email"), admin)) problems = "the where filter was not applied: it returned " + dci6::json_text(row, "email");
    }
    if (problems.empty() && rows.empty()) notes = "the administrator is not listed among DCImanager's users (fine: clients are)";
    Exchange none_answer = session_.call(RouteId::user_list, {}, query_of(dci6::ListQuery{dci6::where_eq("email", absent_email(options_.seed)), "", {}, {}}));
    note(check, none_answer, "user.list where unknown email");
    std::string none_problems, none_notes;
    std::vector<Json> none = read_list(none_answer, user_contract(), none_problems, none_notes);
    if (problems.empty() && !none_problems.empty()) problems = none_problems;
    if (problems.empty() && !none.empty()) problems = "an unknown e-mail matched " + rows_text(none.size()) + ": the where filter is ignored";
    held(RouteId::user_list, problems.empty(), answer.received().substr(0, 200));
    finish(check, problems.empty() ? CheckOutcome::pass : CheckOutcome::fail, problems.empty() ? notes : problems);
  }
  {
    Check check = begin("lists", "every server, page by page (orderby id asc, limit offset,size)",
                        "the audit and the reconciliation read every server this way; a page that repeats or skips "
                        "rows would hide a leaked server");
    dci6::ListQuery one;
    one.orderby = "id asc";
    one.offset = 0;
    one.size = 1;
    Exchange first = session_.call(RouteId::server_list, {}, query_of(one));
    note(check, first, "server.list limit 0,1");
    std::string problems, notes;
    read_list(first, server_row_contract(), problems, notes);
    int64_t size = dci6::json_int(first.json, "size");
    std::vector<Json>& all = run_.facts.servers;
    for (size_t offset = 0; problems.empty() && offset < kMaxRows; offset += kPage) {
      dci6::ListQuery page;
      page.orderby = "id asc";
      page.offset = static_cast<int64_t>(offset);
      page.size = static_cast<int64_t>(kPage);
      Exchange answer = session_.call(RouteId::server_list, {}, query_of(page));
      if (offset == 0) note(check, answer, "server.list");
      std::vector<Json> rows = read_list(answer, server_row_contract(), problems, notes);
      all.insert(all.end(), rows.begin(), rows.end());
      if (rows.size() < kPage) break;
    }
    sampled_.push_back({RouteId::server_list, {}});
    if (problems.empty() && !ascending_ids(all)) problems = "the rows are not in ascending, unique id order (orderby id asc)";
    if (problems.empty() && size > 0 && static_cast<int64_t>(all.size()) != size) {
      problems = "\"size\" says " + std::to_string(size) + " but the pages held " + rows_text(all.size());
    }
    held(RouteId::server_list, problems.empty(), first.received().substr(0, 200));
    finish(check, problems.empty() ? CheckOutcome::pass : CheckOutcome::fail,
           problems.empty() ? rows_text(all.size()) + (notes.empty() ? "" : "; " + notes) : problems);
  }
  std::set<std::string> probed;
  for (const Json& server : run_.facts.servers) {
    std::string configuration = dci6::json_text(server, "configuration");
    int64_t location = location_of(server);
    if (configuration.empty() || location == 0 || probed.count(configuration) || probed.size() >= kMaxConfigurationsProbed) continue;
    probed.insert(configuration);
    Check check = begin("lists", "free servers of " + configuration + " in location " + std::to_string(location),
                        "the module's query for a server to issue: every row must be free, of the configuration and in "
                        "the location, lowest id first");
    dci6::ListQuery query;
    query.where = dci6::where_and({dci6::where_is_null("owner_email"), dci6::where_eq("is_new", false),
                                   dci6::where_eq("configuration", configuration), dci6::where_eq("location_id", location)});
    query.orderby = "id asc";
    query.offset = 0;
    query.size = static_cast<int64_t>(kPage);
    Exchange answer = session_.call(RouteId::server_list, {}, query_of(query));
    note(check, answer, "server.list free of a configuration");
    std::string problems, notes;
    std::vector<Json> rows = read_list(answer, server_row_contract(), problems, notes);
    for (const Json& row : rows) {
      std::string id = std::to_string(dci6::json_int(row, "id"));
      if (!is_null_or_empty(dci6::json_member(row, "owner_email"))) problems = "server " + id + " has an owner but matched (owner_email IS null)";
      if (dci6::json_text(row, "configuration") != configuration) problems = "server " + id + " is of another configuration";
      if (location_of(row) != location) problems = "server " + id + " is in another location";
    }
    if (problems.empty() && !ascending_ids(rows)) problems = "not in ascending id order";
    finish(check, problems.empty() ? CheckOutcome::pass : CheckOutcome::fail,
           problems.empty() ? rows_text(rows.size()) + (notes.empty() ? "" : "; " + notes) : problems);
  }
  {
    Check check = begin("lists", "servers a client holds under a domain (owner_email EQ ... AND domain EQ ...)",
                        "how a retried open or a close recognises the server of a service whose answer was lost");
    dci6::ListQuery query;
    query.where = dci6::where_and({dci6::where_eq("owner_email", absent_email(options_.seed)),
                                   dci6::where_eq("domain", "dcisim-certify.invalid")});
    query.orderby = "id asc";
    Exchange answer = session_.call(RouteId::server_list, {}, query_of(query));
    note(check, answer, "server.list held by");
    std::string problems, notes;
    std::vector<Json> rows = read_list(answer, server_row_contract(), problems, notes);
    if (problems.empty() && !rows.empty()) problems = "an unknown holder matched " + rows_text(rows.size()) + ": the filter is ignored";
    finish(check, problems.empty() ? CheckOutcome::pass : CheckOutcome::fail, problems);
  }
  {
    Check check = begin("lists", "a malformed where is refused",
                        "a query the module builds wrong must fail loudly (400), not answer every server");
    Exchange answer = session_.call(RouteId::server_list, {}, {{"where", "id EQ"}});
    note(check, answer, "server.list malformed where");
    bool refused = answer.answered && answer.status == 400;
    finish(check, refused ? CheckOutcome::pass : CheckOutcome::fail,
           refused ? (answer.error_json() ? "" : "refused, but not with DCImanager's error JSON")
                   : "expected HTTP 400, got " + answer.received().substr(0, 300));
  }
}

void Probes::server_checks() {
  if (run_.facts.servers.empty()) {
    Check check = begin("fields", "one server, read whole", "suspend, resume, close and sync read one server this way");
    finish(check, CheckOutcome::skip, "the endpoint lists no server");
    return;
  }
  int64_t id = dci6::json_int(run_.facts.servers.front(), "id");
  Check check = begin("fields", "one server, read whole (" + session_.routes().describe(RouteId::server_get) + ")",
                      "suspend, resume, close and sync read one server this way: owner, power, state, operation, "
                      "addresses and switch links");
  Exchange answer = session_.call(RouteId::server_get, {{"id", id}});
  note(check, answer, "server.get");
  sampled_.push_back({RouteId::server_get, {{"id", id}}});
  std::string problems;
  std::string notes;
  if (!answer.ok()) {
    problems = "HTTP " + std::to_string(answer.status) + ": " + answer.received().substr(0, 300);
  } else {
    std::vector<ContractProblem> found = check_contract(answer.json, server_contract());
    problems = problems_text(found, false);
    notes = problems_text(found, true);
    if (location_of(answer.json) == 0) {
      problems += std::string(problems.empty() ? "" : "; ") + "location_id (or location.id): missing";
    }
  }
  held(RouteId::server_get, problems.empty(), answer.received().substr(0, 200));
  finish(check, problems.empty() ? CheckOutcome::pass : CheckOutcome::fail, problems.empty() ? notes : problems);

  int64_t switch_id = 0;
  for (const Json& link : dci6::json_member(answer.json, "switch_connection")) {
    if (switch_id == 0) switch_id = dci6::json_id_of(dci6::json_member(link, "switch"));
  }
  Check ports = begin("lists", "switch ports (" + session_.routes().describe(RouteId::switch_port_list) + ", orderby id asc)",
                      "port-mode suspension reads the port's admin_status here when the server does not say it");
  if (switch_id == 0) {
    finish(ports, CheckOutcome::skip, "server " + std::to_string(id) + " has no switch connection");
    return;
  }
  dci6::ListQuery by_id;
  by_id.orderby = "id asc";
  Exchange port_answer = session_.call(RouteId::switch_port_list, {{"id", switch_id}}, query_of(by_id));
  note(ports, port_answer, "switch.port_list");
  sampled_.push_back({RouteId::switch_port_list, {{"id", switch_id}}});
  std::string port_problems, port_notes;
  std::vector<Json> rows = read_list(port_answer, port_contract(), port_problems, port_notes);
  held(RouteId::switch_port_list, port_problems.empty(), port_answer.received().substr(0, 200));
  finish(ports, port_problems.empty() ? CheckOutcome::pass : CheckOutcome::fail,
         port_problems.empty() ? rows_text(rows.size()) + (port_notes.empty() ? "" : "; " + port_notes) : port_problems);
}

void Probes::pool_checks() {
  struct Ipmgr {
    const char* path;
    const char* name;
    const std::vector<FieldRule>& rules;
    std::vector<Json>* facts;
  };
  const Ipmgr lists[] = {{"/api/ip/v3/ippool", "IP pools (GET /api/ip/v3/ippool)", ippool_contract(), &run_.facts.pools},
                         {"/api/ip/v3/ipnet", "IP networks (GET /api/ip/v3/ipnet)", ipnet_contract(), &run_.facts.networks}};
  for (const Ipmgr& item : lists) {
    Check check = begin("pools", item.name, "DCImanager allocates a server's addresses from these; the audit counts them");
    Exchange answer = session_.send(std::string("GET ") + item.path, "GET", item.path, {{"orderby", "id asc"}, {"limit", "0,1000"}});
    note(check, answer, std::string("ipmgr ") + item.path);
    std::string problems, notes;
    *item.facts = read_list(answer, item.rules, problems, notes);
    finish(check, problems.empty() ? CheckOutcome::pass : CheckOutcome::fail,
           problems.empty() ? rows_text(item.facts->size()) : problems);
  }
  for (const Json& pool : run_.facts.pools) run_.facts.pool_names[dci6::json_int(pool, "id")] = dci6::json_text(pool, "name");
  for (const Json& rack : run_.facts.racks) {
    std::string name = dci6::json_text(rack, "name");
    Check check = begin("pools", "the pool rack " + name + " would use",
                        "DCImanager takes a server's addresses from the rack's pool, else the location's, else a "
                        "\"public\" pool (only pools with IPv4): what billing sells is what this gives");
    std::string why;
    int64_t pool = pool_for_rack(rack, run_.facts, &why);
    run_.facts.rack_pool[dci6::json_int(rack, "id")] = pool;
    check.sent = "(from the racks, locations, pools and networks above)";
    if (pool == 0) {
      finish(check, CheckOutcome::fail, "servers of rack " + name + " cannot be issued: " + why);
    } else {
      finish(check, CheckOutcome::pass, run_.facts.pool_names[pool] + " (" + why + ")");
    }
  }
}

}  // namespace dcisim::certify::internal
