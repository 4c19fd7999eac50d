// sdk/src/convert.h
//
// Conversion between the SDK's plain types (sdk/include/constellation/types.h) and the
// generated protobuf messages. Views from the node are converted infallibly (unknown enum
// values show as "unknown_<n>"); inputs are validated and fail with kInvalidArgument naming the
// field (malformed hex, unknown enum string) before any RPC.
// Thread safety: pure functions.
#pragma once

#include <string_view>

#include <absl/status/status.h>
#include <absl/status/statusor.h>
#include <constellation/types.h>

#include "constellation/v1/client.pb.h"
#include "constellation/v1/event.pb.h"

namespace constellation::internal {

// Node info and tokens.
NodeInfo FromProto(const v1::GetNodeInfoResponse& proto);
TokenInfo FromProto(const v1::TokenInfo& proto);

// Events.
EventRef FromProto(const v1::EventRef& proto);
// kDataLoss if the signed event bytes do not parse as an Event.
absl::StatusOr<GroupEventEntry> FromProto(const v1::StreamEventsResponse& proto);

// Groups.
Group FromProto(const v1::GroupView& proto);
Member FromProto(const v1::MemberView& proto);
absl::Status ToProto(const CharterInput& charter, v1::Charter* proto);
// `field` names the profile in error messages ("profile", "charter.founder").
absl::Status ToProto(const MemberProfile& profile, std::string_view field,
                     v1::MemberProfile* proto);

// Org cards.
OrgCard FromProto(const v1::OrgCard& proto);
// kInvalidArgument for a key that is not 64 hex characters.
absl::Status ToProto(const OrgCard& card, std::string_view field, v1::OrgCard* proto);

// Decisions and membership.
Proposal FromProto(const v1::ProposalView& proto);
// kInvalidArgument for an unknown decision type, role or segment, malformed hex, or more than
// one payload.
absl::Status ToProto(const ProposalSpec& spec, v1::Proposal* proto);
// "agree" | "abstain" | "disagree" | "block"; kInvalidArgument (listing them) otherwise,
// including for "".
absl::StatusOr<v1::StanceChoice> StanceFromName(std::string_view stance);

// Peers.
PeerStatus FromProto(const v1::PeerView& proto);
SyncResult FromProto(const v1::SyncGroupResponse& proto);

// Fundraising.
Campaign FromProto(const v1::CampaignView& proto);
absl::Status ToProto(const CampaignInput& campaign, v1::Campaign* proto);
Pledge FromProto(const v1::PledgeView& proto);
PledgeVersionEntry FromProto(const v1::StreamPledgeHistoryResponse& proto);
absl::Status ToProto(const PledgeTerms& terms, v1::PledgeTerms* proto);
void ToProto(const Money& money, v1::Money* proto);

}  // namespace constellation::internal
