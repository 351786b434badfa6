// Dci6Module::open against a scripted DCImanager: the happy path, idempotency after lost answers,
// and every way it stops (waiting, retry, manual).
#include <catch2/catch.hpp>

#include "billing/dci6/module.h"
#include "dci6_fake_dci.h"

using namespace dcisim;
using namespace dcisim::billing;
using namespace dcisim::billing::dci6;
using testing::FakeDci;
using testing::LossyTransport;
using testing::RecordingContext;

namespace {

const std::string kConfig = "i9-9900K-64Gb-2x1024NVMe";

struct Rig {
  FakeDci dci;
  LossyTransport transport{dci};
  common::VirtualClock clock;
  RecordingContext context{dci};
  Dci6Settings settings = [] {
    Dci6Settings s;
    s.base_url = "http://fake";
    s.admin_email = "admin@example.com";
    s.admin_password = "admin-pw";
    return s;
  }();
  std::unique_ptr<Dci6Module> module;

  Rig() { rebuild(); }
  void rebuild() { module = std::make_unique<Dci6Module>(settings, transport, clock); }

  // Runs open steps (as the billing runner would, saving progress) until it is not `waiting`,
  // finishing the remote operations whenever the module waits.
  StepResult open_until_settled(const OpenOrder& order, Json& progress, int max_steps = 10) {
    StepResult result;
    for (int i = 0; i < max_steps; ++i) {
      result = module->open(order, progress, context);
      progress = result.progress;
      if (result.status != StepStatus::waiting) return result;
      context.now_ = result.wake_at;
      dci.finish_operations("ok");
    }
    return result;
  }
};

OpenOrder order_for(const std::string& email = "client@example.com") {
  OpenOrder order;
  order.service_id = 42;
  order.client_email = email;
  order.client_name = "Client One";
  order.user_password = "user-pw-1";
  order.location_id = 3;
  order.configuration = kConfig;
  order.os_template = "Debian 12";
  order.domain = "s42.example.net";
  order.root_password = "root-pw-1";
  return order;
}

size_t owned_by(const FakeDci& dci, int64_t user) {
  size_t n = 0;
  for (const auto& [id, server] : dci.servers) n += server.owner == user ? 1 : 0;
  return n;
}

}  // namespace

TEST_CASE("dci6 open creates the user, issues the lowest free server and starts the OS install", "[dci6][open]") {
  Rig rig;
  rig.dci.add_server("other-config", 3);
  int64_t busy = rig.dci.add_server(kConfig, 3);
  rig.dci.servers[busy].maintenance = true;
  int64_t wanted = rig.dci.add_server(kConfig, 3);
  rig.dci.add_server(kConfig, 3);
  rig.dci.add_server(kConfig, 9);

  StepResult result = rig.module->open(order_for(), Json::object(), rig.context);

  REQUIRE(result.status == StepStatus::waiting);
  CHECK(result.wake_at == rig.context.now_ + common::Duration::seconds(30));
  REQUIRE(rig.dci.users.size() == 1);
  int64_t user = rig.dci.users.begin()->first;
  CHECK(rig.dci.servers[wanted].owner == user);
  CHECK(rig.dci.servers[wanted].domain == "s42.example.net");
  CHECK(rig.dci.servers[wanted].operation_status == "running");
  CHECK(owned_by(rig.dci, user) == 1);

  std::vector<common::HttpRequest> changes = rig.dci.mutations();
  REQUIRE(changes.size() == 3);
  CHECK(changes[0].path == "/api/dci/v3/user");
  CHECK(Json::parse(changes[0].body) ==
        Json{{"email", "client@example.com"}, {"full_name", "Client One"}, {"password", "user-pw-1"}, {"role", "@user"}});
  CHECK(changes[1].path == "/api/dci/v3/server/" + std::to_string(wanted) + "/owner");
  CHECK(Json::parse(changes[1].body) == Json{{"owner", user}, {"domain", "s42.example.net"}});
  CHECK(changes[2].path == "/api/dci/v3/server/" + std::to_string(wanted) + "/operating_system");
  CHECK(Json::parse(changes[2].body) == Json{{"os_template", 1}, {"password", "root-pw-1"}, {"domain", "s42.example.net"}});
}

