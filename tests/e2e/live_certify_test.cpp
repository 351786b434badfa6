// The live target and `dcisim certify`, end to end, as an operator runs them: `dcisim serve` in a
// process of its own over HTTPS (a fresh self-signed certificate, trusted with --ca), a real clock
// and operations of a second (--timings fast), then `dcisim certify` (read-only, the destructive
// cycle, the comparison), `dcisim run --target live`, a certification killed mid-cycle and
// cleaned up, Ctrl-C in a live run, and a route the emulator serves elsewhere. After each, the
// emulator's state equals its state before: nothing left issued or allocated. The administrator's
// password is grepped for in every output, report and ledger.
#include <httplib.h>
#include <signal.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include "common/json_input.h"
#include "tests/support/processes.h"

using namespace dcisim;
using namespace dcisim::testing;
using Json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

const char* const kPassword = "Pw-e2e-5b8d1c77";
const char* const kPasswordVariable = "DCISIM_E2E_PASSWORD";
const std::vector<std::pair<std::string, std::string>> kEnv = {{kPasswordVariable, kPassword}};

std::string fresh_dir(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("dcisim-live-e2e-" + std::to_string(::getpid())) / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir.string();
}

// `dcisim serve` over HTTPS with a real clock and operations of a second.
struct Served {
  explicit Served(const std::string& name, const std::vector<std::string>& extra = {}) : dir(fresh_dir(name)) {
    cert = dir + "/cert.pem";
    key = dir + "/key.pem";
    write_self_signed(cert, key);
    std::vector<std::string> argv = {dcisim_binary(), "serve", "--tls-cert", cert, "--tls-key", key, "--clock", "real",
                                     "--admin-password", kPassword, "--control-token", "ctl-e2e"};
    if (std::find(extra.begin(), extra.end(), "--timings") == extra.end()) argv.insert(argv.end(), {"--timings", "fast"});
    argv.insert(argv.end(), extra.begin(), extra.end());
    serve = std::make_unique<ChildProcess>(argv);
    std::optional<std::string> first = serve->line(20'000);
    REQUIRE(first.has_value());
    std::smatch match;
    REQUIRE(std::regex_match(*first, match, std::regex(R"(dcisim serve: listening on (https://127\.0\.0\.1:(\d+)))")));
    url = match[1];
    port = std::stoi(match[2]);
  }
  ~Served() {
    serve->signal(SIGTERM);
    serve->wait_exit();
    std::error_code ignored;
    fs::remove_all(dir, ignored);  // certificates, reports and ledgers of this test
  }

  std::vector<std::string> endpoint() const {
    return {"--endpoint", url, "--email", "admin@example.com", "--password-env", kPasswordVariable, "--ca", cert};
  }

  // What must be as it was: users, servers (but their last operation), addresses, pools, ports.
  Json projection() const {
    httplib::SSLClient client("127.0.0.1", port);
    client.enable_server_certificate_verification(false);
    auto answer = client.Get("/mockdci/v1/state", {{"Authorization", "Bearer ctl-e2e"}});
    REQUIRE(answer);
    REQUIRE(answer->status == 200);
    Json state = Json::parse(answer->body);
    Json servers = Json::array();
    for (Json server : state["servers"]) {
      server.erase("operation");
      servers.push_back(server);
    }
    Json users = Json::array();
    for (const Json& user : state["users"]) users.push_back(user["email"]);
    return {{"users", users}, {"servers", servers}, {"ips", state["ips"]}, {"ports", state["ports"]}, {"ip_pools", state["ip_pools"]}};
  }

  std::string dir;
  std::string cert, key;
  std::string url;
  int port = 0;
  std::unique_ptr<ChildProcess> serve;
};

std::vector<std::string> concat(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// The password in no output, report or ledger.
void check_no_secret(const std::string& output, const std::string& dir) {
  CHECK(output.find(kPassword) == std::string::npos);
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file() || entry.path().extension() == ".pem") continue;
    std::string text = *common::read_text_file(entry.path().string());
    INFO(entry.path().string());
    CHECK(text.find(kPassword) == std::string::npos);
  }
}

// junit.xml against the JUnit XSD Jenkins' xunit plugin validates with (../shared/schemas, never
// copied into the project), when it and xmllint are there.
void check_junit_xsd(const std::string& junit) {
  std::string xsd = std::string(DCISIM_SOURCE_DIR) + "/../shared/schemas/junit-10.xsd";
  if (!fs::exists(xsd) || access("/usr/bin/xmllint", X_OK) != 0) {
    WARN("junit.xml not validated: no " << xsd << " or no /usr/bin/xmllint");
    return;
  }
  ChildProcess xmllint({"/usr/bin/xmllint", "--noout", "--schema", xsd, junit});
  std::string output = xmllint.rest();
  INFO(output);
  CHECK(xmllint.wait_exit() == 0);
}

Json results_of(const std::string& dir) {
  auto text = common::read_text_file(dir + "/results.json");
  REQUIRE(text.ok());
  return Json::parse(*text);
}

}  // namespace

