// tests/unit/limits_spec_test.cc
//
// docs/PROTOCOL.md "Appendix A. Limits" against server/base/limits.h: every limit the header
// declares has a row in the table with the same value, and this file's list holds every name the
// header declares (so a new limit must be added here and to the spec). Single-threaded.
#include <cstdint>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "server/base/limits.h"

namespace constellation {
namespace {

struct NamedLimit {
  const char* name;
  uint64_t value;
};

constexpr NamedLimit kLimits[] = {
    {"kEventFormatVersion", static_cast<uint64_t>(limits::kEventFormatVersion)},
    {"kEventSizeBytesMax", static_cast<uint64_t>(limits::kEventSizeBytesMax)},
    {"kSignedEventSizeBytesMax", static_cast<uint64_t>(limits::kSignedEventSizeBytesMax)},
    {"kEventDepsCountMax", static_cast<uint64_t>(limits::kEventDepsCountMax)},
    {"kKeySizeBytes", static_cast<uint64_t>(limits::kKeySizeBytes)},
    {"kIdSizeBytes", static_cast<uint64_t>(limits::kIdSizeBytes)},
    {"kSignatureSizeBytes", static_cast<uint64_t>(limits::kSignatureSizeBytes)},
    {"kEventSeqMax", static_cast<uint64_t>(limits::kEventSeqMax)},
    {"kNameSizeBytesMax", static_cast<uint64_t>(limits::kNameSizeBytesMax)},
    {"kTextSizeBytesMax", static_cast<uint64_t>(limits::kTextSizeBytesMax)},
    {"kShortTextSizeBytesMax", static_cast<uint64_t>(limits::kShortTextSizeBytesMax)},
    {"kRequestIdSizeBytesMax", static_cast<uint64_t>(limits::kRequestIdSizeBytesMax)},
    {"kEndpointCountMax", static_cast<uint64_t>(limits::kEndpointCountMax)},
    {"kDecisionRuleCountMax", static_cast<uint64_t>(limits::kDecisionRuleCountMax)},
    {"kInstallmentCountMax", static_cast<uint64_t>(limits::kInstallmentCountMax)},
    {"kAcceptedCurrencyCountMax", static_cast<uint64_t>(limits::kAcceptedCurrencyCountMax)},
    {"kListFieldCountMax", static_cast<uint64_t>(limits::kListFieldCountMax)},
    {"kMoneyAmountMinorMax", static_cast<uint64_t>(limits::kMoneyAmountMinorMax)},
    {"kQuantityMilliMax", static_cast<uint64_t>(limits::kQuantityMilliMax)},
    {"kFxRateMicrosMax", static_cast<uint64_t>(limits::kFxRateMicrosMax)},
    {"kHlcLogicalMax", static_cast<uint64_t>(limits::kHlcLogicalMax)},
    {"kHlcWallMsMax", static_cast<uint64_t>(limits::kHlcWallMsMax)},
    {"kRpcMessageSizeBytesMax", static_cast<uint64_t>(limits::kRpcMessageSizeBytesMax)},
    {"kApplyQueueDepthMax", static_cast<uint64_t>(limits::kApplyQueueDepthMax)},
    {"kApplyBatchSizeMax", static_cast<uint64_t>(limits::kApplyBatchSizeMax)},
    {"kStreamPageSizeMax", static_cast<uint64_t>(limits::kStreamPageSizeMax)},
    {"kTokenCountMax", static_cast<uint64_t>(limits::kTokenCountMax)},
    {"kGroupCountMax", static_cast<uint64_t>(limits::kGroupCountMax)},
    {"kRpcDeadlineMsDefault", static_cast<uint64_t>(limits::kRpcDeadlineMsDefault)},
    {"kPledgeBatchCountMax", static_cast<uint64_t>(limits::kPledgeBatchCountMax)},
    {"kStreamsPerNodeMax", static_cast<uint64_t>(limits::kStreamsPerNodeMax)},
    {"kStreamsPerTokenMax", static_cast<uint64_t>(limits::kStreamsPerTokenMax)},
    {"kInFlightRequestsPerNodeMax", static_cast<uint64_t>(limits::kInFlightRequestsPerNodeMax)},
    {"kInFlightRequestsPerTokenMax", static_cast<uint64_t>(limits::kInFlightRequestsPerTokenMax)},
    {"kStreamPageSizeBytesMax", static_cast<uint64_t>(limits::kStreamPageSizeBytesMax)},
    {"kFederationClockSkewMsMax", static_cast<uint64_t>(limits::kFederationClockSkewMsMax)},
    {"kFederationNonceCountMax", static_cast<uint64_t>(limits::kFederationNonceCountMax)},
    {"kFederationPullEventsMax", static_cast<uint64_t>(limits::kFederationPullEventsMax)},
    {"kReplicationQueueDepthMax", static_cast<uint64_t>(limits::kReplicationQueueDepthMax)},
    {"kPeerKeepaliveTimeMs", static_cast<uint64_t>(limits::kPeerKeepaliveTimeMs)},
    {"kPeerKeepaliveTimeoutMs", static_cast<uint64_t>(limits::kPeerKeepaliveTimeoutMs)},
    {"kPingIntervalMsMin", static_cast<uint64_t>(limits::kPingIntervalMsMin)},
    {"kPendingEventsPerGroupMax", static_cast<uint64_t>(limits::kPendingEventsPerGroupMax)},
    {"kPendingBytesPerGroupMax", static_cast<uint64_t>(limits::kPendingBytesPerGroupMax)},
    {"kClockSkewMsMax", static_cast<uint64_t>(limits::kClockSkewMsMax)},
    {"kSyncPullEventsMax", static_cast<uint64_t>(limits::kSyncPullEventsMax)},
    {"kFrontierHeadsCountMax", static_cast<uint64_t>(limits::kFrontierHeadsCountMax)},
    {"kSyncForkProbeEventsMax", static_cast<uint64_t>(limits::kSyncForkProbeEventsMax)},
    {"kFoldCheckpointIntervalEventsMin",
     static_cast<uint64_t>(limits::kFoldCheckpointIntervalEventsMin)},
    {"kFoldCheckpointIntervalDivisor",
     static_cast<uint64_t>(limits::kFoldCheckpointIntervalDivisor)},
    {"kFoldCheckpointCountMax", static_cast<uint64_t>(limits::kFoldCheckpointCountMax)},
    {"kProposalTitleSizeBytesMax", static_cast<uint64_t>(limits::kProposalTitleSizeBytesMax)},
    {"kStanceReasonSizeBytesMax", static_cast<uint64_t>(limits::kStanceReasonSizeBytesMax)},
    {"kVotingWindowMsMax", static_cast<uint64_t>(limits::kVotingWindowMsMax)},
    {"kVotingWeightMax", static_cast<uint64_t>(limits::kVotingWeightMax)},
    {"kListPageSizeDefault", static_cast<uint64_t>(limits::kListPageSizeDefault)},
    {"kListPageSizeMax", static_cast<uint64_t>(limits::kListPageSizeMax)},
    {"kListPageBytesMax", static_cast<uint64_t>(limits::kListPageBytesMax)},
    {"kListViewSizeBytesMax", static_cast<uint64_t>(limits::kListViewSizeBytesMax)},
    {"kReviewCadenceDaysDefault", static_cast<uint64_t>(limits::kReviewCadenceDaysDefault)},
    {"kReviewCadenceDaysMax", static_cast<uint64_t>(limits::kReviewCadenceDaysMax)},
    {"kStrategyContentSizeBytesMax", static_cast<uint64_t>(limits::kStrategyContentSizeBytesMax)},
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

TEST(LimitsSpecTest, EveryHeaderLimitIsListedHere) {
  const std::string header = ReadFile(CONSTELLATION_LIMITS_H);
  const std::regex declaration(R"(inline constexpr \w+ (k\w+) =)");
  std::map<std::string, bool> listed;
  for (const NamedLimit& limit : kLimits) listed[limit.name] = true;
  size_t declared = 0;
  for (auto it = std::sregex_iterator(header.begin(), header.end(), declaration);
       it != std::sregex_iterator(); ++it) {
    ++declared;
    EXPECT_TRUE(listed.contains((*it)[1].str()))
        << (*it)[1].str() << " is declared in limits.h but missing from this test's list";
  }
  EXPECT_EQ(declared, std::size(kLimits));
}

TEST(LimitsSpecTest, EveryLimitIsInTheSpecWithItsValue) {
  const std::string spec = ReadFile(CONSTELLATION_PROTOCOL_MD);
  const std::regex row(R"(\n\| `(k\w+)` \| (\d+) \|)");
  std::map<std::string, std::string> in_spec;
  for (auto it = std::sregex_iterator(spec.begin(), spec.end(), row);
       it != std::sregex_iterator(); ++it) {
    in_spec[(*it)[1].str()] = (*it)[2].str();
  }
  for (const NamedLimit& limit : kLimits) {
    auto found = in_spec.find(limit.name);
    if (found == in_spec.end()) {
      ADD_FAILURE() << limit.name << " is missing from docs/PROTOCOL.md Appendix A";
      continue;
    }
    EXPECT_EQ(found->second, std::to_string(limit.value))
        << limit.name << " has a different value in docs/PROTOCOL.md";
  }
}

// Issue 13: the spec states every rule itself. A C++ qualified name, a call-like `Name()` or a
// path into the server's sources would point at code as the definition of a rule. (Test files
// may be cited: they check the spec, they do not define it.)
TEST(ProtocolSpecTest, NamesNoCxxFunctionOrSourceFileAsARule) {
  const std::string spec = ReadFile(CONSTELLATION_PROTOCOL_MD);
  const std::regex code(R"(\w::\w|\b[A-Za-z_]\w*\(\)|server/\w|sdk/src/|\w+\.cc\b)");
  std::istringstream lines(spec);
  std::string line;
  int number = 0;
  while (std::getline(lines, line)) {
    ++number;
    std::smatch match;
    if (line.find("tests/") != std::string::npos) continue;
    if (std::regex_search(line, match, code)) {
      ADD_FAILURE() << "docs/PROTOCOL.md:" << number << " names code (" << match.str()
                    << "); state the rule in words: " << line;
    }
  }
}

}  // namespace
}  // namespace constellation