TEST_CASE("dci6 open looks for free servers with the documented where query", "[dci6][open]") {
  Rig rig;
  rig.dci.add_server(kConfig, 3);

  (void)rig.module->open(order_for(), Json::object(), rig.context);

  bool asked = false;
  for (const common::HttpRequest& request : rig.dci.requests) {
    const std::string* where = request.query_param("where");
    if (request.path != "/api/dci/v3/server" || where == nullptr || where->find("IS null") == std::string::npos) continue;
    asked = true;
    CHECK(*where == "(owner_email IS null) AND is_new EQ false AND configuration EQ '" + kConfig + "' AND location_id EQ 3");
    CHECK(*request.query_param("orderby") == "id asc");
  }
  CHECK(asked);
}

TEST_CASE("dci6 open polls while the install runs and reports the opened server when it is ok", "[dci6][open]") {
  Rig rig;
  int64_t server = rig.dci.add_server(kConfig, 3);
  Json progress = Json::object();

  StepResult first = rig.module->open(order_for(), progress, rig.context);
  REQUIRE(first.status == StepStatus::waiting);
  rig.context.now_ = first.wake_at;
  StepResult still = rig.module->open(order_for(), first.progress, rig.context);
  REQUIRE(still.status == StepStatus::waiting);
  rig.dci.finish_operations("ok");
  StepResult done = rig.module->open(order_for(), still.progress, rig.context);

  REQUIRE(done.status == StepStatus::done);
  REQUIRE(done.opened.has_value());
  CHECK(done.opened->server_id == server);
  CHECK(done.opened->remote_user_id == rig.dci.users.begin()->first);
  CHECK(done.opened->server_name == rig.dci.servers[server].name);
  REQUIRE(done.opened->addresses.size() == 2);
  CHECK(done.opened->addresses[0].family == "ipv4");
  CHECK(done.opened->addresses[1].family == "ipv6");
  CHECK(rig.dci.count("POST", "/api/dci/v3/server/" + std::to_string(server) + "/operating_system") == 1);
}

TEST_CASE("dci6 open reuses the DCImanager user that has the client's e-mail", "[dci6][open]") {
  Rig rig;
  int64_t existing = rig.dci.add_user("Client@Example.com");
  int64_t server = rig.dci.add_server(kConfig, 3);

  StepResult result = rig.module->open(order_for(), Json::object(), rig.context);

  REQUIRE(result.status == StepStatus::waiting);
  CHECK(rig.dci.count("POST", "/api/dci/v3/user") == 0);
  CHECK(rig.dci.servers[server].owner == existing);
  const std::string* where = nullptr;
  for (const common::HttpRequest& request : rig.dci.requests) {
    if (request.path == "/api/dci/v3/user" && request.method == "GET") where = request.query_param("where");
  }
  REQUIRE(where != nullptr);
  CHECK(*where == "email EQ 'client@example.com'");
}

TEST_CASE("dci6 open adds the ordered extra addresses on top of the main ones", "[dci6][open]") {
  Rig rig;
  int64_t server = rig.dci.add_server(kConfig, 3);
  OpenOrder order = order_for();
  order.extra_ipv4 = 2;
  order.extra_ipv6 = 1;
  Json progress = Json::object();

  StepResult done = rig.open_until_settled(order, progress);

  REQUIRE(done.status == StepStatus::done);
  CHECK(rig.dci.servers[server].ips.size() == 5);
  CHECK(rig.dci.count("POST", "/api/dci/v3/server/" + std::to_string(server) + "/ip") == 3);
  CHECK(done.opened->addresses.size() == 5);
}

