#include "common/money.h"

#include <cstdio>
#include <cstdlib>

#include "common/text.h"

namespace dcisim::common {

namespace {

// a / b rounded half to even; b > 0.
int64_t divide_half_even(__int128 a, __int128 b) {
  DCISIM_ASSERT(b > 0, "divide_half_even: non-positive denominator");
  __int128 q = a / b;
  __int128 r = a % b;
  if (r < 0) {  // make the remainder non-negative: floor division
    r += b;
    q -= 1;
  }
  __int128 twice = r * 2;
  if (twice > b || (twice == b && (q % 2 != 0))) q += 1;
  return static_cast<int64_t>(q);
}

}  // namespace

Result<Money> Money::parse(std::string_view text) {
  auto bad = [&](const char* why) {
    return Error::invalid("bad amount '" + printable_utf8(text, 40) + "': " + why +
                          " (expected e.g. \"12.34\" or \"-0.1048\", at most 4 decimals)");
  };
  size_t pos = 0;
  bool negative = false;
  if (pos < text.size() && (text[pos] == '-' || text[pos] == '+')) {
    negative = text[pos] == '-';
    ++pos;
  }
  int64_t units = 0;
  size_t int_digits = 0;
  while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
    if (int_digits >= 14) return bad("too large");
    units = units * 10 + (text[pos] - '0');
    ++pos;
    ++int_digits;
  }
  if (int_digits == 0) return bad("no digits before the decimal point");
  int64_t fraction = 0;
  size_t frac_digits = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (frac_digits == 4) return bad("more than 4 decimals");
      fraction = fraction * 10 + (text[pos] - '0');
      ++pos;
      ++frac_digits;
    }
    if (frac_digits == 0) return bad("no digits after the decimal point");
  }
  if (pos != text.size()) return bad("unexpected character");
  for (size_t i = frac_digits; i < 4; ++i) fraction *= 10;
  int64_t value = units * kScale + fraction;
  return Money(negative ? -value : value);
}

std::string Money::to_string() const {
  uint64_t abs_value = sub_units_ < 0 ? 0 - static_cast<uint64_t>(sub_units_) : static_cast<uint64_t>(sub_units_);
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%s%llu.%04llu", sub_units_ < 0 ? "-" : "",
                static_cast<unsigned long long>(abs_value / kScale), static_cast<unsigned long long>(abs_value % kScale));
  std::string text = buffer;
  for (int trailing = 0; trailing < 2 && text.back() == '0'; ++trailing) text.pop_back();  // keep 2 decimals
  return text;
}

std::string Money::to_display() const {
  int64_t cents = divide_half_even(sub_units_, 100);
  uint64_t abs_cents = cents < 0 ? 0 - static_cast<uint64_t>(cents) : static_cast<uint64_t>(cents);
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%s%llu.%02llu", cents < 0 ? "-" : "",
                static_cast<unsigned long long>(abs_cents / 100), static_cast<unsigned long long>(abs_cents % 100));
  return buffer;
}

Money Money::scale(int64_t numerator, int64_t denominator) const {
  DCISIM_ASSERT(denominator != 0, "Money::scale by zero");
  if (denominator < 0) {
    numerator = -numerator;
    denominator = -denominator;
  }
  return Money(divide_half_even(static_cast<__int128>(sub_units_) * numerator, denominator));
}

std::vector<Money> Money::split(int parts) const {
  DCISIM_ASSERT(parts > 0, "Money::split into no parts");
  std::vector<Money> out(static_cast<size_t>(parts), Money(sub_units_ / parts));
  out.back() = Money(sub_units_ - (sub_units_ / parts) * (parts - 1));
  return out;
}

}  // namespace dcisim::common
