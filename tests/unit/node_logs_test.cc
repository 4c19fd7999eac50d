// Unit tests of the node's log formats (server/app/log.h), the request-id rule and code names
// of the RPC observer (server/app/rpc_observer.h) and the [log] config key.
#include <string>
#include <vector>

#include <absl/strings/str_split.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "server/app/config.h"
#include "server/app/log.h"
#include "server/app/rpc_observer.h"
#include "tests/testing/status_matchers.h"

namespace constellation::app {
namespace {

using ::constellation::testing::StatusIs;
using ::testing::HasSubstr;

std::vector<std::string> LinesOf(const std::string& text) {
  return absl::StrSplit(text, '\n', absl::SkipEmpty());
}

TEST(LogTest, JsonLinesCarryTheRequestContextAndParse) {
  SetLogFormat(LogFormat::kJson);
  ::testing::internal::CaptureStderr();
  LogInfo("outside", {{"key", "plain"}});
  {
    ScopedLogContext context("req-1", "/constellation.v1.NodeService/GetNodeInfo");
    LogWarning("inside", {{"error", "a \"quoted\"\nmessage\xff"}});
  }
  LogError("after");
  const std::vector<std::string> lines = LinesOf(::testing::internal::GetCapturedStderr());
  SetLogFormat(LogFormat::kText);
  ASSERT_EQ(lines.size(), 3u);
  const auto outside = nlohmann::json::parse(lines[0]);
  EXPECT_EQ(outside["level"], "info");
  EXPECT_EQ(outside["msg"], "outside");
  EXPECT_EQ(outside["key"], "plain");
  EXPECT_FALSE(outside.contains("request_id"));
  const auto inside = nlohmann::json::parse(lines[1]);
  EXPECT_EQ(inside["level"], "warning");
  EXPECT_EQ(inside["request_id"], "req-1");
  EXPECT_EQ(inside["method"], "/constellation.v1.NodeService/GetNodeInfo");
  EXPECT_EQ(inside["error"], "a \"quoted\"\nmessage\xEF\xBF\xBD");  // invalid UTF-8 replaced
  EXPECT_FALSE(nlohmann::json::parse(lines[2]).contains("request_id"));
}

TEST(LogTest, TextLinesCarryTheRequestContext) {
  SetLogFormat(LogFormat::kText);
  ::testing::internal::CaptureStderr();
  {
    ScopedLogContext context("req-2", "/m");
    LogInfo("rpc", {{"code", "OK"}});
  }
  const std::vector<std::string> lines = LinesOf(::testing::internal::GetCapturedStderr());
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_THAT(lines[0], HasSubstr("level=info msg=rpc request_id=req-2 method=/m code=OK"));
}

TEST(LogTest, FormatNames) {
  EXPECT_EQ(*ParseLogFormat("text"), LogFormat::kText);
  EXPECT_EQ(*ParseLogFormat("json"), LogFormat::kJson);
  EXPECT_THAT(ParseLogFormat("xml"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("use text or json")));
}

TEST(RpcObserverTest, RequestIdsFromClientsMustBeSane) {
  EXPECT_TRUE(IsSaneRequestId("e2e-logs-test-42"));
  EXPECT_TRUE(IsSaneRequestId("4bf92f3577b34da6a3ce929d0e0e4736:00f067aa0ba902b7.1_x"));
  EXPECT_TRUE(IsSaneRequestId(std::string(64, 'a')));
  EXPECT_FALSE(IsSaneRequestId(""));
  EXPECT_FALSE(IsSaneRequestId(std::string(65, 'a')));
  EXPECT_FALSE(IsSaneRequestId("two words"));
  EXPECT_FALSE(IsSaneRequestId("id\nlevel=error"));
  EXPECT_FALSE(IsSaneRequestId("quote\"d"));
}

TEST(RpcObserverTest, CodeNames) {
  EXPECT_EQ(GrpcCodeName(0), "OK");
  EXPECT_EQ(GrpcCodeName(5), "NOT_FOUND");
  EXPECT_EQ(GrpcCodeName(14), "UNAVAILABLE");
  EXPECT_EQ(GrpcCodeName(16), "UNAUTHENTICATED");
  EXPECT_EQ(GrpcCodeName(17), "unknown");
}

TEST(LogConfigTest, FormatKeyIsReadAndWritten) {
  absl::StatusOr<Config> config = ParseConfig("[log]\nformat = \"json\"\n", "test.toml");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->log_format, "json");
  EXPECT_EQ(ParseConfig("", "test.toml")->log_format, "text");
  EXPECT_THAT(ParseConfig("[log]\nformat = 1\n", "test.toml"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("line 2: log.format must be a string")));
  EXPECT_THAT(ParseConfig("[log]\nlevel = \"debug\"\n", "test.toml"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("unknown key 'log.level'")));
}

}  // namespace
}  // namespace constellation::app
