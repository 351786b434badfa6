#include "billing/history.h"

namespace dcisim::billing {

common::Status write_history(store::Database& db, common::Instant at, const HistoryEntry& e) {
  DCISIM_ASSERT(!e.entity.empty() && e.entity_id > 0, "history row without an entity");
  DCISIM_ASSERT(!e.reason.empty(), "history row without a reason");
  store::Statement st = db.prepare(
      "INSERT INTO status_history (at, entity, entity_id, from_status, to_status, from_flags, "
      "to_flags, actor, reason, amount, balance_after, operation_id) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
  st.bind(1, at.unix_ms()).bind(2, e.entity).bind(3, e.entity_id).bind(4, e.from_status);
  st.bind(5, e.to_status).bind(6, e.from_flags).bind(7, e.to_flags).bind(8, actor_name(e.actor));
  st.bind(9, e.reason);
  st.bind(10, e.amount ? std::optional<int64_t>(e.amount->sub_units()) : std::nullopt);
  st.bind(11, e.balance_after ? std::optional<int64_t>(e.balance_after->sub_units()) : std::nullopt);
  st.bind(12, e.operation_id);
  return st.run();
}

}  // namespace dcisim::billing
