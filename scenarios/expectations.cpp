#include "scenarios/expectations.h"

#include <algorithm>

namespace dcisim::scenarios {

using common::Money;
using common::Result;
using common::Status;

namespace {

std::string quote_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (const std::string& item : items) out += (out.size() > 1 ? ", " : "") + item;
  return out + "]";
}

std::vector<std::string> flag_names(const billing::SuspendFlags& flags) {
  std::vector<std::string> names;
  std::string text = flags.to_string();  // "auto,admin"
  size_t pos = 0;
  while (pos < text.size()) {
    size_t comma = text.find(',', pos);
    if (comma == std::string::npos) comma = text.size();
    names.push_back(text.substr(pos, comma - pos));
    pos = comma + 1;
  }
  return names;
}

std::string history_text(const billing::HistoryView& h) {
  std::string text = (h.from_status.empty() ? std::string("(new)") : h.from_status) + " -> " + h.to_status + " by " +
                     billing::actor_name(h.actor);
  if (!h.reason.empty()) text += " (" + h.reason + ")";
  return text;
}

bool history_matches(const HistoryExpectation& want, const billing::HistoryView& h) {
  if (want.from && *want.from != h.from_status) return false;
  if (want.to && *want.to != h.to_status) return false;
  if (want.actor && *want.actor != billing::actor_name(h.actor)) return false;
  if (want.reason_contains && h.reason.find(*want.reason_contains) == std::string::npos) return false;
  return true;
}

std::string history_want_text(const HistoryExpectation& want) {
  std::string text;
  if (want.from) text += "from " + *want.from + " ";
  if (want.to) text += "to " + *want.to + " ";
  if (want.actor) text += "by " + *want.actor + " ";
  if (want.reason_contains) text += "reason ~ \"" + *want.reason_contains + "\" ";
  if (!text.empty()) text.pop_back();
  return text;
}

void check_history(const std::string& name, const std::vector<HistoryExpectation>& wanted,
                   const std::vector<billing::HistoryView>& rows, std::vector<Mismatch>& out) {
  size_t next = 0;
  for (size_t i = 0; i < wanted.size(); ++i) {
    while (next < rows.size() && !history_matches(wanted[i], rows[next])) ++next;
    if (next == rows.size()) {
      std::vector<std::string> found;
      for (const auto& h : rows) found.push_back(history_text(h));
      out.push_back({"service " + name + " history entry " + std::to_string(i),
                     history_want_text(wanted[i]) + " (after the entries matched before it)", quote_list(found)});
      return;
    }
    ++next;
  }
}

void check_charges(const std::string& name, const ExpectStep& e, const std::vector<billing::ExpenseView>& expenses,
                   std::vector<Mismatch>& out) {
  Money total;
  std::vector<std::string> found;
  for (const auto& x : expenses) {
    total += x.amount;
    found.push_back(std::string(billing::expense_kind_name(x.kind)) + " " + x.amount.to_string());
  }
  if (e.charge_count && *e.charge_count != static_cast<int>(expenses.size())) {
    out.push_back({"service " + name + " charge count", std::to_string(*e.charge_count), std::to_string(expenses.size()) + " " + quote_list(found)});
  }
  if (e.charge_total && *e.charge_total != total) {
    out.push_back({"service " + name + " charge total", e.charge_total->to_string(), total.to_string() + " " + quote_list(found)});
  }
  if (e.charges) {
    std::vector<std::string> wanted;
    for (const auto& c : *e.charges) wanted.push_back(c.kind + " " + c.amount.to_string());
    if (wanted != found) out.push_back({"service " + name + " charges", quote_list(wanted), quote_list(found)});
  }
}

void check_server(const std::string& name, const ServerExpectation& want, const mockdci::ServerView& server,
                  std::vector<Mismatch>& out) {
  std::string prefix = "service " + name + " server " + std::to_string(server.id) + " ";
  if (want.owner) {
    std::string expected = want.owner->value_or("(free)");
    std::string found = server.owner_email.empty() ? "(free)" : server.owner_email;
    if (expected != found) out.push_back({prefix + "owner", expected, found});
  }
  if (want.power && *want.power != server.power) out.push_back({prefix + "power", *want.power, server.power});
  if (want.ports) {
    std::string found = server.ports_up ? "up" : "down";
    if (*want.ports != found) out.push_back({prefix + "ports", *want.ports, found});
  }
  if (want.state && *want.state != server.state) out.push_back({prefix + "state", *want.state, server.state});
  int v4 = 0, v6 = 0;
  std::vector<std::string> addresses;
  std::vector<std::string> pools;
  for (const auto& a : server.addresses) {
    (a.family == "ipv6" ? v6 : v4) += 1;
    addresses.push_back(a.address + " (" + a.pool + ")");
    pools.push_back(a.pool);
  }
  int count = v4 + v6;
  if (want.ip_count && *want.ip_count != count) out.push_back({prefix + "ips", std::to_string(*want.ip_count), std::to_string(count) + " " + quote_list(addresses)});
  if (want.ipv4 && *want.ipv4 != v4) out.push_back({prefix + "ipv4", std::to_string(*want.ipv4), std::to_string(v4) + " " + quote_list(addresses)});
  if (want.ipv6 && *want.ipv6 != v6) out.push_back({prefix + "ipv6", std::to_string(*want.ipv6), std::to_string(v6) + " " + quote_list(addresses)});
  if (want.pool) {
    bool all = !pools.empty() && std::all_of(pools.begin(), pools.end(), [&](const std::string& p) { return p == *want.pool; });
    if (!all) out.push_back({prefix + "pool", "every address from " + *want.pool, quote_list(addresses)});
  }
}

Status check_service(const ExpectStep& e, World& world, std::vector<Mismatch>& out) {
  const std::string& name = e.service;
  billing::ServiceId id = world.services.at(name);
  DCISIM_ASSIGN_OR_RETURN(billing::ServiceView s, world.billing->service(id));
  if (e.status && *e.status != billing::service_status_name(s.status)) {
    std::string found = billing::service_status_name(s.status);
    if (s.processing) found += std::string(" (") + billing::operation_kind_name(*s.processing) + ")";
    out.push_back({"service " + name + " status", *e.status, found});
  }
  if (e.flags) {
    std::vector<std::string> want = *e.flags, found = flag_names(s.flags);
    std::sort(want.begin(), want.end());
    std::sort(found.begin(), found.end());
    if (want != found) out.push_back({"service " + name + " flags", quote_list(*e.flags), quote_list(flag_names(s.flags))});
  }
  if (e.expiredate) {
    std::string want = *e.expiredate ? common::format_instant(**e.expiredate) : "none";
    std::string found = s.expiredate ? common::format_instant(*s.expiredate) : "none";
    if (want != found) out.push_back({"service " + name + " expiredate", want, found});
  }
  if (e.autoprolong && *e.autoprolong != s.autoprolong) {
    out.push_back({"service " + name + " autoprolong", *e.autoprolong ? "on" : "off", s.autoprolong ? "on" : "off"});
  }
  if (e.charge_count || e.charge_total || e.charges) {
    DCISIM_ASSIGN_OR_RETURN(std::vector<billing::ExpenseView> expenses, world.billing->service_expenses(id));
    check_charges(name, e, expenses, out);
  }
  if (!e.history.empty()) {
    DCISIM_ASSIGN_OR_RETURN(std::vector<billing::HistoryView> rows, world.billing->service_history(id));
    check_history(name, e.history, rows, out);
  }
  if (e.expect_no_server && s.server_id) {
    out.push_back({"service " + name + " server", "none", "server " + std::to_string(*s.server_id)});
  }
  if (e.server) {
    if (!s.server_id) {
      out.push_back({"service " + name + " server", "a server", "none (status " + std::string(billing::service_status_name(s.status)) + ")"});
    } else if (std::optional<mockdci::ServerView> server = world.emulator->server(*s.server_id)) {
      check_server(name, *e.server, *server, out);
    } else {
      out.push_back({"service " + name + " server", "server " + std::to_string(*s.server_id) + " in the emulator", "no such server"});
    }
  }
  return Status::success();
}

}  // namespace

