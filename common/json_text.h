// JSON to text for everything that leaves the process (HTTP bodies, files, database columns,
// messages). Text from outside (a request path, a header, a query parameter, a file name) may hold
// bytes that are not UTF-8, and nlohmann's plain dump() throws on them; json_text() never throws:
// each invalid byte becomes U+FFFD, so an error can always echo what it was given.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace dcisim::common {

// `indent` < 0: compact; otherwise pretty-printed with that many spaces.
std::string json_text(const nlohmann::json& value, int indent = -1);

// `text` with every byte sequence that is not UTF-8 replaced by U+FFFD, and cut to at most
// `max_bytes` without splitting a character (then "..." is appended).
std::string printable_utf8(std::string_view text, size_t max_bytes = SIZE_MAX);

}  // namespace dcisim::common
