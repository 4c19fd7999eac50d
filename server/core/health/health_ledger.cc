#include "server/core/health/health_ledger.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include <absl/strings/str_format.h>
#include <absl/time/time.h>

#include "server/base/check.h"
#include "server/base/limits.h"
#include "server/core/convenings/convenings_ledger.h"
#include "server/core/fold/group_state.h"
#include "server/core/fundraising/fundraising_ledger.h"
#include "server/core/governance/governance_ledger.h"
#include "server/core/measurement/measurement_ledger.h"
#include "server/core/measurement/periods.h"
#include "server/core/strategy/strategy_ledger.h"
#include "server/core/teams/teams_ledger.h"

namespace constellation::core {
namespace {

// "2026-12": the UTC month of `wall_ms`.
std::string MonthOf(uint64_t wall_ms) {
  return absl::FormatTime("%Y-%m", absl::FromUnixMillis(static_cast<int64_t>(wall_ms)),
                          absl::UTCTimeZone());
}

}  // namespace

const HealthLedger& Health(const GroupState& state) { return state.ledger<HealthLedger>(); }

uint32_t ReviewCadenceDays(const v1::Charter& charter) {
  return charter.review_cadence_days() == 0 ? limits::kReviewCadenceDaysDefault
                                            : charter.review_cadence_days();
}

absl::Status HealthLedger::Check(const VerifiedEvent& e, const GroupState& state) const {
  CONSTELLATION_CHECK(e.event.has_pulse_check());  // the registry routes only pulses here
  if (!Governance(state).IsMemberInPast(e.author, e, state)) {
    return absl::PermissionDeniedError(absl::StrFormat(
        "org %s is not a member in this pulse check's causal past; only members check the "
        "pulse",
        e.author.ShortHex()));
  }
  return absl::OkStatus();
}

void HealthLedger::Apply(const VerifiedEvent& e, const GroupState& state, Roster& roster) {
  (void)state, (void)roster;
  const uint32_t alignment = e.event.pulse_check().alignment();
  CONSTELLATION_CHECK(alignment >= 1 && alignment <= 5);  // ValidateBody checked it
  pulses_.push_back(PulseState{e.id, e.author, alignment, e.hlc});
}

void HealthLedger::CheckInvariants() const {
  for (const PulseState& p : pulses_) CONSTELLATION_CHECK(p.alignment >= 1 && p.alignment <= 5);
}

void HealthLedger::HashInto(StateHasher& h) const {
  // No pulse: nothing, so histories without pulse checks keep their hashes (§5.14).
  if (pulses_.empty()) return;
  h.Bytes("constellation/v1/health");
  h.U64(pulses_.size());
  for (const PulseState& p : pulses_) {
    h.Id(p.id);
    h.Id(p.member);
    h.U64(p.alignment);
  }
}

GroupHealth HealthAt(const GroupState& state, uint64_t now_ms) {
  const GovernanceLedger& governance = Governance(state);
  const v1::Charter& charter = governance.CurrentCharter(state);
  GroupHealth out;
  out.as_of_ms = now_ms;
  out.review_cadence_days = ReviewCadenceDays(charter);
  out.review_ms = charter.review_ms();
  out.review_due = charter.review_ms() != 0 && now_ms >= charter.review_ms();
  out.term_end_ms = charter.term_end_ms();
  out.term_ended = charter.term_end_ms() != 0 && now_ms >= charter.term_end_ms();
  out.dissolved = governance.DissolvedBy().has_value();
  const uint64_t cadence_ms = uint64_t{out.review_cadence_days} * 24 * 60 * 60 * 1000;

  std::map<OrgKey, MemberHealth> members;
  for (const auto& [key, m] : state.roster().members()) {
    if (!IsMemberAt(m, now_ms)) continue;
    MemberHealth& mh = members[key];
    mh.member = key;
    mh.status = DeriveMemberStatus(m, now_ms);
    if (const AuthorProgress* p = state.Progress(key); p != nullptr) {
      mh.last_activity_ms = p->hlc.wall_ms;
    }
    mh.silent = now_ms > mh.last_activity_ms && now_ms - mh.last_activity_ms > cadence_ms;
    for (const EventId& id : governance.AcknowledgementsDue(state, key, now_ms)) {
      mh.acknowledgements_owed.push_back(id);
    }
  }

  for (const auto& [id, p] : governance.proposals()) {
    absl::StatusOr<ProposalOutcome> o = governance.Outcome(state, id, now_ms);
    CONSTELLATION_CHECK(o.ok());
    if (o->final) continue;
    ++out.open_proposals;
    if (o->closed || o->past_deadline) continue;
    std::set<OrgKey> voted;
    for (const CastStance& s : p.stances) voted.insert(s.author);
    for (const auto& [key, voter] : p.electorate) {
      auto m = members.find(key);
      if (voter.decides && !voted.contains(key) && m != members.end()) {
        m->second.stances_owed.push_back(id);
      }
    }
  }

  for (const auto& [id, a] : Convenings(state).actions()) {
    auto m = members.find(a.owner);
    if (m != members.end() && !a.done() && now_ms > a.due_ms) {
      m->second.overdue_action_items.push_back(id);
    }
  }

  const FundraisingLedger& fundraising = Fundraising(state);
  for (const auto& [id, p] : fundraising.pledges()) {
    auto m = members.find(p.pledger);
    if (m == members.end()) continue;
    const uint64_t deadline_ms = fundraising.campaigns().at(p.campaign).deadline_ms;
    if (DerivePledgeStatus(p, deadline_ms, now_ms) == PledgeStatus::kOverdue) {
      m->second.overdue_pledges.push_back(id);
    }
  }

  // Reports owed: the last complete period of every indicator of a current version, once that
  // period ended after the adoption took effect.
  const StrategyLedger& strategy = Strategy(state);
  const MeasurementLedger& measurement = Measurement(state);
  for (int d = v1::StrategyDocument_MIN; d <= v1::StrategyDocument_MAX; ++d) {
    const auto document = static_cast<v1::StrategyDocument>(d);
    const AdoptionState* adoption = strategy.Current(document);
    if (adoption == nullptr) continue;
    for (const IndicatorState& i : strategy.versions().at(adoption->version).indicators) {
      const std::optional<Period> due = PeriodBefore(PeriodAt(i.frequency, now_ms));
      if (!due.has_value() || due->end_ms <= adoption->final_ms) continue;
      for (auto& [key, mh] : members) {
        if (i.owner.has_value() && *i.owner != key) continue;
        if (measurement.Latest(SeriesKey{key, document, i.key, due->Name()}) == nullptr) {
          mh.reports_owed.push_back(ReportDue{adoption->version, i.key, due->Name()});
        }
      }
    }
  }

  // Teams past review (§5.14): not closed, the current version's review date passed.
  for (const auto& [id, team] : Teams(state).teams()) {
    const uint64_t review_ms = team.current().review_ms;
    if (!team.closed() && review_ms != 0 && now_ms >= review_ms) {
      out.teams_review_due.push_back(id);
    }
  }

  // Pulses: each member's latest two, and the trend by month (canonical order is not time
  // order, so each member's pulses are ordered by hlc, then id).
  std::map<OrgKey, std::vector<const PulseState*>> by_member;
  std::map<std::string, std::pair<uint32_t, uint64_t>> by_month;  // count, Σ alignment
  for (const PulseState& p : Health(state).pulses()) {
    by_member[p.member].push_back(&p);
    auto& [count, sum] = by_month[MonthOf(p.hlc.wall_ms)];
    ++count;
    sum += p.alignment;
  }
  for (auto& [key, pulses] : by_member) {
    auto m = members.find(key);
    if (m == members.end()) continue;
    std::sort(pulses.begin(), pulses.end(), [](const PulseState* a, const PulseState* b) {
      return std::tie(a->hlc, a->id) < std::tie(b->hlc, b->id);
    });
    m->second.latest_alignment = pulses.back()->alignment;
    if (pulses.size() >= 2) m->second.previous_alignment = pulses[pulses.size() - 2]->alignment;
  }
  for (const auto& [month, totals] : by_month) {
    const auto& [count, sum] = totals;
    out.pulse_trend.push_back(
        PulsePeriod{month, count, static_cast<uint32_t>((2 * 1000 * sum + count) / (2 * count))});
  }
  if (out.pulse_trend.size() > kPulseTrendPeriodsMax) {
    out.pulse_trend.erase(out.pulse_trend.begin(), out.pulse_trend.end() - kPulseTrendPeriodsMax);
  }
  for (auto& [key, mh] : members) out.members.push_back(std::move(mh));
  return out;
}

}  // namespace constellation::core
