#include "server/rpc/governance/governance_views.h"

#include <algorithm>
#include <map>
#include <utility>

#include "server/rpc/request.h"

namespace constellation::rpc {

absl::StatusOr<const core::ProposalState*> FindProposal(const core::Group& g,
                                                        const std::string& id_bytes) {
  return FindRecord(core::Governance(g.state()).proposals(), g, "proposal", id_bytes,
                    " ('constellation proposal list' shows them)");
}

std::vector<const core::ProposalState*> ProposalsInOrder(const core::Group& g) {
  std::vector<std::pair<core::OrderKey, const core::ProposalState*>> keyed;
  for (const auto& [id, p] : core::Governance(g.state()).proposals()) {
    keyed.emplace_back(core::OrderKey{g.dag().Find(id)->depth, id}, &p);
  }
  std::sort(keyed.begin(), keyed.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<const core::ProposalState*> out;
  for (const auto& [key, p] : keyed) out.push_back(p);
  return out;
}

v1::ProposalView ToProposalView(const core::Group& group, const core::ProposalState& p,
                                uint64_t as_of_ms) {
  const core::GroupState& s = group.state();
  v1::ProposalView v;
  v.set_proposal_id(p.id.Bytes());
  v.set_group_id(group.id().Bytes());
  v.set_proposer(p.proposer.Bytes());
  *v.mutable_proposal() = p.proposal;
  *v.mutable_hlc() = p.hlc.ToProto();
  *v.mutable_rule() = p.rule;
  v.set_rule_from_charter(p.rule_from_charter);
  v.set_deadline_ms(p.deadline_ms);
  const core::ProposalOutcome o = *core::Governance(s).Outcome(s, p.id, as_of_ms);
  v.set_outcome(std::string(core::DecisionOutcomeName(o.outcome)));
  v.set_closed(o.closed);
  v.set_final(o.final);
  v.set_past_deadline(o.past_deadline);
  if (o.closed) {
    v.set_close_reason(std::string(core::CloseReasonName(o.close.reason)));
    *v.mutable_close_hlc() = o.close.hlc.ToProto();
  }
  v1::TallyView* t = v.mutable_tally();
  t->set_eligible_weight(o.tally.eligible_weight);
  t->set_stance_weight(o.tally.stance_weight);
  t->set_agree_weight(o.tally.agree_weight);
  t->set_abstain_weight(o.tally.abstain_weight);
  t->set_disagree_weight(o.tally.disagree_weight);
  t->set_block_weight(o.tally.block_weight);
  t->set_eligible_count(o.tally.eligible_count);
  t->set_stance_count(o.tally.stance_count);
  t->set_quorum_met(o.tally.quorum_met);
  // Each voter's latest stance by its seq (stances are in canonical order; a later seq of the
  // same author revises).
  std::map<core::OrgKey, const core::CastStance*> latest;
  for (const core::CastStance& c : p.stances) {
    auto [it, inserted] = latest.emplace(c.author, &c);
    if (!inserted && it->second->seq < c.seq) it->second = &c;
  }
  for (const auto& [key, voter] : p.electorate) {
    v1::VoterView* vv = v.add_electorate();
    vv->set_key(key.Bytes());
    auto m = s.roster().members().find(key);
    if (m != s.roster().members().end()) vv->set_name(m->second.profile.name());
    vv->set_weight(voter.weight);
    vv->set_decides(voter.decides);
    auto stance = latest.find(key);
    if (stance != latest.end()) {
      vv->set_stance(stance->second->choice);
      vv->set_reason(stance->second->reason);
      *vv->mutable_stance_hlc() = stance->second->hlc.ToProto();
    } else if (voter.decides && !o.closed && !o.past_deadline) {
      v.add_missing_stances(key.Bytes());
    }
  }
  if (o.final_at.has_value()) v.set_final_at(o.final_at->Bytes());
  v.set_effect_applied(p.effect_applied);
  if (p.acceptance.has_value()) v.set_acceptance(p.acceptance->Bytes());
  return v;
}

absl::StatusOr<v1::ProposalView> ProposalViewOf(const core::Group& group,
                                                const std::string& proposal_id, uint64_t as_of_ms) {
  CONSTELLATION_ASSIGN_OR_RETURN(const core::ProposalState* proposal,
                                 FindProposal(group, proposal_id));
  return ToProposalView(group, *proposal, as_of_ms);
}

}  // namespace constellation::rpc
