// Money meeting services: the ONE crediting path (every way money arrives — gateway
// confirmation, admin credit — goes through credit_payment), and what money then pays for:
// services suspended only for `auto` (autoprolong on) are renewed and resumed, then orders
// waiting for payment are charged and opened, oldest first, while the account can afford them.
// All inside the caller's transaction. Internal to billing/.
#pragma once

#include <string>

#include "billing/core.h"
#include "billing/ledger.h"
#include "billing/records.h"
#include "billing/rows.h"
#include "common/result.h"

namespace dcisim::billing {

// Charges an ordered service's first period (+ setup + addons) and queues its open.
// Refused (conflict, nothing written) when the account cannot afford it.
common::Status pay_order(Core& core, ServiceRow& service, const TariffSpec& tariff,
                         AccountRow& account, Actor actor, const std::string& reason);

// Charges `periods` periods of a service suspended only for `auto`, lifts the flag and queues its
// resume; the new period starts when the resume completes (no charge for time suspended).
// `period_months` 0: the service's own period (otherwise one the tariff prices).
common::Status pay_resume(Core& core, ServiceRow& service, const TariffSpec& tariff,
                          AccountRow& account, int periods, Actor actor, const std::string& reason,
                          int period_months = 0);

// Charges `periods` periods that continue from the current expiredate (an active service, or one
// suspended without `auto`) and extends the expiredate; no module call.
common::Status renew(Core& core, ServiceRow& service, const TariffSpec& tariff, AccountRow& account,
                     int periods, Actor actor, const std::string& reason, int period_months = 0);

// Spends what the account can afford: resumes, then waiting orders (see above). Money covers
// debt first: nothing is spent automatically while the balance is negative; each charge must
// keep the balance >= -credit_limit; nothing is spent for a blocked client. Called wherever money
// or what it can pay for changes: a payment, a credit, a raised limit, an unblock, autoprolong
// on, flags lifted, the daily job, and the end of every operation (a suspension that completes
// after the money came must be paid for at once; not a canceled one: staff gave up on it).
common::Status settle_account(Core& core, AccountId account, Actor actor, const std::string& why);

// Marks a `new` or `in_pay` payment paid, credits the account and settles it.
common::Status credit_payment(Core& core, PaymentId payment, Actor actor, const std::string& reason);

}  // namespace dcisim::billing