TEST_CASE("dci6 open after a lost issue answer adopts the server instead of taking a second", "[dci6][open][idempotent]") {
  Rig rig;
  int64_t first = rig.dci.add_server(kConfig, 3);
  rig.dci.add_server(kConfig, 3);
  rig.transport.lose_answers("POST", "/owner");
  Json progress = Json::object();

  StepResult lost = rig.module->open(order_for(), progress, rig.context);
  REQUIRE(lost.status == StepStatus::retry);
  CHECK(lost.progress["intent"].get<std::string>().find("issue server") == 0);
  progress = lost.progress;
  StepResult done = rig.open_until_settled(order_for(), progress);

  REQUIRE(done.status == StepStatus::done);
  CHECK(done.opened->server_id == first);
  CHECK(owned_by(rig.dci, rig.dci.users.begin()->first) == 1);
  CHECK(rig.dci.count("POST", "/api/dci/v3/server/" + std::to_string(first) + "/owner") == 1);
}

TEST_CASE("dci6 open repeated from empty progress still finds the server it holds", "[dci6][open][idempotent]") {
  Rig rig;
  int64_t first = rig.dci.add_server(kConfig, 3);
  rig.dci.add_server(kConfig, 3);
  Json progress = Json::object();
  StepResult done = rig.open_until_settled(order_for(), progress);
  REQUIRE(done.status == StepStatus::done);

  Json fresh = Json::object();  // e.g. the runner lost the step's result before saving it
  StepResult again = rig.open_until_settled(order_for(), fresh);

  REQUIRE(again.status == StepStatus::done);
  CHECK(again.opened->server_id == first);
  CHECK(owned_by(rig.dci, rig.dci.users.begin()->first) == 1);
}

TEST_CASE("dci6 open after a lost extra-address answer does not add it twice", "[dci6][open][idempotent]") {
  Rig rig;
  int64_t server = rig.dci.add_server(kConfig, 3);
  OpenOrder order = order_for();
  order.extra_ipv4 = 1;
  rig.transport.lose_answers("POST", "/ip");
  Json progress = Json::object();

  StepResult lost = rig.module->open(order, progress, rig.context);
  REQUIRE(lost.status == StepStatus::retry);
  progress = lost.progress;
  StepResult done = rig.open_until_settled(order, progress);

  REQUIRE(done.status == StepStatus::done);
  CHECK(rig.dci.servers[server].ips.size() == 3);
  CHECK(rig.dci.count("POST", "/api/dci/v3/server/" + std::to_string(server) + "/ip") == 1);
}

TEST_CASE("dci6 open after a lost install answer does not install twice", "[dci6][open][idempotent]") {
  Rig rig;
  int64_t server = rig.dci.add_server(kConfig, 3);
  rig.transport.lose_answers("POST", "/operating_system");
  Json progress = Json::object();

  StepResult lost = rig.module->open(order_for(), progress, rig.context);
  REQUIRE(lost.status == StepStatus::retry);
  progress = lost.progress;
  StepResult waiting = rig.module->open(order_for(), progress, rig.context);

  CHECK(waiting.status == StepStatus::waiting);
  CHECK(rig.dci.count("POST", "/api/dci/v3/server/" + std::to_string(server) + "/operating_system") == 1);
}

TEST_CASE("dci6 open checkpoints its intent before every remote change", "[dci6][open][idempotent]") {
  Rig rig;
  rig.dci.add_server(kConfig, 3);
  OpenOrder order = order_for();
  order.extra_ipv4 = 1;
  order.script = "nginx";
  Json progress = Json::object();

  REQUIRE(rig.open_until_settled(order, progress).status == StepStatus::done);

  std::vector<size_t> change_positions;
  for (size_t i = 0; i < rig.dci.requests.size(); ++i) {
    const common::HttpRequest& request = rig.dci.requests[i];
    if (request.method != "GET" && request.path != "/api/auth/v4/public/token") change_positions.push_back(i);
  }
  REQUIRE(change_positions.size() == 4);  // user, issue, extra ip, install
  for (size_t position : change_positions) {
    INFO("request " << position << ": " << rig.dci.requests[position].path);
    CHECK(std::find(rig.context.requests_at_checkpoint.begin(), rig.context.requests_at_checkpoint.end(), position) !=
          rig.context.requests_at_checkpoint.end());
  }
}

