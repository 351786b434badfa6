#include "scenarios/world.h"

#include <unistd.h>

#include <set>

#include "billing/dci6/http_transport.h"
#include "billing/settings.h"
#include "common/json_input.h"
#include "common/json_text.h"
#include "mockdci/default_inventory.h"

namespace dcisim::scenarios {

using common::Error;
using common::Json;
using common::JsonNode;
using common::Result;
using common::Status;

namespace {

// The billing settings a scenario runs with unless its fixture says otherwise: PBKDF2 with fewer
// iterations (passwords in scenarios guard nothing; 100,000 rounds per registration would
// dominate a suite's run time).
constexpr int kScenarioPasswordIterations = 1000;

std::string redact_body(const std::string& body) {
  if (body.empty()) return body;
  Result<Json> parsed = common::parse_json_text(body, "body", false);
  if (!parsed || !parsed->is_object()) return body;
  for (const char* secret : {"password", "token", "admin_password"}) {
    if (parsed->contains(secret)) (*parsed)[secret] = "<redacted>";
  }
  return common::json_text(*parsed);
}

const mockdci::LocationSpec* find_location(const mockdci::Inventory& inventory, const std::string& name,
                                           int64_t* id) {
  for (size_t i = 0; i < inventory.locations.size(); ++i) {
    if (inventory.locations[i].name == name) {
      *id = static_cast<int64_t>(i) + 1;  // ids from 1 in file order
      return &inventory.locations[i];
    }
  }
  return nullptr;
}

std::set<std::string> configurations_of(const mockdci::LocationSpec& location) {
  std::set<std::string> out;
  for (const mockdci::RackSpec& rack : location.racks) {
    for (const mockdci::ServerGroupSpec& group : rack.servers) out.insert(group.configuration);
  }
  return out;
}

std::string list_of(const std::set<std::string>& names) {
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : ", ") + name;
  return out.empty() ? "none" : out;
}

Error at(const Origin& origin, const std::string& field, const std::string& message) {
  return Error::invalid(origin.file + ": " + origin.pointer + "/" + field + ": " + message);
}

Status check_tariff(const TariffFixture& tariff, const mockdci::Inventory& inventory) {
  int64_t location_id = 0;
  const mockdci::LocationSpec* location = find_location(inventory, tariff.location, &location_id);
  if (location == nullptr) {
    std::set<std::string> names;
    for (const auto& l : inventory.locations) names.insert(l.name);
    return at(tariff.origin, "location", "no location \"" + tariff.location + "\" in the inventory (it has: " + list_of(names) + ")");
  }
  std::set<std::string> configurations = configurations_of(*location);
  if (configurations.count(tariff.configuration) == 0) {
    return at(tariff.origin, "configuration", "location \"" + tariff.location + "\" has no server of configuration \"" +
                                                  tariff.configuration + "\" (it has: " + list_of(configurations) + ")");
  }
  std::set<std::string> templates;
  for (const auto& os : inventory.os_templates) templates.insert(os.name);
  for (size_t i = 0; i < tariff.os_templates.size(); ++i) {
    if (templates.count(tariff.os_templates[i]) == 0) {
      return at(tariff.origin, "os/" + std::to_string(i), "no OS template \"" + tariff.os_templates[i] +
                                                              "\" in the inventory (it has: " + list_of(templates) + ")");
    }
  }
  std::set<std::string> scripts;
  for (const auto& script : inventory.scripts) scripts.insert(script.name);
  for (const auto& [name, price] : tariff.scripts) {
    (void)price;
    if (scripts.count(name) == 0) {
      return at(tariff.origin, "addons/scripts/" + common::json_pointer_escape(name),
                "no script \"" + name + "\" in the inventory (it has: " + list_of(scripts) + ")");
    }
  }
  return Status::success();
}

// The fixture's settings object, split: "dci6" configures the module, the rest the billing core.
Result<billing::Settings> billing_settings(const Scenario& scenario) {
  Json rest = scenario.fixture.settings;
  rest.erase("dci6");
  if (!rest.contains("password_iterations")) rest["password_iterations"] = kScenarioPasswordIterations;
  JsonNode node(&rest, scenario.fixture.settings_origin.file, scenario.fixture.settings_origin.pointer);
  return billing::parse_settings(node);
}

// `target_settings`: on a remote target, what the target fixes (its URL, credentials, routes);
// otherwise the emulator's URL and the inventory's administrator.
Result<billing::dci6::Dci6Settings> module_settings(const Scenario& scenario, const mockdci::Inventory& inventory,
                                                    const std::string& base_url, const Json* target_settings = nullptr) {
  Json dci6 = scenario.fixture.settings.value("dci6", Json::object());
  if (!dci6.is_object()) {
    return Error::invalid(scenario.fixture.settings_origin.file + ": " + scenario.fixture.settings_origin.pointer +
                          "/dci6: expected an object of DCImanager 6 module settings (docs/DCI6_MODULE.md)");
  }
  for (const char* owned : {"base_url", "admin_email", "admin_password"}) {
    if (dci6.contains(owned)) {
      return Error::invalid(scenario.fixture.settings_origin.file + ": " + scenario.fixture.settings_origin.pointer +
                            "/dci6/" + owned + ": set by the runner from the inventory; remove it");
    }
  }
  dci6["base_url"] = base_url;
  dci6["admin_email"] = inventory.admin.email;
  dci6["admin_password"] = inventory.admin.password;
  if (target_settings != nullptr) {
    for (auto it = target_settings->begin(); it != target_settings->end(); ++it) {
      if (it.key() == "routes" && dci6.contains("routes") && dci6["routes"].is_object() && it->is_object()) {
        dci6["routes"].update(*it);  // the target's overrides win, route by route
      } else {
        dci6[it.key()] = *it;
      }
    }
  }
  JsonNode node(&dci6, scenario.fixture.settings_origin.file, scenario.fixture.settings_origin.pointer + "/dci6");
  return billing::dci6::parse_dci6_settings(node);
}

Result<billing::TariffSpec> tariff_spec(const TariffFixture& tariff, const mockdci::Inventory& inventory,
                                        const RemoteTarget* target) {
  billing::TariffSpec spec;
  spec.name = tariff.name;
  find_location(inventory, tariff.location, &spec.location_id);
  spec.configuration = tariff.configuration;
  if (target != nullptr) {
    DCISIM_ASSIGN_OR_RETURN(auto place, target->place(tariff));
    spec.location_id = place.first;
    spec.configuration = place.second;
  }
  spec.os_templates = tariff.os_templates;
  spec.prices = tariff.prices;
  spec.setup_fee = tariff.setup_fee;
  if (tariff.ipv4_price) spec.addons.push_back({billing::AddonKind::ipv4, "extra-ipv4", *tariff.ipv4_price, 64});
  if (tariff.ipv6_price) spec.addons.push_back({billing::AddonKind::ipv6, "extra-ipv6", *tariff.ipv6_price, 64});
  for (const auto& [name, price] : tariff.scripts) spec.addons.push_back({billing::AddonKind::script, name, price, 1});
  spec.auto_delete_days = tariff.auto_delete_days;
  spec.grace_days = tariff.grace_days;
  spec.refund_unused_on_delete = tariff.refund_unused_on_delete;
  DCISIM_ASSIGN_OR_RETURN(spec.suspension_mode, billing::parse_suspension_mode(tariff.suspension));
  return spec;
}

// The emulator of one scenario and the module talking to it (in memory or over loopback HTTP).
Status connect_emulator(World& world, const Scenario& scenario, const mockdci::Inventory& inventory, uint64_t seed,
                        const WorldOptions& options) {
  mockdci::EmulatorOptions emulator_options;
  emulator_options.inventory = inventory;
  emulator_options.clock = world.clock.get();
  emulator_options.seed = seed;
  emulator_options.server_threads = 4;
  DCISIM_ASSIGN_OR_RETURN(world.emulator, mockdci::Emulator::create(std::move(emulator_options)));

  std::unique_ptr<common::HttpTransport> inner;
  std::string base_url = "http://dcimanager.invalid";
  if (options.transport == TransportKind::http) {
    DCISIM_RETURN_IF_ERROR(world.emulator->start("127.0.0.1", 0, nullptr));
    base_url = world.emulator->base_url();
  }
  DCISIM_ASSIGN_OR_RETURN(billing::dci6::Dci6Settings dci6, module_settings(scenario, inventory, base_url));
  dci6.planted_bug = options.planted_bug;
  if (options.transport == TransportKind::http) {
    billing::dci6::HttpTransportOptions http;
    http.base_url = dci6.base_url;
    http.connect_timeout = dci6.connect_timeout;
    http.read_timeout = dci6.read_timeout;  // a hang or a long delay (faults) ends here, in real time
    DCISIM_ASSIGN_OR_RETURN(inner, billing::dci6::HttplibTransport::create(http));
  } else {
    // The same timeout in memory: a delay past it is a timeout, as over a socket.
    inner = std::make_unique<common::InMemoryTransport>(world.emulator->handler(), dci6.read_timeout);
  }
  auto recording = std::make_unique<RecordingTransport>(std::move(inner), *world.clock, options.exchange_capacity);
  world.transport = recording.get();
  world.transport_owner = std::move(recording);
  world.module = std::make_unique<billing::dci6::Dci6Module>(dci6, *world.transport, *world.clock);
  return Status::success();
}

// A remote target: no emulator; the module talks through the target's transport (the endpoint
// behind its safety net), waits between 503 retries in real time, and billing drives it through
// the target's wrapper.
Status connect_target(World& world, const Scenario& scenario, const mockdci::Inventory& inventory,
                      const WorldOptions& options) {
  RemoteTarget& target = *options.target;
  Json fixed = target.module_settings();
  DCISIM_ASSIGN_OR_RETURN(billing::dci6::Dci6Settings dci6,
                          module_settings(scenario, inventory, fixed.value("base_url", std::string()), &fixed));
  DCISIM_ASSIGN_OR_RETURN(std::unique_ptr<common::HttpTransport> inner, target.transport());
  auto recording = std::make_unique<RecordingTransport>(std::move(inner), *world.clock, options.exchange_capacity);
  world.transport = recording.get();
  world.transport_owner = std::move(recording);
  world.module = std::make_unique<billing::dci6::Dci6Module>(dci6, *world.transport, target.retry_clock());
  world.module_wrapper = target.wrap(*world.module);
  return Status::success();
}

}  // namespace

