// tests/sim/domains/governance_domain.cc
//
// The governance domain of the simulation (sim_domain.h; server/core/governance/, DESIGN §3):
//   * actions: propose a decision (adopt a strategy, open a campaign) with a default or near
//     deadline; propose a charter amendment (the proposer's current charter with a changed
//     rule: OPEN_CAMPAIGN alone or by decision, ADOPT_STRATEGY by consent or by majority,
//     notice days, DISSOLVE by consent), so that rules change while proposals are open;
//     rarely, propose dissolving the group (refused while the charter has no DISSOLVE rule);
//     take a stance (agree, abstain, or disagree or block with a
//     reason) on an open proposal of one's electorate; close one's own open proposal; and
//     write something the core must refuse (a stance on a proposal that does not exist).
//   * react: a node acknowledges the closed proposals it is due to (AcknowledgementsDue), so
//     that they become final without people.
//   * invariant 4, "a final outcome never changes" (after every step, on the honest nodes that
//     are up): once a node shows a proposal final it stays final with the same outcome, close
//     and tally until the node crashes (a crash may lose the received events that made it
//     final), and every node that shows it final shows the same.
//   * invariant 5, liveness (once settled): every proposal whose proposer and deciding
//     electorate are all active members is final in the reference view of its group.
//   * charter amendments (docs/PROTOCOL.md §5.6): "a proposal keeps the rule it was fixed
//     with" (after every step: every honest node shows each proposal with the rule first seen
//     for it, in groups without a known fork), and "the current charter is the latest passed
//     amendment" (once settled: the reference view's current charter is that of the final,
//     passed AMEND_CHARTER proposal greatest by (hlc, id), recomputed here from the proposals,
//     and every served node shows the same).
//   * dissolution (PROTOCOL §5.6): "a dissolved group stays dissolved" (after every step, per
//     honest node since its last crash) and, once settled, every served node shows the group
//     dissolved by the same proposal; and no record that does not settle it has effect when
//     its author had seen the dissolution final (the reference view's records, judged again).
// Known core issues (docs/RELIABILITY.md, "Deterministic simulation"): invariant 4 fails when
// an expulsion's retroactive removal cut (DESIGN §3: a removed member's records concurrent
// with its removal are dropped) reaches records that some node had already counted in a final
// outcome:
//   A. A final proposal of the expelled member loses its effect.
//   B. A final proposal's tally differs between nodes (or changes on a node, or it is no
//      longer final) because the cut stops counting a stance on one node.
// Two more the simulator found are fixed in the core (GovernanceLedger::IsMemberInPast): a
// second ADMIT losing its effect when the invitee's concurrent acceptance of the first
// arrived, and electorates differing when a concurrent withdrawal or notice sorted before the
// proposal on one node only. They now fail like any other violation.
//   D. (fork scenario) A forked author's stances and acknowledgements differ between its
//      branches, and freezing it from its fork seq (PROTOCOL §3.1) takes them out of the fold,
//      so outcomes that were final with them differ or change; and so do the outcomes decided
//      on their effects: an expulsion or admission that loses its effect changes the roster,
//      and with it the electorates of later proposals (seed 100373). Inherent in forks;
//      recorded, not failed, even when strict. The second kind is recognised only when the
//      node learned a fork and its roster changed since it recorded the outcome, so that a
//      freeze that changes an electorate without changing a membership still fails (the
//      causal-clock bug of seed 100245, fixed in core::Group).
//   F. (fork scenario, liveness) A proposal that names, or follows in its author's chain, an
//      event of the forked author's branch that a deciding voter's node does not hold can
//      never be inserted there (PROTOCOL §3.1 "Agreement"): that voter never acknowledges it,
//      and it stays provisional (seed 101404). Inherent in the protocol as it is; recorded,
//      not failed, even when strict.
// Unless strict, these are recorded (SimStats::known_issues) and the proposal is no longer
// checked; anything else is a failure.
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <absl/strings/str_format.h>

#include "server/base/status_macros.h"
#include "server/core/crypto.h"
#include "server/core/fold/registry.h"
#include "server/core/governance/governance_ledger.h"
#include "tests/sim/domains/sim_domain.h"
#include "tests/testing/event_factory.h"

