#include "billing/dci6/module.h"

#include "billing/dci6/http_transport.h"
#include "billing/dci6/json_fields.h"
#include "billing/dci6/open_step.h"
#include "billing/dci6/server_actions.h"

namespace dcisim::billing::dci6 {

namespace {

Json progress_object(const Json& progress) { return progress.is_object() ? progress : Json::object(); }

StepResult step(StepStatus status, Json progress, std::string message) {
  StepResult result;
  result.status = status;
  result.progress = std::move(progress);
  result.message = std::move(message);
  return result;
}

// A failed call in suspend/resume/close: worth retrying, or for people to look at.
StepResult step_from_error(const ApiError& error, Json progress) {
  return step(error.transient() ? StepStatus::retry : StepStatus::manual, std::move(progress), error.message);
}

bool manages_ports(SuspensionMode mode) { return mode != SuspensionMode::power; }
bool manages_power(SuspensionMode mode) { return mode != SuspensionMode::port; }

}  // namespace

std::string service_domain(const OpenOrder& order, const Dci6Settings& settings) {
  if (!order.domain.empty()) return order.domain;
  return "service-" + std::to_string(order.service_id) + "." + settings.domain_suffix;
}

Dci6Module::Dci6Module(Dci6Settings settings, common::HttpTransport& transport, const common::Clock& clock)
    : settings_(std::move(settings)), client_(settings_, transport, clock) {}

Dci6Module::Dci6Module(Dci6Settings settings, std::unique_ptr<common::HttpTransport> owned, const common::Clock& clock)
    : settings_(std::move(settings)), owned_transport_(std::move(owned)), client_(settings_, *owned_transport_, clock) {}

common::Result<std::unique_ptr<Dci6Module>> Dci6Module::connect(Dci6Settings settings, const common::Clock& clock) {
  HttpTransportOptions options;
  options.base_url = settings.base_url;
  options.ca_file = settings.ca_file;
  options.insecure = settings.insecure;
  options.connect_timeout = settings.connect_timeout;
  options.read_timeout = settings.read_timeout;
  options.keep_alive = settings.keep_alive;
  common::Result<std::unique_ptr<HttplibTransport>> transport = HttplibTransport::create(options);
  if (!transport) return transport.error();
  return std::unique_ptr<Dci6Module>(new Dci6Module(std::move(settings), std::move(transport).value(), clock));
}

StepResult Dci6Module::open(const OpenOrder& order, const Json& progress, OperationContext& context) {
  OpenStep open_step(client_, settings_, order, progress, context);
  return open_step.run();
}

StepResult Dci6Module::suspend(const RemoteService& service, const Json& progress, OperationContext& context) {
  return switch_service(service, progress, context, false);
}

StepResult Dci6Module::resume(const RemoteService& service, const Json& progress, OperationContext& context) {
  return switch_service(service, progress, context, true);
}

// Suspend (active = false): ports down, then power off. Resume: power on, then ports up. Each part
// is skipped when the server is already there, so a repeated step changes nothing twice.
StepResult Dci6Module::switch_service(const RemoteService& service, const Json& progress_in, OperationContext& context,
                                      bool active) {
  Json progress = progress_object(progress_in);
  if (!progress.contains("started_at_ms")) progress["started_at_ms"] = context.now().unix_ms();
  ServerActions actions(client_, [&](const std::string& intent) {
    progress["intent"] = intent;
    return context.checkpoint(progress);
  });
  ApiResult<ServerFacts> server = actions.load(service.server_id);
  if (!server) return step_from_error(server.error(), progress);
  if (std::string foreign = holder_mismatch(*server, service.client_email, service.domain); !foreign.empty()) {
    return step(StepStatus::manual, progress, foreign + ": not " + (active ? "resumed" : "suspended"));
  }
  // Something under way on DCImanager's side (a suspension, a power change): look again later,
  // up to the operation timeout.
  auto wait_for = [&](const std::string& detail) {
    common::Instant started = common::Instant::from_unix_ms(json_int(progress, "started_at_ms"));
    if (context.now() - started > settings_.operation_timeout) {
      return step(StepStatus::manual, progress, detail + " for longer than " + common::format_duration(settings_.operation_timeout));
    }
    StepResult waiting = step(StepStatus::waiting, progress, detail);
    waiting.wake_at = context.now() + settings_.poll_interval;
    return waiting;
  };
  if (manages_power(service.mode) && active) {
    ApiResult<ChangeOutcome> power = actions.set_power(*server, true, true);
    if (!power) return step_from_error(power.error(), progress);
    if (power->transitional) return wait_for(power->detail);
  }
  if (manages_ports(service.mode)) {
    ApiResult<ChangeOutcome> ports = actions.set_ports(*server, active);
    if (!ports) return step_from_error(ports.error(), progress);
    if (ports->transitional) return wait_for(ports->detail);
  }
  if (manages_power(service.mode) && !active) {
    ApiResult<ChangeOutcome> power = actions.set_power(*server, false, false);
    if (!power) return step_from_error(power.error(), progress);
    if (power->transitional) return wait_for(power->detail);
  }
  progress["intent"] = "done";
  return step(StepStatus::done, progress, "");
}

// The open's progress names a server from the moment it is about to be issued (see OpenStep), and
// loses it again only when every candidate was refused.
bool Dci6Module::may_hold_server(const Json& open_progress) const {
  return open_progress.is_object() && open_progress.contains("server_id");
}

namespace {

bool owned_by_someone(const ServerFacts& server) { return server.owner.has_value() || !server.owner_email.empty(); }

bool same_holder(const Json& released, const ServerFacts& server) {
  return json_text(released, "owner_email") == server.owner_email && json_text(released, "domain") == server.domain &&
         json_int(released, "owner") == server.owner.value_or(0);
}

}  // namespace

// Release: sent once the server is known to be ours, then watched until DCImanager has let it go
// (a release may take a while: the server shows `releasing` and keeps its owner meanwhile). A lost
// answer is never a second release of somebody else's server: a refusal, or a server found free or
// held by another after our release, ends the close.
StepResult Dci6Module::close(const RemoteService& service, const Json& progress_in, OperationContext& context) {
  if (service.server_id <= 0) return close_by_holder(service, progress_in, context);
  Json progress = progress_object(progress_in);
  if (!progress.contains("started_at_ms")) progress["started_at_ms"] = context.now().unix_ms();
  std::string label = "server " + std::to_string(service.server_id);
  ApiResult<Json> row = client_.get(RouteId::server_get, {{"id", service.server_id}});
  if (!row && row.error().kind == common::ErrorKind::not_found) {
    return step(StepStatus::done, progress, label + " no longer exists");
  }
  if (!row) return step_from_error(row.error(), progress);
  ServerFacts server = read_server(*row);
  if (!owned_by_someone(server)) return step(StepStatus::done, progress, label + " is already released");
  if (const Json& released = json_member(progress, "release"); released.is_object()) {
    // An earlier attempt sent the release: if the server now has another holder, ours is gone.
    if (!same_holder(released, server)) return step(StepStatus::done, progress, label + " was released and now has another holder");
    if (server.state == "releasing") return wait_for_release(server, progress, context);
    // Still ours and not releasing: that release never reached DCImanager. Send it again.
  } else if (std::string foreign = holder_mismatch(server, service.client_email, service.domain); !foreign.empty()) {
    // Never release a server this service does not hold: staff decide whose it is.
    return step(StepStatus::manual, progress, foreign + ": not released");
  }
  progress["release"] = {{"owner", server.owner.value_or(0)}, {"owner_email", server.owner_email}, {"domain", server.domain}};
  progress["intent"] = "release " + label + " from " + server.owner_email;
  if (common::Status saved = context.checkpoint(progress); !saved) {
    return step(StepStatus::retry, progress, "not sent (release " + label + "): " + saved.error().message);
  }
  ApiResult<Json> released = client_.call(RouteId::server_release, {{"id", service.server_id}});
  if (!released && released.error().kind == common::ErrorKind::not_found) {
    return step(StepStatus::done, progress, label + " no longer exists");
  }
  if (!released && released.error().transient()) return step_from_error(released.error(), progress);
  // Refused, or accepted: how the server looks now decides (a refusal may answer our own release
  // repeated after its first answer was lost).
  ApiResult<Json> after = client_.get(RouteId::server_get, {{"id", service.server_id}});
  if (!after) return step_from_error(after.error(), progress);
  ServerFacts now = read_server(*after);
  if (!owned_by_someone(now)) {
    progress["intent"] = "done";
    return step(StepStatus::done, progress, "");
  }
  if (!same_holder(progress["release"], now)) return step(StepStatus::done, progress, label + " was released and now has another holder");
  if (!released) return step_from_error(released.error(), progress);
  return wait_for_release(now, progress, context);
}

StepResult Dci6Module::wait_for_release(const ServerFacts& server, Json& progress, OperationContext& context) {
  common::Instant started = common::Instant::from_unix_ms(json_int(progress, "started_at_ms"));
  std::string what = "server " + std::to_string(server.id) + " is " + (server.state.empty() ? "still held" : server.state);
  if (context.now() - started > settings_.operation_timeout) {
    return step(StepStatus::manual, progress, what + " for longer than " + common::format_duration(settings_.operation_timeout));
  }
  StepResult waiting = step(StepStatus::waiting, progress, what);
  waiting.wake_at = context.now() + settings_.poll_interval;
  return waiting;
}

// A service that never recorded its server (staff canceled its open after the issue was sent):
// release whatever its client holds under its domain. Found afresh at every attempt, so a lost
// answer is never a second release and a server released meanwhile is simply not found.
StepResult Dci6Module::close_by_holder(const RemoteService& service, const Json& progress_in, OperationContext& context) {
  constexpr size_t kMaxReleases = 4;  // servers under one service's domain (more is for staff)
  Json progress = progress_object(progress_in);
  std::string holder = service.client_email + " (domain " + service.domain + ")";
  if (service.client_email.empty() || service.domain.empty()) {
    return step(StepStatus::manual, progress, "service " + std::to_string(service.service_id) +
                                                  " names no server, and no client e-mail and domain to find it by");
  }
  ApiResult<std::vector<ServerFacts>> held = servers_held_by(client_, service.client_email, service.domain);
  if (!held) return step_from_error(held.error(), progress);
  if (held->size() > kMaxReleases) {
    return step(StepStatus::manual, progress, std::to_string(held->size()) + " servers are held by " + holder +
                                                  ": staff must release them");
  }
  std::string released;
  for (const ServerFacts& server : *held) {
    RemoteService one = service;
    one.server_id = server.id;
    StepResult closed = close(one, progress, context);  // the same checkpoint and release as any close
    if (closed.status != StepStatus::done) return closed;
    progress = std::move(closed.progress);
    released += (released.empty() ? "released server " : ", ") + std::to_string(server.id);
  }
  return step(StepStatus::done, progress, released.empty() ? "no server is held by " + holder : released + " from " + holder);
}

}  // namespace dcisim::billing::dci6
