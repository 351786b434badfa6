// Time as types: `Duration` (a span, in milliseconds) and `Instant` (a point in UTC, milliseconds
// since the Unix epoch), calendar arithmetic for billing periods (`add_months`), and the text
// forms used in files and reports ("20m", "31d", "2026-01-31T00:00:00Z").
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace dcisim::common {

class Duration {
 public:
  constexpr Duration() = default;
  static constexpr Duration ms(int64_t n) { return Duration(n); }
  static constexpr Duration seconds(int64_t n) { return Duration(n * 1000); }
  static constexpr Duration minutes(int64_t n) { return Duration(n * 60'000); }
  static constexpr Duration hours(int64_t n) { return Duration(n * 3'600'000); }
  static constexpr Duration days(int64_t n) { return Duration(n * 86'400'000); }

  constexpr int64_t count_ms() const { return ms_; }
  constexpr int64_t count_seconds() const { return ms_ / 1000; }

  constexpr Duration operator+(Duration o) const { return Duration(ms_ + o.ms_); }
  constexpr Duration operator-(Duration o) const { return Duration(ms_ - o.ms_); }
  constexpr Duration operator*(int64_t k) const { return Duration(ms_ * k); }
  constexpr auto operator<=>(const Duration&) const = default;

 private:
  constexpr explicit Duration(int64_t ms) : ms_(ms) {}
  int64_t ms_ = 0;
};

class Instant {
 public:
  constexpr Instant() = default;
  static constexpr Instant from_unix_ms(int64_t ms) { return Instant(ms); }
  static constexpr Instant from_unix_seconds(int64_t s) { return Instant(s * 1000); }
  constexpr int64_t unix_ms() const { return ms_; }
  constexpr int64_t unix_seconds() const { return ms_ >= 0 ? ms_ / 1000 : -((-ms_ + 999) / 1000); }

  constexpr Instant operator+(Duration d) const { return Instant(ms_ + d.count_ms()); }
  constexpr Instant operator-(Duration d) const { return Instant(ms_ - d.count_ms()); }
  constexpr Duration operator-(Instant o) const { return Duration::ms(ms_ - o.ms_); }
  constexpr auto operator<=>(const Instant&) const = default;

 private:
  constexpr explicit Instant(int64_t ms) : ms_(ms) {}
  int64_t ms_ = 0;
};

// A proleptic Gregorian calendar date.
struct CivilDate {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
  auto operator<=>(const CivilDate&) const = default;
};

int64_t days_from_civil(CivilDate date);
CivilDate civil_from_days(int64_t days_since_epoch);
int days_in_month(int year, int month);
CivilDate civil_date_of(Instant t);
Instant start_of_day(Instant t);
Instant instant_of(CivilDate date);

// The same time of day `months` calendar months later; the day is clamped to the month's last
// day (Jan 31 + 1 month = Feb 28/29).
Instant add_months(Instant t, int months);

// The longest duration any text form may give: 100 years. Longer is an error, never a wrap.
inline constexpr Duration kMaxDuration = Duration::days(36'500);

// "90s", "20m", "2h", "31d", "1d12h", "500ms". A bare number is refused: units are mandatory.
// At most kMaxDuration.
Result<Duration> parse_duration(std::string_view text);
std::string format_duration(Duration d);

// ISO 8601 UTC: "2026-01-31T00:00:00Z" (milliseconds only when not zero). Parsing also takes a
// bare date "2026-01-31" (midnight UTC).
std::string format_instant(Instant t);
Result<Instant> parse_instant(std::string_view text);
std::string format_date(Instant t);  // "2026-01-31"

}  // namespace dcisim::common
