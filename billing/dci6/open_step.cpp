#include "billing/dci6/open_step.h"

#include <algorithm>

#include "billing/dci6/json_fields.h"
#include "billing/dci6/module.h"
#include "billing/dci6/server_actions.h"
#include "common/http.h"

namespace dcisim::billing::dci6 {

namespace {

constexpr int64_t kMaxExtraAddresses = 64;  // per family, per order
constexpr size_t kMaxIssueCandidates = 8;    // servers tried per attempt before the next attempt

int64_t progress_int(const Json& progress, const std::string& key) { return json_int(progress, key); }

std::string in_quotes(const std::string& text) { return "\"" + text + "\""; }

}  // namespace

OpenStep::OpenStep(Dci6Client& client, const Dci6Settings& settings, const OpenOrder& order, const Json& progress,
                   OperationContext& context)
    : client_(client),
      settings_(settings),
      order_(order),
      progress_(progress.is_object() ? progress : Json::object()),
      context_(context),
      domain_(service_domain(order, settings)) {}

StepResult OpenStep::run() {
  if (auto stop = validate()) return *stop;
  if (auto stop = resolve_catalog()) return *stop;
  if (auto stop = ensure_user()) return *stop;
  if (auto stop = ensure_server()) return *stop;
  if (auto stop = add_extra_ips()) return *stop;
  if (auto stop = install_os()) return *stop;
  return poll_install();
}

StepResult OpenStep::finish(StepStatus status, std::string message) {
  StepResult result;
  result.status = status;
  result.progress = progress_;
  result.message = std::move(message);
  if (status == StepStatus::waiting) result.wake_at = context_.now() + settings_.poll_interval;
  return result;
}

StepResult OpenStep::from_error(const ApiError& error, const std::string& doing) {
  return finish(error.transient() ? StepStatus::retry : StepStatus::manual, doing + ": " + error.message);
}

std::optional<StepResult> OpenStep::checkpoint(const std::string& intent) {
  progress_["intent"] = intent;
  common::Status saved = context_.checkpoint(progress_);
  if (saved) return std::nullopt;
  return finish(StepStatus::retry, "not sent (" + intent + "): the progress could not be saved: " + saved.error().message);
}

std::optional<StepResult> OpenStep::validate() {
  std::string problem;
  if (order_.service_id <= 0) problem = "service_id must be positive";
  else if (order_.client_email.find('@') == std::string::npos) problem = "client e-mail " + in_quotes(order_.client_email) + " is not an e-mail address";
  else if (order_.location_id <= 0) problem = "location_id must be positive";
  else if (order_.configuration.empty()) problem = "the configuration is empty";
  else if (order_.os_template.empty()) problem = "no OS template (a server cannot be issued without an OS)";
  else if (order_.extra_ipv4 < 0 || order_.extra_ipv4 > kMaxExtraAddresses || order_.extra_ipv6 < 0 ||
           order_.extra_ipv6 > kMaxExtraAddresses) {
    problem = "extra addresses must be 0.." + std::to_string(kMaxExtraAddresses) + " per family";
  }
  if (problem.empty()) return std::nullopt;
  return finish(StepStatus::manual, "the order cannot be provisioned: " + problem);
}

std::optional<StepResult> OpenStep::resolve_catalog() {
  ListQuery by_id;
  by_id.orderby = "id asc";
  if (!progress_.contains("template_id")) {
    ApiResult<std::vector<Json>> templates = client_.list_all(RouteId::os_template_list, {}, by_id);
    if (!templates) return from_error(templates.error(), "listing OS templates");
    for (const Json& row : *templates) {
      if (json_text(row, "name") != order_.os_template) continue;
      progress_["template_id"] = json_int(row, "id");  // the first (lowest id) of that name
      break;
    }
    if (progress_int(progress_, "template_id") <= 0) {
      progress_.erase("template_id");
      return finish(StepStatus::manual, "OS template " + in_quotes(order_.os_template) + " is not known to DCImanager");
    }
  }
  if (order_.script.empty() || progress_.contains("script_id")) return std::nullopt;
  ApiResult<std::vector<Json>> scripts = client_.list_all(RouteId::script_list, {}, by_id);
  if (!scripts) return from_error(scripts.error(), "listing scripts");
  for (const Json& row : *scripts) {
    if (json_text(row, "name") != order_.script) continue;
    std::string access = json_text(row, "access");
    if (access != "all") {
      return finish(StepStatus::manual, "script " + in_quotes(order_.script) + " has access " + in_quotes(access) +
                                            ": only scripts with access \"all\" may be ordered");
    }
    progress_["script_id"] = json_int(row, "id");
    return std::nullopt;
  }
  return finish(StepStatus::manual, "script " + in_quotes(order_.script) + " is not known to DCImanager");
}

ApiResult<std::optional<int64_t>> OpenStep::find_user() {
  ListQuery query;
  query.where = where_eq("email", order_.client_email);
  query.orderby = "id asc";
  ApiResult<std::vector<Json>> users = client_.list_all(RouteId::user_list, {}, query);
  if (!users) return users.error();
  for (const Json& row : *users) {
    if (common::iequals(json_text(row, "email"), order_.client_email) && json_int(row, "id") > 0) {
      return std::optional<int64_t>(json_int(row, "id"));
    }
  }
  return std::optional<int64_t>();
}

std::optional<StepResult> OpenStep::ensure_user() {
  if (progress_int(progress_, "user_id") > 0) return std::nullopt;
  ApiResult<std::optional<int64_t>> found = find_user();
  if (!found) return from_error(found.error(), "looking up DCImanager user " + order_.client_email);
  if (!found->has_value()) {
    if (auto stop = checkpoint("create DCImanager user " + order_.client_email)) return stop;
    Json body = {{"email", order_.client_email},
                 {"full_name", order_.client_name.empty() ? order_.client_email : order_.client_name},
                 {"role", "@user"}};
    if (!order_.user_password.empty()) body["password"] = order_.user_password;
    ApiResult<Json> created = client_.post(RouteId::user_create, {}, body);
    if (created && json_int(*created, "id") > 0) {
      progress_["user_id"] = json_int(*created, "id");
      return std::nullopt;
    }
    // Refused (it may exist after all: a concurrent or lost create) or no id: look once more.
    found = find_user();
    if (!found || !found->has_value()) {
      return from_error(created ? ApiError{common::ErrorKind::internal, 200, 0, "", Json(), "no user id in the answer"}
                                : created.error(),
                        "creating DCImanager user " + order_.client_email);
    }
  }
  progress_["user_id"] = **found;
  return std::nullopt;
}

std::optional<StepResult> OpenStep::load_server() {
  int64_t server_id = progress_int(progress_, "server_id");
  ApiResult<Json> row = client_.get(RouteId::server_get, {{"id", server_id}});
  if (!row) return from_error(row.error(), "reading server " + std::to_string(server_id));
  server_ = read_server(*row);
  return std::nullopt;
}

std::optional<StepResult> OpenStep::ensure_server() {
  if (!json_flag(progress_, "issued", false)) {
    ApiResult<std::vector<ServerFacts>> held = servers_held_by(client_, order_.client_email, domain_);
    if (!held) return from_error(held.error(), "looking for the server this service already holds");
    if (held->size() > 1) {
      std::string ids;
      for (const ServerFacts& server : *held) ids += (ids.empty() ? "" : ", ") + std::to_string(server.id);
      return finish(StepStatus::manual, "servers " + ids + " all hold domain " + in_quotes(domain_) + " for " +
                                            order_.client_email + ": staff must decide which one the service keeps");
    }
    if (held->empty()) {
      if (auto stop = take_free_server()) return stop;
    } else {
      progress_["server_id"] = held->front().id;  // a previous attempt's issue took effect: adopt it
    }
    progress_["issued"] = true;
    progress_.erase("waiting_since_ms");
  }
  if (auto stop = load_server()) return stop;
  bool ours = server_.domain == domain_ &&
              (common::iequals(server_.owner_email, order_.client_email) ||
               (server_.owner.has_value() && *server_.owner == progress_int(progress_, "user_id")));
  if (!ours) {
    return finish(StepStatus::manual, "server " + std::to_string(server_.id) + ", issued to this service, is no longer "
                                      "held by it (owner " + in_quotes(server_.owner_email) + ", domain " +
                                      in_quotes(server_.domain) + ")");
  }
  // What the issue gave (the main addresses): extra IPs are counted on top of these.
  if (!progress_.contains("base_ipv4")) progress_["base_ipv4"] = count_addresses(server_, "ipv4");
  if (!progress_.contains("base_ipv6")) progress_["base_ipv6"] = count_addresses(server_, "ipv6");
  return std::nullopt;
}

std::string OpenStep::no_free_server_message() {
  std::string message = "no free server of configuration " + in_quotes(order_.configuration) + " in location " +
                        std::to_string(order_.location_id);
  if (settings_.by_server_type) return message;
  // "By server type" off: name the configurations that are free, so staff can issue a similar one.
  ApiResult<Json> configurations = client_.get(RouteId::server_configurations);
  if (!configurations || !json_member(*configurations, "list").is_array()) return message;
  std::string similar;
  size_t named = 0;
  for (const Json& row : json_member(*configurations, "list")) {
    int64_t free_count = json_int(row, "free_server_count");
    if (free_count <= 0 || named == 5) continue;
    similar += (similar.empty() ? "" : ", ") + json_text(row, "configuration") + " (" + std::to_string(free_count) + " free)";
    ++named;
  }
  if (!similar.empty()) message += "; staff may issue a similar server: " + similar;
  return message;
}

std::optional<StepResult> OpenStep::take_free_server() {
  ListQuery query;
  query.where = where_and({where_is_null("owner_email"), where_eq("is_new", false),
                           where_eq("configuration", order_.configuration), where_eq("location_id", order_.location_id)});
  query.orderby = "id asc";
  ApiResult<std::vector<Json>> rows = client_.list_all(RouteId::server_list, {}, query);
  if (!rows) return from_error(rows.error(), "looking for a free server");
  std::vector<ServerFacts> candidates;  // by id: the lowest id is tried first
  std::optional<ServerFacts> soon;
  for (const Json& row : *rows) {
    ServerFacts server = read_server(row);
    if (server.configuration != order_.configuration || server.location_id != order_.location_id) continue;
    if (available_for_sale(server)) candidates.push_back(server);
    if (!soon && becoming_available(server)) soon = server;
  }
  if (candidates.empty() && soon) {
    // A released server is still in diagnostics: wait for it rather than open a task at once.
    common::Instant now = context_.now();
    if (!progress_.contains("waiting_since_ms")) progress_["waiting_since_ms"] = now.unix_ms();
    if (now - common::Instant::from_unix_ms(progress_int(progress_, "waiting_since_ms")) <= settings_.operation_timeout) {
      return finish(StepStatus::waiting, "waiting for server " + std::to_string(soon->id) + " of configuration " +
                                             in_quotes(order_.configuration) + " to finish its operation");
    }
  }
  if (candidates.empty()) return finish(StepStatus::manual, no_free_server_message());

  int64_t user_id = progress_int(progress_, "user_id");
  // Servers DCImanager refused on an earlier attempt are not asked again (it would refuse again).
  auto refused_before = [this](int64_t id) {
    const Json& ids = json_member(progress_, "refused_server_ids");
    return ids.is_array() && std::find(ids.begin(), ids.end(), Json(id)) != ids.end();
  };
  std::string refusals;  // DCImanager's answers, for people
  size_t tried = 0;
  size_t untried = 0;
  for (const ServerFacts& candidate : candidates) {
    if (refused_before(candidate.id)) continue;
    if (tried == kMaxIssueCandidates) {
      ++untried;
      continue;
    }
    ++tried;
    progress_["server_id"] = candidate.id;
    progress_["issued"] = false;
    std::string intent = "issue server " + std::to_string(candidate.id) + " to DCImanager user " +
                         std::to_string(user_id) + " with domain " + domain_;
    if (auto stop = checkpoint(intent)) return stop;
    ApiResult<Json> issued = client_.post(RouteId::server_issue, {{"id", candidate.id}}, {{"owner", user_id}, {"domain", domain_}});
    if (issued) return std::nullopt;
    const ApiError& error = issued.error();
    if (error.kind == common::ErrorKind::forbidden) return from_error(error, intent);
    // No answer, or DCImanager unwell: it may have taken effect, and the next attempt looks for
    // the server first.
    if (error.transient()) return finish(StepStatus::retry, intent + ": " + error.message);
    // A refusal may answer our own issue repeated (its first answer was lost and the client
    // sent it again, or a re-login repeated it): the server then holds our client and domain.
    ApiResult<Json> seen = client_.get(RouteId::server_get, {{"id", candidate.id}});
    if (seen) {
      ServerFacts now = read_server(*seen);
      if (now.domain == domain_ && common::iequals(now.owner_email, order_.client_email)) return std::nullopt;
    }
    // A definite refusal of this server (taken meanwhile, busy, its pool exhausted): the next one.
    refusals += (refusals.empty() ? "" : "; ") + error.message;
    progress_["refused_server_ids"].push_back(candidate.id);
  }
  if (untried > 0) {
    return finish(StepStatus::retry, std::to_string(tried) + " free servers refused (" + refusals + "); " +
                                         std::to_string(untried) + " more to try on the next attempt");
  }
  progress_.erase("server_id");
  progress_.erase("issued");
  progress_.erase("refused_server_ids");  // a later attempt (after staff act) asks them all again
  return finish(StepStatus::manual, "no free server of configuration " + in_quotes(order_.configuration) +
                                        " in location " + std::to_string(order_.location_id) + " could be issued: " +
                                        (refusals.empty() ? "every one was refused on an earlier attempt" : refusals));
}

std::optional<StepResult> OpenStep::add_extra_ips() {
  if (progress_.contains("install")) return std::nullopt;  // addresses were settled before the install
  bool added = false;
  for (const std::string family : {"ipv4", "ipv6"}) {
    int64_t extra = family == "ipv4" ? order_.extra_ipv4 : order_.extra_ipv6;
    int64_t wanted = progress_int(progress_, "base_" + family) + extra;
    int64_t have = count_addresses(server_, family);
    for (int64_t round = 0; have < wanted && round < kMaxExtraAddresses; ++round) {
      std::string intent = "add an extra " + family + " address to server " + std::to_string(server_.id) + " (" +
                           std::to_string(have) + " of " + std::to_string(wanted) + ")";
      if (auto stop = checkpoint(intent)) return stop;
      ApiResult<Json> ip = client_.post(RouteId::server_ip_add, {{"id", server_.id}}, {{"family", family}});
      if (!ip) return from_error(ip.error(), intent);
      ++have;
      added = true;
    }
  }
  return added ? load_server() : std::nullopt;
}

std::optional<StepResult> OpenStep::install_os() {
  Json install = json_member(progress_, "install").is_object() ? progress_["install"] : Json::object();
  if (!install.empty() && !json_flag(install, "reinstall", false)) {
    if (json_flag(install, "confirmed", false)) return std::nullopt;
    // The send's answer was lost: a new operation on the server means it took effect.
    if (server_.operation_id != json_int(install, "before_operation_id")) {
      install["confirmed"] = true;
      progress_["install"] = install;
      return std::nullopt;
    }
  }
  install["failures"] = json_int(install, "failures");
  install["before_operation_id"] = server_.operation_id;
  install["started_at_ms"] = context_.now().unix_ms();
  install["confirmed"] = false;
  install["reinstall"] = false;
  progress_["install"] = install;
  std::string intent = "install " + in_quotes(order_.os_template) + " on server " + std::to_string(server_.id);
  if (auto stop = checkpoint(intent)) return stop;
  Json body = {{"os_template", progress_int(progress_, "template_id")}, {"password", order_.root_password}, {"domain", domain_}};
  if (progress_int(progress_, "script_id") > 0) body["script"] = progress_int(progress_, "script_id");
  ApiResult<Json> started = client_.post(RouteId::server_install_os, {{"id", server_.id}}, body);
  if (!started) return from_error(started.error(), intent);
  progress_["install"]["confirmed"] = true;
  return finish(StepStatus::waiting, "OS install started on server " + std::to_string(server_.id));
}

StepResult OpenStep::poll_install() {
  Json& install = progress_["install"];
  std::string server = "server " + std::to_string(server_.id);
  bool started = server_.operation_id != json_int(install, "before_operation_id");
  const std::string& status = server_.operation_status;
  if (started && status == "ok") {
    progress_["intent"] = "done";
    StepResult result = finish(StepStatus::done, "");
    result.opened = OpenedServer{server_.id, progress_int(progress_, "user_id"), server_.name, server_.addresses};
    return result;
  }
  if (started && (status == "failed" || status == "canceled")) {
    int64_t failures = json_int(install, "failures") + 1;
    install["failures"] = failures;
    std::string what = "OS install on " + server + " " + status + (server_.operation_info.empty() ? "" : " (" + server_.operation_info + ")");
    if (failures >= settings_.max_install_attempts) {
      return finish(StepStatus::manual, what + "; " + std::to_string(failures) + " failed attempts, giving up");
    }
    install["reinstall"] = true;
    return finish(StepStatus::retry, what + "; it will be installed again");
  }
  common::Instant started_at = common::Instant::from_unix_ms(json_int(install, "started_at_ms"));
  if (context_.now() - started_at > settings_.operation_timeout) {
    return finish(StepStatus::manual, "OS install on " + server + " has not finished after " +
                                          common::format_duration(settings_.operation_timeout));
  }
  return finish(StepStatus::waiting, "OS install on " + server + " is " + (started ? status : std::string("not started yet")));
}

}  // namespace dcisim::billing::dci6
