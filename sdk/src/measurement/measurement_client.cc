// sdk/src/measurement/measurement_client.cc: the measurement domain's Client methods
// (MeasurementService): indicator reports and series.
#include <string>
#include <utility>

#include <constellation/client.h>

#include "sdk/src/hex.h"
#include "sdk/src/measurement/measurement_convert.h"
#include "sdk/src/paging.h"
#include "sdk/src/status.h"
#include "sdk/src/unary_call.h"

namespace constellation {
namespace {

using internal::DecodeId, internal::DecodeOptionalId, internal::FromProto, internal::UnaryCall;
using MeasurementStub = v1::MeasurementService::Stub;

}  // namespace

absl::StatusOr<IndicatorReportWrite> Client::ReportIndicator(std::string_view group_id,
                                                             const IndicatorReportInput& report,
                                                             const WriteOptions& write) {
  v1::ReportIndicatorRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  CONSTELLATION_SDK_RETURN_IF_ERROR(internal::ToProto(report, request.mutable_indicator_report()));
  return UnaryCall<IndicatorReportWrite>(*core_, "ReportIndicator",
                                         &MeasurementStub::ReportIndicator, std::move(request),
                                         write, FromProto);
}

absl::StatusOr<IndicatorReport> Client::GetIndicatorReport(std::string_view group_id,
                                                           std::string_view report_id) {
  v1::GetIndicatorReportRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(report_id, "report_id", request.mutable_report_id()));
  return UnaryCall<IndicatorReport>(*core_, "GetIndicatorReport",
                                    &MeasurementStub::GetIndicatorReport, request, FromProto);
}

absl::StatusOr<std::vector<IndicatorReport>> Client::ListIndicatorReports(
    std::string_view group_id, std::string_view version_id, std::string_view indicator_key,
    std::string_view member) {
  v1::ListIndicatorReportsRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  CONSTELLATION_SDK_RETURN_IF_ERROR(
      DecodeOptionalId(version_id, "version_id", request.mutable_strategy_version_id()));
  request.set_indicator_key(std::string(indicator_key));
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeOptionalId(member, "member", request.mutable_member()));
  return internal::DrainPages<IndicatorReport>(
      *core_, "ListIndicatorReports", &MeasurementStub::ListIndicatorReports, request, FromProto);
}

absl::StatusOr<Measurement> Client::GetMeasurement(std::string_view group_id,
                                                   std::string_view version_id) {
  v1::GetMeasurementRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  CONSTELLATION_SDK_RETURN_IF_ERROR(
      DecodeOptionalId(version_id, "version_id", request.mutable_strategy_version_id()));
  return UnaryCall<Measurement>(*core_, "GetMeasurement", &MeasurementStub::GetMeasurement, request,
                                FromProto);
}

}  // namespace constellation
