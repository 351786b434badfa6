// Where each value of a JSON text sits in that text. nlohmann::json keeps no source positions, so
// this index is built from the same text (JSON with // and /* */ comments) and maps a JSON pointer
// to a line and column, so that errors and failures can say `file:line:column` and show the part
// of the file as it was written:
//
//   JsonPositions positions = JsonPositions::index(text);
//   if (auto span = positions.find("/steps/3/expect/status")) print(span->at.line, span->at.column);
//
// It is meant for text nlohmann has already accepted, but any bytes are safe: it stops at the
// first thing it cannot read and keeps what it indexed so far. It is bounded (kMaxNodes values,
// kMaxJsonDepth levels) and never recurses.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dcisim::common {

// 1-based line and column; the column counts characters (UTF-8 code points), as editors and
// CI annotations do. Line 0: unknown.
struct TextPosition {
  size_t line = 0;
  size_t column = 0;

  bool known() const { return line > 0; }
  bool operator==(const TextPosition&) const = default;
};

// One value of the document.
struct JsonSpan {
  TextPosition at;          // a member's name ("status": ...), else the value itself
  TextPosition value_at;    // the value's first character
  size_t value_begin = 0;   // byte offsets of the value in the text: [value_begin, value_end)
  size_t value_end = 0;
  size_t last_line = 0;     // the line of the value's last character
};

class JsonPositions {
 public:
  static constexpr size_t kMaxNodes = 1'000'000;

  // Never fails; see complete().
  static JsonPositions index(std::string_view text);

  // The value at `pointer` (RFC 6901, "" is the root), or nullopt when it is not in the text.
  std::optional<JsonSpan> find(std::string_view pointer) const;
  // The value at `pointer` or, when it is absent (an error about a missing member), at its
  // nearest ancestor that is present. Nullopt only when nothing was indexed.
  std::optional<JsonSpan> nearest(std::string_view pointer) const;

  // False when indexing stopped early (unreadable text, more than kMaxNodes values).
  bool complete() const { return complete_; }
  size_t size() const { return nodes_.size(); }

 private:
  friend class JsonPositionsBuilder;
  struct Node {
    JsonSpan span;
    std::string key;  // a member's name (unescaped); empty for array elements and the root
    bool is_array = false;
    std::vector<uint32_t> children;
  };
  // The node reached by following `pointer` as far as it goes; `whole` tells if it went all the way.
  std::optional<uint32_t> walk(std::string_view pointer, bool& whole) const;

  std::vector<Node> nodes_;
  bool complete_ = false;
};

// The value text[begin, end) on one line, as written: comments dropped, white space outside
// strings collapsed to one space (and dropped after an opening or before a closing bracket when
// it held a line break). Cut to `max_bytes` with "...".
std::string one_line_as_written(std::string_view text, size_t begin, size_t end, size_t max_bytes);

// Lines first_line..last_line of `text` (1-based), each as "  12 | <line>", with "> " instead of
// the first two spaces on `mark_line` (0: none). At most `max_lines` lines (the marked one is
// kept; a note says how many were left out), each cut to 240 bytes.
std::string source_excerpt(std::string_view text, size_t first_line, size_t last_line, size_t mark_line,
                           size_t max_lines);

}  // namespace dcisim::common
