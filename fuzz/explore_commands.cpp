#include "fuzz/explore_commands.h"

#include <algorithm>

#include "fuzz/explore_run.h"

namespace dcisim::fuzz {

using Json = nlohmann::json;
using CommandPtr = std::shared_ptr<const ExploreCommand>;

namespace {

constexpr const char* kKindNames[] = {"register",    "pay",         "pay_replay",  "credit",  "credit_limit", "refund",
                                      "order",       "prolong",     "autoprolong", "suspend", "resume",       "delete",
                                      "block",       "unblock",     "cancel_task", "retry_task", "advance",   "restart",
                                      "fault",       "panel",       "run"};
static_assert(sizeof kKindNames / sizeof kKindNames[0] == static_cast<size_t>(CommandKind::count));

bool enabled(const Model& model, CommandKind kind) { return (model.enabled >> static_cast<int>(kind) & 1u) != 0; }

// "123.45": whole units and cents, both from generators (shrinking goes to small amounts).
std::string amount(int max_units) {
  int units = *rc::gen::inRange(1, max_units + 1);
  int cents = *rc::gen::element(0, 0, 50, 99);
  return std::to_string(units) + "." + (cents < 10 ? "0" : "") + std::to_string(cents);
}

template <typename T>
const T& pick(const std::vector<T>& items) {
  return items[static_cast<size_t>(*rc::gen::inRange<size_t>(0, items.size()))];
}

CommandPtr command(CommandKind kind, Json step, std::vector<std::string> clients = {},
                   std::vector<std::string> services = {}, std::vector<std::string> payments = {}) {
  return std::make_shared<const StepCommand>(kind, std::move(step), std::move(clients), std::move(services),
                                             std::move(payments));
}

// The request faults a DCImanager and the network between can throw at billing (faults.h).
Json request_fault() {
  static const std::vector<std::string> kKinds = {"unavailable", "error", "unauthorized", "rate_limited", "delay",
                                                  "hang",        "reset", "empty",        "truncated",    "not_json"};
  static const std::vector<std::string> kOperations = {"server.issue",   "server.release", "server.suspend",
                                                       "server.resume",  "server.get",     "server.list",
                                                       "server.install_os", "server.ip_add", "switch.port_edit",
                                                       "auth.token",     "user.create",    "server.power_off"};
  Json rule = {{"kind", pick(kKinds)}, {"operation", pick(kOperations)}};
  if (*rc::gen::inRange(0, 2) == 1) rule["applied"] = true;
  if (rule["kind"] == "delay") rule["delay"] = *rc::gen::element(std::string("5s"), std::string("45s"));
  int when = *rc::gen::inRange(0, 4);
  if (when == 0) {
    rule["count"] = *rc::gen::inRange(1, 4);
  } else if (when == 1) {
    rule["every"] = *rc::gen::inRange(2, 5);
    rule["count"] = *rc::gen::inRange(1, 6);
  } else if (when == 2) {
    rule["after"] = *rc::gen::inRange(1, 4);
  } else {
    rule["probability"] = *rc::gen::element(0.2, 0.5);
    rule["count"] = *rc::gen::inRange(1, 6);
  }
  return rule;
}

Json operation_fault() {
  switch (*rc::gen::inRange(0, 7)) {
    case 0: return {{"kind", "os_install_failure"}, {"count", *rc::gen::inRange(1, 3)}};
    case 1: return {{"kind", "diagnostics_failure"}};
    case 2: return {{"kind", "stuck"}, {"operation", *rc::gen::element(std::string("os_install"), std::string("suspend"),
                                                                       std::string("release"), std::string("diagnostics"))}};
    case 3: return {{"kind", "timings"}, {"suspend", "10m"}, {"resume", "5m"}, {"power", "5m"}, {"release", "15m"}};
    case 4: return {{"kind", "expire_tokens"}};
    case 5: return {{"kind", "clear"}};
    default: return {{"kind", "timings"}, {"os_install", *rc::gen::element(std::string("5m"), std::string("3h"))}};
  }
}

Json order_step(const Model& model, const Catalog& catalog, const std::string& client) {
  const TariffOffer& tariff = pick(catalog.tariffs);
  Json order = {{"client", client}, {"tariff", tariff.name}, {"os", "Debian 12"}, {"as", model.new_name("s")},
                {"period", pick(tariff.periods)}};
  if (tariff.ipv4_addon && *rc::gen::inRange(0, 3) == 0) order["addons"] = {{"ipv4", *rc::gen::inRange(1, 3)}};
  if (*rc::gen::inRange(0, 5) == 0) order["autoprolong"] = false;
  return order;
}

Json panel_step(const std::string& service) {
  std::string action = *rc::gen::element(std::string("power_off"), std::string("power_on"), std::string("ports_down"),
                                         std::string("ports_up"), std::string("maintenance_on"), std::string("maintenance_off"));
  return {{"panel", {{"action", action}, {"service", service}}}};
}

// One generator per kind; each assumes the model can take it (checked by the caller).
CommandPtr make(CommandKind kind, const Model& model, const Catalog& catalog) {
  switch (kind) {
    case CommandKind::register_client:
      return command(kind, {{"register", {{"as", model.new_name("c")}}}});
    case CommandKind::pay: {
      std::string client = pick(model.clients);
      return command(kind, {{"pay", {{"client", client}, {"amount", amount(300)}, {"external_id", model.new_name("gw-")}}}},
                     {client});
    }
    case CommandKind::pay_replay: {
      const ModelPayment& p = pick(model.payments);
      return command(kind, {{"pay", {{"client", p.client}, {"amount", p.amount}, {"external_id", p.external_id}}}},
                     {p.client}, {}, {p.external_id});
    }
    case CommandKind::credit: {
      std::string client = pick(model.clients);
      return command(kind, {{"credit", {{"client", client}, {"amount", amount(100)}}}}, {client});
    }
    case CommandKind::credit_limit: {
      std::string client = pick(model.clients);
      return command(kind, {{"credit_limit", {{"client", client}, {"limit", std::to_string(*rc::gen::inRange(0, 4) * 50)}}}},
                     {client});
    }
    case CommandKind::refund: {
      const ModelPayment& p = pick(model.payments);
      Json refund = {{"payment", p.external_id}};
      if (*rc::gen::inRange(0, 2) == 1) refund["amount"] = amount(50);
      return command(kind, {{"refund", refund}}, {}, {}, {p.external_id});
    }
    case CommandKind::order: {
      std::string client = pick(model.clients);
      return command(kind, {{"order", order_step(model, catalog, client)}}, {client});
    }
    case CommandKind::prolong: {
      const ModelService& s = pick(model.services);
      Json prolong = {{"service", s.name}, {"periods", *rc::gen::inRange(1, 3)}};
      for (const TariffOffer& t : catalog.tariffs) {
        if (t.name == s.tariff && *rc::gen::inRange(0, 3) == 0) prolong["period"] = pick(t.periods);
      }
      return command(kind, {{"prolong", prolong}}, {}, {s.name});
    }
    case CommandKind::autoprolong: {
      const ModelService& s = pick(model.services);
      return command(kind, {{"autoprolong", {{"service", s.name}, {"on", *rc::gen::inRange(0, 2) == 1}}}}, {}, {s.name});
    }
    case CommandKind::suspend:
    case CommandKind::resume: {
      const ModelService& s = pick(model.services);
      std::string by = *rc::gen::element(std::string("admin"), std::string("abuse"), std::string("client"));
      return command(kind, {{kind == CommandKind::suspend ? "suspend" : "resume", {{"service", s.name}, {"by", by}}}}, {},
                     {s.name});
    }
    case CommandKind::delete_service: {
      const ModelService& s = pick(model.services);
      std::string by = *rc::gen::element(std::string("client"), std::string("admin"));
      return command(kind, {{"delete", {{"service", s.name}, {"by", by}}}}, {}, {s.name});
    }
    case CommandKind::block:
    case CommandKind::unblock: {
      std::string client = pick(model.clients);
      return command(kind, {{kind == CommandKind::block ? "block" : "unblock", {{"client", client}}}}, {client});
    }
    case CommandKind::cancel_task:
    case CommandKind::retry_task: {
      const ModelService& s = pick(model.services);
      return command(kind, {{kind == CommandKind::cancel_task ? "cancel_task" : "retry_task", {{"service", s.name}}}}, {},
                     {s.name});
    }
    case CommandKind::advance: {
      // Mostly minutes and hours (operations, retries), sometimes days and a month (renewals,
      // suspensions, deletions, month ends).
      static const std::vector<std::string> kShort = {"1m", "5m", "20m", "1h", "6h"};
      static const std::vector<std::string> kLong = {"1d", "2d", "7d", "31d"};
      return command(kind, {{"advance", *rc::gen::inRange(0, 3) == 0 ? pick(kLong) : pick(kShort)}});
    }
    case CommandKind::restart: {
      Json restart = Json::object();
      int down = *rc::gen::inRange(0, 3);
      if (down == 1) restart["down"] = "30m";
      if (down == 2) restart["down"] = "2d";
      return command(kind, {{"restart", restart}});
    }
    case CommandKind::fault:
      return command(kind, {{"fault", *rc::gen::inRange(0, 3) == 0 ? operation_fault() : request_fault()}});
    case CommandKind::panel: {
      const ModelService& s = pick(model.services);
      return command(kind, panel_step(s.name), {}, {s.name});
    }
    case CommandKind::run_job:
      return command(kind, {{"run", *rc::gen::element(std::string("daily"), std::string("sync"), std::string("operations"))}});
    case CommandKind::count: break;
  }
  return command(CommandKind::advance, {{"advance", "1h"}});
}

bool possible(CommandKind kind, const Model& model, const Catalog& catalog) {
  switch (kind) {
    case CommandKind::register_client: return static_cast<int>(model.clients.size()) < catalog.max_clients;
    case CommandKind::pay:
    case CommandKind::credit:
    case CommandKind::credit_limit:
    case CommandKind::order:
    case CommandKind::block:
    case CommandKind::unblock: return !model.clients.empty();
    case CommandKind::pay_replay:
    case CommandKind::refund: return !model.payments.empty();
    case CommandKind::fault: return model.faults < catalog.max_faults;
    case CommandKind::advance:
    case CommandKind::restart:
    case CommandKind::run_job: return true;
    default: return !model.services.empty();
  }
}

// How often each kind comes up when possible: money and orders and time most.
size_t weight(CommandKind kind) {
  switch (kind) {
    case CommandKind::register_client: return 3;
    case CommandKind::pay: return 6;
    case CommandKind::order: return 5;
    case CommandKind::advance: return 8;
    case CommandKind::fault: return 3;
    case CommandKind::pay_replay:
    case CommandKind::prolong:
    case CommandKind::suspend:
    case CommandKind::resume: return 2;
    default: return 1;
  }
}

}  // namespace

const char* command_kind_name(CommandKind kind) {
  int i = static_cast<int>(kind);
  return i >= 0 && i < static_cast<int>(CommandKind::count) ? kKindNames[i] : "unknown";
}

StepCommand::StepCommand(CommandKind kind, Json step, std::vector<std::string> clients_used,
                         std::vector<std::string> services_used, std::vector<std::string> payments_used)
    : kind_(kind), step_(std::move(step)), clients_used_(std::move(clients_used)),
      services_used_(std::move(services_used)), payments_used_(std::move(payments_used)) {}

void StepCommand::checkPreconditions(const Model& model) const {
  RC_PRE(enabled(model, kind_));
  for (const std::string& c : clients_used_) RC_PRE(model.has_client(c));
  for (const std::string& s : services_used_) RC_PRE(model.has_service(s));
  for (const std::string& p : payments_used_) RC_PRE(model.has_payment(p));
  if (kind_ == CommandKind::register_client) RC_PRE(!model.has_client(step_["register"]["as"].get<std::string>()));
  if (kind_ == CommandKind::order) {
    RC_PRE(!model.has_service(step_["order"]["as"].get<std::string>()));
    RC_PRE(model.has_client(step_["order"]["client"].get<std::string>()));
  }
  if (kind_ == CommandKind::pay) RC_PRE(!model.has_payment(step_["pay"]["external_id"].get<std::string>()));
}

void StepCommand::apply(Model& model) const {
  ++model.next_name;
  switch (kind_) {
    case CommandKind::register_client: model.clients.push_back(step_["register"]["as"].get<std::string>()); break;
    case CommandKind::order: {
      const Json& o = step_["order"];
      model.services.push_back({o["as"].get<std::string>(), o["client"].get<std::string>(), o["tariff"].get<std::string>()});
      break;
    }
    case CommandKind::pay: {
      const Json& p = step_["pay"];
      model.payments.push_back({p["external_id"].get<std::string>(), p["client"].get<std::string>(), p["amount"].get<std::string>()});
      break;
    }
    case CommandKind::fault: ++model.faults; break;
    default: break;
  }
}

void StepCommand::run(const Model&, ExploreRun& run) const { run.execute(kind_, step_); }

void StepCommand::show(std::ostream& os) const { os << step_.dump(); }

rc::Gen<CommandPtr> generate_command(const Model& model, const Catalog& catalog) {
  return rc::gen::exec([model, catalog]() -> CommandPtr {
    std::vector<std::pair<size_t, CommandKind>> choices;
    for (int k = 0; k < static_cast<int>(CommandKind::count); ++k) {
      auto kind = static_cast<CommandKind>(k);
      if (enabled(model, kind) && possible(kind, model, catalog)) choices.emplace_back(weight(kind), kind);
    }
    if (choices.empty()) return command(CommandKind::advance, {{"advance", "1h"}});  // nothing else makes sense yet
    size_t total = 0;
    for (const auto& [w, k] : choices) total += w;
    size_t roll = *rc::gen::inRange<size_t>(0, total);
    for (const auto& [w, k] : choices) {
      if (roll < w) return make(k, model, catalog);
      roll -= w;
    }
    return make(choices.back().second, model, catalog);
  });
}

}  // namespace dcisim::fuzz
