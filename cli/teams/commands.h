// cli/teams/commands.h
//
// The `team` commands (action teams, docs/PROTOCOL.md §5.17): create, list, show, update.
// Thread safety: returns plain values.
#pragma once

#include <vector>

#include "cli/command.h"

namespace constellation::cli {

std::vector<Command> TeamCommands();

}  // namespace constellation::cli
