#include "certify/compare.h"

#include <algorithm>
#include <regex>
#include <set>

#include "common/http.h"

namespace dcisim::certify {

namespace {

// Members whose integer value is a reference to another object, by the kind they name.
const std::map<std::string, std::string>& reference_kinds() {
  static const std::map<std::string, std::string> kinds = {
      {"owner", "user"},       {"switch", "switch"},   {"ippool", "ippool"}, {"ipnet", "ipnet"},
      {"location", "location"}, {"rack", "rack"},      {"server", "server"}, {"main_ipv4", "ip"},
      {"main_ipv6", "ip"},     {"connection_id", "port"}, {"task", "operation"}, {"os_template", "os_template"},
      {"script", "script"},    {"ippools", "ippool"},  {"ipnets", "ipnet"}};
  return kinds;
}

// What the elements of an array member are, for their "id".
std::string element_kind(const std::string& member, const std::string& parent_kind) {
  static const std::map<std::string, std::string> kinds = {
      {"ip", "ip"},       {"switch_connection", "link"}, {"ipnets", "ipnet"}, {"ippools", "ippool"},
      {"cpu", "cpu"},     {"disks", "disk"},             {"modules", "module"}, {"list", ""}};
  auto it = kinds.find(member);
  if (it == kinds.end()) return member;
  return it->second.empty() ? parent_kind : it->second;
}

bool looks_like_time(const std::string& text) {
  static const std::regex time(R"(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?.*)");
  return text.size() >= 16 && text.size() <= 40 && std::regex_match(text, time);
}

std::string kind_of_member(const std::string& key, const std::string& parent_kind) {
  if (key == "id") return parent_kind.empty() ? "object" : parent_kind;
  if (key.size() > 3 && key.compare(key.size() - 3, 3, "_id") == 0) return key.substr(0, key.size() - 3);
  auto it = reference_kinds().find(key);
  return it == reference_kinds().end() ? "" : it->second;
}

// Flattened structure of one answer: path -> JSON types seen there, and the values of the
// members whose values are a vocabulary (power_status, state, ...).
struct Shape {
  std::map<std::string, std::set<std::string>> types;
  std::map<std::string, std::set<std::string>> values;
  std::set<std::string> empty_arrays;  // array paths that had no element
};

const std::set<std::string>& vocabulary_keys() {
  static const std::set<std::string> keys = {"power_status", "state", "status", "family", "admin_status",
                                             "oper_status", "access", "type", "confirmed"};
  return keys;
}

std::string type_of(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::boolean: return "boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned: return "integer";
    case Json::value_t::number_float: return "number";
    case Json::value_t::string: return "string";
    case Json::value_t::object: return "object";
    case Json::value_t::array: return "array";
    default: return "other";
  }
}

void flatten(const Json& value, const std::string& path, const std::string& key, Shape& shape) {
  shape.types[path.empty() ? "(body)" : path].insert(type_of(value));
  if (value.is_object()) {
    for (auto it = value.begin(); it != value.end(); ++it) {
      flatten(*it, path.empty() ? it.key() : path + "." + it.key(), it.key(), shape);
    }
  } else if (value.is_array()) {
    if (value.empty()) shape.empty_arrays.insert(path);
    for (const Json& item : value) flatten(item, path + "[]", key, shape);
  } else if (value.is_string() || value.is_boolean()) {
    if (vocabulary_keys().count(key)) shape.values[path].insert(value.is_string() ? value.get<std::string>() : value.dump());
  }
}

// A path under an array that is empty on the other side cannot be compared there.
bool under_empty_array(const std::string& path, const Shape& other) {
  for (const std::string& array : other.empty_arrays) {
    std::string prefix = array + "[]";
    if (path.compare(0, prefix.size(), prefix) == 0) return true;
  }
  return false;
}

std::string joined(const std::set<std::string>& items, bool quoted) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ", ") + (quoted ? "\"" + item + "\"" : item);
  return out;
}

