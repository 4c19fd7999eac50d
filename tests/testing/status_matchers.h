// tests/testing/status_matchers.h
//
// GoogleTest matchers and macros for absl::Status / absl::StatusOr (STYLE.md).
//   EXPECT_OK(expr), ASSERT_OK(expr)            - expr is an OK Status or StatusOr;
//   ASSERT_OK_AND_ASSIGN(lhs, expr)             - unwraps a StatusOr or fails the test;
//   EXPECT_THAT(expr, StatusIs(code))           - the code matches;
//   EXPECT_THAT(expr, StatusIs(code, HasSubstr("...")))  - code and message match.
#pragma once

#include <utility>

#include <absl/status/status.h>
#include <absl/status/statusor.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace constellation::testing {

inline const absl::Status& GetStatus(const absl::Status& s) { return s; }
template <typename T>
const absl::Status& GetStatus(const absl::StatusOr<T>& s) {
  return s.status();
}

MATCHER_P(StatusIs, code, "") {
  const absl::Status& s = ::constellation::testing::GetStatus(arg);
  *result_listener << "status is " << s;
  return s.code() == code;
}

MATCHER_P2(StatusIs, code, message_matcher, "") {
  const absl::Status& s = ::constellation::testing::GetStatus(arg);
  *result_listener << "status is " << s;
  return s.code() == code &&
         ::testing::ExplainMatchResult(message_matcher, std::string(s.message()), result_listener);
}

}  // namespace constellation::testing

// Each evaluates `expr` exactly once and accepts a streamed message: ASSERT_OK(x) << "why";
#define CONSTELLATION_TEST_OK_IMPL_(expr, fail)                                                 \
  switch (0)                                                                                    \
  case 0:                                                                                       \
  default:                                                                                      \
    if (const ::absl::Status _constellation_status = ::constellation::testing::GetStatus(expr); \
        _constellation_status.ok()) {                                                           \
    } else                                                                                      \
      fail() << _constellation_status << " "
#define EXPECT_OK(expr) CONSTELLATION_TEST_OK_IMPL_(expr, ADD_FAILURE)
#define ASSERT_OK(expr) CONSTELLATION_TEST_OK_IMPL_(expr, GTEST_FAIL)

#define CONSTELLATION_TEST_CONCAT_INNER_(a, b) a##b
#define CONSTELLATION_TEST_CONCAT_(a, b) CONSTELLATION_TEST_CONCAT_INNER_(a, b)
#define ASSERT_OK_AND_ASSIGN(lhs, rexpr) \
  ASSERT_OK_AND_ASSIGN_IMPL_(CONSTELLATION_TEST_CONCAT_(_statusor_, __LINE__), lhs, rexpr)
#define ASSERT_OK_AND_ASSIGN_IMPL_(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                               \
  ASSERT_TRUE(statusor.ok()) << statusor.status();       \
  lhs = std::move(statusor).value()
