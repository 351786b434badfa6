// Specification of the command-line parser every dcisim command uses.
#include <catch2/catch.hpp>

#include "cli/args.h"

using dcisim::cli::Args;

TEST_CASE("flags take values after a space, after '=' and, for one-letter flags, glued on", "[unit][cli]") {
  auto args = Args::parse({"scenarios/suite", "--seed", "7", "--out=reports", "-j", "2", "--quiet", "more.json"},
                          {{"--seed"}, {"--out"}, {"-j"}, {"--quiet", false}});
  REQUIRE(args.ok());
  CHECK(args->value("--seed") == std::optional<std::string>("7"));
  CHECK(args->value("--out") == std::optional<std::string>("reports"));
  CHECK(args->value("-j") == std::optional<std::string>("2"));
  CHECK(args->has("--quiet"));
  CHECK(args->positional() == std::vector<std::string>{"scenarios/suite", "more.json"});
  auto glued = Args::parse({"-j4"}, {{"-j"}});
  REQUIRE(glued.ok());
  CHECK(glued->value("-j") == std::optional<std::string>("4"));
  auto dash = Args::parse({"-", "-5"}, {{"-j"}});
  REQUIRE(dash.ok());
  CHECK(dash->positional() == std::vector<std::string>{"-", "-5"});
}

TEST_CASE("unknown, repeated and incomplete flags are one-line errors", "[unit][cli]") {
  CHECK(Args::parse({"--jobs", "2"}, {{"-j"}}).error().message == "unknown option --jobs");
  CHECK(Args::parse({"-x"}, {{"-j"}}).error().message == "unknown option -x");
  CHECK(Args::parse({"-j", "1", "-j", "2"}, {{"-j"}}).error().message == "-j is given twice");
  CHECK(Args::parse({"--seed"}, {{"--seed"}}).error().message == "--seed needs a value");
  CHECK(Args::parse({"--quiet=yes"}, {{"--quiet", false}}).error().message == "--quiet takes no value");
}