void diff_shapes(const std::string& probe, const Shape& live, const Shape& emulator, std::vector<Difference>& out) {
  for (const auto& [path, types] : live.types) {
    auto other = emulator.types.find(path);
    if (other == emulator.types.end()) {
      if (!under_empty_array(path, emulator)) out.push_back({probe, path, joined(types, false), "(absent)"});
      continue;
    }
    std::set<std::string> a = types, b = other->second;
    a.erase("null");  // null is "no value": a free server has owner null on both sides
    b.erase("null");
    if (!a.empty() && !b.empty() && a != b) out.push_back({probe, path, joined(types, false), joined(other->second, false)});
  }
  for (const auto& [path, types] : emulator.types) {
    if (!live.types.count(path) && !under_empty_array(path, live)) out.push_back({probe, path, "(absent)", joined(types, false)});
  }
  // Spellings: a value one side writes differently from the other ("on" and "ON").
  for (const auto& [path, values] : live.values) {
    auto other = emulator.values.find(path);
    if (other == emulator.values.end()) continue;
    for (const std::string& v : values) {
      for (const std::string& w : other->second) {
        if (v != w && common::iequals(v, w)) out.push_back({probe, path + " (spelling)", "\"" + v + "\"", "\"" + w + "\""});
      }
    }
  }
}

}  // namespace

std::string Aliases::alias(const std::string& kind, int64_t id) {
  std::map<int64_t, int>& ids = seen_[kind];
  auto [it, fresh] = ids.emplace(id, static_cast<int>(ids.size()) + 1);
  (void)fresh;
  return "<" + kind + ":" + std::to_string(it->second) + ">";
}

Json normalise(const Json& value, const std::string& kind, Aliases& aliases) {
  if (value.is_array()) {
    Json out = Json::array();
    for (const Json& item : value) out.push_back(normalise(item, kind, aliases));
    return out;
  }
  if (value.is_string() && looks_like_time(value.get<std::string>())) return "<time>";
  if (!value.is_object()) return value;
  Json out = Json::object();
  for (auto it = value.begin(); it != value.end(); ++it) {
    std::string member_kind = kind_of_member(it.key(), kind);
    if (!member_kind.empty() && it->is_number_integer()) {
      out[it.key()] = aliases.alias(member_kind, it->get<int64_t>());
    } else if (!member_kind.empty() && it->is_array() && it.key() != "id") {
      Json list = Json::array();
      for (const Json& item : *it) {
        list.push_back(item.is_number_integer() ? Json(aliases.alias(member_kind, item.get<int64_t>()))
                                                : normalise(item, member_kind, aliases));
      }
      out[it.key()] = list;
    } else if (it->is_object()) {
      std::string nested = reference_kinds().count(it.key()) ? reference_kinds().at(it.key()) : it.key();
      out[it.key()] = normalise(*it, nested, aliases);
    } else if (it->is_array()) {
      out[it.key()] = normalise(*it, element_kind(it.key(), kind), aliases);
    } else if (it.key() == "uuid" || it.key() == "mac" || it.key() == "serial" || it.key() == "barcode") {
      out[it.key()] = it->is_string() ? Json("<" + it.key() + ">") : *it;
    } else {
      out[it.key()] = normalise(*it, kind, aliases);
    }
  }
  return out;
}

std::vector<Difference> diff_records(const std::vector<ProbeRecord>& live, const std::vector<ProbeRecord>& emulator) {
  std::vector<Difference> out;
  std::map<std::string, size_t> occurrence;
  for (const ProbeRecord& a : live) {
    size_t n = occurrence[a.key]++;
    const ProbeRecord* b = nullptr;
    size_t seen = 0;
    for (const ProbeRecord& candidate : emulator) {
      if (candidate.key == a.key && seen++ == n) b = &candidate;
    }
    if (b == nullptr) {
      out.push_back({a.key, "(probe)", "asked", "(not asked: the emulator's data led elsewhere)"});
      continue;
    }
    if (a.verdict != b->verdict) out.push_back({a.key, "(route)", a.verdict, b->verdict});
    if (a.status != b->status) {
      out.push_back({a.key, "(status)", a.status == 0 ? "no answer" : std::to_string(a.status),
                     b->status == 0 ? "no answer" : std::to_string(b->status)});
      continue;  // different kinds of answers: their bodies are not comparable field by field
    }
    Shape live_shape, emulator_shape;
    flatten(a.body, "", "", live_shape);
    flatten(b->body, "", "", emulator_shape);
    diff_shapes(a.key, live_shape, emulator_shape, out);
  }
  return out;
}

}  // namespace dcisim::certify
