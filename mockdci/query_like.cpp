#include "mockdci/query_like.h"

#include <cstddef>
#include <optional>

namespace dcisim::mockdci::query_detail {

namespace {

char fold(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// The offset just past the UTF-8 character starting at `at`.
size_t next_char(std::string_view text, size_t at) {
  ++at;
  while (at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) ++at;
  return at;
}

}  // namespace

LikePattern::LikePattern(std::string_view pattern) {
  items_.reserve(pattern.size());
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '%') {
      // Consecutive runs are one run; keeping one keeps the matcher's backtracking linear per run.
      if (items_.empty() || items_.back().kind != ItemKind::any_run) {
        items_.push_back({ItemKind::any_run, 0});
      }
    } else if (c == '_') {
      items_.push_back({ItemKind::one_char, 0});
    } else if (c == '\\' && i + 1 < pattern.size()) {
      items_.push_back({ItemKind::byte, fold(pattern[++i])});
    } else {
      items_.push_back({ItemKind::byte, fold(c)});
    }
  }
}

// The classic wildcard matcher: walk forward; on a mismatch, go back to the last `%` and let it
// swallow one more character. Every item other than `%` matches in exactly one way at a given
// place, so retrying only from the last `%` finds a match whenever one exists.
bool LikePattern::matches(std::string_view text) const {
  size_t item = 0;
  size_t at = 0;
  std::optional<size_t> run_item;  // the item after the last `%` seen
  size_t run_text = 0;             // where that `%`'s swallowed run currently ends
  while (at < text.size()) {
    if (item < items_.size()) {
      const Item& current = items_[item];
      if (current.kind == ItemKind::any_run) {
        run_item = ++item;
        run_text = at;
        continue;
      }
      if (current.kind == ItemKind::one_char) {
        at = next_char(text, at);
        ++item;
        continue;
      }
      if (fold(text[at]) == current.folded) {
        ++at;
        ++item;
        continue;
      }
    }
    if (!run_item) return false;
    item = *run_item;
    run_text = next_char(text, run_text);
    at = run_text;
  }
  while (item < items_.size() && items_[item].kind == ItemKind::any_run) ++item;
  return item == items_.size();
}

}  // namespace dcisim::mockdci::query_detail
