// server/core/fundraising/fundraising_checks.cc
//
// FundraisingLedger's checks (Check and its helpers, fundraising_ledger.h): every rule of a
// campaign, pledge, amendment, cancellation, payment, write-off and condition record, each
// judged on the record's causal past (docs/PROTOCOL.md §5.11). The fold's side (Apply) is in
// fundraising_ledger.cc; both settle pledges with settlement.h.
#include <cstdint>
#include <string>
#include <string_view>

#include <absl/strings/str_format.h>
#include <google/protobuf/util/message_differencer.h>

#include "server/base/check.h"
#include "server/base/enum_names.h"
#include "server/base/status_macros.h"
#include "server/core/fold/group_state.h"
#include "server/core/fundraising/fundraising_ledger.h"
#include "server/core/fundraising/settlement.h"
#include "server/core/governance/governance_ledger.h"
#include "server/core/records.h"

namespace constellation::core {

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
    case v1::Event::kWriteOff:
      return CheckWriteOff(e, state);
    case v1::Event::kPledgeCondition:
      return CheckCondition(e, state);
    default:
      CONSTELLATION_CHECK(false);  // the registry routes only these record types here
      return absl::InternalError("unreachable");
  }
}

absl::Status FundraisingLedger::CheckCampaign(const VerifiedEvent& e,
                                              const GroupState& state) const {
  const v1::Campaign& c = e.event.campaign();
  if (!c.proposal_id().empty()) {
    CONSTELLATION_ASSIGN_OR_RETURN(
        const ProposalState* p,
        Governance(state).PassedDecisionInPast(c.proposal_id(), "campaign.proposal_id",
                                               v1::DECISION_TYPE_OPEN_CAMPAIGN, e, state));
    v1::Campaign body = c;
    body.clear_proposal_id();
    if (!google::protobuf::util::MessageDifferencer::Equals(body, p->proposal.campaign())) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "campaign differs from the payload of OPEN_CAMPAIGN proposal %s; open the campaign "
          "exactly as decided (only proposal_id is added)",
          p->id.ShortHex()));
    }
    const std::string& named_host = p->proposal.campaign().fiscal_host();
    const bool is_host = !named_host.empty() && *OrgKey::FromBytes(named_host) == e.author;
    if (e.author != p->proposer && !is_host) {
      return absl::PermissionDeniedError(absl::StrFormat(
          "only the proposer (org %s) or the named fiscal host may open the campaign decided "
          "by proposal %s",
          p->proposer.ShortHex(), p->id.ShortHex()));
    }
    if (auto it = campaign_of_proposal_.find(p->id); it != campaign_of_proposal_.end()) {
      return absl::AlreadyExistsError(
          absl::StrFormat("proposal %s already opened campaign %s; one campaign per decision",
                          p->id.ShortHex(), it->second.ShortHex()));
    }
  } else {
    bool alone = false;
    for (const v1::DecisionRule& rule :
         Governance(state).CharterInPast(e, state).decision_rules()) {
      if (rule.decision_type() == v1::DECISION_TYPE_OPEN_CAMPAIGN) {
        alone = rule.member_acts_alone();
      }
    }
    if (!alone) {
      return absl::FailedPreconditionError(
          "the charter requires an OPEN_CAMPAIGN decision: propose it with the campaign as the "
          "proposal's payload, then open the campaign with campaign.proposal_id once the "
          "decision is final (or amend the charter's OPEN_CAMPAIGN rule to member_acts_alone)");
    }
  }
  const OrgKey host = c.fiscal_host().empty() ? e.author : *OrgKey::FromBytes(c.fiscal_host());
  const MembershipSpan* span = state.roster().SpanInPast(host, e, state.clocks());
  if (!Governance(state).IsMemberInPast(host, e, state) || span == nullptr ||
      span->role == v1::ROLE_OBSERVER) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "campaign.fiscal_host %s is not an active member of the group; the fiscal host "
        "must be a member (there is no umbrella to hold money)",
        host.ShortHex()));
  }
  return absl::OkStatus();
}

bool FundraisingLedger::ThresholdSettledInPast(const CampaignState& c, const VerifiedEvent& e,
                                               const GroupState& state) const {
  const Hlc point = DeadlinePoint(c.assurance_deadline_ms);
  for (const OrgKey& key : c.assurance_set) {
    if (!ChainSettledInPast(key, c.id, point, e, state)) return false;
  }
  return true;
}

