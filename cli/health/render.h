// cli/health/render.h
//
// How the health domain's values print (conventions in cli/render.h): the partnership at a
// glance (`health`: key/value lines, then one row per member and the pulse trend) and pulse
// checks.
// Thread safety: pure functions and constant data.
#pragma once

#include <string_view>

#include <constellation/types.h>

#include "cli/output.h"
#include "cli/render.h"

namespace constellation::cli {

// `health`.
Output HealthOutput(const GroupHealth& health);

// `pulse list`.
extern const RecordFormat<Pulse> kPulseFormat;
// After `pulse record`.
Output PulseWriteOutput(const PulseWrite& write, std::string_view request_id);

}  // namespace constellation::cli
