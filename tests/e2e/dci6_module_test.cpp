// The DCImanager 6 module end to end against the embedded emulator (mockdci), over HTTP on
// loopback and in memory. The module never includes mockdci, only this test does, to check that
// the two agree on the wire.

#include <catch2/catch.hpp>

#include "billing/dci6/http_transport.h"
#include "billing/dci6/module.h"
#include "mockdci/emulator.h"

using namespace dcisim;
using namespace dcisim::billing;
using namespace dcisim::billing::dci6;

namespace {

const std::string kI9 = "i9-9900K-64Gb-2x1024NVMe";
constexpr int64_t kAmsterdam = 1;
constexpr int64_t kFrankfurt = 2;

// Answers from the emulator, but the next `lose` requests ending in `suffix` lose their answer
// after the emulator carried them out.
class LosingTransport final : public common::HttpTransport {
 public:
  explicit LosingTransport(mockdci::Emulator& emulator) : emulator_(emulator) {}
  common::Result<common::HttpResponse> send(const common::HttpRequest& request) override {
    common::HttpResponse response = emulator_.handle(request);
    bool matches = request.method == method && request.path.size() >= suffix.size() &&
                   request.path.compare(request.path.size() - suffix.size(), suffix.size(), suffix) == 0;
    if (lose > 0 && matches) {
      --lose;
      return common::Error::io("connection reset (answer lost)");
    }
    return response;
  }
  std::string describe() const override { return "in-memory, losing answers"; }
  std::string method;
  std::string suffix;
  int lose = 0;

 private:
  mockdci::Emulator& emulator_;
};

class ClockContext final : public OperationContext {
 public:
  explicit ClockContext(const common::Clock& clock) : clock_(clock) {}
  common::Instant now() const override { return clock_.now(); }
  common::Status checkpoint(const Json& progress) override {
    saved.push_back(progress);
    return common::Status::success();
  }
  std::vector<Json> saved;

 private:
  const common::Clock& clock_;
};

struct World {
  common::VirtualClock clock;
  std::unique_ptr<mockdci::Emulator> emulator;
  std::unique_ptr<common::HttpTransport> transport;
  std::unique_ptr<Dci6Module> module;
  ClockContext context{clock};

  // over_http: the module talks to the emulator's socket; otherwise in memory.
  explicit World(bool over_http = true) {
    auto inventory = mockdci::load_inventory_file(std::string(DCISIM_SOURCE_DIR) + "/mockdci/inventories/default.json");
    REQUIRE(inventory.ok());
    mockdci::EmulatorOptions options;
    options.inventory = *inventory;
    options.clock = &clock;
    options.seed = 7;
    auto created = mockdci::Emulator::create(std::move(options));
    REQUIRE(created.ok());
    emulator = std::move(created).value();
    Dci6Settings settings;
    settings.admin_email = "admin@example.com";
    settings.admin_password = "secret";
    if (over_http) {
      REQUIRE(emulator->start("127.0.0.1", 0, nullptr).ok());
      settings.base_url = emulator->base_url();
      HttpTransportOptions transport_options;
      transport_options.base_url = settings.base_url;
      auto http = HttplibTransport::create(transport_options);
      REQUIRE(http.ok());
      transport = std::move(http).value();
    } else {
      settings.base_url = "http://in-memory";
      transport = std::make_unique<LosingTransport>(*emulator);
    }
    module = std::make_unique<Dci6Module>(settings, *transport, clock);
  }
  LosingTransport& losing() { return static_cast<LosingTransport&>(*transport); }

  // Steps an operation as the billing runner would: waiting -> advance the clock to wake_at.
  template <typename Step>
  StepResult run(Step step, int max_steps = 200) {
    Json progress = Json::object();
    StepResult result;
    for (int i = 0; i < max_steps; ++i) {
      result = step(progress);
      progress = result.progress;
      if (result.status != StepStatus::waiting) return result;
      REQUIRE(clock.advance_to(result.wake_at).ok());
    }
    return result;
  }
  StepResult open(const OpenOrder& order) {
    return run([&](const Json& progress) { return module->open(order, progress, context); });
  }
  StepResult suspend(const RemoteService& service) {
    return run([&](const Json& progress) { return module->suspend(service, progress, context); });
  }
  StepResult resume(const RemoteService& service) {
    return run([&](const Json& progress) { return module->resume(service, progress, context); });
  }
  StepResult close(const RemoteService& service) {
    return run([&](const Json& progress) { return module->close(service, progress, context); });
  }
  size_t servers_owned_by(const std::string& email) const {
    size_t n = 0;
    for (const mockdci::ServerView& server : emulator->servers()) n += server.owner_email == email ? 1 : 0;
    return n;
  }
};

OpenOrder order(int64_t service_id, const std::string& email, int64_t location = kAmsterdam) {
  OpenOrder out;
  out.service_id = service_id;
  out.client_email = email;
  out.client_name = "Client " + std::to_string(service_id);
  out.user_password = "user-pw";
  out.location_id = location;
  out.configuration = kI9;
  out.os_template = "Debian 12";
  out.domain = "s" + std::to_string(service_id) + ".example.net";
  out.root_password = "root-pw";
  return out;
}

}  // namespace

