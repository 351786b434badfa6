#include "scenarios/expectations.h"

#include <algorithm>

#include "common/json_input.h"
#include "mockdci/faults.h"

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
                     history_want_text(wanted[i]) + " (after the entries matched before it)", quote_list(found), "/history/" + std::to_string(i)});
      return;
    }
    ++next;
  }
}

std::string time_text(const TimeExpectation& t) {
  if (t.exact()) return common::format_instant(t.from);
  return "between " + common::format_instant(t.from) + " and " + common::format_instant(t.to);
}

bool time_matches(const TimeExpectation& t, const std::optional<common::Instant>& at) {
  return at && *at >= t.from && *at <= t.to;
}

std::string optional_time(const std::optional<common::Instant>& at) {
  return at ? common::format_instant(*at) : "none";
}

// Compares the exact list of charges, with the period each one paid for when asked.
void check_charge_list(const std::string& name, const std::vector<ChargeExpectation>& wanted_list,
                       const std::vector<billing::ExpenseView>& expenses, const std::vector<billing::PeriodView>& periods,
                       std::vector<Mismatch>& out) {
  auto period_of = [&](const billing::ExpenseView& x) -> const billing::PeriodView* {
    for (const billing::PeriodView& p : periods) {
      if (x.period_seq && p.seq == *x.period_seq) return &p;
    }
    return nullptr;
  };
  std::vector<std::string> wanted, found;
  bool same = wanted_list.size() == expenses.size();
  for (size_t i = 0; i < std::max(wanted_list.size(), expenses.size()); ++i) {
    const ChargeExpectation* want = i < wanted_list.size() ? &wanted_list[i] : nullptr;
    const billing::ExpenseView* x = i < expenses.size() ? &expenses[i] : nullptr;
    if (want) {
      std::string text = want->kind + " " + want->amount.to_string();
      if (want->start) text += " from " + time_text(*want->start);
      if (want->end) text += " to " + time_text(*want->end);
      wanted.push_back(text);
    }
    if (x) {
      std::string text = std::string(billing::expense_kind_name(x->kind)) + " " + x->amount.to_string();
      const billing::PeriodView* p = period_of(*x);
      std::optional<common::Instant> start = p ? p->start_at : std::nullopt;
      std::optional<common::Instant> end = p ? p->end_at : std::nullopt;
      if (want && (want->start || want->end)) text += " from " + optional_time(start) + " to " + optional_time(end);
      found.push_back(text);
      if (want) {
        same = same && want->kind == billing::expense_kind_name(x->kind) && want->amount == x->amount &&
               (!want->start || time_matches(*want->start, start)) && (!want->end || time_matches(*want->end, end));
      }
    }
  }
  if (!same) out.push_back({"service " + name + " charges", quote_list(wanted), quote_list(found), "/charges"});
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
    out.push_back({"service " + name + " charge count", std::to_string(*e.charge_count), std::to_string(expenses.size()) + " " + quote_list(found), "/charges/count"});
  }
  if (e.charge_total && *e.charge_total != total) {
    out.push_back({"service " + name + " charge total", e.charge_total->to_string(), total.to_string() + " " + quote_list(found), "/charges/total"});
  }
}

void check_task(const std::string& name, const std::optional<TaskExpectation>& want,
                const std::vector<billing::TaskView>& tasks, billing::ServiceId id, std::vector<Mismatch>& out) {
  std::vector<std::string> found;
  bool matched = false;
  for (const billing::TaskView& t : tasks) {
    if (t.service_id != id) continue;
    found.push_back(std::string(billing::operation_kind_name(t.kind)) + ": " + t.reason);
    matched = matched || (want && (!want->kind || *want->kind == billing::operation_kind_name(t.kind)) &&
                          (!want->reason_contains || t.reason.find(*want->reason_contains) != std::string::npos));
  }
  if (!want) {
    if (!found.empty()) out.push_back({"service " + name + " open task", "none", quote_list(found), "/task"});
    return;
  }
  if (!matched) {
    std::string text = "an open task";
    if (want->kind) text += " of kind " + *want->kind;
    if (want->reason_contains) text += " whose reason contains \"" + *want->reason_contains + "\"";
    out.push_back({"service " + name + " open task", text, found.empty() ? "none" : quote_list(found), "/task"});
  }
}

std::string payment_text(const billing::PaymentView& p) {
  return p.amount.to_string() + " " + billing::payment_status_name(p.status) + " (" + p.method + ")";
}