absl::Status FundraisingLedger::ThresholdMetInPast(const CampaignState& c, const VerifiedEvent& e,
                                                   const GroupState& state,
                                                   std::string_view what) const {
  if (c.threshold == ThresholdState::kNone) return absl::OkStatus();
  const bool settled = ThresholdSettledInPast(c, e, state);
  if (settled && c.threshold == ThresholdState::kMet) return absl::OkStatus();
  if (settled) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "campaign %s did not reach its assurance threshold by %d ms: its pledges lapsed; %s",
        c.id.ShortHex(), c.assurance_deadline_ms, std::string(what)));
  }
  return absl::FailedPreconditionError(absl::StrFormat(
      "campaign %s's assurance threshold is not settled and met in this event's causal past "
      "(deadline %d ms); its pledges are conditional on the threshold; %s",
      c.id.ShortHex(), c.assurance_deadline_ms, std::string(what)));
}

absl::Status FundraisingLedger::CheckTotalsBound(const CampaignState& c,
                                                 const CurrencyCode& currency, int64_t amount_minor,
                                                 const VerifiedEvent& e,
                                                 const GroupState& state) const {
  auto bound = gross_bound_.find({c.id, currency});
  const __int128 fold_bound = bound == gross_bound_.end() ? 0 : bound->second;
  if (fold_bound + amount_minor <= INT64_MAX) return absl::OkStatus();
  // Near the limit: the exact sum over the campaign's records in e's causal past.
  __int128 gross = amount_minor;
  for (const EventId& id : c.pledges) {
    const PledgeState& p = pledges_.at(id);
    if (p.terms.amount.currency != currency) continue;
    int64_t largest = 0;
    for (const PledgeEntry& entry : p.history) {
      if (!state.clocks().HappenedBefore(entry.event, e)) continue;
      if (entry.kind == PledgeEntryKind::kPayment) gross += entry.amount_minor;
      if (entry.kind == PledgeEntryKind::kPledge || entry.kind == PledgeEntryKind::kAmendment) {
        largest = std::max(largest, entry.amount_minor);
      }
    }
    gross += largest;
  }
  if (gross <= INT64_MAX) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrFormat(
      "campaign %s's pledged and received sums in %s would exceed the int64 limit of %d minor "
      "units; open another campaign",
      c.id.ShortHex(), currency.ToString(), INT64_MAX));
}

absl::Status FundraisingLedger::CheckPledge(const VerifiedEvent& e, const GroupState& state) const {
  const v1::Pledge& pledge = e.event.pledge();
  CONSTELLATION_ASSIGN_OR_RETURN(EventId campaign_id,
                                 EventId::FromBytes(pledge.campaign_id(), "pledge.campaign_id"));
  auto it = campaigns_.find(campaign_id);
  if (it == campaigns_.end()) {
    return absl::NotFoundError(absl::StrFormat("campaign %s not found in group %s",
                                               campaign_id.ShortHex(), state.group().ShortHex()));
  }
  const CampaignState& c = it->second;
  if (!state.clocks().HappenedBefore(c.id, e)) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "campaign %s is not in the causal past of this pledge; pledge from a node that holds it",
        c.id.ShortHex()));
  }
  const CurrencyCode currency(pledge.terms().amount().currency());
  if (!c.Accepts(currency)) {
    std::string accepted = c.goal.currency.ToString();
    for (const CurrencyCode& code : c.accepted_currencies) accepted += ", " + code.ToString();
    return absl::InvalidArgumentError(
        absl::StrFormat("pledge.terms.amount.currency is %s but campaign %s is in %s; pledge in %s",
                        currency.ToString(), campaign_id.ShortHex(), accepted, accepted));
  }
  for (const v1::Installment& in : pledge.terms().installments()) {
    if (in.due_ms() < c.opened_hlc.wall_ms) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "pledge.terms.installments: an installment is due at %d ms, before campaign %s "
          "opened (%d ms); installment due before the campaign opened: move it later",
          in.due_ms(), c.id.ShortHex(), c.opened_hlc.wall_ms));
    }
  }
  if (c.threshold != ThresholdState::kNone && !ByDeadline(e.hlc, c.assurance_deadline_ms)) {
    CONSTELLATION_RETURN_IF_ERROR(ThresholdMetInPast(
        c, e, state, "pledges after the assurance deadline are refused until it is met"));
  }
  return CheckTotalsBound(c, currency, pledge.terms().amount().amount_minor(), e, state);
}

