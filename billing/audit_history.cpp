// Audit checks on the status history: every status change has a row (each entity's rows chain
// from its creation to its current status), and money only ever lifts the `auto` flag (7).
#include <map>
#include <utility>

#include "billing/audit_checks.h"

namespace dcisim::billing {

namespace {

struct Current {
  std::string status;
  std::string flags;
};

using EntityKey = std::pair<std::string, int64_t>;

void load_current(AuditContext& ctx, const char* entity, const char* sql,
                  std::map<EntityKey, Current>& out) {
  store::Statement st = ctx.db.prepare(sql);
  while (st.next()) out[{entity, st.integer(0)}] = {st.text(1), st.text(2)};
  ctx.ok(st.status(), "reading current statuses");
}

void check_funds_flags(AuditContext& ctx, int64_t row, int64_t service, const std::string& from,
                       const std::string& to) {
  common::Result<SuspendFlags> before = SuspendFlags::parse(from);
  common::Result<SuspendFlags> after = SuspendFlags::parse(to);
  if (!before.ok() || !after.ok()) return;
  for (SuspendFlag flag : {SuspendFlag::automatic, SuspendFlag::admin, SuspendFlag::abuse,
                           SuspendFlag::client}) {
    bool added = !before->has(flag) && after->has(flag);
    bool lifted = before->has(flag) && !after->has(flag);
    if (added || (lifted && flag != SuspendFlag::automatic)) {
      ctx.add("funds_clear_only_auto", "service " + std::to_string(service) + " history row " +
                                           std::to_string(row) + ": money changed flags '" + from +
                                           "' to '" + to + "'");
    }
  }
}

}  // namespace

void audit_history(AuditContext& ctx) {
  std::map<EntityKey, Current> current;
  load_current(ctx, "client", "SELECT id, status, '' FROM clients", current);
  load_current(ctx, "payment", "SELECT id, status, '' FROM payments", current);
  load_current(ctx, "service", "SELECT id, status, flags FROM services", current);
  load_current(ctx, "operation", "SELECT id, status, '' FROM operations", current);
  load_current(ctx, "task", "SELECT id, status, '' FROM tasks", current);

  std::map<EntityKey, Current> last;  // the latest row seen per entity
  store::Statement st = ctx.db.prepare(
      "SELECT id, entity, entity_id, from_status, to_status, from_flags, to_flags, actor "
      "FROM status_history ORDER BY entity, entity_id, id");
  while (st.next()) {
    EntityKey key{st.text(1), st.integer(2)};
    std::string where = key.first + " " + std::to_string(key.second) + " history row " +
                        std::to_string(st.integer(0));
    auto previous = last.find(key);
    std::string expected_from = previous == last.end() ? "" : previous->second.status;
    std::string expected_flags = previous == last.end() ? "" : previous->second.flags;
    if (st.text(3) != expected_from || (key.first == "service" && st.text(5) != expected_flags)) {
      ctx.add("history_matches_status", where + " starts from '" + st.text(3) + "' flags '" +
                                            st.text(5) + "' but the previous row ended at '" +
                                            expected_from + "' flags '" + expected_flags +
                                            "': a change without a history row");
    }
    if (key.first == "service" && st.text(7) == "funds") {
      check_funds_flags(ctx, st.integer(0), key.second, st.text(5), st.text(6));
    }
    last[key] = {st.text(4), key.first == "service" ? st.text(6) : ""};
  }
  ctx.ok(st.status(), "reading history");

  for (const auto& [key, now] : current) {
    auto seen = last.find(key);
    std::string name = key.first + " " + std::to_string(key.second);
    if (seen == last.end()) {
      ctx.add("history_matches_status", name + " is '" + now.status + "' with no history row");
    } else if (seen->second.status != now.status || seen->second.flags != now.flags) {
      ctx.add("history_matches_status", name + " is '" + now.status + "' flags '" + now.flags +
                                            "' but its last history row says '" +
                                            seen->second.status + "' flags '" + seen->second.flags + "'");
    }
  }
}

}  // namespace dcisim::billing