bool payment_matches(const PaymentExpectation& want, const billing::PaymentView& p) {
  return (!want.status || *want.status == billing::payment_status_name(p.status)) &&
         (!want.amount || *want.amount == p.amount) && (!want.method || *want.method == p.method);
}

std::string payment_want_text(const PaymentExpectation& want) {
  std::string text;
  if (want.amount) text += want.amount->to_string() + " ";
  if (want.status) text += *want.status + " ";
  if (want.method) text += "(" + *want.method + ") ";
  if (text.empty()) return "any";
  text.pop_back();
  return text;
}

// "340282366920938463463374607431768211456" - "5", for IPv6 pools (sizes beyond 64 bits).
std::string minus(const std::string& total, int64_t used) {
  unsigned __int128 value = 0;
  for (char c : total) value = value * 10 + static_cast<unsigned>(c - '0');
  value -= static_cast<unsigned __int128>(used);
  if (value == 0) return "0";
  std::string digits;
  for (; value > 0; value /= 10) digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(value % 10)));
  return digits;
}

void check_pools(const std::map<std::string, PoolExpectation>& wanted, const std::vector<mockdci::PoolUsage>& pools,
                 std::vector<Mismatch>& out) {
  for (const auto& [name, want] : wanted) {
    const mockdci::PoolUsage* pool = nullptr;
    for (const mockdci::PoolUsage& p : pools) {
      if (p.name == name) pool = &p;
    }
    if (pool == nullptr) {
      std::vector<std::string> names;
      for (const mockdci::PoolUsage& p : pools) names.push_back(p.name);
      out.push_back({"pool " + name, "a pool of that name", "pools " + quote_list(names), "/pools/" + common::json_pointer_escape(name)});
      continue;
    }
    std::string free4 = minus(pool->total_ipv4, pool->used_ipv4);
    std::string free6 = minus(pool->total_ipv6, pool->used_ipv6);
    auto compare = [&](const char* what, const std::string& expected, const std::string& found) {
      if (expected != found) out.push_back({"pool " + name + " " + what, expected, found, "/pools/" + common::json_pointer_escape(name) + "/" + what});
    };
    if (want.used_ipv4) compare("used_ipv4", std::to_string(*want.used_ipv4), std::to_string(pool->used_ipv4));
    if (want.free_ipv4) compare("free_ipv4", std::to_string(*want.free_ipv4), free4);
    if (want.used_ipv6) compare("used_ipv6", std::to_string(*want.used_ipv6), std::to_string(pool->used_ipv6));
    if (want.free_ipv6) compare("free_ipv6", *want.free_ipv6, free6);
  }
}

void check_requests(const std::vector<RequestExpectation>& wanted, const std::vector<mockdci::JournalEntry>& journal,
                    std::vector<Mismatch>& out) {
  auto canonical = [](std::string path) {  // clients may leave out the /api prefix
    if (path.rfind("/api/", 0) != 0 && path.rfind("/mockdci/", 0) != 0 && path != "/") path = "/api" + path;
    return path;
  };
  for (const RequestExpectation& want : wanted) {
    std::string pattern = canonical(want.path);
    int found = 0;
    for (const mockdci::JournalEntry& entry : journal) {
      std::string path = canonical(entry.target.substr(0, entry.target.find('?')));
      if (!want.method.empty() && entry.method != want.method) continue;
      if (want.status && entry.status != *want.status) continue;
      if (mockdci::path_matches(pattern, path)) ++found;
    }
    if (found != want.count) {
      std::string what = (want.method.empty() ? std::string("any") : want.method) + " " + want.path;
      if (want.status) what += " answered " + std::to_string(*want.status);
      out.push_back({"requests " + what, std::to_string(want.count), std::to_string(found)});
    }
  }
}

Status check_payments(const ExpectStep& e, World& world, std::vector<Mismatch>& out) {
  if (e.payment) {
    DCISIM_ASSIGN_OR_RETURN(billing::PaymentView p, world.billing->payment(world.payments.at(e.payment->name)));
    if (!payment_matches(*e.payment, p)) {
      out.push_back({"payment " + e.payment->name, payment_want_text(*e.payment), payment_text(p), "/payment"});
    }
  }
  if (e.payments) {
    DCISIM_ASSIGN_OR_RETURN(std::vector<billing::PaymentView> list, world.billing->payments(world.clients.at(e.client).id));
    bool same = list.size() == e.payments->size();
    std::vector<std::string> wanted, found;
    for (size_t i = 0; i < list.size(); ++i) {
      found.push_back(payment_text(list[i]));
      if (i < e.payments->size()) same = same && payment_matches((*e.payments)[i], list[i]);
    }
    for (const PaymentExpectation& p : *e.payments) wanted.push_back(payment_want_text(p));
    if (!same) out.push_back({"client " + e.client + " payments", quote_list(wanted), quote_list(found), "/payments"});
  }
  return Status::success();
}

