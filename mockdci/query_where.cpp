// Evaluating a `where` tree on one row: field lookup, MySQL-like coercions, three-valued logic.
#include "mockdci/query_where.h"

#include <charconv>
#include <cstdint>
#include <limits>

#include "common/json_text.h"

namespace dcisim::mockdci {

namespace query_detail {

static_assert(std::numeric_limits<long double>::digits >= 64,
              "Number must hold every int64 and uint64 exactly");

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
char fold(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// Byte-wise order with ASCII letters folded: MySQL's case-insensitive collation, ASCII part.
int compare_ignoring_case(std::string_view a, std::string_view b) {
  size_t common_length = a.size() < b.size() ? a.size() : b.size();
  for (size_t i = 0; i < common_length; ++i) {
    auto x = static_cast<unsigned char>(fold(a[i]));
    auto y = static_cast<unsigned char>(fold(b[i]));
    if (x != y) return x < y ? -1 : 1;
  }
  if (a.size() == b.size()) return 0;
  return a.size() < b.size() ? -1 : 1;
}

// Skips `-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?` from `at`; returns where it stopped, or npos
// when the text does not have that shape.
size_t skip_number(std::string_view text) {
  size_t at = 0;
  auto digits = [&] {
    size_t start = at;
    while (at < text.size() && is_digit(text[at])) ++at;
    return at > start;
  };
  if (at < text.size() && text[at] == '-') ++at;
  if (!digits()) return std::string_view::npos;
  if (at < text.size() && text[at] == '.') {
    ++at;
    if (!digits()) return std::string_view::npos;
  }
  if (at < text.size() && (text[at] == 'e' || text[at] == 'E')) {
    ++at;
    if (at < text.size() && (text[at] == '+' || text[at] == '-')) ++at;
    if (!digits()) return std::string_view::npos;
  }
  return at;
}

int compare_numbers(Number a, Number b) {
  return a < b ? -1 : (a > b ? 1 : 0);
}

// The order of a field value against a literal, or nullopt when SQL would say NULL (a null or
// missing field, a null literal) or the two cannot be compared (arrays, objects, a string that
// is not a number against a number).
std::optional<int> compare_to_literal(const Json& field, const Literal& literal) {
  if (literal.kind == Literal::Kind::null) return std::nullopt;
  if (field.is_string()) {
    const auto& text = field.get_ref<const std::string&>();
    if (literal.kind == Literal::Kind::string) return compare_ignoring_case(text, literal.text);
    std::optional<Number> field_number = number_from_text(text);
    if (!field_number) return std::nullopt;
    return compare_numbers(*field_number, *literal.number);
  }
  std::optional<Number> field_number = json_number(field);
  if (!field_number || !literal.number) return std::nullopt;
  return compare_numbers(*field_number, *literal.number);
}

// The text a LIKE sees for a field: strings as they are, numbers as JSON prints them, booleans as
// MySQL's tinyint (1/0). Arrays and objects have none.
std::optional<std::string_view> like_text(const Json& field, std::string& scratch) {
  if (field.is_string()) return std::string_view(field.get_ref<const std::string&>());
  if (field.is_boolean()) return std::string_view(field.get<bool>() ? "1" : "0");
  if (field.is_number()) {
    scratch = common::json_text(field);
    return std::string_view(scratch);
  }
  return std::nullopt;
}

Truth truth(bool value) {
  return value ? Truth::yes : Truth::no;
}

Truth apply_order(CompareOp op, int order) {
  switch (op) {
    case CompareOp::eq: return truth(order == 0);
    case CompareOp::ne: return truth(order != 0);
    case CompareOp::gt: return truth(order > 0);
    case CompareOp::ge: return truth(order >= 0);
    case CompareOp::lt: return truth(order < 0);
    case CompareOp::le: return truth(order <= 0);
    case CompareOp::cp: break;
  }
  return Truth::unknown;
}

Truth evaluate_comparison(const WhereNode& node, const Json& row) {
  const Json* field = node.field.resolve(row);
  if (field == nullptr || field->is_null()) return Truth::unknown;
  if (node.op == CompareOp::cp) {
    if (node.value.kind == Literal::Kind::null) return Truth::unknown;
    std::string scratch;
    std::optional<std::string_view> text = like_text(*field, scratch);
    if (!text) return Truth::unknown;
    return truth(node.pattern.matches(*text));
  }
  std::optional<int> order = compare_to_literal(*field, node.value);
  if (!order) return Truth::unknown;
  return apply_order(node.op, *order);
}

Truth evaluate_all_of(const WhereNode& node, const Json& row) {
  Truth result = Truth::yes;
  for (const auto& child : node.children) {
    Truth t = child->evaluate(row);
    if (t == Truth::no) return Truth::no;
    if (t == Truth::unknown) result = Truth::unknown;
  }
  return result;
}

Truth evaluate_any_of(const WhereNode& node, const Json& row) {
  Truth result = Truth::no;
  for (const auto& child : node.children) {
    Truth t = child->evaluate(row);
    if (t == Truth::yes) return Truth::yes;
    if (t == Truth::unknown) result = Truth::unknown;
  }
  return result;
}

}  // namespace

FieldPath FieldPath::from(std::string_view text) {
  FieldPath path;
  path.text = std::string(text);
  size_t start = 0;
  while (true) {
    size_t dot = text.find('.', start);
    path.segments.emplace_back(text.substr(start, dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return path;
}

std::optional<Number> json_number(const Json& value) {
  switch (value.type()) {
    case Json::value_t::number_integer: return static_cast<Number>(value.get<int64_t>());
    case Json::value_t::number_unsigned: return static_cast<Number>(value.get<uint64_t>());
    case Json::value_t::number_float: {
      double d = value.get<double>();
      if (d != d) return std::nullopt;  // NaN compares with nothing
      return static_cast<Number>(d);
    }
    case Json::value_t::boolean: return value.get<bool>() ? 1 : 0;
    default: return std::nullopt;
  }
}

const Json* FieldPath::resolve(const Json& row) const {
  return resolve_path(row, segments);
}

const Json* resolve_path(const Json& row, const std::vector<std::string>& path) {
  const Json* at = &row;
  for (const std::string& segment : path) {
    if (!at->is_object()) return nullptr;
    auto found = at->find(segment);
    if (found == at->end()) return nullptr;
    at = &*found;
  }
  return at;
}

std::optional<Number> number_from_text(std::string_view text) {
  if (skip_number(text) != text.size()) return std::nullopt;
  const char* first = text.data();
  const char* last = text.data() + text.size();
  if (text.find_first_of(".eE") == std::string_view::npos) {
    int64_t signed_value = 0;
    if (std::from_chars(first, last, signed_value).ec == std::errc()) return signed_value;
    uint64_t unsigned_value = 0;
    if (std::from_chars(first, last, unsigned_value).ec == std::errc()) return unsigned_value;
  }
  // Decimals go through double, as JSON numbers do, so that 0.1 in a query equals 0.1 in a row.
  double real = 0;
  auto [end, error] = std::from_chars(first, last, real);
  if (error != std::errc() || end != last) return std::nullopt;
  return real;
}

}  // namespace query_detail

query_detail::Truth WhereNode::evaluate(const Json& row) const {
  using query_detail::Truth;
  switch (kind) {
    case Kind::all_of: return query_detail::evaluate_all_of(*this, row);
    case Kind::any_of: return query_detail::evaluate_any_of(*this, row);
    case Kind::negation: {
      Truth t = children.front()->evaluate(row);
      if (t == Truth::unknown) return Truth::unknown;
      return t == Truth::yes ? Truth::no : Truth::yes;
    }
    case Kind::comparison: return query_detail::evaluate_comparison(*this, row);
    case Kind::is_null:
    case Kind::is_not_null: {
      const Json* field = this->field.resolve(row);
      bool is_null = field == nullptr || field->is_null();
      return query_detail::truth(is_null == (kind == Kind::is_null));
    }
  }
  return Truth::unknown;
}

}  // namespace dcisim::mockdci
