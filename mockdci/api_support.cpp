#include "mockdci/api_support.h"

#include "common/json_text.h"
#include "mockdci/query.h"

namespace dcisim::mockdci {

using common::Error;
using common::Result;

Result<nlohmann::json> parse_body(const common::HttpRequest& request) {
  bool blank = request.body.find_first_not_of(" \t\r\n") == std::string::npos;
  if (blank) return nlohmann::json::object();
  Result<nlohmann::json> parsed = common::parse_json_text(request.body, "request body", false);
  if (!parsed) return parsed.error();
  if (!parsed->is_object()) return Error::invalid("request body: expected a JSON object, got " + common::printable_utf8(common::json_text(*parsed), 60));
  return parsed;
}

common::JsonNode body_node(const nlohmann::json& body) { return common::JsonNode::root(body, "request body"); }

Result<Reply> list_reply(const common::HttpRequest& request, const std::vector<nlohmann::json>& rows,
                         const std::vector<std::string>& fields) {
  Result<ListQuery> query = ListQuery::parse(request.query_param("where"), request.query_param("orderby"),
                                             request.query_param("limit"), fields);
  if (!query) return Error::invalid(query.error().message);
  return Reply{200, query->apply(rows)};
}

Reply id_reply(int64_t id) { return Reply{200, {{"id", id}}}; }

}  // namespace dcisim::mockdci
