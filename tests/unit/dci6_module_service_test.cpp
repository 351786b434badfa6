// Dci6Module suspend, resume, close, sync and remote_view against a scripted DCImanager.
#include <catch2/catch.hpp>

#include "billing/dci6/module.h"
#include "dci6_fake_dci.h"

using namespace dcisim;
using namespace dcisim::billing;
using namespace dcisim::billing::dci6;
using testing::FakeDci;
using testing::FakeServer;
using testing::LossyTransport;
using testing::RecordingContext;

namespace {

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
  int64_t user = 0;
  int64_t server = 0;

  Rig() {
    module = std::make_unique<Dci6Module>(settings, transport, clock);
    user = dci.add_user("client@example.com");
    server = dci.add_server("cfg", 1);
    dci.servers[server].owner = user;
    dci.servers[server].domain = "s1.example.net";
  }
  FakeServer& remote() { return dci.servers[server]; }
  std::string port() const { return dci.port_status.at(dci.servers.at(server).port_id); }
  // The holder billing expects; the e-mail's case differs from DCImanager's on purpose.
  RemoteService service(SuspensionMode mode) const {
    return RemoteService{7, server, mode, "Client@Example.com", "s1.example.net"};
  }
  // Staff gave the server to somebody else in the panel.
  void give_to_other() {
    dci.servers[server].owner = dci.add_user("other@example.com");
    dci.servers[server].domain = "other.example.net";
  }
  std::string path(const std::string& action) const { return "/api/dci/v3/server/" + std::to_string(server) + "/" + action; }
};

}  // namespace

TEST_CASE("dci6 suspend in port mode switches the ports down and leaves the power on", "[dci6][suspend]") {
  Rig rig;

  StepResult result = rig.module->suspend(rig.service(SuspensionMode::port), Json::object(), rig.context);

  REQUIRE(result.status == StepStatus::done);
  CHECK(rig.remote().state == "suspended");
  CHECK(rig.port() == "down");
  CHECK(rig.remote().power == "ON");
  CHECK(rig.dci.count("POST", rig.path("suspend")) == 1);
}

TEST_CASE("dci6 suspend repeated on a suspended server sends nothing", "[dci6][suspend]") {
  Rig rig;
  REQUIRE(rig.module->suspend(rig.service(SuspensionMode::both), Json::object(), rig.context).status == StepStatus::done);
  size_t changes = rig.dci.mutations().size();

  StepResult again = rig.module->suspend(rig.service(SuspensionMode::both), Json::object(), rig.context);

  CHECK(again.status == StepStatus::done);
  CHECK(rig.dci.mutations().size() == changes);
}

TEST_CASE("dci6 suspend in power mode powers off and skips a server already off", "[dci6][suspend]") {
  Rig rig;
  REQUIRE(rig.module->suspend(rig.service(SuspensionMode::power), Json::object(), rig.context).status == StepStatus::done);
  CHECK(rig.remote().power == "OFF");
  CHECK(rig.port() == "up");
  CHECK(rig.dci.count("POST", rig.path("suspend")) == 0);

  REQUIRE(rig.module->suspend(rig.service(SuspensionMode::power), Json::object(), rig.context).status == StepStatus::done);
  CHECK(rig.dci.count("POST", rig.path("power_off")) == 1);
}

TEST_CASE("dci6 suspend refuses to power off a server whose power is UNKNOWN", "[dci6][suspend]") {
  Rig rig;
  rig.remote().power = "UNKNOWN";

  StepResult result = rig.module->suspend(rig.service(SuspensionMode::power), Json::object(), rig.context);

  CHECK(result.status == StepStatus::manual);
  CHECK_THAT(result.message, Catch::Contains("UNKNOWN"));
  CHECK(rig.dci.mutations().empty());
}

TEST_CASE("dci6 suspend waits while the server is suspending", "[dci6][suspend]") {
  Rig rig;
  rig.dci.hold_transitions = true;

  StepResult waiting = rig.module->suspend(rig.service(SuspensionMode::port), Json::object(), rig.context);
  REQUIRE(waiting.status == StepStatus::waiting);
  CHECK(waiting.wake_at == rig.context.now_ + common::Duration::seconds(30));
  rig.dci.settle_transitions();
  StepResult done = rig.module->suspend(rig.service(SuspensionMode::port), waiting.progress, rig.context);

  CHECK(done.status == StepStatus::done);
  CHECK(rig.dci.count("POST", rig.path("suspend")) == 1);
}

