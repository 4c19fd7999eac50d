// cli/governance/commands.h
//
// The governance domain of the CLI (DESIGN §1, §3): `proposal admit|expel|create|list|show|vote|
// close|waiting`, and the membership writes an org makes for itself: `group join` after its
// admission, `member notice|leave` (the SDK's governance.h).
// Thread safety: pure functions (the table is built anew on each call; the registry keeps one).
#pragma once

#include <string>
#include <vector>

#include <absl/status/status.h>
#include <constellation/governance.h>

#include "cli/command.h"

namespace constellation::cli {

std::vector<Command> GovernanceCommands();

// For the domains whose commands propose a decision with their own payload (`pool fund create`,
// `team propose-leads`): applies --title (or `default_title`), --text and --deadline to `spec`.
// kInvalidArgument when the title ends up empty or the deadline does not parse.
absl::Status ApplyProposalFlags(const Invocation& inv, const std::string& default_title,
                                ProposalSpec* spec);
// --text and --deadline as every proposal command declares them.
FlagSpec ProposalTextFlag();
FlagSpec ProposalDeadlineFlag();

}  // namespace constellation::cli
