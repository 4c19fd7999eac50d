// server/rpc/teams/teams_views.h
//
// Action teams' view (client.proto TeamView) from the core's TeamsLedger (docs/PROTOCOL.md
// §5.17). The ledger keeps keys, times and ids; the view shows the current version's record as
// written (name, opportunity, goal keys, workplan) by reading its event (core::Group::Find).
// Whether a team member is still a member of the group is judged as of `as_of_ms`.
// Pure functions of their arguments.
#pragma once

#include <cstdint>
#include <string>

#include <absl/status/statusor.h>

#include "constellation/v1/client.pb.h"
#include "server/core/group.h"
#include "server/core/teams/teams_ledger.h"

namespace constellation::rpc {

// A team of `g` by id; kInvalidArgument for a malformed id, kNotFound.
absl::StatusOr<const core::TeamState*> FindTeam(const core::Group& g, const std::string& id_bytes);

v1::TeamView ToTeamView(const core::Group& g, const core::TeamState& t, uint64_t as_of_ms);

// write.h RecordView: the team.
absl::StatusOr<v1::TeamView> TeamViewOf(const core::Group& group, const std::string& team_id,
                                        uint64_t as_of_ms);

}  // namespace constellation::rpc
