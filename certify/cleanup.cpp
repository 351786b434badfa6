#include "certify/cleanup.h"

#include <algorithm>
#include <set>

#include "billing/dci6/json_fields.h"
#include "billing/dci6/server_actions.h"
#include "common/clock.h"

namespace dcisim::certify {

namespace dci6 = billing::dci6;
using dci6::ApiResult;
using dci6::RouteId;
using dci6::ServerFacts;

namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

common::Status no_checkpoint(const std::string&) { return common::Status::success(); }


class Cleanup {
 public:
  Cleanup(dci6::Dci6Client& client, const LedgerContents& contents, const CleanupOptions& options)
      : client_(client), contents_(contents), options_(options), actions_(client, no_checkpoint) {
    for (const CreatedUser& user : contents_.users) {
      if (!user.refused && !user.email.empty()) created_.insert(lower(user.email));
    }
  }

  CleanupReport run() {
    for (int64_t id : servers_touched()) restore_server(id);
    for (const CreatedUser& user : contents_.users) {
      if (!user.refused && !user.email.empty()) delete_user(user);
    }
    return report_;
  }

 private:
  void act(const std::string& text) {
    report_.actions.push_back(text);
    if (options_.on_action) options_.on_action(text);
  }
  void problem(const std::string& text) { report_.problems.push_back(text); }

  std::vector<int64_t> servers_touched() const {
    std::vector<int64_t> ids;
    auto add = [&](int64_t id) {
      if (id > 0 && std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
    };
    for (const ServerBefore& server : contents_.servers) add(server.server_id);
    for (const Json& change : contents_.changes) add(dci6::json_int(change, "server"));
    return ids;
  }

  ServerBefore before_of(int64_t id) const {
    for (const ServerBefore& server : contents_.servers) {
      if (server.server_id == id) return server;
    }
    return ServerBefore{id, "", "", "", true};  // not snapshotted: it was taken free, as the run requires
  }

  std::optional<ServerFacts> load(int64_t id) {
    ApiResult<ServerFacts> server = actions_.load(id);
    if (!server) {
      problem("server " + std::to_string(id) + ": cannot read it: " + server.error().message);
      return std::nullopt;
    }
    return *server;
  }

  // Waits (real time) until the server has no operation running; false on timeout or Ctrl-C.
  bool wait_until_settled(int64_t id, ServerFacts& server) {
    common::Stopwatch waited;
    PollSchedule polls(options_.poll);
    while (settling(server)) {
      bool go_on = wait_real_time(options_.stop, polls.next());
      if (!go_on || waited.elapsed_us() / 1000 > options_.timeout.count_ms()) {
        problem("server " + std::to_string(id) + " is still busy (" + (server.diagnostics_running ? "diagnostics" : server.state) +
                ") after " + common::format_duration(options_.timeout) + ": look again, then run the cleanup again");
        return false;
      }
      std::optional<ServerFacts> again = load(id);
      if (!again) return false;
      server = *again;
    }
    return true;
  }

  void restore_server(int64_t id) {
    std::string label = "server " + std::to_string(id);
    ServerBefore before = before_of(id);
    std::optional<ServerFacts> server = load(id);
    if (!server || !wait_until_settled(id, *server)) return;  // whatever was running ends first
    std::string holder = lower(server->owner_email);
    bool held = !holder.empty() || server->owner.has_value();
    if (held && created_.count(holder) != 0) {
      if (server->state == "suspended") {
        ApiResult<Json> resumed = client_.post(RouteId::server_resume, {{"id", id}}, Json::object());
        if (resumed) act("resumed " + label + " before releasing it");
        server = load(id);
        if (!server || !wait_until_settled(id, *server)) return;
      }
      ApiResult<Json> released = client_.call(RouteId::server_release, {{"id", id}});
      if (!released && released.error().kind != common::ErrorKind::not_found) {
        problem(label + ": release refused: " + released.error().message);
        return;
      }
      act("released " + label + " from " + server->owner_email);
      server = load(id);
      if (!server) return;
    } else if (held && holder != lower(before.owner_email)) {
      problem(label + " is held by " + (server->owner_email.empty() ? "an unnamed user" : server->owner_email) +
              ", whom this run did not create: left alone");
      return;
    }
    if (!wait_until_settled(id, *server)) return;
    restore_power_and_ports(id, before, *server);
  }

  void restore_power_and_ports(int64_t id, const ServerBefore& before, ServerFacts& server) {
    std::string label = "server " + std::to_string(id);
    if (before.ports_up && !dci6::data_ports_up(server)) {
      ApiResult<dci6::ChangeOutcome> ports = actions_.set_ports(server, true);
      if (!ports) {
        problem(label + ": cannot bring its ports up: " + ports.error().message);
      } else if (ports->changed) {
        act("brought the ports of " + label + " up");
        if (!wait_until_settled(id, server)) return;
      }
    }
    bool want_on = before.power == "ON";
    bool want_off = before.power == "OFF";
    if ((want_on && server.power != "ON") || (want_off && server.power == "ON")) {
      ApiResult<dci6::ChangeOutcome> power = actions_.set_power(server, want_on, true);
      if (!power) {
        problem(label + ": cannot restore its power (" + before.power + "): " + power.error().message);
      } else if (power->changed) {
        act("powered " + label + (want_on ? " on" : " off") + " as it was");
        wait_until_settled(id, server);
      }
    }
  }

  void delete_user(const CreatedUser& user) {
    dci6::ListQuery query;
    query.where = dci6::where_eq("email", user.email);
    ApiResult<std::vector<Json>> rows = client_.list_all(RouteId::user_list, {}, query);
    if (!rows) {
      problem("user " + user.email + ": cannot look it up: " + rows.error().message);
      return;
    }
    for (const Json& row : *rows) {
      if (!common::iequals(dci6::json_text(row, "email"), user.email)) continue;
      int64_t id = dci6::json_int(row, "id");
      ApiResult<Json> deleted = client_.call(RouteId::user_delete, {{"id", id}});
      if (!deleted && deleted.error().kind != common::ErrorKind::not_found) {
        problem("user " + user.email + " (" + std::to_string(id) + "): delete refused: " + deleted.error().message);
        continue;
      }
      act("deleted DCImanager user " + user.email + " (" + std::to_string(id) + ")");
    }
  }

  dci6::Dci6Client& client_;
  const LedgerContents& contents_;
  const CleanupOptions& options_;
  dci6::ServerActions actions_;
  std::set<std::string> created_;
  CleanupReport report_;
};

}  // namespace

bool settling(const ServerFacts& server) {
  return server.diagnostics_running || server.operation_status == "running" || dci6::is_transitional_state(server.state) ||
         server.state == "releasing";
}

CleanupReport cleanup_ledger(Ledger& ledger, dci6::Dci6Client& client, const CleanupOptions& options) {
  common::Result<LedgerContents> contents = Ledger::read(ledger.path());
  CleanupReport report;
  if (!contents) {
    report.problems.push_back(contents.error().message);
    return report;
  }
  report = Cleanup(client, *contents, options).run();
  Json entry = {{"kind", "cleanup"}, {"outcome", report.ok() ? "done" : "incomplete"},
                {"actions", report.actions}, {"problems", report.problems}};
  if (common::Status written = ledger.append(entry); !written) report.problems.push_back(written.error().message);
  return report;
}

}  // namespace dcisim::certify
