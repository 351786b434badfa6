// Who is calling. DCImanager tokens come from the `x-xsrf-token` header or, when it is absent, the
// `ses6` cookie (API.md §1: real clients send either); the control API's token comes only from
// `Authorization: Bearer <token>`, so that neither kind of token opens the other API.
#pragma once

#include <string>

#include "common/http.h"
#include "common/result.h"
#include "mockdci/model.h"
#include "mockdci/router.h"

namespace dcisim::mockdci {

// The session token the request carries, "" when none.
std::string session_token_of(const common::HttpRequest& request);

// The caller behind the request's token; an `unauthorized` error when there is none or it is
// unknown or expired.
common::Result<Caller> authenticate(const Model& model, const common::HttpRequest& request, common::Instant now);

common::Status check_control_token(const std::string& expected, const common::HttpRequest& request);

}  // namespace dcisim::mockdci
