#include "billing/store/sqlite.h"

#include <sqlite3.h>

#include <utility>

#include "common/assert.h"

namespace dcisim::billing::store {

namespace {

constexpr int kBusyTimeoutMs = 5000;
constexpr size_t kMaxCachedStatements = 256;

common::Error sqlite_error(int code, const std::string& what, sqlite3* handle) {
  std::string message = what + ": " + (handle ? sqlite3_errmsg(handle) : sqlite3_errstr(code));
  int primary = code & 0xff;
  if (primary == SQLITE_CONSTRAINT) return common::Error::conflict(message);
  return common::Error::io(message);
}

}  // namespace

// ---- Statement ----

Statement::Statement(Database* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_), stmt_(other.stmt_), status_(std::move(other.status_)) {
  other.stmt_ = nullptr;
}

Statement::~Statement() {
  if (stmt_ == nullptr) return;
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  db_->give_back(stmt_);
}

void Statement::fail(const char* what, int code) {
  if (!status_.ok()) return;
  status_ = sqlite_error(code, std::string(what) + " of \"" + sqlite3_sql(stmt_) + "\"", db_->handle_);
}

Statement& Statement::bind(int index, int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) fail("bind", rc);
  return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
  int rc = sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()),
                             SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) fail("bind", rc);
  return *this;
}

Statement& Statement::bind(int index, std::optional<int64_t> value) {
  return value ? bind(index, *value) : bind_null(index);
}

Statement& Statement::bind_null(int index) {
  int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK) fail("bind", rc);
  return *this;
}

common::Status Statement::run() {
  if (!status_.ok()) return status_;
  int rc = sqlite3_step(stmt_);
  while (rc == SQLITE_ROW) rc = sqlite3_step(stmt_);
  if (rc != SQLITE_DONE) fail("run", rc);
  return status_;
}

bool Statement::next() {
  if (!status_.ok()) return false;
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc != SQLITE_DONE) fail("step", rc);
  return false;
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

int64_t Statement::integer(int column) const { return sqlite3_column_int64(stmt_, column); }

std::optional<int64_t> Statement::optional_integer(int column) const {
  if (is_null(column)) return std::nullopt;
  return integer(column);
}

std::string Statement::text(int column) const {
  const unsigned char* data = sqlite3_column_text(stmt_, column);
  if (data == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(data),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

// ---- Database ----

common::Result<std::unique_ptr<Database>> Database::open(const std::string& path) {
  sqlite3* handle = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &handle,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    common::Error error = sqlite_error(rc, "cannot open database '" + path + "'", handle);
    sqlite3_close(handle);
    return error;
  }
  std::unique_ptr<Database> db(new Database(handle, path));
  sqlite3_busy_timeout(handle, kBusyTimeoutMs);
  sqlite3_extended_result_codes(handle, 1);
  common::Status pragmas = db->exec(
      "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;");
  if (!pragmas.ok()) {
    return common::Error::io("cannot configure database '" + path + "': " + pragmas.error().message);
  }
  return db;
}

Database::~Database() {
  for (auto& [sql, stmt] : idle_) sqlite3_finalize(stmt);
  sqlite3_close(handle_);
}

Statement Database::prepare(std::string_view sql) {
  auto found = idle_.find(sql);
  if (found != idle_.end()) {
    sqlite3_stmt* stmt = found->second;
    idle_.erase(found);
    return Statement(this, stmt);
  }
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(handle_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = "cannot prepare \"" + std::string(sql) + "\": " + sqlite3_errmsg(handle_);
    DCISIM_ASSERT(false, message.c_str());
  }
  // A second user of the same SQL while the first still holds it gets a fresh statement; both
  // come back to the cache, where give_back keeps one.
  return Statement(this, stmt);
}

void Database::give_back(sqlite3_stmt* stmt) {
  std::string sql = sqlite3_sql(stmt);
  if (idle_.count(sql) != 0 || idle_.size() >= kMaxCachedStatements) {
    sqlite3_finalize(stmt);  // an identical one is already idle, or the cache is full
    return;
  }
  idle_.emplace(std::move(sql), stmt);
}

common::Status Database::exec(std::string_view sql) {
  std::string text(sql);
  char* message = nullptr;
  int rc = sqlite3_exec(handle_, text.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    std::string what = message ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    common::Error error = sqlite_error(rc, "exec", nullptr);
    error.message = "exec of \"" + text.substr(0, 120) + "\": " + what;
    return error;
  }
  return common::Status::success();
}

int64_t Database::last_insert_id() const { return sqlite3_last_insert_rowid(handle_); }

int Database::changes() const { return sqlite3_changes(handle_); }

bool Database::in_transaction() const { return sqlite3_get_autocommit(handle_) == 0; }

std::string Database::last_error_message() const { return sqlite3_errmsg(handle_); }

// ---- Transaction ----

common::Status Transaction::begin() {
  DCISIM_ASSERT(!open_, "Transaction::begin twice");
  DCISIM_ASSERT(!db_.in_transaction(), "nested transaction: one state change, one transaction");
  common::Status status = db_.exec("BEGIN IMMEDIATE");
  if (status.ok()) open_ = true;
  return status;
}

common::Status Transaction::commit() {
  DCISIM_ASSERT(open_, "Transaction::commit without begin");
  common::Status status = db_.exec("COMMIT");
  if (status.ok()) open_ = false;
  return status;
}

Transaction::~Transaction() {
  if (open_) (void)db_.exec("ROLLBACK");
}

}  // namespace dcisim::billing::store
