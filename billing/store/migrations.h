// The billing schema as an ordered list of migrations. `migrate` brings a database to the newest
// version at open, each migration in its own transaction, recording the version in
// `schema_version`. A database written by a newer build is refused rather than misread.
#pragma once

#include <string_view>
#include <vector>

#include "billing/store/sqlite.h"
#include "common/result.h"

namespace dcisim::billing::store {

struct Migration {
  int version;
  std::string_view description;
  std::string_view sql;
};

// Every migration, oldest first; versions are 1, 2, 3... without gaps.
const std::vector<Migration>& migrations();
int latest_schema_version();

// Reads the current version (0 for an empty database) and applies the missing migrations.
common::Status migrate(Database& db);
common::Result<int> schema_version(Database& db);

}  // namespace dcisim::billing::store
