// The control API (/mockdci/v1), the journal, faults, concurrency, the in-memory path and TLS.
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdio>
#include <fstream>
#include <thread>

#include "mockdci_test_support.h"

using namespace dcisim;
using namespace dcisim::testing;

TEST_CASE("emulator control API needs its bearer token and a DCImanager token never opens it") {
  EmulatorFixture f;
  std::string admin = f.login();
  check_error_json(f.get("/mockdci/v1/state", admin), 401, "Authorization: Bearer");
  Answer bearer_session = f.send("GET", "/mockdci/v1/state", "", "", TokenIn::header, {{"Authorization", "Bearer " + admin}});
  check_error_json(bearer_session, 401, "wrong control token");
  Answer ok = f.control("GET", "/mockdci/v1/state");
  REQUIRE(ok.status == 200);
  Answer control_as_session = f.get("/api/dci/v3/server", "control-secret");
  CHECK(control_as_session.status == 401);
}

TEST_CASE("emulator control state holds the whole model without secrets") {
  EmulatorFixture f;
  std::string admin = f.login();
  Json state = f.control("GET", "/mockdci/v1/state").json;
  for (const char* key : {"now", "users", "tokens", "os_templates", "scripts", "ip_pools", "ipnets", "ips", "locations",
                          "racks", "switches", "ports", "servers", "operations", "configurations", "faults"}) {
    CHECK(state.contains(key));
  }
  CHECK(state["servers"].size() == 9);
  CHECK(state["now"] == "2026-01-01T00:00:00Z");
  std::string text = state.dump();
  CHECK(text.find(admin) == std::string::npos);
  CHECK(text.find("secret") == std::string::npos);
}

TEST_CASE("emulator control reset restores the inventory and ends every session") {
  EmulatorFixture f;
  Json initial = f.emulator->state();
  std::string admin = f.login();
  REQUIRE(f.post("/api/dci/v3/server/1/owner", {{"owner", 1}}, admin).status == 200);
  REQUIRE(f.control("POST", "/mockdci/v1/reset").status == 200);
  CHECK(f.get("/api/dci/v3/server/1", admin).status == 401);
  CHECK(f.emulator->state() == initial);
  std::string again = f.login();
  CHECK(again != admin);  // an old token never becomes valid again
}

TEST_CASE("emulator control clock advance moves the virtual clock and finishes operations") {
  EmulatorFixture f;
  std::string admin = f.login();
  REQUIRE(f.post("/api/dci/v3/server/8/owner", {{"owner", 1}}, admin).status == 200);
  REQUIRE(f.del("/api/dci/v3/server/8/owner", admin).status == 200);
  Answer advanced = f.control("POST", "/mockdci/v1/clock/advance", {{"seconds", 1800}});
  REQUIRE(advanced.status == 200);
  CHECK(advanced.json["now"] == "2026-01-01T00:30:00Z");
  CHECK(f.emulator->server(8)->available);
  check_error_json(f.control("POST", "/mockdci/v1/clock/advance", {{"seconds", -5}}), 400, "/seconds");
}

TEST_CASE("emulator control clock advance is refused for a real clock") {
  common::RealClock clock;
  mockdci::EmulatorOptions options;
  options.inventory = *mockdci::parse_inventory(default_inventory_json(), "default");
  options.clock = &clock;
  options.control_token = "t";
  auto emulator = mockdci::Emulator::create(std::move(options));
  REQUIRE(emulator.ok());
  common::HttpResponse response =
      (*emulator)->handle({"POST", "/mockdci/v1/clock/advance", {}, {{"Authorization", "Bearer t"}}, R"({"seconds": 5})"});
  CHECK(response.status == 400);
  CHECK(response.body.find("the clock is real") != std::string::npos);
}

