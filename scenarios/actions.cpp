#include "scenarios/actions.h"

#include <optional>

#include "common/json_input.h"
#include "mockdci/faults.h"
#include "scenarios/limits.h"

namespace dcisim::scenarios {

using billing::Actor;
using billing::SuspendFlag;
using common::Error;
using common::Instant;
using common::Result;
using common::Status;

namespace {

template <typename T>
Status as_status(const Result<T>& result) {
  if (!result) return result.error();
  return Status::success();
}

SuspendFlag flag_of(const std::string& by) {
  if (by == "abuse") return SuspendFlag::abuse;
  if (by == "client") return SuspendFlag::client;
  return SuspendFlag::admin;
}

Result<int64_t> server_of(World& world, const std::string& service_name) {
  billing::ServiceId service = world.services.at(service_name);
  DCISIM_ASSIGN_OR_RETURN(billing::ServiceView view, world.billing->service(service));
  if (!view.server_id) return Error::conflict("service " + service_name + " holds no server (status " +
                                              billing::service_status_name(view.status) + ")");
  return *view.server_id;
}

Result<Instant> next_expiry(World& world) {
  DCISIM_ASSIGN_OR_RETURN(std::vector<billing::ServiceView> services, world.billing->services());
  std::optional<Instant> earliest;
  Instant now = world.clock->now();
  for (const billing::ServiceView& s : services) {
    bool live = s.status == billing::ServiceStatus::active || s.status == billing::ServiceStatus::suspended;
    if (live && s.expiredate && *s.expiredate > now && (!earliest || *s.expiredate < *earliest)) earliest = s.expiredate;
  }
  if (!earliest) return Error::conflict("advance to next-expiry: no active or suspended service expires after " +
                                        common::format_instant(now));
  return *earliest;
}

Result<Instant> advance_target(const AdvanceStep& step, World& world) {
  Instant now = world.clock->now();
  switch (step.kind) {
    case AdvanceStep::Kind::by: return now + step.by;
    case AdvanceStep::Kind::to_instant: return step.to;
    case AdvanceStep::Kind::to_next_expiry: {
      DCISIM_ASSIGN_OR_RETURN(Instant at, next_expiry(world));
      return at + step.plus;
    }
    case AdvanceStep::Kind::to_service_expiry: {
      DCISIM_ASSIGN_OR_RETURN(billing::ServiceView view, world.billing->service(world.services.at(step.service)));
      if (!view.expiredate) return Error::conflict("advance to the expiry of " + step.service + ": it has no expiredate (status " +
                                                   billing::service_status_name(view.status) + ")");
      return *view.expiredate + step.plus;
    }
  }
  return Error::internal("unknown advance kind");
}

Status run_advance(const AdvanceStep& step, World& world) {
  DCISIM_ASSIGN_OR_RETURN(Instant target, advance_target(step, world));
  if (target < world.clock->now()) {
    return Error::invalid("advance to " + common::format_instant(target) + ": that is before now (" +
                          common::format_instant(world.clock->now()) + "); time only moves forward");
  }
  if (target - world.clock->now() > kMaxAdvance) {
    return Error::invalid("advance to " + common::format_instant(target) + ": more than " +
                          common::format_duration(kMaxAdvance) + " from now (" + common::format_instant(world.clock->now()) +
                          "); one advance step moves at most that far, use several");
  }
  return world.clock->advance_to(target);
}

Status run_panel(const PanelStep& step, World& world) {
  if (!world.emulator) return Error::invalid("panel steps act on the emulator; this target has none");
  if (step.action == "shrink_pool") return world.emulator->shrink_pool(step.pool, step.free_ipv4);
  int64_t server = step.server;
  if (!step.service.empty()) {
    DCISIM_ASSIGN_OR_RETURN(server, server_of(world, step.service));
  }
  if (step.action == "power_off") return world.emulator->set_power(server, "OFF");
  if (step.action == "power_on") return world.emulator->set_power(server, "ON");
  if (step.action == "release") return world.emulator->release_server(server);
  if (step.action == "give") return world.emulator->give_server(server, step.owner);
  if (step.action == "domain") return world.emulator->set_domain(server, step.domain);
  if (step.action == "maintenance_on" || step.action == "maintenance_off") {
    return world.emulator->set_maintenance(server, step.action == "maintenance_on");
  }
  return world.emulator->set_ports(server, step.action == "ports_up");
}

Status run_fault(const FaultStep& step, World& world) {
  if (!world.emulator) return Error::invalid("faults are injected into the emulator; this target has none");
  DCISIM_ASSIGN_OR_RETURN(ParsedFault fault, read_fault(step, Origin{"fault", ""}));
  switch (fault.action) {
    case ParsedFault::Action::rule: return as_status(world.emulator->add_fault(fault.rule));
    case ParsedFault::Action::expire_tokens: world.emulator->expire_tokens(); return Status::success();
    case ParsedFault::Action::clear: world.emulator->clear_faults(); return Status::success();
    case ParsedFault::Action::timings: {
      DCISIM_ASSIGN_OR_RETURN(mockdci::Timings timings, mockdci::parse_timings(fault.timings_node(), world.emulator->timings()));
      world.emulator->set_timings(timings);
      return Status::success();
    }
  }
  return Error::internal("unknown fault action");
}

Result<billing::TaskId> open_task_of(World& world, const std::string& service_name) {
  billing::ServiceId service = world.services.at(service_name);
  DCISIM_ASSIGN_OR_RETURN(std::vector<billing::TaskView> tasks, world.billing->tasks(true));
  for (const billing::TaskView& task : tasks) {
    if (task.service_id == service) return task.id;
  }
  return Error::not_found("service " + service_name + " has no open manual task");
}

Status run_pay(const PayStep& step, size_t index, World& world) {
  std::string external_id = step.external_id.empty() ? "scenario-step-" + std::to_string(index) : step.external_id;
  DCISIM_ASSIGN_OR_RETURN(billing::PaymentId payment,
                          world.billing->pay(world.clients.at(step.client).id, step.amount, "card", external_id));
  world.payments[external_id] = payment;
  if (!step.as.empty()) world.payments[step.as] = payment;
  return Status::success();
}

Status run_order(const OrderStep& step, World& world) {
  billing::OrderRequest order;
  order.client = world.clients.at(step.client).id;
  order.tariff = world.tariffs.at(step.tariff);
  order.period_months = step.period_months;
  order.os_template = step.os;
  order.extra_ipv4 = step.extra_ipv4;
  order.extra_ipv6 = step.extra_ipv6;
  order.script = step.script;
  order.autoprolong = step.autoprolong;
  DCISIM_ASSIGN_OR_RETURN(billing::ServiceId service, world.billing->place_order(order));
  world.services[step.as] = service;
  return Status::success();
}

struct ActionVisitor {
  size_t index;
  World& world;
  billing::Billing& b = *world.billing;  // not used by RestartStep, which replaces it

