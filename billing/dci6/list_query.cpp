#include "billing/dci6/list_query.h"

#include <cctype>

#include "common/assert.h"

namespace dcisim::billing::dci6 {

namespace {

const std::string& checked_field(const std::string& field) {
  bool ok = !field.empty();
  for (char c : field) {
    ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.');
  }
  DCISIM_ASSERT(ok, "a where field must be an identifier");
  return field;
}

}  // namespace

common::HeaderList ListQuery::parameters() const {
  common::HeaderList out;
  if (!orderby.empty()) out.emplace_back("orderby", orderby);
  if (size.has_value()) {
    out.emplace_back("limit", offset.has_value() ? std::to_string(*offset) + "," + std::to_string(*size)
                                                  : std::to_string(*size));
  }
  if (!where.empty()) out.emplace_back("where", where);
  return out;
}

std::string quote_where_string(std::string_view value) {
  std::string out = "'";
  for (char c : value) {
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}

std::string where_eq(std::string_view field, std::string_view value) {
  return checked_field(std::string(field)) + " EQ " + quote_where_string(value);
}

std::string where_eq(std::string_view field, const char* value) { return where_eq(field, std::string_view(value)); }

std::string where_eq(std::string_view field, int64_t value) {
  return checked_field(std::string(field)) + " EQ " + std::to_string(value);
}

std::string where_eq(std::string_view field, bool value) {
  return checked_field(std::string(field)) + " EQ " + (value ? "true" : "false");
}

std::string where_is_null(std::string_view field) { return "(" + checked_field(std::string(field)) + " IS null)"; }

std::string where_and(std::initializer_list<std::string> terms) {
  std::string out;
  for (const std::string& term : terms) {
    if (term.empty()) continue;
    if (!out.empty()) out += " AND ";
    out += term;
  }
  return out;
}

}  // namespace dcisim::billing::dci6