TEST_CASE("dci6 module opens a server on the emulator over HTTP", "[e2e][dci6]") {
  World world;

  StepResult result = world.open(order(1, "one@example.com"));

  REQUIRE(result.status == StepStatus::done);
  REQUIRE(result.opened.has_value());
  auto server = world.emulator->server(result.opened->server_id);
  REQUIRE(server.has_value());
  CHECK(server->owner_email == "one@example.com");
  CHECK(server->domain == "s1.example.net");
  CHECK(server->configuration == kI9);
  CHECK(server->location_id == kAmsterdam);
  CHECK(server->operation_status == "ok");
  CHECK(server->os_template == "Debian 12");
  CHECK(server->ports_up);
  CHECK(result.opened->addresses.size() == server->addresses.size());
  CHECK(world.emulator->user_id("one@example.com") == result.opened->remote_user_id);
}

TEST_CASE("dci6 module adds extra addresses on the emulator", "[e2e][dci6]") {
  World world;
  OpenOrder with_extras = order(1, "one@example.com");
  with_extras.extra_ipv4 = 2;

  StepResult result = world.open(with_extras);

  REQUIRE(result.status == StepStatus::done);
  auto server = world.emulator->server(result.opened->server_id);
  REQUIRE(server.has_value());
  int ipv4 = 0;
  for (const auto& address : server->addresses) ipv4 += address.family == "ipv4" ? 1 : 0;
  CHECK(ipv4 == 3);
}

TEST_CASE("dci6 module takes no second server on the emulator after a lost issue answer", "[e2e][dci6]") {
  World world(false);
  world.losing().method = "POST";
  world.losing().suffix = "/owner";
  world.losing().lose = 1;

  StepResult lost = world.module->open(order(1, "one@example.com"), Json::object(), world.context);
  REQUIRE(lost.status == StepStatus::retry);
  StepResult done = world.run([&](const Json& progress) {
    return world.module->open(order(1, "one@example.com"), progress.empty() ? lost.progress : progress, world.context);
  });

  REQUIRE(done.status == StepStatus::done);
  CHECK(world.servers_owned_by("one@example.com") == 1);
}

TEST_CASE("dci6 module without a free server on the emulator is manual", "[e2e][dci6]") {
  World world;
  REQUIRE(world.open(order(1, "one@example.com", kFrankfurt)).status == StepStatus::done);
  REQUIRE(world.open(order(2, "two@example.com", kFrankfurt)).status == StepStatus::done);

  StepResult third = world.open(order(3, "three@example.com", kFrankfurt));

  CHECK(third.status == StepStatus::manual);
  CHECK(third.message == "no free server of configuration \"" + kI9 + "\" in location 2");
}

TEST_CASE("dci6 module makes an exhausted rack pool a manual task at the first attempt", "[e2e][dci6]") {
  World world;
  // Rack A1's pool (192.0.2.0/28) has 13 addresses to give: the first order takes them all.
  OpenOrder greedy = order(1, "one@example.com");
  greedy.extra_ipv4 = 12;
  REQUIRE(world.open(greedy).status == StepStatus::done);

  StepResult second = world.module->open(order(2, "two@example.com"), Json::object(), world.context);

  CHECK(second.status == StepStatus::manual);
  CHECK(second.message.rfind("no free server of configuration \"" + kI9 + "\" in location 1 could be issued: ", 0) == 0);
  CHECK(second.message.find("IP pool \"rack-a1\" has no free IPv4 address (exhausted)") != std::string::npos);
  CHECK(world.servers_owned_by("two@example.com") == 0);
  CHECK_FALSE(second.progress.contains("server_id"));
}

