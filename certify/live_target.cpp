#include "certify/live_target.h"

#include <algorithm>
#include <set>

#include "billing/dci6/json_fields.h"
#include "billing/dci6/server_actions.h"
#include "certify/cleanup.h"
#include "certify/safety_net.h"

namespace dcisim::certify {

namespace dci6 = billing::dci6;
using common::Error;
using common::Result;
using common::Status;
using dci6::RouteId;

namespace {

Status no_checkpoint(const std::string&) { return Status::success(); }

std::string names_of(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : ", ") + name;
  return out.empty() ? "none" : out;
}

bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// Why a free server is not for sale, for the error naming it.
std::string not_for_sale(const dci6::ServerFacts& server) {
  if (server.owner.has_value() || !server.owner_email.empty()) {
    return "it is held by " + (server.owner_email.empty() ? "user " + std::to_string(server.owner.value_or(0)) : server.owner_email);
  }
  if (server.maintenance) return "it is in maintenance";
  if (server.diagnostics_running || server.operation_status == "running") return "an operation is running on it";
  if (server.is_new) return "it is new (not yet diagnosed)";
  return "its last operation ended " + server.operation_status;
}

Result<std::vector<Json>> list(dci6::Dci6Client& client, RouteId route) {
  dci6::ListQuery by_id;
  by_id.orderby = "id asc";
  dci6::ApiResult<std::vector<Json>> rows = client.list_all(route, {}, by_id);
  if (!rows) return rows.error().to_error();
  return std::move(rows).value();
}

// The first step of the scenario that needs the emulator, as a skip reason; "" when none.
std::string emulator_only_step(const scenarios::Scenario& scenario) {
  for (const scenarios::Step& step : scenario.steps) {
    std::string at = " (" + step.origin.pointer + ")";
    if (std::holds_alternative<scenarios::FaultStep>(step.body)) {
      return "injects a fault" + at + ": faults are the emulator's";
    }
    if (std::holds_alternative<scenarios::PanelStep>(step.body)) {
      return "acts in the panel" + at + ": operator actions are the emulator's";
    }
    if (const auto* expect = std::get_if<scenarios::ExpectStep>(&step.body)) {
      if (!expect->free.empty()) return "expects free server counts" + at + ", which a live system is not asked";
      if (!expect->pools.empty()) return "expects IP pool usage" + at + ", which a live system is not asked";
      if (expect->server && expect->server->pool) return "expects the addresses' pool" + at + ", which a live system is not asked";
      if (!expect->requests.empty()) return "expects requests in the emulator's journal" + at;
    }
  }
  return "";
}

}  // namespace

LiveTarget::LiveTarget(LiveTargetOptions options, std::unique_ptr<Ledger> ledger)
    : options_(std::move(options)), ledger_(std::move(ledger)) {}

Result<std::unique_ptr<LiveTarget>> LiveTarget::open(LiveTargetOptions options) {
  DCISIM_ASSIGN_OR_RETURN(std::unique_ptr<common::HttpTransport> transport, connect_endpoint(options.endpoint));
  common::RealClock clock;
  dci6::Dci6Client client(certify::module_settings(options.endpoint), *transport, clock);
  dci6::ApiResult<Json> login = client.login();
  if (!login) {
    return Error::invalid("cannot log in to " + options.endpoint.url + " as " + options.endpoint.email + ": " +
                          login.error().message);
  }
  dci6::ServerActions actions(client, no_checkpoint);
  std::vector<ServerBefore> before;
  std::string configuration;
  int64_t servers_location = 0;
  for (int64_t id : options.allowed_servers) {
    std::string label = "--allow-server " + std::to_string(id);
    dci6::ApiResult<dci6::ServerFacts> server = actions.load(id);
    if (!server) return Error::invalid(label + ": " + server.error().message);
    if (!dci6::available_for_sale(*server)) {
      return Error::invalid(label + ": server " + std::to_string(id) + " is not for sale (" + not_for_sale(*server) +
                            "); name only free servers");
    }
    if (!configuration.empty() && server->configuration != configuration) {
      return Error::invalid(label + ": its configuration " + server->configuration + " differs from " + configuration +
                            " (name servers of one configuration)");
    }
    if (servers_location != 0 && server->location_id != servers_location) {
      return Error::invalid(label + ": it is in another location than the other allowed servers");
    }
    configuration = server->configuration;
    servers_location = server->location_id;
    before.push_back({id, server->owner_email, server->power, server->state, dci6::data_ports_up(*server)});
  }

  DCISIM_ASSIGN_OR_RETURN(std::vector<Json> locations, list(client, RouteId::location_list));
  int64_t location_id = 0;
  std::string location_name;
  std::vector<std::string> names;
  for (const Json& row : locations) {
    std::string name = dci6::json_text(row, "name");
    names.push_back(name);
    bool wanted = options.location.empty() ? (servers_location == 0 ? location_id == 0 : dci6::json_int(row, "id") == servers_location)
                                           : name == options.location;
    if (wanted) {
      location_id = dci6::json_int(row, "id");
      location_name = name;
    }
  }
  if (location_id == 0) {
    return Error::invalid(options.location.empty() ? "DCImanager lists no location"
                                                   : "--location " + options.location + ": no such location (DCImanager has: " +
                                                         names_of(names) + ")");
  }
  if (servers_location != 0 && servers_location != location_id) {
    return Error::invalid("--allow-server: the allowed servers are not in location " + location_name);
  }

  LedgerHeader header{options.endpoint.url, options.endpoint.email, "run --target live", options.seed,
                      options.endpoint.routes.overrides()};
  DCISIM_ASSIGN_OR_RETURN(std::unique_ptr<Ledger> ledger, Ledger::create(options.ledger_path, header));
  for (const ServerBefore& server : before) DCISIM_RETURN_IF_ERROR(ledger->record_server(server));
  std::unique_ptr<LiveTarget> target(new LiveTarget(std::move(options), std::move(ledger)));
  target->location_id_ = location_id;
  target->location_name_ = location_name;
  target->configuration_ = configuration;
  DCISIM_RETURN_IF_ERROR(target->read_catalog(client));
  return target;
}

