// JSON to text for everything that leaves the process (HTTP bodies, files, database columns,
// messages). Text from outside (a request path, a header, a query parameter, a file name) may hold
// bytes that are not UTF-8, and nlohmann's plain dump() throws on them; json_text() never throws:
// each invalid byte becomes U+FFFD, so an error can always echo what it was given.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "common/text.h"  // printable_utf8, for messages that echo outside text

namespace dcisim::common {

// `indent` < 0: compact; otherwise pretty-printed with that many spaces.
std::string json_text(const nlohmann::json& value, int indent = -1);

}  // namespace dcisim::common
