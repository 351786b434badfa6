// The server JSON the API serves (cached per server, see mockdci/server_rows.h) always equals the
// JSON built afresh from the model, whatever sequence of actions came before.
#include "common/rng.h"
#include "mockdci_test_support.h"

using namespace dcisim;
using namespace dcisim::testing;

namespace {

// One random action on the emulator through the API (many are refused: that is fine).
void random_action(EmulatorFixture& f, common::Rng& rng, const std::string& admin, const std::string& user, int64_t user_id) {
  int64_t server = rng.uniform(1, 9);
  std::string path = server_path(server);
  Json state = f.emulator->state();
  Json ips = state["ips"];
  std::string some_ip = ips.empty() ? "1" : std::to_string(ips[static_cast<size_t>(rng.uniform(0, static_cast<int64_t>(ips.size()) - 1))]["id"].get<int64_t>());
  switch (rng.uniform(0, 13)) {
    case 0: f.post(path + "/owner", {{"owner", rng.chance(1, 2) ? 1 : user_id}, {"domain", "d.example"}}, admin); break;
    case 1: f.del(path + "/owner", admin); break;
    case 2: f.post(path + (rng.chance(1, 2) ? "/power_on" : "/power_off"), Json::object(), rng.chance(1, 2) ? admin : user); break;
    case 3: f.post(path + "/ip", {{"family", rng.chance(1, 2) ? "ipv4" : "ipv6"}}, admin); break;
    case 4: f.del(path + "/ip/" + some_ip, admin); break;
    case 5: f.post(path + "/operating_system", {{"os_template", rng.uniform(1, 2)}, {"password", "p"}}, admin); break;
    case 6: f.post(path + (rng.chance(1, 2) ? "/suspend" : "/resume"), Json::object(), admin); break;
    case 7: f.post("/api/dci/v3/switch/" + std::to_string(rng.uniform(1, 3)) + "/port/" + std::to_string(server),
                   {{"admin_status", rng.chance(1, 2) ? "up" : "down"}}, admin); break;
    case 8: f.post("/api/ip/v3/ip/" + some_ip, {{"domain", "edited.example"}, {"status", "service"}}, admin); break;
    case 9: f.del("/api/ip/v3/ip/" + some_ip, admin); break;
    case 10: f.advance(common::Duration::minutes(rng.uniform(1, 40))); break;
    case 11: f.control("POST", "/mockdci/v1/server/" + std::to_string(server), {{"power", rng.chance(1, 2) ? "OFF" : "UNKNOWN"}}); break;
    case 12: f.post(path + "/power_reset", Json::object(), admin); break;
    default: f.post("/api/ip/v3/ippool/" + std::to_string(rng.uniform(1, 4)) + "/ip", {{"family", "ipv4"}}, admin); break;
  }
}

}  // namespace

TEST_CASE("emulator server JSON served from the cache always equals a fresh build of the model") {
  EmulatorFixture f;
  std::string admin = f.login();
  auto [user_id, user] = f.make_user(admin, "c@example.com");
  common::Rng rng(20260101);
  for (int step = 0; step < 300; ++step) {
    random_action(f, rng, admin, user, user_id);
    Json served = f.get("/api/dci/v3/server", admin).json["list"];
    Json fresh = f.emulator->state()["servers"];
    INFO("step " << step);
    REQUIRE(served == fresh);
    int64_t one = rng.uniform(1, 9);
    REQUIRE(f.get(server_path(one), admin).json == fresh[static_cast<size_t>(one - 1)]);
  }
}
