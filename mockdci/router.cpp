#include "mockdci/router.h"

#include <algorithm>
#include <charconv>

namespace dcisim::mockdci {

namespace {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> segments;
  size_t pos = 0;
  while (pos < path.size()) {
    size_t next = path.find('/', pos);
    if (next == std::string::npos) next = path.size();
    if (next > pos) segments.push_back(path.substr(pos, next - pos));
    pos = next + 1;
  }
  return segments;
}

bool is_positive_integer(const std::string& text) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size() && value > 0 && text[0] != '+';
}

// Matches and returns how specific the match is (literal segments count), -1 when it does not.
int match_segments(const std::vector<std::string>& pattern, const std::vector<std::string>& path,
                   std::vector<std::string>& params) {
  if (pattern.size() != path.size()) return -1;
  int literals = 0;
  params.clear();
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == "{id}") {
      if (!is_positive_integer(path[i])) return -1;
      params.push_back(path[i]);
    } else if (pattern[i] == "{any}") {
      params.push_back(path[i]);
    } else if (pattern[i] == path[i]) {
      ++literals;
    } else {
      return -1;
    }
  }
  return literals;
}

// "{ip_id}" and "{port_id}" are ids to the router: every named placeholder but {any} is {id}.
std::string canonical_pattern(const std::string& path) {
  std::string out;
  for (const std::string& segment : split_path(path)) {
    bool placeholder = segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
    out += "/" + (placeholder && segment != "{any}" ? std::string("{id}") : segment);
  }
  return out;
}

common::Result<std::pair<std::string, std::string>> parse_method_path(const std::string& text, const std::string& whole) {
  size_t space = text.find(' ');
  std::string method = text.substr(0, space);
  std::string path = space == std::string::npos ? "" : text.substr(space + 1);
  if (method != "GET" && method != "POST" && method != "DELETE") {
    return common::Error::invalid("route alias \"" + whole + "\": \"" + text + "\" must start with GET, POST or DELETE");
  }
  if (path.empty() || path[0] != '/' || path.find_first_of(" ?#") != std::string::npos) {
    return common::Error::invalid("route alias \"" + whole + "\": \"" + text + "\" needs a path such as /api/dci/v3/server/{id}/owner");
  }
  return std::make_pair(method, canonical_pattern(path));
}

size_t placeholder_count(const std::string& pattern) {
  size_t n = 0;
  for (const std::string& segment : split_path(pattern)) n += segment.front() == '{' ? 1 : 0;
  return n;
}

}  // namespace

common::Result<RouteAlias> parse_route_alias(const std::string& text) {
  size_t eq = text.find('=');
  if (eq == std::string::npos || text.find('=', eq + 1) != std::string::npos) {
    return common::Error::invalid("route alias \"" + text + "\": expected \"METHOD /path=METHOD /new-path\"");
  }
  DCISIM_ASSIGN_OR_RETURN(auto from, parse_method_path(text.substr(0, eq), text));
  DCISIM_ASSIGN_OR_RETURN(auto to, parse_method_path(text.substr(eq + 1), text));
  if (placeholder_count(from.second) != placeholder_count(to.second)) {
    return common::Error::invalid("route alias \"" + text + "\": both sides need the same placeholders");
  }
  return RouteAlias{from.first, from.second, to.first, to.second};
}

int64_t Call::id(size_t index) const {
  DCISIM_ASSERT(index < params.size(), "Call::id: no such path parameter");
  int64_t value = 0;
  std::from_chars(params[index].data(), params[index].data() + params[index].size(), value);
  return value;
}

void Router::add(std::string method, std::string pattern, Access access, Handler handler, bool locks_model) {
  Route route{std::move(method), std::move(pattern), access, locks_model, std::move(handler), {}};
  route.segments = split_path(route.pattern);
  routes_.push_back(std::move(route));
}

void Router::set_optional_prefix(std::string prefix) { optional_prefix_ = std::move(prefix); }

common::Status Router::apply_alias(const RouteAlias& alias) {
  std::string what = alias.from_method + " " + alias.from_pattern + "=" + alias.to_method + " " + alias.to_pattern;
  Route* moved = nullptr;
  for (Route& route : routes_) {
    if (route.method == alias.to_method && route.pattern == alias.to_pattern) {
      return common::Error::invalid("route alias \"" + what + "\": the emulator already serves " + alias.to_method + " " +
                                    alias.to_pattern);
    }
    if (route.method == alias.from_method && route.pattern == alias.from_pattern) moved = &route;
  }
  if (moved == nullptr) {
    return common::Error::invalid("route alias \"" + what + "\": the emulator has no route " + alias.from_method + " " +
                                  alias.from_pattern + " (GET /mockdci/v1/openapi.json lists them)");
  }
  moved->method = alias.to_method;
  moved->pattern = alias.to_pattern;
  moved->segments = split_path(moved->pattern);
  return common::Status::success();
}

Router::Match Router::match(const std::string& method, const std::string& path) const {
  std::vector<std::string> segments = split_path(path);
  Match exact = match_exact(method, segments);
  exact.canonical_path = path;
  std::vector<std::string> prefix = split_path(optional_prefix_);
  bool prefixed = !prefix.empty() && segments.size() >= prefix.size() &&
                  std::equal(prefix.begin(), prefix.end(), segments.begin());
  if (exact.route != nullptr || prefix.empty() || prefixed) return exact;
  segments.insert(segments.begin(), prefix.begin(), prefix.end());
  Match aliased = match_exact(method, segments);
  if (aliased.route == nullptr && aliased.allowed_methods.empty()) return exact;
  aliased.canonical_path = optional_prefix_ + path;
  return aliased;
}

Router::Match Router::match_exact(const std::string& method, const std::vector<std::string>& path_segments) const {
  Match best;
  int best_literals = -1;
  std::vector<std::string> params;
  for (const Route& route : routes_) {
    int literals = match_segments(route.segments, path_segments, params);
    if (literals < 0) continue;
    if (route.method != method) {
      if (best.allowed_methods.find(route.method) == std::string::npos) {
        best.allowed_methods += (best.allowed_methods.empty() ? "" : ", ") + route.method;
      }
      continue;
    }
    if (literals > best_literals) {
      best_literals = literals;
      best.route = &route;
      best.params = params;
    }
  }
  return best;
}

}  // namespace dcisim::mockdci
