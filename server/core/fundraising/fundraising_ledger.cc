#include "server/core/fundraising/fundraising_ledger.h"

#include <algorithm>

#include <absl/strings/str_format.h>

#include "server/base/check.h"
#include "server/base/enum_names.h"
#include "server/base/status_macros.h"
#include "server/core/fold/group_state.h"
#include "server/core/records.h"

namespace constellation::core {
namespace {

PledgeEntry NewEntry(PledgeEntryKind kind, const VerifiedEvent& e, uint32_t version,
                     int64_t amount_minor) {
  return PledgeEntry{.kind = kind,
                     .version = version,
                     .event = e.id,
                     .author = e.author,
                     .hlc = e.hlc,
                     .amount_minor = amount_minor};
}

// `p` against its whole history (O(history)): its versions, terms event and amount are those
// of its last terms entry; received and written off are the sums of its entries; it is
// cancelled iff its history holds a cancellation.
void CheckPledgeHistory(const PledgeState& p) {
  const PledgeEntry* last_terms = nullptr;
  uint32_t versions = 0;
  int64_t received = 0, written_off = 0;
  bool cancelled = false;
  for (const PledgeEntry& entry : p.history) {
    switch (entry.kind) {
      case PledgeEntryKind::kPledge:
      case PledgeEntryKind::kAmendment:
        ++versions;
        last_terms = &entry;
        break;
      case PledgeEntryKind::kPayment:
        received += entry.amount_minor;
        break;
      case PledgeEntryKind::kWriteOff:
        written_off += entry.amount_minor;
        break;
      case PledgeEntryKind::kCancellation:
        cancelled = true;
        break;
    }
  }
  CONSTELLATION_CHECK(last_terms != nullptr && versions == p.version);
  CONSTELLATION_CHECK(last_terms->event == p.terms_event);
  CONSTELLATION_CHECK(last_terms->amount_minor == p.terms.amount.amount_minor);
  CONSTELLATION_CHECK(received == p.received_minor && written_off == p.written_off_minor);
  CONSTELLATION_CHECK(cancelled == p.cancelled);
}

Money CompactMoney(const v1::Money& money) {
  return Money{.amount_minor = money.amount_minor(), .currency = CurrencyCode(money.currency())};
}

}  // namespace

CurrencyCode::CurrencyCode(std::string_view code) {
  CONSTELLATION_CHECK(code.size() <= code_.size());
  std::copy(code.begin(), code.end(), code_.begin());
}

std::string_view CurrencyCode::view() const {
  size_t size = 0;
  while (size < code_.size() && code_[size] != '\0') ++size;
  return std::string_view(code_.data(), size);
}

PledgeTerms CompactTerms(const v1::PledgeTerms& terms) {
  PledgeTerms out{.amount = CompactMoney(terms.amount()),
                  .installments = {},
                  .conditional = terms.has_condition()};
  out.installments.reserve(terms.installments_size());
  for (const v1::Installment& in : terms.installments()) {
    out.installments.push_back({.due_ms = in.due_ms(), .amount_minor = in.amount_minor()});
  }
  return out;
}

const FundraisingLedger& Fundraising(const GroupState& state) {
  return state.ledger<FundraisingLedger>();
}

std::string_view PledgeEntryKindName(PledgeEntryKind kind) {
  static constexpr std::string_view kNames[] = {"pledge", "amendment", "cancellation", "payment",
                                                "write_off"};
  return EnumName(kind, kNames);
}

std::string_view PledgeStatusName(PledgeStatus status) {
  static constexpr std::string_view kNames[] = {"pending",   "in_progress", "overdue",
                                                "completed", "cancelled",   "conditional"};
  return EnumName(status, kNames);
}

PledgeStatus DerivePledgeStatus(const PledgeState& pledge, uint64_t campaign_deadline_ms,
                                uint64_t as_of_ms) {
  if (pledge.cancelled) return PledgeStatus::kCancelled;
  const int64_t settled = pledge.settled_minor();
  if (settled >= pledge.terms.amount.amount_minor) return PledgeStatus::kCompleted;
  // Conditional promises are not receivable until the condition is met or waived (DOMAIN.md
  // rule 7); nothing can be overdue before that.
  if (pledge.terms.conditional) return PledgeStatus::kConditional;
  int64_t due_by_now = 0;
  if (pledge.terms.installments.empty()) {
    if (campaign_deadline_ms != 0 && campaign_deadline_ms <= as_of_ms) {
      due_by_now = pledge.terms.amount.amount_minor;
    }
  } else {
    for (const InstallmentDue& in : pledge.terms.installments) {
      if (in.due_ms <= as_of_ms) due_by_now += in.amount_minor;
    }
  }
  if (due_by_now > settled) return PledgeStatus::kOverdue;
  return settled > 0 ? PledgeStatus::kInProgress : PledgeStatus::kPending;
}

CampaignTotals FundraisingLedger::Totals(const CampaignState& campaign) const {
  // Each amount is bounded but the number of pledges is not: sum in 128 bits and saturate.
  __int128 pledged = 0, received = 0, outstanding = 0, conditional = 0;
  CampaignTotals t;
  for (const EventId& id : campaign.pledges) {
    const PledgeState& p = pledges_.at(id);
    if (p.cancelled) continue;
    ++t.pledge_count;
    pledged += p.terms.amount.amount_minor;
    received += p.received_minor;
    outstanding += p.outstanding_minor();
    if (p.terms.conditional) conditional += p.terms.amount.amount_minor;
  }
  auto saturate = [](__int128 v) { return v > INT64_MAX ? INT64_MAX : static_cast<int64_t>(v); };
  t.pledged_minor = saturate(pledged);
  t.received_minor = saturate(received);
  t.outstanding_minor = saturate(outstanding);
  t.conditional_minor = saturate(conditional);
  return t;
}

// ---------------------------------------------------------------------------------------------
// Check

absl::Status FundraisingLedger::Check(const VerifiedEvent& e, const GroupState& state) const {
  switch (e.event.body_case()) {
    case v1::Event::kCampaign:
      return CheckCampaign(e, state);
    case v1::Event::kPledge:
      return CheckPledge(e, state);
    case v1::Event::kPledgeAmendment:
      return CheckAmendment(e, state);
    case v1::Event::kPledgeCancellation:
      return CheckCancellation(e, state);
    case v1::Event::kPaymentReceipt:
      return CheckPayment(e, state);
    default:
      CONSTELLATION_CHECK(false);  // the registry routes only these record types here
      return absl::InternalError("unreachable");
  }
}

absl::Status FundraisingLedger::CheckCampaign(const VerifiedEvent& e,
                                              const GroupState& state) const {
  const v1::Campaign& c = e.event.campaign();
  if (c.fiscal_host().empty()) return absl::OkStatus();
  OrgKey host = *OrgKey::FromBytes(c.fiscal_host());
  if (!state.roster().IsActiveWriterAt(host, e.hlc)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "campaign.fiscal_host %s is not an active member of the group; the fiscal host "
        "must be a member (there is no umbrella to hold money)",
        host.ShortHex()));
  }
  return absl::OkStatus();
}

