#include "certify/route_match.h"

#include <charconv>
#include <vector>

namespace dcisim::certify {

namespace {

std::vector<std::string> segments_of(const std::string& path) {
  std::vector<std::string> out;
  size_t at = 0;
  while (at < path.size()) {
    size_t slash = path.find('/', at);
    if (slash == std::string::npos) slash = path.size();
    if (slash > at) out.push_back(path.substr(at, slash - at));
    at = slash + 1;
  }
  return out;
}

std::optional<int64_t> positive(const std::string& text) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

}  // namespace

std::optional<MatchedRoute> match_route(const billing::dci6::RouteTable& routes, const std::string& method,
                                        const std::string& path) {
  std::vector<std::string> wanted = segments_of(path);
  std::optional<MatchedRoute> best;
  int best_literals = -1;
  for (size_t i = 0; i < billing::dci6::kRouteCount; ++i) {
    auto id = static_cast<billing::dci6::RouteId>(i);
    const billing::dci6::Route& route = routes.route(id);
    if (route.method != method) continue;
    std::vector<std::string> pattern = segments_of(route.path);
    if (pattern.size() != wanted.size()) continue;
    MatchedRoute candidate{id, {}};
    int literals = 0;
    bool matches = true;
    for (size_t s = 0; s < pattern.size() && matches; ++s) {
      const std::string& p = pattern[s];
      if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
        std::optional<int64_t> value = positive(wanted[s]);
        matches = value.has_value();
        if (matches) candidate.params[p.substr(1, p.size() - 2)] = *value;
      } else {
        matches = p == wanted[s];
        literals += matches ? 1 : 0;
      }
    }
    if (matches && literals > best_literals) {
      best = candidate;
      best_literals = literals;
    }
  }
  return best;
}

}  // namespace dcisim::certify
