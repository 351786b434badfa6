#include "mockdci/emulator.h"

#include <chrono>

#include "common/json_text.h"
#include "mockdci/access_log.h"
#include "mockdci/api_error.h"
#include "mockdci/auth.h"
#include "mockdci/emulator_core.h"
#include "mockdci/views.h"

namespace dcisim::mockdci {

using common::Error;
using common::HttpRequest;
using common::HttpResponse;
using common::Instant;

namespace {

// `path` is the canonical path (with /api), so that a fault under "/api/dci/v3/server" also hits
// a client calling "/dci/v3/server".
bool fault_applies(Model& model, const std::string& path) {
  Faults& faults = model.faults;
  if (faults.unavailable_remaining <= 0) return false;
  if (path.compare(0, faults.unavailable_path_prefix.size(), faults.unavailable_path_prefix) != 0) return false;
  --faults.unavailable_remaining;
  return true;
}

HttpResponse to_response(const common::Result<Reply>& result, const HttpRequest& request) {
  if (!result) return error_response(result.error(), result.error().kind == common::ErrorKind::not_found ? request.path : "");
  if (!result->text.empty()) {
    HttpResponse response;
    response.status = result->status;
    response.headers.emplace_back("Content-Type", "application/json");
    response.body = result->text;
    return response;
  }
  return json_response(result->status, result->body);
}

// What run_locked did: the handler's reply (unless a fault kept the request from DCImanager), and
// the fault rule that fired, if one did.
struct Outcome {
  common::Result<Reply> result = Error::internal("not run");
  std::optional<FaultRule> fault;
  bool handled = true;  // false: a fault answered before the change
};

common::Result<Reply> authenticate_and_run(EmulatorCore& core, const Route& route, Call& call, std::string& user) {
  if (route.access == Access::session || route.access == Access::admin) {
    common::Result<Caller> caller = authenticate(core.model, call.request, call.now);
    if (!caller) return caller.error();
    user = caller->email;
    if (route.access == Access::admin && !caller->admin) {
      return Error{common::ErrorKind::forbidden,
                   "forbidden: " + call.request.method + " " + call.request.path + " needs an @admin token"};
    }
    call.caller = *caller;
  }
  return route.handler(call);
}

// Authenticates and runs a matched route with the model locked; serialising the reply happens
// after the lock is released. `user` gets who called, for the journal.
Outcome run_locked(EmulatorCore& core, const Route& route, Call& call, const std::string& canonical_path, std::string& user) {
  std::lock_guard lock(core.mutex);
  core.settle_locked(call.now);
  Outcome out;
  bool faultable = route.access != Access::control && route.access != Access::open;
  if (faultable && fault_applies(core.model, canonical_path)) {
    out.result = Error{common::ErrorKind::unavailable, "Unavailable"};
    return out;
  }
  if (faultable) {
    out.fault = core.model.faults.rules.fire_request(call.request.method, canonical_path,
                                                     operation_of(route.method, route.pattern), core.model.faults.rng);
  }
  if (out.fault && !out.fault->applied) {
    out.handled = false;  // the request never reached DCImanager
    return out;
  }
  out.result = authenticate_and_run(core, route, call, user);
  return out;
}

// Routes, authenticates and runs one request. `user` gets who called, for the journal.
HttpResponse dispatch(EmulatorCore& core, const HttpRequest& request, Instant now, std::string& user, std::string& fault) {
  if (request.body.size() > core.options.max_body_bytes) return body_too_large_response(core.options.max_body_bytes);
  // HEAD is a GET whose body the socket server does not send (RFC 9110 §9.3.2).
  Router::Match match = core.router.match(request.method == "HEAD" ? std::string("GET") : request.method, request.path);
  if (match.route == nullptr) {
    if (!match.allowed_methods.empty()) return method_not_allowed_response(request.method, request.path, match.allowed_methods);
    return error_response(Error::not_found("unknown path " + request.path), request.path);
  }
  const Route& route = *match.route;
  Call call{request, std::move(match.params), Caller{}, now};
  if (route.access == Access::control) {
    if (common::Status s = check_control_token(core.options.control_token, request); !s) return error_response(s.error());
    user = "control";
  }
  if (!route.locks_model) return to_response(route.handler(call), request);
  Outcome outcome = run_locked(core, route, call, match.canonical_path, user);
  if (!outcome.fault) return to_response(outcome.result, request);
  fault = outcome.fault->describe();
  if (!outcome.handled) return fault_response(*outcome.fault, nullptr);
  HttpResponse real = to_response(outcome.result, request);
  return fault_response(*outcome.fault, &real);
}

}  // namespace

common::Result<std::unique_ptr<Emulator>> Emulator::create(EmulatorOptions options) {
  if (options.clock == nullptr) return Error::invalid("EmulatorOptions.clock is required");
  if (options.max_body_bytes == 0 || options.journal_capacity == 0) {
    return Error::invalid("EmulatorOptions: max_body_bytes and journal_capacity must be positive");
  }
  if (options.server_threads > kMaxServerThreads) {
    return Error::invalid("EmulatorOptions.server_threads: 0 (one per core) to " + std::to_string(kMaxServerThreads) +
                          ", got " + std::to_string(options.server_threads));
  }
  // An Inventory normally comes validated from parse_inventory; a hand-made one must at least name
  // an administrator and a deallocation pool with IPv4, which the model relies on.
  const Inventory& inventory = options.inventory;
  bool dealloc_ok = false;
  for (const PoolSpec& pool : inventory.ip_pools) {
    for (const NetworkSpec& net : pool.networks) {
      dealloc_ok = dealloc_ok || (pool.name == inventory.deallocation_pool && net.cidr.base.family == IpFamily::v4);
    }
  }
  if (!dealloc_ok || inventory.admin.email.empty()) {
    return Error::invalid("EmulatorOptions.inventory needs an admin and a deallocation pool with IPv4 "
                          "(build it with parse_inventory, load_inventory_file or generate_inventory)");
  }
  auto core = std::make_unique<EmulatorCore>(std::move(options));
  core->router.set_optional_prefix("/api");
  add_auth_routes(core->router, *core);
  add_auth_user_routes(core->router, *core);
  add_server_routes(core->router, *core);
  add_catalog_routes(core->router, *core);
  add_ipmgr_routes(core->router, *core);
  add_control_routes(core->router, *core);
  add_fault_routes(core->router, *core);
  add_public_routes(core->router, *core);
  for (const RouteAlias& alias : core->options.route_aliases) DCISIM_RETURN_IF_ERROR(core->router.apply_alias(alias));
  if (core->virtual_clock != nullptr) core->virtual_clock->subscribe(&core->operation_work);
  return std::unique_ptr<Emulator>(new Emulator(std::move(core)));
}

Emulator::Emulator(std::unique_ptr<EmulatorCore> core) : core_(std::move(core)) {}

Emulator::~Emulator() {
  stop();
  if (core_->virtual_clock != nullptr) core_->virtual_clock->unsubscribe(&core_->operation_work);
}

HttpResponse Emulator::handle(const HttpRequest& request) {
  common::Stopwatch stopwatch;  // how long the answer took, for the journal only
  Instant now = core_->options.clock->now();
  std::string user;
  std::string fault;
  HttpResponse response;
  try {
    response = dispatch(*core_, request, now, user, fault);
  } catch (const std::exception& e) {
    // The boundary: whatever a handler threw, the caller gets DCImanager's error JSON (500), and
    // the server stays up. Each such answer is a bug to fix where it was thrown.
    response = error_response(Error::internal("internal error answering " + request.method + " " +
                                              common::printable_utf8(request.path, 200) + ": " + e.what()));
  }
  JournalEntry entry{now, request.method, journal_target(request), response.status, stopwatch.elapsed_us(), std::move(user),
                     std::move(fault)};
  core_->journal.add(std::move(entry));
  return response;
}

common::HttpHandler Emulator::handler() {
  return [this](const HttpRequest& request) { return handle(request); };
}

common::Status Emulator::start(const std::string& host, int port, const TlsFiles* tls) {
  HttpServerOptions options;
  options.host = host;
  options.port = port;
  options.tls = tls;
  options.max_body_bytes = core_->options.max_body_bytes;
  options.threads = core_->options.server_threads;
  EmulatorCore* core = core_.get();
  // The handler journals what it answers; what the HTTP layer answered by itself (a limit, a
  // malformed request, a timeout) is journaled here, before the client has it, so that the
  // journal misses no answer. The access log hears of every answer once it is out.
  ExchangeObservers observers;
  observers.answered_by_server = [core](const ExchangeRecord& record) {
    core->journal.add({core->options.clock->now(), record.request.method, journal_target(record.request), record.status,
                       record.duration_us, ""});
  };
  if (core->options.access_log != nullptr) {
    observers.done = [log = core->options.access_log](const ExchangeRecord& record) { log->add(record); };
  }
  common::Status started = core_->server.start(options, handler(), std::move(observers));
  if (started) core_->host = host == "0.0.0.0" || host.empty() ? "127.0.0.1" : host;
  return started;
}

int Emulator::port() const { return core_->server.port(); }

std::string Emulator::base_url() const {
  if (!core_->server.running()) return "";
  return std::string(core_->server.tls() ? "https" : "http") + "://" + core_->host + ":" + std::to_string(core_->server.port());
}

void Emulator::stop() { core_->server.stop(); }

const std::string& Emulator::control_token() const { return core_->options.control_token; }

nlohmann::json Emulator::state() const {
  std::lock_guard lock(core_->mutex);
  Instant now = core_->options.clock->now();
  core_->settle_locked(now);
  return state_json(core_->model, now);  // built afresh: the reference the JSON cache is tested against
}

void Emulator::reset() {
  std::lock_guard lock(core_->mutex);
  core_->reset_locked();
}

std::vector<JournalEntry> Emulator::journal(size_t last_n) const { return core_->journal.last(last_n); }

}  // namespace dcisim::mockdci
