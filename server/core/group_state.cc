#include "server/core/group_state.h"

#include <sodium.h>

#include <absl/strings/str_format.h>

#include "server/base/check.h"
#include "server/base/limits.h"
#include "server/base/status_macros.h"
#include "server/core/records.h"

namespace constellation::core {
namespace {

// Incremental SHA-256 over length-prefixed fields: an unambiguous encoding of the state.
class StateHasher {
 public:
  StateHasher() { crypto_hash_sha256_init(&state_); }
  void Bytes(std::string_view b) {
    U64(b.size());
    crypto_hash_sha256_update(&state_, reinterpret_cast<const unsigned char*>(b.data()), b.size());
  }
  void U64(uint64_t v) {
    unsigned char be[8];
    for (int i = 7; i >= 0; --i, v >>= 8) be[i] = static_cast<unsigned char>(v & 0xFF);
    crypto_hash_sha256_update(&state_, be, sizeof be);
  }
  void I64(int64_t v) { U64(static_cast<uint64_t>(v)); }
  template <typename Tag>
  void Id(const Id32<Tag>& id) {
    crypto_hash_sha256_update(&state_, id.data(), Id32<Tag>::kSize);
  }
  std::array<uint8_t, 32> Finish() {
    std::array<uint8_t, 32> out;
    crypto_hash_sha256_final(&state_, out.data());
    return out;
  }

 private:
  crypto_hash_sha256_state state_;
};

PledgeEntry NewEntry(PledgeEntryKind kind, const VerifiedEvent& e, uint32_t version) {
  PledgeEntry entry;
  entry.kind = kind;
  entry.event = e.id;
  entry.author = e.author;
  entry.hlc = e.hlc;
  entry.version = version;
  return entry;
}

absl::StatusOr<EventId> IdField(const std::string& bytes, std::string_view field) {
  return EventId::FromBytes(bytes, field);
}

// Records that decisions and membership read (their checks and effects). A removal cut never
// voids these, so that a fold with cuts finds the same decisions, hence the same cuts.
bool IsGovernance(v1::Event::BodyCase body) {
  switch (body) {
    case v1::Event::kCharter:
    case v1::Event::kCharterAmendment:
    case v1::Event::kMembershipAcceptance:
    case v1::Event::kMembershipNotice:
    case v1::Event::kMembershipWithdrawal:
    case v1::Event::kProposal:
    case v1::Event::kStance:
    case v1::Event::kProposalClose:
    case v1::Event::kAcknowledgement:
    case v1::Event::kForkProof:
      return true;
    default:
      return false;
  }
}

std::string HlcText(const Hlc& hlc) {
  return absl::StrFormat("(%d, %d)", hlc.wall_ms, hlc.logical);
}

uint64_t WeightOf(uint32_t voting_weight) { return voting_weight == 0 ? 1 : voting_weight; }

}  // namespace

GroupState::GroupState(GroupId group, RemovalCuts cuts, const CausalClocks* clocks,
                       FrozenAuthors frozen)
    : group_(group),
      input_cuts_(std::move(cuts)),
      borrowed_clocks_(clocks),
      frozen_(std::move(frozen)) {
  for (const auto& [expulsion, cut] : input_cuts_) {
    input_ranges_[cut.member].push_back(VoidRange{expulsion, cut.kept_seq_max, UINT64_MAX});
  }
}

bool GroupState::NeedsRefold() const {
  for (const auto& [id, cut] : found_cuts_) {
    auto it = input_cuts_.find(id);
    if (it == input_cuts_.end() || !(it->second == cut)) return true;
  }
  return false;
}

MemberStatus DeriveMemberStatus(const MemberState& m, uint64_t as_of_ms) {
  if (m.status == MemberStatus::kNoticeGiven && as_of_ms >= m.notice_effective_ms) {
    return MemberStatus::kWithdrawn;
  }
  return m.status;
}

GroupState FoldWithRemovalCuts(const GroupId& group, const std::function<void(GroupState&)>& replay,
                               const CausalClocks* clocks, const FrozenAuthors& frozen) {
  GroupState state(group, {}, clocks, frozen);
  replay(state);
  // Cuts void only records no decision reads, so the second fold finds the same cuts and this
  // loop runs once. The union and the bound keep it finite should a later record type break
  // that argument (which it must not: docs/PROTOCOL.md §5.7).
  for (int round = 0; round < 4 && state.NeedsRefold(); ++round) {
    RemovalCuts cuts = state.input_cuts();
    for (const auto& [id, cut] : state.removal_cuts()) cuts.emplace(id, cut);
    GroupState next(group, std::move(cuts), clocks, frozen);
    replay(next);
    state = std::move(next);
  }
  return state;
}

std::string_view MemberStatusName(MemberStatus status) {
  switch (status) {
    case MemberStatus::kActive:
      return "active";
    case MemberStatus::kNoticeGiven:
      return "notice_given";
    case MemberStatus::kWithdrawn:
      return "withdrawn";
    case MemberStatus::kExpelled:
      return "expelled";
  }
  return "unknown";
}

std::string_view PledgeEntryKindName(PledgeEntryKind kind) {
  switch (kind) {
    case PledgeEntryKind::kPledge:
      return "pledge";
    case PledgeEntryKind::kAmendment:
      return "amendment";
    case PledgeEntryKind::kCancellation:
      return "cancellation";
    case PledgeEntryKind::kPayment:
      return "payment";
    case PledgeEntryKind::kWriteOff:
      return "write_off";
  }
  return "unknown";
}

std::string_view PledgeStatusName(PledgeStatus status) {
  switch (status) {
    case PledgeStatus::kPending:
      return "pending";
    case PledgeStatus::kInProgress:
      return "in_progress";
    case PledgeStatus::kOverdue:
      return "overdue";
    case PledgeStatus::kCompleted:
      return "completed";
    case PledgeStatus::kCancelled:
      return "cancelled";
    case PledgeStatus::kConditional:
      return "conditional";
  }
  return "unknown";
}

PledgeStatus DerivePledgeStatus(const PledgeState& pledge, uint64_t campaign_deadline_ms,
                                uint64_t as_of_ms) {
  if (pledge.cancelled) return PledgeStatus::kCancelled;
  const int64_t settled = pledge.settled_minor();
  if (settled >= pledge.terms.amount().amount_minor()) return PledgeStatus::kCompleted;
  // Conditional promises are not receivable until the condition is met or waived (DOMAIN.md
  // rule 7); nothing can be overdue before that.
  if (pledge.terms.has_condition()) return PledgeStatus::kConditional;
  int64_t due_by_now = 0;
  if (pledge.terms.installments_size() == 0) {
    if (campaign_deadline_ms != 0 && campaign_deadline_ms <= as_of_ms) {
      due_by_now = pledge.terms.amount().amount_minor();
    }
  } else {
    for (const v1::Installment& in : pledge.terms.installments()) {
      if (in.due_ms() <= as_of_ms) due_by_now += in.amount_minor();
    }
  }
  if (due_by_now > settled) return PledgeStatus::kOverdue;
  return settled > 0 ? PledgeStatus::kInProgress : PledgeStatus::kPending;
}

bool GroupState::IsActiveWriter(const OrgKey& key) const {
  auto it = members_.find(key);
  if (it == members_.end()) return false;
  const MemberState& m = it->second;
  return (m.status == MemberStatus::kActive || m.status == MemberStatus::kNoticeGiven) &&
         m.profile.role() != v1::ROLE_OBSERVER;
}

const MemberState* GroupState::FindMember(const OrgKey& key) const {
  auto it = members_.find(key);
  return it == members_.end() ? nullptr : &it->second;
}

bool GroupState::IsMemberAt(const MemberState& m, const Hlc& hlc) {
  if (m.status == MemberStatus::kActive) return true;
  return m.status == MemberStatus::kNoticeGiven && hlc.wall_ms < m.notice_effective_ms;
}

bool GroupState::IsMemberInCausalPast(const MemberState& m, const VerifiedEvent& e) const {
  if (!clocks().HappenedBefore(m.joined_event, e)) return false;
  if (m.removal_event.has_value() && clocks().HappenedBefore(*m.removal_event, e)) return false;
  return !(m.notice_event.has_value() && clocks().HappenedBefore(*m.notice_event, e) &&
           e.hlc.wall_ms >= m.notice_effective_ms);
}

bool GroupState::IsActiveWriterAt(const OrgKey& key, const Hlc& hlc) const {
  const MemberState* m = FindMember(key);
  return m != nullptr && IsMemberAt(*m, hlc) && m->profile.role() != v1::ROLE_OBSERVER;
}

CampaignTotals GroupState::Totals(const CampaignState& campaign) const {
  // Each amount is bounded but the number of pledges is not: sum in 128 bits and saturate.
  __int128 pledged = 0, received = 0, outstanding = 0, conditional = 0;
  CampaignTotals t;
  for (const EventId& id : campaign.pledges) {
    const PledgeState& p = pledges_.at(id);
    if (p.cancelled) continue;
    ++t.pledge_count;
    pledged += p.terms.amount().amount_minor();
    received += p.received_minor;
    outstanding += p.outstanding_minor();
    if (p.terms.has_condition()) conditional += p.terms.amount().amount_minor();
  }
  auto saturate = [](__int128 v) { return v > INT64_MAX ? INT64_MAX : static_cast<int64_t>(v); };
  t.pledged_minor = saturate(pledged);
  t.received_minor = saturate(received);
  t.outstanding_minor = saturate(outstanding);
  t.conditional_minor = saturate(conditional);
  return t;
}

absl::Status GroupState::CheckPledgeWrite(const EventId& pledge_id,
                                          const PledgeState** pledge) const {
  auto it = pledges_.find(pledge_id);
  if (it == pledges_.end()) {
    return absl::NotFoundError(absl::StrFormat("pledge %s not found in group %s",
                                               pledge_id.ShortHex(), group_.ShortHex()));
  }
  *pledge = &it->second;
  if (it->second.cancelled) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "pledge %s is cancelled; it cannot be changed or paid", pledge_id.ShortHex()));
  }
  return absl::OkStatus();
}

