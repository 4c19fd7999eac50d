// server/core/health/health_ledger.h
//
// HealthLedger: partnership health (issue 9 item 6, docs/PROTOCOL.md §5.14). The fold keeps the
// members' pulse checks (alignment 1-5, with an optional candid comment in the event); the rest
// of the health view is derived at read time from every domain's state and the time of the
// read (HealthAt): each member's last activity and whether it has been silent longer than the
// charter's review cadence, what it owes (stances, acknowledgements, overdue action items,
// overdue pledge installments), its latest pulses, the group's pulse trend by month, whether
// the charter's review date has passed, and which action teams are past their review date.
//
// Invariants (checked after every Apply and by CheckInvariants): every pulse's alignment is in
// 1..5; the pulses are in canonical order, one entry per pulse event.
// Pure: HealthAt takes the time as an argument. Thread safety: not thread-safe; owned by its
// GroupState.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "constellation/v1/event.pb.h"
#include "server/core/fold/ledger.h"
#include "server/core/ids.h"
#include "server/core/roster/roster.h"

namespace constellation::core {

struct PulseState {
  EventId id;
  OrgKey member;
  uint32_t alignment = 0;  // 1..5
  Hlc hlc;
};

class HealthLedger final : public Ledger {
 public:
  static constexpr Domain kDomain = Domain::kHealth;

  // Stateless validation of this domain's record bodies (server/core/records.h; defined in
  // health_records.cc): kInvalidArgument naming the field. The registry routes bodies here.
  static absl::Status Validate(const v1::Event& e);

  // Every accepted pulse check, in canonical order.
  const std::vector<PulseState>& pulses() const { return pulses_; }

  absl::Status Check(const VerifiedEvent& e, const GroupState& state) const override;
  void Apply(const VerifiedEvent& e, const GroupState& state, Roster& roster) override;
  void HashInto(StateHasher& h) const override;
  void CheckInvariants() const override;
  std::unique_ptr<Ledger> Clone() const override { return std::make_unique<HealthLedger>(*this); }

 private:
  std::vector<PulseState> pulses_;
};

// The health ledger of `state` (state.ledger<HealthLedger>()).
const HealthLedger& Health(const GroupState& state);

// The charter's review cadence in days, or the default when it sets none.
uint32_t ReviewCadenceDays(const v1::Charter& charter);

// An indicator report a member owes (docs/PROTOCOL.md §5.14, "reports owed").
struct ReportDue {
  EventId version;
  std::string indicator_key;
  std::string period;
};

// One member at a glance (docs/PROTOCOL.md §5.14 "Health view").
struct MemberHealth {
  OrgKey member;
  MemberStatus status = MemberStatus::kActive;  // as views show it at the time of the read
  uint64_t last_activity_ms = 0;                // 0: no record yet
  bool silent = false;
  uint32_t latest_alignment = 0;    // 0: no pulse
  uint32_t previous_alignment = 0;  // 0: fewer than two pulses
  std::vector<EventId> stances_owed;
  std::vector<EventId> acknowledgements_owed;
  std::vector<EventId> overdue_action_items;
  std::vector<EventId> overdue_pledges;
  std::vector<ReportDue> reports_owed;  // by version, then the version's indicator order
};

struct PulsePeriod {
  std::string period;  // "2026-12": the UTC month of the pulses' hlc wall time
  uint32_t count = 0;
  uint32_t average_milli = 0;  // round_half_up(1000 × Σ alignment / count)
};

struct GroupHealth {
  uint64_t as_of_ms = 0;
  uint32_t review_cadence_days = 0;
  uint64_t review_ms = 0;
  bool review_due = false;
  uint64_t term_end_ms = 0;
  bool term_ended = false;
  bool dissolved = false;
  uint32_t open_proposals = 0;
  std::vector<MemberHealth> members;     // active and under notice, ascending by key
  std::vector<PulsePeriod> pulse_trend;  // the last kPulseTrendPeriodsMax months, ascending
  // Action teams not closed whose current version's review date has passed, ascending by id.
  std::vector<EventId> teams_review_due;
};

inline constexpr size_t kPulseTrendPeriodsMax = 12;

// The health of `state` as of `now_ms` (docs/PROTOCOL.md §5.14). Pure: the same state and time
// give the same answer on every node.
GroupHealth HealthAt(const GroupState& state, uint64_t now_ms);

}  // namespace constellation::core
