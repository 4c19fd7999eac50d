#include "server/rpc/views.h"
#include "server/core/governance/governance_ledger.h"
#include "server/core/fundraising/fundraising_ledger.h"

#include <map>

#include <absl/strings/str_format.h>

namespace constellation::rpc {

absl::StatusOr<core::EventId> ParseEventId(const std::string& bytes, std::string_view field) {
  if (bytes.empty()) {
    return absl::InvalidArgumentError(absl::StrFormat("%s is required", std::string(field)));
  }
  return core::EventId::FromBytes(bytes, field);
}

absl::StatusOr<core::GroupId> ParseGroupId(const std::string& bytes, std::string_view field) {
  if (bytes.empty()) {
    return absl::InvalidArgumentError(absl::StrFormat("%s is required", std::string(field)));
  }
  return core::GroupId::FromBytes(bytes, field);
}

v1::EventRef ToEventRef(const core::VerifiedEvent& e) {
  v1::EventRef ref;
  ref.set_event_id(e.id.Bytes());
  ref.set_group_id(e.group.Bytes());
  ref.set_author(e.author.Bytes());
  ref.set_seq(e.seq);
  *ref.mutable_hlc() = e.hlc.ToProto();
  return ref;
}

v1::MemberView ToMemberView(const core::Group& group, const core::MemberState& m,
                            uint64_t as_of_ms) {
  v1::MemberView v;
  v.set_key(m.key.Bytes());
  *v.mutable_profile() = m.profile;
  v.set_status(std::string(core::MemberStatusName(core::DeriveMemberStatus(m, as_of_ms))));
  v.set_last_seq(group.dag().ChainLength(m.key));
  v.set_notice_effective_ms(m.notice_effective_ms);
  v.set_frozen(group.FrozenFrom(m.key).has_value());
  return v;
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

v1::GroupView ToGroupView(const core::Group& group, uint64_t as_of_ms) {
  const core::GroupState& s = group.state();
  v1::GroupView v;
  v.set_group_id(group.id().Bytes());
  *v.mutable_charter() = s.roster().charter();
  v.set_founder(s.roster().founder().Bytes());
  for (const auto& [key, m] : s.roster().members()) *v.add_members() = ToMemberView(group, m, as_of_ms);
  v.set_event_count(s.event_count());
  const auto hash = group.StateHash();  // includes forks' freeze (PROTOCOL.md §4)
  v.set_state_hash(std::string(reinterpret_cast<const char*>(hash.data()), hash.size()));
  *v.mutable_last_hlc() = s.last_hlc().ToProto();
  return v;
}

v1::CampaignView ToCampaignView(const core::GroupState& state, const core::CampaignState& c) {
  v1::CampaignView v;
  v.set_campaign_id(c.id.Bytes());
  v.set_group_id(state.group().Bytes());
  v.set_opened_by(c.opened_by.Bytes());
  *v.mutable_campaign() = c.campaign;
  v.set_fiscal_host(c.fiscal_host.Bytes());
  const core::CampaignTotals t = Fundraising(state).Totals(c);
  v.set_pledge_count(t.pledge_count);
  v.set_pledged_minor(t.pledged_minor);
  v.set_received_minor(t.received_minor);
  v.set_outstanding_minor(t.outstanding_minor);
  v.set_conditional_minor(t.conditional_minor);
  *v.mutable_opened_hlc() = c.opened_hlc.ToProto();
  return v;
}

namespace {

v1::PledgeStatus ToProtoStatus(core::PledgeStatus s) {
  switch (s) {
    case core::PledgeStatus::kPending:
      return v1::PLEDGE_STATUS_PENDING;
    case core::PledgeStatus::kInProgress:
      return v1::PLEDGE_STATUS_IN_PROGRESS;
    case core::PledgeStatus::kOverdue:
      return v1::PLEDGE_STATUS_OVERDUE;
    case core::PledgeStatus::kCompleted:
      return v1::PLEDGE_STATUS_COMPLETED;
    case core::PledgeStatus::kCancelled:
      return v1::PLEDGE_STATUS_CANCELLED;
    case core::PledgeStatus::kConditional:
      return v1::PLEDGE_STATUS_CONDITIONAL;
  }
  return v1::PLEDGE_STATUS_UNSPECIFIED;
}

}  // namespace

v1::PledgeView ToPledgeView(const core::GroupState& state, const core::PledgeState& p,
                            uint64_t as_of_ms) {
  v1::PledgeView v;
  v.set_pledge_id(p.id.Bytes());
  v.set_group_id(state.group().Bytes());
  v.set_campaign_id(p.campaign.Bytes());
  v.set_pledger(p.pledger.Bytes());
  *v.mutable_terms() = p.terms;
  v.set_version(p.version);
  const uint64_t deadline_ms = Fundraising(state).campaigns().at(p.campaign).campaign.deadline_ms();
  v.set_status(ToProtoStatus(core::DerivePledgeStatus(p, deadline_ms, as_of_ms)));
  v.set_received_minor(p.received_minor);
  v.set_written_off_minor(p.written_off_minor);
  v.set_outstanding_minor(p.outstanding_minor());
  *v.mutable_created_hlc() = p.created_hlc.ToProto();
  *v.mutable_updated_hlc() = p.updated_hlc.ToProto();
  v.set_cancel_reason(p.cancel_reason);
  return v;
}

v1::PledgeVersion ToPledgeVersion(const core::PledgeEntry& entry) {
  v1::PledgeVersion v;
  v.set_version(entry.version);
  v.set_event_id(entry.event.Bytes());
  v.set_author(entry.author.Bytes());
  *v.mutable_hlc() = entry.hlc.ToProto();
  v.set_kind(std::string(core::PledgeEntryKindName(entry.kind)));
  if (entry.kind == core::PledgeEntryKind::kPledge ||
      entry.kind == core::PledgeEntryKind::kAmendment) {
    *v.mutable_terms() = entry.terms;
  }
  v.set_reason(entry.reason);
  if (entry.kind == core::PledgeEntryKind::kPayment ||
      entry.kind == core::PledgeEntryKind::kWriteOff) {
    *v.mutable_amount() = entry.amount;
  }
  v.set_external_ref(entry.external_ref);
  v.set_received_ms(entry.received_ms);
  return v;
}

}  // namespace constellation::rpc