absl::Status GroupState::Check(const VerifiedEvent& e) const {
  if (e.event.body_case() == v1::Event::BODY_NOT_SET) {
    return absl::UnimplementedError("record type unknown to this node version");
  }
  CONSTELLATION_RETURN_IF_ERROR(ValidateBody(e.event));
  if (e.is_genesis()) {
    if (has_charter()) return absl::AlreadyExistsError("the group already has its charter");
    return absl::OkStatus();
  }
  if (!has_charter()) return absl::FailedPreconditionError("the group has no charter yet");
  CONSTELLATION_RETURN_IF_ERROR(CheckAuthor(e));
  const v1::Event& ev = e.event;
  switch (ev.body_case()) {
    case v1::Event::kProposal:
    case v1::Event::kStance:
    case v1::Event::kProposalClose:
    case v1::Event::kAcknowledgement:
    case v1::Event::kMembershipAcceptance:
    case v1::Event::kMembershipNotice:
    case v1::Event::kMembershipWithdrawal:
      return CheckDecisionOrMembership(e);
    case v1::Event::kCampaign: {
      const v1::Campaign& c = ev.campaign();
      if (!c.fiscal_host().empty()) {
        OrgKey host = *OrgKey::FromBytes(c.fiscal_host());
        if (!IsActiveWriterAt(host, e.hlc)) {
          return absl::InvalidArgumentError(absl::StrFormat(
              "campaign.fiscal_host %s is not an active member of the group; the fiscal host "
              "must be a member (there is no umbrella to hold money)",
              host.ShortHex()));
        }
      }
      return absl::OkStatus();
    }
    case v1::Event::kPledge: {
      CONSTELLATION_ASSIGN_OR_RETURN(EventId campaign_id,
                                     IdField(ev.pledge().campaign_id(), "pledge.campaign_id"));
      auto it = campaigns_.find(campaign_id);
      if (it == campaigns_.end()) {
        return absl::NotFoundError(absl::StrFormat("campaign %s not found in group %s",
                                                   campaign_id.ShortHex(), group_.ShortHex()));
      }
      const std::string& want = it->second.campaign.goal().currency();
      if (ev.pledge().terms().amount().currency() != want) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "pledge.terms.amount.currency is %s but campaign %s is in %s; pledge in %s",
            ev.pledge().terms().amount().currency(), campaign_id.ShortHex(), want, want));
      }
      return absl::OkStatus();
    }
    case v1::Event::kPledgeAmendment: {
      const v1::PledgeAmendment& a = ev.pledge_amendment();
      CONSTELLATION_ASSIGN_OR_RETURN(EventId id,
                                     IdField(a.pledge_id(), "pledge_amendment.pledge_id"));
      const PledgeState* p = nullptr;
      CONSTELLATION_RETURN_IF_ERROR(CheckPledgeWrite(id, &p));
      if (p->pledger != e.author) {
        return absl::PermissionDeniedError(
            absl::StrFormat("pledge %s belongs to org %s; only the pledger may amend it",
                            id.ShortHex(), p->pledger.ShortHex()));
      }
      if (a.terms().amount().currency() != p->terms.amount().currency()) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "pledge_amendment.terms.amount.currency must stay %s", p->terms.amount().currency()));
      }
      if (a.terms().amount().amount_minor() < p->settled_minor()) {
        const std::string& currency = p->terms.amount().currency();
        return absl::FailedPreconditionError(absl::StrFormat(
            "pledge %s has %s received or written off; the amended amount %s cannot be lower",
            id.ShortHex(), FormatMoney(p->settled_minor(), currency),
            FormatMoney(a.terms().amount().amount_minor(), currency)));
      }
      return absl::OkStatus();
    }
    case v1::Event::kPledgeCancellation: {
      CONSTELLATION_ASSIGN_OR_RETURN(EventId id, IdField(ev.pledge_cancellation().pledge_id(),
                                                         "pledge_cancellation.pledge_id"));
      const PledgeState* p = nullptr;
      CONSTELLATION_RETURN_IF_ERROR(CheckPledgeWrite(id, &p));
      if (p->pledger != e.author) {
        return absl::PermissionDeniedError(
            absl::StrFormat("pledge %s belongs to org %s; only the pledger may cancel it",
                            id.ShortHex(), p->pledger.ShortHex()));
      }
      if (p->settled_minor() >= p->terms.amount().amount_minor()) {
        return absl::FailedPreconditionError(absl::StrFormat(
            "pledge %s is completed; there is nothing left to cancel", id.ShortHex()));
      }
      return absl::OkStatus();
    }
    case v1::Event::kPaymentReceipt: {
      const v1::PaymentReceipt& r = ev.payment_receipt();
      CONSTELLATION_ASSIGN_OR_RETURN(EventId id,
                                     IdField(r.pledge_id(), "payment_receipt.pledge_id"));
      const PledgeState* p = nullptr;
      CONSTELLATION_RETURN_IF_ERROR(CheckPledgeWrite(id, &p));
      const CampaignState& c = campaigns_.at(p->campaign);
      if (c.fiscal_host != e.author) {
        return absl::PermissionDeniedError(absl::StrFormat(
            "only the campaign's fiscal host (org %s) records payments for pledge %s",
            c.fiscal_host.ShortHex(), id.ShortHex()));
      }
      if (r.amount().currency() != p->terms.amount().currency()) {
        return absl::InvalidArgumentError(
            absl::StrFormat("payment_receipt.amount.currency is %s but pledge %s is in %s",
                            r.amount().currency(), id.ShortHex(), p->terms.amount().currency()));
      }
      if (r.amount().amount_minor() > p->outstanding_minor()) {
        return absl::FailedPreconditionError(absl::StrFormat(
            "payment of %s exceeds the %s outstanding on pledge %s",
            FormatMoney(r.amount().amount_minor(), r.amount().currency()),
            FormatMoney(p->outstanding_minor(), r.amount().currency()), id.ShortHex()));
      }
      return absl::OkStatus();
    }
    default:
      return absl::UnimplementedError(absl::StrFormat(
          "record type %d is not folded by this node version", static_cast<int>(ev.body_case())));
  }
}

