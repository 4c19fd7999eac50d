#include "server/core/federation_auth.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "server/base/limits.h"
#include "tests/testing/status_matchers.h"

namespace constellation::core {
namespace {

using ::constellation::testing::StatusIs;
using ::testing::HasSubstr;

constexpr char kPush[] = "/constellation.v1.FederationService/PushEvents";
constexpr uint64_t kNow = 1'800'000'000'000;

SigningKey Key(char c) { return *SigningKey::FromSeed(std::string(32, c)); }

CallCredentials Sign(const SigningKey& key, uint64_t at_ms, char nonce, std::string_view request,
                     std::string_view method = kPush) {
  return SignCall(key, method, at_ms, std::string(16, nonce), request);
}

// What travels: the four metadata values, parsed back on the receiving side.
CallCredentials RoundTrip(const CallCredentials& c) {
  return *ParseCallCredentials(c.caller.Hex(), absl::StrFormat("%d", c.timestamp_ms), c.nonce_hex,
                               c.signature_hex);
}

TEST(FederationAuthTest, AcceptsASignedCallOnce) {
  ReplayGuard guard;
  CallCredentials c = RoundTrip(Sign(Key('a'), kNow, 'n', "request"));
  EXPECT_OK(guard.Accept(c, kPush, "request", kNow + 10));
  EXPECT_THAT(guard.Accept(c, kPush, "request", kNow + 20),
              StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("replayed")));
  // The same caller with a fresh nonce is fine.
  EXPECT_OK(guard.Accept(RoundTrip(Sign(Key('a'), kNow, 'm', "request")), kPush, "request", kNow));
}

TEST(FederationAuthTest, SignatureBindsMethodRequestAndCaller) {
  ReplayGuard guard;
  CallCredentials c = Sign(Key('a'), kNow, 'n', "request");
  EXPECT_THAT(guard.Accept(c, kPush, "other request", kNow),
              StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("signature")));
  EXPECT_THAT(guard.Accept(c, "/constellation.v1.FederationService/PullEvents", "request", kNow),
              StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("signature")));
  CallCredentials impostor = c;
  impostor.caller = Key('b').public_key();
  EXPECT_THAT(guard.Accept(impostor, kPush, "request", kNow),
              StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("signature")));
  CallCredentials moved = c;
  moved.timestamp_ms += 1;  // the timestamp is signed too
  EXPECT_THAT(guard.Accept(moved, kPush, "request", kNow),
              StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("signature")));
  EXPECT_EQ(guard.size(), 0u);
}

TEST(FederationAuthTest, StaleAndFutureTimestampsAreRefused) {
  ReplayGuard guard;
  const uint64_t skew = limits::kFederationClockSkewMsMax;
  EXPECT_THAT(guard.Accept(Sign(Key('a'), kNow - skew - 1, 'n', "r"), kPush, "r", kNow),
              StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("kFederationClockSkewMsMax")));
  EXPECT_THAT(guard.Accept(Sign(Key('a'), kNow + skew + 1, 'n', "r"), kPush, "r", kNow),
              StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_OK(guard.Accept(Sign(Key('a'), kNow - skew, 'n', "r"), kPush, "r", kNow));
  EXPECT_OK(guard.Accept(Sign(Key('a'), kNow + skew, 'n', "r"), kPush, "r", kNow));
}

TEST(FederationAuthTest, ForgetsNoncesOutsideTheWindow) {
  ReplayGuard guard;
  CallCredentials c = Sign(Key('a'), kNow, 'n', "r");
  ASSERT_OK(guard.Accept(c, kPush, "r", kNow));
  ASSERT_OK(guard.Accept(Sign(Key('a'), kNow + 3 * limits::kFederationClockSkewMsMax, 'x', "r"),
                         kPush, "r", kNow + 3 * limits::kFederationClockSkewMsMax));
  EXPECT_EQ(guard.size(), 1u);  // the first call's nonce expired with its window
}

TEST(FederationAuthTest, MalformedMetadataSaysWhatIsMissing) {
  EXPECT_THAT(ParseCallCredentials("", "1", std::string(32, 'a'), std::string(128, 'a')),
              StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("x-constellation-org")));
  EXPECT_THAT(ParseCallCredentials(std::string(64, 'a'), "soon", std::string(32, 'a'),
                                   std::string(128, 'a')),
              StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("timestamp")));
  EXPECT_THAT(ParseCallCredentials(std::string(64, 'a'), "1", "short", std::string(128, 'a')),
              StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("nonce")));
  EXPECT_THAT(
      ParseCallCredentials(std::string(64, 'A'), "1", std::string(32, 'a'), std::string(128, 'a')),
      StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("org key")));
}

}  // namespace
}  // namespace constellation::core
