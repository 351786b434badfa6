// Specification of common/time.h: durations, instants and calendar months.
#include <catch2/catch.hpp>

#include "common/time.h"

using namespace dcisim::common;

TEST_CASE("durations parse with mandatory units and format back", "[unit][time]") {
  CHECK(parse_duration("90s").value() == Duration::seconds(90));
  CHECK(parse_duration("20m").value() == Duration::minutes(20));
  CHECK(parse_duration("2h").value() == Duration::hours(2));
  CHECK(parse_duration("31d").value() == Duration::days(31));
  CHECK(parse_duration("1d12h").value() == Duration::hours(36));
  CHECK(parse_duration("500ms").value() == Duration::ms(500));
  CHECK(format_duration(Duration::hours(36)) == "1d12h");
  CHECK(format_duration(Duration::minutes(20)) == "20m");
  CHECK(format_duration(Duration()) == "0s");
  for (const char* bad : {"", "10", "m", "5x", "1.5h", "-3d", "99999999999999999d"}) {
    INFO(bad);
    Result<Duration> parsed = parse_duration(bad);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().message.find("expected a number with a unit") != std::string::npos);
  }
}

TEST_CASE("instants format as ISO 8601 UTC and parse back", "[unit][time]") {
  Instant t = parse_instant("2026-01-31T13:45:07Z").value();
  CHECK(format_instant(t) == "2026-01-31T13:45:07Z");
  CHECK(format_date(t) == "2026-01-31");
  CHECK(parse_instant("2026-01-01").value() == Instant::from_unix_seconds(1767225600));
  CHECK(format_instant(Instant::from_unix_ms(1767225600123)) == "2026-01-01T00:00:00.123Z");
  for (const char* bad : {"2026-02-30", "2026-13-01", "2026-01-01T25:00:00Z", "2026-1-1", "yesterday",
                          "2026-01-01T00:00:00"}) {
    INFO(bad);
    CHECK_FALSE(parse_instant(bad).ok());
  }
}

TEST_CASE("civil dates round-trip across eras and leap years", "[unit][time]") {
  for (int64_t day = -800000; day <= 800000; day += 997) {
    CHECK(days_from_civil(civil_from_days(day)) == day);
  }
  CHECK(days_in_month(2024, 2) == 29);
  CHECK(days_in_month(2100, 2) == 28);
  CHECK(days_in_month(2000, 2) == 29);
  CHECK(days_in_month(2026, 4) == 30);
}

TEST_CASE("adding calendar months keeps the time of day and clamps the day", "[unit][time]") {
  Instant jan31 = parse_instant("2026-01-31T10:00:00Z").value();
  CHECK(format_instant(add_months(jan31, 1)) == "2026-02-28T10:00:00Z");
  CHECK(format_instant(add_months(jan31, 3)) == "2026-04-30T10:00:00Z");
  CHECK(format_instant(add_months(jan31, 12)) == "2027-01-31T10:00:00Z");
  CHECK(format_instant(add_months(parse_instant("2024-02-29").value(), 12)) == "2025-02-28T00:00:00Z");
  CHECK(format_instant(add_months(parse_instant("2026-03-15").value(), -3)) == "2025-12-15T00:00:00Z");
}

TEST_CASE("a duration over 100 years is an error, never a wrapped number", "[unit][time]") {
  CHECK(parse_duration("36500d").value() == kMaxDuration);
  for (const char* text : {"36501d", "90000000000d", "90000000000d90000000000d", "9223372036854775807ms",
                           "99999999999999999999999s", "36500d1ms", "5215w"}) {
    Result<Duration> parsed = parse_duration(text);
    INFO(text);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().message.find("longer than the limit of 36500d") != std::string::npos);
  }
  CHECK_FALSE(parse_duration("5d\xff").ok());
  CHECK(parse_duration("5d\xff").error().message.find("\xff") == std::string::npos);  // echoed printably
}
