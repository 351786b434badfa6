#include "certify/cycle.h"

#include <openssl/rand.h>

#include <optional>

#include "billing/dci6/client.h"
#include "billing/dci6/json_fields.h"
#include "billing/dci6/list_query.h"
#include "billing/dci6/server_actions.h"
#include "certify/cleanup.h"
#include "common/clock.h"

namespace dcisim::certify {

namespace dci6 = billing::dci6;
using dci6::RouteId;
using dci6::ServerFacts;

namespace {

common::Status no_checkpoint(const std::string&) { return common::Status::success(); }

// A password nobody can guess (OpenSSL), for the certify user and the OS's root: never shown.
std::string secret_text() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return "dcisim-Certify-" + std::to_string(reinterpret_cast<uintptr_t>(bytes));
  static const char* hex = "0123456789abcdef";
  std::string out = "Dc1-";
  for (unsigned char b : bytes) {
    out += hex[b >> 4];
    out += hex[b & 15];
  }
  return out;
}

class Cycle {
 public:
  Cycle(common::HttpTransport& transport, ProbeSession& session, Ledger& ledger, const CycleOptions& options)
      : session_(session),
        ledger_(ledger),
        options_(options),
        client_(certify::module_settings(session.endpoint()), transport, clock_),
        actions_(client_, no_checkpoint),
        label_("server " + std::to_string(options.server_id)),
        email_("dcisim-certify-" + std::to_string(options.seed) + "-" + std::to_string(options.server_id) + "@example.com"),
        domain_("certify-" + std::to_string(options.seed) + "-" + std::to_string(options.server_id) + ".example.com") {}

  std::vector<Check> run() {
    bool go = precondition() && create_user() && issue() && pool_order() && extra_address() && install_os() &&
              suspend_resume() && power_cycle() && release() && delete_user() && as_it_was();
    (void)go;
    return std::move(checks_);
  }

 private:
  Check begin(const std::string& name, const std::string& why) const {
    Check check;
    check.group = "cycle " + label_;
    check.name = name;
    check.why = why;
    return check;
  }
  void note(Check& check, const Exchange& exchange) {
    for (auto [into, text] : {std::pair{&check.sent, &exchange.sent}, std::pair{&check.received, &exchange.received_text}}) {
      if (!into->empty()) into->push_back('\n');
      into->append(*text);
    }
    check.wall_us += exchange.wall_us;
  }
  bool finish(Check check, const std::string& problem) {
    check.outcome = problem.empty() ? CheckOutcome::pass : CheckOutcome::fail;
    if (!problem.empty()) check.message = problem;
    if (options_.on_check) options_.on_check(check);
    checks_.push_back(std::move(check));
    return problem.empty();
  }
  std::optional<ServerFacts> load(std::string& problem) {
    dci6::ApiResult<ServerFacts> server = actions_.load(options_.server_id);
    if (!server) {
      problem = "cannot read " + label_ + ": " + server.error().message;
      return std::nullopt;
    }
    return *server;
  }
  std::string answer_problem(const Exchange& answer) const {
    if (answer.ok()) return "";
    return "answered " + answer.received().substr(0, 400);
  }
  // Polls (real time) until `done` holds; "" or why it did not.
  std::string wait(const std::string& what, const std::function<bool(const ServerFacts&)>& done, ServerFacts& server) {
    common::Stopwatch waited;
    PollSchedule polls(options_.poll);
    std::string problem;
    while (!done(server)) {
      if (options_.waiting) options_.waiting(label_ + ": " + what + ", " + std::to_string(waited.elapsed_us() / 1'000'000) + "s");
      if (!wait_real_time(options_.stop, polls.next())) return "interrupted while waiting: " + what;
      if (waited.elapsed_us() / 1000 > options_.timeout_op.count_ms()) {
        return what + " did not happen within " + common::format_duration(options_.timeout_op) + " (--timeout-op)";
      }
      std::optional<ServerFacts> again = load(problem);
      if (!again) return problem;
      server = *again;
    }
    if (options_.waiting) options_.waiting("");
    return "";
  }

