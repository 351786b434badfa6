// Fuzz target: the list query engine (`where`, `orderby`, `limit` as DCImanager's clients send
// them). Promises: parsing never throws; a parsed query applies to rows of every JSON type
// without throwing and returns {"list": [...], "size": N} with N >= the list's length.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fuzz/targets/fuzz_input.h"
#include "mockdci/query.h"

namespace {

using Json = nlohmann::json;

const std::vector<Json>& rows() {
  static const std::vector<Json> kRows = {
      Json{{"id", 1}, {"name", "A1-01"}, {"owner_email", nullptr}, {"is_new", false}, {"location_id", 1},
           {"rack", {{"id", 1}, {"name", "A1"}}}, {"configuration", "i9"}, {"ip", Json::array({"192.0.2.2"})}},
      Json{{"id", 2}, {"name", "b%_\\'x"}, {"owner_email", "x@y.z"}, {"is_new", true}, {"location_id", 3},
           {"rack", nullptr}, {"configuration", 12.5}, {"ip", Json::object()}},
      Json{{"id", -9223372036854775807LL}, {"name", ""}, {"owner_email", ""}, {"is_new", "false"}, {"location_id", "3"},
           {"rack", {{"id", "x"}}}, {"configuration", true}, {"ip", nullptr}},
      Json::object(),
  };
  return kRows;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  dcisim::fuzz::FuzzInput in(data, size);
  bool with_orderby = in.flag();
  bool with_limit = in.flag();
  std::string orderby = in.text(64);
  std::string limit = in.text(24);
  std::string where = in.rest();
  static const std::vector<std::string> kFields = {"id", "name", "owner_email", "is_new", "location_id", "rack",
                                                    "configuration", "ip"};
  auto query = dcisim::mockdci::ListQuery::parse(&where, with_orderby ? &orderby : nullptr,
                                                 with_limit ? &limit : nullptr, kFields);
  if (!query) return 0;
  Json answer = query->apply(rows());
  if (!answer.contains("list") || !answer["list"].is_array() || !answer.contains("size") ||
      answer["size"].get<int64_t>() < static_cast<int64_t>(answer["list"].size())) {
    dcisim::fuzz::fail("a list answer of the wrong shape for where=" + where);
  }
  for (const Json& row : rows()) (void)query->matches(row);
  return 0;
}
