#include "server/core/measurement/measurement_ledger.h"

#include <absl/strings/ascii.h>
#include <absl/strings/str_format.h>

#include "server/base/check.h"
#include "server/base/status_macros.h"
#include "server/core/fold/group_state.h"
#include "server/core/governance/governance_ledger.h"
#include "server/core/measurement/periods.h"
#include "server/core/strategy/strategy_ledger.h"

namespace constellation::core {

const MeasurementLedger& Measurement(const GroupState& state) {
  return state.ledger<MeasurementLedger>();
}

const ReportState* MeasurementLedger::Latest(const SeriesKey& key) const {
  auto it = latest_.find(key);
  return it == latest_.end() ? nullptr : &reports_.at(it->second);
}

// ---------------------------------------------------------------------------------------------
// Check

absl::Status MeasurementLedger::Check(const VerifiedEvent& e, const GroupState& state) const {
  if (!Governance(state).IsMemberInPast(e.author, e, state)) {
    return absl::PermissionDeniedError(absl::StrFormat(
        "org %s is not a member in this record's causal past; only members report indicators",
        e.author.ShortHex()));
  }
  const v1::IndicatorReport& r = e.event.indicator_report();
  const EventId version_id = *EventId::FromBytes(r.strategy_version_id());  // ValidateBody
  const StrategyVersionState* version = Strategy(state).FindInPast(version_id, e, state);
  if (version == nullptr) {
    return absl::NotFoundError(absl::StrFormat(
        "indicator_report.strategy_version_id: no strategy version %s in this record's causal "
        "past; report on a version your node holds ('constellation strategy current')",
        version_id.ShortHex()));
  }
  const IndicatorState* indicator = version->FindIndicator(r.indicator_key());
  if (indicator == nullptr) {
    return absl::NotFoundError(
        absl::StrFormat("indicator_report.indicator_key: version %s has no indicator '%s'",
                        version_id.ShortHex(), r.indicator_key()));
  }
  const std::optional<Period> period = ParsePeriod(r.period());
  CONSTELLATION_CHECK(period.has_value());  // ValidateBody
  if (period->frequency != indicator->frequency) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "indicator_report.period: '%s' is not a period of indicator '%s', which is reported "
        "%s; give a period like %s",
        r.period(), r.indicator_key(),
        absl::AsciiStrToLower(v1::ReportingFrequency_Name(indicator->frequency).substr(20)),
        std::string(PeriodExample(indicator->frequency))));
  }
  const SeriesKey key{e.author, version->document, r.indicator_key(), period->Name()};
  const ReportState* latest = Latest(key);
  if (r.revises().empty()) {
    if (latest != nullptr) {
      return absl::FailedPreconditionError(absl::StrFormat(
          "org %s already reported '%s' for %s (report %s); revise it (revises = that report)",
          e.author.ShortHex(), r.indicator_key(), r.period(), latest->id.ShortHex()));
    }
    return absl::OkStatus();
  }
  const EventId revised = *EventId::FromBytes(r.revises());
  auto it = reports_.find(revised);
  if (it == reports_.end() || it->second.series() != key) {
    return absl::NotFoundError(absl::StrFormat(
        "indicator_report.revises: report %s is not a report of org %s of '%s' for %s",
        revised.ShortHex(), e.author.ShortHex(), r.indicator_key(), r.period()));
  }
  if (it->second.revised_by.has_value()) {
    return absl::AlreadyExistsError(absl::StrFormat(
        "indicator_report.revises: report %s is already revised by %s; revise the latest (%s)",
        revised.ShortHex(), it->second.revised_by->ShortHex(), latest->id.ShortHex()));
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------------------------
// Apply

void MeasurementLedger::Apply(const VerifiedEvent& e, const GroupState& state, Roster& roster) {
  (void)roster;
  const v1::IndicatorReport& r = e.event.indicator_report();
  ReportState s;
  s.id = e.id;
  s.author = e.author;
  s.version = *EventId::FromBytes(r.strategy_version_id());
  s.document = Strategy(state).versions().at(s.version).document;
  s.indicator_key = r.indicator_key();
  s.period = ParsePeriod(r.period())->Name();
  s.value = r.value();
  s.hlc = e.hlc;
  if (!r.revises().empty()) {
    s.revises = *EventId::FromBytes(r.revises());
    reports_.at(*s.revises).revised_by = e.id;
  }
  latest_[s.series()] = e.id;
  auto [it, inserted] = reports_.emplace(e.id, std::move(s));
  CONSTELLATION_CHECK(inserted);
  CheckReportInvariants(it->second);
}

// ---------------------------------------------------------------------------------------------
// Hash, invariants, series

void MeasurementLedger::HashInto(StateHasher& h) const {
  // An empty ledger writes nothing, so histories without reports keep their hashes
  // (docs/PROTOCOL.md §5.16).
  if (reports_.empty()) return;
  h.Bytes("constellation/v1/measurement");
  h.U64(reports_.size());
  for (const auto& [id, r] : reports_) {
    h.Id(id);
    h.Id(r.author);
    h.Id(r.version);
    h.I64(r.value);
    h.OptionalId(r.revises);
  }
}

void MeasurementLedger::CheckReportInvariants(const ReportState& r) const {
  if (r.revises.has_value()) {
    const ReportState& revised = reports_.at(*r.revises);
    CONSTELLATION_CHECK(revised.revised_by == r.id);
    CONSTELLATION_CHECK(revised.series() == r.series());
  }
  if (!r.revised_by.has_value()) CONSTELLATION_CHECK(latest_.at(r.series()) == r.id);
}

void MeasurementLedger::CheckInvariants() const {
  for (const auto& [id, r] : reports_) {
    CONSTELLATION_CHECK(r.id == id);
    CheckReportInvariants(r);
  }
  for (const auto& [key, id] : latest_) {
    CONSTELLATION_CHECK(!reports_.at(id).revised_by.has_value());
  }
}

std::vector<IndicatorSeries> SeriesOf(const GroupState& state, const EventId& version) {
  const StrategyVersionState& v = Strategy(state).versions().at(version);
  std::vector<IndicatorSeries> out;
  for (v1::IndicatorLevel level : {v1::INDICATOR_LEVEL_EARLY, v1::INDICATOR_LEVEL_INTERMEDIATE,
                                   v1::INDICATOR_LEVEL_LONG_TERM}) {
    for (const IndicatorState& i : v.indicators) {
      if (i.level == level) out.push_back(IndicatorSeries{version, i.key, {}});
    }
  }
  const MeasurementLedger& ledger = Measurement(state);
  for (IndicatorSeries& series : out) {
    // The counting reports of this document's series of the key: period -> member -> report.
    std::map<std::string, std::map<OrgKey, const ReportState*>> by_period;
    for (const auto& [series_key, id] : ledger.latest()) {
      const auto& [author, document, key, period] = series_key;
      if (document == v.document && key == series.indicator_key) {
        by_period[period][author] = &ledger.reports().at(id);
      }
    }
    for (const auto& [period, members] : by_period) {
      PeriodValues& pv = series.periods.emplace_back();
      pv.period = period;
      for (const auto& [member, report] : members) {
        pv.values.push_back(MemberValue{member, report->value, report->id});
        pv.total += report->value;
      }
    }
  }
  return out;
}

}  // namespace constellation::core
