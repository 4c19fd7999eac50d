// cli/node/commands.h
//
// The node domain of the CLI: `node info`, `peer sync|list`, `org show|card` and
// `token create|list|revoke` (the SDK's node.h: who the node is, its tokens, its peers).
// Thread safety: pure functions (the table is built anew on each call; the registry keeps one).
#pragma once

#include <vector>

#include "cli/command.h"

namespace constellation::cli {

std::vector<Command> NodeCommands();

}  // namespace constellation::cli
