// sdk/src/group/group_convert.h
//
// Conversions of the group domain (constellation/group.h) between the SDK's types and the
// protos: charters and their decision rules, member profiles, members, group views and the
// signed events of a group. Other domains use these for the groups and charters they carry.
// Each response the group domain's Client methods receive has its FromProto here.
// Thread safety: pure functions.
#pragma once

#include <string_view>
#include <vector>

#include <absl/status/status.h>
#include <absl/status/statusor.h>
#include <constellation/group.h>

#include "constellation/v1/client.pb.h"
#include "constellation/v1/event.pb.h"

namespace constellation::internal {

DecisionRule FromProto(const v1::DecisionRule& proto);
Charter FromProto(const v1::Charter& proto);
// kInvalidArgument for an unknown kind, decision type, process, role or segment.
absl::Status ToProto(const CharterInput& charter, v1::Charter* proto);

// `field` names the profile in error messages ("profile", "charter.founder").
absl::Status ToProto(const MemberProfile& profile, std::string_view field,
                     v1::MemberProfile* proto);

Obligation FromProto(const v1::ObligationView& proto);
Member FromProto(const v1::MemberView& proto);
Invitation FromProto(const v1::InvitationView& proto);
Group FromProto(const v1::GroupView& proto);
std::vector<Group> FromProto(const v1::ListGroupsResponse& proto);
GroupWrite FromProto(const v1::CreateGroupResponse& proto);

// kDataLoss if the signed event bytes do not parse as an Event.
absl::StatusOr<GroupEventEntry> FromProto(const v1::StreamEventsResponse& proto);
// kDataLoss when either event of the proof does not parse.
absl::StatusOr<ForkProofEntry> FromProto(const v1::ForkProofView& proto);
StateHashAt FromProto(const v1::GetStateHashResponse& proto);

}  // namespace constellation::internal
