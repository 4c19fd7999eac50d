// cli/governance/commands.h
//
// The governance domain of the CLI (DESIGN §1, §3): `proposal admit|expel|create|list|show|vote|
// close|waiting`, and the membership writes an org makes for itself: `group join` after its
// admission, `member notice|leave` (the SDK's governance.h).
// Thread safety: a constant table.
#pragma once

#include <vector>

#include "cli/command.h"

namespace constellation::cli {

const std::vector<Command>& GovernanceCommands();

}  // namespace constellation::cli
