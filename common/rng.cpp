#include "common/rng.h"

#include "common/assert.h"

namespace dcisim::common {

namespace {

uint64_t splitmix64(uint64_t& x) {
  uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

Rng::Rng(uint64_t seed) : seed_(seed) {
  uint64_t x = seed;
  for (uint64_t& word : state_) word = splitmix64(x);
}

uint64_t Rng::next_u64() {
  uint64_t result = rotl(state_[1] * 5, 7) * 9;
  uint64_t t = state_[1] << 17;
  state_[2] ^= state_[0];
  state_[3] ^= state_[1];
  state_[1] ^= state_[2];
  state_[0] ^= state_[3];
  state_[2] ^= t;
  state_[3] = rotl(state_[3], 45);
  return result;
}

int64_t Rng::uniform(int64_t low, int64_t high) {
  DCISIM_ASSERT(low <= high, "Rng::uniform with low > high");
  uint64_t span = static_cast<uint64_t>(high) - static_cast<uint64_t>(low) + 1;
  if (span == 0) return static_cast<int64_t>(next_u64());  // the whole int64 range
  // Rejection sampling keeps the distribution exact.
  uint64_t limit = UINT64_MAX - (UINT64_MAX % span);
  uint64_t draw = next_u64();
  while (draw >= limit) draw = next_u64();
  return low + static_cast<int64_t>(draw % span);
}

bool Rng::chance(uint32_t numerator, uint32_t denominator) {
  DCISIM_ASSERT(denominator > 0, "Rng::chance with zero denominator");
  return static_cast<uint64_t>(uniform(0, denominator - 1)) < numerator;
}

std::string Rng::hex(size_t length) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(length);
  while (out.size() < length) out.push_back(kDigits[next_u64() & 15]);
  return out;
}

Rng Rng::fork() { return Rng(next_u64()); }

uint64_t seed_from_text(const std::string& text) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

}  // namespace dcisim::common
