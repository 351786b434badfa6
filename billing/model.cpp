#include "billing/model.h"

#include <array>
#include <string_view>
#include <utility>

namespace dcisim::billing {

namespace {

// Name tables in enum order; a parser scans the same table, so names and parsers cannot drift.
template <typename Enum, size_t N>
const char* name_of(const std::array<const char*, N>& names, Enum value) {
  auto index = static_cast<size_t>(value);
  return index < N ? names[index] : "?";
}

template <typename Enum, size_t N>
common::Result<Enum> parse_from(const std::array<const char*, N>& names, const std::string& text,
                                std::string_view what) {
  std::string expected;
  for (size_t i = 0; i < N; ++i) {
    if (text == names[i]) return static_cast<Enum>(i);
    expected += (i == 0 ? "" : i + 1 == N ? " or " : ", ");
    expected += std::string("\"") + names[i] + "\"";
  }
  return common::Error::invalid("unknown " + std::string(what) + " '" + text + "' (expected " +
                                expected + ")");
}

constexpr std::array<const char*, 2> kClientStatus = {"active", "blocked"};
constexpr std::array<const char*, 5> kServiceStatus = {"ordered", "processing", "active",
                                                       "suspended", "deleted"};
constexpr std::array<const char*, 4> kSuspendFlag = {"auto", "admin", "abuse", "client"};
constexpr std::array<const char*, 5> kPaymentStatus = {"new", "in_pay", "paid", "canceled",
                                                       "refunded"};
constexpr std::array<const char*, 4> kExpenseKind = {"period", "setup", "addon", "refund"};
constexpr std::array<const char*, 4> kOperationKind = {"open", "suspend", "resume", "close"};
constexpr std::array<const char*, 4> kOperationStatus = {"pending", "manual", "done", "canceled"};
constexpr std::array<const char*, 3> kTaskStatus = {"open", "retried", "canceled"};
constexpr std::array<const char*, 7> kActor = {"client", "admin", "gateway", "daily_job",
                                               "runner", "funds", "sync"};
constexpr std::array<const char*, 3> kAddonKind = {"ipv4", "ipv6", "script"};

}  // namespace

common::Result<SuspendFlags> SuspendFlags::parse(const std::string& text) {
  SuspendFlags flags;
  size_t start = 0;
  while (start < text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    common::Result<SuspendFlag> flag = parse_suspend_flag(text.substr(start, comma - start));
    if (!flag.ok()) return flag.error();
    flags = flags.with(*flag);
    start = comma + 1;
  }
  return flags;
}

std::string SuspendFlags::to_string() const {
  std::string out;
  for (size_t i = 0; i < kSuspendFlag.size(); ++i) {
    if (!has(static_cast<SuspendFlag>(i))) continue;
    if (!out.empty()) out += ",";
    out += kSuspendFlag[i];
  }
  return out;
}

const char* client_status_name(ClientStatus s) { return name_of(kClientStatus, s); }
const char* service_status_name(ServiceStatus s) { return name_of(kServiceStatus, s); }
const char* suspend_flag_name(SuspendFlag f) { return name_of(kSuspendFlag, f); }
const char* payment_status_name(PaymentStatus s) { return name_of(kPaymentStatus, s); }
const char* expense_kind_name(ExpenseKind k) { return name_of(kExpenseKind, k); }
const char* operation_kind_name(OperationKind k) { return name_of(kOperationKind, k); }
const char* operation_status_name(OperationStatus s) { return name_of(kOperationStatus, s); }
const char* task_status_name(TaskStatus s) { return name_of(kTaskStatus, s); }
const char* actor_name(Actor a) { return name_of(kActor, a); }
const char* addon_kind_name(AddonKind k) { return name_of(kAddonKind, k); }

common::Result<ClientStatus> parse_client_status(const std::string& t) {
  return parse_from<ClientStatus>(kClientStatus, t, "client status");
}
common::Result<ServiceStatus> parse_service_status(const std::string& t) {
  return parse_from<ServiceStatus>(kServiceStatus, t, "service status");
}
common::Result<SuspendFlag> parse_suspend_flag(const std::string& t) {
  return parse_from<SuspendFlag>(kSuspendFlag, t, "suspension flag");
}
common::Result<PaymentStatus> parse_payment_status(const std::string& t) {
  return parse_from<PaymentStatus>(kPaymentStatus, t, "payment status");
}
common::Result<ExpenseKind> parse_expense_kind(const std::string& t) {
  return parse_from<ExpenseKind>(kExpenseKind, t, "expense kind");
}
common::Result<OperationKind> parse_operation_kind(const std::string& t) {
  return parse_from<OperationKind>(kOperationKind, t, "operation kind");
}
common::Result<OperationStatus> parse_operation_status(const std::string& t) {
  return parse_from<OperationStatus>(kOperationStatus, t, "operation status");
}
common::Result<TaskStatus> parse_task_status(const std::string& t) {
  return parse_from<TaskStatus>(kTaskStatus, t, "task status");
}
common::Result<Actor> parse_actor(const std::string& t) {
  return parse_from<Actor>(kActor, t, "actor");
}
common::Result<AddonKind> parse_addon_kind(const std::string& t) {
  return parse_from<AddonKind>(kAddonKind, t, "addon kind");
}

}  // namespace dcisim::billing
