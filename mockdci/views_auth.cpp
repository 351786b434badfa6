// auth v4 rows, as specs/auth_v4_api.yaml's UserGet describes them.
#include <cstdio>

#include "mockdci/views.h"

namespace dcisim::mockdci {

std::string stable_uuid(uint32_t kind, int64_t id) {
  char text[48];
  std::snprintf(text, sizeof text, "%08x-0000-4000-8000-%012llx", kind,
                static_cast<unsigned long long>(id) & 0xffffffffffffULL);
  return text;
}

Json auth_user_json(const User& user) {
  Json row(Json::value_t::object);
  row["id"] = user.id.value();
  row["uuid"] = stable_uuid(kUserUuidKind, user.id.value());
  row["email"] = user.email;
  row["full_name"] = user.full_name;
  row["roles"] = Json::array({user.role});
  row["state"] = user.state;
  row["auth_source"] = user.auth_source;
  row["email_confirm"] = user.email_confirm;
  row["lang"] = user.lang;
  return row;
}

const std::vector<std::string>& auth_user_fields() {
  static const std::vector<std::string> fields = {"id", "uuid", "email", "full_name", "roles", "state",
                                                  "auth_source", "email_confirm", "lang"};
  return fields;
}

}  // namespace dcisim::mockdci
