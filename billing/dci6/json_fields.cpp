#include "billing/dci6/json_fields.h"

namespace dcisim::billing::dci6 {

const Json& json_member(const Json& object, std::string_view key) {
  static const Json kNull;
  if (!object.is_object()) return kNull;
  auto it = object.find(key);
  return it == object.end() ? kNull : *it;
}

std::string json_text(const Json& object, std::string_view key) {
  const Json& member = json_member(object, key);
  return member.is_string() ? member.get<std::string>() : std::string();
}

int64_t json_id_of(const Json& value) {
  if (value.is_number_integer()) return value.get<int64_t>();
  if (value.is_object()) {
    auto id = value.find("id");
    return id != value.end() && id->is_number_integer() ? id->get<int64_t>() : 0;
  }
  if (value.is_string()) {
    const std::string& text = value.get_ref<const std::string&>();
    if (!text.empty() && text.size() < 19 && text.find_first_not_of("0123456789") == std::string::npos) {
      return std::stoll(text);
    }
  }
  return 0;
}

int64_t json_int(const Json& object, std::string_view key) { return json_id_of(json_member(object, key)); }

bool json_flag(const Json& object, std::string_view key, bool fallback) {
  const Json& member = json_member(object, key);
  return member.is_boolean() ? member.get<bool>() : fallback;
}

}  // namespace dcisim::billing::dci6