TEST_CASE("emulator journal records time, method, path, status and duration without token values") {
  EmulatorFixture f;
  std::string admin = f.login();
  REQUIRE(f.get("/api/dci/v3/server/1", admin).status == 200);
  f.advance(common::Duration::minutes(5));
  REQUIRE(f.get("/api/dci/v3/server/77", admin).status == 404);
  REQUIRE(f.del("/api/auth/v4/token/" + admin, admin).status == 200);
  Answer journal = f.control("GET", "/mockdci/v1/journal?last=10");
  REQUIRE(journal.status == 200);
  const Json& list = journal.json["list"];
  REQUIRE(list.size() == 4);
  CHECK(list[0]["method"] == "POST");
  CHECK(list[0]["path"] == "/api/auth/v4/public/token");
  CHECK(list[0]["status"] == 201);
  CHECK(list[1]["path"] == "/api/dci/v3/server/1");
  CHECK(list[1]["user"] == "admin@example.com");
  CHECK(list[1]["duration_us"].is_number_integer());
  CHECK(list[2]["time"] == "2026-01-01T00:05:00Z");
  CHECK(list[2]["status"] == 404);
  CHECK(list[3]["path"] == "/api/auth/v4/token/<redacted>");
  std::string text = journal.json.dump();
  CHECK(text.find(admin) == std::string::npos);
  CHECK(text.find("secret") == std::string::npos);
}

TEST_CASE("emulator journal is a bounded ring") {
  auto parsed = mockdci::parse_inventory(default_inventory_json(), "default");
  REQUIRE(parsed.ok());
  common::VirtualClock clock;
  mockdci::EmulatorOptions options;
  options.inventory = *parsed;
  options.clock = &clock;
  options.journal_capacity = 3;
  auto emulator = mockdci::Emulator::create(std::move(options));
  REQUIRE(emulator.ok());
  for (int i = 1; i <= 5; ++i) (*emulator)->handle({"GET", "/nothing/" + std::to_string(i), {}, {}, ""});
  auto last = (*emulator)->journal(10);
  REQUIRE(last.size() == 3);
  CHECK(last[0].target == "/nothing/3");
  CHECK(last[2].target == "/nothing/5");
}

TEST_CASE("emulator injected 503 faults answer Unavailable to DCImanager calls but not to the control API") {
  EmulatorFixture f;
  std::string admin = f.login();
  REQUIRE(f.control("POST", "/mockdci/v1/faults", {{"unavailable", 2}, {"path_prefix", "/api/dci/v3/server"}}).status == 200);
  CHECK(f.get("/api/dci/v3/location", admin).status == 200);  // outside the prefix
  Answer first = f.get("/api/dci/v3/server/1", admin);
  CHECK(first.status == 503);
  CHECK(first.body == "Unavailable");
  CHECK(f.control("GET", "/mockdci/v1/faults").json["unavailable"] == 1);
  CHECK(f.get("/api/dci/v3/server/1", admin).status == 503);
  CHECK(f.get("/api/dci/v3/server/1", admin).status == 200);
}

TEST_CASE("emulator expiring every token makes clients log in again") {
  EmulatorFixture f;
  std::string admin = f.login();
  REQUIRE(f.control("POST", "/mockdci/v1/faults", {{"expire_tokens", true}}).status == 200);
  check_error_json(f.get("/api/dci/v3/server/1", admin), 401, "unauthorized");
  CHECK(f.get("/api/dci/v3/server/1", f.login()).status == 200);
}

TEST_CASE("emulator control API powers a server off out of band as an operator would") {
  EmulatorFixture f;
  std::string admin = f.login();
  Answer answer = f.control("POST", "/mockdci/v1/server/4", {{"power", "OFF"}});
  REQUIRE(answer.status == 200);
  CHECK(answer.json["power_status"] == "OFF");
  CHECK(f.get("/api/dci/v3/server/4", admin).json["power_status"] == "OFF");
  check_error_json(f.control("POST", "/mockdci/v1/server/4", {{"power", "DIM"}}), 400, "/power");
  check_error_json(f.control("POST", "/mockdci/v1/server/44", {{"power", "OFF"}}), 404, "not found");
}