RecordingTransport::RecordingTransport(std::unique_ptr<common::HttpTransport> inner, const common::Clock& clock,
                                       size_t capacity)
    : inner_(std::move(inner)), clock_(clock), capacity_(capacity) {}

Result<common::HttpResponse> RecordingTransport::send(const common::HttpRequest& request) {
  Result<common::HttpResponse> response = inner_->send(request);
  Exchange exchange;
  exchange.at = clock_.now();
  exchange.method = request.method;
  exchange.target = request.target();
  exchange.status = response ? response->status : 0;
  exchange.request = request.method;
  exchange.request.append(" ").append(exchange.target);
  if (!request.body.empty()) exchange.request.append(" ").append(redact_body(request.body));
  if (response) {
    exchange.response = std::to_string(response->status);
    exchange.response.append(" ").append(redact_body(response->body));
  } else {
    exchange.response = "no response: ";
    exchange.response.append(response.error().message);
  }
  std::lock_guard lock(mutex_);
  exchanges_.push_back(std::move(exchange));
  if (exchanges_.size() > capacity_) exchanges_.pop_front();
  ++total_;
  return response;
}

std::deque<Exchange> RecordingTransport::exchanges() const {
  std::lock_guard lock(mutex_);
  return exchanges_;
}

uint64_t RecordingTransport::total() const {
  std::lock_guard lock(mutex_);
  return total_;
}

