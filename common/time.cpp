#include "common/time.h"

#include <algorithm>
#include <cstdio>
#include <limits>

#include "common/text.h"

namespace dcisim::common {

namespace {

constexpr int64_t kMsPerDay = 86'400'000;

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

bool is_leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

bool read_int(std::string_view text, size_t& pos, size_t digits, int& out) {
  if (pos + digits > text.size()) return false;
  int value = 0;
  for (size_t i = 0; i < digits; ++i) {
    char c = text[pos + i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  pos += digits;
  out = value;
  return true;
}

bool expect_char(std::string_view text, size_t& pos, char c) {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

}  // namespace

// Days since 1970-01-01 for a civil date (algorithm after H. Hinnant's "chrono-compatible
// low-level date algorithms").
int64_t days_from_civil(CivilDate date) {
  int64_t y = date.year - (date.month <= 2 ? 1 : 0);
  int64_t era = floor_div(y, 400);
  int64_t yoe = y - era * 400;
  int64_t m = date.month;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + date.day - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

CivilDate civil_from_days(int64_t z) {
  z += 719468;
  int64_t era = floor_div(z, 146097);
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1;
  int64_t m = mp < 10 ? mp + 3 : mp - 9;
  return CivilDate{static_cast<int>(y + (m <= 2 ? 1 : 0)), static_cast<int>(m), static_cast<int>(d)};
}

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  DCISIM_ASSERT(month >= 1 && month <= 12, "month out of range");
  return month == 2 && is_leap(year) ? 29 : kDays[month - 1];
}

CivilDate civil_date_of(Instant t) { return civil_from_days(floor_div(t.unix_ms(), kMsPerDay)); }

Instant start_of_day(Instant t) {
  return Instant::from_unix_ms(floor_div(t.unix_ms(), kMsPerDay) * kMsPerDay);
}

Instant instant_of(CivilDate date) { return Instant::from_unix_ms(days_from_civil(date) * kMsPerDay); }

Instant add_months(Instant t, int months) {
  Duration time_of_day = t - start_of_day(t);
  CivilDate date = civil_date_of(t);
  int64_t month_index = static_cast<int64_t>(date.year) * 12 + (date.month - 1) + months;
  CivilDate shifted;
  shifted.year = static_cast<int>(floor_div(month_index, 12));
  shifted.month = static_cast<int>(month_index - static_cast<int64_t>(shifted.year) * 12) + 1;
  shifted.day = std::min(date.day, days_in_month(shifted.year, shifted.month));
  return instant_of(shifted) + time_of_day;
}

Result<Duration> parse_duration(std::string_view text) {
  auto bad = [&](const std::string& why) {
    return Error::invalid("bad duration '" + printable_utf8(text, 40) + "': " + why +
                          " (expected a number with a unit, e.g. \"90s\", \"20m\", \"2h\", \"31d\" or \"1d12h\")");
  };
  if (text.empty()) return bad("empty");
  size_t pos = 0;
  int64_t total_ms = 0;
  const int64_t max_ms = kMaxDuration.count_ms();
  const std::string too_long = "longer than the limit of " + std::to_string(kMaxDuration.count_ms() / kMsPerDay) + "d";
  while (pos < text.size()) {
    int64_t number = 0;
    size_t digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      number = number * 10 + (text[pos] - '0');
      if (number > max_ms) return bad(too_long);
      ++pos;
      ++digits;
    }
    if (digits == 0) return bad("a number must come before each unit");
    if (pos >= text.size()) return bad("the unit is missing");
    int64_t unit_ms = 0;
    if (text.substr(pos, 2) == "ms") {
      unit_ms = 1;
      pos += 2;
    } else {
      switch (text[pos]) {
        case 's': unit_ms = 1000; break;
        case 'm': unit_ms = 60'000; break;
        case 'h': unit_ms = 3'600'000; break;
        case 'd': unit_ms = kMsPerDay; break;
        case 'w': unit_ms = 7 * kMsPerDay; break;
        default: return bad("unknown unit");
      }
      ++pos;
    }
    // Both factors are at most max_ms (< 2^42), so neither the product nor the sum can overflow
    // before the comparison.
    if (number > max_ms / unit_ms) return bad(too_long);
    total_ms += number * unit_ms;
    if (total_ms > max_ms) return bad(too_long);
  }
  return Duration::ms(total_ms);
}

std::string format_duration(Duration d) {
  int64_t ms = d.count_ms();
  if (ms == 0) return "0s";
  std::string out;
  if (ms < 0) {
    out = "-";
    ms = -ms;
  }
  struct Unit { int64_t ms; const char* name; };
  static constexpr Unit kUnits[] = {{kMsPerDay, "d"}, {3'600'000, "h"}, {60'000, "m"}, {1000, "s"}, {1, "ms"}};
  for (const Unit& unit : kUnits) {
    if (ms >= unit.ms) {
      out += std::to_string(ms / unit.ms) + unit.name;
      ms %= unit.ms;
    }
  }
  return out;
}

std::string format_instant(Instant t) {
  CivilDate date = civil_date_of(t);
  int64_t ms_of_day = (t - start_of_day(t)).count_ms();
  int hh = static_cast<int>(ms_of_day / 3'600'000);
  int mm = static_cast<int>(ms_of_day / 60'000 % 60);
  int ss = static_cast<int>(ms_of_day / 1000 % 60);
  int ms = static_cast<int>(ms_of_day % 1000);
  char buf[64];
  if (ms != 0) {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", date.year, date.month,
                  date.day, hh, mm, ss, ms);
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", date.year, date.month, date.day,
                  hh, mm, ss);
  }
  return buf;
}

std::string format_date(Instant t) {
  CivilDate date = civil_date_of(t);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", date.year, date.month, date.day);
  return buf;
}

Result<Instant> parse_instant(std::string_view text) {
  auto bad = [&] {
    return Error::invalid("bad time '" + printable_utf8(text, 40) +
                          "': expected \"YYYY-MM-DD\" or \"YYYY-MM-DDTHH:MM:SSZ\" (UTC)");
  };
  size_t pos = 0;
  CivilDate date;
  if (!read_int(text, pos, 4, date.year) || !expect_char(text, pos, '-') ||
      !read_int(text, pos, 2, date.month) || !expect_char(text, pos, '-') ||
      !read_int(text, pos, 2, date.day)) {
    return bad();
  }
  if (date.month < 1 || date.month > 12 || date.day < 1 ||
      date.day > days_in_month(date.year, date.month)) {
    return bad();
  }
  Instant day = instant_of(date);
  if (pos == text.size()) return day;
  int hh = 0, mm = 0, ss = 0, ms = 0;
  if (!expect_char(text, pos, 'T') || !read_int(text, pos, 2, hh) || !expect_char(text, pos, ':') ||
      !read_int(text, pos, 2, mm) || !expect_char(text, pos, ':') || !read_int(text, pos, 2, ss)) {
    return bad();
  }
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    if (!read_int(text, pos, 3, ms)) return bad();
  }
  if (!expect_char(text, pos, 'Z') || pos != text.size()) return bad();
  if (hh > 23 || mm > 59 || ss > 59) return bad();
  return day + Duration::hours(hh) + Duration::minutes(mm) + Duration::seconds(ss) + Duration::ms(ms);
}

}  // namespace dcisim::common
