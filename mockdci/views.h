// The JSON the API returns for each object, with DCImanager's field names (API.md §4, §5, §7 and
// specs/ipmgr_api.json), and the whole-model state of the control API. Each list row function
// has a matching field list: the names a `where` or `orderby` may use on that collection.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "mockdci/model.h"

namespace dcisim::mockdci {

using Json = nlohmann::json;

// dci v3
Json server_json(const Model& model, const Server& server);
// hardware_info as DCImanager's hardware scan fills it, from the inventory's /hardware for the
// server's configuration (views_hardware.cpp); empty parts when the inventory declares none.
Json hardware_info_json(const Model& model, const Server& server);
const std::vector<std::string>& server_fields();
Json configuration_list_json(const Model& model);
Json location_json(const Location& location);
const std::vector<std::string>& location_fields();
Json rack_json(const Rack& rack);
const std::vector<std::string>& rack_fields();
Json os_template_json(const OsTemplate& os_template);
const std::vector<std::string>& os_template_fields();
Json script_json(const Script& script);
const std::vector<std::string>& script_fields();
Json user_json(const User& user, int64_t server_count);
const std::vector<std::string>& user_fields();
std::map<UserId, int64_t> server_counts(const Model& model);
Json switch_json(const Switch& sw);
const std::vector<std::string>& switch_fields();
Json port_json(const Model& model, const SwitchPort& port);
const std::vector<std::string>& port_fields();

// auth v4 (specs/auth_v4_api.yaml UserGet)
Json auth_user_json(const User& user);
const std::vector<std::string>& auth_user_fields();
// A stable UUID for an object: "<kind as 8 hex>-0000-4000-8000-<id as 12 hex>", so that runs
// with the same inventory show the same UUIDs.
std::string stable_uuid(uint32_t kind, int64_t id);
inline constexpr uint32_t kUserUuidKind = 0x75736572;    // "user"
inline constexpr uint32_t kServerUuidKind = 0x73727672;  // "srvr"

// IPmanager v3
Json pool_json(const Model& model, const IpPool& pool);
const std::vector<std::string>& pool_fields();
Json net_json(const IpNet& net);
const std::vector<std::string>& net_fields();
Json ip_json(const Model& model, const IpRecord& ip);
const std::vector<std::string>& ip_fields();

// The control API's GET /mockdci/v1/state: every object, no secret (no password, no token value).
// `server_rows`, when given, holds every server's JSON in id order (the emulator's cache).
Json state_json(const Model& model, common::Instant now, const std::vector<Json>* server_rows = nullptr);

}  // namespace dcisim::mockdci
