// What `dcisim serve` tells a client developer besides its flags: how to log in (the default
// administrator), where the control token is, and, once listening, one curl command to try.
#pragma once

#include <string>

namespace dcisim::cli {

// Appended to `dcisim serve --help`.
std::string serve_login_help();

// `curl -s -X POST <base_url>/api/auth/v4/public/token -H 'Content-Type: application/json'
//  -d '{"email":"...","password":"..."}'` (with -k for https, whose certificate curl may not
// trust), shell-quoted.
std::string serve_example_curl(const std::string& base_url, const std::string& email, const std::string& password);

}  // namespace dcisim::cli
