// server/core/measurement/measurement_ledger.h
//
// MeasurementLedger: shared measurement (issue 9 item 5, docs/PROTOCOL.md §5.16). Members report
// their value of an indicator of a strategy version (§5.15) for a period ("2026-Q3"), with a
// note in the event; a correction is a new report that revises the latest one of the same
// series key (author, document, indicator key, period), so every value ever reported stays.
// Versions of one document share their indicators' series by key, so a new version of the plan
// keeps the history of its indicators.
//
// Check reads only the event's causal past and the author's own chain (its earlier reports), so
// every node judges a report the same wherever concurrent records sort.
//
// Invariants (checked after every Apply for what it changed, and by CheckInvariants): every
// series key's latest report is not revised; a revised report's reviser revises it and has its
// series key and author.
// Pure. Thread safety: not thread-safe; owned by its GroupState.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "constellation/v1/event.pb.h"
#include "server/core/fold/ledger.h"
#include "server/core/ids.h"

namespace constellation::core {

// (author, document, indicator key, period): whose value of what, for when.
using SeriesKey = std::tuple<OrgKey, v1::StrategyDocument, std::string, std::string>;

struct ReportState {
  EventId id;  // the indicator_report event
  OrgKey author;
  EventId version;
  v1::StrategyDocument document = v1::STRATEGY_DOCUMENT_UNSPECIFIED;
  std::string indicator_key;
  std::string period;
  int64_t value = 0;
  std::optional<EventId> revises;
  std::optional<EventId> revised_by;
  Hlc hlc;

  SeriesKey series() const { return {author, document, indicator_key, period}; }
};

// One member's counting value for a period (docs/PROTOCOL.md §5.16, "Derived at read time").
struct MemberValue {
  OrgKey member;
  int64_t value = 0;
  EventId report;
};
struct PeriodValues {
  std::string period;
  int64_t total = 0;
  std::vector<MemberValue> values;  // ascending by member
};
struct IndicatorSeries {
  EventId version;
  std::string indicator_key;
  std::vector<PeriodValues> periods;  // ascending by period
};

class MeasurementLedger final : public Ledger {
 public:
  static constexpr Domain kDomain = Domain::kMeasurement;

  // Stateless validation of this domain's record bodies (server/core/records.h; defined in
  // measurement_records.cc): kInvalidArgument naming the field. The registry routes bodies here.
  static absl::Status Validate(const v1::Event& e);

  const std::map<EventId, ReportState>& reports() const { return reports_; }
  // The counting (latest) report of every series key.
  const std::map<SeriesKey, EventId>& latest() const { return latest_; }
  // The counting report of `key`, if any.
  const ReportState* Latest(const SeriesKey& key) const;

  absl::Status Check(const VerifiedEvent& e, const GroupState& state) const override;
  void Apply(const VerifiedEvent& e, const GroupState& state, Roster& roster) override;
  void HashInto(StateHasher& h) const override;
  void CheckInvariants() const override;
  std::unique_ptr<Ledger> Clone() const override {
    return std::make_unique<MeasurementLedger>(*this);
  }

 private:
  void CheckReportInvariants(const ReportState& r) const;

  std::map<EventId, ReportState> reports_;
  std::map<SeriesKey, EventId> latest_;
};

// The measurement ledger of `state` (state.ledger<MeasurementLedger>()).
const MeasurementLedger& Measurement(const GroupState& state);

// Every indicator's series of `version` (a version the strategy ledger holds): early
// indicators first, then intermediate, then long-term, each level in the version's order.
std::vector<IndicatorSeries> SeriesOf(const GroupState& state, const EventId& version);

}  // namespace constellation::core
