// Login and session checks: the route table's login, the other prefix, token reuse, an expired
// session told apart, and logging in again.
#include "certify/probes_internal.h"

namespace dcisim::certify::internal {

using dci6::RouteId;

namespace {

// "/api/auth/v4/public/token" <-> "/auth/v4/public/token".
std::string other_prefix(const std::string& path) {
  if (path.rfind("/api/", 0) == 0) return path.substr(4);
  return "/api" + path;
}

// Problems of a login answer, "" when it gives a usable token.
std::string login_problems(const Exchange& answer) {
  if (!answer.answered) return "no answer: " + answer.error;
  if (!answer.ok()) return "HTTP " + std::to_string(answer.status) + (answer.error_msg().empty() ? "" : ": " + answer.error_msg());
  std::string problems = problems_text(check_contract(answer.json, login_contract()), false);
  if (problems.empty() && !dci6::json_flag(answer.json, "confirmed", true)) {
    problems = "the token needs two-factor confirmation (\"confirmed\": false), which an integration user cannot give";
  }
  return problems;
}

}  // namespace

void Probes::login_checks() {
  const std::string path = session_.routes().route(RouteId::auth_token).path;
  Check login = begin("login", "login (" + session_.routes().describe(RouteId::auth_token) + ")",
                      "every call of the module runs on this session: without it billing cannot provision anything");
  Exchange answer = session_.login();
  note(login, answer, "auth.token");
  std::string problems = login_problems(answer);
  held(RouteId::auth_token, problems.empty(), answer.received());
  finish(login, problems.empty() ? CheckOutcome::pass : CheckOutcome::fail, problems);
  if (!problems.empty()) return;

  std::string other = other_prefix(path);
  bool with_api = other.rfind("/api/", 0) == 0;
  Check variant = begin("login", std::string("login ") + (with_api ? "with" : "without") + " the /api prefix (POST " + other + ")",
                        "DCImanager documents /api/<service>/...; public clients also call /<service>/...: both should "
                        "answer, billing uses the route table's");
  ProbeSession probe(session_.transport(), session_.endpoint());
  Exchange second = probe.login(other);
  note(variant, second, "auth.token (other prefix)");
  std::string variant_problems = login_problems(second);
  finish(variant, variant_problems.empty() ? CheckOutcome::pass : CheckOutcome::fail, variant_problems);

  Check reuse = begin("login", "token reuse", "the module logs in once and sends the same token with every call");
  Exchange first = session_.call(RouteId::server_configurations);
  Exchange again = session_.call(RouteId::server_configurations);
  note(reuse, first, "");
  note(reuse, again, "");
  bool reused = first.ok() && again.ok();
  finish(reuse, reused ? CheckOutcome::pass : CheckOutcome::fail,
         reused ? "" : "the second call with the same token answered " + again.received());

  Check expired = begin("login", "an expired session is recognised",
                        "the module logs in again (and repeats the call once) only on HTTP 401 or error code 1000; "
                        "any other answer to a dead token would fail the operation instead");
  Exchange dead = session_.send_with_token("dcisim-certify-expired-token", "GET",
                                           session_.routes().route(RouteId::server_configurations).path);
  note(expired, dead, "session expired");
  int code = dead.json.is_object() && dead.json.contains("error") && dead.json["error"].is_object()
                 ? static_cast<int>(dci6::json_int(dead.json["error"], "code"))
                 : static_cast<int>(dci6::json_int(dead.json, "code"));
  bool recognised = dead.answered && (dead.status == 401 || code == 1000);
  finish(expired, recognised ? CheckOutcome::pass : CheckOutcome::fail,
         recognised ? "" : "a dead token got " + dead.received() + " (expected HTTP 401 or error code 1000)");

  Check relogin = begin("login", "logging in again", "after a session failure the module logs in again: a second "
                                                     "login must give a working token");
  Exchange renewed = session_.login();
  note(relogin, renewed, "");
  Exchange after = session_.call(RouteId::server_configurations);
  note(relogin, after, "");
  bool works = login_problems(renewed).empty() && after.ok();
  finish(relogin, works ? CheckOutcome::pass : CheckOutcome::fail, works ? "" : "the new token got " + after.received());
}

}  // namespace dcisim::certify::internal
