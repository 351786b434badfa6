// DCImanager's list query language, as the emulator serves it on every collection:
//   where=id GT 100 AND (name CP 'alex%' OR NOT name CP 'georg')  -- EQ NE GT GE LT LE CP, IS null
//   orderby=owner_email asc, id desc
//   limit=0,400   (offset,size; or just size)
// Rows are the JSON objects the API returns; a field is a member name, or a dotted path into a
// nested object ("rack.id"). A malformed query is an error naming the parameter and the
// position, never a crash or an empty list. See ../shared/dci6/API.md §3.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"

namespace dcisim::mockdci {

using Json = nlohmann::json;

struct WhereNode;  // the parsed expression tree (query.cpp)

struct OrderKey {
  std::string field;
  bool descending = false;
};

// A parsed query. Default-constructed: no filter, natural order, no limit.
class ListQuery {
 public:
  ListQuery();
  ~ListQuery();
  ListQuery(ListQuery&&) noexcept;
  ListQuery& operator=(ListQuery&&) noexcept;

  // Parses the three query parameters (each may be absent). `known_fields` lists the fields a row
  // of this collection has; a field not in it is an error 'unknown field "x" in where at position
  // N'. Errors say which parameter and where: `where: position 17: expected a value after EQ`.
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
