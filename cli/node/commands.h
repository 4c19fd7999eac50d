// cli/node/commands.h
//
// The node domain of the CLI: `node info`, `peer sync|list`, `org show|card` and
// `token create|list|revoke` (the SDK's node.h: who the node is, its tokens, its peers).
// Thread safety: a constant table.
#pragma once

#include <vector>

#include "cli/command.h"

namespace constellation::cli {

const std::vector<Command>& NodeCommands();

}  // namespace constellation::cli
