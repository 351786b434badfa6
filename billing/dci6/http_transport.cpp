#include "billing/dci6/http_transport.h"

#include <cctype>
#include <fstream>

#include <httplib.h>

namespace dcisim::billing::dci6 {

namespace {

void set_timeout(httplib::Client& client, common::Duration timeout,
                 void (httplib::Client::*setter)(time_t, time_t)) {
  int64_t ms = timeout.count_ms();
  (client.*setter)(static_cast<time_t>(ms / 1000), static_cast<time_t>((ms % 1000) * 1000));
}

std::string describe_failure(httplib::Error error) {
  switch (error) {
    case httplib::Error::Connection: return "could not connect";
    case httplib::Error::ConnectionTimeout: return "connect timed out";
    case httplib::Error::Read: return "no response (read failed or timed out)";
    case httplib::Error::Write: return "sending the request failed";
    case httplib::Error::SSLConnection: return "TLS handshake failed";
    case httplib::Error::SSLLoadingCerts: return "could not load the CA certificates";
    case httplib::Error::SSLServerVerification:
      return "the server's TLS certificate could not be verified (trust its CA with \"ca_file\", or "
             "set \"insecure\": true to skip verification)";
    case httplib::Error::Canceled: return "the request was canceled";
    default: return "request failed (" + httplib::to_string(error) + ")";
  }
}

bool valid_host(const std::string& host) {
  if (host.empty()) return false;
  if (host.front() == '[') return host.size() > 2 && host.back() == ']';
  for (char c : host) {
    unsigned char u = static_cast<unsigned char>(c);
    if (!(std::isalnum(u) || c == '-' || c == '.' || c == '_')) return false;
  }
  return true;
}

}  // namespace

common::Result<BaseUrl> parse_base_url(const std::string& text) {
  BaseUrl url;
  size_t scheme_end = text.find("://");
  if (scheme_end == std::string::npos) {
    return common::Error::invalid("\"" + text + "\" is not a URL (expected http://host[:port] or https://host[:port])");
  }
  url.scheme = text.substr(0, scheme_end);
  if (url.scheme != "http" && url.scheme != "https") {
    return common::Error::invalid("scheme \"" + url.scheme + "\" is not supported (expected http or https)");
  }
  std::string rest = text.substr(scheme_end + 3);
  if (rest.find_first_of("?#@") != std::string::npos) {
    return common::Error::invalid("a base URL has no query, fragment or user info");
  }
  size_t slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  if (slash != std::string::npos) url.path_prefix = rest.substr(slash);
  while (!url.path_prefix.empty() && url.path_prefix.back() == '/') url.path_prefix.pop_back();
  size_t colon = authority.rfind(':');
  if (colon != std::string::npos && authority.find(']', colon) == std::string::npos) {
    std::string port = authority.substr(colon + 1);
    authority = authority.substr(0, colon);
    bool digits = !port.empty() && port.size() <= 5 &&
                  port.find_first_not_of("0123456789") == std::string::npos;
    if (!digits || std::stoi(port) < 1 || std::stoi(port) > 65535) {
      return common::Error::invalid("port \"" + port + "\" is not a number in 1..65535");
    }
    url.port = std::stoi(port);
  }
  url.host = authority;
  if (!valid_host(url.host)) return common::Error::invalid("\"" + url.host + "\" is not a host name");
  return url;
}

common::Result<std::unique_ptr<HttplibTransport>> HttplibTransport::create(const HttpTransportOptions& options) {
  common::Result<BaseUrl> url = parse_base_url(options.base_url);
  if (!url) return url.error();
  if (!options.ca_file.empty() && !std::ifstream(options.ca_file).good()) {
    return common::Error::io("ca_file \"" + options.ca_file + "\" cannot be read");
  }
  if (options.insecure && !options.ca_file.empty()) {
    return common::Error::invalid("\"insecure\" contradicts \"ca_file\"");
  }
  std::string scheme_host_port = url->scheme + "://" + url->host;
  if (url->port != 0) scheme_host_port.append(":").append(std::to_string(url->port));
  auto client = std::make_unique<httplib::Client>(scheme_host_port);
  if (!client->is_valid()) return common::Error::invalid("cannot use base URL \"" + options.base_url + "\"");
  set_timeout(*client, options.connect_timeout, &httplib::Client::set_connection_timeout);
  set_timeout(*client, options.read_timeout, &httplib::Client::set_read_timeout);
  set_timeout(*client, options.read_timeout, &httplib::Client::set_write_timeout);
  client->set_keep_alive(options.keep_alive);
  client->set_tcp_nodelay(true);  // small requests: do not wait for the peer's delayed ACK
  client->set_url_encode(false);  // HttpRequest::target() already percent-encodes the query
  client->set_follow_location(false);
  if (url->scheme == "https") {
    client->enable_server_certificate_verification(!options.insecure);
    if (!options.ca_file.empty()) client->set_ca_cert_path(options.ca_file);
  }
  std::string description = scheme_host_port + url->path_prefix;
  return std::unique_ptr<HttplibTransport>(new HttplibTransport(*url, std::move(client), description));
}

HttplibTransport::HttplibTransport(BaseUrl url, std::unique_ptr<httplib::Client> client, std::string description)
    : url_(std::move(url)), description_(std::move(description)), client_(std::move(client)) {}

HttplibTransport::~HttplibTransport() = default;

common::Result<common::HttpResponse> HttplibTransport::send(const common::HttpRequest& request) {
  httplib::Request outgoing;
  outgoing.method = request.method;
  outgoing.path = url_.path_prefix + request.target();
  for (const auto& [name, value] : request.headers) outgoing.headers.emplace(name, value);
  if (!request.body.empty() && request.header("Content-Type") == nullptr) {
    outgoing.headers.emplace("Content-Type", "application/json");
  }
  outgoing.body = request.body;

  std::lock_guard<std::mutex> lock(mutex_);
  httplib::Result result = client_->send(outgoing);
  if (!result) {
    return common::Error::io(request.method + " " + description_ + request.path + ": " +
                             describe_failure(result.error()));
  }
  common::HttpResponse response;
  response.status = result->status;
  for (const auto& [name, value] : result->headers) response.headers.emplace_back(name, value);
  response.body = result->body;
  return response;
}

}  // namespace dcisim::billing::dci6
