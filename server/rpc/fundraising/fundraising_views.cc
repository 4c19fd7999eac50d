#include "server/rpc/fundraising/fundraising_views.h"

#include <absl/strings/ascii.h>
#include <absl/strings/str_format.h>

#include "server/base/check.h"
#include "server/rpc/request.h"

namespace constellation::rpc {
namespace {

// The wire value of a derived status, by name from the proto descriptor:
// core::PledgeStatusName "in_progress" is v1::PLEDGE_STATUS_IN_PROGRESS.
v1::PledgeStatus ToProtoStatus(core::PledgeStatus status) {
  const std::string name = absl::AsciiStrToUpper(
      absl::StrFormat("pledge_status_%s", std::string(core::PledgeStatusName(status))));
  v1::PledgeStatus out;
  return v1::PledgeStatus_Parse(name, &out) ? out : v1::PLEDGE_STATUS_UNSPECIFIED;
}

// The body of `g`'s event `id`, which its fundraising ledger names: the group holds every event
// its state was folded from.
const v1::Event& EventOf(const core::Group& g, const core::EventId& id) {
  const core::VerifiedEvent* e = g.Find(id);
  CONSTELLATION_CHECK(e != nullptr);
  return e->event;
}

// The terms a pledge or an amendment set.
const v1::PledgeTerms& TermsOf(const v1::Event& event) {
  if (event.has_pledge_amendment()) return event.pledge_amendment().terms();
  CONSTELLATION_CHECK(event.has_pledge());
  return event.pledge().terms();
}

// Why `p` was cancelled: the reason of its cancellation entry's event; why it lapsed; "" when
// it is live.
std::string CancelReason(const core::Group& g, const core::PledgeState& p) {
  if (p.lapsed() && !p.cancelled) return std::string(core::LapseReasonText(p.lapse));
  if (!p.cancelled) return "";
  for (auto it = p.history.rbegin(); it != p.history.rend(); ++it) {
    if (it->kind == core::PledgeEntryKind::kCancellation) {
      const v1::Event& event = EventOf(g, it->event);
      CONSTELLATION_CHECK(event.has_pledge_cancellation());
      return event.pledge_cancellation().reason();
    }
  }
  CONSTELLATION_CHECK(false);  // the ledger's invariant: cancelled iff a cancellation entry
  return "";
}

// `t` as a totals view in `currency` of `member` (empty: the whole campaign).
v1::CampaignTotalsView ToTotalsView(const core::CampaignTotals& t, const core::CurrencyCode& currency,
                                    const std::string& member) {
  v1::CampaignTotalsView v;
  v.set_currency(currency.ToString());
  v.set_member(member);
  v.set_pledge_count(t.pledge_count);
  v.set_pledged_minor(t.pledged_minor);
  v.set_received_minor(t.received_minor);
  v.set_written_off_minor(t.written_off_minor);
  v.set_outstanding_minor(t.outstanding_minor);
  v.set_conditional_minor(t.conditional_minor);
  v.set_cancelled_minor(t.cancelled_minor);
  v.set_lapsed_minor(t.lapsed_minor);
  v.set_unapplied_minor(t.unapplied_minor);
  v.set_closed_received_minor(t.closed_received_minor);
  v.set_closed_written_off_minor(t.closed_written_off_minor);
  return v;
}

// Why a conditional pledge is conditional: "condition" (its own, unresolved) first, else
// "threshold" (its campaign's, not settled); "" when it is not.
std::string ConditionalReason(const core::PledgeState& p) {
  if (p.condition_pending()) return "condition";
  if (p.threshold_pending) return "threshold";
  return "";
}

}  // namespace

const v1::PledgeTerms& CurrentTerms(const core::Group& g, const core::PledgeState& p) {
  return TermsOf(EventOf(g, p.terms_event));
}

absl::StatusOr<const core::CampaignState*> FindCampaign(const core::Group& g,
                                                        const std::string& id_bytes) {
  return FindRecord(core::Fundraising(g.state()).campaigns(), g, "campaign", id_bytes);
}

absl::StatusOr<const core::PledgeState*> FindPledge(const core::Group& g,
                                                    const std::string& id_bytes) {
  return FindRecord(core::Fundraising(g.state()).pledges(), g, "pledge", id_bytes);
}

absl::StatusOr<v1::CampaignView> ToCampaignView(const core::Group& g,
                                                const core::CampaignState& c) {
  const core::GroupState& state = g.state();
  const v1::Event& event = EventOf(g, c.id);
  CONSTELLATION_CHECK(event.has_campaign());
  v1::CampaignView v;
  v.set_campaign_id(c.id.Bytes());
  v.set_group_id(state.group().Bytes());
  v.set_opened_by(c.opened_by.Bytes());
  *v.mutable_campaign() = event.campaign();
  v.set_fiscal_host(c.fiscal_host.Bytes());
  const core::FundraisingLedger& ledger = core::Fundraising(state);
  CONSTELLATION_ASSIGN_OR_RETURN(const core::CampaignTotals t, ledger.Totals(c));
  v.set_pledge_count(t.pledge_count);
  v.set_pledged_minor(t.pledged_minor);
  v.set_received_minor(t.received_minor);
  v.set_outstanding_minor(t.outstanding_minor);
  v.set_conditional_minor(t.conditional_minor);
  v.set_written_off_minor(t.written_off_minor);
  v.set_lapsed_minor(t.lapsed_minor);
  v.set_cancelled_minor(t.cancelled_minor);
  v.set_unapplied_minor(t.unapplied_minor);
  *v.mutable_opened_hlc() = c.opened_hlc.ToProto();
  v.set_threshold_state(std::string(core::ThresholdStateName(c.threshold)));
  *v.add_totals() = ToTotalsView(t, c.goal.currency, "");
  for (const auto& [currency, sums] : c.totals) {
    if (currency == c.goal.currency) continue;
    CONSTELLATION_ASSIGN_OR_RETURN(const core::CampaignTotals in, core::TotalsOf(sums));
    *v.add_totals() = ToTotalsView(in, currency, "");
  }
  for (const auto& [key, sums] : c.member_totals) {
    CONSTELLATION_ASSIGN_OR_RETURN(const core::CampaignTotals in, core::TotalsOf(sums));
    *v.add_member_totals() = ToTotalsView(in, key.second, key.first.Bytes());
  }
  return v;
}

v1::PledgeView ToPledgeView(const core::Group& g, const core::PledgeState& p, uint64_t as_of_ms) {
  const core::GroupState& state = g.state();
  v1::PledgeView v;
  v.set_pledge_id(p.id.Bytes());
  v.set_group_id(state.group().Bytes());
  v.set_campaign_id(p.campaign.Bytes());
  v.set_pledger(p.pledger.Bytes());
  *v.mutable_terms() = CurrentTerms(g, p);
  v.set_version(p.version);
  const core::CampaignState& campaign = core::Fundraising(state).campaigns().at(p.campaign);
  const uint64_t deadline_ms = campaign.deadline_ms;
  v.set_status(ToProtoStatus(core::DerivePledgeStatus(p, deadline_ms, as_of_ms)));
  v.set_received_minor(p.received_minor);
  v.set_written_off_minor(p.written_off_minor);
  v.set_outstanding_minor(p.outstanding_minor());
  *v.mutable_created_hlc() = p.created_hlc.ToProto();
  *v.mutable_updated_hlc() = p.updated_hlc.ToProto();
  v.set_cancel_reason(CancelReason(g, p));
  v.set_conditional_reason(ConditionalReason(p));
  v.set_lapse_reason(std::string(core::LapseReasonText(p.lapse)));
  v.set_unapplied_minor(p.unapplied_minor);
  for (const core::InstallmentPosition& line : core::DeriveInstallments(p, deadline_ms)) {
    v1::InstallmentLine& out = *v.add_installments();
    out.set_due_ms(line.due_ms);
    out.set_amount_minor(line.amount_minor);
    out.set_paid_minor(line.paid_minor);
    out.set_written_off_minor(line.written_off_minor);
    out.set_outstanding_minor(line.outstanding_minor);
    out.set_dropped_minor(line.dropped_minor);
  }
  if (p.condition != core::ConditionOutcome::kNone) {
    v.set_condition_outcome(std::string(core::ConditionOutcomeName(p.condition)));
  }
  v.set_threshold_state(std::string(core::ThresholdStateName(campaign.threshold)));
  return v;
}

v1::PledgeVersion ToPledgeVersion(const core::Group& g, const core::PledgeState& pledge,
                                  const core::PledgeEntry& entry) {
  (void)pledge;  // every entry's amount and currency are in its event
  v1::PledgeVersion v;
  v.set_version(entry.version);
  v.set_event_id(entry.event.Bytes());
  v.set_author(entry.author.Bytes());
  *v.mutable_hlc() = entry.hlc.ToProto();
  v.set_kind(std::string(core::PledgeEntryKindName(entry.kind)));
  const v1::Event& event = EventOf(g, entry.event);
  switch (entry.kind) {
    case core::PledgeEntryKind::kPledge:
      CONSTELLATION_CHECK(event.has_pledge());
      *v.mutable_terms() = event.pledge().terms();
      break;
    case core::PledgeEntryKind::kAmendment:
      CONSTELLATION_CHECK(event.has_pledge_amendment());
      *v.mutable_terms() = event.pledge_amendment().terms();
      v.set_reason(event.pledge_amendment().reason());
      break;
    case core::PledgeEntryKind::kCancellation:
      CONSTELLATION_CHECK(event.has_pledge_cancellation());
      v.set_reason(event.pledge_cancellation().reason());
      break;
    case core::PledgeEntryKind::kPayment: {
      CONSTELLATION_CHECK(event.has_payment_receipt());
      const v1::PaymentReceipt& r = event.payment_receipt();
      *v.mutable_amount() = r.amount();
      v.set_external_ref(r.external_ref());
      v.set_received_ms(r.received_ms());
      break;
    }
    case core::PledgeEntryKind::kWriteOff:
      CONSTELLATION_CHECK(event.has_write_off());
      *v.mutable_amount() = event.write_off().amount();
      v.set_reason(event.write_off().reason_code());
      break;
    case core::PledgeEntryKind::kCondition:
      CONSTELLATION_CHECK(event.has_pledge_condition());
      v.set_reason(event.pledge_condition().note());
      break;
  }
  return v;
}

absl::StatusOr<v1::CampaignView> CampaignViewOf(const core::Group& group,
                                                const std::string& campaign_id, uint64_t) {
  CONSTELLATION_ASSIGN_OR_RETURN(const core::CampaignState* c, FindCampaign(group, campaign_id));
  return ToCampaignView(group, *c);
}

absl::StatusOr<v1::PledgeView> PledgeViewOf(const core::Group& group, const std::string& pledge_id,
                                            uint64_t as_of_ms) {
  CONSTELLATION_ASSIGN_OR_RETURN(const core::PledgeState* pledge, FindPledge(group, pledge_id));
  return ToPledgeView(group, *pledge, as_of_ms);
}

}  // namespace constellation::rpc