  bool precondition() {
    Check check = begin(label_ + " is for sale, and its state is written to the ledger",
                        "--allow-server names a free server; the ledger keeps how it was, so that the cleanup can "
                        "restore it");
    std::string problem;
    std::optional<ServerFacts> server = load(problem);
    if (server && !dci6::available_for_sale(*server)) {
      problem = label_ + " is not for sale (owner \"" + server->owner_email + "\", operation " + server->operation_status +
                (server->maintenance ? ", in maintenance" : "") + "): name a free server";
    }
    if (server && problem.empty()) {
      before_ = *server;
      common::Status written = ledger_.record_server({server->id, server->owner_email, server->power, server->state,
                                                      dci6::data_ports_up(*server)});
      if (!written) problem = written.error().message;
    }
    if (server) check.received = "owner \"" + server->owner_email + "\", power " + server->power + ", state " + server->state;
    return finish(check, problem);
  }

  bool create_user() {
    Check check = begin("create a DCImanager user (" + session_.routes().describe(RouteId::user_create) + ")",
                        "billing creates a DCImanager user for each client before issuing a server to it");
    Json body = {{"email", email_}, {"full_name", "dcisim certify"}, {"password", secret_text()}, {"role", "@user"}};
    Exchange answer = session_.call(RouteId::user_create, {}, {}, &body);
    note(check, answer);
    user_id_ = dci6::json_int(answer.json, "id");
    std::string problem = answer_problem(answer);
    if (problem.empty() && user_id_ <= 0) problem = "the answer has no user id";
    return finish(check, problem);
  }

  bool issue() {
    Check check = begin("issue " + label_ + " to it (" + session_.routes().describe(RouteId::server_issue) + ")",
                        "the open of every order: the server becomes the client's and gets its main address");
    Json body = {{"owner", user_id_}, {"domain", domain_}};
    Exchange answer = session_.call(RouteId::server_issue, {{"id", options_.server_id}}, {}, &body);
    note(check, answer);
    std::string problem = answer_problem(answer);
    if (problem.empty()) {
      std::optional<ServerFacts> server = load(problem);
      if (server && !common::iequals(server->owner_email, email_)) {
        problem = "after the issue the server's owner_email is \"" + server->owner_email + "\", not " + email_;
      } else if (server && server->domain != domain_) {
        problem = "after the issue the server's domain is \"" + server->domain + "\", not " + domain_;
      } else if (server && dci6::count_addresses(*server, "ipv4") < 1) {
        problem = "after the issue the server has no IPv4 address";
      }
      if (server) issued_ = *server;
      if (server) check.received += "\nowner " + server->owner_email + ", domain " + server->domain + ", " +
                                    std::to_string(server->addresses.size()) + " addresses";
    }
    return finish(check, problem);
  }

  bool pool_order() {
    Check check = begin("its main IPv4 comes from the pool the documented order gives",
                        "billing sells a rack's servers with the addresses of the rack's pool, else the location's, "
                        "else a \"public\" one");
    std::string address;
    for (const billing::RemoteAddress& a : issued_.addresses) {
      if (a.family == "ipv4" && address.empty()) address = a.address;
    }
    int64_t rack = 0;
    for (const Json& row : options_.facts ? options_.facts->servers : std::vector<Json>()) {
      if (dci6::json_int(row, "id") == options_.server_id) rack = dci6::json_id_of(dci6::json_member(row, "rack"));
    }
    if (options_.facts == nullptr || rack == 0 || !options_.facts->rack_pool.count(rack)) {
      check.outcome = CheckOutcome::skip;
      check.message = "the server's rack (and so its pool) is not known from the read-only probes";
      if (options_.on_check) options_.on_check(check);
      checks_.push_back(check);
      return true;
    }
    int64_t expected = options_.facts->rack_pool.at(rack);
    Exchange answer = session_.send("GET /api/ip/v3/ip", "GET", "/api/ip/v3/ip", {{"where", dci6::where_eq("name", address)}});
    note(check, answer);
    std::string problem = answer_problem(answer);
    int64_t pool = 0;
    for (const Json& row : dci6::json_member(answer.json, "list")) {
      if (dci6::json_text(row, "name") == address) pool = dci6::json_id_of(dci6::json_member(row, "ippool"));
    }
    auto name_of = [&](int64_t id) {
      auto it = options_.facts->pool_names.find(id);
      return it == options_.facts->pool_names.end() ? "pool " + std::to_string(id) : it->second;
    };
    if (problem.empty() && pool != expected) {
      problem = address + " is from " + name_of(pool) + ", but the documented order gives " + name_of(expected);
    }
    if (problem.empty()) check.message = address + " from " + name_of(pool);
    return finish(check, problem);
  }

