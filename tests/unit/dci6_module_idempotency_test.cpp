// Dci6Module::open is idempotent: after a lost answer, a repeated step adopts what the previous one
// did, and nothing is sent before its intent is checkpointed.
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
