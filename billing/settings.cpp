#include "billing/settings.h"


namespace dcisim::billing {

namespace {

common::Status read_duration(const common::JsonNode& node, const char* key, common::Duration min,
                             common::Duration& out) {
  common::JsonNode value = node.at(key);
  DCISIM_ASSIGN_OR_RETURN(common::Duration read, value.duration_or(out));
  if (read < min) {
    return value.error("a duration of at least " + common::format_duration(min));
  }
  out = read;
  return common::Status::success();
}

common::Status read_int(const common::JsonNode& node, const char* key, int64_t min, int64_t max,
                        int& out) {
  DCISIM_ASSIGN_OR_RETURN(int64_t read, node.at(key).integer_or(out, min, max));
  out = static_cast<int>(read);
  return common::Status::success();
}

}  // namespace

common::Result<Settings> parse_settings(const common::JsonNode& node) {
  Settings s;
  if (!node.present()) return s;
  DCISIM_RETURN_IF_ERROR(node.require_object());
  DCISIM_RETURN_IF_ERROR(node.only_keys({"max_attempts", "retry_backoff_start", "retry_backoff_cap",
                              "min_poll_interval", "max_steps_per_run", "daily_job_offset",
                              "renewal_lead", "unpaid_order_days", "sync_interval",
                              "domain_suffix", "password_iterations", "secrets"}));
  DCISIM_RETURN_IF_ERROR(read_int(node, "max_attempts", 1, 100, s.max_attempts));
  DCISIM_RETURN_IF_ERROR(read_duration(node, "retry_backoff_start", common::Duration::seconds(1),
                            s.retry_backoff_start));
  DCISIM_RETURN_IF_ERROR(read_duration(node, "retry_backoff_cap", s.retry_backoff_start, s.retry_backoff_cap));
  DCISIM_RETURN_IF_ERROR(read_duration(node, "min_poll_interval", common::Duration::ms(1), s.min_poll_interval));
  DCISIM_RETURN_IF_ERROR(read_int(node, "max_steps_per_run", 1, 1'000'000, s.max_steps_per_run));
  DCISIM_RETURN_IF_ERROR(read_duration(node, "daily_job_offset", common::Duration(), s.daily_job_offset));
  if (s.daily_job_offset >= common::Duration::days(1)) {
    return node.at("daily_job_offset").error("a duration shorter than 1d");
  }
  DCISIM_RETURN_IF_ERROR(read_duration(node, "renewal_lead", common::Duration(), s.renewal_lead));
  DCISIM_RETURN_IF_ERROR(read_int(node, "unpaid_order_days", 1, 365, s.unpaid_order_days));
  DCISIM_RETURN_IF_ERROR(read_duration(node, "sync_interval", common::Duration::minutes(1), s.sync_interval));
  DCISIM_ASSIGN_OR_RETURN(s.domain_suffix, node.at("domain_suffix").string_or(s.domain_suffix));
  if (s.domain_suffix.empty()) return node.at("domain_suffix").error("a non-empty domain");
  DCISIM_RETURN_IF_ERROR(read_int(node, "password_iterations", 1000, 10'000'000, s.password_iterations));
  DCISIM_ASSIGN_OR_RETURN(std::string secrets, node.at("secrets").string_or("seeded"));
  if (secrets == "seeded") {
    s.secrets = SecretSource::seeded;
  } else if (secrets == "system") {
    s.secrets = SecretSource::system;
  } else {
    return node.at("secrets").error("\"seeded\" or \"system\"");
  }
  return s;
}

}  // namespace dcisim::billing
