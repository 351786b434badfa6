// Rows and helpers shared by the specifications of mockdci/query.h (tests/unit/mockdci_query_*).
#pragma once

#include <catch2/catch.hpp>
#include <optional>
#include <string>
#include <vector>

#include "mockdci/query.h"

namespace query_test {

using dcisim::common::ErrorKind;
using dcisim::common::Result;
using dcisim::mockdci::Json;
using dcisim::mockdci::ListQuery;

struct Params {
  std::optional<std::string> where = {};
  std::optional<std::string> orderby = {};
  std::optional<std::string> limit = {};
};

inline const std::vector<std::string> kServerFields = {
    "id",          "name",      "domain", "configuration", "state",        "owner_email",
    "owner",       "is_new",    "rack",   "unit",          "power_status", "ip",
    "location_id", "operation", "note",   "price",         "serial",       "tags"};
inline const std::vector<std::string> kIpFields = {
    "id", "name", "domain", "ipnet", "ipnet_name", "ippool", "status", "note", "locked"};
inline const std::vector<std::string> kPortFields = {"id", "name", "admin_status", "oper_status",
                                                     "description"};

inline Result<ListQuery> parse(const Params& p,
                               const std::vector<std::string>& fields = kServerFields) {
  return ListQuery::parse(p.where ? &*p.where : nullptr, p.orderby ? &*p.orderby : nullptr,
                          p.limit ? &*p.limit : nullptr, fields);
}

inline std::vector<int64_t> ids_of(const Json& result) {
  std::vector<int64_t> ids;
  for (const Json& row : result.at("list")) ids.push_back(row.at("id").get<int64_t>());
  return ids;
}

inline Json run(const std::vector<Json>& rows, const Params& p,
                const std::vector<std::string>& fields = kServerFields) {
  Result<ListQuery> query = parse(p, fields);
  INFO((query.ok() ? std::string() : query.error().message));
  REQUIRE(query.ok());
  return query->apply(rows);
}

inline std::vector<int64_t> ids(const std::vector<Json>& rows, const std::string& where) {
  return ids_of(run(rows, {where, {}, {}}));
}

inline std::string error_of(const Params& p,
                            const std::vector<std::string>& fields = kServerFields) {
  Result<ListQuery> query = parse(p, fields);
  REQUIRE_FALSE(query.ok());
  CHECK(query.error().kind == ErrorKind::invalid_argument);
  return query.error().message;
}

inline std::string where_error(const std::string& where) {
  return error_of({where, {}, {}});
}

inline Json server(int64_t id, const char* configuration, Json owner_email, bool is_new,
                   int64_t location_id) {
  return Json{
      {"id", id},
      {"name", "srv-" + std::to_string(id)},
      {"domain", "srv" + std::to_string(id) + ".example.net"},
      {"configuration", configuration},
      {"state", "active"},
      {"owner_email", owner_email},
      {"owner", owner_email.is_null() ? Json(nullptr) : Json(id + 100)},
      {"is_new", is_new},
      {"location_id", location_id},
      {"rack",
       {{"id", location_id * 10}, {"name", std::string("R").append(std::to_string(location_id))}}},
      {"unit", id},
      {"power_status", "ON"},
      {"ip", Json::array({{{"id", id}, {"name", "192.0.2." + std::to_string(id)}}})}};
}

inline std::vector<Json> servers() {
  const char* i9 = "i9-9900K-64Gb-2x1024NVMe";
  const char* e5 = "E5-2680v4-128Gb";
  const char* e3 = "E3-1230v6-32Gb";
  return {server(1, i9, nullptr, false, 3),
          server(2, e5, "x@y.z", false, 3),
          server(3, i9, "x@y.z", false, 3),
          server(4, i9, nullptr, true, 3),
          server(5, "Xeon-E-2288G", "X@Y.Z", false, 3),
          server(6, e3, "other@y.z", false, 3),
          server(7, e5, "x@y.z", false, 5),
          server(8, i9, nullptr, false, 5),
          server(9, "AMD-EPYC-7302", "x@y.z", false, 3),
          server(10, e5, "x@y.z", true, 3),
          server(11, e3, "x@y.z", false, 3),
          server(12, i9, "x@y.z", false, 3)};
}

inline Json ip(int64_t id, const char* name, Json domain, int64_t ipnet, const char* status) {
  return Json{{"id", id},
              {"name", name},
              {"domain", domain},
              {"ipnet", ipnet},
              {"ipnet_name", ipnet == 7 ? "192.0.2.0/24" : "198.51.100.0/24"},
              {"ippool", 1},
              {"status", status},
              {"note", ""},
              {"locked", false}};
}

inline std::vector<Json> ips() {
  return {ip(1, "192.0.2.10", "srv1.example.net", 7, "busy"),
          ip(2, "192.0.2.2", "extended.customer.example", 7, "extended"),
          ip(3, "192.0.2.3", "", 7, "special"),
          ip(4, "198.51.100.5", "a.example", 8, "busy"),
          ip(5, "192.0.2.4", nullptr, 7, "busy"),
          ip(6, "192.0.2.5", "host.EXTENDED.example", 7, "EXTENDED"),
          ip(7, "192.0.2.6", "extendedXexample", 7, "extended")};
}

using Ids = std::vector<int64_t>;

// Rows 0..7 with a, b, c the bits of the id: a = id/4, b = id/2 % 2, c = id % 2.
inline std::vector<Json> bit_rows() {
  std::vector<Json> rows;
  for (int64_t id = 0; id < 8; ++id) {
    rows.push_back({{"id", id}, {"a", id / 4}, {"b", id / 2 % 2}, {"c", id % 2}});
  }
  return rows;
}
inline const std::vector<std::string> kBitFields = {"id", "a", "b", "c"};
inline Ids bit_ids(const std::string& where) {
  return ids_of(run(bit_rows(), {where, {}, {}}, kBitFields));
}

}  // namespace query_test