void GroupState::Apply(const VerifiedEvent& e) {
  hash_.reset();
  ++event_count_;
  if (e.hlc > last_hlc_) last_hlc_ = e.hlc;
  if (borrowed_clocks_ == nullptr) own_clocks_.Add(e);
  absl::Status s = Check(e);
  if (!s.ok()) {
    rejected_.emplace(e.id, std::string(s.message()));
  } else {
    ApplyValid(e);
  }
  // Any event, with effect or not, shows its author's clock has passed its hlc (finality).
  AuthorProgress& progress = progress_[e.author];
  if (e.seq >= progress.seq) progress = AuthorProgress{e.seq, e.hlc};
  EvaluateProposals(e);
}

void GroupState::ApplyValid(const VerifiedEvent& e) {
  const v1::Event& ev = e.event;
  switch (ev.body_case()) {
    case v1::Event::kCharter: {
      charter_event_ = e.id;
      charter_ = ev.charter();
      founder_ = e.author;
      MemberState m;
      m.key = e.author;
      m.profile = charter_.founder();
      if (m.profile.role() == v1::ROLE_UNSPECIFIED) m.profile.set_role(v1::ROLE_LEAD);
      if (m.profile.voting_weight() == 0) m.profile.set_voting_weight(1);
      m.profile_event = e.id;
      m.joined_event = e.id;
      m.joined_seq = e.seq;
      members_[e.author] = std::move(m);
      return;
    }
    case v1::Event::kProposal:
    case v1::Event::kStance:
    case v1::Event::kProposalClose:
    case v1::Event::kAcknowledgement:
    case v1::Event::kMembershipAcceptance:
    case v1::Event::kMembershipNotice:
    case v1::Event::kMembershipWithdrawal:
      ApplyDecisionOrMembership(e);
      return;
    case v1::Event::kCampaign: {
      CampaignState c;
      c.id = e.id;
      c.opened_by = e.author;
      c.campaign = ev.campaign();
      c.fiscal_host = ev.campaign().fiscal_host().empty()
                          ? e.author
                          : *OrgKey::FromBytes(ev.campaign().fiscal_host());
      c.opened_hlc = e.hlc;
      campaigns_.emplace(e.id, std::move(c));
      return;
    }
    case v1::Event::kPledge: {
      PledgeState p;
      p.id = e.id;
      p.campaign = *EventId::FromBytes(ev.pledge().campaign_id());
      p.pledger = e.author;
      p.terms = ev.pledge().terms();
      p.terms_event = e.id;
      p.created_hlc = p.updated_hlc = e.hlc;
      PledgeEntry entry = NewEntry(PledgeEntryKind::kPledge, e, 1);
      entry.terms = p.terms;
      p.history.push_back(std::move(entry));
      campaigns_.at(p.campaign).pledges.push_back(e.id);
      pledges_.emplace(e.id, std::move(p));
      return;
    }
    case v1::Event::kPledgeAmendment: {
      const v1::PledgeAmendment& a = ev.pledge_amendment();
      PledgeState& p = pledges_.at(*EventId::FromBytes(a.pledge_id()));
      p.terms = a.terms();
      p.terms_event = e.id;
      ++p.version;
      p.updated_hlc = e.hlc;
      PledgeEntry entry = NewEntry(PledgeEntryKind::kAmendment, e, p.version);
      entry.terms = a.terms();
      entry.reason = a.reason();
      p.history.push_back(std::move(entry));
      return;
    }
    case v1::Event::kPledgeCancellation: {
      const v1::PledgeCancellation& c = ev.pledge_cancellation();
      PledgeState& p = pledges_.at(*EventId::FromBytes(c.pledge_id()));
      p.cancelled = true;
      p.cancel_reason = c.reason();
      p.updated_hlc = e.hlc;
      PledgeEntry entry = NewEntry(PledgeEntryKind::kCancellation, e, p.version);
      entry.reason = c.reason();
      p.history.push_back(std::move(entry));
      return;
    }
    case v1::Event::kPaymentReceipt: {
      const v1::PaymentReceipt& r = ev.payment_receipt();
      PledgeState& p = pledges_.at(*EventId::FromBytes(r.pledge_id()));
      p.received_minor += r.amount().amount_minor();
      p.updated_hlc = e.hlc;
      PledgeEntry entry = NewEntry(PledgeEntryKind::kPayment, e, p.version);
      entry.amount = r.amount();
      entry.external_ref = r.external_ref();
      entry.received_ms = r.received_ms();
      p.history.push_back(std::move(entry));
      return;
    }
    default:
      CONSTELLATION_CHECK(false);  // Check() admits only the record types handled above
  }
}

