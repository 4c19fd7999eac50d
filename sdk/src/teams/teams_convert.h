// sdk/src/teams/teams_convert.h
//
// Conversions of the action teams domain (constellation/teams.h) between the SDK's types and
// the protos: team versions, teams, and the responses of TeamService.
// Thread safety: pure functions.
#pragma once

#include <vector>

#include <absl/status/status.h>
#include <constellation/teams.h>

#include "constellation/v1/client.pb.h"
#include "constellation/v1/event.pb.h"

namespace constellation::internal {

// kInvalidArgument for malformed hex ids or an unknown status.
absl::Status ToProto(const TeamInput& input, v1::ActionTeam* proto);

Team FromProto(const v1::TeamView& proto);
TeamWrite FromProto(const v1::TeamWriteResponse& proto);
std::vector<Team> FromProto(const v1::ListTeamsResponse& proto);

}  // namespace constellation::internal
