// server/rpc/group/group_views.h
//
// The group's views (client.proto GroupView, MemberView) from the core's folded state: the
// charter, the roster with derived member statuses, and the state hash. Every domain's views
// may use them (the roster is the layer every domain reads). Pure functions of their arguments.
#pragma once

#include <cstdint>
#include <string>

#include <absl/status/statusor.h>

#include "constellation/v1/client.pb.h"
#include "server/core/group.h"
#include "server/core/roster/roster.h"

namespace constellation::rpc {

// Member statuses are derived as of `as_of_ms` (a notice whose time has come is "withdrawn").
v1::GroupView ToGroupView(const core::Group& group, uint64_t as_of_ms);
v1::MemberView ToMemberView(const core::Group& group, const core::MemberState& m,
                            uint64_t as_of_ms);

// write.h RecordViews: the group itself (`id` is its own), and the member whose org key is
// `org_key` (kNotFound when it is not in the roster).
absl::StatusOr<v1::GroupView> GroupViewOf(const core::Group& group, const std::string& id,
                                          uint64_t as_of_ms);
absl::StatusOr<v1::MemberView> MemberViewOf(const core::Group& group, const std::string& org_key,
                                            uint64_t as_of_ms);

}  // namespace constellation::rpc
