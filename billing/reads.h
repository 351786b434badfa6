// Read views of the store for the facade and the audit: clients, accounts, payments, expenses,
// services (with their server, addresses and unfinished operation), periods and history.
// Internal to billing/.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "billing/records.h"
#include "billing/store/sqlite.h"
#include "common/result.h"

namespace dcisim::billing {

common::Result<ClientView> client_view(store::Database& db, ClientId id);
common::Result<ClientView> client_view_by_email(store::Database& db, const std::string& email);
common::Result<std::vector<ClientView>> client_views(store::Database& db);
common::Result<AccountView> account_view(store::Database& db, ClientId client);
common::Result<std::vector<AccountView>> account_views(store::Database& db);
// The columns a payment row is selected with, from `payments p JOIN accounts a`, and the row read
// back (for every query that returns payments).
extern const char* const kPaymentColumns;
common::Result<PaymentView> payment_from_row(const store::Statement& st);
common::Result<std::vector<PaymentView>> payment_views(store::Database& db, std::optional<ClientId> client);
// Expenses of a client (service unset) or of a service (client unset); both unset: all.
common::Result<std::vector<ExpenseView>> expense_views(store::Database& db, std::optional<ClientId> client,
                                                      std::optional<ServiceId> service);
common::Result<ServiceView> service_view(store::Database& db, ServiceId id);
common::Result<std::vector<ServiceView>> service_views(store::Database& db, std::optional<ClientId> client);
common::Result<std::vector<PeriodView>> period_views(store::Database& db, ServiceId id);
// History of one entity ("service", 7), or of everything when entity is "".
common::Result<std::vector<HistoryView>> history_views(store::Database& db, const std::string& entity,
                                                      int64_t id);

}  // namespace dcisim::billing