// ---------------------------------------------------------------------------------------------
// Authority, decisions and membership (docs/PROTOCOL.md §5).

absl::Status GroupState::CheckAuthor(const VerifiedEvent& e) const {
  const v1::Event::BodyCase body = e.event.body_case();
  // The invitee is not a member yet: CheckAcceptance decides.
  if (body == v1::Event::kMembershipAcceptance) return absl::OkStatus();
  const MemberState* m = FindMember(e.author);
  if (m == nullptr) {
    return absl::PermissionDeniedError(
        absl::StrFormat("org %s is not an active member of group %s that may write records",
                        e.author.ShortHex(), group_.ShortHex()));
  }
  if (m->status == MemberStatus::kExpelled && m->expelled_by.has_value() &&
      (body == v1::Event::kStance || body == v1::Event::kProposalClose)) {
    // Mutual removals remove both (DESIGN §3): the expelled member still decides its own
    // concurrent expulsion of the member who proposed its expulsion.
    const std::string& id_bytes = body == v1::Event::kStance
                                      ? e.event.stance().proposal_id()
                                      : e.event.proposal_close().proposal_id();
    auto p = proposals_.find(*EventId::FromBytes(id_bytes));
    if (p != proposals_.end() && IsMutualRemoval(p->second, e.author, *m->expelled_by)) {
      return absl::OkStatus();
    }
  }
  if (m->status == MemberStatus::kWithdrawn) {
    return absl::PermissionDeniedError(
        absl::StrFormat("org %s withdrew from group %s (event %s); its later events have no effect",
                        e.author.ShortHex(), group_.ShortHex(), m->removal_event->ShortHex()));
  }
  if (m->status == MemberStatus::kExpelled) {
    return absl::PermissionDeniedError(absl::StrFormat(
        "org %s was expelled from group %s by proposal %s; its later events have no effect",
        e.author.ShortHex(), group_.ShortHex(), m->expelled_by->ShortHex()));
  }
  if (m->status == MemberStatus::kNoticeGiven && e.hlc.wall_ms >= m->notice_effective_ms) {
    return absl::PermissionDeniedError(absl::StrFormat(
        "org %s gave notice (event %s) effective at %d ms; this event (wall_ms %d) comes after "
        "it left group %s and has no effect",
        e.author.ShortHex(), m->notice_event->ShortHex(), m->notice_effective_ms, e.hlc.wall_ms,
        group_.ShortHex()));
  }
  if (!IsGovernance(body)) {
    auto ranges = input_ranges_.find(e.author);
    if (ranges != input_ranges_.end()) {
      for (const VoidRange& r : ranges->second) {
        if (e.seq > r.after_seq && e.seq < r.until_seq) {
          return absl::PermissionDeniedError(absl::StrFormat(
              "org %s was expelled from group %s by proposal %s; its records the expulsion "
              "proposal had not seen (seq > %d) have no effect",
              e.author.ShortHex(), group_.ShortHex(), r.expulsion.ShortHex(), r.after_seq));
        }
      }
    }
  }
  // Autonomy: any member, observers included, may give notice or leave.
  if (body == v1::Event::kMembershipNotice || body == v1::Event::kMembershipWithdrawal) {
    return absl::OkStatus();
  }
  if (m->profile.role() == v1::ROLE_OBSERVER) {
    return absl::PermissionDeniedError(
        absl::StrFormat("org %s is not an active member of group %s that may write records "
                        "(it is an observer)",
                        e.author.ShortHex(), group_.ShortHex()));
  }
  return absl::OkStatus();
}

absl::StatusOr<const ProposalState*> GroupState::ReferencedProposal(const std::string& id_bytes,
                                                                    std::string_view field,
                                                                    const VerifiedEvent& e) const {
  CONSTELLATION_ASSIGN_OR_RETURN(EventId id, IdField(id_bytes, field));
  auto it = proposals_.find(id);
  if (it == proposals_.end()) {
    return absl::NotFoundError(absl::StrFormat("%s: proposal %s not found in group %s",
                                               std::string(field), id.ShortHex(),
                                               group_.ShortHex()));
  }
  if (!clocks().HappenedBefore(id, e)) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "%s: proposal %s is not in the causal past of event %s; an event may only refer to a "
        "proposal its author had seen (name it in deps)",
        std::string(field), id.ShortHex(), e.id.ShortHex()));
  }
  return &it->second;
}

