// What the DCImanager 6 module reads from each answer, as checkable rules: a member's path, the
// JSON types the module can read there, whether it must be present, the values it compares with
// (compared exactly by the documentation, case-insensitively by the module since it met a real
// `power_status: "on"`), and why billing needs it. certify checks every answer it gets against
// these, so that a live DCImanager whose answers differ is caught before billing trips over them.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace dcisim::certify {

using Json = nlohmann::json;

enum JsonType : unsigned {
  kNull = 1, kBool = 2, kInt = 4, kNumber = 8, kString = 16, kObject = 32, kArray = 64,
};

struct FieldRule {
  std::string path;       // "id", "operation.status", "ip[].family" ([] = every element)
  unsigned types = 0;     // JsonType bits the module reads
  bool required = false;  // absent (where its parent exists) is a problem
  std::vector<std::string> values;  // documented values ("ON", "OFF", "UNKNOWN"); empty = any
};

struct ContractProblem {
  std::string path;     // "power_status"
  std::string problem;  // "expected one of ON, OFF, UNKNOWN, found \"standby\""
  bool note = false;    // true: not a failure, worth knowing ("written in lower case: \"on\"")
};

// Problems of `object` against `rules`; `where` prefixes each path ("server 5: ").
std::vector<ContractProblem> check_contract(const Json& object, const std::vector<FieldRule>& rules);

// The rules, one list per kind of object the module reads.
const std::vector<FieldRule>& server_contract();         // GET /server/{id}
const std::vector<FieldRule>& server_row_contract();     // rows of GET /server (ip, links optional)
const std::vector<FieldRule>& login_contract();
const std::vector<FieldRule>& user_contract();
const std::vector<FieldRule>& configuration_contract();
const std::vector<FieldRule>& location_contract();
const std::vector<FieldRule>& rack_contract();
const std::vector<FieldRule>& os_template_contract();
const std::vector<FieldRule>& script_contract();
const std::vector<FieldRule>& port_contract();
const std::vector<FieldRule>& ippool_contract();
const std::vector<FieldRule>& ipnet_contract();
const std::vector<FieldRule>& list_contract();            // {"list": [...], "size": N}

// "power_status: expected ...; ip[].family: ..." (problems only, notes left out), "" when none.
std::string problems_text(const std::vector<ContractProblem>& problems, bool notes);

}  // namespace dcisim::certify
