// sdk/src/measurement/measurement_convert.h
//
// Conversions of the measurement domain (constellation/measurement.h) to and from the protos of
// MeasurementService. Thread safety: pure functions.
#pragma once

#include <vector>

#include <absl/status/status.h>
#include <constellation/measurement.h>

#include "constellation/v1/client.pb.h"

namespace constellation::internal {

// kInvalidArgument naming the field: a malformed version or revises id.
absl::Status ToProto(const IndicatorReportInput& input, v1::IndicatorReport* proto);

IndicatorReport FromProto(const v1::IndicatorReportView& proto);
IndicatorReportWrite FromProto(const v1::IndicatorReportWriteResponse& proto);
std::vector<IndicatorReport> FromProto(const v1::ListIndicatorReportsResponse& proto);
Measurement FromProto(const v1::MeasurementView& proto);

}  // namespace constellation::internal