World::~World() {
  if (billing && clock) clock->unsubscribe(billing.get());
  billing.reset();
  module_wrapper.reset();
  module.reset();
  transport_owner.reset();
  if (emulator) emulator->stop();
  emulator.reset();
  if (!folder.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(folder, ignored);
  }
}

billing::RemoteView remote_view_of(const mockdci::Emulator& emulator) {
  billing::RemoteView view;
  for (const mockdci::ServerView& s : emulator.servers()) {
    billing::RemoteServerView r;
    r.server_id = s.id;
    r.owner_user_id = s.owner_id;
    r.owner_email = s.owner_email;
    r.power = s.power;
    r.ports_up = s.ports_up;
    r.state = s.state;
    r.domain = s.domain;
    r.configuration = s.configuration;
    r.location_id = s.location_id;
    for (const mockdci::AddressView& a : s.addresses) r.addresses.push_back({a.id, a.address, a.family});
    view.servers.push_back(std::move(r));
  }
  for (const mockdci::PoolUsage& p : emulator.pools()) {
    // IPv6 totals do not fit 64 bits; the pool arithmetic is checked on IPv4, where leaks hurt.
    if (p.total_ipv4.empty() || p.total_ipv4.size() > 18) continue;
    int64_t total = std::stoll(p.total_ipv4);
    view.pools.push_back({p.id, p.name, "ipv4", total, p.used_ipv4, total - p.used_ipv4});
  }
  return view;
}