TEST_CASE("dci6 open sends nothing when the checkpoint cannot be saved", "[dci6][open][idempotent]") {
  Rig rig;
  rig.dci.add_server(kConfig, 3);
  rig.context.fail_checkpoints = true;

  StepResult result = rig.module->open(order_for(), Json::object(), rig.context);

  CHECK(result.status == StepStatus::retry);
  CHECK_THAT(result.message, Catch::Contains("not sent") && Catch::Contains("database is locked"));
  CHECK(rig.dci.mutations().empty());
}

TEST_CASE("dci6 open progress and messages never hold a password", "[dci6][open]") {
  Rig rig;
  rig.dci.add_server(kConfig, 3);
  Json progress = Json::object();
  StepResult done = rig.open_until_settled(order_for(), progress);
  REQUIRE(done.status == StepStatus::done);

  for (const Json& saved : rig.context.checkpoints) {
    std::string text = saved.dump();
    CHECK(text.find("root-pw-1") == std::string::npos);
    CHECK(text.find("user-pw-1") == std::string::npos);
    CHECK(text.find("admin-pw") == std::string::npos);
  }
  CHECK(done.progress.dump().find("root-pw-1") == std::string::npos);
}

TEST_CASE("dci6 open without a free server of the configuration is a manual task", "[dci6][open]") {
  Rig rig;
  rig.dci.add_server("other-config", 3);
  int64_t owned = rig.dci.add_server(kConfig, 3);
  rig.dci.servers[owned].owner = rig.dci.add_user("someone@example.com");

  StepResult result = rig.module->open(order_for(), Json::object(), rig.context);

  CHECK(result.status == StepStatus::manual);
  CHECK(result.message == "no free server of configuration \"" + kConfig + "\" in location 3");
  CHECK(rig.dci.count("POST", "/api/dci/v3/server/" + std::to_string(owned) + "/owner") == 0);
}

TEST_CASE("dci6 open without a free server names similar ones when by_server_type is off", "[dci6][open]") {
  Rig rig;
  rig.settings.by_server_type = false;
  rig.rebuild();
  rig.dci.add_server("other-config", 3);

  StepResult result = rig.module->open(order_for(), Json::object(), rig.context);

  CHECK(result.status == StepStatus::manual);
  CHECK_THAT(result.message, Catch::Contains("staff may issue a similar server: other-config (1 free)"));
}

TEST_CASE("dci6 open waits for a released server still in diagnostics", "[dci6][open]") {
  Rig rig;
  int64_t server = rig.dci.add_server(kConfig, 3);
  rig.dci.servers[server].diagnostics = true;
  rig.dci.servers[server].operation_status = "running";

  StepResult waiting = rig.module->open(order_for(), Json::object(), rig.context);
  REQUIRE(waiting.status == StepStatus::waiting);
  CHECK(rig.dci.servers[server].owner == std::nullopt);
  rig.dci.finish_operations("ok");
  rig.context.now_ = waiting.wake_at;
  StepResult next = rig.module->open(order_for(), waiting.progress, rig.context);

  CHECK(next.status == StepStatus::waiting);
  CHECK(rig.dci.servers[server].owner.has_value());
}

TEST_CASE("dci6 open refuses a script whose access is not all before taking a server", "[dci6][open]") {
  Rig rig;
  rig.dci.add_server(kConfig, 3);
  OpenOrder order = order_for();
  order.script = "private-tool";

  StepResult result = rig.module->open(order, Json::object(), rig.context);

  CHECK(result.status == StepStatus::manual);
  CHECK(result.message == "script \"private-tool\" has access \"admin\": only scripts with access \"all\" may be ordered");
  CHECK(rig.dci.mutations().empty());
}