namespace constellation::sim {
namespace {

using ::constellation::testing::AcknowledgementBody;
using ::constellation::testing::MakeDecisionRule;
using ::constellation::testing::ProposalBody;
using ::constellation::testing::ProposalCloseBody;
using ::constellation::testing::StanceBody;

// Weights (sim_domain.h: about "per 10'000 steps").
constexpr uint32_t kStanceWeight = 1'980;
constexpr uint32_t kCloseWeight = 240;
constexpr uint32_t kProposeWeight = 400;
constexpr uint32_t kAmendWeight = 80;
constexpr uint32_t kDissolveWeight = 6;
constexpr uint32_t kRefusedWeight = 90;

// ---- Actions ----

void Propose(SimWorld& w, const Member& m) {
  static constexpr v1::DecisionType kTypes[] = {v1::DECISION_TYPE_ADOPT_STRATEGY,
                                                v1::DECISION_TYPE_OPEN_CAMPAIGN};
  const v1::DecisionType type = kTypes[w.random().Below(2)];
  w.Write(m.node, m.group, ProposalBody(type, DrawDeadlineMs(w, m)),
          absl::StrFormat("propose %s", std::string(core::DecisionTypeName(type))));
}

// The member's current charter with one rule changed. Campaigns opened alone stay the common
// case (the fundraising domain opens them), so OPEN_CAMPAIGN needs a decision a quarter of
// the time.
void ProposeCharterAmendment(SimWorld& w, const Member& m) {
  v1::Charter charter = Governance(*m.state).CurrentCharter(*m.state);
  auto set_rule = [&charter](const v1::DecisionRule& rule) {
    auto* rules = charter.mutable_decision_rules();
    for (int i = 0; i < rules->size(); ++i) {
      if (rules->Get(i).decision_type() == rule.decision_type()) {
        rules->DeleteSubrange(i, 1);
        break;
      }
    }
    *rules->Add() = rule;
  };
  std::string change;
  switch (w.random().Below(4)) {
    case 0: {
      v1::DecisionRule rule =
          MakeDecisionRule(v1::DECISION_TYPE_OPEN_CAMPAIGN, v1::DECISION_PROCESS_CONSENT);
      rule.set_member_acts_alone(w.random().Below(4) != 0);
      change = rule.member_acts_alone() ? "open campaigns alone" : "open campaigns by decision";
      set_rule(rule);
      break;
    }
    case 1: {
      const bool majority = w.random().Below(2) == 0;
      set_rule(MakeDecisionRule(v1::DECISION_TYPE_ADOPT_STRATEGY,
                                majority ? v1::DECISION_PROCESS_MAJORITY
                                         : v1::DECISION_PROCESS_CONSENT));
      change = majority ? "adopt strategies by majority" : "adopt strategies by consent";
      break;
    }
    case 2:
      set_rule(MakeDecisionRule(v1::DECISION_TYPE_DISSOLVE, v1::DECISION_PROCESS_CONSENT));
      change = "dissolve by consent";
      break;
    default:
      charter.set_withdrawal_notice_days(static_cast<uint32_t>(w.random().Below(3)));
      change = absl::StrFormat("%d days of notice", charter.withdrawal_notice_days());
  }
  v1::Event body = ProposalBody(v1::DECISION_TYPE_AMEND_CHARTER, DrawDeadlineMs(w, m));
  *body.mutable_proposal()->mutable_charter() = std::move(charter);
  w.Write(m.node, m.group, body, absl::StrFormat("propose a charter amendment: %s", change));
}

void ProposeDissolution(SimWorld& w, const Member& m) {
  v1::Event body = ProposalBody(v1::DECISION_TYPE_DISSOLVE, DrawDeadlineMs(w, m));
  body.mutable_proposal()->set_dissolution_plan("return what remains pro rata");
  w.Write(m.node, m.group, body, "propose dissolving the group");
}

void TakeStance(SimWorld& w, const Member& m) {
  std::vector<core::EventId> open_to_vote;
  for (const auto& [id, p] : Governance(*m.state).proposals()) {
    if (!p.outcome.closed && p.electorate.contains(m.org)) open_to_vote.push_back(id);
  }
  if (open_to_vote.empty()) return;
  const core::EventId p = w.random().Pick(open_to_vote);
  const uint64_t choice = w.random().Below(100);
  v1::Event body;
  if (choice < 60) {
    body = StanceBody(p, v1::STANCE_CHOICE_AGREE);
  } else if (choice < 70) {
    body = StanceBody(p, v1::STANCE_CHOICE_ABSTAIN);
  } else if (choice < 90) {
    body = StanceBody(p, v1::STANCE_CHOICE_DISAGREE, "the budget is not there yet");
  } else {
    body = StanceBody(p, v1::STANCE_CHOICE_BLOCK, "this breaks our charter");
  }
  w.Write(
      m.node, m.group, body,
      absl::StrFormat("stance %d on %s", static_cast<int>(body.stance().choice()), p.ShortHex()));
}

void CloseOwnProposal(SimWorld& w, const Member& m) {
  std::vector<core::EventId> own_open;
  for (const auto& [id, p] : Governance(*m.state).proposals()) {
    if (!p.outcome.closed && p.proposer == m.org) own_open.push_back(id);
  }
  if (own_open.empty()) return;
  const core::EventId p = w.random().Pick(own_open);
  w.Write(m.node, m.group, ProposalCloseBody(p), absl::StrFormat("close %s", p.ShortHex()));
}

// Something the core must refuse: a stance on a proposal that does not exist.
void StanceOnUnknownProposal(SimWorld& w, const Member& m) {
  w.Write(
      m.node, m.group,
      StanceBody(core::EventId::FromArray(core::Sha256(absl::StrFormat("no such %d", w.step()))),
                 v1::STANCE_CHOICE_AGREE),
      "stance on an unknown proposal");
}

// ---- React ----

// DESIGN §3: acknowledge closed proposals so that they become final without people.
void Acknowledge(SimWorld& w, int i) {
  const core::OrgKey org = w.node(i).org();
  std::vector<core::GroupId> held;
  for (const auto& [id, group] : w.node(i).state().groups()) held.push_back(id);
  for (const core::GroupId& g : held) {
    const core::GroupState& state = w.node(i).state().FindGroup(g)->state();
    std::vector<core::EventId> due = Governance(state).AcknowledgementsDue(state, org, w.NowMs(i));
    if (!due.empty()) {
      w.Write(i, g, AcknowledgementBody(due),
              absl::StrFormat("acknowledge %d proposals", due.size()));
    }
  }
}

// ---- Invariant 4: final outcomes ----

// A readable description of a final outcome, for failure messages.
std::string DescribeOutcome(core::DecisionOutcome outcome, const core::ClosePoint& close,
                            const core::Tally& tally) {
  return absl::StrFormat(
      "%s closed at (%d, %d) by %s; eligible %d, cast %d, agree %d, abstain %d, disagree %d, "
      "block %d",
      std::string(core::DecisionOutcomeName(outcome)), close.hlc.wall_ms, close.hlc.logical,
      std::string(core::CloseReasonName(close.reason)), tally.eligible_weight, tally.stance_weight,
      tally.agree_weight, tally.abstain_weight, tally.disagree_weight, tally.block_weight);
}

// The recorded stances of a proposal on one node, and why a stance another node counts has no
// effect here: what a failure of invariant 4 needs to be understood.
std::string DescribeStances(const SimNode& node, const core::GroupId& group_id,
                            const core::EventId& proposal_id,
                            const std::vector<core::EventId>& also) {
  const core::Group* group = node.state().FindGroup(group_id);
  if (group == nullptr) return "group not held";
  auto it = Governance(group->state()).proposals().find(proposal_id);
  std::string out = absl::StrFormat("node %d (%d events):", node.index(), group->size());
  if (it == Governance(group->state()).proposals().end()) {
    std::optional<std::string> reason = group->NoEffectReason(proposal_id);
    return out + " proposal has no effect: " + reason.value_or("not held");
  }
  out += absl::StrFormat(" [proposer %s; electorate", it->second.proposer.ShortHex());
  // Per voter what finality reads: whether it decides, its status and its chain's progress.
  for (const auto& [voter, v] : it->second.electorate) {
    const core::MemberState* m = group->state().roster().Find(voter);
    const core::AuthorProgress* progress = group->state().Progress(voter);
    out += absl::StrFormat(
        " %s(%s%s, seq %d at %d)", voter.ShortHex(), v.decides ? "" : "advises, ",
        m == nullptr ? "not a member" : std::string(core::MemberStatusName(m->status)),
        progress == nullptr ? 0 : progress->seq, progress == nullptr ? 0 : progress->hlc.wall_ms);
  }
  out += "]";
  for (const core::CastStance& st : it->second.stances) {
    out += absl::StrFormat(" [stance %s by %s seq %d at (%d,%d) choice %d]", st.event.ShortHex(),
                           st.author.ShortHex(), st.seq, st.hlc.wall_ms, st.hlc.logical,
                           static_cast<int>(st.choice));
  }
  for (const core::EventId& id : also) {
    const core::VerifiedEvent* e = group->Find(id);
    std::optional<std::string> reason = group->NoEffectReason(id);
    out += absl::StrFormat(" [%s: %s%s]", id.ShortHex(), e == nullptr ? "not held" : "held",
                           reason ? ", no effect: " + *reason : "");
  }
  for (const auto& [x, cut] : group->state().removal_cuts()) {
    out += absl::StrFormat(" [cut by %s of %s above seq %d]", x.ShortHex(), cut.member.ShortHex(),
                           cut.kept_seq_max);
  }
  return out;
}

std::vector<core::EventId> StanceIds(const SimNode& node, const core::GroupId& group_id,
                                     const core::EventId& proposal_id) {
  std::vector<core::EventId> ids;
  const core::Group* group = node.state().FindGroup(group_id);
  if (group == nullptr) return ids;
  auto it = Governance(group->state()).proposals().find(proposal_id);
  if (it == Governance(group->state()).proposals().end()) return ids;
  for (const core::CastStance& st : it->second.stances) ids.push_back(st.event);
  return ids;
}

enum class KnownIssueKind {
  kFinalProposalLostEffect,
  kCutChangedFinalTally,
  kFreezeChangedFinal,
  kProposalBeyondOtherBranch,
};
constexpr std::string_view kKnownIssueLabels[] = {"A", "B", "D", "F"};

// What a freeze changes in one node's view of a group: the forks it knows and its roster
// (each member's status and joined event).
struct FreezeView {
  std::map<core::OrgKey, uint64_t> forks;
  std::map<core::OrgKey, std::pair<core::MemberStatus, core::EventId>> roster;
};

FreezeView ViewOf(const core::Group& group) {
  FreezeView view;
  for (const auto& [author, record] : group.forks()) view.forks.emplace(author, record.seq);
  for (const auto& [key, m] : group.state().roster().members()) {
    view.roster.emplace(key, std::make_pair(m.status, m.joined_event));
  }
  return view;
}

// Known issue D, second kind: between `then` and `now` a fork became known and the roster
// changed, so decisions judged on the roster may differ.
bool FreezeChangedTheRoster(const FreezeView& then, const FreezeView& now) {
  return then.forks != now.forks && then.roster != now.roster;
}

// Invariant 4, with what it remembers over the run: the final outcomes every node showed (per
// node since its last crash, and over all nodes) and the proposals hit by a known issue.
class FinalOutcomes {
 public:
  absl::Status Check(SimWorld& w);

