// The emulator's own OpenAPI 3.0 document, generated from its route table, so that it cannot
// drift from what the emulator serves: every route with its method, path parameters, who may call
// it (security), list query parameters, success status and DCImanager's error shape. Served at
// GET /mockdci/v1/openapi.json (no token) and checked in as docs/mockdci-openapi.json (a test
// keeps the two equal). Paths are listed with /api; every one also answers without it.
#pragma once

#include <nlohmann/json.hpp>

#include "mockdci/router.h"

namespace dcisim::mockdci {

nlohmann::json openapi_document(const Router& router);

// "GET /api/dci/v3/server" -> what the route does; "" for a route without a description (a test
// requires every route to have one).
const char* route_summary(const std::string& method, const std::string& pattern);

}  // namespace dcisim::mockdci
