// server/rpc/views.h
//
// Builds the client API's view messages (client.proto) from the core's folded state, and
// parses ids in requests. Pure functions of their arguments.
#pragma once

#include <string>
#include <string_view>

#include <absl/status/statusor.h>

#include "constellation/v1/client.pb.h"
#include "server/core/codec.h"
#include "server/core/group.h"
#include "server/core/fold/group_state.h"
#include "server/core/governance/governance_ledger.h"
#include "server/core/fundraising/fundraising_ledger.h"

namespace constellation::rpc {

// Parses a required 32-byte id field; kInvalidArgument naming `field` otherwise.
absl::StatusOr<core::EventId> ParseEventId(const std::string& bytes, std::string_view field);
absl::StatusOr<core::GroupId> ParseGroupId(const std::string& bytes, std::string_view field);

v1::EventRef ToEventRef(const core::VerifiedEvent& e);
// Member statuses are derived as of `as_of_ms` (a notice whose time has come is "withdrawn").
v1::GroupView ToGroupView(const core::Group& group, uint64_t as_of_ms);
v1::MemberView ToMemberView(const core::Group& group, const core::MemberState& m,
                            uint64_t as_of_ms);
// A proposal as of `as_of_ms` (past_deadline is a query-time notion, GroupState::Outcome).
v1::ProposalView ToProposalView(const core::Group& group, const core::ProposalState& p,
                                uint64_t as_of_ms);
v1::CampaignView ToCampaignView(const core::GroupState& state, const core::CampaignState& c);
v1::PledgeView ToPledgeView(const core::GroupState& state, const core::PledgeState& p,
                            uint64_t as_of_ms);
v1::PledgeVersion ToPledgeVersion(const core::PledgeEntry& entry);

}  // namespace constellation::rpc
