// The emulator's own control API under /mockdci/v1 (not DCImanager's): state, reset, clock,
// journal, faults and out-of-band operator actions. It needs the control token as
// "Authorization: Bearer <token>"; DCImanager session tokens never open it.
#include "mockdci/accounts.h"
#include "mockdci/api_support.h"
#include "mockdci/emulator_core.h"
#include "mockdci/panel_actions.h"
#include "mockdci/server_actions.h"
#include "mockdci/views.h"

namespace dcisim::mockdci {

using common::Error;
using common::Result;
using Json = nlohmann::json;

namespace {

constexpr int64_t kMaxAdvanceSeconds = int64_t{10} * 366 * 86400;  // ten years per call

Json clock_json(const EmulatorCore& core) {
  return {{"now", common::format_instant(core.options.clock->now())}, {"virtual", core.virtual_clock != nullptr}};
}

// Runs WITHOUT the model lock: advancing runs the emulator's TimedWork, which takes it.
Result<Reply> advance_clock(EmulatorCore& core, Call& call) {
  if (core.virtual_clock == nullptr) return Error::conflict("the clock is real: only a virtual clock can be advanced");
  Result<Json> body = parse_body(call.request);
  if (!body) return body.error();
  common::JsonNode node = body_node(*body);
  Result<int64_t> seconds = node.at("seconds").integer(0, kMaxAdvanceSeconds);
  if (!seconds) return seconds.error();
  if (common::Status s = core.virtual_clock->advance(common::Duration::seconds(*seconds)); !s) return s.error();
  return Reply{200, clock_json(core)};
}

Result<Reply> read_journal(EmulatorCore& core, Call& call) {
  size_t last = core.journal.capacity();
  if (const std::string* text = call.request.query_param("last")) {
    char* end = nullptr;
    long long n = std::strtoll(text->c_str(), &end, 10);
    if (text->empty() || *end != '\0' || n < 0) return Error::invalid("last: expected a non-negative integer, got \"" + *text + "\"");
    last = static_cast<size_t>(n);
  }
  Json list = Json::array();
  for (const JournalEntry& entry : core.journal.last(last)) list.push_back(journal_entry_json(entry));
  size_t size = list.size();
  return Reply{200, {{"list", std::move(list)}, {"size", size}, {"total", core.journal.total()}, {"capacity", core.journal.capacity()}}};
}

Result<Reply> operator_action(EmulatorCore& core, Call& call) {
  ServerId id(call.id(0));
  const Server* server = core.model.server(id);
  if (server == nullptr) return Error::not_found("server " + call.params[0] + " not found");
  Result<Json> body = parse_body(call.request);
  if (!body) return body.error();
  common::JsonNode node = body_node(*body);
  if (common::Status s = node.only_keys({"power", "maintenance", "ports", "owner", "domain", "release"}); !s) return s.error();
  Result<std::string> power = node.at("power").string_or("");
  if (!power) return power.error();
  if (!power->empty() && *power != "ON" && *power != "OFF" && *power != "UNKNOWN") {
    return node.at("power").error("\"ON\", \"OFF\" or \"UNKNOWN\"");
  }
  Result<bool> maintenance = node.at("maintenance").boolean_or(server->maintenance);
  if (!maintenance) return maintenance.error();
  Result<std::string> ports = node.at("ports").string_or("");
  if (!ports) return ports.error();
  if (!ports->empty() && *ports != "up" && *ports != "down") return node.at("ports").error("\"up\" or \"down\"");
  Result<std::string> owner = node.at("owner").string_or("");
  if (!owner) return owner.error();
  if (!owner->empty() && owner->find('@') == std::string::npos) return node.at("owner").error("an e-mail address");
  if (!owner->empty() && !server->owner.valid()) return node.at("owner").error_message("server " + call.params[0] + " is free: no owner to replace");
  bool set_domain = node.at("domain").present();
  Result<std::string> domain = node.at("domain").string_or("");
  if (!domain) return domain.error();
  Result<bool> release = node.at("release").boolean_or(false);
  if (!release) return release.error();
  if (*release && !server->owner.valid()) return node.at("release").error_message("server " + call.params[0] + " is free: nothing to release");
  // Every value is checked: now the changes, in this order (the release last).
  PortId port = server->port;
  if (!power->empty()) (void)set_power_state(core.model, id, *power);
  (void)set_maintenance(core.model, id, *maintenance);
  if (!ports->empty()) (void)set_port_admin(core.model, port, *ports == "up");
  if (!owner->empty()) {
    if (common::Status s = give_server(core.model, id, *owner); !s) return s.error();
  }
  if (set_domain) (void)set_server_domain(core.model, id, *domain);
  if (*release) {
    Result<OperationId> released = release_server(core.model, id, call.now);
    if (!released) return released.error();
  }
  return Reply::serialized(200, core.server_rows.text(core.model, id));
}

// POST /mockdci/v1/pool/{name} {"free_ipv4": N}: staff take addresses out of the pool.
Result<Reply> pool_action(EmulatorCore& core, Call& call) {
  Result<Json> body = parse_body(call.request);
  if (!body) return body.error();
  common::JsonNode node = body_node(*body);
  if (common::Status s = node.only_keys({"free_ipv4"}); !s) return s.error();
  Result<int64_t> free_left = node.at("free_ipv4").integer(0, INT64_MAX);
  if (!free_left) return free_left.error();
  if (common::Status s = shrink_pool(core.model, call.params[0], *free_left); !s) return s.error();
  return Reply{200, {{"pool", call.params[0]}, {"free_ipv4_at_most", *free_left}}};
}

}  // namespace

void add_control_routes(Router& router, EmulatorCore& core) {
  const std::string base = "/mockdci/v1";
  router.add("GET", base + "/state", Access::control,
             [&core](Call& c) {
               return Result<Reply>(Reply{200, state_json(core.model, c.now, &core.server_rows.rows(core.model))});
             });
  router.add("POST", base + "/reset", Access::control, [&core](Call&) {
    core.reset_locked();
    return Result<Reply>(Reply{200, clock_json(core)});
  });
  router.add("GET", base + "/clock", Access::control, [&core](Call&) { return Result<Reply>(Reply{200, clock_json(core)}); });
  router.add("POST", base + "/clock/advance", Access::control, [&core](Call& c) { return advance_clock(core, c); },
             /*locks_model=*/false);
  router.add("GET", base + "/journal", Access::control, [&core](Call& c) { return read_journal(core, c); },
             /*locks_model=*/false);
  router.add("POST", base + "/server/{id}", Access::control, [&core](Call& c) { return operator_action(core, c); });
  router.add("POST", base + "/pool/{any}", Access::control, [&core](Call& c) { return pool_action(core, c); });
}

}  // namespace dcisim::mockdci