 private:
  using ProposalKey = std::pair<core::GroupId, core::EventId>;
  struct FinalOutcome {
    core::DecisionOutcome outcome = core::DecisionOutcome::kOpen;
    core::ClosePoint close;
    core::Tally tally;
    int first_node = 0;  // the first node seen showing it final
    FreezeView view;     // of the group on that node, then (known issue D)
    friend bool operator==(const FinalOutcome& a, const FinalOutcome& b) {
      return a.outcome == b.outcome && a.close == b.close && a.tally == b.tally;
    }
  };

  absl::Status CheckNode(SimWorld& w, int i);
  // Which known issue explains two different final outcomes of one proposal (`views` are the
  // nodes that showed them), if any.
  std::optional<KnownIssueKind> Classify(SimWorld& w, const std::vector<const SimNode*>& views,
                                         const ProposalKey& key) const;
  // Whether a removal cut on `node` covers a voter of the proposal (known issue B).
  static bool ExplainedByRemovalCut(const SimNode& node, const ProposalKey& key);
  // Whether a forked author (frozen on `node`, or restored from a backup) is the proposer or a
  // voter of the proposal (issue D): nodes holding different branches of it disagree until
  // they learn the fork, and freezing it changes outcomes.
  static bool ExplainedByFreeze(SimWorld& w, const SimNode& node, const ProposalKey& key);
  // Records a known issue (OK), or returns `violation` when strict.
  absl::Status KnownIssue(SimWorld& w, KnownIssueKind kind, const ProposalKey& key,
                          absl::Status violation);

