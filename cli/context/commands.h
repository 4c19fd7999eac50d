// cli/context/commands.h
//
// The contexts of the CLI: `context set|use|list|show|delete` edit and explain the config file
// (cli/config.h). They never contact a node.
// Thread safety: pure functions (the table is built anew on each call; the registry keeps one).
#pragma once

#include <vector>

#include "cli/command.h"

namespace constellation::cli {

std::vector<Command> ContextCommands();

}  // namespace constellation::cli
