// Text from outside (a request path, a header, a file) made safe to show: valid UTF-8, bounded.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace dcisim::common {

// `text` with every byte sequence that is not UTF-8 replaced by U+FFFD, and cut to at most
// `max_bytes` without splitting a character (then "..." is appended).
std::string printable_utf8(std::string_view text, size_t max_bytes = SIZE_MAX);

}  // namespace dcisim::common
