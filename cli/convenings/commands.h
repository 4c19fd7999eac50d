// cli/convenings/commands.h
//
// The `convening` commands (convenings, docs/PROTOCOL.md §5.13): schedule, list, show, attend,
// minutes, action add, action done, action list.
// Thread safety: returns plain values.
#pragma once

#include <vector>

#include "cli/command.h"

namespace constellation::cli {

std::vector<Command> ConveningCommands();

}  // namespace constellation::cli
