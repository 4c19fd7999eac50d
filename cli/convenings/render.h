// cli/convenings/render.h
//
// How the convenings domain's values print (conventions in cli/render.h): convenings (a list by
// scheduled time; one with its agenda, attendance and action items as sections) and action
// items with their status (open, overdue as of the read, done).
// Thread safety: pure functions and constant data.
#pragma once

#include <string_view>

#include <constellation/types.h>

#include "cli/output.h"
#include "cli/render.h"

namespace constellation::cli {

// `convening list` and `convening show`.
extern const RecordFormat<Convening> kConveningFormat;
// After `convening schedule`, `attend` and `minutes`.
Output ConveningWriteOutput(const ConveningWrite& write, std::string_view request_id);

// `convening action list`.
extern const RecordFormat<ActionItem> kActionItemFormat;
// After `convening action add` and `action done`.
Output ActionItemWriteOutput(const ActionItemWrite& write, std::string_view request_id);

}  // namespace constellation::cli