absl::Status FundraisingLedger::CheckPledge(const VerifiedEvent& e,
                                            const GroupState& state) const {
  const v1::Pledge& pledge = e.event.pledge();
  CONSTELLATION_ASSIGN_OR_RETURN(EventId campaign_id,
                                 EventId::FromBytes(pledge.campaign_id(), "pledge.campaign_id"));
  auto it = campaigns_.find(campaign_id);
  if (it == campaigns_.end()) {
    return absl::NotFoundError(absl::StrFormat("campaign %s not found in group %s",
                                               campaign_id.ShortHex(), state.group().ShortHex()));
  }
  const std::string want = it->second.goal.currency.ToString();
  if (pledge.terms().amount().currency() != want) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "pledge.terms.amount.currency is %s but campaign %s is in %s; pledge in %s",
        pledge.terms().amount().currency(), campaign_id.ShortHex(), want, want));
  }
  return absl::OkStatus();
}

absl::StatusOr<const PledgeState*> FundraisingLedger::WritablePledge(
    const std::string& id_bytes, std::string_view field, const GroupState& state) const {
  CONSTELLATION_ASSIGN_OR_RETURN(EventId id, EventId::FromBytes(id_bytes, field));
  auto it = pledges_.find(id);
  if (it == pledges_.end()) {
    return absl::NotFoundError(absl::StrFormat("pledge %s not found in group %s", id.ShortHex(),
                                               state.group().ShortHex()));
  }
  if (it->second.cancelled) {
    return absl::FailedPreconditionError(
        absl::StrFormat("pledge %s is cancelled; it cannot be changed or paid", id.ShortHex()));
  }
  return &it->second;
}

