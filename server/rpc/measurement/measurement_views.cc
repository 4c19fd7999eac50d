#include "server/rpc/measurement/measurement_views.h"

#include "server/base/check.h"
#include "server/core/strategy/strategy_ledger.h"
#include "server/rpc/request.h"

namespace constellation::rpc {

v1::IndicatorReportView ToIndicatorReportView(const core::Group& g, const core::ReportState& r) {
  const core::VerifiedEvent* e = g.Find(r.id);
  CONSTELLATION_CHECK(e != nullptr && e->event.has_indicator_report());
  v1::IndicatorReportView v;
  v.set_report_id(r.id.Bytes());
  v.set_group_id(g.id().Bytes());
  v.set_member(r.author.Bytes());
  *v.mutable_hlc() = r.hlc.ToProto();
  *v.mutable_report() = e->event.indicator_report();
  if (r.revised_by.has_value()) v.set_revised_by(r.revised_by->Bytes());
  return v;
}

v1::MeasurementView ToMeasurementView(const core::Group& g,
                                      const std::vector<core::EventId>& versions) {
  v1::MeasurementView out;
  out.set_group_id(g.id().Bytes());
  for (const core::EventId& version : versions) {
    const core::VerifiedEvent* e = g.Find(version);
    CONSTELLATION_CHECK(e != nullptr && e->event.has_strategy_version());
    for (const core::IndicatorSeries& series : core::SeriesOf(g.state(), version)) {
      v1::IndicatorSeriesView* sv = out.add_indicators();
      sv->set_version_id(version.Bytes());
      for (const v1::Indicator& i : e->event.strategy_version().indicators()) {
        if (i.key() == series.indicator_key) *sv->mutable_indicator() = i;
      }
      for (const core::PeriodValues& p : series.periods) {
        v1::PeriodValues* pv = sv->add_periods();
        pv->set_period(p.period);
        pv->set_total(p.total);
        for (const core::MemberValue& m : p.values) {
          v1::MemberValue* mv = pv->add_values();
          mv->set_member(m.member.Bytes());
          mv->set_value(m.value);
          mv->set_report_id(m.report.Bytes());
        }
      }
    }
  }
  return out;
}

absl::StatusOr<v1::IndicatorReportView> IndicatorReportViewOf(const core::Group& group,
                                                              const std::string& report_id,
                                                              uint64_t as_of_ms) {
  (void)as_of_ms;
  CONSTELLATION_ASSIGN_OR_RETURN(
      const core::ReportState* r,
      FindRecord(core::Measurement(group.state()).reports(), group, "report", report_id));
  return ToIndicatorReportView(group, *r);
}

}  // namespace constellation::rpc
