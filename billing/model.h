// The billing vocabulary of DOMAIN.md as types: typed ids, service statuses, suspension flags,
// payment and expense kinds, operation kinds and statuses, and who acted. Each enum has a stable
// text name (stored in the database, shown in reports) and a parser that says what it expected.
#pragma once

#include <cstdint>
#include <string>

#include "common/id.h"
#include "common/result.h"

namespace dcisim::billing {

struct ClientTag;
struct AccountTag;
struct PaymentTag;
struct ExpenseTag;
struct TariffTag;
struct ServiceTag;
struct OperationTag;
struct TaskTag;
using ClientId = common::Id<ClientTag>;
using AccountId = common::Id<AccountTag>;
using PaymentId = common::Id<PaymentTag>;
using ExpenseId = common::Id<ExpenseTag>;
using TariffId = common::Id<TariffTag>;
using ServiceId = common::Id<ServiceTag>;
using OperationId = common::Id<OperationTag>;
using TaskId = common::Id<TaskTag>;

enum class ClientStatus { active, blocked };

// BILLmanager's service statuses; `deleted` is terminal.
enum class ServiceStatus { ordered, processing, active, suspended, deleted };

// Why a service is suspended. `automatic` is BILLmanager's `auto` (expired or unpaid) and is the
// only flag a payment lifts; the others are lifted only by whoever set them.
enum class SuspendFlag { automatic, admin, abuse, client };

// A set of suspension flags, printed and stored as "auto,admin,abuse,client" (that order).
class SuspendFlags {
 public:
  constexpr SuspendFlags() = default;
  static SuspendFlags of(SuspendFlag flag) { return SuspendFlags().with(flag); }
  // "" -> no flags; "auto,abuse" -> two; anything else is an error naming the bad word.
  static common::Result<SuspendFlags> parse(const std::string& text);

  bool has(SuspendFlag flag) const { return (bits_ & bit(flag)) != 0; }
  bool empty() const { return bits_ == 0; }
  bool only(SuspendFlag flag) const { return bits_ == bit(flag); }
  bool has_manual() const { return (bits_ & ~bit(SuspendFlag::automatic)) != 0; }
  SuspendFlags with(SuspendFlag flag) const { return SuspendFlags(bits_ | bit(flag)); }
  SuspendFlags without(SuspendFlag flag) const { return SuspendFlags(bits_ & ~bit(flag)); }
  std::string to_string() const;
  bool operator==(const SuspendFlags&) const = default;

 private:
  constexpr explicit SuspendFlags(uint8_t bits) : bits_(bits) {}
  static constexpr uint8_t bit(SuspendFlag flag) { return static_cast<uint8_t>(1u << static_cast<int>(flag)); }
  uint8_t bits_ = 0;
};

enum class PaymentStatus { new_, in_pay, paid, canceled, refunded };

enum class ExpenseKind { period, setup, addon, refund };

// Operations sent to the processing module. Renewal ("prolong") is a charge only: a dedicated
// server has nothing to extend remotely, so it never becomes an operation.
enum class OperationKind { open, suspend, resume, close };

// pending: will run at next_run_at (first run, poll, or retry); manual: waits for staff (a task
// is open); done and canceled are final.
enum class OperationStatus { pending, manual, done, canceled };

enum class TaskStatus { open, retried, canceled };

// Who changed something: a person (client, admin), a payment gateway, or the billing itself
// (the daily job, the operation runner, the crediting path reacting to money, the sync job).
enum class Actor { client, admin, gateway, daily_job, runner, funds, sync };

enum class AddonKind { ipv4, ipv6, script };

const char* client_status_name(ClientStatus status);
const char* service_status_name(ServiceStatus status);
const char* suspend_flag_name(SuspendFlag flag);
const char* payment_status_name(PaymentStatus status);
const char* expense_kind_name(ExpenseKind kind);
const char* operation_kind_name(OperationKind kind);
const char* operation_status_name(OperationStatus status);
const char* task_status_name(TaskStatus status);
const char* actor_name(Actor actor);
const char* addon_kind_name(AddonKind kind);

common::Result<ClientStatus> parse_client_status(const std::string& text);
common::Result<ServiceStatus> parse_service_status(const std::string& text);
common::Result<SuspendFlag> parse_suspend_flag(const std::string& text);
common::Result<PaymentStatus> parse_payment_status(const std::string& text);
common::Result<ExpenseKind> parse_expense_kind(const std::string& text);
common::Result<OperationKind> parse_operation_kind(const std::string& text);
common::Result<OperationStatus> parse_operation_status(const std::string& text);
common::Result<TaskStatus> parse_task_status(const std::string& text);
common::Result<Actor> parse_actor(const std::string& text);
common::Result<AddonKind> parse_addon_kind(const std::string& text);

}  // namespace dcisim::billing
