#include "billing/dci6/settings.h"

#include "billing/dci6/http_transport.h"

namespace dcisim::billing::dci6 {

namespace {

using common::Duration;
using common::JsonNode;
using common::Result;
using common::Status;

// A duration within [min, max]; absent -> fallback.
Result<Duration> bounded_duration(const JsonNode& node, Duration fallback, Duration min, Duration max) {
  Result<Duration> value = node.duration_or(fallback);
  if (!value) return value;
  if (*value < min || *value > max) {
    return node.error("a duration from " + common::format_duration(min) + " to " + common::format_duration(max));
  }
  return value;
}

Status read_connection(const JsonNode& node, Dci6Settings& out) {
  Result<std::string> base_url = node.at("base_url").non_empty_string();
  if (!base_url) return base_url.error();
  if (Result<BaseUrl> parsed = parse_base_url(*base_url); !parsed) {
    return node.at("base_url").error_message(parsed.error().message);
  }
  out.base_url = *base_url;
  Result<std::string> email = node.at("admin_email").non_empty_string();
  if (!email) return email.error();
  out.admin_email = *email;
  Result<std::string> password = node.at("admin_password").non_empty_string();
  if (!password) return node.at("admin_password").error_message("expected a non-empty string (the value is not shown)");
  out.admin_password = *password;
  Result<std::string> ca_file = node.at("ca_file").string_or("");
  if (!ca_file) return ca_file.error();
  out.ca_file = *ca_file;
  Result<bool> insecure = node.at("insecure").boolean_or(false);
  if (!insecure) return insecure.error();
  out.insecure = *insecure;
  if (out.insecure && !out.ca_file.empty()) {
    return node.at("insecure").error_message("\"insecure\": true contradicts \"ca_file\" (which is only used to verify)");
  }
  Result<Duration> connect = bounded_duration(node.at("connect_timeout"), out.connect_timeout, Duration::ms(1), Duration::minutes(5));
  if (!connect) return connect.error();
  out.connect_timeout = *connect;
  Result<Duration> read = bounded_duration(node.at("read_timeout"), out.read_timeout, Duration::ms(1), Duration::minutes(30));
  if (!read) return read.error();
  out.read_timeout = *read;
  Result<bool> keep_alive = node.at("keep_alive").boolean_or(out.keep_alive);
  if (!keep_alive) return keep_alive.error();
  out.keep_alive = *keep_alive;
  return Status::success();
}

Status read_retries(const JsonNode& node, Dci6Settings& out) {
  Result<int64_t> retries = node.at("max_unavailable_retries").integer_or(out.max_unavailable_retries, 0, 100);
  if (!retries) return retries.error();
  out.max_unavailable_retries = static_cast<int>(*retries);
  Result<Duration> start = bounded_duration(node.at("retry_backoff_start"), out.retry_backoff_start, Duration::ms(0), Duration::minutes(1));
  if (!start) return start.error();
  out.retry_backoff_start = *start;
  Result<Duration> cap = bounded_duration(node.at("retry_backoff_cap"), out.retry_backoff_cap, Duration::ms(0), Duration::minutes(5));
  if (!cap) return cap.error();
  if (*cap < out.retry_backoff_start) {
    return node.at("retry_backoff_cap").error_message("must not be shorter than retry_backoff_start");
  }
  out.retry_backoff_cap = *cap;
  return Status::success();
}

Status read_provisioning(const JsonNode& node, Dci6Settings& out) {
  Result<Duration> poll = bounded_duration(node.at("poll_interval"), out.poll_interval, Duration::seconds(1), Duration::hours(1));
  if (!poll) return poll.error();
  out.poll_interval = *poll;
  Result<Duration> timeout = bounded_duration(node.at("operation_timeout"), out.operation_timeout, Duration::minutes(1), Duration::days(7));
  if (!timeout) return timeout.error();
  out.operation_timeout = *timeout;
  Result<int64_t> installs = node.at("max_install_attempts").integer_or(out.max_install_attempts, 1, 20);
  if (!installs) return installs.error();
  out.max_install_attempts = static_cast<int>(*installs);
  Result<bool> by_type = node.at("by_server_type").boolean_or(out.by_server_type);
  if (!by_type) return by_type.error();
  out.by_server_type = *by_type;
  Result<int64_t> page = node.at("list_page_size").integer_or(out.list_page_size, 1, 5000);
  if (!page) return page.error();
  out.list_page_size = static_cast<int>(*page);
  Result<std::string> suffix = node.at("domain_suffix").string_or(out.domain_suffix);
  if (!suffix) return suffix.error();
  if (suffix->empty()) return node.at("domain_suffix").error("a non-empty domain suffix");
  out.domain_suffix = *suffix;
  return out.routes.apply_overrides(node.at("routes"));
}

}  // namespace

Result<Dci6Settings> parse_dci6_settings(const JsonNode& node) {
  if (Status object = node.require_object(); !object) return object.error();
  Status keys = node.only_keys({"base_url", "admin_email", "admin_password", "ca_file", "insecure",
                                "connect_timeout", "read_timeout", "keep_alive", "max_unavailable_retries",
                                "retry_backoff_start", "retry_backoff_cap", "poll_interval",
                                "operation_timeout", "max_install_attempts", "by_server_type",
                                "list_page_size", "domain_suffix", "routes"});
  if (!keys) return keys.error();
  Dci6Settings settings;
  if (Status s = read_connection(node, settings); !s) return s.error();
  if (Status s = read_retries(node, settings); !s) return s.error();
  if (Status s = read_provisioning(node, settings); !s) return s.error();
  return settings;
}

}  // namespace dcisim::billing::dci6