absl::Status FundraisingLedger::CheckAmendment(const VerifiedEvent& e,
                                               const GroupState& state) const {
  const v1::PledgeAmendment& a = e.event.pledge_amendment();
  CONSTELLATION_ASSIGN_OR_RETURN(
      const PledgeState* p, WritablePledge(a.pledge_id(), "pledge_amendment.pledge_id", state));
  if (p->pledger != e.author) {
    return absl::PermissionDeniedError(
        absl::StrFormat("pledge %s belongs to org %s; only the pledger may amend it",
                        p->id.ShortHex(), p->pledger.ShortHex()));
  }
  const std::string currency = p->terms.amount.currency.ToString();
  if (a.terms().amount().currency() != currency) {
    return absl::InvalidArgumentError(
        absl::StrFormat("pledge_amendment.terms.amount.currency must stay %s", currency));
  }
  if (a.terms().amount().amount_minor() < p->settled_minor()) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "pledge %s has %s received or written off; the amended amount %s cannot be lower",
        p->id.ShortHex(), FormatMoney(p->settled_minor(), currency),
        FormatMoney(a.terms().amount().amount_minor(), currency)));
  }
  return absl::OkStatus();
}

absl::Status FundraisingLedger::CheckCancellation(const VerifiedEvent& e,
                                                  const GroupState& state) const {
  CONSTELLATION_ASSIGN_OR_RETURN(
      const PledgeState* p, WritablePledge(e.event.pledge_cancellation().pledge_id(),
                                           "pledge_cancellation.pledge_id", state));
  if (p->pledger != e.author) {
    return absl::PermissionDeniedError(
        absl::StrFormat("pledge %s belongs to org %s; only the pledger may cancel it",
                        p->id.ShortHex(), p->pledger.ShortHex()));
  }
  if (p->settled_minor() >= p->terms.amount.amount_minor) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "pledge %s is completed; there is nothing left to cancel", p->id.ShortHex()));
  }
  return absl::OkStatus();
}

absl::Status FundraisingLedger::CheckPayment(const VerifiedEvent& e,
                                             const GroupState& state) const {
  const v1::PaymentReceipt& r = e.event.payment_receipt();
  CONSTELLATION_ASSIGN_OR_RETURN(
      const PledgeState* p, WritablePledge(r.pledge_id(), "payment_receipt.pledge_id", state));
  const CampaignState& c = campaigns_.at(p->campaign);
  if (c.fiscal_host != e.author) {
    return absl::PermissionDeniedError(absl::StrFormat(
        "only the campaign's fiscal host (org %s) records payments for pledge %s",
        c.fiscal_host.ShortHex(), p->id.ShortHex()));
  }
  const std::string currency = p->terms.amount.currency.ToString();
  if (r.amount().currency() != currency) {
    return absl::InvalidArgumentError(
        absl::StrFormat("payment_receipt.amount.currency is %s but pledge %s is in %s",
                        r.amount().currency(), p->id.ShortHex(), currency));
  }
  if (r.amount().amount_minor() > p->outstanding_minor()) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "payment of %s exceeds the %s outstanding on pledge %s",
        FormatMoney(r.amount().amount_minor(), r.amount().currency()),
        FormatMoney(p->outstanding_minor(), r.amount().currency()), p->id.ShortHex()));
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------------------------
// Apply

PledgeState& FundraisingLedger::MutablePledge(const std::string& id_bytes) {
  return pledges_.at(*EventId::FromBytes(id_bytes));
}

void FundraisingLedger::Apply(const VerifiedEvent& e, const GroupState& state, Roster& roster) {
  (void)state, (void)roster;
  switch (e.event.body_case()) {
    case v1::Event::kCampaign:
      ApplyCampaign(e);
      return;
    case v1::Event::kPledge:
      CheckPledgeInvariants(ApplyPledge(e));
      return;
    case v1::Event::kPledgeAmendment:
    case v1::Event::kPledgeCancellation:
    case v1::Event::kPaymentReceipt:
      CheckPledgeInvariants(ApplyPledgeChange(e));
      return;
    default:
      CONSTELLATION_CHECK(false);  // Check admits only the record types handled above
  }
}