TEST_CASE("dci6 open installs the ordered script by its id", "[dci6][open]") {
  Rig rig;
  int64_t server = rig.dci.add_server(kConfig, 3);
  OpenOrder order = order_for();
  order.script = "nginx";

  REQUIRE(rig.module->open(order, Json::object(), rig.context).status == StepStatus::waiting);

  common::HttpRequest install = rig.dci.mutations().back();
  CHECK(install.path == "/api/dci/v3/server/" + std::to_string(server) + "/operating_system");
  CHECK(Json::parse(install.body)["script"] == 1);
}

TEST_CASE("dci6 open with an unknown OS template is manual before any change", "[dci6][open]") {
  Rig rig;
  rig.dci.add_server(kConfig, 3);
  OpenOrder order = order_for();
  order.os_template = "Windows 95";

  StepResult result = rig.module->open(order, Json::object(), rig.context);

  CHECK(result.status == StepStatus::manual);
  CHECK(result.message == "OS template \"Windows 95\" is not known to DCImanager");
  CHECK(rig.dci.mutations().empty());
}

TEST_CASE("dci6 open reinstalls after a failed install and gives up after the bound", "[dci6][open]") {
  Rig rig;
  rig.settings.max_install_attempts = 2;
  rig.rebuild();
  int64_t server = rig.dci.add_server(kConfig, 3);
  std::string install_path = "/api/dci/v3/server/" + std::to_string(server) + "/operating_system";

  StepResult first = rig.module->open(order_for(), Json::object(), rig.context);
  REQUIRE(first.status == StepStatus::waiting);
  rig.dci.finish_operations("failed");
  StepResult retry = rig.module->open(order_for(), first.progress, rig.context);
  REQUIRE(retry.status == StepStatus::retry);
  CHECK_THAT(retry.message, Catch::Contains("failed") && Catch::Contains("installed again"));
  StepResult reinstall = rig.module->open(order_for(), retry.progress, rig.context);
  REQUIRE(reinstall.status == StepStatus::waiting);
  CHECK(rig.dci.count("POST", install_path) == 2);
  rig.dci.finish_operations("failed");
  StepResult manual = rig.module->open(order_for(), reinstall.progress, rig.context);

  CHECK(manual.status == StepStatus::manual);
  CHECK_THAT(manual.message, Catch::Contains("2 failed attempts"));
  CHECK(rig.dci.count("POST", install_path) == 2);
}

TEST_CASE("dci6 open gives up on an install that never ends", "[dci6][open]") {
  Rig rig;
  rig.dci.add_server(kConfig, 3);
  StepResult first = rig.module->open(order_for(), Json::object(), rig.context);
  REQUIRE(first.status == StepStatus::waiting);

  rig.context.now_ = rig.context.now_ + rig.settings.operation_timeout + common::Duration::seconds(1);
  StepResult late = rig.module->open(order_for(), first.progress, rig.context);

  CHECK(late.status == StepStatus::manual);
  CHECK_THAT(late.message, Catch::Contains("has not finished after 4h"));
}

TEST_CASE("dci6 open refuses an order without an OS template", "[dci6][open]") {
  Rig rig;
  OpenOrder order = order_for();
  order.os_template.clear();

  StepResult result = rig.module->open(order, Json::object(), rig.context);

  CHECK(result.status == StepStatus::manual);
  CHECK_THAT(result.message, Catch::Contains("a server cannot be issued without an OS"));
  CHECK(rig.dci.requests.empty());
}

TEST_CASE("dci6 open gives a service without a domain one derived from its id", "[dci6][open]") {
  Rig rig;
  int64_t server = rig.dci.add_server(kConfig, 3);
  OpenOrder order = order_for();
  order.domain.clear();

  REQUIRE(rig.module->open(order, Json::object(), rig.context).status == StepStatus::waiting);

  CHECK(rig.dci.servers[server].domain == "service-42.dcisim.invalid");
}
