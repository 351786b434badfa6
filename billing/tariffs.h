// Tariffs: validation of a TariffSpec, storing and loading it, and what a service of it costs
// (first charge: period + setup + addons; renewal: period + addons, per k periods).
#pragma once

#include <vector>

#include "billing/ledger.h"
#include "billing/records.h"
#include "billing/rows.h"
#include "billing/store/sqlite.h"
#include "common/result.h"

namespace dcisim::billing {

// Every problem is an invalid_argument naming the field: "tariff 'x': prices: ...".
common::Status validate_tariff(const TariffSpec& spec);
common::Result<TariffId> insert_tariff(store::Database& db, common::Instant now, const TariffSpec& spec);
common::Result<TariffView> load_tariff(store::Database& db, TariffId id);

// Checks an order's period, OS template and addons against the tariff.
common::Status validate_order_against(const TariffSpec& spec, const OrderRequest& order);

// What `periods` periods of the service cost, as expenses: the period price times `periods`,
// the addons' monthly prices times the months, and the setup fee when `with_setup`.
// `period_months` 0: the service's own period.
std::vector<ChargeItem> service_charges(const TariffSpec& spec, const ServiceRow& service,
                                        int periods, bool with_setup, int period_months = 0);

}  // namespace dcisim::billing
