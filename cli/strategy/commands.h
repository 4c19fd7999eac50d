// cli/strategy/commands.h
//
// Shared strategy (docs/PROTOCOL.md §5.15): the `strategy` commands (draft, list, show,
// current, history, diff). Adoption is a decision: `proposal create --type adopt_strategy`.
// Thread safety: returns plain values.
#pragma once

#include <vector>

#include "cli/command.h"

namespace constellation::cli {

std::vector<Command> StrategyCommands();

}  // namespace constellation::cli
