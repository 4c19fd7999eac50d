// sdk/src/measurement/measurement_convert.cc
#include "sdk/src/measurement/measurement_convert.h"

#include "sdk/src/convert.h"
#include "sdk/src/hex.h"
#include "sdk/src/status.h"
#include "sdk/src/strategy/strategy_convert.h"

namespace constellation::internal {
namespace {

// The overloads of the headers (Hlc, EventRef, Indicator) next to this file's own.
using ::constellation::internal::FromProto;

IndicatorReportInput FromProto(const v1::IndicatorReport& r) {
  return IndicatorReportInput{HexEncode(r.strategy_version_id()),
                              r.indicator_key(),
                              r.period(),
                              r.value(),
                              r.note(),
                              HexEncode(r.revises())};
}

MemberValue FromProto(const v1::MemberValue& m) {
  return MemberValue{HexEncode(m.member()), m.value(), HexEncode(m.report_id())};
}

PeriodValues FromProto(const v1::PeriodValues& p) {
  return PeriodValues{p.period(), p.total(), FromList<MemberValue>(p.values(), FromProto)};
}

IndicatorSeries FromProto(const v1::IndicatorSeriesView& s) {
  return IndicatorSeries{HexEncode(s.version_id()), FromProto(s.indicator()),
                         FromList<PeriodValues>(s.periods(), FromProto)};
}

}  // namespace

absl::Status ToProto(const IndicatorReportInput& input, v1::IndicatorReport* proto) {
  CONSTELLATION_SDK_RETURN_IF_ERROR(
      DecodeId(input.version_id, "version_id", proto->mutable_strategy_version_id()));
  proto->set_indicator_key(input.indicator_key);
  proto->set_period(input.period);
  proto->set_value(input.value);
  proto->set_note(input.note);
  return DecodeOptionalId(input.revises, "revises", proto->mutable_revises());
}

IndicatorReport FromProto(const v1::IndicatorReportView& proto) {
  return IndicatorReport{HexEncode(proto.report_id()), HexEncode(proto.group_id()),
                         HexEncode(proto.member()),    FromProto(proto.hlc()),
                         FromProto(proto.report()),    HexEncode(proto.revised_by())};
}

IndicatorReportWrite FromProto(const v1::IndicatorReportWriteResponse& proto) {
  return IndicatorReportWrite{FromProto(proto.event()), FromProto(proto.report())};
}

std::vector<IndicatorReport> FromProto(const v1::ListIndicatorReportsResponse& proto) {
  return FromList<IndicatorReport>(proto.reports(), FromProto);
}

Measurement FromProto(const v1::MeasurementView& proto) {
  return Measurement{HexEncode(proto.group_id()),
                     FromList<IndicatorSeries>(proto.indicators(), FromProto)};
}

}  // namespace constellation::internal
