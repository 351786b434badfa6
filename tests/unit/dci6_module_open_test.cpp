// Dci6Module::open against a scripted DCImanager: the happy path, idempotency after lost answers,
// and every way it stops (waiting, retry, manual).
#include <catch2/catch.hpp>

#include "billing/dci6/module.h"
#include "dci6_open_rig.h"

using namespace dcisim;
using namespace dcisim::billing;
using namespace dcisim::billing::dci6;
using testing::Rig;
using testing::kConfig;
using testing::order_for;
using testing::owned_by;

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

TEST_CASE("dci6 open issues the next free server when DCImanager refuses one", "[dci6][open]") {
  Rig rig;
  int64_t first = rig.dci.add_server(kConfig, 3);
  int64_t second = rig.dci.add_server(kConfig, 3);
  rig.dci.refuse_issue[first] = "IP pool \"rack-a1\" has no free IPv4 address (exhausted)";

  StepResult result = rig.module->open(order_for(), Json::object(), rig.context);

  REQUIRE(result.status == StepStatus::waiting);
  CHECK_FALSE(rig.dci.servers[first].owner.has_value());
  CHECK(rig.dci.servers[second].owner.has_value());
  CHECK(result.progress["server_id"] == second);
  CHECK(result.progress["refused_server_ids"] == Json::array({first}));
}

TEST_CASE("dci6 open is manual at once when DCImanager refuses every free server", "[dci6][open]") {
  Rig rig;
  int64_t first = rig.dci.add_server(kConfig, 3);
  int64_t second = rig.dci.add_server(kConfig, 3);
  rig.dci.refuse_issue[first] = "pool exhausted";
  rig.dci.refuse_issue[second] = "pool exhausted";

  StepResult result = rig.module->open(order_for(), Json::object(), rig.context);

  REQUIRE(result.status == StepStatus::manual);
  CHECK(result.message.rfind("no free server of configuration \"" + kConfig + "\" in location 3 could be issued: ", 0) == 0);
  CHECK(result.message.find("/server/" + std::to_string(first) + "/owner: HTTP 409, error 3003: pool exhausted") !=
        std::string::npos);
  CHECK(result.message.find("/server/" + std::to_string(second) + "/owner: HTTP 409") != std::string::npos);
  CHECK(rig.dci.count("POST", "/api/dci/v3/server/" + std::to_string(first) + "/owner") == 1);
  CHECK_FALSE(result.progress.contains("server_id"));
}

TEST_CASE("dci6 open asks no refused server again and tries the rest on the next attempt", "[dci6][open]") {
  Rig rig;
  std::vector<int64_t> ids;
  for (int i = 0; i < 10; ++i) ids.push_back(rig.dci.add_server(kConfig, 3));
  for (int i = 0; i < 9; ++i) rig.dci.refuse_issue[ids[i]] = "busy";

  StepResult first = rig.module->open(order_for(), Json::object(), rig.context);
  REQUIRE(first.status == StepStatus::retry);
  CHECK(first.message.find("2 more to try on the next attempt") != std::string::npos);
  StepResult second = rig.module->open(order_for(), first.progress, rig.context);

  REQUIRE(second.status == StepStatus::waiting);
  CHECK(rig.dci.servers[ids[9]].owner.has_value());
  for (int i = 0; i < 9; ++i) CHECK(rig.dci.count("POST", "/api/dci/v3/server/" + std::to_string(ids[i]) + "/owner") == 1);
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