absl::StatusOr<const PledgeState*> FundraisingLedger::ReferencedPledge(
    const std::string& id_bytes, std::string_view field, const VerifiedEvent& e,
    const GroupState& state) const {
  CONSTELLATION_ASSIGN_OR_RETURN(EventId id, EventId::FromBytes(id_bytes, field));
  auto it = pledges_.find(id);
  if (it == pledges_.end()) {
    return absl::NotFoundError(absl::StrFormat("pledge %s not found in group %s", id.ShortHex(),
                                               state.group().ShortHex()));
  }
  if (!state.clocks().HappenedBefore(id, e)) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "%s: pledge %s is not in this event's causal past; record it from a node that holds it",
        std::string(field), id.ShortHex()));
  }
  return &it->second;
}

namespace {

// What a check reads of a pledge in e's causal past.
struct PastView {
  Settlement settlement;
  bool released = false;
  bool lapsed_by_threshold = false;  // the threshold is settled and not met in past(e)
  int64_t outstanding_minor() const {
    return settlement.amount_minor - settlement.received_minor - settlement.written_off_minor;
  }
  int64_t settled_minor() const { return settlement.received_minor + settlement.written_off_minor; }
};

}  // namespace

// The pledge's closed state in e's past, as a refusal (kFailedPrecondition) or OK.
static absl::Status OpenInPast(const PledgeState& p, const PastView& past, std::string_view what) {
  if (past.settlement.cancelled) {
    return absl::FailedPreconditionError(
        absl::StrFormat("pledge %s is cancelled; %s", p.id.ShortHex(), std::string(what)));
  }
  if (past.released) {
    return absl::FailedPreconditionError(
        absl::StrFormat("pledge %s lapsed (released by the pledger's right of release); %s",
                        p.id.ShortHex(), std::string(what)));
  }
  if (past.lapsed_by_threshold) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "pledge %s lapsed (assurance threshold not met); %s", p.id.ShortHex(), std::string(what)));
  }
  return absl::OkStatus();
}

// `p` as its records in e's causal past show it (PROTOCOL §5.11.9, last paragraph).
static PastView PastOf(const PledgeState& p, bool lapsed_by_threshold, const VerifiedEvent& e,
                       const GroupState& state) {
  PastView past;
  past.lapsed_by_threshold = lapsed_by_threshold;
  past.settlement = Settle(
      p, [&](const PledgeEntry& entry) { return state.clocks().HappenedBefore(entry.event, e); },
      lapsed_by_threshold, state.clocks());
  past.released = past.settlement.condition == ConditionOutcome::kReleased;
  return past;
}

absl::StatusOr<const PledgeState*> FundraisingLedger::OwnPledge(const std::string& id_bytes,
                                                                std::string_view field,
                                                                std::string_view verb,
                                                                const VerifiedEvent& e,
                                                                const GroupState& state) const {
  CONSTELLATION_ASSIGN_OR_RETURN(EventId id, EventId::FromBytes(id_bytes, field));
  auto it = pledges_.find(id);
  if (it == pledges_.end()) {
    return absl::NotFoundError(absl::StrFormat("pledge %s not found in group %s", id.ShortHex(),
                                               state.group().ShortHex()));
  }
  if (it->second.pledger != e.author) {
    return absl::PermissionDeniedError(
        absl::StrFormat("pledge %s belongs to org %s; only the pledger may %s it", id.ShortHex(),
                        it->second.pledger.ShortHex(), std::string(verb)));
  }
  return &it->second;
}

bool FundraisingLedger::LapsedInPast(const CampaignState& c, const VerifiedEvent& e,
                                     const GroupState& state) const {
  return c.threshold == ThresholdState::kNotMet && ThresholdSettledInPast(c, e, state);
}