absl::StatusOr<Electorate> GroupState::BuildElectorate(const v1::DecisionRule& rule,
                                                       const v1::Proposal& proposal,
                                                       const VerifiedEvent& e) const {
  std::optional<OrgKey> excluded;
  if (proposal.decision_type() == v1::DECISION_TYPE_EXPEL) {
    excluded = *OrgKey::FromBytes(proposal.expel().member());
  }
  Electorate electorate;
  bool anyone_decides = false;
  for (const auto& [key, m] : members_) {
    if (!IsMemberInCausalPast(m, e)) continue;
    if (m.profile.role() == v1::ROLE_OBSERVER) continue;
    if (m.profile.role() == v1::ROLE_COORDINATOR && !rule.coordinators_vote()) continue;
    if (excluded.has_value() && key == *excluded) continue;  // unanimity of the *others*
    Voter v;
    v.weight = WeightOf(m.profile.voting_weight());
    v.decides =
        rule.process() != v1::DECISION_PROCESS_LEAD_DECIDES || m.profile.role() == v1::ROLE_LEAD;
    anyone_decides = anyone_decides || v.decides;
    electorate.emplace(key, v);
  }
  if (!anyone_decides) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "no member of group %s may decide this %s proposal under its %s rule (no eligible "
        "%s)",
        group_.ShortHex(), std::string(DecisionTypeName(proposal.decision_type())),
        std::string(DecisionProcessName(rule.process())),
        rule.process() == v1::DECISION_PROCESS_LEAD_DECIDES ? "lead" : "member"));
  }
  return electorate;
}

bool GroupState::IsMutualRemoval(const ProposalState& p, const OrgKey& member,
                                 const EventId& expulsion) const {
  if (p.type() != v1::DECISION_TYPE_EXPEL || p.proposer != member || !p.target.has_value()) {
    return false;
  }
  auto x = proposals_.find(expulsion);
  return x != proposals_.end() && *p.target == x->second.proposer &&
         clocks().Concurrent(expulsion, p.id);
}

absl::Status GroupState::CheckProposal(const VerifiedEvent& e) const {
  const v1::Proposal& p = e.event.proposal();
  CONSTELLATION_ASSIGN_OR_RETURN(ResolvedRule resolved,
                                 ResolveDecisionRule(charter_, p.decision_type()));
  if (p.deadline_ms() != 0) {
    if (p.deadline_ms() <= e.hlc.wall_ms ||
        p.deadline_ms() - e.hlc.wall_ms > limits::kVotingWindowMsMax) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "proposal.deadline_ms %d must be after the proposal's hlc.wall_ms %d and at most "
          "kVotingWindowMsMax (%d ms) after it",
          p.deadline_ms(), e.hlc.wall_ms, limits::kVotingWindowMsMax));
    }
  }
  if (p.decision_type() == v1::DECISION_TYPE_ADMIT) {
    const OrgKey invitee = *OrgKey::FromBytes(p.admit().card().key());
    const MemberState* m = FindMember(invitee);
    if (m != nullptr && IsMemberInCausalPast(*m, e)) {
      return absl::AlreadyExistsError(absl::StrFormat("org %s is already a member of group %s",
                                                      invitee.ShortHex(), group_.ShortHex()));
    }
  }
  if (p.decision_type() == v1::DECISION_TYPE_EXPEL) {
    const OrgKey target = *OrgKey::FromBytes(p.expel().member());
    if (target == e.author) {
      return absl::InvalidArgumentError(
          "proposal.expel.member is the proposer; to leave, give notice or withdraw");
    }
    const MemberState* m = FindMember(target);
    if (m == nullptr || !clocks().HappenedBefore(m->joined_event, e)) {
      return absl::NotFoundError(
          absl::StrFormat("proposal.expel.member: org %s is not a member "
                          "of group %s",
                          target.ShortHex(), group_.ShortHex()));
    }
    if (!IsMemberInCausalPast(*m, e)) {
      return absl::FailedPreconditionError(absl::StrFormat(
          "proposal.expel.member: org %s is no longer a member of group %s (%s)", target.ShortHex(),
          group_.ShortHex(), std::string(MemberStatusName(m->status))));
    }
  }
  return BuildElectorate(resolved.rule, p, e).status();
}

absl::Status GroupState::CheckAcceptance(const VerifiedEvent& e) const {
  const v1::MembershipAcceptance& a = e.event.membership_acceptance();
  CONSTELLATION_ASSIGN_OR_RETURN(
      const ProposalState* p,
      ReferencedProposal(a.proposal_id(), "membership_acceptance.proposal_id", e));
  if (p->type() != v1::DECISION_TYPE_ADMIT) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "membership_acceptance.proposal_id: proposal %s is a %s proposal, not an admission",
        p->id.ShortHex(), std::string(DecisionTypeName(p->type()))));
  }
  if (*p->target != e.author) {
    return absl::PermissionDeniedError(
        absl::StrFormat("only the invitee (org %s) may accept admission proposal %s",
                        p->target->ShortHex(), p->id.ShortHex()));
  }
  const MemberState* m = FindMember(e.author);
  if (m != nullptr && IsMemberAt(*m, e.hlc)) {
    return absl::AlreadyExistsError(absl::StrFormat("org %s is already a member of group %s",
                                                    e.author.ShortHex(), group_.ShortHex()));
  }
  if (!p->outcome.final) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "admission proposal %s is not final yet (provisional outcome: %s); accept once every "
        "deciding member has an event after its close",
        p->id.ShortHex(), std::string(DecisionOutcomeName(p->outcome.outcome))));
  }
  if (p->outcome.outcome != DecisionOutcome::kPassed) {
    return absl::FailedPreconditionError(
        absl::StrFormat("admission proposal %s did not pass (outcome: %s)", p->id.ShortHex(),
                        std::string(DecisionOutcomeName(p->outcome.outcome))));
  }
  if (p->acceptance.has_value()) {
    return absl::AlreadyExistsError(
        absl::StrFormat("admission proposal %s was already accepted (event %s)", p->id.ShortHex(),
                        p->acceptance->ShortHex()));
  }
  if (m != nullptr) {
    // A removal beats a concurrent re-add (DESIGN §3): readmission needs an admission decided
    // after the removal.
    const std::optional<EventId>& removal =
        m->removal_event.has_value() ? m->removal_event : m->notice_event;
    if (removal.has_value() && !clocks().HappenedBefore(*removal, p->id)) {
      return absl::FailedPreconditionError(absl::StrFormat(
          "org %s left group %s (event %s) concurrently with admission proposal %s; a removal "
          "beats a concurrent re-add: propose the admission again",
          e.author.ShortHex(), group_.ShortHex(), removal->ShortHex(), p->id.ShortHex()));
    }
  }
  return absl::OkStatus();
}

