// Passwords and generated secrets. Client passwords are stored only as salted
// PBKDF2-HMAC-SHA256 hashes ("pbkdf2-sha256$<iterations>$<salt hex>$<hash hex>", OpenSSL
// PKCS5_PBKDF2_HMAC). Generated secrets (root passwords, DCImanager user passwords, salts) come
// from the run's seed and the entity they belong to (SecretSource::seeded: the same seed gives the
// same database), or from OpenSSL RAND_bytes (SecretSource::system).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "billing/settings.h"

namespace dcisim::billing {

// `length` characters from [A-Za-z0-9] with at least one upper, one lower and one digit
// (DCImanager refuses weak passwords). `purpose` and `entity_id` make each secret distinct.
std::string generate_secret(SecretSource source, uint64_t seed, std::string_view purpose,
                            int64_t entity_id, size_t length);

std::string hash_password(const std::string& password, const std::string& salt, int iterations);
bool verify_password(const std::string& stored_hash, const std::string& password);

}  // namespace dcisim::billing
