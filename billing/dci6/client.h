// The DCImanager 6 API client: one administrator session over any common::HttpTransport (the
// httplib transport to a live system or the emulator's socket, or common::InMemoryTransport).
//
// - Logs in once (POST /api/auth/v4/public/token) and reuses the token, sent three ways on every
//   call: `x-xsrf-token`, `Cookie: ses6=...` and `isp-box-instance: true` (API.md §1).
// - On 401 (or DCImanager error code 1000) logs in again and repeats the call once, never twice.
// - Retries 503 at most `max_unavailable_retries` times with a growing, capped backoff, waiting
//   through Clock::wait_for (no time at all on the virtual clock).
// - Parses DCImanager's error JSON into an ApiError that keeps the status, code and msg.
// - Never puts the password, the token or a request body into a message or a trace.
//
// Routes come from the settings' RouteTable; paths are never written anywhere else.
#pragma once

#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "billing/dci6/api_error.h"
#include "billing/dci6/list_query.h"
#include "billing/dci6/routes.h"
#include "billing/dci6/settings.h"
#include "common/clock.h"
#include "common/http.h"

namespace dcisim::billing::dci6 {

// One request as sent, for logs: no headers, no body (they carry the token and passwords).
struct CallTrace {
  std::string method;
  std::string target;  // path and percent-encoded query
  int http_status = 0; // 0: no response
  int attempt = 1;     // 1 for the first send; 503 retries and the repeat after re-login count up
};
using TraceSink = std::function<void(const CallTrace&)>;

class Dci6Client {
 public:
  // `transport` and `clock` must outlive the client. Nothing is sent until the first call.
  Dci6Client(const Dci6Settings& settings, common::HttpTransport& transport, const common::Clock& clock);

  // Calls a route: the method is the route's; `body` is sent as JSON for POST ("{}" when null)
  // and for DELETE when given. A 2xx answer is parsed as JSON (an empty body reads as {}).
  ApiResult<Json> call(RouteId route, const PathParams& params = {}, const Json* body = nullptr,
                       const ListQuery& query = {});
  ApiResult<Json> get(RouteId route, const PathParams& params = {}, const ListQuery& query = {}) {
    return call(route, params, nullptr, query);
  }
  ApiResult<Json> post(RouteId route, const PathParams& params, const Json& body) {
    return call(route, params, &body);
  }

  // Every row of a collection matching `query` (its offset/size are ignored), page by page with
  // limit=offset,<list_page_size>, in the query's order. At most `max_rows` rows: more is an
  // error rather than an unbounded walk.
  ApiResult<std::vector<Json>> list_all(RouteId route, const PathParams& params, const ListQuery& query,
                                        size_t max_rows = 100'000);

  // Logs in now (calls log in by themselves when needed). Returns the login answer without its
  // token ({"id", "confirmed", "expires_at"}): the token never leaves the client.
  ApiResult<Json> login();
  // Forgets the token, as if it had expired on our side.
  void forget_token();

  // Receives every request sent (after the fact), e.g. for a request journal.
  void set_trace(TraceSink sink) { trace_ = std::move(sink); }
  const std::string& describe_target() const { return target_description_; }

 private:
  ApiResult<Json> call_locked(RouteId route, const PathParams& params, const Json* body, const ListQuery& query);
  ApiResult<Json> login_locked();
  // Sends, retrying 503 within the bound. Returns the last response, or the transport's error.
  common::Result<common::HttpResponse> send_with_retries(const common::HttpRequest& request);
  common::HttpRequest build(RouteId route, const PathParams& params, const Json* body, const ListQuery& query,
                            bool authenticated) const;

  const Dci6Settings settings_;  // a copy: the client does not depend on the caller keeping it
  common::HttpTransport& transport_;
  const common::Clock& clock_;
  std::string target_description_;
  TraceSink trace_;
  std::recursive_mutex mutex_;  // one call at a time: the token and its renewal are shared
  std::string token_;           // "" until logged in
};

// True when a response says the session is gone: HTTP 401, or DCImanager's error code 1000.
bool is_session_failure(const common::HttpResponse& response);

}  // namespace dcisim::billing::dci6