  bool extra_address() {
    Check check = begin("an extra address and its removal (" + session_.routes().describe(RouteId::server_ip_add) + ", " +
                            session_.routes().describe(RouteId::server_ip_delete) + ")",
                        "addon addresses of an order are added after the issue");
    Json body = {{"family", "ipv4"}};
    Exchange added = session_.call(RouteId::server_ip_add, {{"id", options_.server_id}}, {}, &body);
    note(check, added);
    std::string problem = answer_problem(added);
    std::optional<ServerFacts> server;
    if (problem.empty()) server = load(problem);
    int64_t extra = 0;
    if (server) {
      for (const billing::RemoteAddress& a : server->addresses) {
        bool old = std::any_of(issued_.addresses.begin(), issued_.addresses.end(), [&](const auto& b) { return b.id == a.id; });
        if (!old) extra = a.id;
      }
      if (extra == 0) problem = "no new address appeared on the server";
    }
    if (problem.empty()) {
      Exchange removed = session_.call(RouteId::server_ip_delete, {{"id", options_.server_id}, {"ip_id", extra}});
      note(check, removed);
      problem = answer_problem(removed);
      if (problem.empty()) server = load(problem);
      if (server && server->addresses.size() != issued_.addresses.size()) {
        problem = "after the removal the server holds " + std::to_string(server->addresses.size()) + " addresses, not " +
                  std::to_string(issued_.addresses.size());
      }
    }
    return finish(check, problem);
  }

  bool install_os() {
    Check check = begin("OS install until it ends (" + session_.routes().describe(RouteId::server_install_os) + ")",
                        "a service becomes active only when the install ends ok; the module polls operation.status");
    int64_t template_id = 0;
    std::string template_name;
    for (const Json& row : options_.facts ? options_.facts->templates : std::vector<Json>()) {
      if (template_id == 0) {
        template_id = dci6::json_int(row, "id");
        template_name = dci6::json_text(row, "name");
      }
    }
    if (template_id == 0) return finish(check, "DCImanager lists no OS template");
    std::string problem;
    std::optional<ServerFacts> before = load(problem);
    if (!before) return finish(check, problem);
    Json body = {{"os_template", template_id}, {"password", secret_text()}, {"domain", domain_}};
    Exchange answer = session_.call(RouteId::server_install_os, {{"id", options_.server_id}}, {}, &body);
    note(check, answer);
    problem = answer_problem(answer);
    if (!problem.empty()) return finish(check, problem);
    ServerFacts server = *before;
    int64_t before_operation = before->operation_id;
    common::Stopwatch took;
    problem = wait("installing " + template_name, [&](const ServerFacts& s) {
      return s.operation_id != before_operation && s.operation_status != "running" && !s.operation_status.empty();
    }, server);
    if (problem.empty() && server.operation_status != "ok") {
      problem = "the install ended " + server.operation_status + (server.operation_info.empty() ? "" : ": " + server.operation_info);
    }
    if (problem.empty()) check.message = template_name + " installed in " + std::to_string(took.elapsed_us() / 1'000'000) + "s";
    return finish(check, problem);
  }

  bool suspend_resume() {
    Check check = begin("suspend and resume (" + session_.routes().describe(RouteId::server_suspend) + ", " +
                            session_.routes().describe(RouteId::server_resume) + ")",
                        "billing's port-mode suspension (BILLmanager's Disable): the switch port goes down, the "
                        "server stays on; resume brings it back");
    std::string problem;
    for (bool suspend : {true, false}) {
      Exchange answer = session_.call(suspend ? RouteId::server_suspend : RouteId::server_resume, {{"id", options_.server_id}},
                                      {}, nullptr);
      note(check, answer);
      problem = answer_problem(answer);
      if (!problem.empty()) break;
      std::optional<ServerFacts> server = load(problem);
      if (!server) break;
      problem = wait(suspend ? "suspending" : "resuming", [](const ServerFacts& s) { return !settling(s); }, *server);
      if (!problem.empty()) break;
      bool ports_ok = suspend ? dci6::data_ports_down(*server) : dci6::data_ports_up(*server);
      bool state_ok = suspend ? server->state == "suspended" : server->state != "suspended";
      if (!ports_ok || !state_ok) {
        problem = std::string("after ") + (suspend ? "suspend" : "resume") + " the server's state is " + server->state +
                  " and its data ports are " + (dci6::data_ports_up(*server) ? "up" : "not all up");
        break;
      }
    }
    return finish(check, problem);
  }

