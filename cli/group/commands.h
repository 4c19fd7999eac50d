// cli/group/commands.h
//
// The group domain of the CLI: `group create|list|show|events` and `member list` (the SDK's
// group.h: charter, members, the group view, its signed events). Membership writes (`group
// join`, `member notice|leave`) are governance's (cli/governance/).
// Thread safety: pure functions (the table is built anew on each call; the registry keeps one).
#pragma once

#include <string>
#include <vector>

#include <absl/status/status.h>

#include "cli/command.h"

namespace constellation::cli {

std::vector<Command> GroupCommands();

// The hint of every `member` command after kPermissionDenied or kFailedPrecondition: this org
// may have left the group; see the member list.
std::string MembershipHint(const absl::Status& status, const CommandContext& context);

}  // namespace constellation::cli