  std::vector<std::map<ProposalKey, FinalOutcome>> final_seen_;  // per node, since its crash
  std::vector<uint64_t> final_seen_crashes_;                     // crash_count of final_seen_
  std::map<ProposalKey, FinalOutcome> final_outcomes_;           // over all nodes
  std::set<ProposalKey> known_issues_;
  std::optional<ProposalKey> last_proposal_;  // the proposal checked last (failure details)
};

absl::Status FinalOutcomes::Check(SimWorld& w) {
  if (final_seen_.empty()) {
    final_seen_.resize(w.node_count());
    final_seen_crashes_.resize(w.node_count(), 0);
  }
  for (int i = 0; i < w.node_count(); ++i) {
    if (!w.node(i).up()) continue;
    absl::Status s = CheckNode(w, i);
    if (s.ok()) continue;
    // Name the stances on every node (the one that saw it final first is in the message).
    std::string detail;
    for (int other = 0; other < w.node_count() && last_proposal_; ++other) {
      if (!w.node(other).up()) continue;
      std::vector<core::EventId> all;
      for (int n = 0; n < w.node_count(); ++n) {
        if (!w.node(n).up()) continue;
        for (const core::EventId& id :
             StanceIds(w.node(n), last_proposal_->first, last_proposal_->second)) {
          all.push_back(id);
        }
      }
      detail += "\n    " +
                DescribeStances(w.node(other), last_proposal_->first, last_proposal_->second, all);
    }
    return absl::InternalError(absl::StrFormat("%s%s", std::string(s.message()), detail));
  }
  return absl::OkStatus();
}

absl::Status FinalOutcomes::CheckNode(SimWorld& w, int i) {
  // A node restored from an old backup shows what its old store knew; it is not checked.
  if (!w.honest(i)) return absl::OkStatus();
  const SimNode& node = w.node(i);
  std::map<ProposalKey, FinalOutcome>& seen = final_seen_[i];
  // The node crashed: what it showed final may be unknown to it since the restart.
  if (final_seen_crashes_[i] != w.crash_count(i)) {
    seen.clear();
    final_seen_crashes_[i] = w.crash_count(i);
  }
  for (const auto& [group_id, group] : node.state().groups()) {
    for (const auto& [proposal_id, p] : Governance(group->state()).proposals()) {
      const core::ProposalOutcome& o = p.outcome;
      const ProposalKey key{group_id, proposal_id};
      if (!o.final || known_issues_.contains(key)) continue;
      last_proposal_ = key;
      const FinalOutcome now{o.outcome, o.close, o.tally, i, ViewOf(*group)};
      auto [global, first] = final_outcomes_.emplace(key, now);
      if (!first && !(global->second == now)) {
        absl::Status violation = absl::InternalError(absl::StrFormat(
            "invariant 4 (final outcomes agree): proposal %s of group %s is final on node %d as "
            "[%s] but was final on node %d as [%s]",
            proposal_id.ShortHex(), group_id.ShortHex(), i,
            DescribeOutcome(now.outcome, now.close, now.tally), global->second.first_node,
            DescribeOutcome(global->second.outcome, global->second.close, global->second.tally)));
        const SimNode& other = w.node(global->second.first_node);
        std::optional<KnownIssueKind> kind =
            FreezeChangedTheRoster(global->second.view, now.view)
                ? std::optional(KnownIssueKind::kFreezeChangedFinal)
                : Classify(w, {&node, other.up() ? &other : nullptr}, key);
        if (!kind) return violation;
        CONSTELLATION_RETURN_IF_ERROR(KnownIssue(w, *kind, key, std::move(violation)));
        continue;
      }
      auto [mine, new_here] = seen.emplace(key, now);
      if (!new_here && !(mine->second == now)) {
        absl::Status violation = absl::InternalError(absl::StrFormat(
            "invariant 4 (a final outcome never changes): proposal %s of group %s was final on "
            "node %d as [%s] and is now final as [%s]",
            proposal_id.ShortHex(), group_id.ShortHex(), i,
            DescribeOutcome(mine->second.outcome, mine->second.close, mine->second.tally),
            DescribeOutcome(now.outcome, now.close, now.tally)));
        std::optional<KnownIssueKind> kind =
            FreezeChangedTheRoster(mine->second.view, now.view)
                ? std::optional(KnownIssueKind::kFreezeChangedFinal)
                : Classify(w, {&node}, key);
        if (!kind) return violation;
        CONSTELLATION_RETURN_IF_ERROR(KnownIssue(w, *kind, key, std::move(violation)));
      }
    }
  }
  // What this node showed final (since its last crash) must still be final.
  for (const auto& [key, was] : seen) {
    if (known_issues_.contains(key)) continue;
    last_proposal_ = key;
    const core::Group* group = node.state().FindGroup(key.first);
    const core::ProposalState* p = nullptr;
    if (group != nullptr) {
      auto it = Governance(group->state()).proposals().find(key.second);
      if (it != Governance(group->state()).proposals().end()) p = &it->second;
    }
    if (p == nullptr || !p->outcome.final) {
      absl::Status violation = absl::InternalError(absl::StrFormat(
          "invariant 4 (a final outcome never changes): proposal %s of group %s was final on "
          "node %d as [%s] and is now %s there",
          key.second.ShortHex(), key.first.ShortHex(), i,
          DescribeOutcome(was.outcome, was.close, was.tally),
          p == nullptr
              ? "without effect: " + group->NoEffectReason(key.second).value_or("?")
              : "not final: [" +
                    DescribeOutcome(p->outcome.outcome, p->outcome.close, p->outcome.tally) + "]"));
      std::optional<KnownIssueKind> kind;
      if (ExplainedByFreeze(w, node, key) ||
          (group != nullptr && FreezeChangedTheRoster(was.view, ViewOf(*group)))) {
        kind = KnownIssueKind::kFreezeChangedFinal;
      } else if (p == nullptr && group != nullptr &&
                 group->NoEffectReason(key.second).value_or("").find("expelled") !=
                     std::string::npos) {
        // The proposer's expulsion voided its concurrent records retroactively (DESIGN §3),
        // this proposal among them.
        kind = KnownIssueKind::kFinalProposalLostEffect;
      } else if (p != nullptr) {
        kind = Classify(w, {&node}, key);
      }
      if (!kind) return violation;
      CONSTELLATION_RETURN_IF_ERROR(KnownIssue(w, *kind, key, std::move(violation)));
    }
  }
  return absl::OkStatus();
}

bool FinalOutcomes::ExplainedByRemovalCut(const SimNode& node, const ProposalKey& key) {
  const core::Group* group = node.state().FindGroup(key.first);
  if (group == nullptr) return false;
  const core::GroupState& state = group->state();
  auto p = Governance(state).proposals().find(key.second);
  if (p == Governance(state).proposals().end()) return false;
  for (const auto& [x, cut] : state.removal_cuts()) {
    if (p->second.electorate.contains(cut.member)) return true;
  }
  return false;
}

std::optional<KnownIssueKind> FinalOutcomes::Classify(SimWorld& w,
                                                      const std::vector<const SimNode*>& views,
                                                      const ProposalKey& key) const {
  for (const SimNode* view : views) {
    if (view != nullptr && ExplainedByFreeze(w, *view, key)) {
      return KnownIssueKind::kFreezeChangedFinal;
    }
  }
  for (const SimNode* view : views) {
    if (view != nullptr && ExplainedByRemovalCut(*view, key)) {
      return KnownIssueKind::kCutChangedFinalTally;
    }
  }
  // Electorates are fixed by the proposal's causal past (GovernanceLedger::IsMemberInPast), so
  // a difference not explained by a removal cut or a freeze is a bug.
  return std::nullopt;
}

bool FinalOutcomes::ExplainedByFreeze(SimWorld& w, const SimNode& node, const ProposalKey& key) {
  const core::Group* group = node.state().FindGroup(key.first);
  if (group == nullptr) return false;
  const auto& proposals = Governance(group->state()).proposals();
  auto p = proposals.find(key.second);
  if (p != proposals.end()) {
    for (int i = 0; i < w.node_count(); ++i) {
      const core::OrgKey& org = w.node(i).org();
      if (!w.honest(i) && (p->second.proposer == org || p->second.electorate.contains(org))) {
        return true;
      }
    }
  }
  for (const auto& [author, record] : group->forks()) {
    if (p == proposals.end() || p->second.proposer == author ||
        p->second.electorate.contains(author)) {
      return true;
    }
  }
  return false;
}

absl::Status FinalOutcomes::KnownIssue(SimWorld& w, KnownIssueKind kind, const ProposalKey& key,
                                       absl::Status violation) {
  const std::string_view label = kKnownIssueLabels[static_cast<int>(kind)];
  if (w.strict() && kind != KnownIssueKind::kFreezeChangedFinal) {
    return absl::InternalError(
        absl::StrFormat("%s [known issue %s]", std::string(violation.message()), label));
  }
  if (known_issues_.insert(key).second) ++w.mutable_stats().known_issues[std::string(label)];
  return absl::OkStatus();
}

// ---- Invariant 5: settled proposals are final ----

bool Concerned(const core::ProposalState& p, const core::OrgKey& org) {
  if (p.proposer == org) return true;
  auto voter = p.electorate.find(org);
  return voter != p.electorate.end() && voter->second.decides;
}

// Whether node `holder` has events of `g` waiting in pending in a fork run: once settled,
// they wait for the forked author's other branch, which that node will never hold (the
// Simulator's Converged() allows exactly that).
bool BlockedByOtherBranch(SimWorld& w, int holder, const core::GroupId& g) {
  const core::PendingBuffer* pending = w.node(holder).state().FindPending(g);
  return w.mutable_stats().forked_node.has_value() && pending != nullptr && !pending->empty();
}

// Known issue F for proposal `p` and the concerned node i (a settled run): node i lacks `p`
// (it holds p's proposer's chain only below p) because its chain is blocked by the other
// branch, or the reference view lacks node i's events past some seq for the same reason (so
// it never sees i's stances or acknowledgement).
bool BeyondOtherBranch(SimWorld& w, int i, const core::GroupId& g, const core::ProposalState& p) {
  if (!w.honest(i)) return false;
  const core::Group* own = w.node(i).state().FindGroup(g);
  const core::Group* reference = w.ReferenceView(g);
  if (own == nullptr || reference == nullptr) return false;
  if (own->dag().ChainLength(p.proposer) < p.proposer_seq && BlockedByOtherBranch(w, i, g)) {
    return true;
  }
  const core::OrgKey& org = w.node(i).org();
  if (reference->dag().ChainLength(org) >= own->dag().ChainLength(org)) return false;
  for (int holder = 0; holder < w.node_count(); ++holder) {
    if (w.node(holder).state().FindGroup(g) == reference) return BlockedByOtherBranch(w, holder, g);
  }
  return false;
}

absl::Status CheckSettledProposalsFinal(SimWorld& w) {
  // Every served node holds the same state now (the Simulator checked that it converged):
  // check the reference view.
  for (const core::GroupId& g : w.groups()) {
    const core::Group* group = w.ReferenceView(g);
    if (group == nullptr) continue;
    const core::GroupState& state = group->state();
    for (const auto& [id, p] : Governance(state).proposals()) {
      if (p.outcome.final) {
        ++w.mutable_stats().final_proposals;
        continue;
      }
      bool all_active = true;
      bool beyond_other_branch = false;
      for (int i = 0; i < w.node_count(); ++i) {
        const core::OrgKey& org = w.node(i).org();
        if (!Concerned(p, org)) continue;
        auto m = state.roster().members().find(org);
        all_active = all_active && m != state.roster().members().end() &&
                     m->second.status == core::MemberStatus::kActive && w.honest(i) &&
                     !group->FrozenFrom(org).has_value();
        beyond_other_branch = beyond_other_branch || BeyondOtherBranch(w, i, g, p);
      }
      if (all_active && beyond_other_branch) {
        const std::string_view label =
            kKnownIssueLabels[static_cast<int>(KnownIssueKind::kProposalBeyondOtherBranch)];
        ++w.mutable_stats().known_issues[std::string(label)];
        continue;
      }
      if (all_active) {
        return absl::InternalError(absl::StrFormat(
            "liveness: proposal %s of group %s is not final after settling, though its proposer "
            "and deciding voters are active members: [%s]",
            id.ShortHex(), g.ShortHex(),
            DescribeOutcome(p.outcome.outcome, p.outcome.close, p.outcome.tally)));
      }
    }
  }
  return absl::OkStatus();
}

// "A proposal keeps the rule it was fixed with": the rule every honest node shows for a
// proposal never changes and is the same on every node. Groups in which a node knows a fork
// are left out: freezing a forked author changes which of its stances count (known issue D),
// and with them which amendment is final in a proposal's past.
class FixedRules {
 public:
  absl::Status Check(SimWorld& w) {
    for (int i = 0; i < w.node_count(); ++i) {
      if (!w.node(i).up() || !w.honest(i)) continue;
      for (const auto& [group_id, group] : w.node(i).state().groups()) {
        if (!group->forks().empty()) forked_.insert(group_id);
        if (forked_.contains(group_id)) continue;
        for (const auto& [id, p] : Governance(group->state()).proposals()) {
          auto [seen, first] = rules_.emplace(std::make_pair(group_id, id),
                                              std::make_pair(p.rule.SerializeAsString(), i));
          if (!first && seen->second.first != p.rule.SerializeAsString()) {
            return absl::InternalError(absl::StrFormat(
                "a proposal keeps the rule it was fixed with: proposal %s of group %s has rule "
                "{%s} on node %d, but node %d showed it with another rule",
                id.ShortHex(), group_id.ShortHex(), p.rule.ShortDebugString(), i,
                seen->second.second));
          }
        }
      }
    }
    return absl::OkStatus();
  }

