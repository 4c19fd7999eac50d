// cli/governance/commands.h
//
// The governance domain of the CLI (DESIGN §1, §3): `proposal admit|expel|create|list|show|vote|
// close|waiting`, and the membership writes an org makes for itself: `group join` after its
// admission, `member notice|leave` (the SDK's governance.h).
// Thread safety: pure functions (the table is built anew on each call; the registry keeps one).
#pragma once

#include <vector>

#include "cli/command.h"

namespace constellation::cli {

std::vector<Command> GovernanceCommands();

}  // namespace constellation::cli
