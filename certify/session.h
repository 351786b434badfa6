// One administrator session for certify's probes. The probes need each answer exactly as it came
// (status, body, whether it is JSON), which the module's client would interpret, so this sends raw
// requests: the token as the module sends it (x-xsrf-token, Cookie ses6, isp-box-instance), every
// exchange timed under a latency key, and shown with every secret redacted (passwords, tokens,
// keys, and the password's text wherever it might be echoed).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "billing/dci6/routes.h"
#include "certify/checks.h"
#include "certify/endpoint.h"
#include "common/http.h"

namespace dcisim::certify {

using Json = nlohmann::json;

struct Exchange {
  std::string method;      // "GET"
  std::string path;        // "/api/dci/v3/server"
  std::string sent;        // "GET /api/dci/v3/server?where=..." (+ the body, redacted)
  bool answered = false;   // false: no response (error says why)
  std::string error;
  int status = 0;
  std::string body;        // as it came (not shown: use received())
  Json json;               // the body parsed; null when it is not JSON
  int64_t wall_us = 0;

  // "404 {"error":...}" with secrets redacted and the body bounded; "no response: ..." otherwise.
  std::string received() const { return received_text; }
  std::string received_text;
  bool ok() const { return answered && status >= 200 && status < 300; }
  // DCImanager's error JSON: {"error": {"code", "msg"}} (or the auth service's flat shape).
  bool error_json() const;
  std::string error_msg() const;
};

class ProbeSession {
 public:
  // `transport` must outlive the session.
  ProbeSession(common::HttpTransport& transport, const EndpointOptions& endpoint);

  // Logs in at `path` ("" = the route table's auth.token) and keeps the token when it worked.
  Exchange login(const std::string& path = "");
  // A request on the session. `latency_key` groups it in the latency table ("" = not counted).
  Exchange send(const std::string& latency_key, const std::string& method, const std::string& path,
                const common::HeaderList& query = {}, const Json* body = nullptr);
  // The same with another token (or none: ""), for the session checks.
  Exchange send_with_token(const std::string& token, const std::string& method, const std::string& path);
  // A route of the table, placeholders expanded; counted under the route's name.
  Exchange call(billing::dci6::RouteId route, const billing::dci6::PathParams& params = {},
                const common::HeaderList& query = {}, const Json* body = nullptr);

  bool logged_in() const { return !token_.empty(); }
  common::HttpTransport& transport() const { return transport_; }
  const billing::dci6::RouteTable& routes() const { return endpoint_.routes; }
  const EndpointOptions& endpoint() const { return endpoint_; }
  std::vector<LatencyRow> latency() const;
  // Text with the password and the session token replaced by "<redacted>".
  std::string scrub(std::string text) const;

 private:
  Exchange exchange(const std::string& latency_key, common::HttpRequest request, const Json* body);

  common::HttpTransport& transport_;
  const EndpointOptions& endpoint_;
  std::string token_;
  std::map<std::string, std::vector<int64_t>> latency_us_;
};

// A JSON value as compact text with secret members ("password", "token", "key") redacted.
std::string redacted_json(const Json& value);

}  // namespace dcisim::certify
