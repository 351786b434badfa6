// SQL LIKE, as MySQL runs it for DCImanager's `CP` operator: `%` matches any run of characters
// (also none), `_` exactly one character (a UTF-8 code point), `\` makes the next character literal
// (`\%`, `\_`, `\\`; a trailing `\` is itself). Case-insensitive like MySQL's default *_ci
// collations, but folding ASCII letters only (MySQL also folds accented letters; we do not).
// The pattern is compiled once at parse time; matching copies nothing and runs in
// O(text * pattern) at worst, without recursion.
#pragma once

#include <string_view>
#include <vector>

namespace dcisim::mockdci::query_detail {

class LikePattern {
 public:
  LikePattern() = default;
  explicit LikePattern(std::string_view pattern);

  bool matches(std::string_view text) const;

 private:
  enum class ItemKind : unsigned char { byte, one_char, any_run };
  struct Item {
    ItemKind kind;
    char folded;  // for `byte`: the byte, ASCII letters in lower case
  };
  std::vector<Item> items_;
};

}  // namespace dcisim::mockdci::query_detail