void FundraisingLedger::ApplyCampaign(const VerifiedEvent& e) {
  const v1::Campaign& campaign = e.event.campaign();
  CampaignState c;
  c.id = e.id;
  c.opened_by = e.author;
  c.fiscal_host =
      campaign.fiscal_host().empty() ? e.author : *OrgKey::FromBytes(campaign.fiscal_host());
  c.goal = CompactMoney(campaign.goal());
  c.deadline_ms = campaign.deadline_ms();
  c.opened_hlc = e.hlc;
  campaigns_.emplace(e.id, std::move(c));
}

const PledgeState& FundraisingLedger::ApplyPledge(const VerifiedEvent& e) {
  PledgeState p;
  p.id = e.id;
  p.campaign = *EventId::FromBytes(e.event.pledge().campaign_id());
  p.pledger = e.author;
  p.terms = CompactTerms(e.event.pledge().terms());
  p.terms_event = e.id;
  p.created_hlc = p.updated_hlc = e.hlc;
  p.history.push_back(NewEntry(PledgeEntryKind::kPledge, e, 1, p.terms.amount.amount_minor));
  campaigns_.at(p.campaign).pledges.push_back(e.id);
  return pledges_.emplace(e.id, std::move(p)).first->second;
}

const PledgeState& FundraisingLedger::ApplyPledgeChange(const VerifiedEvent& e) {
  const v1::Event& ev = e.event;
  if (ev.has_pledge_amendment()) {
    const v1::PledgeAmendment& a = ev.pledge_amendment();
    PledgeState& p = MutablePledge(a.pledge_id());
    p.terms = CompactTerms(a.terms());
    p.terms_event = e.id;
    ++p.version;
    p.updated_hlc = e.hlc;
    p.history.push_back(
        NewEntry(PledgeEntryKind::kAmendment, e, p.version, p.terms.amount.amount_minor));
    return p;
  }
  if (ev.has_pledge_cancellation()) {
    const v1::PledgeCancellation& c = ev.pledge_cancellation();
    PledgeState& p = MutablePledge(c.pledge_id());
    p.cancelled = true;
    p.updated_hlc = e.hlc;
    p.history.push_back(NewEntry(PledgeEntryKind::kCancellation, e, p.version, 0));
    return p;
  }
  const v1::PaymentReceipt& r = ev.payment_receipt();
  PledgeState& p = MutablePledge(r.pledge_id());
  p.received_minor += r.amount().amount_minor();
  p.updated_hlc = e.hlc;
  p.history.push_back(NewEntry(PledgeEntryKind::kPayment, e, p.version, r.amount().amount_minor()));
  return p;
}

void FundraisingLedger::CheckPledgeInvariants(const PledgeState& p) const {
  CONSTELLATION_CHECK(p.received_minor >= 0 && p.written_off_minor >= 0);
  CONSTELLATION_CHECK(p.settled_minor() <= p.terms.amount.amount_minor);
  CONSTELLATION_CHECK(!p.history.empty() && p.history.front().kind == PledgeEntryKind::kPledge);
  CONSTELLATION_CHECK(p.history.back().version == p.version);
  auto c = campaigns_.find(p.campaign);
  CONSTELLATION_CHECK(c != campaigns_.end() && c->second.goal.currency == p.terms.amount.currency);
}

void FundraisingLedger::CheckInvariants() const {
  size_t listed = 0;
  for (const auto& [id, c] : campaigns_) {
    listed += c.pledges.size();
    for (const EventId& p : c.pledges) CONSTELLATION_CHECK(pledges_.at(p).campaign == id);
  }
  CONSTELLATION_CHECK(listed == pledges_.size());
  for (const auto& [id, p] : pledges_) {
    CONSTELLATION_CHECK(p.id == id);
    CheckPledgeInvariants(p);
    CheckPledgeHistory(p);
  }
}

void FundraisingLedger::HashInto(StateHasher& h) const {
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
    h.Bool(p.cancelled);
    h.U64(p.history.size());
  }
}

}  // namespace constellation::core
