// tests/unit/exit_code_test.cc: absl::StatusCode -> exit code, once, distinct and documented.
#include "cli/exit_code.h"

#include <set>
#include <string>

#include <gtest/gtest.h>

namespace constellation::cli {
namespace {

// Every absl::StatusCode (0..16).
std::vector<absl::StatusCode> AllStatusCodes() {
  std::vector<absl::StatusCode> codes;
  for (int code = 0; code <= static_cast<int>(absl::StatusCode::kUnauthenticated); ++code) {
    codes.push_back(static_cast<absl::StatusCode>(code));
  }
  return codes;
}

TEST(ExitCodeTest, ValuesAreDistinct) {
  std::set<int> values;
  for (const ExitCodeInfo& info : AllExitCodes()) {
    EXPECT_TRUE(values.insert(ToInt(info.code)).second) << ToInt(info.code);
    EXPECT_FALSE(info.meaning.empty());
  }
}

TEST(ExitCodeTest, EveryStatusCodeMapsToADocumentedCode) {
  std::set<int> documented;
  for (const ExitCodeInfo& info : AllExitCodes()) documented.insert(ToInt(info.code));
  for (absl::StatusCode code : AllStatusCodes()) {
    const int exit = ToInt(ExitCodeFor(code));
    EXPECT_EQ(documented.count(exit), 1u) << absl::StatusCodeToString(code);
    EXPECT_GE(exit, 0);
    EXPECT_LT(exit, 126) << "126+ mean 'cannot execute' and signals to shells";
  }
}

TEST(ExitCodeTest, OnlyOkIsZeroAndUsageIsReserved) {
  for (absl::StatusCode code : AllStatusCodes()) {
    const ExitCode exit = ExitCodeFor(code);
    EXPECT_EQ(exit == ExitCode::kOk, code == absl::StatusCode::kOk)
        << absl::StatusCodeToString(code);
    EXPECT_NE(exit, ExitCode::kUsage) << "usage errors come from the parser only";
  }
}

TEST(ExitCodeTest, CodesScriptsReactToAreTheirOwn) {
  EXPECT_EQ(ToInt(ExitCodeFor(absl::StatusCode::kInvalidArgument)), 3);
  EXPECT_EQ(ToInt(ExitCodeFor(absl::StatusCode::kNotFound)), 4);
  EXPECT_EQ(ToInt(ExitCodeFor(absl::StatusCode::kAlreadyExists)), 5);
  EXPECT_EQ(ToInt(ExitCodeFor(absl::StatusCode::kPermissionDenied)), 6);
  EXPECT_EQ(ToInt(ExitCodeFor(absl::StatusCode::kUnauthenticated)), 7);
  EXPECT_EQ(ToInt(ExitCodeFor(absl::StatusCode::kFailedPrecondition)), 8);
  EXPECT_EQ(ToInt(ExitCodeFor(absl::StatusCode::kResourceExhausted)), 9);
  EXPECT_EQ(ToInt(ExitCodeFor(absl::StatusCode::kUnavailable)), 10);
  EXPECT_EQ(ToInt(ExitCodeFor(absl::StatusCode::kDeadlineExceeded)), 11);
  EXPECT_EQ(ToInt(ExitCodeFor(absl::StatusCode::kAborted)), 12);
  EXPECT_EQ(ToInt(ExitCodeFor(absl::StatusCode::kInternal)), 13);
  EXPECT_EQ(ToInt(ExitCodeFor(absl::StatusCode::kDataLoss)), 13);
  EXPECT_EQ(ToInt(ExitCodeFor(absl::StatusCode::kUnknown)), 13);
  EXPECT_EQ(ToInt(ExitCodeFor(absl::StatusCode::kOutOfRange)), 3);
  EXPECT_EQ(ToInt(ExitCodeFor(absl::StatusCode::kCancelled)), 14);
  EXPECT_EQ(ToInt(ExitCodeFor(absl::StatusCode::kUnimplemented)), 15);
  EXPECT_EQ(ToInt(ExitCode::kUsage), 2);
}

TEST(ExitCodeTest, UnknownNumericCodesAreInternal) {
  EXPECT_EQ(ExitCodeFor(static_cast<absl::StatusCode>(99)), ExitCode::kInternal);
}

// Issue 11: a node answered UNIMPLEMENTED with an empty message and the CLI printed a bare
// "error: ". Every code with an empty message now prints its name, its exit code and a hint.
TEST(ExitCodeTest, EmptyStatusMessageIsNeverPrintedBare) {
  for (absl::StatusCode code : AllStatusCodes()) {
    if (code == absl::StatusCode::kOk) continue;
    const std::string text = ErrorText(absl::Status(code, ""));
    EXPECT_NE(text.find(absl::StatusCodeToString(code)), std::string::npos) << text;
    EXPECT_NE(text.find("the node sent no message"), std::string::npos) << text;
    EXPECT_NE(text.find("exit code " + std::to_string(ToInt(ExitCodeFor(code)))), std::string::npos)
        << text;
  }
  EXPECT_EQ(ErrorText(absl::Status(absl::StatusCode::kUnimplemented, "")),
            "UNIMPLEMENTED (the node sent no message; exit code 15: the node does not implement "
            "this call). Check that the node runs the same version as this CLI ('constellation "
            "--version', 'constellation node info') and look in the node's log");
  // A message is printed as it is.
  EXPECT_EQ(ErrorText(absl::InvalidArgumentError("amount must be positive")),
            "amount must be positive");
}

}  // namespace
}  // namespace constellation::cli
