// server/rpc/group/group_views.h
//
// The group's views (client.proto GroupView, MemberView) from the core's folded state: the
// charter, the roster with derived member statuses, and the state hash. Every domain's views
// may use them (the roster is the layer every domain reads). Pure functions of their arguments.
#pragma once

#include <cstdint>
#include <string>

#include <absl/status/status.h>

#include "constellation/v1/client.pb.h"
#include "server/core/group.h"
#include "server/core/roster/roster.h"
#include "server/rpc/backend.h"

namespace constellation::rpc {

// Member statuses are derived as of `as_of_ms` (a notice whose time has come is "withdrawn").
v1::GroupView ToGroupView(const core::Group& group, uint64_t as_of_ms);
v1::MemberView ToMemberView(const core::Group& group, const core::MemberState& m,
                            uint64_t as_of_ms);

// Answers a write that founds or joins `group` with its view as of now (write.h WriteView).
template <typename Response>
absl::Status GroupAnswer(const ApplyContext& apply, const core::Group& group, const std::string&,
                         Response* out) {
  *out->mutable_group() = ToGroupView(group, apply.NowMs());
  return absl::OkStatus();
}

}  // namespace constellation::rpc