TEST_CASE("dci6 module suspends and resumes by switch port on the emulator", "[e2e][dci6]") {
  World world;
  StepResult opened = world.open(order(1, "one@example.com"));
  REQUIRE(opened.status == StepStatus::done);
  RemoteService service{1, opened.opened->server_id, SuspensionMode::port};

  REQUIRE(world.suspend(service).status == StepStatus::done);
  auto suspended = world.emulator->server(service.server_id);
  CHECK_FALSE(suspended->ports_up);
  CHECK(suspended->state == "suspended");
  CHECK(suspended->power == "ON");

  REQUIRE(world.resume(service).status == StepStatus::done);
  auto resumed = world.emulator->server(service.server_id);
  CHECK(resumed->ports_up);
  CHECK(resumed->state == "active");
}

TEST_CASE("dci6 module suspends by power on the emulator", "[e2e][dci6]") {
  World world;
  StepResult opened = world.open(order(1, "one@example.com"));
  REQUIRE(opened.status == StepStatus::done);
  RemoteService service{1, opened.opened->server_id, SuspensionMode::power};

  REQUIRE(world.suspend(service).status == StepStatus::done);
  CHECK(world.emulator->server(service.server_id)->power == "OFF");
  CHECK(world.emulator->server(service.server_id)->ports_up);
  REQUIRE(world.resume(service).status == StepStatus::done);
  CHECK(world.emulator->server(service.server_id)->power == "ON");
}

TEST_CASE("dci6 module releases a server on the emulator and it is sold again after diagnostics", "[e2e][dci6]") {
  World world;
  REQUIRE(world.open(order(1, "one@example.com", kFrankfurt)).status == StepStatus::done);
  StepResult second = world.open(order(2, "two@example.com", kFrankfurt));
  REQUIRE(second.status == StepStatus::done);
  RemoteService service{2, second.opened->server_id, SuspensionMode::port};

  REQUIRE(world.close(service).status == StepStatus::done);
  auto released = world.emulator->server(service.server_id);
  CHECK(released->owner_email.empty());
  REQUIRE(world.close(service).status == StepStatus::done);  // again: nothing to do

  StepResult third = world.open(order(3, "three@example.com", kFrankfurt));
  REQUIRE(third.status == StepStatus::done);
  CHECK(third.opened->server_id == service.server_id);
}

TEST_CASE("dci6 module sync powers on an active service's server powered off in the panel", "[e2e][dci6]") {
  World world;
  StepResult opened = world.open(order(1, "one@example.com"));
  REQUIRE(opened.status == StepStatus::done);
  REQUIRE(world.emulator->set_power(opened.opened->server_id, "OFF").ok());

  auto actions = world.module->sync({SyncExpectation{RemoteService{1, opened.opened->server_id, SuspensionMode::port}, true}});

  REQUIRE(actions.ok());
  REQUIRE(actions->size() == 1);
  CHECK((*actions)[0].action == "power_on");
  CHECK(world.emulator->server(opened.opened->server_id)->power == "ON");
}

TEST_CASE("dci6 module rides out 503 answers and expired tokens on the emulator", "[e2e][dci6]") {
  World world;
  world.emulator->fail_requests(3, "");
  StepResult first = world.open(order(1, "one@example.com"));
  REQUIRE(first.status == StepStatus::done);

  world.emulator->expire_tokens();
  StepResult second = world.open(order(2, "two@example.com"));

  REQUIRE(second.status == StepStatus::done);
  CHECK(world.servers_owned_by("two@example.com") == 1);
}

TEST_CASE("dci6 module refuses a script without access all on the emulator", "[e2e][dci6]") {
  World world;
  OpenOrder with_script = order(1, "one@example.com");
  with_script.script = "internal-audit";

  StepResult result = world.open(with_script);

  CHECK(result.status == StepStatus::manual);
  CHECK(world.servers_owned_by("one@example.com") == 0);
}

TEST_CASE("dci6 module remote view agrees with the emulator's own view", "[e2e][dci6]") {
  World world;
  StepResult opened = world.open(order(1, "one@example.com"));
  REQUIRE(opened.status == StepStatus::done);
  REQUIRE(world.suspend(RemoteService{1, opened.opened->server_id, SuspensionMode::port}).status == StepStatus::done);

  common::Result<RemoteView> view = world.module->remote_view();

  REQUIRE(view.ok());
  std::vector<mockdci::ServerView> truth = world.emulator->servers();
  REQUIRE(view->servers.size() == truth.size());
  for (size_t i = 0; i < truth.size(); ++i) {
    INFO("server " << truth[i].id);
    CHECK(view->servers[i].server_id == truth[i].id);
    CHECK(view->servers[i].owner_email == truth[i].owner_email);
    CHECK(view->servers[i].power == truth[i].power);
    CHECK(view->servers[i].ports_up == truth[i].ports_up);
    CHECK(view->servers[i].addresses.size() == truth[i].addresses.size());
  }
}