absl::Status GroupState::CheckDecisionOrMembership(const VerifiedEvent& e) const {
  const v1::Event& ev = e.event;
  switch (ev.body_case()) {
    case v1::Event::kProposal:
      return CheckProposal(e);
    case v1::Event::kStance: {
      CONSTELLATION_ASSIGN_OR_RETURN(
          const ProposalState* p,
          ReferencedProposal(ev.stance().proposal_id(), "stance.proposal_id", e));
      if (!p->electorate.contains(e.author)) {
        return absl::PermissionDeniedError(absl::StrFormat(
            "org %s is not in the electorate of proposal %s (fixed when it was proposed)",
            e.author.ShortHex(), p->id.ShortHex()));
      }
      // The electorate holds memberships, not keys: a member that left and was readmitted
      // does not vote again on what was proposed before (DESIGN §3).
      if (!clocks().HappenedBefore(members_.at(e.author).joined_event, p->id)) {
        return absl::PermissionDeniedError(absl::StrFormat(
            "org %s rejoined group %s after proposal %s was made; its new membership is not "
            "in that proposal's electorate",
            e.author.ShortHex(), group_.ShortHex(), p->id.ShortHex()));
      }
      if (p->outcome.final || p->outcome.close.hlc < e.hlc) {
        return absl::FailedPreconditionError(absl::StrFormat(
            "proposal %s is closed (%s at hlc %s); a stance stamped %s comes after the close",
            p->id.ShortHex(), std::string(CloseReasonName(p->outcome.close.reason)),
            HlcText(p->outcome.close.hlc), HlcText(e.hlc)));
      }
      return absl::OkStatus();
    }
    case v1::Event::kProposalClose: {
      CONSTELLATION_ASSIGN_OR_RETURN(
          const ProposalState* p,
          ReferencedProposal(ev.proposal_close().proposal_id(), "proposal_close.proposal_id", e));
      if (p->proposer != e.author) {
        return absl::PermissionDeniedError(
            absl::StrFormat("only the proposer (org %s) may close proposal %s",
                            p->proposer.ShortHex(), p->id.ShortHex()));
      }
      if (p->close_event.has_value() || p->outcome.final || p->outcome.close.hlc < e.hlc) {
        return absl::FailedPreconditionError(absl::StrFormat(
            "proposal %s is already closed (%s at hlc %s)", p->id.ShortHex(),
            std::string(CloseReasonName(p->outcome.close.reason)), HlcText(p->outcome.close.hlc)));
      }
      return absl::OkStatus();
    }
    case v1::Event::kAcknowledgement:
      for (const std::string& id : ev.acknowledgement().proposal_ids()) {
        CONSTELLATION_RETURN_IF_ERROR(
            ReferencedProposal(id, "acknowledgement.proposal_ids", e).status());
      }
      return absl::OkStatus();
    case v1::Event::kMembershipAcceptance:
      return CheckAcceptance(e);
    case v1::Event::kMembershipNotice: {
      const MemberState& m = members_.at(e.author);
      if (m.status == MemberStatus::kNoticeGiven) {
        return absl::FailedPreconditionError(absl::StrFormat(
            "org %s already gave notice (event %s) effective at %d ms; to leave earlier, withdraw",
            e.author.ShortHex(), m.notice_event->ShortHex(), m.notice_effective_ms));
      }
      const uint64_t earliest_ms =
          e.hlc.wall_ms + uint64_t{charter_.withdrawal_notice_days()} * kDayMs;
      const uint64_t effective_ms = ev.membership_notice().effective_ms();
      if (effective_ms != 0 && effective_ms < earliest_ms) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "membership_notice.effective_ms %d is earlier than the charter's notice of %d days "
            "from this event allows (%d); use 0 for the earliest date, or withdraw to leave now",
            effective_ms, charter_.withdrawal_notice_days(), earliest_ms));
      }
      return absl::OkStatus();
    }
    case v1::Event::kMembershipWithdrawal:
      return absl::OkStatus();  // always allowed to a member (autonomy); CheckAuthor checked it
    default:
      CONSTELLATION_CHECK(false);
      return absl::InternalError("unreachable");
  }
}