TEST_CASE("emulator serves many connections at once consistently") {
  EmulatorFixture f;
  std::string admin = f.login();
  constexpr int kThreads = 8;
  constexpr int kRequests = 40;
  std::vector<int> failures(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      httplib::Client client("127.0.0.1", f.emulator->port());
      httplib::Headers headers = {{"x-xsrf-token", admin}};
      for (int i = 0; i < kRequests; ++i) {
        std::string path = "/api/dci/v3/server/" + std::to_string(1 + (t + i) % 9);
        auto result = client.Get(path.c_str(), headers);
        if (!result || result->status != 200) ++failures[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) CHECK(failures[t] == 0);
  CHECK(f.control("GET", "/mockdci/v1/journal?last=0").json["total"] == 1 + kThreads * kRequests);
}

TEST_CASE("emulator in-memory calls go through the same router as HTTP") {
  EmulatorFixture f;
  std::string admin = f.login();
  common::InMemoryTransport transport(f.emulator->handler());
  auto response = transport.send({"GET", "/api/dci/v3/server/3", {}, {{"Cookie", "ses6=" + admin}}, ""});
  REQUIRE(response.ok());
  CHECK(response->status == 200);
  CHECK(Json::parse(response->body) == f.get("/api/dci/v3/server/3", admin).json);
  auto query = transport.send({"GET", "/api/dci/v3/server", {{"limit", "0,2"}}, {{"x-xsrf-token", admin}}, ""});
  REQUIRE(query.ok());
  CHECK(Json::parse(query->body)["list"].size() == 2);
}

namespace {

// Writes a fresh self-signed certificate and key for 127.0.0.1 into `dir`.
void write_self_signed(const std::string& cert_path, const std::string& key_path) {
  EVP_PKEY* key = EVP_RSA_gen(2048);
  REQUIRE(key != nullptr);
  X509* cert = X509_new();
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  REQUIRE(X509_sign(cert, key, EVP_sha256()) > 0);
  FILE* cert_file = std::fopen(cert_path.c_str(), "w");
  FILE* key_file = std::fopen(key_path.c_str(), "w");
  REQUIRE((cert_file && key_file));
  PEM_write_X509(cert_file, cert);
  PEM_write_PrivateKey(key_file, key, nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(cert_file);
  std::fclose(key_file);
  X509_free(cert);
  EVP_PKEY_free(key);
}

}  // namespace

TEST_CASE("emulator serves HTTPS with a given certificate and key") {
  std::string cert = "mockdci_control_test_cert.pem";
  std::string key = "mockdci_control_test_key.pem";
  write_self_signed(cert, key);
  common::VirtualClock clock;
  mockdci::EmulatorOptions options;
  options.inventory = *mockdci::parse_inventory(default_inventory_json(), "default");
  options.clock = &clock;
  auto emulator = mockdci::Emulator::create(std::move(options));
  REQUIRE(emulator.ok());
  mockdci::TlsFiles tls{cert, key};
  REQUIRE((*emulator)->start("127.0.0.1", 0, &tls).ok());
  CHECK((*emulator)->base_url() == "https://127.0.0.1:" + std::to_string((*emulator)->port()));
  httplib::SSLClient client("127.0.0.1", (*emulator)->port());
  client.enable_server_certificate_verification(false);
  auto result = client.Post("/api/auth/v4/public/token", R"({"email":"admin@example.com","password":"secret"})", "application/json");
  REQUIRE(result);
  CHECK(result->status == 201);
  mockdci::TlsFiles missing{"/nonexistent/cert.pem", key};
  mockdci::EmulatorOptions other_options;
  other_options.inventory = *mockdci::parse_inventory(default_inventory_json(), "d");
  other_options.clock = &clock;
  auto other = mockdci::Emulator::create(std::move(other_options));
  REQUIRE(other.ok());
  CHECK_FALSE((*other)->start("127.0.0.1", 0, &missing).ok());
  std::remove(cert.c_str());
  std::remove(key.c_str());
}
