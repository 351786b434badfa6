// Ids as types: a `ServiceId` cannot be passed where a `ClientId` is expected. Ids are assigned
// sequentially from 1 by whoever owns the collection; 0 means "none".
#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <string>

namespace dcisim::common {

template <typename Tag>
class Id {
 public:
  constexpr Id() = default;
  constexpr explicit Id(int64_t value) : value_(value) {}
  constexpr int64_t value() const { return value_; }
  constexpr bool valid() const { return value_ > 0; }
  std::string to_string() const { return std::to_string(value_); }
  constexpr auto operator<=>(const Id&) const = default;

 private:
  int64_t value_ = 0;
};

}  // namespace dcisim::common

template <typename Tag>
struct std::hash<dcisim::common::Id<Tag>> {
  size_t operator()(const dcisim::common::Id<Tag>& id) const noexcept {
    return std::hash<int64_t>()(id.value());
  }
};