  bool power_cycle() {
    Check check = begin("power off and on (" + session_.routes().describe(RouteId::server_power_off) + ", " +
                            session_.routes().describe(RouteId::server_power_on) + ")",
                        "power-mode suspension and BILLmanager's reconciliation (an active service's server is "
                        "powered on) use these");
    std::string problem;
    std::optional<ServerFacts> server = load(problem);
    if (server && server->power != "ON") problem = "the server is " + server->power + " before the power cycle (expected ON)";
    for (bool on : {false, true}) {
      if (!problem.empty()) break;
      Exchange answer = session_.call(on ? RouteId::server_power_on : RouteId::server_power_off, {{"id", options_.server_id}}, {}, nullptr);
      note(check, answer);
      problem = answer_problem(answer);
      if (!problem.empty()) break;
      server = load(problem);
      if (server) problem = wait(on ? "powering on" : "powering off", [](const ServerFacts& s) { return !settling(s); }, *server);
      if (server && problem.empty() && server->power != (on ? "ON" : "OFF")) {
        problem = std::string("after ") + (on ? "power_on" : "power_off") + " the power is " + server->power;
      }
    }
    return finish(check, problem);
  }

  bool release() {
    Check check = begin("release until it is for sale again (" + session_.routes().describe(RouteId::server_release) + ")",
                        "deleting a service releases its server: addresses back, diagnostics, then for sale");
    Exchange answer = session_.call(RouteId::server_release, {{"id", options_.server_id}});
    note(check, answer);
    std::string problem = answer_problem(answer);
    std::optional<ServerFacts> server;
    if (problem.empty()) server = load(problem);
    // A release may take a while (releasing), then diagnostics run: for sale again when both end.
    if (server) problem = wait("the release and its diagnostics", [](const ServerFacts& s) { return !settling(s); }, *server);
    if (server && problem.empty() && (server->owner.has_value() || !server->owner_email.empty())) {
      problem = "after the release the server is still held by " + server->owner_email;
    }
    if (server && problem.empty() && !dci6::available_for_sale(*server)) {
      problem = "after the release and its diagnostics the server is not for sale (operation " + server->operation_status + ")";
    }
    return finish(check, problem);
  }

  bool delete_user() {
    Check check = begin("delete the DCImanager user (" + session_.routes().describe(RouteId::user_delete) + ")",
                        "the run removes what it created; billing itself never deletes users");
    Exchange answer = session_.call(RouteId::user_delete, {{"id", user_id_}});
    note(check, answer);
    return finish(check, answer_problem(answer));
  }

  bool as_it_was() {
    Check check = begin(label_ + " is as it was", "a certification leaves nothing behind");
    std::string problem;
    std::optional<ServerFacts> server = load(problem);
    if (server) {
      check.received = "owner \"" + server->owner_email + "\", power " + server->power + ", ports " +
                       (dci6::data_ports_up(*server) ? "up" : "down");
      if (!server->owner_email.empty() || server->power != before_.power ||
          dci6::data_ports_up(*server) != dci6::data_ports_up(before_) || !dci6::available_for_sale(*server)) {
        problem = "it differs from before (owner \"" + before_.owner_email + "\", power " + before_.power + ")";
      }
    }
    return finish(check, problem);
  }

  ProbeSession& session_;
  Ledger& ledger_;
  const CycleOptions& options_;
  common::RealClock clock_;
  dci6::Dci6Client client_;
  dci6::ServerActions actions_;
  std::string label_;
  std::string email_;
  std::string domain_;
  ServerFacts before_;
  ServerFacts issued_;
  int64_t user_id_ = 0;
  std::vector<Check> checks_;
};

}  // namespace

std::vector<Check> run_cycle(common::HttpTransport& transport, ProbeSession& session, Ledger& ledger,
                             const CycleOptions& options) {
  return Cycle(transport, session, ledger, options).run();
}

}  // namespace dcisim::certify
