#include "common/json_input.h"

#include <fstream>
#include <sstream>

#include "common/json_text.h"

namespace dcisim::common {

namespace {

std::string line_column(std::string_view text, size_t byte_offset) {
  size_t line = 1;
  size_t column = 1;
  for (size_t i = 0; i < byte_offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

std::string short_rendering(const Json* value) {
  if (value == nullptr) return "nothing (the value is missing)";
  return printable_utf8(json_text(*value), 60);
}

}  // namespace

Result<Json> parse_json_text(std::string_view text, const std::string& source, bool allow_comments) {
  struct TooDeep {};
  // Serialising and walking a document recurse: a bound on nesting keeps hostile input from
  // exhausting the stack anywhere later.
  size_t depth = 0;
  auto limit_depth = [&](int, Json::parse_event_t event, Json&) {
    if (event == Json::parse_event_t::object_start || event == Json::parse_event_t::array_start) {
      if (++depth > kMaxJsonDepth) throw TooDeep{};
    } else if (event == Json::parse_event_t::object_end || event == Json::parse_event_t::array_end) {
      --depth;
    }
    return true;
  };
  try {
    return Json::parse(text.begin(), text.end(), limit_depth, true, allow_comments);
  } catch (const TooDeep&) {
    return Error::invalid(source + ": invalid JSON: nested deeper than " + std::to_string(kMaxJsonDepth) +
                          " arrays or objects");
  } catch (const Json::parse_error& e) {
    std::string what = e.what();
    // nlohmann's message is "[json.exception.parse_error.101] parse error at line 1, column 2: ...";
    // keep the part after the position, ours says where.
    size_t colon = what.find(": ", what.find("parse error"));
    std::string reason = colon == std::string::npos ? what : what.substr(colon + 2);
    size_t offset = e.byte == 0 ? 0 : e.byte - 1;
    return Error::invalid(source + ": " + line_column(text, offset) + ": invalid JSON: " + reason);
  }
}

Result<std::string> read_text_file(const std::string& path, size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::io(path + ": cannot open the file (does it exist and is it readable?)");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return Error::io(path + ": read error");
  std::string text = buffer.str();
  if (text.size() > max_bytes) {
    return Error::invalid(path + ": the file is " + std::to_string(text.size()) +
                          " bytes, over the limit of " + std::to_string(max_bytes));
  }
  return text;
}

Result<Json> parse_json_file(const std::string& path, bool allow_comments, size_t max_bytes) {
  Result<std::string> text = read_text_file(path, max_bytes);
  if (!text) return text.error();
  return parse_json_text(*text, path, allow_comments);
}

std::string json_pointer_escape(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

JsonNode JsonNode::at(std::string_view key) const {
  std::string pointer = pointer_ + "/" + json_pointer_escape(key);
  const Json* child = nullptr;
  if (value_ != nullptr && value_->is_object()) {
    auto it = value_->find(std::string(key));
    if (it != value_->end()) child = &*it;
  }
  return JsonNode(child, source_, std::move(pointer));
}

JsonNode JsonNode::at(size_t index) const {
  const Json* child = nullptr;
  if (value_ != nullptr && value_->is_array() && index < value_->size()) child = &(*value_)[index];
  return JsonNode(child, source_, pointer_ + "/" + std::to_string(index));
}

size_t JsonNode::size() const {
  if (value_ == nullptr || !(value_->is_array() || value_->is_object())) return 0;
  return value_->size();
}

Error JsonNode::error(std::string_view expected) const {
  return Error::invalid(source_ + ": " + (pointer_.empty() ? "/" : pointer_) + ": expected " +
                        std::string(expected) + ", got " + short_rendering(value_));
}

Error JsonNode::error_message(std::string_view message) const {
  return Error::invalid(source_ + ": " + (pointer_.empty() ? "/" : pointer_) + ": " +
                        std::string(message));
}

Result<std::string> JsonNode::string() const {
  if (value_ == nullptr || !value_->is_string()) return error("a string");
  return value_->get<std::string>();
}

Result<std::string> JsonNode::non_empty_string() const {
  if (value_ == nullptr || !value_->is_string() || value_->get_ref<const std::string&>().empty()) {
    return error("a non-empty string");
  }
  return value_->get<std::string>();
}

Result<int64_t> JsonNode::integer(int64_t min, int64_t max) const {
  std::string expected = "an integer in " + std::to_string(min) + ".." + std::to_string(max);
  if (value_ == nullptr || !value_->is_number_integer()) return error(expected);
  int64_t v = value_->is_number_unsigned()
                  ? static_cast<int64_t>(std::min<uint64_t>(value_->get<uint64_t>(), INT64_MAX))
                  : value_->get<int64_t>();
  if (v < min || v > max) return error(expected);
  return v;
}

Result<bool> JsonNode::boolean() const {
  if (value_ == nullptr || !value_->is_boolean()) return error("true or false");
  return value_->get<bool>();
}

Result<Duration> JsonNode::duration() const {
  static constexpr std::string_view kExpected =
      "a duration such as \"90s\", \"20m\", \"2h\" or \"31d\"";
  if (value_ == nullptr || !value_->is_string()) return error(kExpected);
  Result<Duration> parsed = parse_duration(value_->get_ref<const std::string&>());
  if (!parsed) {
    bool too_long = parsed.error().message.find("longer than the limit") != std::string::npos;
    return error(too_long ? "a duration of at most " + format_duration(kMaxDuration) : std::string(kExpected));
  }
  return parsed;
}

Result<Money> JsonNode::money() const {
  static constexpr std::string_view kExpected =
      "an amount such as \"12.34\" (a string or number, at most 4 decimals)";
  if (value_ == nullptr) return error(kExpected);
  std::string text;
  if (value_->is_string()) {
    text = value_->get<std::string>();
  } else if (value_->is_number_integer()) {
    text = json_text(*value_);
  } else if (value_->is_number_float()) {
    // Floats are accepted only when their shortest decimal form has at most 4 decimals.
    text = json_text(*value_);
  } else {
    return error(kExpected);
  }
  Result<Money> parsed = Money::parse(text);
  if (!parsed) return error(kExpected);
  if (*parsed > kMaxFileAmount || *parsed < -kMaxFileAmount) {
    return error("an amount of at most " + kMaxFileAmount.to_string() + " either side of zero");
  }
  return parsed;
}

Status JsonNode::require_object() const {
  if (value_ == nullptr || !value_->is_object()) return error("an object");
  return Status::success();
}

Status JsonNode::require_array() const {
  if (value_ == nullptr || !value_->is_array()) return error("an array");
  return Status::success();
}

Status JsonNode::only_keys(std::initializer_list<std::string_view> allowed) const {
  if (value_ == nullptr || !value_->is_object()) return Status::success();
  for (auto it = value_->begin(); it != value_->end(); ++it) {
    bool known = false;
    for (std::string_view name : allowed) known = known || it.key() == name;
    if (!known) {
      std::string list;
      for (std::string_view name : allowed) list += (list.empty() ? "" : ", ") + std::string(name);
      return at(it.key()).error_message("unknown field \"" + it.key() + "\" (expected one of: " +
                                        list + ")");
    }
  }
  return Status::success();
}

Result<std::string> JsonNode::string_or(std::string fallback) const {
  if (!present()) return fallback;
  return string();
}

Result<int64_t> JsonNode::integer_or(int64_t fallback, int64_t min, int64_t max) const {
  if (!present()) return fallback;
  return integer(min, max);
}

Result<bool> JsonNode::boolean_or(bool fallback) const {
  if (!present()) return fallback;
  return boolean();
}

Result<Duration> JsonNode::duration_or(Duration fallback) const {
  if (!present()) return fallback;
  return duration();
}

}  // namespace dcisim::common
