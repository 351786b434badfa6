#include "mockdci/query.h"

#include <algorithm>
#include <utility>

#include "mockdci/query_lexer.h"
#include "mockdci/query_order.h"
#include "mockdci/query_where.h"

namespace dcisim::mockdci {

namespace {

bool is_blank(const std::string* text) {
  return text == nullptr || std::all_of(text->begin(), text->end(), [](char c) {
           return c == ' ' || c == '\t' || c == '\n' || c == '\r';
         });
}

}  // namespace

ListQuery::ListQuery() = default;
ListQuery::~ListQuery() = default;
ListQuery::ListQuery(ListQuery&&) noexcept = default;
ListQuery& ListQuery::operator=(ListQuery&&) noexcept = default;

common::Result<ListQuery> ListQuery::parse(const std::string* where, const std::string* orderby,
                                           const std::string* limit,
                                           const std::vector<std::string>& known_fields) {
  ListQuery query;
  if (!is_blank(where)) {
    if (where->size() > query_detail::kMaxWhereBytes) {
      return common::Error::invalid(query_detail::join(
          {"where: too long: ", std::to_string(where->size()), " bytes, the limit is ",
           std::to_string(query_detail::kMaxWhereBytes)}));
    }
    auto parsed = query_detail::parse_where(*where, known_fields);
    if (!parsed.ok()) return parsed.error();
    query.where_ = std::move(parsed).value();
  }
  if (!is_blank(orderby)) {
    auto parsed = query_detail::parse_orderby(*orderby, known_fields);
    if (!parsed.ok()) return parsed.error();
    query.order_ = std::move(parsed).value();
  }
  if (!is_blank(limit)) {
    auto parsed = query_detail::parse_limit(*limit);
    if (!parsed.ok()) return parsed.error();
    query.offset_ = parsed->offset;
    query.size_ = parsed->size;
  }
  return query;
}

bool ListQuery::matches(const Json& row) const {
  return where_ == nullptr || where_->evaluate(row) == query_detail::Truth::yes;
}

Json ListQuery::apply(const std::vector<Json>& rows) const {
  std::vector<const Json*> matched;
  matched.reserve(rows.size());
  for (const Json& row : rows) {
    if (matches(row)) matched.push_back(&row);
  }
  query_detail::order_rows(matched, order_);

  const auto matched_count = static_cast<int64_t>(matched.size());
  const int64_t begin = std::min(offset_, matched_count);
  const int64_t end = size_ ? begin + std::min(*size_, matched_count - begin) : matched_count;
  Json list = Json::array();
  list.get_ref<Json::array_t&>().reserve(static_cast<size_t>(end - begin));
  for (int64_t i = begin; i < end; ++i) list.push_back(*matched[static_cast<size_t>(i)]);
  return Json{{"list", std::move(list)}, {"size", matched_count}};
}

}  // namespace dcisim::mockdci
