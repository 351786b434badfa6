// Reading members of JSON that came from elsewhere (DCImanager's answers, saved progress) without
// ever throwing: a missing member or one of another type reads as the fallback. nlohmann's
// `value()` throws on a type mismatch, so module code uses these instead.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace dcisim::billing::dci6 {

using Json = nlohmann::json;

// The member, or a null value when `object` is not an object or has no such member.
const Json& json_member(const Json& object, std::string_view key);
// A string member; "" otherwise.
std::string json_text(const Json& object, std::string_view key);
// An id-like member: an integer, a string of digits, or an object with an integer "id"; 0 otherwise.
int64_t json_int(const Json& object, std::string_view key);
int64_t json_id_of(const Json& value);  // the same for a value itself
// A boolean member; `fallback` otherwise.
bool json_flag(const Json& object, std::string_view key, bool fallback);

}  // namespace dcisim::billing::dci6
