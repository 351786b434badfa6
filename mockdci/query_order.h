// `orderby` and `limit`: parsing, and the row order. Internal to query*.cpp; the rules a user
// sees are documented in query.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "mockdci/query.h"

namespace dcisim::mockdci::query_detail {

inline constexpr size_t kMaxOrderbyBytes = 4096;

common::Result<std::vector<OrderKey>> parse_orderby(std::string_view text,
                                                    const std::vector<std::string>& known_fields);

struct Limit {
  int64_t offset = 0;
  std::optional<int64_t> size;
};
common::Result<Limit> parse_limit(std::string_view text);

// Sorts `rows` by `keys`, stably.
void order_rows(std::vector<const Json*>& rows, const std::vector<OrderKey>& keys);

}  // namespace dcisim::mockdci::query_detail