TEST_CASE("dci6 resume in both mode powers on and brings the ports up", "[dci6][resume]") {
  Rig rig;
  REQUIRE(rig.module->suspend(rig.service(SuspensionMode::both), Json::object(), rig.context).status == StepStatus::done);
  REQUIRE(rig.remote().power == "OFF");

  StepResult result = rig.module->resume(rig.service(SuspensionMode::both), Json::object(), rig.context);

  REQUIRE(result.status == StepStatus::done);
  CHECK(rig.remote().power == "ON");
  CHECK(rig.remote().state == "active");
  CHECK(rig.port() == "up");
}

TEST_CASE("dci6 resume and sync read a lower-case power status as DCImanager may write it", "[dci6][resume][sync]") {
  // A real answer writes `power_status: "off"`; the module must still power the server on.
  Rig rig;
  rig.remote().power = "off";

  StepResult result = rig.module->resume(rig.service(SuspensionMode::power), Json::object(), rig.context);

  REQUIRE(result.status == StepStatus::done);
  CHECK(rig.dci.count("POST", rig.path("power_on")) == 1);
  CHECK(rig.remote().power == "ON");
  rig.remote().power = "on";
  auto suspended = rig.module->suspend(rig.service(SuspensionMode::power), Json::object(), rig.context);
  REQUIRE(suspended.status == StepStatus::done);
  CHECK(rig.dci.count("POST", rig.path("power_off")) == 1);
  rig.remote().power = "off";
  auto actions = rig.module->sync({SyncExpectation{rig.service(SuspensionMode::power), true}});
  REQUIRE(actions.ok());
  CHECK(rig.dci.count("POST", rig.path("power_on")) == 2);
}

TEST_CASE("dci6 suspend in power mode waits while DCImanager powers the server off over time", "[dci6][suspend]") {
  Rig rig;
  rig.dci.hold_power = true;  // a power change is an operation: the power stays ON until it ends

  StepResult first = rig.module->suspend(rig.service(SuspensionMode::power), Json::object(), rig.context);
  REQUIRE(first.status == StepStatus::waiting);
  CHECK_THAT(first.message, Catch::Contains("power off server"));
  StepResult again = rig.module->suspend(rig.service(SuspensionMode::power), first.progress, rig.context);
  CHECK(again.status == StepStatus::waiting);
  CHECK(rig.dci.count("POST", rig.path("power_off")) == 1);  // never sent twice while under way
  rig.dci.settle_transitions();
  StepResult done = rig.module->suspend(rig.service(SuspensionMode::power), again.progress, rig.context);

  CHECK(done.status == StepStatus::done);
  CHECK(rig.remote().power == "OFF");
  CHECK(rig.dci.count("POST", rig.path("power_off")) == 1);
}

TEST_CASE("dci6 close waits while DCImanager releases the server over time", "[dci6][close]") {
  Rig rig;
  rig.dci.hold_release = true;  // the owner stays until the release operation ends

  StepResult first = rig.module->close(rig.service(SuspensionMode::port), Json::object(), rig.context);
  REQUIRE(first.status == StepStatus::waiting);
  CHECK_THAT(first.message, Catch::Contains("releasing"));
  StepResult again = rig.module->close(rig.service(SuspensionMode::port), first.progress, rig.context);
  CHECK(again.status == StepStatus::waiting);
  CHECK(rig.dci.count("DELETE", rig.path("owner")) == 1);
  rig.dci.settle_transitions();
  StepResult done = rig.module->close(rig.service(SuspensionMode::port), again.progress, rig.context);

  CHECK(done.status == StepStatus::done);
  CHECK_FALSE(rig.remote().owner.has_value());
  CHECK(rig.dci.count("DELETE", rig.path("owner")) == 1);
}

TEST_CASE("dci6 resume checkpoints before each change", "[dci6][resume]") {
  Rig rig;
  rig.remote().state = "suspended";
  rig.remote().power = "OFF";
  rig.dci.port_status[rig.remote().port_id] = "down";

  REQUIRE(rig.module->resume(rig.service(SuspensionMode::both), Json::object(), rig.context).status == StepStatus::done);

  REQUIRE(rig.context.checkpoints.size() == 2);
  CHECK(rig.context.checkpoints[0]["intent"] == "power on server " + std::to_string(rig.server));
  CHECK(rig.context.checkpoints[1]["intent"] == "resume server " + std::to_string(rig.server));
}

