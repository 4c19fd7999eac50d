// server/base/status_macros.h
//
// Status propagation macros. Debian's abseil 20220623 has none, so we keep ours (STYLE.md).
#pragma once

#include <utility>

#include <absl/status/status.h>
#include <absl/status/statusor.h>

#define CONSTELLATION_STATUS_CONCAT_INNER_(a, b) a##b
#define CONSTELLATION_STATUS_CONCAT_(a, b) CONSTELLATION_STATUS_CONCAT_INNER_(a, b)

// Returns from the enclosing function if `expr` (an absl::Status) is not OK.
#define CONSTELLATION_RETURN_IF_ERROR(expr)        \
  do {                                             \
    ::absl::Status _constellation_status = (expr); \
    if (!_constellation_status.ok()) {             \
      return _constellation_status;                \
    }                                              \
  } while (false)

// `lhs = value` of the absl::StatusOr `rexpr`, or returns its status from the enclosing
// function. `lhs` may declare a variable: CONSTELLATION_ASSIGN_OR_RETURN(auto x, F());
#define CONSTELLATION_ASSIGN_OR_RETURN(lhs, rexpr) \
  CONSTELLATION_ASSIGN_OR_RETURN_IMPL_(            \
      CONSTELLATION_STATUS_CONCAT_(_constellation_statusor_, __LINE__), lhs, rexpr)

#define CONSTELLATION_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                                         \
  if (!statusor.ok()) {                                            \
    return std::move(statusor).status();                           \
  }                                                                \
  lhs = std::move(statusor).value()
