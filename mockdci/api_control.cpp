// The emulator's own control API under /mockdci/v1 (not DCImanager's): state, reset, clock,
// journal, faults and out-of-band operator actions. It needs the control token as
// "Authorization: Bearer <token>"; DCImanager session tokens never open it.
#include "mockdci/accounts.h"
#include "mockdci/api_support.h"
#include "mockdci/emulator_core.h"
#include "mockdci/server_actions.h"
#include "mockdci/views.h"

namespace dcisim::mockdci {

using common::Error;
using common::Result;
using Json = nlohmann::json;

namespace {

constexpr int64_t kMaxAdvanceSeconds = int64_t{10} * 366 * 86400;  // ten years per call
constexpr int64_t kMaxFaultCount = 1'000'000;

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

Json faults_json(const Faults& faults) {
  return {{"unavailable", faults.unavailable_remaining},
          {"path_prefix", faults.unavailable_path_prefix},
          {"os_install_failures", faults.os_install_failures_remaining}};
}

Result<Reply> set_faults(EmulatorCore& core, Call& call) {
  Result<Json> body = parse_body(call.request);
  if (!body) return body.error();
  common::JsonNode node = body_node(*body);
  if (common::Status s = node.only_keys({"unavailable", "path_prefix", "os_install_failures", "expire_tokens"}); !s) return s.error();
  Faults faults = core.model.faults;
  Result<int64_t> unavailable = node.at("unavailable").integer_or(faults.unavailable_remaining, 0, kMaxFaultCount);
  if (!unavailable) return unavailable.error();
  Result<std::string> prefix = node.at("path_prefix").string_or(faults.unavailable_path_prefix);
  if (!prefix) return prefix.error();
  Result<int64_t> failures = node.at("os_install_failures").integer_or(faults.os_install_failures_remaining, 0, kMaxFaultCount);
  if (!failures) return failures.error();
  Result<bool> expire = node.at("expire_tokens").boolean_or(false);
  if (!expire) return expire.error();
  core.model.faults = Faults{*unavailable, *prefix, *failures};
  if (*expire) expire_all_tokens(core.model);
  return Reply{200, faults_json(core.model.faults)};
}

Result<Reply> operator_action(EmulatorCore& core, Call& call) {
  ServerId id(call.id(0));
  if (core.model.server(id) == nullptr) return Error::not_found("server " + call.params[0] + " not found");
  Result<Json> body = parse_body(call.request);
  if (!body) return body.error();
  common::JsonNode node = body_node(*body);
  if (common::Status s = node.only_keys({"power", "maintenance"}); !s) return s.error();
  Result<std::string> power = node.at("power").string_or("");
  if (!power) return power.error();
  if (!power->empty() && *power != "ON" && *power != "OFF" && *power != "UNKNOWN") {
    return node.at("power").error("\"ON\", \"OFF\" or \"UNKNOWN\"");
  }
  Result<bool> maintenance = node.at("maintenance").boolean_or(core.model.server(id)->maintenance);
  if (!maintenance) return maintenance.error();
  if (!power->empty()) (void)set_power_state(core.model, id, *power);
  (void)set_maintenance(core.model, id, *maintenance);
  return Reply::serialized(200, core.server_rows.text(core.model, id));
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
  router.add("GET", base + "/faults", Access::control,
             [&core](Call&) { return Result<Reply>(Reply{200, faults_json(core.model.faults)}); });
  router.add("POST", base + "/faults", Access::control, [&core](Call& c) { return set_faults(core, c); });
  router.add("POST", base + "/server/{id}", Access::control, [&core](Call& c) { return operator_action(core, c); });
}

}  // namespace dcisim::mockdci
