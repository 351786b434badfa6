// Fuzz target: the emulator's request handling through the in-memory path (the same router,
// auth, JSON and errors as the socket). Method, path, query, headers and body come from the
// input; requests carry an administrator's or a user's token so that authenticated routes are
// reached. Promises: every answer is DCImanager's (a status in 200..599; a JSON body, with
// {"error": {"code", "msg"}} on errors; 503 may be plain "Unavailable"), and nothing throws.
//
// The emulator persists across inputs (libFuzzer calls this many times in one process) and is
// reset every kInputsPerReset inputs, logging in again then, not on every input. A finding may
// therefore depend on the inputs before it; replaying its file alone says whether it does.
#include <cstdint>
#include <memory>

#include "common/clock.h"
#include "common/json_input.h"
#include "fuzz/targets/fuzz_input.h"
#include "mockdci/default_inventory.h"
#include "mockdci/emulator.h"

namespace {

using dcisim::common::HttpRequest;
using dcisim::common::HttpResponse;
using dcisim::fuzz::fail;
using dcisim::fuzz::FuzzInput;

constexpr size_t kInputsPerReset = 512;

struct World {
  dcisim::common::VirtualClock clock;
  std::unique_ptr<dcisim::mockdci::Emulator> emulator;
  std::string admin_token;
  std::string user_token;
  size_t inputs = 0;

  std::string login(const std::string& email, const std::string& password) {
    HttpRequest request{"POST", "/api/auth/v4/public/token", {}, {},
                        R"({"email":")" + email + R"(","password":")" + password + R"("})"};
    HttpResponse answer = emulator->handle(request);
    auto parsed = dcisim::common::parse_json_text(answer.body, "login", false);
    if (answer.status != 201 || !parsed || !parsed->contains("token")) fail("cannot log in as " + email + ": " + answer.body);
    return parsed->at("token").get<std::string>();
  }

  void start() {
    emulator->reset();
    admin_token = login("admin@example.com", "secret");
    HttpRequest create{"POST", "/api/dci/v3/user", {}, {{"x-xsrf-token", admin_token}},
                       R"({"email":"user@example.com","password":"user-pass","role":"@user"})"};
    emulator->handle(create);
    user_token = login("user@example.com", "user-pass");
  }
};

World& world() {
  // The one piece of state a libFuzzer target keeps between inputs (see the file comment).
  static World* w = [] {
    auto* made = new World;
    dcisim::mockdci::EmulatorOptions options;
    options.inventory = *dcisim::mockdci::default_inventory();
    options.clock = &made->clock;
    options.control_token = "control-token";
    options.journal_capacity = 64;  // the journal route serialises all of it: keep inputs fast
    made->emulator = std::move(dcisim::mockdci::Emulator::create(std::move(options)).value());
    made->start();
    return made;
  }();
  return *w;
}

HttpRequest request_from(FuzzInput& in, const World& w) {
  HttpRequest request;
  request.method = std::string(in.pick({"GET", "GET", "POST", "POST", "DELETE", "PUT", "HEAD", "PATCH", "get", ""}));
  std::string prefix(in.pick({"/api/dci/v3/server", "/api/dci/v3/server/1", "/api/dci/v3/server/2/", "/api/dci/v3/user",
                              "/api/dci/v3/switch/1/port", "/api/ip/v3/ip", "/api/ip/v3/ippool/1/ip",
                              "/api/dci/v3/ipmgr/ip", "/api/auth/v4/public/token", "/auth/v4/token", "/api/ip/v3/ipnet",
                              "/mockdci/v1/faults", "/mockdci/v1/server/3", "/mockdci/v1/journal", "/", ""}));
  request.path = prefix + in.text(48);
  size_t params = in.below(4);
  for (size_t i = 0; i < params; ++i) {
    std::string key(in.pick({"where", "orderby", "limit", "last"}));
    if (in.flag()) key = in.text(12);
    request.query.emplace_back(key, in.text(96));
  }
  switch (in.below(5)) {
    case 0: request.headers.emplace_back("x-xsrf-token", w.admin_token); break;
    case 1: request.headers.emplace_back("Cookie", "ses6=" + w.user_token); break;
    case 2: request.headers.emplace_back("Authorization", "Bearer control-token"); break;
    case 3: request.headers.emplace_back(in.text(16), in.text(64)); break;
    default: break;
  }
  request.body = in.rest();
  return request;
}

void check_answer(const HttpRequest& request, const HttpResponse& answer) {
  std::string what = request.method + " " + request.target() + " -> " + std::to_string(answer.status) + " " + answer.body;
  if (answer.status < 200 || answer.status > 599) fail("status out of range: " + what);
  if (answer.status == 503 && answer.body == "Unavailable") return;
  auto body = dcisim::common::parse_json_text(answer.body, "answer", false);
  if (!body) fail("the answer is not JSON: " + what);
  if (answer.status >= 400) {
    const auto& error = body->contains("error") ? (*body)["error"] : nlohmann::json();
    if (!error.is_object() || !error.contains("code") || !error["code"].is_number_integer() || !error.contains("msg") ||
        !error["msg"].is_string()) {
      fail("an error without DCImanager's error JSON: " + what);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  World& w = world();
  if (++w.inputs % kInputsPerReset == 0) w.start();
  FuzzInput in(data, size);
  HttpRequest request = request_from(in, w);
  HttpResponse answer = w.emulator->handle(request);
  check_answer(request, answer);
  return 0;
}
