// cli/fundraising/commands.h
//
// The joint fundraising domain of the CLI (DESIGN §1): `campaign open|list|show` and
// `pledge record|import|amend|cancel|pay|list|show|history` (the SDK's fundraising.h).
// Thread safety: pure functions (the table is built anew on each call; the registry keeps one).
#pragma once

#include <vector>

#include "cli/command.h"

namespace constellation::cli {

std::vector<Command> FundraisingCommands();

}  // namespace constellation::cli
