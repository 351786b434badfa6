// Early-return helpers for errors as values, used across billing/:
//   BILLING_TRY(status_expression);            returns the Error if the Status is not ok
//   BILLING_ASSIGN(auto x, result_expression);  declares x from a Result<T>, or returns its Error
#pragma once

#include "common/result.h"

#define BILLING_CONCAT_INNER(a, b) a##b
#define BILLING_CONCAT(a, b) BILLING_CONCAT_INNER(a, b)

#define BILLING_TRY(expression)                           \
  do {                                                    \
    ::dcisim::common::Status billing_try_ = (expression); \
    if (!billing_try_.ok()) return billing_try_.error();  \
  } while (0)

#define BILLING_ASSIGN_IMPL(result, declaration, expression) \
  auto result = (expression);                                \
  if (!result.ok()) return result.error();                   \
  declaration = std::move(result).value()

#define BILLING_ASSIGN(declaration, expression) \
  BILLING_ASSIGN_IMPL(BILLING_CONCAT(billing_assign_, __LINE__), declaration, expression)
