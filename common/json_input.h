// Reading JSON input files (inventories, scenarios, configuration) with errors a person can act
// on: every error names the source (file path), the JSON pointer of the offending value, and the
// expected form, e.g.
//   inventory.json: /locations/0/racks/1/units: expected an integer in 1..100, got "x"
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/money.h"
#include "common/result.h"
#include "common/time.h"

namespace dcisim::common {

using Json = nlohmann::json;

// Arrays and objects nested deeper than this are refused at parse time (everything that walks
// or serialises JSON recurses).
inline constexpr size_t kMaxJsonDepth = 256;

// The largest amount a file may write (either side of zero): millions of them still sum inside
// Money's int64. What a component accepts beyond that is its own rule (billing: kMaxAmount).
inline constexpr Money kMaxFileAmount = Money::from_units(1'000'000'000'000);

// Parses text; `allow_comments` accepts // and /* */ comments. A syntax error gives
// "<source>: line L, column C: <what>"; nesting deeper than kMaxJsonDepth is an error too.
Result<Json> parse_json_text(std::string_view text, const std::string& source, bool allow_comments);
// Reads a whole file (size-limited to `max_bytes`); errors name the path.
Result<std::string> read_text_file(const std::string& path, size_t max_bytes = 64 * 1024 * 1024);
// Reads and parses a file (size-limited to `max_bytes`).
Result<Json> parse_json_file(const std::string& path, bool allow_comments,
                             size_t max_bytes = 64 * 1024 * 1024);

// Escapes a key for use in a JSON pointer (RFC 6901: ~ -> ~0, / -> ~1).
std::string json_pointer_escape(std::string_view key);

// A position in a parsed document. Children of a missing value are missing too, so that optional
// fields read naturally: `node.at("timings").at("os_install").duration_or(Duration::minutes(20))`.
class JsonNode {
 public:
  JsonNode(const Json* value, std::string source, std::string pointer)
      : value_(value), source_(std::move(source)), pointer_(std::move(pointer)) {}

  static JsonNode root(const Json& document, std::string source) {
    return JsonNode(&document, std::move(source), "");
  }

  bool present() const { return value_ != nullptr && !value_->is_null(); }
  const Json* raw() const { return value_; }
  const std::string& source() const { return source_; }
  // "/locations/0/name"; "" is the document root (shown as "/").
  const std::string& pointer() const { return pointer_; }

  JsonNode at(std::string_view key) const;
  JsonNode at(size_t index) const;
  size_t size() const;  // elements of an array or members of an object; 0 otherwise

  // "<source>: <pointer>: expected <expected>, got <a short rendering of the value>".
  Error error(std::string_view expected) const;
  // "<source>: <pointer>: <message>" for errors that are not about the value's form.
  Error error_message(std::string_view message) const;

  // Typed reads: a missing value and a value of the wrong form are both errors naming `expected`.
  Result<std::string> string() const;
  Result<std::string> non_empty_string() const;
  Result<int64_t> integer(int64_t min, int64_t max) const;
  Result<bool> boolean() const;
  Result<Duration> duration() const;    // "20m", "31d"
  Result<Money> money() const;          // "12.34" or a JSON number with at most 4 decimals, |x| <= kMaxFileAmount
  Status require_object() const;
  Status require_array() const;
  // Every member name must be one of `allowed`; the first other one is an error listing them.
  Status only_keys(std::initializer_list<std::string_view> allowed) const;

  // Defaults for optional values: absent -> fallback; present but wrong -> error.
  Result<std::string> string_or(std::string fallback) const;
  Result<int64_t> integer_or(int64_t fallback, int64_t min, int64_t max) const;
  Result<bool> boolean_or(bool fallback) const;
  Result<Duration> duration_or(Duration fallback) const;

 private:
  const Json* value_;
  std::string source_;
  std::string pointer_;
};

}  // namespace dcisim::common