absl::Status FundraisingLedger::CheckAmendment(const VerifiedEvent& e,
                                               const GroupState& state) const {
  const v1::PledgeAmendment& a = e.event.pledge_amendment();
  CONSTELLATION_ASSIGN_OR_RETURN(
      const PledgeState* own,
      OwnPledge(a.pledge_id(), "pledge_amendment.pledge_id", "amend", e, state));
  const PledgeState& p = *own;
  const CampaignState& c = campaigns_.at(p.campaign);
  const PastView past = PastOf(p, LapsedInPast(c, e, state), e, state);
  CONSTELLATION_RETURN_IF_ERROR(OpenInPast(p, past, "it cannot be amended"));
  const std::string currency = p.terms.amount.currency.ToString();
  if (a.terms().amount().currency() != currency) {
    return absl::InvalidArgumentError(
        absl::StrFormat("pledge_amendment.terms.amount.currency must stay %s", currency));
  }
  const int64_t amount = a.terms().amount().amount_minor();
  if (amount < past.settled_minor()) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "pledge %s has %s received or written off; the amended amount %s cannot be lower",
        p.id.ShortHex(), FormatMoney(past.settled_minor(), currency),
        FormatMoney(amount, currency)));
  }
  const PledgeTerms& old_terms = past.settlement.terms->terms;
  const size_t paid = FullyPaidCount(old_terms, past.settlement.received_minor);
  const PledgeTerms new_terms = CompactTerms(a.terms());
  for (size_t i = 0; i < paid; ++i) {
    if (i >= new_terms.installments.size() ||
        new_terms.installments[i] != old_terms.installments[i]) {
      return absl::FailedPreconditionError(absl::StrFormat(
          "pledge %s has its first %d installment(s) paid; paid installments are never "
          "rewritten: keep them unchanged at the start of pledge_amendment.terms.installments",
          p.id.ShortHex(), paid));
    }
  }
  for (const InstallmentDue& in : new_terms.installments) {
    if (in.due_ms < c.opened_hlc.wall_ms) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "pledge_amendment.terms.installments: an installment is due at %d ms, before "
          "campaign %s opened (%d ms); installment due before the campaign opened",
          in.due_ms, c.id.ShortHex(), c.opened_hlc.wall_ms));
    }
  }
  return CheckTotalsBound(c, p.terms.amount.currency, amount, e, state);
}

absl::Status FundraisingLedger::CheckCancellation(const VerifiedEvent& e,
                                                  const GroupState& state) const {
  CONSTELLATION_ASSIGN_OR_RETURN(const PledgeState* own,
                                 OwnPledge(e.event.pledge_cancellation().pledge_id(),
                                           "pledge_cancellation.pledge_id", "cancel", e, state));
  const PledgeState& p = *own;
  const PastView past = PastOf(p, LapsedInPast(campaigns_.at(p.campaign), e, state), e, state);
  CONSTELLATION_RETURN_IF_ERROR(OpenInPast(p, past, "it cannot be cancelled again"));
  if (past.settled_minor() >= past.settlement.amount_minor) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "pledge %s is completed; there is nothing left to cancel", p.id.ShortHex()));
  }
  return absl::OkStatus();
}

absl::Status FundraisingLedger::CheckPayment(const VerifiedEvent& e,
                                             const GroupState& state) const {
  const v1::PaymentReceipt& r = e.event.payment_receipt();
  CONSTELLATION_ASSIGN_OR_RETURN(
      const PledgeState* p, ReferencedPledge(r.pledge_id(), "payment_receipt.pledge_id", e, state));
  const CampaignState& c = campaigns_.at(p->campaign);
  if (c.fiscal_host != e.author) {
    return absl::PermissionDeniedError(
        absl::StrFormat("only the campaign's fiscal host (org %s) records payments for pledge %s",
                        c.fiscal_host.ShortHex(), p->id.ShortHex()));
  }
  const std::string currency = p->terms.amount.currency.ToString();
  if (r.amount().currency() != currency) {
    return absl::InvalidArgumentError(
        absl::StrFormat("payment_receipt.amount.currency is %s but pledge %s is in %s",
                        r.amount().currency(), p->id.ShortHex(), currency));
  }
  if (r.received_ms() > e.hlc.wall_ms) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "payment_receipt.received_ms %d is after this event's time %d: received in the future; "
        "record a payment once it has arrived",
        r.received_ms(), e.hlc.wall_ms));
  }
  CONSTELLATION_RETURN_IF_ERROR(
      CheckTotalsBound(c, p->terms.amount.currency, r.amount().amount_minor(), e, state));
  if (r.unapplied()) return absl::OkStatus();
  constexpr std::string_view kUnapplied =
      "record the money as an unapplied receipt (payment_receipt.unapplied) to refund or "
      "re-allocate it";
  CONSTELLATION_RETURN_IF_ERROR(ThresholdMetInPast(c, e, state, kUnapplied));
  const PastView past = PastOf(*p, /*lapsed_by_threshold=*/false, e, state);  // met: checked
  CONSTELLATION_RETURN_IF_ERROR(OpenInPast(*p, past, std::string(kUnapplied)));
  if (r.amount().amount_minor() > past.outstanding_minor()) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "payment of %s exceeds the %s outstanding on pledge %s; record the excess as an "
        "unapplied receipt",
        FormatMoney(r.amount().amount_minor(), r.amount().currency()),
        FormatMoney(past.outstanding_minor(), r.amount().currency()), p->id.ShortHex()));
  }
  return absl::OkStatus();
}

