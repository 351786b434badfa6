// Flags shared by `dcisim certify` and `dcisim run --target live`: where the DCImanager is and how
// to log in. The password is read from an environment variable or a file, never from a flag's
// value; a `--password` flag is refused with a message saying so (without echoing the value).
#pragma once

#include <string>
#include <vector>

#include "certify/endpoint.h"
#include "cli/args.h"
#include "common/result.h"
#include "common/time.h"

namespace dcisim::cli {

// --endpoint, --email, --password-env, --password-file, --ca, --insecure, --routes.
std::vector<FlagSpec> endpoint_flags();

// An error naming a credential flag the command refuses ("--password ..."), or success.
common::Status refuse_credential_flags(const std::vector<std::string>& words);

// Reads the endpoint flags. `need_url`: --endpoint and --email are required (cleanup takes them
// from the ledger instead).
common::Result<certify::EndpointOptions> read_endpoint(const Args& args, bool need_url);

// --allow-server 5 --allow-server 7,9: positive ids, no duplicates.
common::Result<std::vector<int64_t>> read_allowed_servers(const Args& args);

// --timeout-op D: from 1s to 7d (default 90m).
common::Result<common::Duration> read_timeout_op(const Args& args);

}  // namespace dcisim::cli
