// One step of a scenario: `{"<keyword>": {...args}, "note": "...", "expect_error": "..."}`.
#include <algorithm>
#include <functional>

#include "billing/audit.h"
#include "common/json_text.h"
#include "scenarios/limits.h"
#include "scenarios/parse.h"
#include "scenarios/parse_internal.h"

namespace dcisim::scenarios {

const std::vector<std::string>& step_keywords() {
  static const std::vector<std::string> kKeywords = {
      "register", "block", "unblock", "pay", "credit", "credit_limit", "refund", "order",
      "prolong", "autoprolong", "suspend", "resume", "delete", "cancel_task", "retry_task", "advance", "run",
      "panel", "fault", "restart", "expect"};
  return kKeywords;
}

namespace detail {

using common::Error;
using common::Money;
using common::Result;
using common::Status;

namespace {

constexpr const char* kRegisterHint = "register it first with {\"register\": {\"as\": \"...\"}}";
constexpr const char* kOrderHint = "name it in an order with \"as\"";
constexpr const char* kPayHint = "name a payment with \"as\" or \"external_id\" in a pay step";

Result<std::string> client_ref(const JsonNode& args, const Names& names) {
  return read_reference(args.at("client"), names.clients, "client", kRegisterHint);
}

Result<std::string> service_ref(const JsonNode& args, const Names& names) {
  return read_reference(args.at("service"), names.services, "service", kOrderHint);
}

Result<std::string> one_of(const JsonNode& node, std::string fallback, std::initializer_list<const char*> allowed) {
  DCISIM_ASSIGN_OR_RETURN(std::string value, node.string_or(fallback));
  std::string list;
  for (const char* option : allowed) {
    if (value == option) return value;
    list += (list.empty() ? "\"" : ", \"") + std::string(option) + "\"";
  }
  return node.error("one of " + list);
}

Result<StepBody> parse_register(const JsonNode& a, Names& names) {
  DCISIM_RETURN_IF_ERROR(a.only_keys({"as", "email", "name", "password"}));
  RegisterStep step;
  DCISIM_ASSIGN_OR_RETURN(step.as, read_new_name(a.at("as"), names.clients, "client"));
  DCISIM_ASSIGN_OR_RETURN(step.email, a.at("email").string_or(step.as + "@example.com"));
  DCISIM_ASSIGN_OR_RETURN(step.name, a.at("name").string_or(step.as));
  DCISIM_ASSIGN_OR_RETURN(step.password, a.at("password").string_or("Passw0rd-" + step.as));
  return StepBody(step);
}

Result<StepBody> parse_block(const JsonNode& a, Names& names, bool blocked) {
  DCISIM_RETURN_IF_ERROR(a.only_keys({"client"}));
  BlockStep step;
  step.blocked = blocked;
  DCISIM_ASSIGN_OR_RETURN(step.client, client_ref(a, names));
  return StepBody(step);
}

Result<StepBody> parse_pay(const JsonNode& a, Names& names) {
  DCISIM_RETURN_IF_ERROR(a.only_keys({"client", "amount", "external_id", "as"}));
  PayStep step;
  DCISIM_ASSIGN_OR_RETURN(step.client, client_ref(a, names));
  DCISIM_ASSIGN_OR_RETURN(step.amount, a.at("amount").money());  // zero or negative: billing refuses it
  DCISIM_ASSIGN_OR_RETURN(step.external_id, a.at("external_id").string_or(""));
  // A replayed callback reuses an external id on purpose: that is not a duplicate name.
  if (!step.external_id.empty()) names.payments.insert(step.external_id);
  if (a.at("as").present()) {
    DCISIM_ASSIGN_OR_RETURN(step.as, read_new_name(a.at("as"), names.payments, "payment"));
  }
  return StepBody(step);
}

Result<StepBody> parse_credit(const JsonNode& a, Names& names) {
  DCISIM_RETURN_IF_ERROR(a.only_keys({"client", "amount", "note"}));
  CreditStep step;
  DCISIM_ASSIGN_OR_RETURN(step.client, client_ref(a, names));
  DCISIM_ASSIGN_OR_RETURN(step.amount, a.at("amount").money());  // zero or negative: billing refuses it
  DCISIM_ASSIGN_OR_RETURN(step.note, a.at("note").string_or("admin credit"));
  return StepBody(step);
}

Result<StepBody> parse_credit_limit(const JsonNode& a, Names& names) {
  DCISIM_RETURN_IF_ERROR(a.only_keys({"client", "limit"}));
  CreditLimitStep step;
  DCISIM_ASSIGN_OR_RETURN(step.client, client_ref(a, names));
  DCISIM_ASSIGN_OR_RETURN(step.limit, a.at("limit").money());  // negative: billing refuses it
  return StepBody(step);
}

Result<StepBody> parse_refund(const JsonNode& a, Names& names) {
  DCISIM_RETURN_IF_ERROR(a.only_keys({"payment", "amount"}));
  RefundStep step;
  DCISIM_ASSIGN_OR_RETURN(step.payment, read_reference(a.at("payment"), names.payments, "payment", kPayHint));
  if (a.at("amount").present()) {
    DCISIM_ASSIGN_OR_RETURN(Money amount, a.at("amount").money());  // zero or negative: billing refuses it
    step.amount = amount;
  }
  return StepBody(step);
}

Result<StepBody> parse_order(const JsonNode& a, Names& names) {
  DCISIM_RETURN_IF_ERROR(a.only_keys({"client", "tariff", "period", "os", "addons", "autoprolong", "as"}));
  OrderStep step;
  DCISIM_ASSIGN_OR_RETURN(step.client, client_ref(a, names));
  DCISIM_ASSIGN_OR_RETURN(step.tariff, read_reference(a.at("tariff"), names.tariffs, "tariff",
                                                      "define it in fixture.tariffs"));
  DCISIM_ASSIGN_OR_RETURN(int64_t period, a.at("period").integer_or(1, 1, 12));
  if (period != 1 && period != 3 && period != 6 && period != 12) {
    return a.at("period").error("a period in months: 1, 3, 6 or 12");
  }
  step.period_months = static_cast<int>(period);
  DCISIM_ASSIGN_OR_RETURN(step.os, a.at("os").non_empty_string());
  JsonNode addons = a.at("addons");
  if (addons.present()) {
    DCISIM_RETURN_IF_ERROR(addons.require_object());
    DCISIM_RETURN_IF_ERROR(addons.only_keys({"ipv4", "ipv6", "script"}));
    DCISIM_ASSIGN_OR_RETURN(int64_t v4, addons.at("ipv4").integer_or(0, 0, 64));
    DCISIM_ASSIGN_OR_RETURN(int64_t v6, addons.at("ipv6").integer_or(0, 0, 64));
    step.extra_ipv4 = static_cast<int>(v4);
    step.extra_ipv6 = static_cast<int>(v6);
    DCISIM_ASSIGN_OR_RETURN(step.script, addons.at("script").string_or(""));
  }
  DCISIM_ASSIGN_OR_RETURN(step.autoprolong, a.at("autoprolong").boolean_or(true));
  DCISIM_ASSIGN_OR_RETURN(step.as, read_new_name(a.at("as"), names.services, "service"));
  return StepBody(step);
}

Result<StepBody> parse_prolong(const JsonNode& a, Names& names) {
  DCISIM_RETURN_IF_ERROR(a.only_keys({"service", "periods", "period"}));
  ProlongStep step;
  DCISIM_ASSIGN_OR_RETURN(step.service, service_ref(a, names));
  DCISIM_ASSIGN_OR_RETURN(int64_t periods, a.at("periods").integer_or(1, 1, 120));
  step.periods = static_cast<int>(periods);
  if (a.at("period").present()) {
    // Any number of months: the tariff's prices decide which periods exist (billing refuses others).
    DCISIM_ASSIGN_OR_RETURN(int64_t months, a.at("period").integer(1, 120));
    step.period_months = static_cast<int>(months);
  }
  return StepBody(step);
}

Result<StepBody> parse_autoprolong(const JsonNode& a, Names& names) {
  DCISIM_RETURN_IF_ERROR(a.only_keys({"service", "on"}));
  AutoprolongStep step;
  DCISIM_ASSIGN_OR_RETURN(step.service, service_ref(a, names));
  DCISIM_ASSIGN_OR_RETURN(step.on, a.at("on").boolean());
  return StepBody(step);
}

Result<StepBody> parse_suspend(const JsonNode& a, Names& names, bool resume) {
  DCISIM_RETURN_IF_ERROR(a.only_keys({"service", "by"}));
  std::string service;
  DCISIM_ASSIGN_OR_RETURN(service, service_ref(a, names));
  DCISIM_ASSIGN_OR_RETURN(std::string by, one_of(a.at("by"), "admin", {"admin", "abuse", "client"}));
  if (resume) return StepBody(ResumeStep{service, by});
  return StepBody(SuspendStep{service, by});
}

Result<StepBody> parse_delete(const JsonNode& a, Names& names) {
  DCISIM_RETURN_IF_ERROR(a.only_keys({"service", "by"}));
  DeleteStep step;
  DCISIM_ASSIGN_OR_RETURN(step.service, service_ref(a, names));
  DCISIM_ASSIGN_OR_RETURN(step.by, one_of(a.at("by"), "client", {"client", "admin"}));
  return StepBody(step);
}

Result<StepBody> parse_cancel_task(const JsonNode& a, Names& names) {
  DCISIM_RETURN_IF_ERROR(a.only_keys({"service"}));
  CancelTaskStep step;
  DCISIM_ASSIGN_OR_RETURN(step.service, service_ref(a, names));
  return StepBody(step);
}

Result<StepBody> parse_retry_task(const JsonNode& a, Names& names) {
  DCISIM_RETURN_IF_ERROR(a.only_keys({"service"}));
  RetryTaskStep step;
  DCISIM_ASSIGN_OR_RETURN(step.service, service_ref(a, names));
  return StepBody(step);
}

Result<common::Duration> advance_duration(const JsonNode& node) {
  DCISIM_ASSIGN_OR_RETURN(common::Duration d, node.duration());
  if (d > kMaxAdvance) {
    return node.error("a duration of at most " + common::format_duration(kMaxAdvance) +
                      " per advance step (split a longer span into several steps)");
  }
  return d;
}

Result<StepBody> parse_advance(const JsonNode& a, Names& names) {
  AdvanceStep step;
  if (a.raw()->is_string()) {
    DCISIM_ASSIGN_OR_RETURN(step.by, advance_duration(a));
    return StepBody(step);
  }
  DCISIM_RETURN_IF_ERROR(a.only_keys({"by", "to", "service", "plus"}));
  if (a.at("by").present() == a.at("to").present()) {
    return a.error("\"2h\", {\"by\": \"31d\"}, {\"to\": \"next-expiry\"}, {\"to\": \"expiry\", \"service\": \"s1\"} or {\"to\": \"2026-03-01\"}");
  }
  if (a.at("by").present()) {
    DCISIM_ASSIGN_OR_RETURN(step.by, advance_duration(a.at("by")));
    return StepBody(step);
  }
  DCISIM_ASSIGN_OR_RETURN(std::string to, a.at("to").non_empty_string());
  if (a.at("plus").present()) {
    DCISIM_ASSIGN_OR_RETURN(step.plus, advance_duration(a.at("plus")));
  }
  if (to == "next-expiry") {
    step.kind = AdvanceStep::Kind::to_next_expiry;
  } else if (to == "expiry") {
    step.kind = AdvanceStep::Kind::to_service_expiry;
    DCISIM_ASSIGN_OR_RETURN(step.service, service_ref(a, names));
  } else {
    Result<common::Instant> at = common::parse_instant(to);
    if (!at) return a.at("to").error("\"next-expiry\", \"expiry\" (with \"service\") or a UTC time such as \"2026-03-01\"");
    step.kind = AdvanceStep::Kind::to_instant;
    step.to = *at;
  }
  return StepBody(step);
}

Result<StepBody> parse_run(const JsonNode& a, Names&) {
  DCISIM_ASSIGN_OR_RETURN(std::string job, a.string());
  if (job != "daily" && job != "sync" && job != "operations") {
    return a.error("a billing job to run now: \"daily\", \"sync\" or \"operations\"");
  }
  return StepBody(RunJobStep{job});
}

Result<StepBody> parse_panel(const JsonNode& a, Names& names) {
  DCISIM_RETURN_IF_ERROR(a.only_keys({"action", "service", "server", "owner", "domain", "pool", "free_ipv4"}));
  PanelStep step;
  DCISIM_ASSIGN_OR_RETURN(step.action, one_of(a.at("action"), "", {"power_off", "power_on", "ports_down", "ports_up", "release",
                                                                    "give", "domain", "maintenance_on", "maintenance_off",
                                                                    "shrink_pool"}));
  if (step.action == "shrink_pool") {
    DCISIM_RETURN_IF_ERROR(a.only_keys({"action", "pool", "free_ipv4"}));
    DCISIM_ASSIGN_OR_RETURN(step.pool, a.at("pool").non_empty_string());
    DCISIM_ASSIGN_OR_RETURN(step.free_ipv4, a.at("free_ipv4").integer_or(0, 0, int64_t{1} << 32));
    return StepBody(step);
  }
  if (a.at("service").present() == a.at("server").present()) {
    return a.error_message("name the server by \"service\" (the service's server) or by \"server\" (its id), one of the two");
  }
  if (a.at("service").present()) {
    DCISIM_ASSIGN_OR_RETURN(step.service, service_ref(a, names));
  } else {
    DCISIM_ASSIGN_OR_RETURN(step.server, a.at("server").integer(1, INT64_MAX));
  }
  if (step.action == "give") {
    DCISIM_ASSIGN_OR_RETURN(step.owner, a.at("owner").non_empty_string());
  } else if (a.at("owner").present()) {
    return a.at("owner").error_message("\"owner\" goes with the action \"give\" only");
  }
  if (step.action == "domain") {
    DCISIM_ASSIGN_OR_RETURN(step.domain, a.at("domain").string());
  } else if (a.at("domain").present()) {
    return a.at("domain").error_message("\"domain\" goes with the action \"domain\" only");
  }
  if (a.at("pool").present() || a.at("free_ipv4").present()) {
    return a.error_message("\"pool\" and \"free_ipv4\" go with the action \"shrink_pool\" only");
  }
  return StepBody(step);
}

Result<StepBody> parse_fault(const JsonNode& a, Names&) {
  DCISIM_RETURN_IF_ERROR(a.require_object());
  DCISIM_ASSIGN_OR_RETURN(std::string kind, a.at("kind").non_empty_string());
  (void)kind;  // the kinds are checked by the runner against the emulator's fault catalogue
  return StepBody(FaultStep{*a.raw()});
}

Result<StepBody> parse_restart(const JsonNode& a, Names&) {
  DCISIM_RETURN_IF_ERROR(a.only_keys({"down"}));
  RestartStep step;
  if (a.at("down").present()) { DCISIM_ASSIGN_OR_RETURN(step.down, advance_duration(a.at("down"))); }
  return StepBody(step);
}

using StepParser = std::function<Result<StepBody>(const JsonNode&, Names&)>;

const std::map<std::string, StepParser>& parsers() {
  static const std::map<std::string, StepParser> kParsers = {
      {"register", parse_register},
      {"block", [](const JsonNode& a, Names& n) { return parse_block(a, n, true); }},
      {"unblock", [](const JsonNode& a, Names& n) { return parse_block(a, n, false); }},
      {"pay", parse_pay},
      {"credit", parse_credit},
      {"credit_limit", parse_credit_limit},
      {"refund", parse_refund},
      {"order", parse_order},
      {"prolong", parse_prolong},
      {"autoprolong", parse_autoprolong},
      {"suspend", [](const JsonNode& a, Names& n) { return parse_suspend(a, n, false); }},
      {"resume", [](const JsonNode& a, Names& n) { return parse_suspend(a, n, true); }},
      {"delete", parse_delete},
      {"cancel_task", parse_cancel_task},
      {"retry_task", parse_retry_task},
      {"advance", parse_advance},
      {"run", parse_run},
      {"panel", parse_panel},
      {"fault", parse_fault},
      {"restart", parse_restart},
      {"expect", [](const JsonNode& a, Names& n) -> Result<StepBody> {
         DCISIM_ASSIGN_OR_RETURN(ExpectStep step, parse_expect(a, n));
         return StepBody(std::move(step));
       }},
  };
  return kParsers;
}

// "remote_ownership" or ["remote_ownership", "remote_state"]: names of the audit's invariants.
Result<std::vector<std::string>> read_audit_names(const JsonNode& node) {
  std::vector<std::string> names;
  const std::vector<std::string>& known = billing::audit_invariant_names();
  std::string list;
  for (const std::string& k : known) list += (list.empty() ? "" : ", ") + k;
  auto read_one = [&](const JsonNode& n) -> Status {
    DCISIM_ASSIGN_OR_RETURN(std::string name, n.non_empty_string());
    if (!std::binary_search(known.begin(), known.end(), name)) return n.error("an audit invariant name (" + list + ")");
    names.push_back(name);
    return Status::success();
  };
  if (node.raw()->is_array()) {
    if (node.size() == 0) return node.error("at least one audit invariant name");
    for (size_t i = 0; i < node.size(); ++i) DCISIM_RETURN_IF_ERROR(read_one(node.at(i)));
  } else {
    DCISIM_RETURN_IF_ERROR(read_one(node));
  }
  return names;
}

std::string keyword_list() {
  std::string list;
  for (const std::string& keyword : step_keywords()) list += (list.empty() ? "" : ", ") + keyword;
  return list;
}

}  // namespace

Result<Step> parse_step(const JsonNode& node, Names& names) {
  DCISIM_RETURN_IF_ERROR(node.require_object());
  Step step;
  step.origin = {node.source(), node.pointer()};
  for (const auto& [key, value] : node.raw()->items()) {
    (void)value;
    if (key == "note" || key == "expect_error" || key == "expect_audit") continue;
    if (!step.keyword.empty()) {
      return node.error_message("a step has exactly one keyword, found \"" + step.keyword + "\" and \"" + key + "\"");
    }
    if (parsers().count(key) == 0) {
      return node.at(key).error_message("unknown step \"" + key + "\" (expected one of: " + keyword_list() + ")");
    }
    step.keyword = key;
  }
  if (step.keyword.empty()) return node.error("a step such as {\"advance\": \"1d\"} (keywords: " + keyword_list() + ")");
  DCISIM_ASSIGN_OR_RETURN(step.note, node.at("note").string_or(""));
  if (node.at("expect_error").present()) {
    DCISIM_ASSIGN_OR_RETURN(std::string expected, node.at("expect_error").non_empty_string());
    if (step.keyword == "expect" || step.keyword == "advance") {
      return node.at("expect_error").error_message("\"expect_error\" applies to an action, not to \"" + step.keyword + "\"");
    }
    step.expect_error = expected;
  }
  if (node.at("expect_audit").present()) {
    DCISIM_ASSIGN_OR_RETURN(step.expect_audit, read_audit_names(node.at("expect_audit")));
  }
  JsonNode args = node.at(step.keyword);
  if (step.keyword != "advance" && step.keyword != "run") DCISIM_RETURN_IF_ERROR(args.require_object());
  DCISIM_ASSIGN_OR_RETURN(step.body, parsers().at(step.keyword)(args, names));
  step.text = step.keyword + " " + common::json_text(node.raw()->at(step.keyword));
  return step;
}

}  // namespace detail
}  // namespace dcisim::scenarios
