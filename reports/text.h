// Text handling shared by the report writers. Scenario names and step texts are user input and
// journal bodies are arbitrary bytes, so every writer repairs UTF-8, escapes for its format and
// bounds sizes through these functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace dcisim::reports {

// `text` with every invalid UTF-8 sequence (stray continuation byte, truncated sequence, overlong
// form, surrogate, code point above U+10FFFF) replaced by U+FFFD.
std::string valid_utf8(std::string_view text);

// Escapes for XML 1.0 and HTML text content: & < > " ' become entities; characters XML 1.0
// forbids or HTML flags (C0 controls other than tab, LF and CR; DEL; C1 controls; U+FFFE, U+FFFF)
// become visible text such as "\x01"; invalid UTF-8 becomes U+FFFD.
std::string markup_text(std::string_view text);
// The same for attribute values; tab, LF and CR also become character references, so that
// attribute-value normalisation does not turn them into spaces.
std::string markup_attribute(std::string_view text);

// `text` cut to at most `max_bytes` at a UTF-8 character boundary, followed by a marker
// "\n[... N more bytes truncated]" when anything was cut. Unchanged when it fits.
std::string truncate_with_marker(std::string_view text, size_t max_bytes);

// `text` cut to at most `max_bytes` at a UTF-8 character boundary, ending in "..." when cut.
std::string cut_to_bytes(std::string_view text, size_t max_bytes);
// The first line of `text`, cut the same way.
std::string first_line(std::string_view text, size_t max_bytes);

// Microseconds as seconds with 3 decimals, rounded half up: 1234567 -> "1.235".
std::string seconds_3dp(int64_t us);
// Microseconds for a person: "850 us", "12.3 ms", "1.235 s", "2 min 3 s".
std::string human_wall_time(int64_t us);

}  // namespace dcisim::reports