  Status operator()(const RegisterStep& s) {
    DCISIM_ASSIGN_OR_RETURN(billing::ClientId id, b.register_client({s.email, s.name, s.password}));
    world.clients[s.as] = {id, s.email};
    return Status::success();
  }
  Status operator()(const BlockStep& s) {
    billing::ClientId id = world.clients.at(s.client).id;
    return s.blocked ? b.block_client(id, "scenario") : b.unblock_client(id, "scenario");
  }
  Status operator()(const PayStep& s) { return run_pay(s, index, world); }
  Status operator()(const CreditStep& s) { return as_status(b.admin_credit(world.clients.at(s.client).id, s.amount, s.note)); }
  Status operator()(const CreditLimitStep& s) {
    return b.set_credit_limit(world.clients.at(s.client).id, s.limit, "scenario");
  }
  Status operator()(const RefundStep& s) {
    return as_status(b.refund_payment(world.payments.at(s.payment), s.amount, "refund requested"));
  }
  Status operator()(const OrderStep& s) { return run_order(s, world); }
  Status operator()(const ProlongStep& s) {
    return b.prolong(world.services.at(s.service), s.periods, Actor::client, s.period_months);
  }
  Status operator()(const AutoprolongStep& s) { return b.set_autoprolong(world.services.at(s.service), s.on, Actor::client); }
  Status operator()(const SuspendStep& s) { return b.suspend(world.services.at(s.service), flag_of(s.by), "suspended by " + s.by); }
  Status operator()(const ResumeStep& s) { return b.resume(world.services.at(s.service), flag_of(s.by), "resumed by " + s.by); }
  Status operator()(const DeleteStep& s) {
    return b.delete_service(world.services.at(s.service), s.by == "admin" ? Actor::admin : Actor::client, "deleted by " + s.by);
  }
  Status operator()(const CancelTaskStep& s) {
    DCISIM_ASSIGN_OR_RETURN(billing::TaskId task, open_task_of(world, s.service));
    return b.cancel_task(task, "canceled by staff");
  }
  Status operator()(const RetryTaskStep& s) {
    DCISIM_ASSIGN_OR_RETURN(billing::TaskId task, open_task_of(world, s.service));
    return b.retry_task(task, "staff fixed the cause");
  }
  Status operator()(const AdvanceStep& s) { return run_advance(s, world); }
  Status operator()(const RunJobStep& s) {
    if (s.job == "daily") return as_status(b.run_daily_job());
    if (s.job == "sync") return as_status(b.run_sync());
    return world.clock->advance_to(world.clock->now());  // operations due now
  }
  Status operator()(const PanelStep& s) { return run_panel(s, world); }
  Status operator()(const FaultStep& s) { return run_fault(s, world); }
  Status operator()(const RestartStep& s) { return restart_billing(world, s.down); }
  Status operator()(const ExpectStep&) { return Error::internal("expect is not an action"); }
};

}  // namespace

Status run_action(const Step& step, size_t index, World& world) {
  return std::visit(ActionVisitor{index, world}, step.body);
}

common::JsonNode ParsedFault::timings_node() const {
  return common::JsonNode(&timings, origin.file, origin.pointer);
}

Result<ParsedFault> read_fault(const FaultStep& fault, const Origin& origin) {
  common::JsonNode node(&fault.spec, origin.file, origin.pointer + "/fault");
  ParsedFault out;
  out.origin = {origin.file, origin.pointer + "/fault"};
  DCISIM_RETURN_IF_ERROR(node.require_object());
  DCISIM_ASSIGN_OR_RETURN(std::string kind, node.at("kind").non_empty_string());
  if (kind == "expire_tokens" || kind == "clear") {
    DCISIM_RETURN_IF_ERROR(node.only_keys({"kind"}));
    out.action = kind == "clear" ? ParsedFault::Action::clear : ParsedFault::Action::expire_tokens;
    return out;
  }
  if (kind == "timings") {
    out.action = ParsedFault::Action::timings;
    out.timings = fault.spec;
    out.timings.erase("kind");
    DCISIM_RETURN_IF_ERROR(mockdci::parse_timings(out.timings_node(), mockdci::Timings{}));
    return out;
  }
  if (!mockdci::fault_kind_from_name(kind)) {
    return node.at("kind").error("a fault kind (" + mockdci::fault_kind_list() + ") or an action (timings, expire_tokens, clear)");
  }
  DCISIM_ASSIGN_OR_RETURN(out.rule, mockdci::parse_fault_rule(node));
  return out;
}

Status check_fault(const FaultStep& fault, const Origin& origin) {
  DCISIM_RETURN_IF_ERROR(read_fault(fault, origin));
  return Status::success();
}

}  // namespace dcisim::scenarios
