// What every part of the billing core works with: the store, the clock, the processing module,
// the settings and the run's seed. Internal to billing/: callers use the `Billing` facade.
#pragma once

#include <cstdint>

#include "billing/provisioning.h"
#include "billing/settings.h"
#include "billing/store/sqlite.h"
#include "common/clock.h"

namespace dcisim::billing {

struct Core {
  store::Database& db;
  const common::Clock& clock;
  ProvisioningModule& module;
  const Settings& settings;
  uint64_t seed = 0;

  common::Instant now() const { return clock.now(); }
};

}  // namespace dcisim::billing
