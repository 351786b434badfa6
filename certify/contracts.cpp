#include "certify/contracts.h"

#include "common/http.h"

namespace dcisim::certify {

namespace {

bool has_type(const Json& value, unsigned types) {
  switch (value.type()) {
    case Json::value_t::null: return types & kNull;
    case Json::value_t::boolean: return types & kBool;
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned: return types & (kInt | kNumber);
    case Json::value_t::number_float: return types & kNumber;
    case Json::value_t::string: return types & kString;
    case Json::value_t::object: return types & kObject;
    case Json::value_t::array: return types & kArray;
    default: return false;
  }
}

std::string type_name(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::boolean: return "a boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned: return "an integer";
    case Json::value_t::number_float: return "a number";
    case Json::value_t::string: return "a string";
    case Json::value_t::object: return "an object";
    case Json::value_t::array: return "an array";
    default: return "something else";
  }
}

std::string types_text(unsigned types) {
  std::string out;
  auto add = [&](unsigned bit, const char* name) {
    if (types & bit) out += (out.empty() ? "" : " or ") + std::string(name);
  };
  add(kInt, "an integer");
  add(kNumber, "a number");
  add(kString, "a string");
  add(kBool, "a boolean");
  add(kObject, "an object");
  add(kArray, "an array");
  add(kNull, "null");
  return out;
}

void check_value(const Json& value, const FieldRule& rule, const std::string& where, std::vector<ContractProblem>& out) {
  if (!has_type(value, rule.types)) {
    out.push_back({where, "expected " + types_text(rule.types) + ", found " + type_name(value), false});
    return;
  }
  if (rule.values.empty() || !value.is_string()) return;
  const std::string& text = value.get_ref<const std::string&>();
  std::string listed;
  for (const std::string& v : rule.values) {
    if (v == text) return;
    listed += (listed.empty() ? "" : ", ") + v;
  }
  for (const std::string& v : rule.values) {
    if (common::iequals(v, text)) {
      out.push_back({where, "\"" + text + "\" where the documentation writes \"" + v +
                                "\" (the module compares case-insensitively)", true});
      return;
    }
  }
  out.push_back({where, "expected one of " + listed + ", found \"" + text + "\"", false});
}

// Walks `segments` from `at` into `value`, checking the rule where the path ends.
void walk(const Json& value, const std::vector<std::string>& segments, size_t at, const FieldRule& rule,
          const std::string& where, std::vector<ContractProblem>& out) {
  if (at == segments.size()) {
    check_value(value, rule, where, out);
    return;
  }
  std::string segment = segments[at];
  bool each = segment.size() > 2 && segment.compare(segment.size() - 2, 2, "[]") == 0;
  if (each) segment.resize(segment.size() - 2);
  if (!value.is_object()) return;  // a parent of another type is reported by its own rule
  auto it = value.find(segment);
  std::string here = where.empty() ? segment : where + "." + segment;
  if (it == value.end()) {
    if (rule.required && at + 1 == segments.size()) out.push_back({here, "missing", false});
    return;
  }
  if (!each) {
    walk(*it, segments, at + 1, rule, here, out);
    return;
  }
  if (!it->is_array()) return;
  for (const Json& item : *it) walk(item, segments, at + 1, rule, here + "[]", out);
}

std::vector<std::string> split(const std::string& path) {
  std::vector<std::string> out;
  size_t at = 0;
  while (at <= path.size()) {
    size_t dot = path.find('.', at);
    if (dot == std::string::npos) dot = path.size();
    out.push_back(path.substr(at, dot - at));
    at = dot + 1;
  }
  return out;
}

constexpr unsigned kId = kInt;
constexpr unsigned kIdRef = kInt | kObject | kNull;  // an id, a nested {"id", ...}, or none

}  // namespace

std::vector<ContractProblem> check_contract(const Json& object, const std::vector<FieldRule>& rules) {
  std::vector<ContractProblem> out;
  if (!object.is_object()) {
    out.push_back({"(answer)", "expected an object, found " + type_name(object), false});
    return out;
  }
  for (const FieldRule& rule : rules) {
    size_t before = out.size();
    walk(object, split(rule.path), 0, rule, "", out);
    // Deduplicate per rule: a list of 400 rows with the same problem says it once.
    for (size_t i = before + 1; i < out.size();) {
      bool seen = false;
      for (size_t j = before; j < i; ++j) seen = seen || (out[j].path == out[i].path && out[j].problem == out[i].problem);
      if (seen) {
        out.erase(out.begin() + static_cast<long>(i));
      } else {
        ++i;
      }
    }
  }
  return out;
}

