// Fuzz target: Money, the exact amount type. Promises: parse never throws; what parses prints
// back to text that parses to the same amount; scale (pro-rata) rounds once and stays between
// zero and the amount; split sums exactly to the whole.
#include <cstdint>
#include <string>

#include "common/money.h"
#include "fuzz/targets/fuzz_input.h"

using dcisim::common::Money;
using dcisim::fuzz::fail;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  dcisim::fuzz::FuzzInput in(data, size);
  int64_t numerator = in.byte() % 32;
  int64_t denominator = 1 + in.byte() % 31;
  int parts = 1 + in.byte() % 12;
  std::string text = in.rest();
  auto amount = Money::parse(text);
  if (!amount) return 0;
  auto again = Money::parse(amount->to_string());
  if (!again || *again != *amount) fail("'" + text + "' -> " + amount->to_string() + " does not parse back");
  if (numerator <= denominator) {
    Money part = amount->scale(numerator, denominator);
    Money zero = Money::zero();
    bool inside = amount->is_negative() ? (part <= zero && part >= *amount) : (part >= zero && part <= *amount);
    if (!inside) fail(amount->to_string() + " scaled by " + std::to_string(numerator) + "/" + std::to_string(denominator) +
                      " gave " + part.to_string());
  }
  Money sum;
  for (Money piece : amount->split(parts)) sum += piece;
  if (sum != *amount) fail(amount->to_string() + " split in " + std::to_string(parts) + " sums to " + sum.to_string());
  (void)amount->to_display();
  return 0;
}