void GroupState::ApplyDecisionOrMembership(const VerifiedEvent& e) {
  const v1::Event& ev = e.event;
  switch (ev.body_case()) {
    case v1::Event::kProposal: {
      const v1::Proposal& body = ev.proposal();
      ResolvedRule resolved = *ResolveDecisionRule(charter_, body.decision_type());
      ProposalState p;
      p.id = e.id;
      p.proposer = e.author;
      p.proposer_seq = e.seq;
      p.hlc = e.hlc;
      p.proposal = body;
      p.rule = resolved.rule;
      p.rule_from_charter = resolved.from_charter;
      p.deadline_ms = body.deadline_ms() != 0 ? body.deadline_ms()
                                              : e.hlc.wall_ms + resolved.rule.voting_window_ms();
      p.electorate = *BuildElectorate(resolved.rule, body, e);
      if (body.has_admit()) p.target = *OrgKey::FromBytes(body.admit().card().key());
      if (body.has_expel()) p.target = *OrgKey::FromBytes(body.expel().member());
      p.outcome = Evaluate(p);
      open_proposals_.insert(e.id);
      proposals_.emplace(e.id, std::move(p));
      return;
    }
    case v1::Event::kStance: {
      const v1::Stance& s = ev.stance();
      ProposalState& p = proposals_.at(*EventId::FromBytes(s.proposal_id()));
      p.stances.push_back(CastStance{e.id, e.author, e.seq, e.hlc, s.choice(), s.reason()});
      return;
    }
    case v1::Event::kProposalClose: {
      ProposalState& p = proposals_.at(*EventId::FromBytes(ev.proposal_close().proposal_id()));
      p.close_event = e.id;
      p.close_event_hlc = e.hlc;
      return;
    }
    case v1::Event::kAcknowledgement:
      return;  // its effect is its hlc: it carries its author past the close (finality)
    case v1::Event::kMembershipAcceptance: {
      const v1::MembershipAcceptance& a = ev.membership_acceptance();
      ProposalState& p = proposals_.at(*EventId::FromBytes(a.proposal_id()));
      p.acceptance = e.id;
      const v1::AdmitPayload& admit = p.proposal.admit();
      MemberState m;
      m.key = e.author;
      // Name and endpoints are the invitee's to say; the org card fills what it leaves out.
      m.profile.set_name(a.profile().name().empty() ? admit.card().name() : a.profile().name());
      *m.profile.mutable_endpoints() =
          a.profile().endpoints_size() > 0 ? a.profile().endpoints() : admit.card().endpoints();
      // Role, segment and weight are what the members decided, not what the invitee says.
      m.profile.set_role(admit.role() == v1::ROLE_UNSPECIFIED ? v1::ROLE_PARTNER : admit.role());
      m.profile.set_segment(admit.segment());
      m.profile.set_voting_weight(static_cast<uint32_t>(WeightOf(admit.voting_weight())));
      m.profile_event = e.id;
      m.joined_event = e.id;
      m.joined_seq = e.seq;
      m.admitted_by = p.id;
      members_[e.author] = std::move(m);
      // A readmission ends the void ranges of an earlier expulsion (an acceptance the cut
      // keeps is the membership the expulsion ended, not a readmission).
      for (auto* ranges : {&input_ranges_, &expelled_ranges_}) {
        auto it = ranges->find(e.author);
        if (it == ranges->end()) continue;
        for (VoidRange& r : it->second) {
          if (e.seq > r.after_seq) r.until_seq = std::min(r.until_seq, e.seq);
        }
      }
      return;
    }
    case v1::Event::kMembershipNotice: {
      MemberState& m = members_.at(e.author);
      const uint64_t earliest_ms =
          e.hlc.wall_ms + uint64_t{charter_.withdrawal_notice_days()} * kDayMs;
      m.status = MemberStatus::kNoticeGiven;
      m.notice_event = e.id;
      m.notice_effective_ms = std::max(ev.membership_notice().effective_ms(), earliest_ms);
      return;
    }
    case v1::Event::kMembershipWithdrawal: {
      MemberState& m = members_.at(e.author);
      m.status = MemberStatus::kWithdrawn;
      m.removal_event = e.id;
      return;
    }
    default:
      CONSTELLATION_CHECK(false);
  }
}

std::vector<CastStance> GroupState::CountableStances(const ProposalState& p) const {
  std::vector<CastStance> out;
  out.reserve(p.stances.size());
  for (const CastStance& s : p.stances) {
    bool excluded = false;
    auto ranges = expelled_ranges_.find(s.author);
    if (ranges != expelled_ranges_.end()) {
      for (const VoidRange& r : ranges->second) {
        if (s.seq > r.after_seq && s.seq < r.until_seq &&
            !IsMutualRemoval(p, s.author, r.expulsion)) {
          excluded = true;  // concurrent with (or after) the author's expulsion
        }
      }
    }
    if (!excluded) out.push_back(s);
  }
  return out;
}

bool GroupState::Settled(const ProposalState& p, const OrgKey& key, const Hlc& close) const {
  auto progress = progress_.find(key);
  if (progress != progress_.end() && close < progress->second.hlc) return true;
  // A member frozen by a fork (DESIGN §2): none of its events from the fork seq on take effect,
  // so once those before it are folded (chains are contiguous) its stances are all known.
  auto frozen = frozen_.find(key);
  if (frozen != frozen_.end()) {
    const uint64_t folded_seq = progress == progress_.end() ? 0 : progress->second.seq;
    if (folded_seq + 1 >= frozen->second) return true;
  }
  const MemberState* m = FindMember(key);
  if (m == nullptr) return false;
  // Members whose later events have no effect can no longer change the tally.
  switch (m->status) {
    case MemberStatus::kWithdrawn:
      return true;
    case MemberStatus::kExpelled:
      return !m->expelled_by.has_value() || !IsMutualRemoval(p, key, *m->expelled_by);
    case MemberStatus::kNoticeGiven:
      return progress != progress_.end() && progress->second.hlc.wall_ms >= m->notice_effective_ms;
    case MemberStatus::kActive:
      return false;
  }
  return false;
}

ProposalOutcome GroupState::Evaluate(const ProposalState& p) const {
  // Copy the stances only when an expulsion excludes some (rare).
  bool exclusions = false;
  for (const CastStance& s : p.stances)
    exclusions = exclusions || expelled_ranges_.contains(s.author);
  std::vector<CastStance> filtered;
  if (exclusions) filtered = CountableStances(p);
  const std::vector<CastStance>& stances = exclusions ? filtered : p.stances;
  ProposalOutcome out;
  std::optional<Hlc> proposer_close;
  if (p.close_event.has_value()) proposer_close = p.close_event_hlc;
  out.close = ComputeClose(p.deadline_ms, proposer_close, p.electorate, stances);
  out.tally = CountStances(p.rule, p.electorate, stances, out.close.hlc);
  out.closed = out.close.reason != CloseReason::kDeadline;
  auto past_close = [&](const OrgKey& key) {
    auto it = progress_.find(key);
    return it != progress_.end() && out.close.hlc < it->second.hlc;
  };
  if (!out.closed) {
    out.closed = past_close(p.proposer);
    for (const auto& [key, voter] : p.electorate) out.closed = out.closed || past_close(key);
  }
  if (!out.closed) return out;
  out.outcome = Decide(p.rule, out.tally);
  out.final = Settled(p, p.proposer, out.close.hlc);
  for (const auto& [key, voter] : p.electorate) {
    if (voter.decides) out.final = out.final && Settled(p, key, out.close.hlc);
  }
  return out;
}

void GroupState::EvaluateProposals(const VerifiedEvent& e) {
  // Re-derive the proposals this event may affect (its author votes or proposed), all of them
  // after a membership changed; repeat while finality changes memberships.
  bool everything = false;
  for (bool again = true; again;) {
    again = false;
    for (auto it = open_proposals_.begin(); it != open_proposals_.end();) {
      ProposalState& p = proposals_.at(*it);
      if (!everything && p.proposer != e.author && !p.electorate.contains(e.author)) {
        ++it;
        continue;
      }
      p.outcome = Evaluate(p);
      if (!p.outcome.final) {
        ++it;
        continue;
      }
      p.outcome.final_at = e.id;
      it = open_proposals_.erase(it);
      if (p.outcome.outcome == DecisionOutcome::kPassed && ApplyEffect(p, e)) {
        everything = true;
        again = true;
      }
    }
  }
}