std::string problems_text(const std::vector<ContractProblem>& problems, bool notes) {
  std::string out;
  for (const ContractProblem& p : problems) {
    if (p.note != notes) continue;
    out += (out.empty() ? "" : "; ") + p.path + ": " + p.problem;
  }
  return out;
}

const std::vector<FieldRule>& server_row_contract() {
  static const std::vector<FieldRule> rules = {
      {"id", kId, true, {}},
      {"name", kString | kNull, false, {}},
      {"domain", kString | kNull, true, {}},
      {"configuration", kString, true, {}},
      {"state", kString, true, {}},
      {"owner", kIdRef, false, {}},
      {"owner_email", kString | kNull, true, {}},
      {"power_status", kString, true, {"ON", "OFF", "UNKNOWN"}},
      {"location_id", kInt | kNull, false, {}},
      {"location", kIdRef, false, {}},
      {"is_new", kBool | kInt, false, {}},
      {"maintenance", kBool | kInt | kString, false, {}},
      {"operation", kObject | kNull, false, {}},
      {"operation.id", kId, true, {}},
      {"operation.status", kString, true, {"running", "ok", "failed", "canceled"}},
      {"ip", kArray, false, {}},
      {"ip[].id", kId, true, {}},
      {"ip[].name", kString, true, {}},
      {"ip[].family", kString | kInt, false, {}},
      {"switch_connection", kArray, false, {}},
      {"switch_connection[].switch", kIdRef, true, {}},
      {"switch_connection[].connection_id", kId, true, {}},
      {"switch_connection[].admin_status", kString, false, {"up", "down"}},
      {"switch_connection[].is_ipmi_connection", kBool | kInt, false, {}},
  };
  return rules;
}

const std::vector<FieldRule>& server_contract() {
  static const std::vector<FieldRule> rules = [] {
    std::vector<FieldRule> all = server_row_contract();
    for (FieldRule& rule : all) {
      // One server is read whole: its addresses and switch links must be there.
      if (rule.path == "ip" || rule.path == "switch_connection" || rule.path == "operation") rule.required = true;
    }
    return all;
  }();
  return rules;
}

const std::vector<FieldRule>& login_contract() {
  static const std::vector<FieldRule> rules = {
      {"token", kString, true, {}}, {"id", kInt | kString, false, {}}, {"confirmed", kBool, false, {}},
      {"expires_at", kString | kNull, false, {}}};
  return rules;
}

const std::vector<FieldRule>& user_contract() {
  static const std::vector<FieldRule> rules = {{"id", kId, true, {}}, {"email", kString, true, {}}};
  return rules;
}

const std::vector<FieldRule>& configuration_contract() {
  static const std::vector<FieldRule> rules = {{"configuration", kString, true, {}},
                                               {"free_server_count", kInt, true, {}}};
  return rules;
}

const std::vector<FieldRule>& location_contract() {
  static const std::vector<FieldRule> rules = {{"id", kId, true, {}}, {"name", kString, true, {}},
                                               {"ippool", kIdRef, false, {}}};
  return rules;
}

const std::vector<FieldRule>& rack_contract() {
  static const std::vector<FieldRule> rules = {{"id", kId, true, {}}, {"name", kString, true, {}},
                                               {"location", kIdRef, true, {}}, {"ippool", kIdRef, false, {}}};
  return rules;
}

const std::vector<FieldRule>& os_template_contract() {
  static const std::vector<FieldRule> rules = {{"id", kId, true, {}}, {"name", kString, true, {}}};
  return rules;
}

const std::vector<FieldRule>& script_contract() {
  static const std::vector<FieldRule> rules = {{"id", kId, true, {}}, {"name", kString, true, {}},
                                               {"access", kString, true, {}}};
  return rules;
}

const std::vector<FieldRule>& port_contract() {
  static const std::vector<FieldRule> rules = {{"id", kId, true, {}}, {"admin_status", kString, true, {"up", "down"}}};
  return rules;
}

const std::vector<FieldRule>& ippool_contract() {
  static const std::vector<FieldRule> rules = {{"id", kId, true, {}}, {"name", kString, true, {}}};
  return rules;
}

const std::vector<FieldRule>& ipnet_contract() {
  static const std::vector<FieldRule> rules = {{"id", kId, true, {}}, {"name", kString, true, {}},
                                               {"family", kInt | kString, true, {}}};
  return rules;
}

const std::vector<FieldRule>& list_contract() {
  static const std::vector<FieldRule> rules = {{"list", kArray, true, {}}, {"size", kInt, false, {}}};
  return rules;
}

}  // namespace dcisim::certify