TEST_CASE("dci6 resume reads port states from the switch when the server omits them", "[dci6][resume]") {
  Rig rig;
  rig.dci.omit_port_status = true;
  rig.dci.port_status[rig.remote().port_id] = "down";  // flipped by hand; the state still says active

  REQUIRE(rig.module->resume(rig.service(SuspensionMode::port), Json::object(), rig.context).status == StepStatus::done);

  CHECK(rig.port() == "up");
  CHECK(rig.dci.count("GET", "/api/dci/v3/switch/1/port") >= 1);
  CHECK(rig.dci.count("POST", "/api/dci/v3/switch/1/port/" + std::to_string(rig.remote().port_id)) == 1);
}

TEST_CASE("dci6 close releases the server and is done at once when repeated", "[dci6][close]") {
  Rig rig;

  StepResult result = rig.module->close(rig.service(SuspensionMode::port), Json::object(), rig.context);
  REQUIRE(result.status == StepStatus::done);
  CHECK_FALSE(rig.remote().owner.has_value());
  CHECK(rig.dci.count("DELETE", rig.path("owner")) == 1);

  StepResult again = rig.module->close(rig.service(SuspensionMode::port), result.progress, rig.context);
  CHECK(again.status == StepStatus::done);
  CHECK(rig.dci.count("DELETE", rig.path("owner")) == 1);
}

TEST_CASE("dci6 close after a lost answer never releases the server's next holder", "[dci6][close][idempotent]") {
  Rig rig;
  rig.transport.lose_answers("DELETE", "/owner");
  StepResult lost = rig.module->close(rig.service(SuspensionMode::port), Json::object(), rig.context);
  REQUIRE(lost.status == StepStatus::retry);
  // Meanwhile the released server was sold to someone else.
  rig.remote().owner = rig.dci.add_user("next@example.com");
  rig.remote().domain = "other.example.net";

  StepResult retried = rig.module->close(rig.service(SuspensionMode::port), lost.progress, rig.context);

  CHECK(retried.status == StepStatus::done);
  CHECK(rig.dci.count("DELETE", rig.path("owner")) == 1);
  CHECK(rig.remote().owner.has_value());
}

TEST_CASE("dci6 close of a server that no longer exists is done", "[dci6][close]") {
  Rig rig;
  rig.dci.servers.erase(rig.server);

  StepResult result = rig.module->close(rig.service(SuspensionMode::port), Json::object(), rig.context);

  CHECK(result.status == StepStatus::done);
  CHECK(rig.dci.mutations().empty());
}

TEST_CASE("dci6 sync brings an active service's ports up and powers its server on", "[dci6][sync]") {
  Rig rig;
  rig.remote().state = "suspended";
  rig.remote().power = "OFF";
  rig.dci.port_status[rig.remote().port_id] = "down";

  auto actions = rig.module->sync({SyncExpectation{rig.service(SuspensionMode::port), true}});

  REQUIRE(actions.ok());
  REQUIRE(actions->size() == 2);
  CHECK((*actions)[0].action == "ports_up");
  CHECK((*actions)[1].action == "power_on");
  CHECK(rig.port() == "up");
  CHECK(rig.remote().power == "ON");
}

TEST_CASE("dci6 sync powers off a suspended service's server only in power modes", "[dci6][sync]") {
  Rig rig;
  rig.remote().state = "suspended";
  rig.dci.port_status[rig.remote().port_id] = "down";

  auto port_mode = rig.module->sync({SyncExpectation{rig.service(SuspensionMode::port), false}});
  REQUIRE(port_mode.ok());
  REQUIRE(port_mode->size() == 1);
  CHECK((*port_mode)[0].action == "none");
  CHECK(rig.remote().power == "ON");

  auto power_mode = rig.module->sync({SyncExpectation{rig.service(SuspensionMode::power), false}});
  REQUIRE(power_mode.ok());
  REQUIRE(power_mode->size() == 1);
  CHECK((*power_mode)[0].action == "power_off");
  CHECK(rig.remote().power == "OFF");
}

TEST_CASE("dci6 sync puts a port flipped by hand back down", "[dci6][sync]") {
  Rig rig;
  rig.remote().state = "suspended";
  rig.dci.port_status[rig.remote().port_id] = "up";

  auto actions = rig.module->sync({SyncExpectation{rig.service(SuspensionMode::port), false}});

  REQUIRE(actions.ok());
  REQUIRE(actions->size() == 1);
  CHECK((*actions)[0].action == "ports_down");
  CHECK(rig.port() == "down");
  CHECK(rig.dci.count("POST", rig.path("suspend")) == 0);
}

