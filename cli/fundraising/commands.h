// cli/fundraising/commands.h
//
// The joint fundraising domain of the CLI (DESIGN §1): `campaign open|list|show` and
// `pledge record|amend|cancel|pay|list|show|history` (the SDK's fundraising.h).
// Thread safety: a constant table.
#pragma once

#include <vector>

#include "cli/command.h"

namespace constellation::cli {

const std::vector<Command>& FundraisingCommands();

}  // namespace constellation::cli
