// Changing one server's switch ports and power, shared by suspend, resume and sync. Each change is
// announced to a `Checkpoint` first (the operation persists its intent before the request is
// sent; sync passes one that always agrees), and each reads the server again afterwards so the
// caller sees the state the change produced.
//   ports: the suspend/resume routes (state `suspended` <-> `active`, API.md §7), then a port edit
//          for any data link still in the wrong admin_status (a port flipped by hand);
//   power: power_on only when OFF (or UNKNOWN, if allowed), power_off only when ON (API.md §4).
#pragma once

#include <functional>
#include <string>

#include "billing/dci6/client.h"
#include "billing/dci6/server_facts.h"

namespace dcisim::billing::dci6 {

// Called with what is about to be done ("suspend server 5"); a failed Status stops the change.
using Checkpoint = std::function<common::Status(const std::string& intent)>;

struct ChangeOutcome {
  bool changed = false;       // a request that changes the server was sent and accepted
  bool transitional = false;  // the server is `suspending`/`resuming`, or a power change is under
                              // way (an operation runs, the power is not there yet): look again later
  std::string detail;         // what was done, for people
};

class ServerActions {
 public:
  ServerActions(Dci6Client& client, Checkpoint checkpoint) : client_(client), checkpoint_(std::move(checkpoint)) {}

  // GET /server/{id}, with unknown port states filled in from the switches' port lists.
  ApiResult<ServerFacts> load(int64_t server_id);

  // Brings the data ports of `server` up or down; `server` is re-read after a change.
  ApiResult<ChangeOutcome> set_ports(ServerFacts& server, bool up);
  // Powers the server on or off when needed. `on_from_unknown`: also power on when UNKNOWN.
  // Powering off a server whose power is UNKNOWN is an error (kind conflict): it may be on.
  // While an operation runs on the server (before the change, or the change itself when
  // DCImanager carries it out over time) the outcome is `transitional`: look again later.
  ApiResult<ChangeOutcome> set_power(ServerFacts& server, bool on, bool on_from_unknown);

 private:
  ApiResult<ChangeOutcome> edit_ports(ServerFacts& server, bool up, ChangeOutcome outcome);
  // Checkpoints `intent`, then calls; errors from either come back as an ApiError.
  ApiResult<Json> change(const std::string& intent, RouteId route, const PathParams& params, const Json& body);

  Dci6Client& client_;
  Checkpoint checkpoint_;
};

bool is_transitional_state(const std::string& state);  // "suspending" | "resuming"

// The servers `client_email` (any case) holds with `domain`, by id: how a service recognises its
// server without having recorded its id (a lost answer, a canceled open).
ApiResult<std::vector<ServerFacts>> servers_held_by(Dci6Client& client, const std::string& client_email,
                                                    const std::string& domain);

}  // namespace dcisim::billing::dci6
