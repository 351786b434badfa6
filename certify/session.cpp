#include "certify/session.h"

#include <algorithm>

#include "billing/dci6/json_fields.h"
#include "common/clock.h"
#include "common/json_input.h"
#include "common/json_text.h"
#include "common/text.h"

namespace dcisim::certify {

namespace {

constexpr size_t kShownBodyBytes = 4096;
const char* const kSecretMembers[] = {"password", "token", "key", "admin_password", "old_password"};

void redact(Json& value) {
  if (value.is_object()) {
    for (auto it = value.begin(); it != value.end(); ++it) {
      bool secret = std::any_of(std::begin(kSecretMembers), std::end(kSecretMembers),
                                [&](const char* name) { return it.key() == name; });
      if (secret && !it->is_null()) {
        *it = "<redacted>";
      } else {
        redact(*it);
      }
    }
  } else if (value.is_array()) {
    for (Json& item : value) redact(item);
  }
}

double percentile_ms(std::vector<int64_t> sorted_us, double p) {
  if (sorted_us.empty()) return 0;
  size_t rank = static_cast<size_t>(p * static_cast<double>(sorted_us.size()) + 0.999999);  // nearest rank
  rank = std::clamp<size_t>(rank, 1, sorted_us.size());
  return static_cast<double>(sorted_us[rank - 1]) / 1000.0;
}

}  // namespace

std::string redacted_json(const Json& value) {
  Json copy = value;
  redact(copy);
  return common::json_text(copy);
}

bool Exchange::error_json() const {
  if (!json.is_object() || !json.contains("error")) return false;
  const Json& error = json["error"];
  return error.is_string() || (error.is_object() && (error.contains("msg") || error.contains("code")));
}

std::string Exchange::error_msg() const {
  if (!json.is_object() || !json.contains("error")) return "";
  const Json& error = json["error"];
  if (error.is_string()) return error.get<std::string>();
  return billing::dci6::json_text(error, "msg");
}

ProbeSession::ProbeSession(common::HttpTransport& transport, const EndpointOptions& endpoint)
    : transport_(transport), endpoint_(endpoint) {}

std::string ProbeSession::scrub(std::string text) const {
  for (const std::string* secret : {&endpoint_.password, &token_}) {
    if (secret->size() < 3) continue;  // too short to tell from ordinary text
    for (size_t at = text.find(*secret); at != std::string::npos; at = text.find(*secret, at)) {
      text.replace(at, secret->size(), "<redacted>");
    }
  }
  return text;
}

Exchange ProbeSession::exchange(const std::string& latency_key, common::HttpRequest request, const Json* body) {
  Exchange out;
  request.headers.emplace_back("Accept", "application/json");
  if (body != nullptr || request.method == "POST") {
    request.body = body != nullptr ? common::json_text(*body) : "{}";
    request.headers.emplace_back("Content-Type", "application/json");
  }
  out.method = request.method;
  out.path = request.path;
  out.sent = request.method + " " + request.target();
  if (body != nullptr) out.sent += " " + redacted_json(*body);
  out.sent = scrub(out.sent);
  common::Stopwatch stopwatch;
  common::Result<common::HttpResponse> response = transport_.send(request);
  out.wall_us = stopwatch.elapsed_us();
  if (!latency_key.empty()) latency_us_[latency_key].push_back(out.wall_us);
  if (!response) {
    out.error = response.error().message;
    out.received_text = scrub("no response: " + out.error);
    return out;
  }
  out.answered = true;
  out.status = response->status;
  out.body = std::move(response->body);
  common::Result<Json> parsed = common::parse_json_text(out.body, "answer", false);
  if (parsed) out.json = std::move(parsed).value();
  std::string shown = out.json.is_null() ? out.body : redacted_json(out.json);
  out.received_text = scrub(std::to_string(out.status) + " " + common::printable_utf8(shown, kShownBodyBytes));
  return out;
}

Exchange ProbeSession::login(const std::string& path) {
  common::HttpRequest request;
  request.method = "POST";
  request.path = path.empty() ? endpoint_.routes.route(billing::dci6::RouteId::auth_token).path : path;
  Json credentials = {{"email", endpoint_.email}, {"password", endpoint_.password}};
  Exchange out = exchange(path.empty() ? "auth.token" : "auth.token (other prefix)", request, &credentials);
  std::string token = billing::dci6::json_text(out.json, "token");
  if (out.ok() && !token.empty()) {
    token_ = token;
    out.received_text = scrub(out.received_text);
  }
  return out;
}

Exchange ProbeSession::send(const std::string& latency_key, const std::string& method, const std::string& path,
                            const common::HeaderList& query, const Json* body) {
  common::HttpRequest request;
  request.method = method;
  request.path = path;
  request.query = query;
  request.headers = {{"x-xsrf-token", token_}, {"Cookie", "ses6=" + token_}, {"isp-box-instance", "true"}};
  return exchange(latency_key, std::move(request), body);
}

Exchange ProbeSession::send_with_token(const std::string& token, const std::string& method, const std::string& path) {
  common::HttpRequest request;
  request.method = method;
  request.path = path;
  if (!token.empty()) request.headers = {{"x-xsrf-token", token}, {"Cookie", "ses6=" + token}, {"isp-box-instance", "true"}};
  return exchange("", std::move(request), nullptr);
}

Exchange ProbeSession::call(billing::dci6::RouteId route, const billing::dci6::PathParams& params,
                            const common::HeaderList& query, const Json* body) {
  const billing::dci6::Route& entry = endpoint_.routes.route(route);
  return send(billing::dci6::route_name(route), entry.method, endpoint_.routes.expand(route, params), query, body);
}

std::vector<LatencyRow> ProbeSession::latency() const {
  std::vector<LatencyRow> rows;
  for (const auto& [key, samples] : latency_us_) {
    std::vector<int64_t> sorted = samples;
    std::sort(sorted.begin(), sorted.end());
    rows.push_back({key, sorted.size(), percentile_ms(sorted, 0.50), percentile_ms(sorted, 0.95),
                    static_cast<double>(sorted.back()) / 1000.0});
  }
  return rows;
}

}  // namespace dcisim::certify
