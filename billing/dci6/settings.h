// The DCImanager 6 processing module's settings: where DCImanager is, how to log in, how to talk
// to it (TLS, timeouts, retries) and how to provision (polling, bounds, route overrides). A plain
// struct with documented defaults (docs/DCI6_MODULE.md), read from a JSON object such as
//   {"base_url": "https://dci.example.com", "admin_email": "admin@example.com",
//    "admin_password": "secret", "ca_file": "/etc/dcisim/dci-ca.pem", "poll_interval": "30s",
//    "routes": {"server.issue": "POST /api/dci/v3/server/{id}/owner"}}
// Every error names the source and the JSON pointer of the offending value.
#pragma once

#include <cstdint>
#include <string>

#include "billing/dci6/routes.h"
#include "common/json_input.h"
#include "common/result.h"
#include "common/time.h"

namespace dcisim::billing::dci6 {

struct Dci6Settings {
  // Connection.
  std::string base_url;        // "https://dci.example.com[:port][/prefix]"; http:// allowed
  std::string admin_email;     // a DCImanager administrator
  std::string admin_password;  // never logged, never in an error message
  std::string ca_file;         // PEM file of CAs to trust; "" = the system's trust store
  bool insecure = false;       // explicit opt-out of TLS certificate verification
  common::Duration connect_timeout = common::Duration::seconds(10);
  common::Duration read_timeout = common::Duration::seconds(60);
  bool keep_alive = true;

  // Retries inside one call: 503 ("repeat the requests until another code is received", API.md
  // §1) is retried at most this many times, waiting start, 2*start, 4*start, ... up to cap.
  int max_unavailable_retries = 10;
  common::Duration retry_backoff_start = common::Duration::ms(200);
  common::Duration retry_backoff_cap = common::Duration::seconds(5);

  // Provisioning.
  common::Duration poll_interval = common::Duration::seconds(30);     // between two looks at an operation
  common::Duration operation_timeout = common::Duration::hours(4);    // an install or wait past this -> manual
  int max_install_attempts = 3;     // failed OS installs before the operation becomes manual
  bool by_server_type = true;       // off: "no free server" also names similar free configurations
  int list_page_size = 200;         // rows per page when listing (limit=offset,size)
  std::string domain_suffix = "dcisim.invalid";  // for orders without a domain: "service-<id>.<suffix>"

  RouteTable routes = RouteTable::defaults();

  // Builds with DCISIM_PLANTED_BUGS only (common/planted.h): set by `--plant`, never from files.
  std::string planted_bug;
};

// Reads settings from a JSON object; `node` is usually JsonNode::root(document, path). Unknown
// fields are errors (a misspelt "insecure" must not silently keep verification semantics unclear).
common::Result<Dci6Settings> parse_dci6_settings(const common::JsonNode& node);

}  // namespace dcisim::billing::dci6
