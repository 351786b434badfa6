#include "billing/secrets.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstdlib>
#include <vector>

#include "common/assert.h"
#include "common/rng.h"

namespace dcisim::billing {

namespace {

constexpr std::string_view kUpper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
constexpr std::string_view kLower = "abcdefghijkmnopqrstuvwxyz";
constexpr std::string_view kDigits = "23456789";
constexpr std::string_view kAll =
    "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

// A source of uniform random numbers below `bound`: the seeded Rng or OpenSSL.
class Draw {
 public:
  Draw(SecretSource source, uint64_t seed) : source_(source), rng_(seed) {}
  size_t below(size_t bound) {
    if (source_ == SecretSource::seeded) {
      return static_cast<size_t>(rng_.uniform(0, static_cast<int64_t>(bound) - 1));
    }
    // Rejection sampling on 32-bit words keeps the draw uniform.
    uint32_t limit = UINT32_MAX - UINT32_MAX % static_cast<uint32_t>(bound);
    for (;;) {
      uint32_t word = 0;
      DCISIM_ASSERT(RAND_bytes(reinterpret_cast<unsigned char*>(&word), sizeof word) == 1,
                    "OpenSSL RAND_bytes failed");
      if (word < limit) return word % bound;
    }
  }

 private:
  SecretSource source_;
  common::Rng rng_;
};

std::string to_hex(const unsigned char* data, size_t size) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (size_t i = 0; i < size; ++i) {
    out += kHex[data[i] >> 4];
    out += kHex[data[i] & 15];
  }
  return out;
}

std::string pbkdf2_hex(const std::string& password, const std::string& salt, int iterations) {
  unsigned char out[32];
  int ok = PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                             reinterpret_cast<const unsigned char*>(salt.data()),
                             static_cast<int>(salt.size()), iterations, EVP_sha256(), sizeof out, out);
  DCISIM_ASSERT(ok == 1, "PKCS5_PBKDF2_HMAC failed");
  return to_hex(out, sizeof out);
}

}  // namespace

std::string generate_secret(SecretSource source, uint64_t seed, std::string_view purpose,
                            int64_t entity_id, size_t length) {
  DCISIM_ASSERT(length >= 8, "secrets are at least 8 characters");
  uint64_t derived = seed ^ common::seed_from_text(std::string(purpose) + "/" + std::to_string(entity_id));
  Draw draw(source, derived);
  std::string secret;
  for (size_t i = 0; i < length; ++i) secret += kAll[draw.below(kAll.size())];
  // Put one character of each required class at distinct positions.
  std::vector<size_t> free_positions;
  for (size_t i = 0; i < length; ++i) free_positions.push_back(i);
  for (std::string_view cls : {kUpper, kLower, kDigits}) {
    size_t pick = draw.below(free_positions.size());
    secret[free_positions[pick]] = cls[draw.below(cls.size())];
    free_positions.erase(free_positions.begin() + static_cast<std::ptrdiff_t>(pick));
  }
  return secret;
}

std::string hash_password(const std::string& password, const std::string& salt, int iterations) {
  return "pbkdf2-sha256$" + std::to_string(iterations) + "$" + salt + "$" +
         pbkdf2_hex(password, salt, iterations);
}

bool verify_password(const std::string& stored, const std::string& password) {
  size_t first = stored.find('$');
  size_t second = stored.find('$', first + 1);
  size_t third = stored.find('$', second + 1);
  if (first == std::string::npos || second == std::string::npos || third == std::string::npos ||
      stored.substr(0, first) != "pbkdf2-sha256") {
    return false;
  }
  int iterations = std::atoi(stored.substr(first + 1, second - first - 1).c_str());
  if (iterations <= 0) return false;
  std::string salt = stored.substr(second + 1, third - second - 1);
  std::string expected = stored.substr(third + 1);
  std::string actual = pbkdf2_hex(password, salt, iterations);
  return actual.size() == expected.size() &&
         CRYPTO_memcmp(actual.data(), expected.data(), actual.size()) == 0;
}

}  // namespace dcisim::billing
