#include "mockdci/query_order.h"

#include <algorithm>
#include <charconv>
#include <numeric>

#include "mockdci/query_lexer.h"
#include "mockdci/query_where.h"

namespace dcisim::mockdci::query_detail {

namespace {

// Where a value sorts among the others: NULL (and missing, and NaN) first, as MySQL does in
// ascending order; then numbers (booleans as 1/0); then strings; arrays and objects last, all
// equal to each other.
int sort_class(const Json* value) {
  if (value == nullptr || value->is_null()) return 0;
  if (value->is_number() || value->is_boolean()) return json_number(*value) ? 1 : 0;
  if (value->is_string()) return 2;
  return 3;
}

int compare_for_sort(const Json* a, const Json* b) {
  int class_a = sort_class(a);
  int class_b = sort_class(b);
  if (class_a != class_b) return class_a < class_b ? -1 : 1;
  if (class_a == 1) {
    Number x = *json_number(*a);
    Number y = *json_number(*b);
    return x < y ? -1 : (x > y ? 1 : 0);
  }
  if (class_a == 2) {
    int order = a->get_ref<const std::string&>().compare(b->get_ref<const std::string&>());
    return order < 0 ? -1 : (order > 0 ? 1 : 0);
  }
  return 0;
}

std::optional<int64_t> non_negative_integer(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (text.empty() || text.front() < '0' || text.front() > '9') return std::nullopt;
  int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// One `field [asc|desc]` item; leaves `current` on the token after it.
common::Result<OrderKey> parse_order_key(Lexer& lexer, Token& current,
                                         const std::vector<std::string>& known_fields) {
  if (current.kind != TokenKind::word) {
    return lexer.error_at(current.offset,
                          join({"expected a field name, found ", describe(current)}));
  }
  std::string_view name = current.source;
  if (!is_well_formed_field(name)) {
    return lexer.error_at(current.offset, join({"malformed field name \"", printable(name), "\""}));
  }
  if (!is_known_field(name, known_fields)) {
    return lexer.error_at(current.offset, join({"unknown field \"", printable(name), "\""}));
  }
  OrderKey key;
  key.field = std::string(name);
  key.path = FieldPath::from(name).segments;
  common::Result<Token> next = lexer.next();
  if (!next.ok()) return next.error();
  current = std::move(next).value();
  if (current.kind != TokenKind::word) return key;
  if (equals_ignoring_case(current.source, "desc")) {
    key.descending = true;
  } else if (!equals_ignoring_case(current.source, "asc")) {
    return lexer.error_at(current.offset,
                          join({"expected asc or desc, found ", describe(current)}));
  }
  next = lexer.next();
  if (!next.ok()) return next.error();
  current = std::move(next).value();
  return key;
}

}  // namespace

common::Result<std::vector<OrderKey>> parse_orderby(std::string_view text,
                                                    const std::vector<std::string>& known_fields) {
  if (text.size() > kMaxOrderbyBytes) {
    return common::Error::invalid(
        join({"orderby: too long: ", std::to_string(text.size()), " bytes, the limit is ",
              std::to_string(kMaxOrderbyBytes)}));
  }
  Lexer lexer("orderby", text);
  common::Result<Token> first = lexer.next();
  if (!first.ok()) return first.error();
  Token current = std::move(first).value();
  std::vector<OrderKey> keys;
  while (true) {
    common::Result<OrderKey> key = parse_order_key(lexer, current, known_fields);
    if (!key.ok()) return key.error();
    keys.push_back(std::move(key).value());
    if (current.kind == TokenKind::end) return keys;
    if (current.kind != TokenKind::comma) {
      return lexer.error_at(current.offset,
                            join({"expected ',' or end of input, found ", describe(current)}));
    }
    common::Result<Token> next = lexer.next();
    if (!next.ok()) return next.error();
    current = std::move(next).value();
  }
}

common::Result<Limit> parse_limit(std::string_view text) {
  auto fail = [&] {
    return common::Error::invalid(
        join({"limit: expected \"size\" or \"offset,size\" with non-negative integers, got \"",
              printable(text), "\""}));
  };
  Limit limit;
  size_t comma = text.find(',');
  if (comma == std::string_view::npos) {
    limit.size = non_negative_integer(text);
    if (!limit.size) return fail();
    return limit;
  }
  std::optional<int64_t> offset = non_negative_integer(text.substr(0, comma));
  std::optional<int64_t> size = non_negative_integer(text.substr(comma + 1));
  if (!offset || !size) return fail();
  limit.offset = *offset;
  limit.size = size;
  return limit;
}

void order_rows(std::vector<const Json*>& rows, const std::vector<OrderKey>& keys) {
  if (keys.empty() || rows.size() < 2) return;
  // Each row's sort values are looked up once, not in every comparison.
  const size_t key_count = keys.size();
  std::vector<const Json*> values(rows.size() * key_count);
  for (size_t row = 0; row < rows.size(); ++row) {
    for (size_t key = 0; key < key_count; ++key) {
      values[row * key_count + key] = resolve_path(*rows[row], keys[key].path);
    }
  }
  std::vector<size_t> order(rows.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    for (size_t key = 0; key < key_count; ++key) {
      int c = compare_for_sort(values[a * key_count + key], values[b * key_count + key]);
      if (c != 0) return keys[key].descending ? c > 0 : c < 0;
    }
    return false;
  });
  std::vector<const Json*> sorted;
  sorted.reserve(rows.size());
  for (size_t index : order) sorted.push_back(rows[index]);
  rows = std::move(sorted);
}

}  // namespace dcisim::mockdci::query_detail
