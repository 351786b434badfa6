// The teardown ledger: written before each change, read back after a crash (a torn last line
// ignored), and a new run refuses to start over one that was not cleaned up.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "certify/ledger.h"
#include "common/json_input.h"

using namespace dcisim;
using certify::Ledger;

namespace {

std::string fresh_path(const std::string& name) {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / ("dcisim-ledger-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string path = (dir / name).string();
  std::filesystem::remove(path);
  return path;
}

certify::LedgerHeader header() {
  return {"https://dci.example.com", "admin@example.com", "certify", 7, {{"server.issue", "POST /x/{id}"}}};
}

}  // namespace

TEST_CASE("a ledger keeps the header, the servers as they were, the changes and the users created", "[certify][ledger]") {
  std::string path = fresh_path("a.jsonl");
  {
    auto ledger = Ledger::create(path, header());
    REQUIRE(ledger.ok());
    REQUIRE((*ledger)->record_server({5, "", "ON", "active", true}).ok());
    auto seq = (*ledger)->record_change({{"route", "user.create"}, {"email", "a@example.com"}});
    REQUIRE(seq.ok());
    REQUIRE((*ledger)->record_result(*seq, 200, 9).ok());
    auto refused = (*ledger)->record_change({{"route", "user.create"}, {"email", "b@example.com"}});
    REQUIRE((*ledger)->record_result(*refused, 400, 0).ok());
    REQUIRE((*ledger)->record_change({{"route", "server.issue"}, {"server", 5}, {"owner", 9}}).ok());
  }
  auto read = Ledger::read(path);
  REQUIRE(read.ok());
  CHECK(read->header.endpoint == "https://dci.example.com");
  CHECK(read->header.routes["server.issue"] == "POST /x/{id}");
  CHECK(read->header.seed == 7);
  REQUIRE(read->servers.size() == 1);
  CHECK(read->servers[0].server_id == 5);
  CHECK(read->servers[0].power == "ON");
  REQUIRE(read->users.size() == 2);
  CHECK(read->users[0].email == "a@example.com");
  CHECK(read->users[0].id == 9);
  CHECK_FALSE(read->users[0].refused);
  CHECK(read->users[1].refused);  // DCImanager said no: the run created nothing
  CHECK(read->changes.size() == 3);
  CHECK_FALSE(read->cleaned);
  CHECK_FALSE(read->torn_last_line);
}

TEST_CASE("a ledger's last line cut short by a crash is ignored, and appending starts a clean line", "[certify][ledger]") {
  std::string path = fresh_path("torn.jsonl");
  {
    auto ledger = Ledger::create(path, header());
    REQUIRE(ledger.ok());
    REQUIRE((*ledger)->record_change({{"route", "server.suspend"}, {"server", 3}}).ok());
  }
  std::ofstream(path, std::ios::app) << R"({"kind":"change","route":"server.res)";  // the crash
  auto read = Ledger::read(path);
  REQUIRE(read.ok());
  CHECK(read->torn_last_line);
  CHECK(read->changes.size() == 1);
  auto reopened = Ledger::open_existing(path);
  REQUIRE(reopened.ok());
  REQUIRE((*reopened)->append({{"kind", "cleanup"}, {"outcome", "done"}}).ok());
  auto again = Ledger::read(path);
  REQUIRE(again.ok());
  CHECK(again->cleaned);
  CHECK_FALSE(again->torn_last_line);
}

TEST_CASE("a new run refuses a ledger that was not cleaned up, and replaces one that was", "[certify][ledger]") {
  std::string path = fresh_path("refuse.jsonl");
  {
    auto ledger = Ledger::create(path, header());
    REQUIRE(ledger.ok());
    REQUIRE((*ledger)->record_change({{"route", "server.issue"}, {"server", 3}}).ok());
  }
  auto refused = Ledger::create(path, header());
  REQUIRE_FALSE(refused.ok());
  CHECK_THAT(refused.error().message, Catch::Contains("dcisim certify --cleanup " + path));
  {
    auto ledger = Ledger::open_existing(path);
    REQUIRE(ledger.ok());
    REQUIRE((*ledger)->append({{"kind", "cleanup"}, {"outcome", "done"}}).ok());
  }
  auto replaced = Ledger::create(path, header());
  REQUIRE(replaced.ok());
  auto read = Ledger::read(path);
  REQUIRE(read.ok());
  CHECK(read->changes.empty());
}

TEST_CASE("a file that is not a ledger is refused with its name", "[certify][ledger]") {
  std::string path = fresh_path("other.jsonl");
  std::ofstream(path) << "{\"kind\":\"change\"}\n";
  auto read = Ledger::read(path);
  REQUIRE_FALSE(read.ok());
  CHECK_THAT(read.error().message, Catch::Contains(path + ": not a dcisim teardown ledger"));
  std::ofstream(path) << "{\"kind\":\"header\",\"format\":\"dcisim-teardown-ledger\"}\nnot json\n{\"kind\":\"server\"}\n";
  auto damaged = Ledger::read(path);
  REQUIRE_FALSE(damaged.ok());
  CHECK_THAT(damaged.error().message, Catch::Contains(path + ":2: not a ledger entry"));
}
