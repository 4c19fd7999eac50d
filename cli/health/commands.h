// cli/health/commands.h
//
// Partnership health (docs/PROTOCOL.md §5.14): `health` (the partnership at a glance) and the
// `pulse` commands (record, list).
// Thread safety: returns plain values.
#pragma once

#include <vector>

#include "cli/command.h"

namespace constellation::cli {

std::vector<Command> HealthCommands();

}  // namespace constellation::cli
