// The tokens of the list query language (`where` and `orderby`), read one at a time so that the
// first error in the text is the one reported. Internal to query*.cpp.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace dcisim::mockdci::query_detail {

enum class TokenKind { word, string, number, open_paren, close_paren, comma, end };

// Reserved words of `where`, matched case-insensitively. asc/desc are not reserved: they only mean
// something in `orderby`, which checks words itself.
enum class Keyword { none, and_, or_, not_, eq, ne, gt, ge, lt, le, cp, is, null, true_, false_ };

struct Token {
  TokenKind kind = TokenKind::end;
  size_t offset = 0;        // byte offset of the first character in the parameter text
  std::string_view source;  // the token as written (quotes included for strings)
  std::string value;        // string: the content with '' undone; otherwise empty
  Keyword keyword = Keyword::none;
};

class Lexer {
 public:
  // `parameter` names the query parameter in error messages ("where", "orderby").
  Lexer(std::string_view parameter, std::string_view text) : parameter_(parameter), text_(text) {}

  // The next token, or an error (unterminated string, unexpected character, malformed number).
  common::Result<Token> next();

  // "<parameter>: position N: <what>", N the 1-based character (UTF-8 code point) position of
  // `offset`.
  common::Error error_at(size_t offset, const std::string& what) const;

 private:
  common::Result<Token> read_word(size_t start);
  common::Result<Token> read_string(size_t start);
  common::Result<Token> read_number(size_t start);

  std::string_view parameter_;
  std::string_view text_;
  size_t at_ = 0;
};

// How a token reads in "found ..." of an error: end of input, "name", string 'x', number 5, ')'.
std::string describe(const Token& token);

// Text from the caller made safe to quote in a message (which ends up in JSON, so it must be
// valid UTF-8): printable ASCII kept, other bytes as \xNN, cut after `max_chars` with "...".
std::string printable(std::string_view text, size_t max_chars = 40);

// The 1-based character position of byte `offset` in `text` (counting UTF-8 code points).
size_t char_position(std::string_view text, size_t offset);

// Concatenates message parts. (Also sidesteps GCC 12's false -Wstringop-overflow warnings on
// "literal" + std::string chains.)
std::string join(std::initializer_list<std::string_view> parts);

bool equals_ignoring_case(std::string_view a, std::string_view b);

}  // namespace dcisim::mockdci::query_detail