TEST_CASE("dci6 sync reports a server that is gone or has no owner as missing", "[dci6][sync]") {
  Rig rig;
  int64_t free_server = rig.dci.add_server("cfg", 1);

  auto actions = rig.module->sync({SyncExpectation{RemoteService{1, 999, SuspensionMode::port}, true},
                                   SyncExpectation{RemoteService{2, free_server, SuspensionMode::port}, true}});

  REQUIRE(actions.ok());
  REQUIRE(actions->size() == 2);
  CHECK((*actions)[0].action == "missing");
  CHECK((*actions)[0].service_id == 1);
  CHECK((*actions)[1].action == "missing");
  CHECK(rig.dci.mutations().empty());
}

TEST_CASE("dci6 remote view lists every server page by page with owner, power, ports and addresses", "[dci6][view]") {
  Rig rig;
  rig.settings.list_page_size = 2;
  rig.module = std::make_unique<Dci6Module>(rig.settings, rig.transport, rig.clock);
  rig.dci.add_server("cfg", 1);
  rig.dci.add_server("cfg", 2);
  rig.remote().power = "OFF";
  rig.dci.port_status[rig.remote().port_id] = "down";

  common::Result<RemoteView> view = rig.module->remote_view();

  REQUIRE(view.ok());
  REQUIRE(view->servers.size() == 3);
  const RemoteServerView& held = view->servers[0];
  CHECK(held.server_id == rig.server);
  CHECK(held.owner_user_id == rig.user);
  CHECK(held.owner_email == "client@example.com");
  CHECK(held.power == "OFF");
  CHECK_FALSE(held.ports_up);
  CHECK(held.domain == "s1.example.net");
  CHECK(held.configuration == "cfg");
  CHECK(view->servers[1].owner_email.empty());
  CHECK(view->servers[1].ports_up);
  CHECK(view->servers[2].location_id == 2);
  CHECK(rig.dci.count("GET", "/api/dci/v3/server") == 2);
}

TEST_CASE("dci6 suspend and resume leave alone a server somebody else holds", "[dci6][suspend][holder]") {
  Rig rig;
  rig.give_to_other();

  StepResult suspended = rig.module->suspend(rig.service(SuspensionMode::both), Json::object(), rig.context);
  StepResult resumed = rig.module->resume(rig.service(SuspensionMode::both), Json::object(), rig.context);

  CHECK(suspended.status == StepStatus::manual);
  CHECK(suspended.message == "server " + std::to_string(rig.server) +
                                 " is held by other@example.com (domain other.example.net), not by Client@Example.com "
                                 "(domain s1.example.net): not suspended");
  CHECK(resumed.status == StepStatus::manual);
  CHECK(rig.dci.mutations().empty());
  CHECK(rig.remote().state == "active");
  CHECK(rig.port() == "up");
}

TEST_CASE("dci6 suspend leaves alone a server of the same client under another domain", "[dci6][suspend][holder]") {
  Rig rig;
  rig.remote().domain = "renamed.example.net";

  StepResult result = rig.module->suspend(rig.service(SuspensionMode::port), Json::object(), rig.context);

  CHECK(result.status == StepStatus::manual);
  CHECK(rig.dci.mutations().empty());
}

TEST_CASE("dci6 close never releases a server somebody else holds", "[dci6][close][holder]") {
  Rig rig;
  rig.give_to_other();

  StepResult result = rig.module->close(rig.service(SuspensionMode::port), Json::object(), rig.context);

  CHECK(result.status == StepStatus::manual);
  CHECK(result.message.find("not released") != std::string::npos);
  CHECK(rig.dci.count("DELETE", rig.path("owner")) == 0);
  CHECK(rig.remote().owner.has_value());
}

TEST_CASE("dci6 sync reports a server somebody else holds as foreign and changes nothing", "[dci6][sync][holder]") {
  Rig rig;
  rig.give_to_other();
  rig.remote().power = "OFF";

  auto actions = rig.module->sync({SyncExpectation{rig.service(SuspensionMode::both), true}});

  REQUIRE(actions.ok());
  REQUIRE(actions->size() == 1);
  CHECK((*actions)[0].action == "foreign");
  CHECK((*actions)[0].detail.find("is held by other@example.com") != std::string::npos);
  CHECK(rig.dci.mutations().empty());
  CHECK(rig.remote().power == "OFF");
}