TEST_CASE("dcisim certify passes read-only, with the destructive cycle and compared, and leaves nothing behind",
          "[e2e][certify][live]") {
  Served served("certify");
  Json before = served.projection();
  std::string out;

  int read_only = run_dcisim(concat({"certify", "--out", served.dir + "/read-only"}, served.endpoint()), &out, kEnv);
  INFO(out);
  CHECK(read_only == 0);
  CHECK_THAT(out, Catch::Contains("PASS routes: route server.issue: POST /api/dci/v3/server/{id}/owner"));
  std::string junit = *common::read_text_file(served.dir + "/read-only/junit.xml");
  CHECK(junit.find("<failure") == std::string::npos);
  check_junit_xsd(served.dir + "/read-only/junit.xml");
  check_no_secret(out, served.dir);

  std::string exported = served.dir + "/exported-inventory.json";
  REQUIRE(run_dcisim(concat({"certify", "--export-inventory", exported}, served.endpoint()), &out, kEnv) == 0);
  CHECK_THAT(out, Catch::Contains("wrote " + exported + " (9 servers)"));

  std::string cycle_dir = served.dir + "/cycle";
  int cycle = run_dcisim(concat({"certify", "--allow-server", "3", "--compare", "--inventory", exported, "--out", cycle_dir},
                                served.endpoint()),
                         &out, kEnv);
  INFO(out);
  CHECK(cycle == 0);
  CHECK_THAT(out, Catch::Contains("PASS cycle server 3: OS install until it ends"));
  CHECK_THAT(out, Catch::Contains("PASS cycle server 3: release until it is for sale again"));
  CHECK_THAT(out, Catch::Contains("PASS cleanup: nothing left behind"));
  CHECK_THAT(out, Catch::Contains("PASS compare: the emulator answers the read-only probes as the live system does"));
  Json results = results_of(cycle_dir);
  CHECK(results["summary"]["failed"] == 0);
  CHECK(results["compare"]["differences"].empty());
  CHECK(results["compare"]["probes"].get<int>() > 30);
  CHECK_FALSE(results["latency"].empty());
  CHECK(served.projection() == before);
  check_no_secret(out, served.dir);
}

TEST_CASE("dcisim run --target live runs the live-safe scenarios, skips the others with a reason, and undoes everything",
          "[e2e][live]") {
  Served served("run");
  Json before = served.projection();
  std::string out_dir = served.dir + "/live";
  std::string out;
  int code = run_dcisim(concat({"run", std::string(DCISIM_SOURCE_DIR) + "/scenarios/suite", "--target", "live",
                                "--allow-server", "3", "--allow-server", "4", "--out", out_dir},
                               served.endpoint()),
                        &out, kEnv);
  INFO(out);
  CHECK(code == 0);
  Json results = results_of(out_dir);
  std::set<std::string> passed;
  for (const Json& scenario : results["scenarios"]) {
    if (scenario["outcome"] == "passed") passed.insert(scenario["name"].get<std::string>());
    if (scenario["outcome"] == "skipped") CHECK_FALSE(scenario["skip_reason"].get<std::string>().empty());
  }
  CHECK(passed == std::set<std::string>{"client suspension and resume", "order, suspension for debt, payment and deletion",
                                        "suspension in power and both modes"});
  CHECK(results["summary"]["failed"] == 0);
  CHECK(results["summary"]["skipped"].get<int>() + 3 == results["summary"]["total"].get<int>());
  CHECK_THAT(out, Catch::Contains("SKIP suite/"));
  std::string junit = *common::read_text_file(out_dir + "/junit.xml");
  CHECK_THAT(junit, Catch::Contains("<skipped message=\"injects a fault"));
  check_junit_xsd(out_dir + "/junit.xml");
  CHECK_THAT(*common::read_text_file(out_dir + "/report.html"), Catch::Contains("<h3>Skipped</h3>"));
  CHECK(served.projection() == before);
  check_no_secret(out, served.dir);
}

TEST_CASE("a live run against a DCImanager whose suspend, power and release take time passes and undoes everything",
          "[e2e][live]") {
  // A real DCImanager powers a server off and releases it over time: the module waits for those
  // operations (and the billing clock with it) instead of taking a change for done.
  Served served("timed", {"--timings", "os_install=500ms,diagnostics=500ms,suspend=500ms,resume=500ms,power=500ms,release=500ms"});
  Json before = served.projection();
  std::string suite = std::string(DCISIM_SOURCE_DIR) + "/scenarios/suite/";
  std::string out;
  int code = run_dcisim(concat({"run", suite + "power-mode-suspension.json", suite + "live-order-suspend-pay-delete.json",
                                "--target", "live", "--allow-server", "3,4", "--out", served.dir + "/live"},
                               served.endpoint()),
                        &out, kEnv);
  INFO(out);
  CHECK(code == 0);
  CHECK_THAT(out, Catch::Contains("2 scenarios: 2 passed, 0 failed, 0 skipped"));
  CHECK(served.projection() == before);
}

