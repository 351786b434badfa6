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
      DCISIM_RETURN_IF_ERROR(entry.only_keys({"kind", "amount"}));
      ChargeExpectation charge;
      DCISIM_ASSIGN_OR_RETURN(charge.kind, entry.at("kind").non_empty_string());
      if (charge.kind != "period" && charge.kind != "setup" && charge.kind != "addon" && charge.kind != "refund") {
        return entry.at("kind").error("a charge kind: period, setup, addon or refund");
      }
      DCISIM_ASSIGN_OR_RETURN(charge.amount, entry.at("amount").money());
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
      step.expiredate = std::optional<common::Instant>();
    } else {
      DCISIM_ASSIGN_OR_RETURN(std::string text, expiredate.string());
      Result<common::Instant> at = common::parse_instant(text);
      if (!at) return expiredate.error("a UTC time such as \"2026-02-01T00:20:30Z\", or null");
      step.expiredate = std::optional<common::Instant>(*at);
    }
  }
  if (node.at("autoprolong").present()) { DCISIM_ASSIGN_OR_RETURN(step.autoprolong, node.at("autoprolong").boolean()); }
  if (node.at("charges").present()) DCISIM_RETURN_IF_ERROR(read_charges(node.at("charges"), step));
  if (node.at("history").present()) { DCISIM_ASSIGN_OR_RETURN(step.history, read_history(node.at("history"))); }
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
                                         "history", "server", "client", "balance", "open_tasks", "free"}));
  ExpectStep step;
  static constexpr const char* kServiceChecks[] = {"status", "flags", "expiredate", "autoprolong", "charges", "history", "server"};
  bool has_service_check = false;
  for (const char* key : kServiceChecks) has_service_check = has_service_check || node.at(key).raw() != nullptr;
  if (node.at("service").present()) {
    DCISIM_ASSIGN_OR_RETURN(step.service, read_reference(node.at("service"), names.services, "service",
                                                         "name it in an order with \"as\""));
    DCISIM_RETURN_IF_ERROR(read_service_checks(node, step));
    if (!has_service_check) return node.error_message("expect on a service needs a check: status, flags, expiredate, autoprolong, charges, history or server");
  } else if (has_service_check) {
    return node.error_message("these checks are about a service: add \"service\": \"<name>\"");
  }
  if (node.at("client").present()) {
    DCISIM_ASSIGN_OR_RETURN(step.client, read_reference(node.at("client"), names.clients, "client",
                                                        "register it first"));
    if (!node.at("balance").present()) return node.at("balance").error("the client's expected balance, e.g. \"12.50\"");
  }
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
  if (step.service.empty() && step.client.empty() && !step.open_tasks && step.free.empty()) {
    return node.error("at least one check (service, client with balance, open_tasks, free)");
  }
  return step;
}

}  // namespace dcisim::scenarios::detail
