#include "scenarios/timeline.h"

#include <algorithm>
#include <cstdio>

#include "common/rng.h"

namespace dcisim::scenarios {

using reports::TimelineEvent;

namespace {

constexpr size_t kMaxEmulatorEvents = 2000;  // state-changing requests shown on the timeline

void add_service_events(const std::string& name, billing::ServiceId id, billing::Billing& billing,
                        std::vector<TimelineEvent>& out) {
  std::string lane = "service " + name;
  if (auto history = billing.service_history(id)) {
    for (const billing::HistoryView& h : *history) {
      std::string text = (h.from_status.empty() ? std::string("new") : h.from_status) + " -> " + h.to_status;
      std::string why = std::string(billing::actor_name(h.actor)) + (h.reason.empty() ? "" : ": " + h.reason);
      if (!h.to_flags.empty()) why += ", flags " + h.to_flags;
      out.push_back({h.at, lane, "status", text + " (" + why + ")"});
    }
  }
  if (auto expenses = billing.service_expenses(id)) {
    for (const billing::ExpenseView& x : *expenses) {
      bool refund = x.kind == billing::ExpenseKind::refund;
      out.push_back({x.created_at, lane, refund ? "refund" : "charge",
                     std::string(billing::expense_kind_name(x.kind)) + " " + x.amount.to_string()});
    }
  }
  if (auto operations = billing.operations(id)) {
    for (const billing::OperationView& op : *operations) {
      std::string text = std::string(billing::operation_kind_name(op.kind)) + " " + billing::operation_status_name(op.status) +
                         " after " + std::to_string(op.steps) + " steps";
      if (!op.last_error.empty()) text += ", last error: " + op.last_error;
      out.push_back({op.finished_at.value_or(op.created_at), lane, "operation", text});
    }
  }
}

void add_client_events(const std::string& name, const ClientName& client, billing::Billing& billing,
                       std::vector<TimelineEvent>& out) {
  auto payments = billing.payments(client.id);
  if (!payments) return;
  for (const billing::PaymentView& p : *payments) {
    std::string text = "payment " + p.amount.to_string() + " " + billing::payment_status_name(p.status);
    if (!p.external_id.empty()) text += " (" + p.external_id + ")";
    out.push_back({p.paid_at.value_or(p.created_at), "client " + name, p.amount.is_negative() ? "refund" : "payment", text});
  }
}

}  // namespace

std::vector<reports::JournalLine> journal_lines(const std::vector<mockdci::JournalEntry>& entries) {
  std::vector<reports::JournalLine> lines;
  lines.reserve(entries.size());
  for (const mockdci::JournalEntry& e : entries) lines.push_back({e.time, e.method, e.target, e.status, e.duration_us});
  return lines;
}

std::vector<TimelineEvent> collect_timeline(const Scenario& scenario, const std::vector<reports::StepRecord>& steps,
                                            World& world) {
  std::vector<TimelineEvent> out;
  for (const reports::StepRecord& step : steps) {
    if (step.outcome == reports::StepOutcome::not_run) break;
    std::string text = "#";
    text.append(std::to_string(step.index)).append(" ").append(scenario.steps[step.index].text);
    out.push_back({step.virtual_at, "steps", "step", std::move(text)});
  }
  for (const auto& [name, client] : world.clients) add_client_events(name, client, *world.billing, out);
  for (const auto& [name, id] : world.services) add_service_events(name, id, *world.billing, out);
  if (auto tasks = world.billing->tasks(false)) {
    for (const billing::TaskView& task : *tasks) {
      std::string service = "service ?";
      for (const auto& [name, id] : world.services) {
        if (id == task.service_id) service = "service " + name;
      }
      out.push_back({task.created_at, service, "task", "manual task: " + task.reason});
    }
  }
  size_t emulator_events = 0;
  std::vector<mockdci::JournalEntry> journal = world.emulator ? world.emulator->journal(SIZE_MAX) : std::vector<mockdci::JournalEntry>();
  for (const mockdci::JournalEntry& e : journal) {
    if (e.method == "GET" || emulator_events >= kMaxEmulatorEvents) continue;
    ++emulator_events;
    out.push_back({e.time, "emulator", "request", e.method + " " + e.target + " -> " + std::to_string(e.status)});
  }
  if (!world.emulator) {
    // A remote target: the changes the module sent (the last ones the recorder kept).
    for (const Exchange& e : world.transport->exchanges()) {
      if (e.method == "GET" || emulator_events >= kMaxEmulatorEvents) continue;
      ++emulator_events;
      out.push_back({e.at, "DCImanager", "request", e.method + " " + e.target + " -> " + std::to_string(e.status)});
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const TimelineEvent& a, const TimelineEvent& b) { return a.at < b.at; });
  return out;
}

std::vector<reports::JournalLine> exchange_lines(const std::deque<Exchange>& exchanges, size_t max_lines) {
  std::vector<reports::JournalLine> out;
  size_t first = exchanges.size() > max_lines ? exchanges.size() - max_lines : 0;
  for (size_t i = first; i < exchanges.size(); ++i) {
    const Exchange& e = exchanges[i];
    out.push_back({e.at, e.method, e.target, e.status, 0});
  }
  return out;
}

std::string run_digest(const std::vector<mockdci::JournalEntry>& journal, World& world) {
  std::string text;
  for (const mockdci::JournalEntry& e : journal) {
    text += std::to_string(e.time.unix_ms()) + " " + e.method + " " + e.target + " " + std::to_string(e.status) + "\n";
  }
  for (const auto& [name, id] : world.services) {
    if (auto s = world.billing->service(id)) {
      text += name + " " + billing::service_status_name(s->status) + " " + s->flags.to_string() + " " +
              (s->expiredate ? common::format_instant(*s->expiredate) : "-") + "\n";
    }
  }
  for (const auto& [name, client] : world.clients) {
    if (auto account = world.billing->account(client.id)) text += name + " " + account->balance.to_string() + "\n";
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(common::seed_from_text(text)));
  return hex;
}

}  // namespace dcisim::scenarios
