#include "server/core/group_state.h"

#include <sodium.h>

#include <absl/strings/str_format.h>

#include "server/base/check.h"
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

}  // namespace

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

absl::Status GroupState::CheckPledgeWrite(const VerifiedEvent& e, const EventId& pledge_id,
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
  (void)e;
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
  if (!IsActiveWriter(e.author)) {
    return absl::PermissionDeniedError(
        absl::StrFormat("org %s is not an active member of group %s that may write records",
                        e.author.ShortHex(), group_.ShortHex()));
  }
  const v1::Event& ev = e.event;
  switch (ev.body_case()) {
    case v1::Event::kCampaign: {
      const v1::Campaign& c = ev.campaign();
      if (!c.fiscal_host().empty()) {
        OrgKey host = *OrgKey::FromBytes(c.fiscal_host());
        if (!IsActiveWriter(host)) {
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
      CONSTELLATION_RETURN_IF_ERROR(CheckPledgeWrite(e, id, &p));
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
      CONSTELLATION_RETURN_IF_ERROR(CheckPledgeWrite(e, id, &p));
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
      CONSTELLATION_RETURN_IF_ERROR(CheckPledgeWrite(e, id, &p));
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
  ++event_count_;
  if (e.hlc > last_hlc_) last_hlc_ = e.hlc;
  absl::Status s = Check(e);
  if (!s.ok()) {
    rejected_.emplace(e.id, std::string(s.message()));
    return;
  }
  ApplyValid(e);
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
      members_[e.author] = std::move(m);
      return;
    }
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

std::array<uint8_t, 32> GroupState::Hash() const {
  StateHasher h;
  h.Bytes("constellation/v1/group-state");
  h.Id(group_);
  h.U64(event_count_);
  h.U64(charter_event_.has_value() ? 1 : 0);
  if (charter_event_) h.Id(*charter_event_);
  h.U64(members_.size());
  for (const auto& [key, m] : members_) {
    h.Id(key);
    h.Id(m.profile_event);
    h.U64(static_cast<uint64_t>(m.status));
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
