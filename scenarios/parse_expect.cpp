// The `expect` step: checks on a service (billing and emulator side), a client, or the whole
// installation. Every check is optional; at least one must be given.
#include "scenarios/parse_internal.h"

namespace dcisim::scenarios::detail {

using common::Money;
using common::Result;
using common::Status;

namespace {

const char* const kStatuses[] = {"ordered", "processing", "active", "suspended", "deleted"};
const char* const kFlags[] = {"auto", "admin", "abuse", "client"};

Result<std::string> status_value(const JsonNode& node) {
  DCISIM_ASSIGN_OR_RETURN(std::string status, node.non_empty_string());
  for (const char* known : kStatuses) {
    if (status == known) return status;
  }
  return node.error("a service status: ordered, processing, active, suspended or deleted");
}

Result<std::vector<std::string>> flag_list(const JsonNode& node) {
  DCISIM_RETURN_IF_ERROR(node.require_array());
  std::vector<std::string> flags;
  for (size_t i = 0; i < node.size(); ++i) {
    DCISIM_ASSIGN_OR_RETURN(std::string flag, node.at(i).non_empty_string());
    bool known = false;
    for (const char* f : kFlags) known = known || flag == f;
    if (!known) return node.at(i).error("a suspension flag: auto, admin, abuse or client");
    flags.push_back(flag);
  }
  return flags;
}

Result<std::optional<int>> count_or_none(const JsonNode& node, int64_t max) {
  if (!node.present()) return std::optional<int>();
  DCISIM_ASSIGN_OR_RETURN(int64_t n, node.integer(0, max));
  return std::optional<int>(static_cast<int>(n));
}

Result<std::optional<std::string>> string_or_none(const JsonNode& node) {
  if (!node.present()) return std::optional<std::string>();
  DCISIM_ASSIGN_OR_RETURN(std::string text, node.non_empty_string());
  return std::optional<std::string>(text);
}

Result<std::optional<std::string>> one_of_or_none(const JsonNode& node, std::initializer_list<const char*> allowed,
                                                  const char* expected) {
  DCISIM_ASSIGN_OR_RETURN(std::optional<std::string> value, string_or_none(node));
  if (!value) return value;
  for (const char* option : allowed) {
    if (*value == option) return value;
  }
  return node.error(expected);
}

// "2026-02-01T00:20:00Z" (exactly) or {"between": ["2026-02-01", "2026-02-02T12:00:00Z"]}.
Result<TimeExpectation> read_time(const JsonNode& node) {
  static constexpr const char* kExpected =
      "a UTC time such as \"2026-02-01T00:20:30Z\", or {\"between\": [\"2026-02-01\", \"2026-02-02\"]}";
  if (node.raw() != nullptr && node.raw()->is_string()) {
    Result<common::Instant> at = common::parse_instant(node.raw()->get<std::string>());
    if (!at) return node.error(kExpected);
    return TimeExpectation{*at, *at};
  }
  if (node.raw() == nullptr || !node.raw()->is_object()) return node.error(kExpected);
  DCISIM_RETURN_IF_ERROR(node.only_keys({"between"}));
  JsonNode range = node.at("between");
  if (range.raw() == nullptr || !range.raw()->is_array() || range.size() != 2) {
    return range.error("two UTC times [from, to], both included");
  }
  TimeExpectation out;
  for (size_t i = 0; i < 2; ++i) {
    DCISIM_ASSIGN_OR_RETURN(std::string text, range.at(i).string());
    Result<common::Instant> at = common::parse_instant(text);
    if (!at) return range.at(i).error("a UTC time such as \"2026-02-01\" or \"2026-02-01T00:20:30Z\"");
    (i == 0 ? out.from : out.to) = *at;
  }
  if (out.to < out.from) return range.error("[from, to] with from <= to");
  return out;
}

Result<TaskExpectation> read_task(const JsonNode& node) {
  DCISIM_RETURN_IF_ERROR(node.require_object());
  DCISIM_RETURN_IF_ERROR(node.only_keys({"kind", "reason"}));
  TaskExpectation task;
  DCISIM_ASSIGN_OR_RETURN(task.kind, one_of_or_none(node.at("kind"), {"open", "suspend", "resume", "close"},
                                                    "an operation kind: open, suspend, resume or close"));
  DCISIM_ASSIGN_OR_RETURN(task.reason_contains, string_or_none(node.at("reason")));
  return task;
}

Result<PaymentExpectation> read_payment_checks(const JsonNode& node, std::initializer_list<std::string_view> keys) {
  DCISIM_RETURN_IF_ERROR(node.require_object());
  DCISIM_RETURN_IF_ERROR(node.only_keys(keys));
  PaymentExpectation payment;
  DCISIM_ASSIGN_OR_RETURN(payment.status, one_of_or_none(node.at("status"), {"new", "in_pay", "paid", "canceled", "refunded"},
                                                         "a payment status: new, in_pay, paid, canceled or refunded"));
  if (node.at("amount").present()) { DCISIM_ASSIGN_OR_RETURN(payment.amount, node.at("amount").money()); }
  DCISIM_ASSIGN_OR_RETURN(payment.method, string_or_none(node.at("method")));
  return payment;
}

Result<std::vector<RequestExpectation>> read_requests(const JsonNode& node) {
  DCISIM_RETURN_IF_ERROR(node.require_array());
  if (node.size() == 0) return node.error("at least one {\"method\", \"path\", \"count\"}");
  std::vector<RequestExpectation> out;
  for (size_t i = 0; i < node.size(); ++i) {
    JsonNode entry = node.at(i);
    DCISIM_RETURN_IF_ERROR(entry.require_object());
    DCISIM_RETURN_IF_ERROR(entry.only_keys({"method", "path", "status", "count"}));
    RequestExpectation want;
    DCISIM_ASSIGN_OR_RETURN(std::optional<std::string> method, one_of_or_none(entry.at("method"), {"GET", "POST", "DELETE"},
                                                                              "GET, POST or DELETE"));
    want.method = method.value_or("");
    DCISIM_ASSIGN_OR_RETURN(want.path, entry.at("path").non_empty_string());
    if (want.path[0] != '/') return entry.at("path").error("a path starting with /, e.g. \"/api/dci/v3/server/*/owner\"");
    if (entry.at("status").present()) { DCISIM_ASSIGN_OR_RETURN(want.status, entry.at("status").integer(100, 599)); }
    DCISIM_ASSIGN_OR_RETURN(int64_t count, entry.at("count").integer(0, 1'000'000));
    want.count = static_cast<int>(count);
    out.push_back(want);
  }
  return out;
}

Result<std::map<std::string, PoolExpectation>> read_pools(const JsonNode& node) {
  DCISIM_RETURN_IF_ERROR(node.require_object());
  std::map<std::string, PoolExpectation> pools;
  for (const auto& [name, unused] : node.raw()->items()) {
    (void)unused;
    JsonNode pool = node.at(name);
    DCISIM_RETURN_IF_ERROR(pool.require_object());
    DCISIM_RETURN_IF_ERROR(pool.only_keys({"used_ipv4", "free_ipv4", "used_ipv6", "free_ipv6"}));
    PoolExpectation want;
    constexpr int64_t kMax = int64_t{1} << 32;  // an IPv4 pool never holds more
    if (pool.at("used_ipv4").present()) { DCISIM_ASSIGN_OR_RETURN(want.used_ipv4, pool.at("used_ipv4").integer(0, kMax)); }
    if (pool.at("free_ipv4").present()) { DCISIM_ASSIGN_OR_RETURN(want.free_ipv4, pool.at("free_ipv4").integer(0, kMax)); }
    if (pool.at("used_ipv6").present()) { DCISIM_ASSIGN_OR_RETURN(want.used_ipv6, pool.at("used_ipv6").integer(0, INT64_MAX)); }
    JsonNode free6 = pool.at("free_ipv6");
    if (free6.present()) {
      std::string digits = free6.raw()->is_string() ? free6.raw()->get<std::string>()
                           : free6.raw()->is_number_unsigned() ? std::to_string(free6.raw()->get<uint64_t>()) : "";
      bool ok = !digits.empty() && digits.size() <= 40 && digits.find_first_not_of("0123456789") == std::string::npos;
      if (!ok) return free6.error("a count of addresses (an integer, or a string of digits for counts over 64 bits)");
      want.free_ipv6 = digits;
    }
    if (!want.used_ipv4 && !want.free_ipv4 && !want.used_ipv6 && !want.free_ipv6) {
      return pool.error("at least one of used_ipv4, free_ipv4, used_ipv6, free_ipv6");
    }
    pools[name] = want;
  }
  if (pools.empty()) return node.error("pools by name, e.g. {\"rack-a1\": {\"used_ipv4\": 2}}");
  return pools;
}

Result<ServerExpectation> read_server(const JsonNode& node) {
  DCISIM_RETURN_IF_ERROR(node.only_keys({"owner", "power", "ports", "ips", "ipv4", "ipv6", "pool", "state"}));
  ServerExpectation server;
  JsonNode owner = node.at("owner");
  if (owner.raw() != nullptr) {
    if (owner.raw()->is_null()) {
      server.owner = std::optional<std::string>();
    } else {
      DCISIM_ASSIGN_OR_RETURN(std::string email, owner.non_empty_string());
      server.owner = std::optional<std::string>(email);
    }
  }
  DCISIM_ASSIGN_OR_RETURN(server.power, string_or_none(node.at("power")));
  if (server.power && *server.power != "ON" && *server.power != "OFF") return node.at("power").error("\"ON\" or \"OFF\"");
  DCISIM_ASSIGN_OR_RETURN(server.ports, string_or_none(node.at("ports")));
  if (server.ports && *server.ports != "up" && *server.ports != "down") return node.at("ports").error("\"up\" or \"down\"");
  DCISIM_ASSIGN_OR_RETURN(server.ip_count, count_or_none(node.at("ips"), 1024));
  DCISIM_ASSIGN_OR_RETURN(server.ipv4, count_or_none(node.at("ipv4"), 1024));
  DCISIM_ASSIGN_OR_RETURN(server.ipv6, count_or_none(node.at("ipv6"), 1024));
  DCISIM_ASSIGN_OR_RETURN(server.pool, string_or_none(node.at("pool")));
  DCISIM_ASSIGN_OR_RETURN(server.state, string_or_none(node.at("state")));
  return server;
}

Result<std::vector<HistoryExpectation>> read_history(const JsonNode& node) {
  DCISIM_RETURN_IF_ERROR(node.require_array());
  std::vector<HistoryExpectation> out;
  for (size_t i = 0; i < node.size(); ++i) {
    JsonNode entry = node.at(i);
    DCISIM_RETURN_IF_ERROR(entry.require_object());
    DCISIM_RETURN_IF_ERROR(entry.only_keys({"from", "to", "actor", "reason"}));
    HistoryExpectation h;
    if (entry.at("from").present()) { DCISIM_ASSIGN_OR_RETURN(h.from, status_value(entry.at("from"))); }
    if (entry.at("to").present()) { DCISIM_ASSIGN_OR_RETURN(h.to, status_value(entry.at("to"))); }
    DCISIM_ASSIGN_OR_RETURN(h.actor, string_or_none(entry.at("actor")));
    DCISIM_ASSIGN_OR_RETURN(h.reason_contains, string_or_none(entry.at("reason")));
    if (!h.from && !h.to && !h.actor && !h.reason_contains) return entry.error("at least one of from, to, actor, reason");
    out.push_back(h);
  }
  return out;
}

Status read_charges(const JsonNode& node, ExpectStep& step) {
  if (node.raw()->is_array()) {
    std::vector<ChargeExpectation> charges;
    for (size_t i = 0; i < node.size(); ++i) {
      JsonNode entry = node.at(i);
      DCISIM_RETURN_IF_ERROR(entry.require_object());
      DCISIM_RETURN_IF_ERROR(entry.only_keys({"kind", "amount", "start", "end"}));
      ChargeExpectation charge;
      DCISIM_ASSIGN_OR_RETURN(charge.kind, entry.at("kind").non_empty_string());
      if (charge.kind != "period" && charge.kind != "setup" && charge.kind != "addon" && charge.kind != "refund") {
        return entry.at("kind").error("a charge kind: period, setup, addon or refund");
      }
      DCISIM_ASSIGN_OR_RETURN(charge.amount, entry.at("amount").money());
      if (entry.at("start").present()) { DCISIM_ASSIGN_OR_RETURN(charge.start, read_time(entry.at("start"))); }
      if (entry.at("end").present()) { DCISIM_ASSIGN_OR_RETURN(charge.end, read_time(entry.at("end"))); }
      charges.push_back(charge);
    }
    step.charges = std::move(charges);
    return Status::success();
  }
  if (!node.raw()->is_object()) return node.error("an exact list [{\"kind\", \"amount\"}...] or {\"count\", \"total\"}");
  DCISIM_RETURN_IF_ERROR(node.only_keys({"count", "total"}));
  DCISIM_ASSIGN_OR_RETURN(step.charge_count, count_or_none(node.at("count"), 100000));
  if (node.at("total").present()) { DCISIM_ASSIGN_OR_RETURN(step.charge_total, node.at("total").money()); }
  return Status::success();
}

Status read_service_checks(const JsonNode& node, ExpectStep& step) {
  if (node.at("status").present()) { DCISIM_ASSIGN_OR_RETURN(step.status, status_value(node.at("status"))); }
  if (node.at("flags").present()) { DCISIM_ASSIGN_OR_RETURN(step.flags, flag_list(node.at("flags"))); }
  JsonNode expiredate = node.at("expiredate");
  if (expiredate.raw() != nullptr) {
    if (expiredate.raw()->is_null()) {
      step.expiredate = std::optional<TimeExpectation>();
    } else {
      DCISIM_ASSIGN_OR_RETURN(TimeExpectation at, read_time(expiredate));
      step.expiredate = std::optional<TimeExpectation>(at);
    }
  }
  if (node.at("autoprolong").present()) { DCISIM_ASSIGN_OR_RETURN(step.autoprolong, node.at("autoprolong").boolean()); }
  if (node.at("charges").present()) DCISIM_RETURN_IF_ERROR(read_charges(node.at("charges"), step));
  if (node.at("history").present()) { DCISIM_ASSIGN_OR_RETURN(step.history, read_history(node.at("history"))); }
  JsonNode task = node.at("task");
  if (task.raw() != nullptr) {
    if (task.raw()->is_null()) {
      step.task = std::optional<TaskExpectation>();
    } else {
      DCISIM_ASSIGN_OR_RETURN(TaskExpectation t, read_task(task));
      step.task = std::optional<TaskExpectation>(t);
    }
  }
  JsonNode server = node.at("server");
  if (server.raw() != nullptr) {
    if (server.raw()->is_null()) {
      step.expect_no_server = true;
    } else {
      DCISIM_RETURN_IF_ERROR(server.require_object());
      DCISIM_ASSIGN_OR_RETURN(ServerExpectation s, read_server(server));
      step.server = s;
    }
  }
  return Status::success();
}

}  // namespace

Result<ExpectStep> parse_expect(const JsonNode& node, const Names& names) {
  DCISIM_RETURN_IF_ERROR(node.only_keys({"service", "status", "flags", "expiredate", "autoprolong", "charges",
                                         "history", "server", "task", "client", "balance", "payments", "payment",
                                         "open_tasks", "free", "pools", "requests"}));
  ExpectStep step;
  static constexpr const char* kServiceChecks[] = {"status", "flags", "expiredate", "autoprolong", "charges", "history",
                                                   "server", "task"};
  bool has_service_check = false;
  for (const char* key : kServiceChecks) has_service_check = has_service_check || node.at(key).raw() != nullptr;
  if (node.at("service").present()) {
    DCISIM_ASSIGN_OR_RETURN(step.service, read_reference(node.at("service"), names.services, "service",
                                                         "name it in an order with \"as\""));
    DCISIM_RETURN_IF_ERROR(read_service_checks(node, step));
    if (!has_service_check) return node.error_message("expect on a service needs a check: status, flags, expiredate, autoprolong, charges, history, server or task");
  } else if (has_service_check) {
    return node.error_message("these checks are about a service: add \"service\": \"<name>\"");
  }
  if (node.at("client").present()) {
    DCISIM_ASSIGN_OR_RETURN(step.client, read_reference(node.at("client"), names.clients, "client",
                                                        "register it first"));
    if (!node.at("balance").present() && !node.at("payments").present()) {
      return node.at("balance").error("the client's expected balance, e.g. \"12.50\" (or its \"payments\")");
    }
  }
  JsonNode payments = node.at("payments");
  if (payments.present()) {
    if (step.client.empty()) return node.error_message("\"payments\" needs \"client\": \"<name>\"");
    DCISIM_RETURN_IF_ERROR(payments.require_array());
    std::vector<PaymentExpectation> list;
    for (size_t i = 0; i < payments.size(); ++i) {
      DCISIM_ASSIGN_OR_RETURN(PaymentExpectation p, read_payment_checks(payments.at(i), {"status", "amount", "method"}));
      list.push_back(p);
    }
    step.payments = std::move(list);
  }
  JsonNode payment = node.at("payment");
  if (payment.present()) {
    DCISIM_ASSIGN_OR_RETURN(PaymentExpectation p, read_payment_checks(payment, {"name", "status", "amount", "method"}));
    DCISIM_ASSIGN_OR_RETURN(p.name, read_reference(payment.at("name"), names.payments, "payment",
                                                   "name a payment with \"as\" or \"external_id\" in a pay step"));
    step.payment = p;
  }
  if (node.at("pools").present()) { DCISIM_ASSIGN_OR_RETURN(step.pools, read_pools(node.at("pools"))); }
  if (node.at("requests").present()) { DCISIM_ASSIGN_OR_RETURN(step.requests, read_requests(node.at("requests"))); }
  if (node.at("balance").present()) {
    if (step.client.empty()) return node.error_message("\"balance\" needs \"client\": \"<name>\"");
    DCISIM_ASSIGN_OR_RETURN(Money balance, node.at("balance").money());
    step.balance = balance;
  }
  DCISIM_ASSIGN_OR_RETURN(step.open_tasks, count_or_none(node.at("open_tasks"), 100000));
  JsonNode free = node.at("free");
  if (free.present()) {
    DCISIM_RETURN_IF_ERROR(free.require_object());
    for (const auto& [configuration, unused] : free.raw()->items()) {
      (void)unused;
      DCISIM_ASSIGN_OR_RETURN(int64_t count, free.at(configuration).integer(0, 10'000'000));
      step.free[configuration] = static_cast<int>(count);
    }
  }
  if (step.service.empty() && step.client.empty() && !step.open_tasks && step.free.empty() && !step.payment &&
      step.pools.empty() && step.requests.empty()) {
    return node.error("at least one check (service, client with balance or payments, payment, open_tasks, free, pools, requests)");
  }
  return step;
}

}  // namespace dcisim::scenarios::detail
