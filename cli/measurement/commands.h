// cli/measurement/commands.h
//
// Shared measurement (docs/PROTOCOL.md §5.16): the `measure` commands (report, show).
// Thread safety: returns plain values.
#pragma once

#include <vector>

#include "cli/command.h"

namespace constellation::cli {

std::vector<Command> MeasurementCommands();

}  // namespace constellation::cli
