#include "server/rpc/group/group_views.h"

#include <absl/strings/str_format.h>

#include "server/base/status_macros.h"
#include "server/core/governance/governance_ledger.h"

namespace constellation::rpc {

v1::MemberView ToMemberView(const core::Group& group, const core::MemberState& m,
                            uint64_t as_of_ms) {
  v1::MemberView v;
  v.set_key(m.key.Bytes());
  *v.mutable_profile() = m.profile;
  v.set_status(std::string(core::MemberStatusName(core::DeriveMemberStatus(m, as_of_ms))));
  v.set_last_seq(group.dag().ChainLength(m.key));
  v.set_notice_effective_ms(m.notice_effective_ms);
  const std::optional<uint64_t> frozen_from = group.FrozenFrom(m.key);
  v.set_frozen(frozen_from.has_value());
  v.set_frozen_from_seq(frozen_from.value_or(0));
  return v;
}

v1::GroupView ToGroupView(const core::Group& group, uint64_t as_of_ms) {
  const core::GroupState& s = group.state();
  v1::GroupView v;
  v.set_group_id(group.id().Bytes());
  // The charter in force (amendments final and passed), with the genesis founder.
  std::optional<core::EventId> amended_by;
  *v.mutable_charter() = core::Governance(s).CurrentCharter(s, &amended_by);
  *v.mutable_charter()->mutable_founder() = s.roster().charter().founder();
  if (amended_by.has_value()) v.set_charter_amended_by(amended_by->Bytes());
  if (std::optional<core::EventId> dissolved_by = core::Governance(s).DissolvedBy()) {
    v.set_dissolved_by(dissolved_by->Bytes());
  }
  v.set_founder(s.roster().founder().Bytes());
  for (const auto& [key, m] : s.roster().members()) {
    *v.add_members() = ToMemberView(group, m, as_of_ms);
  }
  for (const core::ProposalState* p : core::Governance(s).Invitations(s)) {
    v1::InvitationView* invitation = v.add_invitations();
    invitation->set_key(p->target->Bytes());
    *invitation->mutable_profile() = core::AdmittedProfile(p->proposal.admit());
    invitation->set_admitted_by(p->id.Bytes());
    if (const core::VerifiedEvent* final_at = group.Find(*p->outcome.final_at)) {
      invitation->set_admitted_ms(final_at->hlc.wall_ms);
    }
  }
  v.set_event_count(s.event_count());
  const auto hash = group.StateHash();  // includes forks' freeze (PROTOCOL.md §4)
  v.set_state_hash(std::string(reinterpret_cast<const char*>(hash.data()), hash.size()));
  *v.mutable_last_hlc() = s.last_hlc().ToProto();
  return v;
}

absl::StatusOr<v1::GroupView> GroupViewOf(const core::Group& group, const std::string&,
                                          uint64_t as_of_ms) {
  return ToGroupView(group, as_of_ms);
}

absl::StatusOr<v1::MemberView> MemberViewOf(const core::Group& group, const std::string& org_key,
                                            uint64_t as_of_ms) {
  CONSTELLATION_ASSIGN_OR_RETURN(core::OrgKey key, core::OrgKey::FromBytes(org_key, "org key"));
  const core::MemberState* m = group.state().roster().Find(key);
  if (m == nullptr) {
    return absl::NotFoundError(absl::StrFormat("org %s is not a member of group %s", key.ShortHex(),
                                               group.id().ShortHex()));
  }
  v1::MemberView v = ToMemberView(group, *m, as_of_ms);
  for (const core::Obligation& o : group.state().OpenObligations(key)) {
    v1::ObligationView* view = v.add_open_obligations();
    view->set_kind(std::string(core::ObligationKindName(o.kind)));
    view->set_record_id(o.record.Bytes());
    view->set_amount_minor(o.amount_minor);
    view->set_currency(o.currency);
    view->set_due_ms(o.due_ms);
  }
  return v;
}

}  // namespace constellation::rpc