bool GroupState::ApplyEffect(ProposalState& p, const VerifiedEvent& at) {
  switch (p.type()) {
    case v1::DECISION_TYPE_ADMIT:
      p.effect_applied = true;  // the invitee may now accept
      return false;
    case v1::DECISION_TYPE_EXPEL: {
      auto it = members_.find(*p.target);
      if (it == members_.end()) return false;
      MemberState& m = it->second;
      if (m.status != MemberStatus::kActive && m.status != MemberStatus::kNoticeGiven) {
        return false;  // already gone
      }
      m.status = MemberStatus::kExpelled;
      m.removal_event = at.id;
      m.expelled_by = p.id;
      const uint64_t kept = clocks().SeqInPast(m.key, p.id);
      found_cuts_[p.id] = RemovalCut{m.key, kept};
      expelled_ranges_[m.key].push_back(VoidRange{p.id, kept, UINT64_MAX});
      p.effect_applied = true;
      return true;
    }
    default:
      return false;  // recorded only; effects of the other types belong to later versions
  }
}

absl::StatusOr<ProposalOutcome> GroupState::Outcome(const EventId& proposal,
                                                    std::optional<uint64_t> now_ms) const {
  auto it = proposals_.find(proposal);
  if (it == proposals_.end()) {
    return absl::NotFoundError(absl::StrFormat("proposal %s not found in group %s",
                                               proposal.ShortHex(), group_.ShortHex()));
  }
  const ProposalState& p = it->second;
  ProposalOutcome out = p.outcome;
  if (!out.closed && now_ms.has_value() && *now_ms >= p.deadline_ms) {
    out.past_deadline = true;
    out.tally = CountStances(p.rule, p.electorate, CountableStances(p), out.close.hlc);
    out.outcome = Decide(p.rule, out.tally);
  }
  return out;
}

std::vector<EventId> GroupState::AcknowledgementsDue(const OrgKey& member,
                                                     uint64_t now_ms) const {
  std::vector<EventId> due;
  if (!IsActiveWriter(member)) return due;
  for (const EventId& id : open_proposals_) {
    const ProposalState& p = proposals_.at(id);
    auto voter = p.electorate.find(member);
    const bool concerned =
        p.proposer == member || (voter != p.electorate.end() && voter->second.decides);
    if (!concerned || p.outcome.final) continue;
    if (!p.outcome.closed && now_ms < p.deadline_ms) continue;
    if (Settled(p, member, p.outcome.close.hlc)) continue;
    due.push_back(id);
    if (due.size() == limits::kListFieldCountMax) break;
  }
  return due;
}

std::array<uint8_t, 32> GroupState::Hash() const {
  if (!hash_.has_value()) hash_ = ComputeHash();
  return *hash_;
}

std::array<uint8_t, 32> GroupState::ComputeHash() const {
  StateHasher h;
  h.Bytes("constellation/v1/group-state");
  h.Id(group_);
  h.U64(event_count_);
  h.U64(charter_event_.has_value() ? 1 : 0);
  if (charter_event_) h.Id(*charter_event_);
  auto optional_id = [&h](const std::optional<EventId>& id) {
    h.U64(id.has_value() ? 1 : 0);
    if (id.has_value()) h.Id(*id);
  };
  auto hlc = [&h](const Hlc& v) {
    h.U64(v.wall_ms);
    h.U64(v.logical);
  };
  h.U64(members_.size());
  for (const auto& [key, m] : members_) {
    h.Id(key);
    h.Id(m.profile_event);
    h.U64(static_cast<uint64_t>(m.status));
    h.Id(m.joined_event);
    h.U64(m.joined_seq);
    optional_id(m.admitted_by);
    optional_id(m.notice_event);
    h.U64(m.notice_effective_ms);
    optional_id(m.removal_event);
    optional_id(m.expelled_by);
  }
  h.U64(proposals_.size());
  for (const auto& [id, p] : proposals_) {
    h.Id(id);
    h.U64(static_cast<uint64_t>(p.rule.process()));
    h.U64(p.deadline_ms);
    h.U64(p.electorate.size());
    for (const auto& [key, voter] : p.electorate) {
      h.Id(key);
      h.U64(voter.weight);
      h.U64(voter.decides ? 1 : 0);
    }
    h.U64(p.stances.size());
    for (const CastStance& stance : p.stances) h.Id(stance.event);
    optional_id(p.close_event);
    const ProposalOutcome& o = p.outcome;
    h.U64(static_cast<uint64_t>(o.outcome));
    h.U64(o.closed ? 1 : 0);
    h.U64(o.final ? 1 : 0);
    hlc(o.close.hlc);
    h.U64(static_cast<uint64_t>(o.close.reason));
    h.U64(o.tally.stance_weight);
    h.U64(o.tally.agree_weight);
    h.U64(o.tally.disagree_weight);
    h.U64(o.tally.block_weight);
    optional_id(o.final_at);
    h.U64(p.effect_applied ? 1 : 0);
    optional_id(p.acceptance);
  }
  h.U64(found_cuts_.size());
  for (const auto& [id, cut] : found_cuts_) {
    h.Id(id);
    h.Id(cut.member);
    h.U64(cut.kept_seq_max);
  }
  h.U64(campaigns_.size());
  for (const auto& [id, c] : campaigns_) {
    h.Id(id);
    h.Id(c.fiscal_host);
    h.U64(c.pledges.size());
    for (const EventId& p : c.pledges) h.Id(p);
  }
  h.U64(pledges_.size());
  for (const auto& [id, p] : pledges_) {
    h.Id(id);
    h.Id(p.terms_event);
    h.U64(p.version);
    h.I64(p.received_minor);
    h.I64(p.written_off_minor);
    h.U64(p.cancelled ? 1 : 0);
    h.U64(p.history.size());
  }
  h.U64(rejected_.size());
  for (const auto& [id, reason] : rejected_) h.Id(id);
  return h.Finish();
}

}  // namespace constellation::core
