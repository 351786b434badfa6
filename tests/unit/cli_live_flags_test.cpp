// The live commands' flags: repeatable --allow-server, no credential in a flag, the password
// from exactly one source.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "cli/live_flags.h"

using namespace dcisim;
using namespace dcisim::cli;

namespace {

Args parse(const std::vector<std::string>& words) {
  std::vector<FlagSpec> flags = endpoint_flags();
  flags.push_back({"--allow-server", true, true});
  flags.push_back({"--timeout-op"});
  auto args = Args::parse(words, flags);
  REQUIRE(args.ok());
  return *args;
}

}  // namespace

TEST_CASE("allow-server flags repeat and take lists, and duplicates and non-ids are refused", "[cli][live]") {
  auto ids = read_allowed_servers(parse({"--allow-server", "5", "--allow-server=7,9"}));
  REQUIRE(ids.ok());
  CHECK(*ids == std::vector<int64_t>{5, 7, 9});
  CHECK_THAT(read_allowed_servers(parse({"--allow-server", "5,5"})).error().message, Catch::Contains("given twice"));
  CHECK_THAT(read_allowed_servers(parse({"--allow-server", "x"})).error().message, Catch::Contains("--allow-server expects an integer"));
  auto once = Args::parse({"--email", "a", "--email", "b"}, endpoint_flags());
  CHECK_FALSE(once.ok());  // other flags still may not repeat
}

TEST_CASE("a credential in a flag is refused without echoing it", "[cli][live]") {
  auto refused = refuse_credential_flags({"--endpoint", "https://x", "--password=hunter2"});
  REQUIRE_FALSE(refused.ok());
  CHECK_THAT(refused.error().message, Catch::Contains("--password is not accepted"));
  CHECK(refused.error().message.find("hunter2") == std::string::npos);
  CHECK(refuse_credential_flags({"--password-env", "X"}).ok());
}

TEST_CASE("the password comes from exactly one of an environment variable or a file", "[cli][live]") {
  setenv("DCISIM_FLAGS_TEST_PASSWORD", "pw-from-env", 1);
  auto endpoint = read_endpoint(parse({"--endpoint", "https://dci.example.com", "--email", "a@example.com",
                                       "--password-env", "DCISIM_FLAGS_TEST_PASSWORD"}),
                                true);
  REQUIRE(endpoint.ok());
  CHECK(endpoint->password == "pw-from-env");
  auto both = read_endpoint(parse({"--endpoint", "https://dci.example.com", "--email", "a@example.com", "--password-env",
                                   "DCISIM_FLAGS_TEST_PASSWORD", "--password-file", "/nonexistent"}),
                            true);
  REQUIRE_FALSE(both.ok());
  CHECK_THAT(both.error().message, Catch::Contains("exactly one of --password-env VAR or --password-file FILE"));
  auto insecure_with_ca = read_endpoint(parse({"--endpoint", "https://dci.example.com", "--email", "a@example.com",
                                               "--password-env", "DCISIM_FLAGS_TEST_PASSWORD", "--ca", "x.pem", "--insecure"}),
                                        true);
  REQUIRE_FALSE(insecure_with_ca.ok());
  CHECK_THAT(insecure_with_ca.error().message, Catch::Contains("--ca and --insecure contradict each other"));
  CHECK_THAT(read_timeout_op(parse({"--timeout-op", "8d"})).error().message, Catch::Contains("from 1s to 7d"));
  unsetenv("DCISIM_FLAGS_TEST_PASSWORD");
}