// A server as an expectation sees it: from the emulator's typed reads, or on a remote target from
// what the module reads through DCImanager's API (RemoteView; no pool names there).
struct ObservedServer {
  int64_t id = 0;
  std::string owner_email;
  std::string power;
  std::string state;
  bool ports_up = true;
  std::vector<mockdci::AddressView> addresses;  // `pool` empty on a remote target
};

Result<std::optional<ObservedServer>> observe_server(World& world, int64_t id) {
  if (world.emulator) {
    std::optional<mockdci::ServerView> s = world.emulator->server(id);
    if (!s) return std::optional<ObservedServer>();
    return std::optional<ObservedServer>(ObservedServer{s->id, s->owner_email, s->power, s->state, s->ports_up, s->addresses});
  }
  DCISIM_ASSIGN_OR_RETURN(billing::RemoteView view, remote_view_of(world));
  for (const billing::RemoteServerView& s : view.servers) {
    if (s.server_id != id) continue;
    ObservedServer out{s.server_id, s.owner_email, s.power, s.state, s.ports_up, {}};
    for (const billing::RemoteAddress& a : s.addresses) out.addresses.push_back({a.id, a.address, a.family, ""});
    return std::optional<ObservedServer>(out);
  }
  return std::optional<ObservedServer>();
}

void check_server(const std::string& name, const ServerExpectation& want, const ObservedServer& server,
                  std::vector<Mismatch>& out) {
  std::string prefix = "service " + name + " server " + std::to_string(server.id) + " ";
  if (want.owner) {
    std::string expected = want.owner->value_or("(free)");
    std::string found = server.owner_email.empty() ? "(free)" : server.owner_email;
    if (expected != found) out.push_back({prefix + "owner", expected, found, "/server/owner"});
  }
  if (want.power && *want.power != server.power) out.push_back({prefix + "power", *want.power, server.power, "/server/power"});
  if (want.ports) {
    std::string found = server.ports_up ? "up" : "down";
    if (*want.ports != found) out.push_back({prefix + "ports", *want.ports, found, "/server/ports"});
  }
  if (want.state && *want.state != server.state) out.push_back({prefix + "state", *want.state, server.state, "/server/state"});
  int v4 = 0, v6 = 0;
  std::vector<std::string> addresses;
  std::vector<std::string> pools;
  for (const auto& a : server.addresses) {
    (a.family == "ipv6" ? v6 : v4) += 1;
    addresses.push_back(a.address + " (" + a.pool + ")");
    pools.push_back(a.pool);
  }
  int count = v4 + v6;
  if (want.ip_count && *want.ip_count != count) out.push_back({prefix + "ips", std::to_string(*want.ip_count), std::to_string(count) + " " + quote_list(addresses), "/server/ips"});
  if (want.ipv4 && *want.ipv4 != v4) out.push_back({prefix + "ipv4", std::to_string(*want.ipv4), std::to_string(v4) + " " + quote_list(addresses), "/server/ipv4"});
  if (want.ipv6 && *want.ipv6 != v6) out.push_back({prefix + "ipv6", std::to_string(*want.ipv6), std::to_string(v6) + " " + quote_list(addresses), "/server/ipv6"});
  if (want.pool) {
    bool all = !pools.empty() && std::all_of(pools.begin(), pools.end(), [&](const std::string& p) { return p == *want.pool; });
    if (!all) out.push_back({prefix + "pool", "every address from " + *want.pool, quote_list(addresses), "/server/pool"});
  }
}

