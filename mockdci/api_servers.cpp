// dci v3 servers (API.md §4 and the ASSUMED calls of §7): list, get, free counts per
// configuration, power, issue/release, extra addresses, OS install, suspend/resume. A @user sees
// and acts only on the servers it owns: any other server is "not found" to it.
#include <limits>

#include "mockdci/api_support.h"
#include "mockdci/emulator_core.h"
#include "mockdci/server_actions.h"
#include "mockdci/views.h"

namespace dcisim::mockdci {

using common::Error;
using common::Result;
using Json = nlohmann::json;

namespace {

constexpr int64_t kMaxId = std::numeric_limits<int64_t>::max();

bool visible(const Server& server, const Caller& caller) { return caller.admin || server.owner == caller.user; }

Result<ServerId> visible_server(const Model& model, const Call& call) {
  ServerId id(call.id(0));
  const Server* server = model.server(id);
  if (server == nullptr || !visible(*server, call.caller)) {
    return Error::not_found("server " + std::to_string(id.value()) + " not found");
  }
  return id;
}

Result<Reply> list_servers(EmulatorCore& core, Call& call) {
  const std::vector<Json>& all = core.server_rows.rows(core.model);
  if (call.caller.admin) return list_reply(call.request, all, server_fields());
  std::vector<Json> rows;
  for (const auto& [id, server] : core.model.servers) {
    if (visible(server, call.caller)) rows.push_back(all[static_cast<size_t>(id.value() - 1)]);
  }
  return list_reply(call.request, rows, server_fields());
}

Result<Reply> get_server(EmulatorCore& core, Call& call) {
  Result<ServerId> id = visible_server(core.model, call);
  if (!id) return id.error();
  return Reply::serialized(200, core.server_rows.text(core.model, *id));
}

Result<Reply> power(EmulatorCore& core, Call& call, PowerAction action) {
  Result<ServerId> id = visible_server(core.model, call);
  if (!id) return id.error();
  if (Result<Json> body = parse_body(call.request); !body) return body.error();  // "{}" expected
  if (common::Status s = power_server(core.model, *id, action, call.now); !s) return s.error();
  return id_reply(id->value());
}

Result<Reply> issue(EmulatorCore& core, Call& call) {
  Result<ServerId> id = visible_server(core.model, call);
  if (!id) return id.error();
  Result<Json> body = parse_body(call.request);
  if (!body) return body.error();
  common::JsonNode node = body_node(*body);
  Result<int64_t> owner = node.at("owner").integer(1, kMaxId);
  if (!owner) return owner.error();
  Result<std::string> domain = node.at("domain").string_or("");
  if (!domain) return domain.error();
  if (common::Status s = issue_server(core.model, *id, UserId(*owner), *domain); !s) return s.error();
  return id_reply(id->value());
}

Result<Reply> release(EmulatorCore& core, Call& call) {
  Result<ServerId> id = visible_server(core.model, call);
  if (!id) return id.error();
  Result<OperationId> diagnostics = release_server(core.model, *id, call.now);
  if (!diagnostics) return diagnostics.error();
  return Reply{200, {{"id", id->value()}, {"task", diagnostics->value()}}};
}

Result<Reply> add_ip(EmulatorCore& core, Call& call) {
  Result<ServerId> id = visible_server(core.model, call);
  if (!id) return id.error();
  Result<Json> body = parse_body(call.request);
  if (!body) return body.error();
  common::JsonNode node = body_node(*body);
  Result<std::string> family_text = node.at("family").string();
  if (!family_text) return family_text.error();
  Result<IpFamily> family = parse_family(*family_text);
  if (!family) return node.at("family").error("\"ipv4\" or \"ipv6\"");
  Result<IpId> ip = add_server_ip(core.model, *id, *family);
  if (!ip) return ip.error();
  return id_reply(ip->value());
}

Result<Reply> remove_ip(EmulatorCore& core, Call& call) {
  Result<ServerId> id = visible_server(core.model, call);
  if (!id) return id.error();
  IpId ip(call.id(1));
  if (common::Status s = remove_server_ip(core.model, *id, ip); !s) return s.error();
  return id_reply(ip.value());
}

Result<Reply> install(EmulatorCore& core, Call& call) {
  Result<ServerId> id = visible_server(core.model, call);
  if (!id) return id.error();
  Result<Json> body = parse_body(call.request);
  if (!body) return body.error();
  common::JsonNode node = body_node(*body);
  Result<int64_t> os_template = node.at("os_template").integer(1, kMaxId);
  if (!os_template) return os_template.error();
  Result<std::string> password = node.at("password").non_empty_string();
  if (!password) return password.error();
  Result<std::string> domain = node.at("domain").string_or("");
  if (!domain) return domain.error();
  Result<int64_t> script = node.at("script").integer_or(0, 1, kMaxId);
  if (!script) return script.error();
  InstallRequest request{TemplateId(*os_template), ScriptId(*script), *domain, call.caller.admin};
  Result<OperationId> op = install_os(core.model, *id, request, call.now);
  if (!op) return op.error();
  return Reply{200, {{"id", id->value()}, {"task", op->value()}}};
}

Result<Reply> suspend_or_resume(EmulatorCore& core, Call& call, bool suspend) {
  Result<ServerId> id = visible_server(core.model, call);
  if (!id) return id.error();
  if (Result<Json> body = parse_body(call.request); !body) return body.error();  // "{}" expected
  common::Status s = suspend ? suspend_server(core.model, *id, call.now) : resume_server(core.model, *id, call.now);
  if (!s) return s.error();
  return id_reply(id->value());
}

}  // namespace

void add_server_routes(Router& router, EmulatorCore& core) {
  const std::string base = "/api/dci/v3/server";
  auto bind = [&core](auto f) { return [&core, f](Call& call) { return f(core, call); }; };
  router.add("GET", base, Access::session, bind(list_servers));
  router.add("GET", base + "/configuration", Access::session,
             [&core](Call&) { return Result<Reply>(Reply{200, configuration_list_json(core.model)}); });
  router.add("GET", base + "/{id}", Access::session, bind(get_server));
  router.add("POST", base + "/{id}/power_on", Access::session, [&core](Call& c) { return power(core, c, PowerAction::on); });
  router.add("POST", base + "/{id}/power_off", Access::session, [&core](Call& c) { return power(core, c, PowerAction::off); });
  router.add("POST", base + "/{id}/power_reset", Access::session,
             [&core](Call& c) { return power(core, c, PowerAction::reset); });
  router.add("POST", base + "/{id}/owner", Access::admin, bind(issue));
  router.add("DELETE", base + "/{id}/owner", Access::admin, bind(release));
  router.add("POST", base + "/{id}/ip", Access::admin, bind(add_ip));
  router.add("DELETE", base + "/{id}/ip/{id}", Access::admin, bind(remove_ip));
  router.add("POST", base + "/{id}/operating_system", Access::session, bind(install));
  router.add("POST", base + "/{id}/suspend", Access::admin, [&core](Call& c) { return suspend_or_resume(core, c, true); });
  router.add("POST", base + "/{id}/resume", Access::admin, [&core](Call& c) { return suspend_or_resume(core, c, false); });
}

}  // namespace dcisim::mockdci
