// Errors as values. An `Error` carries a machine-readable kind and a message a person can act on;
// `Result<T>` is either a value or an Error. No exception crosses a module boundary.
#pragma once

#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "common/assert.h"

namespace dcisim::common {

enum class ErrorKind {
  invalid_argument,  // the caller sent something malformed or out of range
  not_found,         // an id or name that does not exist
  conflict,          // the request is valid but the current state forbids it
  unauthorized,      // no or wrong credentials
  forbidden,         // credentials are fine but not allowed to do this
  unavailable,       // a dependency is down or asked us to retry (HTTP 503)
  io,                // file system, database or network failure
  internal,          // a bug: an invariant did not hold
};

const char* error_kind_name(ErrorKind kind);

struct Error {
  ErrorKind kind = ErrorKind::internal;
  std::string message;

  static Error invalid(std::string message) { return {ErrorKind::invalid_argument, std::move(message)}; }
  static Error not_found(std::string message) { return {ErrorKind::not_found, std::move(message)}; }
  static Error conflict(std::string message) { return {ErrorKind::conflict, std::move(message)}; }
  static Error io(std::string message) { return {ErrorKind::io, std::move(message)}; }
  static Error internal(std::string message) { return {ErrorKind::internal, std::move(message)}; }
};

// A value of T, or the Error that prevented it.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}
  Result(Error error) : state_(std::move(error)) {}

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    DCISIM_ASSERT(ok(), "Result::value() on an error");
    return std::get<0>(state_);
  }
  const T& value() const& {
    DCISIM_ASSERT(ok(), "Result::value() on an error");
    return std::get<0>(state_);
  }
  // By value, not T&&: `for (auto& x : load().value())` must not iterate a destroyed temporary
  // (a range-for keeps only the returned object alive, not the Result it came from).
  T value() && {
    DCISIM_ASSERT(ok(), "Result::value() on an error");
    return std::get<0>(std::move(state_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const {
    DCISIM_ASSERT(!ok(), "Result::error() on a value");
    return std::get<1>(state_);
  }

 private:
  std::variant<T, Error> state_;
};

// Success or an Error, for operations without a value.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)) {}
  static Status success() { return Status(); }

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const {
    DCISIM_ASSERT(!ok(), "Status::error() on success");
    return *error_;
  }

 private:
  std::optional<Error> error_;
};

}  // namespace dcisim::common

// Early returns for errors-as-values code:
//   DCISIM_ASSIGN_OR_RETURN(int64_t units, node.integer(1, 100));
//   DCISIM_RETURN_IF_ERROR(node.only_keys({"name", "units"}));
// Both work in functions returning Status or Result<T>.
#define DCISIM_CONCAT_INNER(a, b) a##b
#define DCISIM_CONCAT(a, b) DCISIM_CONCAT_INNER(a, b)
#define DCISIM_ASSIGN_OR_RETURN(lhs, expr) \
  DCISIM_ASSIGN_OR_RETURN_IMPL(DCISIM_CONCAT(dcisim_result_, __LINE__), lhs, expr)
#define DCISIM_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp.ok()) return tmp.error();                 \
  lhs = std::move(tmp).value()
#define DCISIM_RETURN_IF_ERROR(expr)        \
  do {                                      \
    auto dcisim_status_ = (expr);           \
    if (!dcisim_status_.ok()) return dcisim_status_.error(); \
  } while (0)