Status check_service(const ExpectStep& e, World& world, std::vector<Mismatch>& out) {
  const std::string& name = e.service;
  billing::ServiceId id = world.services.at(name);
  DCISIM_ASSIGN_OR_RETURN(billing::ServiceView s, world.billing->service(id));
  if (e.status && *e.status != billing::service_status_name(s.status)) {
    std::string found = billing::service_status_name(s.status);
    if (s.processing) found += std::string(" (") + billing::operation_kind_name(*s.processing) + ")";
    out.push_back({"service " + name + " status", *e.status, found, "/status"});
  }
  if (e.flags) {
    std::vector<std::string> want = *e.flags, found = flag_names(s.flags);
    std::sort(want.begin(), want.end());
    std::sort(found.begin(), found.end());
    if (want != found) out.push_back({"service " + name + " flags", quote_list(*e.flags), quote_list(flag_names(s.flags)), "/flags"});
  }
  if (e.expiredate) {
    bool same = *e.expiredate ? time_matches(**e.expiredate, s.expiredate) : !s.expiredate;
    if (!same) {
      out.push_back({"service " + name + " expiredate", *e.expiredate ? time_text(**e.expiredate) : "none",
                     optional_time(s.expiredate), "/expiredate"});
    }
  }
  if (e.autoprolong && *e.autoprolong != s.autoprolong) {
    out.push_back({"service " + name + " autoprolong", *e.autoprolong ? "on" : "off", s.autoprolong ? "on" : "off", "/autoprolong"});
  }
  if (e.charge_count || e.charge_total || e.charges) {
    DCISIM_ASSIGN_OR_RETURN(std::vector<billing::ExpenseView> expenses, world.billing->service_expenses(id));
    check_charges(name, e, expenses, out);
    if (e.charges) {
      DCISIM_ASSIGN_OR_RETURN(std::vector<billing::PeriodView> periods, world.billing->periods(id));
      check_charge_list(name, *e.charges, expenses, periods, out);
    }
  }
  if (e.task) {
    DCISIM_ASSIGN_OR_RETURN(std::vector<billing::TaskView> tasks, world.billing->tasks(true));
    check_task(name, *e.task, tasks, id, out);
  }
  if (!e.history.empty()) {
    DCISIM_ASSIGN_OR_RETURN(std::vector<billing::HistoryView> rows, world.billing->service_history(id));
    check_history(name, e.history, rows, out);
  }
  if (e.expect_no_server && s.server_id) {
    out.push_back({"service " + name + " server", "none", "server " + std::to_string(*s.server_id), "/server"});
  }
  if (e.server) {
    if (!s.server_id) {
      out.push_back({"service " + name + " server", "a server", "none (status " + std::string(billing::service_status_name(s.status)) + ")", "/server"});
    } else {
      DCISIM_ASSIGN_OR_RETURN(std::optional<ObservedServer> server, observe_server(world, *s.server_id));
      if (server) {
        check_server(name, *e.server, *server, out);
      } else {
        out.push_back({"service " + name + " server", "server " + std::to_string(*s.server_id) + " on DCImanager's side",
                       "no such server", "/server"});
      }
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
    if (account.balance != *e.balance) out.push_back({"client " + e.client + " balance", e.balance->to_string(), account.balance.to_string(), "/balance"});
  }
  DCISIM_RETURN_IF_ERROR(check_payments(e, world, out));
  if ((!e.pools.empty() || !e.free.empty() || !e.requests.empty()) && !world.emulator) {
    out.push_back({"pools, free counts and requests", "the emulator's typed reads", "a target without an emulator", ""});
    return out;
  }
  if (!e.pools.empty()) check_pools(e.pools, world.emulator->pools(), out);
  if (!e.requests.empty()) check_requests(e.requests, world.emulator->journal(SIZE_MAX), out);
  if (e.open_tasks) {
    DCISIM_ASSIGN_OR_RETURN(std::vector<billing::TaskView> tasks, world.billing->tasks(true));
    if (static_cast<int>(tasks.size()) != *e.open_tasks) {
      std::vector<std::string> found;
      for (const auto& t : tasks) found.push_back("task " + t.id.to_string() + ": " + t.reason);
      out.push_back({"open tasks", std::to_string(*e.open_tasks), std::to_string(tasks.size()) + " " + quote_list(found), "/open_tasks"});
    }
  }
  if (!e.free.empty()) {
    std::map<std::string, int64_t> free = world.emulator->free_counts();
    for (const auto& [configuration, want] : e.free) {
      int64_t found = free.count(configuration) ? free.at(configuration) : 0;
      if (found != want) out.push_back({"free servers of " + configuration, std::to_string(want), std::to_string(found), "/free/" + common::json_pointer_escape(configuration)});
    }
  }
  return out;
}

}  // namespace dcisim::scenarios
