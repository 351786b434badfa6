// DCImanager's list query language, as the emulator serves it on every collection:
//   where=id GT 100 AND (name CP 'alex%' OR NOT name CP 'georg')  -- EQ NE GT GE LT LE CP, IS null
//   orderby=owner_email asc, id desc
//   limit=0,400   (offset,size; or just size)
// Rows are the JSON objects the API returns; a field is a member name, or a dotted path into a
// nested object ("rack.id"). A malformed query is an error naming the parameter and the
// position, never a crash or an empty list. See ../shared/dci6/API.md §3.
//
// The rules, modelled on the MySQL that DCImanager runs on (default case-insensitive collation):
// - where: `field OP value`, `field IS null`, `field IS NOT null`, AND, OR, NOT, parentheses.
//   Precedence NOT > AND > OR. Keywords (operators, AND/OR/NOT, IS, null, true, false) in any
//   case; they cannot be field names. Fields: a letter or '_', then letters, digits, '_', '.';
//   case-sensitive, as JSON member names are.
//   Values: 'strings' ('' is a quote inside), integers and decimals (optionally negative, no
//   exponent), true, false, null.
// - NULL is SQL's: a missing field, a JSON null, or a path through a non-object is NULL; any
//   comparison with NULL (either side, `x EQ null` included) is unknown, NOT unknown is unknown,
//   and only rows where the whole where is true match. So `NOT domain CP '%x%'` does not match a
//   row whose domain is null, as in MySQL. IS null / IS NOT null are always true or false.
// - Strings against strings compare case-insensitively (ASCII letters folded, otherwise byte-wise;
//   MySQL also folds accents and ignores trailing spaces: we do not), for EQ/NE as for GT/LT.
// - Numbers compare numerically, exactly (int64, uint64 and double values). Booleans are 1/0
//   (MySQL's tinyint) on both sides: `is_new EQ false`, `is_new EQ 0` and `flag GT 0` all work.
//   A quoted number against a numeric field, or a number against a string field, compares as
//   numbers when the string is entirely a number ("7", "-1.5", "1e3"); otherwise the comparison
//   is unknown (MySQL would read "abc" as 0 and "10.0.0.1" as 10: we refuse to guess).
// - Arrays and objects compare with nothing: such a comparison is unknown.
// - CP is SQL LIKE (see query_like.h): `%` any run, `_` one character, `\` escapes, case-
//   insensitive. A number field is matched as its JSON text, a boolean as 1/0.
// - orderby: `field [asc|desc]`, comma-separated, keys in order, stable. Ascending: NULL and
//   missing first (MySQL), then numbers (numerically, booleans as 1/0), then strings (byte-wise),
//   then arrays/objects; desc reverses the order of values (NULL last), ties keep the given
//   order. Fields are checked like where's.
// - limit: `size` or `offset,size`, non-negative integers, offset 0-based (`limit=0,400` is the
//   first 400). An offset past the end gives an empty list; "size" still counts every match.
// - An empty or absent parameter means no filter / natural order / no limit.
// - Limits: where and orderby at most 4096 bytes; where nests at most 64 levels of parentheses
//   and NOTs. A long AND/OR chain is flat, not nested.
// Errors are common::Error kind invalid_argument, worded "<parameter>: position N: <what>, found
// <what was there>", N the 1-based character position, e.g.
//   where: position 17: expected a value after EQ, found end of input
//   where: position 1: unknown field "nmae"
//   orderby: position 6: expected asc or desc, found "ascending"
//   limit: expected "size" or "offset,size" with non-negative integers, got "a,b"
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace dcisim::mockdci {

using Json = nlohmann::json;

struct WhereNode;  // the parsed expression tree (query_where.h)

struct OrderKey {
  std::string field;              // as written: "rack.id"
  std::vector<std::string> path;  // split at the dots: {"rack", "id"}
  bool descending = false;
};

// A parsed query. Default-constructed: no filter, natural order, no limit. Immutable once parsed;
// `apply` and `matches` may run concurrently on one query.
class ListQuery {
 public:
  ListQuery();
  ~ListQuery();
  ListQuery(ListQuery&&) noexcept;
  ListQuery& operator=(ListQuery&&) noexcept;

  // Parses the three query parameters (each may be absent: nullptr). `known_fields` lists the
  // fields a row of this collection has (an object field also admits any path inside it: "rack"
  // admits "rack.id"); a field not in it, in where or orderby, is an error
  // `where: position N: unknown field "x"`. An empty list admits no field.
  static common::Result<ListQuery> parse(const std::string* where, const std::string* orderby,
                                         const std::string* limit,
                                         const std::vector<std::string>& known_fields);

  // Filters, sorts (stable; rows keep their given order on ties) and slices `rows`. Returns
  // {"list": [...], "size": <number of rows that matched, before limit>}.
  Json apply(const std::vector<Json>& rows) const;

  // True when the row matches the where clause (or there is none).
  bool matches(const Json& row) const;

 private:
  std::unique_ptr<WhereNode> where_;
  std::vector<OrderKey> order_;
  int64_t offset_ = 0;
  std::optional<int64_t> size_;
};

}  // namespace dcisim::mockdci
