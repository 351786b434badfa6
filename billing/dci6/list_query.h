// Building DCImanager list queries (API.md §3) on the client side: `where`, `orderby` and
// `limit` as text, with values quoted the way the query language reads them (strings in single
// quotes, a quote inside doubled: 'o''brien@example.com'). The transport percent-encodes the
// parameters on the wire; nothing here is encoded twice.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "common/http.h"

namespace dcisim::billing::dci6 {

struct ListQuery {
  std::string where;    // "" = no filter
  std::string orderby;  // "" = the collection's order; "id asc"
  std::optional<int64_t> offset;  // with size: limit=offset,size (0-based, as real clients send)
  std::optional<int64_t> size;

  // The parameters to send, in a fixed order (orderby, limit, where), absent ones left out.
  common::HeaderList parameters() const;
};

// A string literal of the query language: "o'brien" -> 'o''brien'.
std::string quote_where_string(std::string_view value);

// One comparison: where_eq("email", "a@b.c") -> "email EQ 'a@b.c'"; where_eq("location_id", 3)
// -> "location_id EQ 3"; where_eq("is_new", false) -> "is_new EQ false". Field names are
// identifiers (letters, digits, '_', '.'), asserted.
std::string where_eq(std::string_view field, std::string_view value);
std::string where_eq(std::string_view field, const char* value);
std::string where_eq(std::string_view field, int64_t value);
std::string where_eq(std::string_view field, bool value);
std::string where_is_null(std::string_view field);  // "(owner_email IS null)"
// Conjunction of non-empty terms: "a AND b AND c".
std::string where_and(std::initializer_list<std::string> terms);

}  // namespace dcisim::billing::dci6