Status LiveTarget::read_catalog(dci6::Dci6Client& client) {
  DCISIM_ASSIGN_OR_RETURN(std::vector<Json> templates, list(client, RouteId::os_template_list));
  for (const Json& row : templates) os_templates_.push_back(dci6::json_text(row, "name"));
  DCISIM_ASSIGN_OR_RETURN(std::vector<Json> scripts, list(client, RouteId::script_list));
  for (const Json& row : scripts) scripts_.push_back(dci6::json_text(row, "name"));
  return Status::success();
}

std::string LiveTarget::describe() const {
  size_t n = options_.allowed_servers.size();
  return options_.endpoint.url + ", location " + location_name_ + " (" + std::to_string(location_id_) + "), " +
         std::to_string(n) + (n == 1 ? " allowed server" : " allowed servers") +
         (configuration_.empty() ? "" : " (" + configuration_ + ")") + ", ledger " + ledger_->path();
}

std::string LiveTarget::unsupported(const scenarios::Scenario& scenario) const {
  // What needs the emulator first (the most telling reason), then the tag.
  if (std::string step = emulator_only_step(scenario); !step.empty()) return step;
  if (scenario.fixture.inventory_source != scenarios::Fixture::InventorySource::shipped_default) {
    return "its fixture names an emulator inventory of its own";
  }
  if (std::find(scenario.tags.begin(), scenario.tags.end(), "live-safe") == scenario.tags.end()) {
    return "not tagged live-safe: only scenarios tagged live-safe run against a live DCImanager";
  }
  size_t orders = 0;
  for (const scenarios::Step& step : scenario.steps) {
    const auto* order = std::get_if<scenarios::OrderStep>(&step.body);
    if (order == nullptr) continue;
    ++orders;
    if (!contains(os_templates_, order->os)) {
      return "orders OS template \"" + order->os + "\" (" + step.origin.pointer + "), which the live DCImanager does not have (it has: " +
             names_of(os_templates_) + ")";
    }
    if (!order->script.empty() && !contains(scripts_, order->script)) {
      return "orders script \"" + order->script + "\" (" + step.origin.pointer + "), which the live DCImanager does not have";
    }
  }
  if (orders > options_.allowed_servers.size()) {
    return "orders " + std::to_string(orders) + (orders == 1 ? " server" : " servers") + "; --allow-server names " +
           std::to_string(options_.allowed_servers.size());
  }
  return "";
}

Result<std::pair<int64_t, std::string>> LiveTarget::place(const scenarios::TariffFixture& tariff) const {
  (void)tariff;  // every tariff sells the allowed servers: one location, one configuration
  return std::make_pair(location_id_, configuration_.empty() ? tariff.configuration : configuration_);
}

common::Json LiveTarget::module_settings() const {
  dci6::Dci6Settings settings = certify::module_settings(options_.endpoint);
  common::Json fixed = {{"base_url", settings.base_url},
                        {"admin_email", settings.admin_email},
                        {"admin_password", settings.admin_password},
                        {"routes", options_.endpoint.routes.overrides()}};
  return fixed;
}

Result<std::unique_ptr<common::HttpTransport>> LiveTarget::transport() {
  DCISIM_ASSIGN_OR_RETURN(std::unique_ptr<common::HttpTransport> inner, connect_endpoint(options_.endpoint));
  SafetyNetOptions net;
  net.allowed_servers = options_.allowed_servers;
  net.routes = options_.endpoint.routes;
  net.ledger = ledger_.get();
  return std::unique_ptr<common::HttpTransport>(new SafetyNet(std::move(inner), std::move(net)));
}

std::unique_ptr<billing::ProvisioningModule> LiveTarget::wrap(billing::ProvisioningModule& module) {
  RealTimeOptions waits;
  waits.poll = options_.poll;
  waits.timeout = options_.timeout_op;
  waits.stop = options_.stop;
  waits.progress = options_.waiting;
  return std::make_unique<RealTimeWaits>(module, std::move(waits));
}

Status LiveTarget::interrupted() const {
  if (options_.stop != nullptr && options_.stop->requested()) return Error::conflict(options_.stop->why());
  return Status::success();
}

Status LiveTarget::teardown() {
  DCISIM_ASSIGN_OR_RETURN(std::unique_ptr<common::HttpTransport> transport, connect_endpoint(options_.endpoint));
  dci6::Dci6Client client(certify::module_settings(options_.endpoint), *transport, real_clock_);
  CleanupOptions cleanup;
  cleanup.timeout = options_.timeout_op;
  cleanup.poll = options_.poll;
  cleanup.on_action = options_.undone;
  CleanupReport report = cleanup_ledger(*ledger_, client, cleanup);
  if (report.ok()) return Status::success();
  std::string problems;
  for (const std::string& p : report.problems) problems += (problems.empty() ? "" : "; ") + p;
  return Error::conflict("not everything could be undone (" + problems + "); see dcisim certify --cleanup " + ledger_->path());
}

}  // namespace dcisim::certify
