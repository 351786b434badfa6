// Internal: the state behind an Emulator, shared by the route handlers (api_*.cpp). One mutex
// guards the model and the token generator; the router takes it around every handler (except
// the control API's clock advance, which must not hold it while the clock runs TimedWork that
// takes it). The journal and the socket server have their own synchronisation.
#pragma once

#include <memory>
#include <mutex>

#include "common/clock.h"
#include "common/rng.h"
#include "mockdci/emulator.h"
#include "mockdci/http_server.h"
#include "mockdci/journal.h"
#include "mockdci/model.h"
#include "mockdci/router.h"
#include "mockdci/server_rows.h"

namespace dcisim::mockdci {

// Lets a VirtualClock stop at each operation's end and settle it there.
class OperationWork final : public common::TimedWork {
 public:
  explicit OperationWork(EmulatorCore& core) : core_(core) {}
  std::optional<common::Instant> next_due() const override;
  void run_due(common::Instant now) override;

 private:
  EmulatorCore& core_;
};

struct EmulatorCore {
  explicit EmulatorCore(EmulatorOptions options_in);

  EmulatorOptions options;
  common::VirtualClock* virtual_clock = nullptr;  // the clock, when it is virtual
  mutable std::mutex mutex;
  Model model;             // guarded by mutex
  common::Rng token_rng;   // guarded by mutex
  ServerRows server_rows;  // guarded by mutex; follows Model::touched, invalidated by reset
  Journal journal;
  Router router;
  HttpServer server;
  std::string host;  // where the server listens, for base_url
  OperationWork operation_work{*this};

  // Caller holds `mutex`.
  std::string new_token_value();
  std::string new_key_value();  // one-time login keys: 40 hex digits
  void settle_locked(common::Instant now);
  void reset_locked();
};

// Route tables, one per API (api_auth.cpp, api_servers.cpp, api_catalog.cpp, api_ipmgr.cpp,
// api_control.cpp, api_public.cpp).
void add_auth_routes(Router& router, EmulatorCore& core);
void add_auth_user_routes(Router& router, EmulatorCore& core);  // api_auth_users.cpp
void add_server_routes(Router& router, EmulatorCore& core);
void add_catalog_routes(Router& router, EmulatorCore& core);
void add_ipmgr_routes(Router& router, EmulatorCore& core);
void add_control_routes(Router& router, EmulatorCore& core);
void add_fault_routes(Router& router, EmulatorCore& core);  // api_faults.cpp
// The faults and timings as GET /mockdci/v1/faults shows them (also in /mockdci/v1/state).
nlohmann::json faults_json(const Model& model);
void add_public_routes(Router& router, EmulatorCore& core);  // api_public.cpp: health, OpenAPI

}  // namespace dcisim::mockdci
