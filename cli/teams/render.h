// cli/teams/render.h
//
// How the action teams domain's values print (conventions in cli/render.h): teams (a list by
// id; one with its members as a section, each marked lead or not and whether it is still a
// member of the group).
// Thread safety: pure functions and constant data.
#pragma once

#include <string_view>

#include <constellation/types.h>

#include "cli/output.h"
#include "cli/render.h"

namespace constellation::cli {

// `team list`, `team show`, and the Teams section of `group show`.
extern const RecordFormat<Team> kTeamFormat;
// After `team create` and `team update`.
Output TeamWriteOutput(const TeamWrite& write, std::string_view request_id);

}  // namespace constellation::cli