TEST_CASE("a certification killed mid-cycle is undone by dcisim certify --cleanup", "[e2e][certify][live][crash]") {
  Served served("killed");
  Json before = served.projection();
  std::string ledger = served.dir + "/out/ledger.jsonl";
  ChildProcess certify(concat({dcisim_binary(), "certify", "--allow-server", "3", "--out", served.dir + "/out"}, served.endpoint()),
                       kEnv);
  bool issued = false;
  while (std::optional<std::string> line = certify.line(30'000)) {
    if (line->find("PASS cycle server 3: issue server 3") != std::string::npos) {
      issued = true;
      break;
    }
  }
  INFO(certify.transcript());
  REQUIRE(issued);
  certify.signal(SIGKILL);
  CHECK(certify.wait_exit() == -1);
  CHECK(served.projection() != before);  // server 3 is held by the certify user

  std::string out;
  int code = run_dcisim({"certify", "--cleanup", ledger, "--password-env", kPasswordVariable, "--ca", served.cert}, &out, kEnv);
  INFO(out);
  CHECK(code == 0);
  CHECK_THAT(out, Catch::Contains("undone: released server 3 from dcisim-certify-1-3@example.com"));
  CHECK_THAT(out, Catch::Contains("nothing left"));
  CHECK(served.projection() == before);
  REQUIRE(run_dcisim({"certify", "--cleanup", ledger, "--password-env", kPasswordVariable, "--ca", served.cert}, &out, kEnv) == 0);
  CHECK_THAT(out, Catch::Contains("0 things undone, nothing left"));  // idempotent
  check_no_secret(out, served.dir);
}

TEST_CASE("Ctrl-C in a live run stops it and undoes what it changed", "[e2e][live]") {
  Served served("interrupted");
  Json before = served.projection();
  std::string out_dir = served.dir + "/live";
  ChildProcess run(concat({dcisim_binary(), "run", std::string(DCISIM_SOURCE_DIR) + "/scenarios/suite/live-order-suspend-pay-delete.json",
                           "--target", "live", "--allow-server", "3", "--out", out_dir},
                          served.endpoint()),
                   kEnv);
  bool started = false;
  while (std::optional<std::string> line = run.line(30'000)) {
    if (line->find("if this run is killed") != std::string::npos) {
      started = true;
      break;
    }
  }
  REQUIRE(started);
  run.signal(SIGINT);
  std::string rest = run.rest();
  INFO(run.transcript() + rest);
  CHECK(run.wait_exit() == 1);
  CHECK_THAT(rest, Catch::Contains("interrupted by SIGINT"));
  CHECK(served.projection() == before);
}

TEST_CASE("a route the emulator serves elsewhere fails certify naming it, and --routes with that path passes", "[e2e][certify][live]") {
  Served served("alias", {"--route-alias", "POST /api/dci/v3/server/{id}/owner=POST /api/dci/v3/server/{id}/assign"});
  Json before = served.projection();
  std::string out;
  int failing = run_dcisim(concat({"certify", "--out", served.dir + "/failing"}, served.endpoint()), &out, kEnv);
  INFO(out);
  CHECK(failing == 1);
  CHECK_THAT(out, Catch::Contains("FAIL routes: route server.issue: POST /api/dci/v3/server/{id}/owner: server.issue "
                                  "(POST /api/dci/v3/server/{id}/owner) does not hold: the path is served but not with POST (405)"));
  CHECK_THAT(out, Catch::Contains("it answered 405"));
  Json results = results_of(served.dir + "/failing");
  CHECK(results["summary"]["failed"] == 1);
  check_junit_xsd(served.dir + "/failing/junit.xml");

  std::string routes = served.dir + "/routes.json";
  std::ofstream(routes) << R"({"server.issue": "POST /api/dci/v3/server/{id}/assign"})";
  int passing = run_dcisim(concat({"certify", "--routes", routes, "--allow-server", "3", "--out", served.dir + "/passing"},
                                  served.endpoint()),
                           &out, kEnv);
  INFO(out);
  CHECK(passing == 0);
  CHECK_THAT(out, Catch::Contains("PASS routes: route server.issue: POST /api/dci/v3/server/{id}/assign (from --routes)"));
  Json passed = results_of(served.dir + "/passing");
  for (const Json& route : passed["routes"]) {
    if (route["name"] == "server.issue") {
      CHECK(route["held"] == true);
      CHECK(route["from_routes_file"] == true);
    }
  }
  CHECK(served.projection() == before);
}

TEST_CASE("dcisim certify refuses a password in a flag, without echoing it", "[e2e][certify]") {
  std::string out;
  int code = run_dcisim({"certify", "--endpoint", "https://127.0.0.1:1", "--email", "a@b.c", "--password", "hunter2-xyz"}, &out);
  CHECK(code == 2);
  CHECK_THAT(out, Catch::Contains("credentials never go in flags"));
  CHECK(out.find("hunter2-xyz") == std::string::npos);
  CHECK(std::count(out.begin(), out.end(), '\n') == 1);
  code = run_dcisim({"certify", "--endpoint", "https://127.0.0.1:1", "--email", "a@b.c", "--password-env", "DCISIM_UNSET_VARIABLE"}, &out);
  CHECK(code == 2);
  CHECK_THAT(out, Catch::Contains("--password-env DCISIM_UNSET_VARIABLE: the environment variable is not set or empty"));
}
