#include "certify/endpoint.h"

#include <cstdlib>

#include "billing/dci6/http_transport.h"
#include "common/json_input.h"

namespace dcisim::certify {

using common::Error;
using common::Result;
using common::Status;

Result<std::string> read_password(const std::optional<std::string>& env_var, const std::optional<std::string>& file) {
  if (env_var.has_value() == file.has_value()) {
    return Error::invalid("give the password with exactly one of --password-env VAR or --password-file FILE "
                          "(never as a flag value)");
  }
  if (env_var) {
    const char* value = std::getenv(env_var->c_str());
    if (value == nullptr || *value == '\0') {
      return Error::invalid("--password-env " + *env_var + ": the environment variable is not set or empty");
    }
    return std::string(value);
  }
  Result<std::string> text = common::read_text_file(*file, 64 * 1024);
  if (!text) return Error::invalid("--password-file " + *file + ": cannot be read");
  std::string password = text->substr(0, text->find_first_of("\r\n"));
  if (password.empty()) return Error::invalid("--password-file " + *file + ": the first line is empty");
  return password;
}

Status load_routes_file(const std::string& path, billing::dci6::RouteTable& routes) {
  Result<common::Json> document = common::parse_json_file(path, /*allow_comments=*/true);
  if (!document) return document.error();
  common::JsonNode root = common::JsonNode::root(*document, path);
  DCISIM_RETURN_IF_ERROR(root.require_object());
  common::JsonNode overrides = document->contains("routes") && document->size() == 1 ? root.at("routes") : root;
  return routes.apply_overrides(overrides);
}

Status check_endpoint(const EndpointOptions& endpoint) {
  if (endpoint.url.empty()) return Error::invalid("--endpoint is required (https://dci.example.com)");
  Result<billing::dci6::BaseUrl> url = billing::dci6::parse_base_url(endpoint.url);
  if (!url) return Error::invalid("--endpoint: " + url.error().message);
  if (endpoint.email.find('@') == std::string::npos) {
    return Error::invalid("--email expects the DCImanager administrator's e-mail, got \"" + endpoint.email + "\"");
  }
  if (endpoint.insecure && !endpoint.ca_file.empty()) return Error::invalid("--ca and --insecure contradict each other");
  if (url->scheme == "http" && (endpoint.insecure || !endpoint.ca_file.empty())) {
    return Error::invalid("--ca and --insecure apply to https:// endpoints only");
  }
  return Status::success();
}

billing::dci6::Dci6Settings module_settings(const EndpointOptions& endpoint) {
  billing::dci6::Dci6Settings settings;
  settings.base_url = endpoint.url;
  settings.admin_email = endpoint.email;
  settings.admin_password = endpoint.password;
  settings.ca_file = endpoint.ca_file;
  settings.insecure = endpoint.insecure;
  settings.connect_timeout = endpoint.connect_timeout;
  settings.read_timeout = endpoint.read_timeout;
  settings.routes = endpoint.routes;
  return settings;
}

Result<std::unique_ptr<common::HttpTransport>> connect_endpoint(const EndpointOptions& endpoint) {
  DCISIM_RETURN_IF_ERROR(check_endpoint(endpoint));
  billing::dci6::HttpTransportOptions options;
  options.base_url = endpoint.url;
  options.ca_file = endpoint.ca_file;
  options.insecure = endpoint.insecure;
  options.connect_timeout = endpoint.connect_timeout;
  options.read_timeout = endpoint.read_timeout;
  Result<std::unique_ptr<billing::dci6::HttplibTransport>> transport = billing::dci6::HttplibTransport::create(options);
  if (!transport) return transport.error();
  return std::unique_ptr<common::HttpTransport>(std::move(transport).value());
}

}  // namespace dcisim::certify