Result<std::vector<Mismatch>> check_expectation(const ExpectStep& e, World& world) {
  std::vector<Mismatch> out;
  if (!e.service.empty()) DCISIM_RETURN_IF_ERROR(check_service(e, world, out));
  if (e.balance) {
    DCISIM_ASSIGN_OR_RETURN(billing::AccountView account, world.billing->account(world.clients.at(e.client).id));
    if (account.balance != *e.balance) out.push_back({"client " + e.client + " balance", e.balance->to_string(), account.balance.to_string()});
  }
  if (e.open_tasks) {
    DCISIM_ASSIGN_OR_RETURN(std::vector<billing::TaskView> tasks, world.billing->tasks(true));
    if (static_cast<int>(tasks.size()) != *e.open_tasks) {
      std::vector<std::string> found;
      for (const auto& t : tasks) found.push_back("task " + t.id.to_string() + ": " + t.reason);
      out.push_back({"open tasks", std::to_string(*e.open_tasks), std::to_string(tasks.size()) + " " + quote_list(found)});
    }
  }
  if (!e.free.empty()) {
    std::map<std::string, int64_t> free = world.emulator->free_counts();
    for (const auto& [configuration, want] : e.free) {
      int64_t found = free.count(configuration) ? free.at(configuration) : 0;
      if (found != want) out.push_back({"free servers of " + configuration, std::to_string(want), std::to_string(found)});
    }
  }
  return out;
}

}  // namespace dcisim::scenarios
