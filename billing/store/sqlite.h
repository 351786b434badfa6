// A small RAII wrapper over SQLite for the billing store: one `Database` (the connection, opened
// with WAL, foreign keys and a busy timeout), prepared `Statement`s with typed binds and column
// reads, and a `Transaction` guard that rolls back unless committed. Errors are values: a failed
// step names the SQL and SQLite's message; a constraint violation is a `conflict`.
//
// Usage:
//   store::Transaction tx(db);
//   DCISIM_RETURN_IF_ERROR(tx.begin());
//   store::Statement st = db.prepare("UPDATE accounts SET balance = balance + ?1 WHERE id = ?2");
//   st.bind(1, delta.sub_units()).bind(2, account_id);
//   DCISIM_RETURN_IF_ERROR(st.run());
//   DCISIM_RETURN_IF_ERROR(tx.commit());
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace dcisim::billing::store {

class Database;

// A prepared statement borrowed from the connection's cache; reset and returned on destruction.
// Binds never fail loudly: the first bind error is kept and reported by run()/next().
class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  ~Statement();

  // Parameters are 1-based (?1, ?2, ...).
  Statement& bind(int index, int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<int64_t>(value)); }
  Statement& bind(int index, bool value) { return bind(index, static_cast<int64_t>(value ? 1 : 0)); }
  Statement& bind(int index, std::string_view value);
  Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Statement& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
  Statement& bind(int index, std::optional<int64_t> value);
  Statement& bind_null(int index);

  // Runs a statement that returns no rows (INSERT, UPDATE, DELETE) to completion.
  common::Status run();
  // Steps to the next row: true while there is one. On error returns false and keeps the error
  // for status(); a loop `while (st.next()) ...` must be followed by a check of status().
  bool next();
  const common::Status& status() const { return status_; }

  // Column reads of the current row (0-based).
  bool is_null(int column) const;
  int64_t integer(int column) const;
  std::optional<int64_t> optional_integer(int column) const;
  std::string text(int column) const;
  bool boolean(int column) const { return integer(column) != 0; }

 private:
  friend class Database;
  Statement(Database* db, sqlite3_stmt* stmt);
  void fail(const char* what, int code);

  Database* db_;
  sqlite3_stmt* stmt_;
  common::Status status_;
};

class Database {
 public:
  // Opens (creating if missing) the file at `path`: WAL journal, foreign keys on, busy timeout.
  static common::Result<std::unique_ptr<Database>> open(const std::string& path);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // A prepared statement for `sql` (cached by text). Preparing invalid SQL is a bug in the
  // caller: it asserts with SQLite's message.
  Statement prepare(std::string_view sql);
  // Runs one or more statements without parameters (schema changes, pragmas).
  common::Status exec(std::string_view sql);

  int64_t last_insert_id() const;
  int changes() const;
  const std::string& path() const { return path_; }
  bool in_transaction() const;
  std::string last_error_message() const;

 private:
  friend class Statement;
  Database(sqlite3* handle, std::string path) : handle_(handle), path_(std::move(path)) {}
  void give_back(sqlite3_stmt* stmt);

  sqlite3* handle_;
  std::string path_;
  // Statements idle in the cache, by SQL text. A statement in use is taken out of the map, so a
  // nested use of the same SQL prepares a fresh, uncached one.
  std::map<std::string, sqlite3_stmt*, std::less<>> idle_;
};

// BEGIN IMMEDIATE ... COMMIT; rolls back on destruction unless committed. Not nestable.
class Transaction {
 public:
  explicit Transaction(Database& db) : db_(db) {}
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  common::Status begin();
  common::Status commit();

 private:
  Database& db_;
  bool open_ = false;
};

}  // namespace dcisim::billing::store
