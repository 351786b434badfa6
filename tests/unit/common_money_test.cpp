// Specification of common/money.h: exact amounts, one rounding rule.
#include <catch2/catch.hpp>

#include "common/money.h"

using namespace dcisim::common;

TEST_CASE("amounts parse exactly and print with at least two decimals", "[unit][money]") {
  CHECK(Money::parse("12.34").value().sub_units() == 123400);
  CHECK(Money::parse("-0.1048").value().sub_units() == -1048);
  CHECK(Money::parse("5").value() == Money::from_units(5));
  CHECK(Money::parse("+7.5").value().to_string() == "7.50");
  CHECK(Money::parse("0.1048").value().to_string() == "0.1048");
  CHECK(Money::from_units(5).to_string() == "5.00");
  CHECK(Money::parse("-3.5").value().to_string() == "-3.50");
  for (const char* bad : {"", "1.23456", "abc", "1,5", ".5", "5.", "--1", "123456789012345"}) {
    INFO(bad);
    Result<Money> parsed = Money::parse(bad);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().message.find("at most 4 decimals") != std::string::npos);
  }
}

TEST_CASE("display rounds half to even, once", "[unit][money]") {
  CHECK(Money::parse("0.1048").value().to_display() == "0.10");
  CHECK(Money::parse("0.125").value().to_display() == "0.12");
  CHECK(Money::parse("0.135").value().to_display() == "0.14");
  CHECK(Money::parse("-0.125").value().to_display() == "-0.12");
  CHECK(Money::parse("-0.135").value().to_display() == "-0.14");
}

TEST_CASE("pro-rata scales with half-even rounding", "[unit][money]") {
  // 30.00 for the 17 days left of a 31-day month: 30 * 17 / 31 = 16.451612... -> 16.4516
  Money price = Money::from_units(30);
  CHECK(price.scale(17, 31).to_string() == "16.4516");
  // exactly half a sub-unit rounds to even
  CHECK(Money::from_sub_units(1).scale(1, 2).sub_units() == 0);
  CHECK(Money::from_sub_units(3).scale(1, 2).sub_units() == 2);
  CHECK(Money::from_sub_units(-3).scale(1, 2).sub_units() == -2);
  CHECK(price.scale(31, 31) == price);
}

TEST_CASE("splitting puts the remainder on the last part and sums exactly", "[unit][money]") {
  Money total = Money::parse("100.00").value();
  auto parts = total.split(3);
  REQUIRE(parts.size() == 3);
  CHECK(parts[0].to_string() == "33.3333");
  CHECK(parts[2].to_string() == "33.3334");
  CHECK(parts[0] + parts[1] + parts[2] == total);
  auto negative = Money::from_sub_units(-10).split(4);
  CHECK(negative[0] + negative[1] + negative[2] + negative[3] == Money::from_sub_units(-10));
}
