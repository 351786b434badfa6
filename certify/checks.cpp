#include "certify/checks.h"

namespace dcisim::certify {

const char* check_outcome_name(CheckOutcome outcome) {
  switch (outcome) {
    case CheckOutcome::pass: return "passed";
    case CheckOutcome::fail: return "failed";
    case CheckOutcome::skip: return "skipped";
  }
  return "unknown";
}

size_t CertifyResult::count(CheckOutcome outcome) const {
  size_t n = 0;
  for (const Check& check : checks) n += check.outcome == outcome ? 1 : 0;
  return n;
}

}  // namespace dcisim::certify
