// A scripted stand-in for a processing module, for testing the billing core at the module
// boundary (the database is always real). It keeps a small remote side in memory — servers with
// owner, domain, ports, power and addresses from an IPv4 and an IPv6 pool — and behaves like the
// DCImanager 6 module is meant to: checkpoints before each remote change, adopts the server that
// already carries the order's domain, installs for `install_time` of clock time. It can be told
// to fail the next N steps, to lose the response of the next remote change after applying it, to
// refuse (manual), to throw, and to drift a server behind billing's back.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "billing/provisioning.h"
#include "common/time.h"

namespace dcisim::testing {

using billing::Json;

struct ScriptedServer {
  int64_t id = 0;
  std::string configuration;
  int64_t location_id = 0;
  std::string owner_email;  // "" when free
  int64_t owner_user_id = 0;
  std::string domain;
  std::string power = "ON";
  bool ports_up = true;
  common::Instant installed_at;  // when the OS install of the current owner ends
  std::vector<billing::RemoteAddress> addresses;
};

class ScriptedModule final : public billing::ProvisioningModule {
 public:
  explicit ScriptedModule(int ipv4_pool_size = 32, int ipv6_pool_size = 32);

  void add_server(int64_t id, const std::string& configuration, int64_t location_id);

  // ---- behaviour ----
  common::Duration install_time = common::Duration::minutes(20);
  // The next `steps` module steps (any kind) fail before touching anything: `retry`.
  void fail_next(int steps, const std::string& message = "503 Service Unavailable");
  // The next remote change is applied, then the step reports `retry` as if the response was lost.
  void lose_next_response();
  // The next step answers `manual` with this message.
  void refuse_next(const std::string& message);
  // The next step throws std::runtime_error.
  void throw_next();
  // Changes a server's ports/power behind billing's back (what sync must repair).
  void drift(int64_t server_id, bool ports_up, const std::string& power);
  // Gives a free server to an owner by hand, outside billing (an operator's mistake).
  void assign(int64_t server_id, const std::string& owner_email, const std::string& domain);
  // Makes the next sync fail.
  void fail_next_sync() { fail_sync_ = true; }

  // ---- observations ----
  int servers_taken() const { return servers_taken_; }  // issue calls that took a server, ever
  int owned_servers() const;
  const ScriptedServer* server(int64_t id) const;
  const ScriptedServer* server_of_domain(const std::string& domain) const;
  const std::vector<std::string>& calls() const { return calls_; }
  int free_ipv4() const;

  // ---- ProvisioningModule ----
  std::string name() const override { return "scripted"; }
  billing::StepResult open(const billing::OpenOrder& order, const Json& progress,
                           billing::OperationContext& context) override;
  billing::StepResult suspend(const billing::RemoteService& service, const Json& progress,
                              billing::OperationContext& context) override;
  billing::StepResult resume(const billing::RemoteService& service, const Json& progress,
                             billing::OperationContext& context) override;
  billing::StepResult close(const billing::RemoteService& service, const Json& progress,
                            billing::OperationContext& context) override;
  bool may_hold_server(const Json& open_progress) const override {
    return open_progress.is_object() && open_progress.contains("server_id");
  }
  common::Result<std::vector<billing::SyncAction>> sync(
      const std::vector<billing::SyncExpectation>& expected) override;
  common::Result<billing::RemoteView> remote_view() override;

 private:
  std::optional<billing::StepResult> scripted_outcome(const std::string& call);
  billing::StepResult finish_open(const billing::OpenOrder& order, ScriptedServer& server,
                                  billing::OperationContext& context);
  common::Status take_server(const billing::OpenOrder& order, ScriptedServer& server,
                             common::Instant now);
  billing::StepResult set_state(const billing::RemoteService& service, bool active,
                                billing::OperationContext& context, const char* call);
  std::optional<billing::RemoteAddress> allocate(const std::string& family);
  void release(ScriptedServer& server);

  std::map<int64_t, ScriptedServer> servers_;
  std::map<std::string, int64_t> users_;  // e-mail -> remote user id
  std::vector<bool> ipv4_used_;
  std::vector<bool> ipv6_used_;
  int fail_steps_ = 0;
  std::string fail_message_;
  bool lose_response_ = false;
  std::optional<std::string> refuse_message_;
  bool throw_ = false;
  bool fail_sync_ = false;
  int servers_taken_ = 0;
  std::vector<std::string> calls_;
};

}  // namespace dcisim::testing
