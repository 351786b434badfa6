// A DCImanager 6 endpoint as certify and the live target reach it: its URL, the administrator's
// e-mail, the password (read from an environment variable or a file, never from a flag value),
// TLS trust, and the module's route table with an operator's overrides (`--routes FILE`).
//
//   EndpointOptions endpoint;
//   endpoint.url = "https://dci.example.com";
//   endpoint.email = "admin@example.com";
//   DCISIM_ASSIGN_OR_RETURN(endpoint.password, read_password("DCI_PASSWORD", std::nullopt));
//   DCISIM_RETURN_IF_ERROR(load_routes_file("routes.json", endpoint.routes));
//   DCISIM_ASSIGN_OR_RETURN(auto transport, connect_endpoint(endpoint));
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "billing/dci6/routes.h"
#include "billing/dci6/settings.h"
#include "common/http.h"
#include "common/result.h"
#include "common/time.h"

namespace dcisim::certify {

struct EndpointOptions {
  std::string url;          // "https://dci.example.com[:port][/prefix]"
  std::string email;        // a DCImanager administrator
  std::string password;     // never printed, logged, journaled or written to a ledger
  std::string ca_file;      // PEM CAs to trust; "" = the system store
  bool insecure = false;    // skip TLS verification (explicit opt-out)
  billing::dci6::RouteTable routes = billing::dci6::RouteTable::defaults();
  std::string routes_file;  // where the overrides came from; "" = none
  common::Duration connect_timeout = common::Duration::seconds(10);
  common::Duration read_timeout = common::Duration::seconds(60);
};

// The password from exactly one source: the environment variable `env_var` or the first line of
// `file`. Errors say which is missing or empty, never what the value is.
common::Result<std::string> read_password(const std::optional<std::string>& env_var,
                                          const std::optional<std::string>& file);

// Applies route overrides from a JSON file: {"server.issue": "POST /api/dci/v3/server/{id}/assign"},
// or the same object under "routes" (as in the module's settings). Errors name the file and the
// JSON pointer; on error `routes` is unchanged.
common::Status load_routes_file(const std::string& path, billing::dci6::RouteTable& routes);

// Checks the URL and the TLS options (an error names what is wrong).
common::Status check_endpoint(const EndpointOptions& endpoint);

// The DCImanager 6 module's settings for this endpoint: URL, credentials, TLS, timeouts, routes.
billing::dci6::Dci6Settings module_settings(const EndpointOptions& endpoint);

// An HTTP(S) transport to the endpoint (connects on the first request).
common::Result<std::unique_ptr<common::HttpTransport>> connect_endpoint(const EndpointOptions& endpoint);

}  // namespace dcisim::certify
