// Money is exact: an int64 count of 1/10000 of the currency unit (BILLmanager reports charges like
// "0.1048 EUR"). No floating point anywhere near it. Rounding happens once, by a named rule, in
// `scale` (pro-rata) and `split`.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace dcisim::common {

class Money {
 public:
  static constexpr int64_t kScale = 10'000;  // sub-units per currency unit

  constexpr Money() = default;
  static constexpr Money from_sub_units(int64_t n) { return Money(n); }
  static constexpr Money from_units(int64_t n) { return Money(n * kScale); }
  static constexpr Money zero() { return Money(0); }

  // "12.34", "-0.1048", "5", "+7.5": at most 4 decimals; anything else is an error that says so.
  static Result<Money> parse(std::string_view text);

  constexpr int64_t sub_units() const { return sub_units_; }
  constexpr bool is_zero() const { return sub_units_ == 0; }
  constexpr bool is_negative() const { return sub_units_ < 0; }

  // Exact, with at least two decimals: "12.34", "0.1048", "5.00", "-3.50".
  std::string to_string() const;
  // For people: two decimals, half-even ("0.1048" -> "0.10", "0.125" -> "0.12").
  std::string to_display() const;

  constexpr Money operator+(Money o) const { return Money(sub_units_ + o.sub_units_); }
  constexpr Money operator-(Money o) const { return Money(sub_units_ - o.sub_units_); }
  constexpr Money operator-() const { return Money(-sub_units_); }
  constexpr Money operator*(int64_t k) const { return Money(sub_units_ * k); }
  Money& operator+=(Money o) { sub_units_ += o.sub_units_; return *this; }
  Money& operator-=(Money o) { sub_units_ -= o.sub_units_; return *this; }
  constexpr auto operator<=>(const Money&) const = default;

  // this * numerator / denominator, rounded once, half to even. Used for pro-rata:
  // price.scale(days_left, days_in_month).
  Money scale(int64_t numerator, int64_t denominator) const;

  // Splits into `parts` amounts that sum exactly to this one; the remainder goes on the last part.
  std::vector<Money> split(int parts) const;

 private:
  constexpr explicit Money(int64_t sub_units) : sub_units_(sub_units) {}
  int64_t sub_units_ = 0;
};

}  // namespace dcisim::common
