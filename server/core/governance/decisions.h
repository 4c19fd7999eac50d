// server/core/decisions.h
//
// The decision engine of DESIGN §1 (decisions) and §3 (finality), as pure functions: which
// rule decides a decision type (the charter's, or a documented default), when a proposal
// closes, which stances count and what they decide. GroupState (group_state.h) records
// proposals, stances and closes while folding, and calls these to derive outcomes; finality
// needs the events the group holds and lives there.
//
// Invariants: every result is a function of the arguments only (never of arrival order or a
// clock); arithmetic is on integers (weights, basis points), never floating point.
// docs/PROTOCOL.md §5 specifies the same rules for other implementations.
// Pure; thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <absl/status/statusor.h>

#include "constellation/v1/event.pb.h"
#include "server/core/hlc.h"
#include "server/core/ids.h"

namespace constellation::core {

inline constexpr uint64_t kDayMs = 24 * 60 * 60 * 1000;
// The voting window of a rule that sets none (voting_window_ms = 0), and of the defaults.
inline constexpr uint64_t kVotingWindowMsDefault = 7 * kDayMs;
// A supermajority rule that sets no threshold_bps: two thirds.
inline constexpr uint32_t kSupermajorityThresholdBpsDefault = 6667;

enum class DecisionOutcome { kOpen, kPassed, kRejected, kNoQuorum, kBlocked };
std::string_view DecisionOutcomeName(DecisionOutcome outcome);

// What closed a proposal (or, while it is open, which close is the earliest known).
enum class CloseReason { kNone, kDeadline, kProposer, kAllVoted };
std::string_view CloseReasonName(CloseReason reason);

std::string_view DecisionTypeName(v1::DecisionType type);
std::string_view DecisionProcessName(v1::DecisionProcess process);

// The rule used for `type` when the charter has none; nullopt for the types that are allowed
// only by an explicit charter rule (ALLOCATE_FUNDS, WRITE_OFF, DISSOLVE). Defaults:
//   ADMIT          supermajority 2/3 of the stances, quorum 2/3 (DESCA general assembly);
//   EXPEL          unanimity of the other members (DOMAIN.md rule 11);
//   AMEND_CHARTER  consensus, quorum 2/3;
//   ADOPT_STRATEGY, OPEN_CAMPAIGN, CREATE_FUND, TEAM_LEADS  consent, no quorum;
// each with the default voting window (7 days) and coordinators not voting.
std::optional<v1::DecisionRule> DefaultDecisionRule(v1::DecisionType type);

struct ResolvedRule {
  v1::DecisionRule rule;  // normalized: voting window and supermajority threshold filled in
  bool from_charter = false;
};

// The rule deciding `type` in a group with `charter`: the charter's rule for the type, else
// the default. kFailedPrecondition when the type is allowed by neither (the charter must be
// amended to allow it); kInvalidArgument for DECISION_TYPE_UNSPECIFIED.
absl::StatusOr<ResolvedRule> ResolveDecisionRule(const v1::Charter& charter, v1::DecisionType type);

// One member of a proposal's electorate (fixed when the proposal is folded, DESIGN §3).
struct Voter {
  uint64_t weight = 1;  // MemberProfile.voting_weight, 0 meaning 1
  bool decides = true;  // false: the stance is advice only (lead_decides: non-leads)
};
using Electorate = std::map<OrgKey, Voter>;

// A stance as recorded by the fold.
struct CastStance {
  EventId event;
  OrgKey author;
  uint64_t seq = 0;  // the author's seq: a later stance revises an earlier one
  Hlc hlc;
  v1::StanceChoice choice = v1::STANCE_CHOICE_UNSPECIFIED;
  std::string reason;
};

struct ClosePoint {
  Hlc hlc;  // stances with hlc <= this count
  CloseReason reason = CloseReason::kNone;
  friend bool operator==(const ClosePoint&, const ClosePoint&) = default;
};

// The close point of a deadline: the last hlc before deadline_ms, (deadline_ms - 1, 2^32 - 1),
// so that a stance counts exactly when its wall_ms < deadline_ms, and an event shows the
// deadline has passed exactly when its wall_ms >= deadline_ms. deadline_ms must be > 0.
Hlc DeadlineClosePoint(uint64_t deadline_ms);

// The earliest of: the deadline; the proposer's close (`proposer_close`, its hlc); and the hlc
// at which every deciding voter had taken a stance (the latest of their earliest stances;
// only when every deciding voter has one). Ties prefer proposer, then all-voted, then
// deadline. `stances` are the stances that may count (see GroupState for exclusions); their
// order does not matter.
ClosePoint ComputeClose(uint64_t deadline_ms, const std::optional<Hlc>& proposer_close,
                        const Electorate& electorate, const std::vector<CastStance>& stances);

// The stances that count at `close`: each voter's latest stance (by its seq) with
// hlc <= close. Weights are summed over deciding voters; advisers are only counted.
struct Tally {
  uint64_t eligible_weight = 0;  // every deciding voter
  uint64_t stance_weight = 0;    // deciding voters whose stance counts
  uint64_t agree_weight = 0;
  uint64_t abstain_weight = 0;
  uint64_t disagree_weight = 0;
  uint64_t block_weight = 0;
  uint32_t eligible_count = 0;
  uint32_t stance_count = 0;
  uint32_t advice_count = 0;  // advisers (non-deciding voters) with a stance that counts
  bool quorum_met = false;    // stance_weight * 10000 >= quorum_bps * eligible_weight
  friend bool operator==(const Tally&, const Tally&) = default;
};
Tally CountStances(const v1::DecisionRule& rule, const Electorate& electorate,
                   const std::vector<CastStance>& stances, const Hlc& close);

// What `tally` decides under `rule` (never kOpen):
//   no quorum                -> kNoQuorum (every process);
//   consent                  -> kBlocked if any block, else kPassed;
//   consensus, lead_decides  -> kBlocked if any block; consensus: kRejected if any disagree;
//                               lead_decides: kPassed iff agree > disagree (leads only);
//   majority                 -> kPassed iff agree > disagree + block;
//   supermajority            -> kPassed iff agree > 0 and
//                               agree * 10000 >= threshold_bps * (agree + disagree + block);
//   unanimity                -> kPassed iff every deciding voter agrees; else kBlocked if any
//                               block, else kRejected.
// In majority and supermajority a block counts as a disagree (no veto).
DecisionOutcome Decide(const v1::DecisionRule& rule, const Tally& tally);

}  // namespace constellation::core
