// A small scripted DCImanager for the module's unit tests: servers, users, addresses, operations
// and switch ports in plain maps, answering the routes of API.md in-process. A test double (it
// does not parse `where`: the module filters what it reads), not the emulator: the emulator lives
// in mockdci/ and is tested against the module end to end. Knobs let a test finish operations,
// hold transitions, lose responses and see every request.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "billing/provisioning.h"
#include "common/http.h"

namespace dcisim::testing {

using Json = nlohmann::json;

struct FakeServer {
  int64_t id = 0;
  std::string name;
  std::string configuration;
  int64_t location_id = 1;
  std::string domain;
  std::string state = "active";
  std::string power = "ON";
  std::optional<int64_t> owner;
  bool is_new = false;
  bool maintenance = false;
  bool diagnostics = false;
  int64_t operation_id = 0;
  std::string operation_status;  // "" = none
  std::string pending_power;     // a held power change: "ON"/"OFF" once settled
  bool releasing = false;        // a held release: the owner goes once settled
  std::vector<int64_t> ips;
  int64_t switch_id = 1;
  int64_t port_id = 0;
};

class FakeDci {
 public:
  int64_t add_server(const std::string& configuration, int64_t location_id);
  int64_t add_user(const std::string& email);
  common::HttpResponse handle(const common::HttpRequest& request);

  // Every running operation ends with `status` ("ok", "failed"); diagnostics end too.
  void finish_operations(const std::string& status);
  // Transitional states end: suspending -> suspended, resuming -> active; held power changes and
  // releases take effect.
  void settle_transitions();
  size_t count(const std::string& method, const std::string& path) const;
  std::vector<common::HttpRequest> mutations() const;  // POST/DELETE other than the login

  bool pool_has_ipv6 = true;
  bool hold_transitions = false;    // suspend/resume leave the server suspending/resuming
  bool hold_power = false;          // power_on/off run as an operation; the power changes when settled
  bool hold_release = false;        // a release leaves the server `releasing`, owner kept, until settled
  bool omit_port_status = false;    // server objects leave admin_status out (read the switch)
  std::map<int64_t, std::string> refuse_issue;  // server id -> message: issuing it answers 409
  std::map<int64_t, FakeServer> servers;
  std::map<int64_t, std::string> users;  // id -> e-mail
  std::map<int64_t, std::string> port_status;  // port id -> "up" | "down"
  std::vector<common::HttpRequest> requests;
  std::map<std::string, std::string> scripts = {{"nginx", "all"}, {"private-tool", "admin"}};

 private:
  Json server_json(const FakeServer& server) const;
  common::HttpResponse route(const common::HttpRequest& request, const Json& body);
  common::HttpResponse server_call(FakeServer& server, const std::string& action, const common::HttpRequest& request,
                                   const Json& body);
  int64_t allocate_ip(const std::string& family);

  int64_t next_id_ = 1;
  std::map<int64_t, std::pair<std::string, std::string>> ips_;  // id -> (address, family)
  int64_t ipv4_host_ = 10;
  int64_t ipv6_host_ = 10;
};

// The fake behind a transport that can lose answers: a matching request is carried out, but the
// caller gets an io error (the "unknown outcome" of a real network).
class LossyTransport final : public common::HttpTransport {
 public:
  explicit LossyTransport(FakeDci& dci) : dci_(dci) {}
  common::Result<common::HttpResponse> send(const common::HttpRequest& request) override;
  std::string describe() const override { return "fake-dci"; }

  // The next `times` requests whose method and path match lose their answer.
  void lose_answers(std::string method, std::string path_suffix, int times = 1);

 private:
  FakeDci& dci_;
  std::string lose_method_;
  std::string lose_suffix_;
  int lose_left_ = 0;
};

// An OperationContext on a settable instant that records checkpoints and the number of requests
// the fake had seen at each one.
class RecordingContext final : public billing::OperationContext {
 public:
  explicit RecordingContext(const FakeDci& dci) : dci_(dci) {}
  common::Instant now() const override { return now_; }
  common::Status checkpoint(const Json& progress) override;

  common::Instant now_ = common::Instant::from_unix_seconds(1767225600);
  bool fail_checkpoints = false;
  std::vector<Json> checkpoints;
  std::vector<size_t> requests_at_checkpoint;

 private:
  const FakeDci& dci_;
};

}  // namespace dcisim::testing
