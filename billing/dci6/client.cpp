#include "billing/dci6/client.h"

#include <algorithm>

#include "billing/dci6/json_fields.h"
#include "common/json_input.h"
#include "common/json_text.h"

namespace dcisim::billing::dci6 {

namespace {

constexpr int kSessionExpiredCode = 1000;  // "unauthorized" in the ISPsystem platform family [CODE]

std::string what_of(const common::HttpRequest& request) { return request.method + " " + request.path; }

ApiError no_response(const common::Error& error) {
  ApiError out;
  out.kind = common::ErrorKind::io;
  out.message = error.message;
  return out;
}

ApiError unreadable(int http_status, const std::string& what, const std::string& problem) {
  ApiError out;
  out.kind = common::ErrorKind::internal;
  out.http_status = http_status;
  out.message = what + ": HTTP " + std::to_string(http_status) + ": " + problem;
  return out;
}

// A 2xx body as JSON ({} when empty), or an error saying the body was not JSON.
ApiResult<Json> parse_success(const common::HttpResponse& response, const std::string& what) {
  if (response.body.empty()) return Json::object();
  common::Result<Json> parsed = common::parse_json_text(response.body, "the response body", false);
  if (!parsed) return unreadable(response.status, what, "the response body is not JSON (" + parsed.error().message + ")");
  return std::move(parsed).value();
}

}  // namespace

bool is_session_failure(const common::HttpResponse& response) {
  if (response.status == 401) return true;
  if (response.status < 400) return false;
  ApiError error = parse_api_error(response.status, response.body, "");
  return error.code == kSessionExpiredCode;
}

Dci6Client::Dci6Client(const Dci6Settings& settings, common::HttpTransport& transport, const common::Clock& clock)
    : settings_(settings), transport_(transport), clock_(clock), target_description_(transport.describe()) {}

common::HttpRequest Dci6Client::build(RouteId route, const PathParams& params, const Json* body,
                                      const ListQuery& query, bool authenticated) const {
  const Route& entry = settings_.routes.route(route);
  common::HttpRequest request;
  request.method = entry.method;
  request.path = settings_.routes.expand(route, params);
  request.query = query.parameters();
  request.headers.emplace_back("Accept", "application/json");
  if (authenticated) {
    request.headers.emplace_back("x-xsrf-token", token_);
    request.headers.emplace_back("Cookie", "ses6=" + token_);
    request.headers.emplace_back("isp-box-instance", "true");
  }
  if (body != nullptr || entry.method == "POST") {
    request.body = body != nullptr ? common::json_text(*body) : "{}";
    request.headers.emplace_back("Content-Type", "application/json");
  }
  return request;
}

common::Result<common::HttpResponse> Dci6Client::send_with_retries(const common::HttpRequest& request) {
  common::Duration backoff = settings_.retry_backoff_start;
  for (int attempt = 1;; ++attempt) {
    common::Result<common::HttpResponse> response = transport_.send(request);
    if (trace_) trace_(CallTrace{request.method, request.target(), response ? response->status : 0, attempt});
    bool again = response && (response->status == 503 || response->status == 429);
    if (!again || attempt > settings_.max_unavailable_retries) return response;
    // 429: the server says when (Retry-After, in seconds); never longer than the backoff cap.
    common::Duration wait = backoff;
    if (const std::string* after = response->header("Retry-After"); after != nullptr && response->status == 429) {
      int64_t seconds = 0;
      for (char c : *after) seconds = c >= '0' && c <= '9' && seconds < 86'400 ? seconds * 10 + (c - '0') : seconds;
      wait = std::max(wait, common::Duration::seconds(seconds));
    }
    clock_.wait_for(std::min(wait, settings_.retry_backoff_cap));
    backoff = std::min(backoff * 2, settings_.retry_backoff_cap);
  }
}

ApiResult<Json> Dci6Client::login() {
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  ApiResult<Json> answer = login_locked();
  if (answer) answer->erase("token");
  return answer;
}

void Dci6Client::forget_token() {
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  token_.clear();
}

ApiResult<Json> Dci6Client::login_locked() {
  token_.clear();
  Json credentials = {{"email", settings_.admin_email}, {"password", settings_.admin_password}};
  common::HttpRequest request = build(RouteId::auth_token, {}, &credentials, {}, false);
  std::string what = "log in as " + settings_.admin_email + " (" + what_of(request) + ")";
  common::Result<common::HttpResponse> response = send_with_retries(request);
  if (!response) return no_response(response.error());
  if (response->status < 200 || response->status >= 300) {
    ApiError error = parse_api_error(response->status, response->body, what);
    // A refused login is an authentication problem whatever the status (400 wrong password, 403 IP).
    if (error.kind == common::ErrorKind::invalid_argument) error.kind = common::ErrorKind::unauthorized;
    return error;
  }
  ApiResult<Json> body = parse_success(*response, what);
  if (!body) return body;
  if (json_text(*body, "token").empty()) {
    return unreadable(response->status, what, "the answer has no \"token\"");
  }
  if (!json_flag(*body, "confirmed", true)) {
    ApiError error = unreadable(response->status, what, "the token needs two-factor confirmation, "
                                                        "which an integration user cannot give");
    error.kind = common::ErrorKind::forbidden;
    return error;
  }
  token_ = json_text(*body, "token");
  return body;
}

ApiResult<Json> Dci6Client::call(RouteId route, const PathParams& params, const Json* body, const ListQuery& query) {
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  return call_locked(route, params, body, query);
}

ApiResult<Json> Dci6Client::call_locked(RouteId route, const PathParams& params, const Json* body,
                                        const ListQuery& query) {
  if (token_.empty()) {
    ApiResult<Json> logged_in = login_locked();
    if (!logged_in) return logged_in.error();
  }
  common::HttpRequest request = build(route, params, body, query, true);
  common::Result<common::HttpResponse> response = send_with_retries(request);
  if (response && is_session_failure(*response)) {
    // The session expired (or the server restarted): log in again and repeat the call once.
    ApiResult<Json> logged_in = login_locked();
    if (!logged_in) return logged_in.error();
    request = build(route, params, body, query, true);
    response = send_with_retries(request);
  }
  if (!response) return no_response(response.error());
  std::string what = what_of(request);
  if (response->status < 200 || response->status >= 300) {
    ApiError error = parse_api_error(response->status, response->body, what);
    if (is_session_failure(*response)) error.kind = common::ErrorKind::unauthorized;
    if (response->status == 503) {
      error.message += " (still unavailable after " + std::to_string(settings_.max_unavailable_retries) + " retries)";
    }
    return error;
  }
  return parse_success(*response, what);
}

ApiResult<std::vector<Json>> Dci6Client::list_all(RouteId route, const PathParams& params, const ListQuery& query,
                                                  size_t max_rows) {
  std::vector<Json> rows;
  ListQuery page = query;
  page.size = settings_.list_page_size;
  for (int64_t offset = 0;; offset += settings_.list_page_size) {
    page.offset = offset;
    ApiResult<Json> answer = get(route, params, page);
    if (!answer) return answer.error();
    if (!json_member(*answer, "list").is_array()) {
      return unreadable(200, settings_.routes.describe(route), "expected {\"list\": [...]}");
    }
    const Json& list = (*answer)["list"];
    for (const Json& row : list) rows.push_back(row);
    if (rows.size() > max_rows) {
      return unreadable(200, settings_.routes.describe(route),
                        "more than " + std::to_string(max_rows) + " rows; refusing to read further");
    }
    const Json& size = json_member(*answer, "size");
    int64_t total = size.is_number_integer() ? size.get<int64_t>() : -1;
    bool short_page = static_cast<int64_t>(list.size()) < settings_.list_page_size;
    if (short_page || list.empty() || (total >= 0 && offset + settings_.list_page_size >= total)) break;
  }
  return rows;
}

}  // namespace dcisim::billing::dci6
