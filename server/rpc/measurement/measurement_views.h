// server/rpc/measurement/measurement_views.h
//
// Shared measurement's views (client.proto IndicatorReportView, MeasurementView) from the
// core's MeasurementLedger and SeriesOf (docs/PROTOCOL.md §5.16). Notes are read from the
// events the ledger names, indicator definitions from the strategy versions' events
// (core::Group::Find). Pure functions of their arguments.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <absl/status/statusor.h>

#include "constellation/v1/client.pb.h"
#include "server/core/group.h"
#include "server/core/measurement/measurement_ledger.h"

namespace constellation::rpc {

v1::IndicatorReportView ToIndicatorReportView(const core::Group& g, const core::ReportState& r);

// The series of `versions`' indicators, in their order (SeriesOf).
v1::MeasurementView ToMeasurementView(const core::Group& g,
                                      const std::vector<core::EventId>& versions);

// write.h RecordView: the report `report_id`. kInvalidArgument for a malformed id, kNotFound
// when the group has no such report.
absl::StatusOr<v1::IndicatorReportView> IndicatorReportViewOf(const core::Group& group,
                                                              const std::string& report_id,
                                                              uint64_t as_of_ms);

}  // namespace constellation::rpc
