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

// Applies to `charter` the charter flags `inv` has (those of `group create`): --name, --agenda,
// --kind (checked: partnership | collaboration), --currency (checked: ISO-4217), --rule
// TYPE=PROCESS (replaces TYPE's rule), --standard-rate KIND:UNIT=AMOUNT (replaces that rate; in
// the charter's base currency), --benefit-basis. kInvalidArgument names the flag. Shared by
// `group create` and `proposal amend-charter` (which starts from the current charter).
absl::Status ApplyCharterFlags(const Invocation& inv, CharterInput* charter);

// The hint of every `member` command after kPermissionDenied or kFailedPrecondition: this org
// may have left the group; see the member list.
std::string MembershipHint(const absl::Status& status, const CommandContext& context);

}  // namespace constellation::cli
