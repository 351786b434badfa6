// The one seeded random generator (xoshiro256**, seeded through splitmix64). Every random choice
// in a run comes from an Rng built from the run's printed seed, so the same seed gives the same
// run. Not for cryptography: secrets that must not be guessable use OpenSSL (see auth code).
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace dcisim::common {

class Rng {
 public:
  explicit Rng(uint64_t seed);

  uint64_t next_u64();
  // Uniform in [low, high], both included; low <= high.
  int64_t uniform(int64_t low, int64_t high);
  // True with probability numerator/denominator.
  bool chance(uint32_t numerator, uint32_t denominator);
  // `length` lowercase hex digits.
  std::string hex(size_t length);
  // A child generator whose stream does not overlap this one's in practice (for per-scenario
  // generators derived from one run seed).
  Rng fork();

  uint64_t seed() const { return seed_; }

 private:
  uint64_t seed_;
  std::array<uint64_t, 4> state_{};
};

// A seed from a string (a scenario name, say): stable across platforms (FNV-1a 64).
uint64_t seed_from_text(const std::string& text);

}  // namespace dcisim::common
