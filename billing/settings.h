// The billing core's knobs, with documented defaults (docs/BILLING.md). A plain struct: nothing is
// configured by globals. `parse_settings` reads the same from a JSON object (scenario files,
// `dcisim serve` configuration) with errors that name the JSON pointer.
#pragma once

#include <string>

#include "common/json_input.h"
#include "common/result.h"
#include "common/time.h"

namespace dcisim::billing {

// Where secrets (root passwords, DCImanager user passwords, password salts) come from.
// `seeded`: derived from the run's seed and the entity id, so the same seed gives the same
// database byte for byte (simulation). `system`: OpenSSL RAND_bytes (a live DCImanager).
enum class SecretSource { seeded, system };

struct Settings {
  // Operation runner: a `retry` step waits retry_backoff_start, doubling up to retry_backoff_cap;
  // after max_attempts failed attempts a manual task opens and the service stays processing.
  int max_attempts = 5;
  common::Duration retry_backoff_start = common::Duration::minutes(1);
  common::Duration retry_backoff_cap = common::Duration::hours(1);
  // A module's `waiting` is polled no sooner than this (a wake_at in the past would spin).
  common::Duration min_poll_interval = common::Duration::seconds(1);
  // At most this many operation steps per run_due call (the rest run at the next call).
  int max_steps_per_run = 10'000;

  // The daily job runs at 00:00 UTC + daily_job_offset, once per calendar day. It renews every
  // active service that expires before the next run (expiredate < now + renewal_lead).
  common::Duration daily_job_offset = common::Duration();
  common::Duration renewal_lead = common::Duration::days(1);
  // Orders still unpaid after this many days are deleted (no module call).
  int unpaid_order_days = 3;

  // The sync job reconciles the remote side with billing every sync_interval.
  common::Duration sync_interval = common::Duration::days(1);

  // Each service gets the unique domain "service-<id>.<domain_suffix>": how a retried open
  // recognises the server it already took.
  std::string domain_suffix = "dcisim.test";

  int password_iterations = 100'000;  // PBKDF2-HMAC-SHA256
  SecretSource secrets = SecretSource::seeded;

  // Builds with DCISIM_PLANTED_BUGS only: the known bug to plant (common/planted.h); never read
  // from files, set by `dcisim explore|run --plant`. "" = none.
  std::string planted_bug;
};

// Reads an object like {"max_attempts": 5, "retry_backoff_start": "1m", "sync_interval": "1d",
// "secrets": "seeded"}; absent keys keep their defaults, unknown keys are errors.
common::Result<Settings> parse_settings(const common::JsonNode& node);

}  // namespace dcisim::billing