absl::Status FundraisingLedger::CheckWriteOff(const VerifiedEvent& e,
                                              const GroupState& state) const {
  const v1::WriteOff& w = e.event.write_off();
  CONSTELLATION_ASSIGN_OR_RETURN(const PledgeState* p,
                                 ReferencedPledge(w.pledge_id(), "write_off.pledge_id", e, state));
  const CampaignState& c = campaigns_.at(p->campaign);
  if (c.fiscal_host != e.author) {
    return absl::PermissionDeniedError(absl::StrFormat(
        "only the campaign's fiscal host (org %s) writes off pledge %s, backed by a WRITE_OFF "
        "decision",
        c.fiscal_host.ShortHex(), p->id.ShortHex()));
  }
  CONSTELLATION_ASSIGN_OR_RETURN(
      const ProposalState* proposal,
      Governance(state).PassedDecisionInPast(w.proposal_id(), "write_off.proposal_id",
                                             v1::DECISION_TYPE_WRITE_OFF, e, state));
  const v1::WriteOffPayload& decided = proposal->proposal.write_off();
  if (decided.pledge_id() != w.pledge_id() ||
      decided.amount().amount_minor() != w.amount().amount_minor() ||
      decided.amount().currency() != w.amount().currency()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "write_off differs from WRITE_OFF proposal %s, which decided %s on pledge %s; write off "
        "exactly what was decided",
        proposal->id.ShortHex(),
        FormatMoney(decided.amount().amount_minor(), decided.amount().currency()),
        EventId::FromBytes(decided.pledge_id()).ok()
            ? EventId::FromBytes(decided.pledge_id())->ShortHex()
            : std::string("?")));
  }
  if (auto it = write_off_of_proposal_.find(proposal->id); it != write_off_of_proposal_.end()) {
    return absl::AlreadyExistsError(
        absl::StrFormat("WRITE_OFF proposal %s was already executed by write-off %s",
                        proposal->id.ShortHex(), it->second.ShortHex()));
  }
  constexpr std::string_view kWhat = "nothing can be written off";
  CONSTELLATION_RETURN_IF_ERROR(ThresholdMetInPast(c, e, state, kWhat));
  const PastView past = PastOf(*p, /*lapsed_by_threshold=*/false, e, state);  // met: checked
  CONSTELLATION_RETURN_IF_ERROR(OpenInPast(*p, past, std::string(kWhat)));
  const std::string currency = p->terms.amount.currency.ToString();
  if (w.amount().amount_minor() > past.outstanding_minor()) {
    return absl::FailedPreconditionError(
        absl::StrFormat("write-off of %s exceeds the %s outstanding on pledge %s",
                        FormatMoney(w.amount().amount_minor(), currency),
                        FormatMoney(past.outstanding_minor(), currency), p->id.ShortHex()));
  }
  return absl::OkStatus();
}

absl::Status FundraisingLedger::CheckCondition(const VerifiedEvent& e,
                                               const GroupState& state) const {
  const v1::PledgeConditionResolution& r = e.event.pledge_condition();
  CONSTELLATION_ASSIGN_OR_RETURN(
      const PledgeState* p,
      ReferencedPledge(r.pledge_id(), "pledge_condition.pledge_id", e, state));
  const CampaignState& c = campaigns_.at(p->campaign);
  if (e.author != p->pledger && e.author != c.fiscal_host) {
    return absl::PermissionDeniedError(absl::StrFormat(
        "only the pledger (org %s) or the campaign's fiscal host (org %s) resolves the condition "
        "of pledge %s",
        p->pledger.ShortHex(), c.fiscal_host.ShortHex(), p->id.ShortHex()));
  }
  const PastView past = PastOf(*p, LapsedInPast(c, e, state), e, state);
  if (past.settlement.condition != ConditionOutcome::kNone) {
    return absl::AlreadyExistsError(
        absl::StrFormat("the condition of pledge %s is already resolved (%s)", p->id.ShortHex(),
                        std::string(ConditionOutcomeName(past.settlement.condition))));
  }
  CONSTELLATION_RETURN_IF_ERROR(OpenInPast(*p, past, "its condition cannot be resolved"));
  if (!past.settlement.terms->terms.conditional) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "pledge %s has no condition in its current terms; there is nothing to resolve",
        p->id.ShortHex()));
  }
  return absl::OkStatus();
}

}  // namespace constellation::core
