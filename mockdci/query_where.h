// The parsed `where` expression and how it is evaluated on one row. Internal to query*.cpp; the
// rules a user sees are documented in query.h.
#pragma once

#include <cstddef>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "mockdci/query_like.h"

namespace dcisim::mockdci {

using Json = nlohmann::json;

namespace query_detail {

// SQL's three-valued logic: a comparison involving NULL is `unknown`, and NOT unknown is unknown.
enum class Truth : unsigned char { no, yes, unknown };

// A field name split at its dots once, at parse time, so that a lookup copies no string.
struct FieldPath {
  std::string text;                   // as written: "rack.id"
  std::vector<std::string> segments;  // {"rack", "id"}

  static FieldPath from(std::string_view text);
  // The value at the path, or nullptr when a member is missing or a step is not an object.
  const Json* resolve(const Json& row) const;
};

// Every number compares as long double: on x86-64 (and the 128-bit long double of aarch64) it holds
// every int64, every uint64 and every double exactly, so 2^53 + 1 still differs from 2^53.
using Number = long double;

// A value written in the query.
struct Literal {
  enum class Kind : unsigned char { string, number, boolean, null };
  Kind kind = Kind::null;
  std::string text;              // string content, or the number/boolean as written
  std::optional<Number> number;  // numbers; booleans as 1/0; strings that read as a number
};

// A JSON number as a Number; booleans as 1/0 (MySQL's tinyint). Nothing for NaN, strings, null,
// arrays and objects.
std::optional<Number> json_number(const Json& value);

// The value at `path` (member names) in `row`, or nullptr when a member is missing or a step is
// not an object.
const Json* resolve_path(const Json& row, const std::vector<std::string>& path);

// Reads `text` as a number when all of it is one: optional '-', digits, optional '.' and digits,
// optional exponent. "12", "-3.5", "1e3" yes; "", " 12", "12abc", "inf", "0x10" no.
std::optional<Number> number_from_text(std::string_view text);

enum class CompareOp : unsigned char { eq, ne, gt, ge, lt, le, cp };

}  // namespace query_detail

struct WhereNode {
  enum class Kind : unsigned char { all_of, any_of, negation, comparison, is_null, is_not_null };

  Kind kind = Kind::all_of;
  std::vector<std::unique_ptr<WhereNode>> children;  // all_of, any_of: 2 or more; negation: 1
  query_detail::FieldPath field;                     // comparison, is_null, is_not_null
  query_detail::CompareOp op = query_detail::CompareOp::eq;
  query_detail::Literal value;
  query_detail::LikePattern pattern;  // op == cp

  query_detail::Truth evaluate(const Json& row) const;
};

namespace query_detail {

inline constexpr size_t kMaxWhereBytes = 4096;
inline constexpr int kMaxWhereDepth = 64;

// Parses a `where` text (not empty). Every field must be in `known_fields`, or lie inside an object
// field listed there ("rack.id" with "rack" listed).
common::Result<std::unique_ptr<WhereNode>> parse_where(
    std::string_view text, const std::vector<std::string>& known_fields);

// A lexer word is a field name when no dot starts, ends or doubles in it.
bool is_well_formed_field(std::string_view name);
bool is_known_field(std::string_view path, const std::vector<std::string>& known_fields);

}  // namespace query_detail
}  // namespace dcisim::mockdci
