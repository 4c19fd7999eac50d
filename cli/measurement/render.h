// cli/measurement/render.h
//
// How the measurement domain's values print (conventions in cli/render.h): indicator reports,
// and each indicator's series as a table per indicator (one column per member, the total, and a
// bar of the total against the target), or as CSV rows (indicator, period, member, value).
// Thread safety: pure functions and constant data.
#pragma once

#include <string_view>

#include <constellation/types.h>

#include "cli/output.h"
#include "cli/render.h"

namespace constellation::cli {

// After `measure report`.
Output IndicatorReportWriteOutput(const IndicatorReportWrite& write, std::string_view request_id);

// `measure show` in `format`; `names` (org key -> name) heads the member columns.
Output MeasurementOutput(const Measurement& m, const OrgNames& names, OutputFormat format);

// "███████░░░ 70%": `total` against `target` from `baseline`, `width` cells; "" when the target
// equals the baseline.
std::string ProgressBar(int64_t baseline, int64_t target, int64_t total, size_t width);

}  // namespace constellation::cli