 private:
  std::map<std::pair<core::GroupId, core::EventId>, std::pair<std::string, int>> rules_;
  std::set<core::GroupId> forked_;
};

// "A dissolved group stays dissolved", on every honest node since its last crash.
class DissolutionsStay {
 public:
  absl::Status Check(SimWorld& w) {
    if (seen_.empty()) {
      seen_.resize(w.node_count());
      crashes_.resize(w.node_count(), 0);
    }
    for (int i = 0; i < w.node_count(); ++i) {
      if (!w.node(i).up() || !w.honest(i)) continue;
      if (crashes_[i] != w.crash_count(i)) {
        seen_[i].clear();
        crashes_[i] = w.crash_count(i);
      }
      for (const auto& [group_id, group] : w.node(i).state().groups()) {
        if (!group->forks().empty()) continue;  // a freeze may undo finality (known issue D)
        const bool dissolved = Governance(group->state()).DissolvedBy().has_value();
        if (dissolved) {
          seen_[i].insert(group_id);
        } else if (seen_[i].contains(group_id)) {
          return absl::InternalError(absl::StrFormat(
              "a dissolved group stays dissolved: node %d showed group %s dissolved and now "
              "does not",
              i, group_id.ShortHex()));
        }
      }
    }
    return absl::OkStatus();
  }