Result<billing::RemoteView> remote_view_of(World& world) {
  if (world.emulator) return remote_view_of(*world.emulator);
  return world.module->remote_view();
}

Status restart_billing(World& world, common::Duration down) {
  world.clock->unsubscribe(world.billing.get());
  world.billing.reset();
  if (down > common::Duration()) DCISIM_RETURN_IF_ERROR(world.clock->advance(down));
  DCISIM_ASSIGN_OR_RETURN(world.billing, billing::Billing::open(world.billing_options));
  world.clock->subscribe(world.billing.get());
  return Status::success();
}

Result<mockdci::Inventory> resolve_inventory(const Scenario& scenario) {
  switch (scenario.fixture.inventory_source) {
    case Fixture::InventorySource::shipped_default: return mockdci::default_inventory();
    case Fixture::InventorySource::file: return mockdci::load_inventory_file(scenario.fixture.inventory_path);
    case Fixture::InventorySource::inline_object: {
      const Origin& origin = scenario.fixture.inventory_origin;
      return mockdci::parse_inventory(scenario.fixture.inventory_inline, origin.file + " " + origin.pointer);
    }
  }
  return Error::internal("unknown inventory source");
}

Status check_fixture(const Scenario& scenario, const mockdci::Inventory& inventory) {
  for (const TariffFixture& tariff : scenario.fixture.tariffs) DCISIM_RETURN_IF_ERROR(check_tariff(tariff, inventory));
  DCISIM_RETURN_IF_ERROR(billing_settings(scenario));
  DCISIM_RETURN_IF_ERROR(module_settings(scenario, inventory, "http://127.0.0.1:1"));
  return Status::success();
}

Result<std::unique_ptr<World>> build_world(const Scenario& scenario, const mockdci::Inventory& inventory,
                                           uint64_t seed, const WorldOptions& options) {
  auto world = std::make_unique<World>();
  std::filesystem::path root = options.temp_root.empty() ? std::filesystem::temp_directory_path() : options.temp_root;
  std::error_code ec;
  for (int attempt = 0; attempt < 100 && world->folder.empty(); ++attempt) {
    std::filesystem::path candidate = root / ("dcisim-" + std::to_string(::getpid()) + "-" +
                                              std::to_string(seed % 1000000007) + "-" + std::to_string(attempt));
    if (std::filesystem::create_directories(candidate, ec)) world->folder = candidate;
  }
  if (world->folder.empty()) return Error::io("cannot create a temporary folder under " + root.string());

  world->clock = std::make_unique<common::VirtualClock>(scenario.fixture.start.value_or(common::VirtualClock::kDefaultStart));
  world->target = options.target;
  if (options.target != nullptr) {
    DCISIM_RETURN_IF_ERROR(connect_target(*world, scenario, inventory, options));
  } else {
    DCISIM_RETURN_IF_ERROR(connect_emulator(*world, scenario, inventory, seed, options));
  }
  billing::ProvisioningModule* module = world->module.get();
  if (world->module_wrapper) module = world->module_wrapper.get();

  billing::BillingOptions billing_options;
  billing_options.database_path = (world->folder / "billing.db").string();
  billing_options.clock = world->clock.get();
  billing_options.module = module;
  billing_options.seed = seed;
  DCISIM_ASSIGN_OR_RETURN(billing_options.settings, billing_settings(scenario));
  billing_options.settings.planted_bug = options.planted_bug;
  DCISIM_ASSIGN_OR_RETURN(world->billing, billing::Billing::open(billing_options));
  world->billing_options = billing_options;
  world->clock->subscribe(world->billing.get());

  for (const TariffFixture& tariff : scenario.fixture.tariffs) {
    DCISIM_ASSIGN_OR_RETURN(billing::TariffSpec spec, tariff_spec(tariff, inventory, options.target));
    Result<billing::TariffId> id = world->billing->create_tariff(spec);
    if (!id) return Error::invalid(tariff.origin.file + ": " + tariff.origin.pointer + ": " + id.error().message);
    world->tariffs[tariff.name] = *id;
    world->tariff_configuration[tariff.name] = spec.configuration;
  }
  return world;
}

}  // namespace dcisim::scenarios
