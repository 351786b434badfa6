// The audit's checks, grouped by what they read. Internal to billing/ (see audit.h).
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "billing/audit.h"
#include "billing/store/sqlite.h"
#include "common/time.h"

namespace dcisim::billing {

struct AuditContext {
  store::Database& db;
  common::Instant now;
  const AuditOptions& options;
  std::vector<Violation>& found;

  void add(const std::string& invariant, const std::string& message) {
    const std::vector<std::string>& names = audit_invariant_names();
    DCISIM_ASSERT(std::binary_search(names.begin(), names.end(), invariant), "an audit invariant missing from audit_invariant_names()");
    found.push_back({invariant, message});
  }
  // A failed read is reported, not hidden: an audit that cannot read proves nothing.
  bool ok(const common::Status& status, const char* what) {
    if (status.ok()) return true;
    add("audit_error", std::string(what) + ": " + status.error().message);
    return false;
  }
};

void audit_ledger(AuditContext& ctx);     // audit.cpp
void audit_periods(AuditContext& ctx);    // audit_services.cpp
void audit_services(AuditContext& ctx);   // audit_services.cpp
void audit_operations(AuditContext& ctx); // audit_services.cpp
void audit_history(AuditContext& ctx);    // audit_history.cpp
void audit_remote(AuditContext& ctx);     // audit_remote.cpp

}  // namespace dcisim::billing
