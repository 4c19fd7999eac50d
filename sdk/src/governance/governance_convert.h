// sdk/src/governance/governance_convert.h
//
// Conversions of the governance domain (constellation/governance.h) between the SDK's types and
// the protos: proposals with their payloads, electorates, tallies and stances, and the results
// of membership writes. Each response the governance domain's Client methods receive has its
// FromProto here.
// Thread safety: pure functions.
#pragma once

#include <string_view>
#include <vector>

#include <absl/status/status.h>
#include <absl/status/statusor.h>
#include <constellation/governance.h>

#include "constellation/v1/client.pb.h"
#include "constellation/v1/event.pb.h"

namespace constellation::internal {

// kInvalidArgument for an unknown decision type, role or segment, malformed hex, or more than
// one payload.
absl::Status ToProto(const ProposalSpec& spec, v1::Proposal* proto);

// "agree" | "abstain" | "disagree" | "block"; kInvalidArgument (listing them) otherwise,
// including for "".
absl::StatusOr<v1::StanceChoice> StanceFromName(std::string_view stance);

Proposal FromProto(const v1::ProposalView& proto);
std::vector<Proposal> FromProto(const v1::ListProposalsResponse& proto);
ProposalWrite FromProto(const v1::ProposalWriteResponse& proto);
WaitingOnResult FromProto(const v1::WaitingOnResponse& proto);

JoinResult FromProto(const v1::JoinGroupResponse& proto);
MembershipWrite FromProto(const v1::MembershipWriteResponse& proto);

}  // namespace constellation::internal