 private:
  std::vector<std::set<core::GroupId>> seen_;
  std::vector<uint64_t> crashes_;
};

// "The current charter is the latest passed amendment", once settled.
absl::Status CheckCurrentCharter(SimWorld& w) {
  for (const core::GroupId& g : w.groups()) {
    const core::Group* group = w.ReferenceView(g);
    if (group == nullptr) continue;
    const core::GroupState& state = group->state();
    std::optional<std::pair<core::Hlc, core::EventId>> latest;
    for (const auto& [id, p] : Governance(state).proposals()) {
      if (p.type() != v1::DECISION_TYPE_AMEND_CHARTER || !p.outcome.final ||
          p.outcome.outcome != core::DecisionOutcome::kPassed) {
        continue;
      }
      const std::pair<core::Hlc, core::EventId> key{p.hlc, id};
      if (!latest || *latest < key) latest = key;
    }
    std::optional<core::EventId> amended_by;
    const v1::Charter& current = Governance(state).CurrentCharter(state, &amended_by);
    const std::optional<core::EventId> want =
        latest ? std::optional(latest->second) : std::nullopt;
    if (amended_by != want) {
      return absl::InternalError(absl::StrFormat(
          "the current charter is the latest passed amendment: group %s shows the charter of "
          "%s, but the latest final, passed AMEND_CHARTER proposal is %s",
          g.ShortHex(), amended_by ? amended_by->ShortHex() : "the genesis",
          want ? want->ShortHex() : "none"));
    }
    if (want) {
      const std::string expected =
          Governance(state).proposals().at(*want).proposal.charter().SerializeAsString();
      if (current.SerializeAsString() != expected) {
        return absl::InternalError(absl::StrFormat(
            "the current charter of group %s is not the payload of amendment %s", g.ShortHex(),
            want->ShortHex()));
      }
    }
    const std::optional<core::EventId> dissolved_by = Governance(state).DissolvedBy();
    // A node that forgot a fork (a crash before it stored the proof) folds the forked author's
    // events until the proof reaches it again: nodes may then disagree (known issue D).
    if (!group->forks().empty()) continue;
    // Judged again at the end (a function of each record's causal past, so the same as when
    // it was folded): no record with effect that does not settle the group had seen it
    // dissolved.
    absl::Status unsettling = absl::OkStatus();
    if (dissolved_by.has_value()) {
      group->ForEachInOrder(0, [&](uint64_t, const core::VerifiedEvent& e) {
        if (e.is_genesis() || core::SettlesDissolvedGroup(e.event) ||
            group->NoEffectReason(e.id).has_value()) {
          return true;
        }
        if (std::optional<core::EventId> d = Governance(state).DissolvedInPast(e, state)) {
          unsettling = absl::InternalError(absl::StrFormat(
              "no record has effect in a dissolved group unless it settles it: %s %s of group "
              "%s took effect though dissolution %s was final and passed in its past",
              std::string(core::RecordName(e.event.body_case())), e.id.ShortHex(), g.ShortHex(),
              d->ShortHex()));
          return false;
        }
        return true;
      });
      CONSTELLATION_RETURN_IF_ERROR(unsettling);
    }
    for (int i = 0; i < w.node_count(); ++i) {
      if (!w.node(i).up() || !w.honest(i) || !w.MustConverge(i, g)) continue;
      const core::Group* mine = w.node(i).state().FindGroup(g);
      if (mine == nullptr || !mine->forks().empty()) continue;
      std::optional<core::EventId> theirs;
      Governance(mine->state()).CurrentCharter(mine->state(), &theirs);
      if (theirs != amended_by) {
        return absl::InternalError(absl::StrFormat(
            "the current charter agrees: node %d shows group %s amended by %s, the reference "
            "view by %s",
            i, g.ShortHex(), theirs ? theirs->ShortHex() : "none",
            amended_by ? amended_by->ShortHex() : "none"));
      }
      const std::optional<core::EventId> their_dissolution = Governance(mine->state()).DissolvedBy();
      if (their_dissolution != dissolved_by) {
        return absl::InternalError(absl::StrFormat(
            "dissolution agrees: node %d shows group %s dissolved by %s, the reference view by %s",
            i, g.ShortHex(), their_dissolution ? their_dissolution->ShortHex() : "none",
            dissolved_by ? dissolved_by->ShortHex() : "none"));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

SimDomain GovernanceDomain() {
  using When = SimInvariant::When;
  auto final_outcomes = std::make_shared<FinalOutcomes>();
  auto fixed_rules = std::make_shared<FixedRules>();
  auto dissolutions = std::make_shared<DissolutionsStay>();
  return SimDomain{
      .name = "governance",
      .actions =
          {
              MemberAction("take a stance", kStanceWeight, TakeStance),
              MemberAction("close own proposal", kCloseWeight, CloseOwnProposal),
              MemberAction("propose a decision", kProposeWeight, Propose),
              MemberAction("propose a charter amendment", kAmendWeight,
                           ProposeCharterAmendment),
              MemberAction("propose dissolving the group", kDissolveWeight, ProposeDissolution),
              MemberAction("stance on an unknown proposal", kRefusedWeight,
                           StanceOnUnknownProposal),
          },
      .react = Acknowledge,
      .invariants =
          {
              {.name = "a final outcome never changes",
               .when = When::kEveryStep,
               .check = [final_outcomes](SimWorld& w) { return final_outcomes->Check(w); }},
              {.name = "settled proposals are final",
               .when = When::kSettled,
               .check = CheckSettledProposalsFinal},
              {.name = "a proposal keeps the rule it was fixed with",
               .when = When::kEveryStep,
               .check = [fixed_rules](SimWorld& w) { return fixed_rules->Check(w); }},
              {.name = "the current charter is the latest passed amendment",
               .when = When::kSettled,
               .check = CheckCurrentCharter},
              {.name = "a dissolved group stays dissolved",
               .when = When::kEveryStep,
               .check = [dissolutions](SimWorld& w) { return dissolutions->Check(w); }},
          },
      .known_issues = {std::begin(kKnownIssueLabels), std::end(kKnownIssueLabels)},
  };
}

}  // namespace constellation::sim
