// A DCImanager server object (GET /api/dci/v3/server[/{id}], API.md §4) read into plain facts,
// tolerant of what varies between versions: missing or null fields, `owner` as an id or an
// object, `location_id` or `location {id}`, `switch` as an id or an object, IP `family` as text
// or as the IPmanager number (2 = IPv4, 10 = IPv6), `power_status` and `state` in any case (the
// documentation writes `ON`, a real answer `on`): the facts spell them one way.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "billing/provisioning.h"

namespace dcisim::billing::dci6 {

using Json = nlohmann::json;

// One switch connection of a server (`switch_connection[]`).
struct SwitchLink {
  int64_t switch_id = 0;
  int64_t port_id = 0;        // `connection_id`: the port on the switch [ASSUMED]
  std::string admin_status;   // "up" | "down"; "" when the server object does not say
  bool ipmi = false;          // the IPMI link is never switched off by a suspension
};

struct ServerFacts {
  int64_t id = 0;
  std::string name;
  std::string domain;
  std::string configuration;
  std::string state;          // "active", "suspending", "suspended", "resuming", ... (lower case)
  std::optional<int64_t> owner;
  std::string owner_email;    // "" when free
  std::string power;          // "ON" | "OFF" | "UNKNOWN", whatever case DCImanager wrote
  int64_t location_id = 0;
  bool is_new = false;
  bool maintenance = false;
  bool diagnostics_running = false;
  int64_t operation_id = 0;   // the last operation; 0 when none
  std::string operation_status;  // "running", "ok", "failed", "canceled" (lower case); "" when none
  std::string operation_info;    // status_info, for messages
  std::vector<RemoteAddress> addresses;
  std::vector<SwitchLink> links;
  bool complete = true;       // false when a list row lacked `ip` or `switch_connection`
};

ServerFacts read_server(const Json& row);

// DCImanager's rule for a server that may be issued (API.md §4): no owner, diagnostics done, last
// operation ok or canceled (or none), not in maintenance, not new.
bool available_for_sale(const ServerFacts& server);
// Free of an owner but not yet available: diagnostics or another operation still running.
bool becoming_available(const ServerFacts& server);

// "" when the server is held by `client_email` (any case) with `domain`, or when both are empty
// (nothing to check); otherwise what holds it instead, for people: "server 5 is held by
// b@example.com (domain s9.example.net), not by a@example.com (domain s7.example.net)".
std::string holder_mismatch(const ServerFacts& server, const std::string& client_email, const std::string& domain);

int count_addresses(const ServerFacts& server, const std::string& family);  // "ipv4" | "ipv6"

// Over the data links (IPMI excluded) whose admin_status is known: every one up / down. A server
// with no known data link is both.
bool data_ports_up(const ServerFacts& server);
bool data_ports_down(const ServerFacts& server);
// True when some data link's admin_status is unknown (the switch's port list must be read).
bool needs_port_lookup(const ServerFacts& server);

}  // namespace dcisim::billing::dci6
