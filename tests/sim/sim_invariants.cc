#include "tests/sim/sim_invariants.h"

#include <string>

#include <absl/strings/str_format.h>

#include "server/base/status_macros.h"
#include "server/core/group.h"
#include "server/core/governance/governance_ledger.h"
#include "tests/testing/event_factory.h"

namespace constellation::sim {
namespace {

using ::constellation::testing::HashHex;

// The frozen authors of a group with their fork seqs.
std::map<core::OrgKey, uint64_t> Freezes(const core::Group& g) {
  std::map<core::OrgKey, uint64_t> freezes;
  for (const auto& [author, record] : g.forks()) freezes.emplace(author, record.seq);
  return freezes;
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

}  // namespace

std::string DescribeOutcome(core::DecisionOutcome outcome, const core::ClosePoint& close,
                            const core::Tally& tally) {
  return absl::StrFormat(
      "%s closed at (%d, %d) by %s; eligible %d, cast %d, agree %d, abstain %d, disagree %d, "
      "block %d",
      std::string(core::DecisionOutcomeName(outcome)), close.hlc.wall_ms, close.hlc.logical,
      std::string(core::CloseReasonName(close.reason)), tally.eligible_weight, tally.stance_weight,
      tally.agree_weight, tally.abstain_weight, tally.disagree_weight, tally.block_weight);
}

absl::Status InvariantChecker::RecordAcknowledged(int node, const core::VerifiedEvent& e) {
  auto [it, inserted] = acknowledged_[node][e.group].emplace(e.seq, e.id);
  if (!inserted && it->second != e.id && honest_[node]) {
    return absl::InternalError(absl::StrFormat(
        "invariant 1 (no honest fork): node %d acknowledged two own events at seq %d of group "
        "%s: %s and %s",
        node, e.seq, e.group.ShortHex(), it->second.ShortHex(), e.id.ShortHex()));
  }
  return absl::OkStatus();
}

absl::Status InvariantChecker::Check(const std::vector<const SimNode*>& nodes) {
  std::map<core::OrgKey, int> node_of_org;
  for (const SimNode* node : nodes) node_of_org.emplace(node->org(), node->index());
  for (const SimNode* node : nodes) {
    if (!node->up()) continue;
    if (absl::Status s = CheckNoHonestFork(*node, node_of_org); !s.ok()) return s;
    if (absl::Status s = CheckAcknowledgedHeld(*node); !s.ok()) return s;
    if (absl::Status s = CheckFinalOutcomes(*node, nodes); !s.ok()) {
      // Name the stances on both nodes (the one that saw it final first is in the message).
      std::string detail;
      for (const SimNode* other : nodes) {
        if (!other->up() || !last_proposal_) continue;
        std::vector<core::EventId> all;
        for (const SimNode* n : nodes) {
          if (!n->up()) continue;
          for (const core::EventId& id :
               StanceIds(*n, last_proposal_->first, last_proposal_->second)) {
            all.push_back(id);
          }
        }
        detail +=
            "\n    " + DescribeStances(*other, last_proposal_->first, last_proposal_->second, all);
      }
      return absl::InternalError(absl::StrFormat("%s%s", std::string(s.message()), detail));
    }
  }
  for (size_t a = 0; a < nodes.size(); ++a) {
    if (!nodes[a]->up()) continue;
    for (size_t b = a + 1; b < nodes.size(); ++b) {
      if (!nodes[b]->up()) continue;
      if (absl::Status s = CheckEqualStates(*nodes[a], *nodes[b]); !s.ok()) return s;
    }
  }
  return absl::OkStatus();
}

absl::Status InvariantChecker::CheckNoHonestFork(
    const SimNode& node, const std::map<core::OrgKey, int>& node_of_org) const {
  for (const auto& [group_id, group] : node.state().groups()) {
    for (const auto& [author, record] : group->forks()) {
      auto author_node = node_of_org.find(author);
      if (author_node == node_of_org.end() || !honest_[author_node->second]) continue;
      return absl::InternalError(absl::StrFormat(
          "invariant 1 (no honest fork): node %d holds a fork proof of honest node %d in group "
          "%s at seq %d (events %s and %s)",
          node.index(), author_node->second, group_id.ShortHex(), record.seq,
          record.first.ShortHex(), record.second.ShortHex()));
    }
  }
  return absl::OkStatus();
}

absl::Status InvariantChecker::CheckAcknowledgedHeld(const SimNode& node) const {
  if (!honest_[node.index()]) return absl::OkStatus();
  for (const auto& [group_id, writes] : acknowledged_[node.index()]) {
    const core::Group* group = node.state().FindGroup(group_id);
    for (const auto& [seq, id] : writes) {
      if (group == nullptr || group->Find(id) == nullptr) {
        return absl::InternalError(absl::StrFormat(
            "invariant 3 (acknowledged writes are never lost): node %d acknowledged its event %s "
            "(seq %d of group %s) but no longer holds it%s",
            node.index(), id.ShortHex(), seq, group_id.ShortHex(),
            group == nullptr ? " (nor the group)" : ""));
      }
    }
  }
  return absl::OkStatus();
}

bool InvariantChecker::ExplainedByRemovalCut(const SimNode& node, const ProposalKey& key) const {
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

std::optional<InvariantChecker::KnownIssueKind> InvariantChecker::Classify(
    const std::vector<const SimNode*>& views, const ProposalKey& key) const {
  for (const SimNode* view : views) {
    if (view != nullptr && ExplainedByFreeze(*view, key))
      return KnownIssueKind::kFreezeChangedFinal;
  }
  for (const SimNode* view : views) {
    if (view != nullptr && ExplainedByRemovalCut(*view, key)) {
      return KnownIssueKind::kCutChangedFinalTally;
    }
  }
  // Electorates are fixed by the proposal's causal past (GroupState::IsMemberInCausalPast), so
  // a difference not explained by a removal cut or a freeze is a bug.
  return std::nullopt;
}

bool InvariantChecker::ExplainedByFreeze(const SimNode& node, const ProposalKey& key) const {
  const core::Group* group = node.state().FindGroup(key.first);
  if (group == nullptr) return false;
  auto p = Governance(group->state()).proposals().find(key.second);
  if (p != Governance(group->state()).proposals().end()) {
    for (const core::OrgKey& org : dishonest_orgs_) {
      if (p->second.proposer == org || p->second.electorate.contains(org)) return true;
    }
  }
  for (const auto& [author, record] : group->forks()) {
    if (p == Governance(group->state()).proposals().end() || p->second.proposer == author ||
        p->second.electorate.contains(author)) {
      return true;
    }
  }
  return false;
}

absl::Status InvariantChecker::KnownIssue(KnownIssueKind kind, const ProposalKey& key,
                                          absl::Status violation) {
  if (strict_ && kind != KnownIssueKind::kFreezeChangedFinal) {
    static constexpr const char* kNames[] = {"A", "B", "D"};
    return absl::InternalError(absl::StrFormat(
        "%s [known issue %s]", std::string(violation.message()), kNames[static_cast<int>(kind)]));
  }
  known_issues_[key] = kind;
  return absl::OkStatus();
}

absl::Status InvariantChecker::CheckFinalOutcomes(const SimNode& node,
                                                  const std::vector<const SimNode*>& nodes) {
  // A node restored from an old backup shows what its old store knew; it is not checked.
  if (!honest_[node.index()]) return absl::OkStatus();
  std::map<ProposalKey, FinalOutcome>& seen = final_seen_[node.index()];
  for (const auto& [group_id, group] : node.state().groups()) {
    for (const auto& [proposal_id, p] : Governance(group->state()).proposals()) {
      const core::ProposalOutcome& o = p.outcome;
      const ProposalKey key{group_id, proposal_id};
      if (!o.final || known_issues_.contains(key)) continue;
      last_proposal_ = key;
      const FinalOutcome now{o.outcome, o.close, o.tally, node.index()};
      auto [global, first] = final_outcomes_.emplace(key, now);
      if (!first && !(global->second == now)) {
        absl::Status violation = absl::InternalError(absl::StrFormat(
            "invariant 4 (final outcomes agree): proposal %s of group %s is final on node %d as "
            "[%s] but was final on node %d as [%s]",
            proposal_id.ShortHex(), group_id.ShortHex(), node.index(),
            DescribeOutcome(now.outcome, now.close, now.tally), global->second.first_node,
            DescribeOutcome(global->second.outcome, global->second.close, global->second.tally)));
        const SimNode* other = nodes[global->second.first_node];
        std::optional<KnownIssueKind> kind =
            Classify({&node, other->up() ? other : nullptr}, key);
        if (!kind) return violation;
        CONSTELLATION_RETURN_IF_ERROR(KnownIssue(*kind, key, std::move(violation)));
        continue;
      }
      auto [mine, new_here] = seen.emplace(key, now);
      if (!new_here && !(mine->second == now)) {
        absl::Status violation = absl::InternalError(absl::StrFormat(
            "invariant 4 (a final outcome never changes): proposal %s of group %s was final on "
            "node %d as [%s] and is now final as [%s]",
            proposal_id.ShortHex(), group_id.ShortHex(), node.index(),
            DescribeOutcome(mine->second.outcome, mine->second.close, mine->second.tally),
            DescribeOutcome(now.outcome, now.close, now.tally)));
        std::optional<KnownIssueKind> kind = Classify({&node}, key);
        if (!kind) return violation;
        CONSTELLATION_RETURN_IF_ERROR(KnownIssue(*kind, key, std::move(violation)));
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
          key.second.ShortHex(), key.first.ShortHex(), node.index(),
          DescribeOutcome(was.outcome, was.close, was.tally),
          p == nullptr
              ? "without effect: " + group->NoEffectReason(key.second).value_or("?")
              : "not final: [" +
                    DescribeOutcome(p->outcome.outcome, p->outcome.close, p->outcome.tally) + "]"));
      std::optional<KnownIssueKind> kind;
      if (ExplainedByFreeze(node, key)) {
        kind = KnownIssueKind::kFreezeChangedFinal;
      } else if (p == nullptr && group != nullptr &&
                 group->NoEffectReason(key.second).value_or("").find("expelled") !=
                     std::string::npos) {
        // The proposer's expulsion voided its concurrent records retroactively (DESIGN §3),
        // this proposal among them.
        kind = KnownIssueKind::kFinalProposalLostEffect;
      } else if (p != nullptr) {
        kind = Classify({&node}, key);
      }
      if (!kind) return violation;
      CONSTELLATION_RETURN_IF_ERROR(KnownIssue(*kind, key, std::move(violation)));
    }
  }
  return absl::OkStatus();
}

absl::Status InvariantChecker::CheckEqualStates(const SimNode& a, const SimNode& b) {
  for (const auto& [group_id, ga] : a.state().groups()) {
    const core::Group* gb = b.state().FindGroup(group_id);
    if (gb == nullptr) continue;
    if (ga->Frontier().SerializeAsString() != gb->Frontier().SerializeAsString()) continue;
    if (Freezes(*ga) != Freezes(*gb)) continue;
    if (ga->StateHash() != gb->StateHash()) {
      return absl::InternalError(absl::StrFormat(
          "invariant 2 (same events, same state): nodes %d and %d hold the same frontier of "
          "group %s (%d events) but their state hashes differ: %s vs %s",
          a.index(), b.index(), group_id.ShortHex(), ga->size(), HashHex(ga->StateHash()),
          HashHex(gb->StateHash())));
    }
  }
  return absl::OkStatus();
}

}  // namespace constellation::sim
