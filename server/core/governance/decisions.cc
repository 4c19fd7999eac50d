#include "server/core/governance/decisions.h"

#include <algorithm>
#include <limits>

#include <absl/strings/str_format.h>

#include "server/base/check.h"
#include "server/base/enum_names.h"

namespace constellation::core {
namespace {

v1::DecisionRule MakeRule(v1::DecisionType type, v1::DecisionProcess process,
                          uint32_t threshold_bps, uint32_t quorum_bps) {
  v1::DecisionRule rule;
  rule.set_decision_type(type);
  rule.set_process(process);
  rule.set_threshold_bps(threshold_bps);
  rule.set_quorum_bps(quorum_bps);
  rule.set_voting_window_ms(kVotingWindowMsDefault);
  rule.set_coordinators_vote(false);
  return rule;
}

// Tie order of close reasons at the same hlc.
int ClosePriority(CloseReason reason) {
  switch (reason) {
    case CloseReason::kProposer:
      return 0;
    case CloseReason::kAllVoted:
      return 1;
    case CloseReason::kDeadline:
      return 2;
    case CloseReason::kNone:
      return 3;
  }
  return 3;
}

}  // namespace

std::string_view DecisionOutcomeName(DecisionOutcome outcome) {
  static constexpr std::string_view kNames[] = {"open", "passed", "rejected", "no_quorum",
                                                "blocked"};
  return EnumName(outcome, kNames);
}

std::string_view CloseReasonName(CloseReason reason) {
  static constexpr std::string_view kNames[] = {"none", "deadline", "proposer", "all_voted"};
  return EnumName(reason, kNames);
}

std::string_view DecisionTypeName(v1::DecisionType type) {
  return ProtoEnumName<v1::DecisionType_descriptor>(type, "DECISION_TYPE_");
}

std::string_view DecisionProcessName(v1::DecisionProcess process) {
  return ProtoEnumName<v1::DecisionProcess_descriptor>(process, "DECISION_PROCESS_");
}

std::optional<v1::DecisionRule> DefaultDecisionRule(v1::DecisionType type) {
  switch (type) {
    case v1::DECISION_TYPE_ADMIT:
      return MakeRule(type, v1::DECISION_PROCESS_SUPERMAJORITY, kSupermajorityThresholdBpsDefault,
                      6667);
    case v1::DECISION_TYPE_EXPEL:
      return MakeRule(type, v1::DECISION_PROCESS_UNANIMITY, 0, 0);
    case v1::DECISION_TYPE_AMEND_CHARTER:
      return MakeRule(type, v1::DECISION_PROCESS_CONSENSUS, 0, 6667);
    case v1::DECISION_TYPE_ADOPT_STRATEGY:
    case v1::DECISION_TYPE_OPEN_CAMPAIGN:
    case v1::DECISION_TYPE_CREATE_FUND:
    case v1::DECISION_TYPE_TEAM_LEADS:
      return MakeRule(type, v1::DECISION_PROCESS_CONSENT, 0, 0);
    default:
      return std::nullopt;  // ALLOCATE_FUNDS, WRITE_OFF, DISSOLVE: only by a charter rule
  }
}

absl::StatusOr<ResolvedRule> ResolveDecisionRule(const v1::Charter& charter,
                                                 v1::DecisionType type) {
  if (type == v1::DECISION_TYPE_UNSPECIFIED || !v1::DecisionType_IsValid(type)) {
    return absl::InvalidArgumentError("proposal.decision_type is required");
  }
  ResolvedRule resolved;
  bool found = false;
  for (const v1::DecisionRule& r : charter.decision_rules()) {
    if (r.decision_type() == type) {
      resolved.rule = r;
      resolved.from_charter = true;
      found = true;
      break;
    }
  }
  if (!found) {
    std::optional<v1::DecisionRule> fallback = DefaultDecisionRule(type);
    if (!fallback.has_value()) {
      return absl::FailedPreconditionError(absl::StrFormat(
          "the charter does not allow %s proposals: it has no decision rule for them and "
          "they have no default; amend the charter to add one",
          std::string(DecisionTypeName(type))));
    }
    resolved.rule = *fallback;
  }
  if (resolved.rule.voting_window_ms() == 0) {
    resolved.rule.set_voting_window_ms(kVotingWindowMsDefault);
  }
  if (resolved.rule.process() == v1::DECISION_PROCESS_SUPERMAJORITY &&
      resolved.rule.threshold_bps() == 0) {
    resolved.rule.set_threshold_bps(kSupermajorityThresholdBpsDefault);
  }
  return resolved;
}

Hlc DeadlineClosePoint(uint64_t deadline_ms) {
  CONSTELLATION_CHECK(deadline_ms > 0);
  return Hlc{deadline_ms - 1, std::numeric_limits<uint32_t>::max()};
}

ClosePoint ComputeClose(uint64_t deadline_ms, const std::optional<Hlc>& proposer_close,
                        const Electorate& electorate, const std::vector<CastStance>& stances) {
  std::vector<ClosePoint> candidates;
  candidates.push_back({DeadlineClosePoint(deadline_ms), CloseReason::kDeadline});
  if (proposer_close.has_value()) candidates.push_back({*proposer_close, CloseReason::kProposer});

  // Every deciding voter's earliest stance; all-voted is the latest of those.
  std::map<OrgKey, Hlc> earliest;
  for (const CastStance& s : stances) {
    auto voter = electorate.find(s.author);
    if (voter == electorate.end() || !voter->second.decides) continue;
    auto [it, added] = earliest.emplace(s.author, s.hlc);
    if (!added && s.hlc < it->second) it->second = s.hlc;
  }
  size_t deciding = 0;
  for (const auto& [key, voter] : electorate) deciding += voter.decides ? 1 : 0;
  if (deciding > 0 && earliest.size() == deciding) {
    Hlc all_voted;
    for (const auto& [key, hlc] : earliest) all_voted = std::max(all_voted, hlc);
    candidates.push_back({all_voted, CloseReason::kAllVoted});
  }

  ClosePoint best = candidates.front();
  for (const ClosePoint& c : candidates) {
    if (c.hlc < best.hlc ||
        (c.hlc == best.hlc && ClosePriority(c.reason) < ClosePriority(best.reason))) {
      best = c;
    }
  }
  return best;
}

Tally CountStances(const v1::DecisionRule& rule, const Electorate& electorate,
                   const std::vector<CastStance>& stances, const Hlc& close) {
  // Each voter's latest stance (highest seq) at or before the close.
  std::map<OrgKey, const CastStance*> counted;
  for (const CastStance& s : stances) {
    if (!electorate.contains(s.author) || close < s.hlc) continue;
    auto [it, added] = counted.emplace(s.author, &s);
    if (!added && it->second->seq < s.seq) it->second = &s;
  }
  Tally t;
  for (const auto& [key, voter] : electorate) {
    if (!voter.decides) continue;
    t.eligible_weight += voter.weight;
    ++t.eligible_count;
  }
  for (const auto& [key, stance] : counted) {
    const Voter& voter = electorate.at(key);
    if (!voter.decides) {
      ++t.advice_count;
      continue;
    }
    ++t.stance_count;
    t.stance_weight += voter.weight;
    // records.cc admits only the four choices.
    static constexpr std::pair<v1::StanceChoice, uint64_t Tally::*> kWeightOf[] = {
        {v1::STANCE_CHOICE_AGREE, &Tally::agree_weight},
        {v1::STANCE_CHOICE_ABSTAIN, &Tally::abstain_weight},
        {v1::STANCE_CHOICE_DISAGREE, &Tally::disagree_weight},
        {v1::STANCE_CHOICE_BLOCK, &Tally::block_weight},
    };
    for (const auto& [choice, weight] : kWeightOf) {
      if (choice == stance->choice) t.*weight += voter.weight;
    }
  }
  // 128-bit products: weights are bounded, but the number of members is not.
  t.quorum_met = static_cast<unsigned __int128>(t.stance_weight) * 10000 >=
                 static_cast<unsigned __int128>(rule.quorum_bps()) * t.eligible_weight;
  return t;
}

DecisionOutcome Decide(const v1::DecisionRule& rule, const Tally& t) {
  using U128 = unsigned __int128;
  if (!t.quorum_met) return DecisionOutcome::kNoQuorum;
  switch (rule.process()) {
    case v1::DECISION_PROCESS_CONSENT:
      return t.block_weight > 0 ? DecisionOutcome::kBlocked : DecisionOutcome::kPassed;
    case v1::DECISION_PROCESS_CONSENSUS:
      if (t.block_weight > 0) return DecisionOutcome::kBlocked;
      return t.disagree_weight > 0 ? DecisionOutcome::kRejected : DecisionOutcome::kPassed;
    case v1::DECISION_PROCESS_MAJORITY:
      return U128{t.agree_weight} > U128{t.disagree_weight} + t.block_weight
                 ? DecisionOutcome::kPassed
                 : DecisionOutcome::kRejected;
    case v1::DECISION_PROCESS_SUPERMAJORITY: {
      const U128 cast = U128{t.agree_weight} + t.disagree_weight + t.block_weight;
      const bool passes =
          t.agree_weight > 0 && U128{t.agree_weight} * 10000 >= U128{rule.threshold_bps()} * cast;
      return passes ? DecisionOutcome::kPassed : DecisionOutcome::kRejected;
    }
    case v1::DECISION_PROCESS_UNANIMITY:
      if (t.eligible_weight > 0 && t.agree_weight == t.eligible_weight) {
        return DecisionOutcome::kPassed;
      }
      return t.block_weight > 0 ? DecisionOutcome::kBlocked : DecisionOutcome::kRejected;
    case v1::DECISION_PROCESS_LEAD_DECIDES:
      if (t.block_weight > 0) return DecisionOutcome::kBlocked;
      return t.agree_weight > t.disagree_weight ? DecisionOutcome::kPassed
                                                : DecisionOutcome::kRejected;
    default:
      return DecisionOutcome::kRejected;  // records.cc admits only the six processes
  }
}

}  // namespace constellation::core
