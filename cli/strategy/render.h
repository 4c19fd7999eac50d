// cli/strategy/render.h
//
// How the strategy domain's values print (conventions in cli/render.h): versions (a list, and
// one version with its content, goals and indicators), the current strategy, the adoptions
// (history) and the difference between two versions.
// Thread safety: pure functions and constant data.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <constellation/types.h>

#include "cli/output.h"
#include "cli/render.h"

namespace constellation::cli {

// `strategy list`, `strategy show`, `strategy current`.
extern const RecordFormat<StrategyVersion> kStrategyVersionFormat;
// `strategy history`.
extern const RecordFormat<StrategyAdoption> kStrategyAdoptionFormat;
// After `strategy draft`.
Output StrategyWriteOutput(const StrategyWrite& write, std::string_view request_id);
// `strategy diff`: JSON, or the text of the changes (JSON only when `json`).
Output StrategyDiffOutput(const StrategyVersion& from, const StrategyVersion& to, bool json);

}  // namespace constellation::cli
