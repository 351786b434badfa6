// Status history: one append-only row for every status change of a client, payment, service,
// operation or task, saying who (actor), why (reason) and with what money (amount, balance after).
// The audit checks that each entity's latest row matches its current status.
#pragma once

#include <optional>
#include <string>

#include "billing/model.h"
#include "billing/store/sqlite.h"
#include "common/money.h"
#include "common/result.h"
#include "common/time.h"

namespace dcisim::billing {

struct HistoryEntry {
  std::string entity;  // "client", "payment", "service", "operation", "task"
  int64_t entity_id = 0;
  std::string from_status;  // "" on creation
  std::string to_status;
  std::string from_flags;
  std::string to_flags;
  Actor actor = Actor::runner;
  std::string reason;
  std::optional<common::Money> amount;
  std::optional<common::Money> balance_after;
  std::optional<int64_t> operation_id;
};

common::Status write_history(store::Database& db, common::Instant at, const HistoryEntry& entry);

}  // namespace dcisim::billing
