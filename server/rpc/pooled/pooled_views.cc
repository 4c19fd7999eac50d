#include "server/rpc/pooled/pooled_views.h"

#include <absl/strings/ascii.h>
#include <absl/strings/str_format.h>

#include "server/base/check.h"
#include "server/core/governance/decisions.h"
#include "server/core/governance/governance_ledger.h"
#include "server/rpc/request.h"

namespace constellation::rpc {
namespace {

// The body of `g`'s event `id`, which its pooled ledger names: the group holds every event its
// state was folded from.
const core::VerifiedEvent& EventOf(const core::Group& g, const core::EventId& id) {
  const core::VerifiedEvent* e = g.Find(id);
  CONSTELLATION_CHECK(e != nullptr);
  return *e;
}

v1::DrawdownStatus ToProtoStatus(core::DrawdownStatus status) {
  const std::string name = absl::AsciiStrToUpper(
      absl::StrFormat("drawdown_status_%s", std::string(core::DrawdownStatusName(status))));
  v1::DrawdownStatus out;
  return v1::DrawdownStatus_Parse(name, &out) ? out : v1::DRAWDOWN_STATUS_UNSPECIFIED;
}

v1::Money ToMoney(const core::Money& m) {
  v1::Money out;
  out.set_amount_minor(m.amount_minor);
  out.set_currency(m.currency.ToString());
  return out;
}

}  // namespace

absl::StatusOr<const core::ContributionState*> FindContribution(const core::Group& g,
                                                                const std::string& id_bytes) {
  return FindRecord(core::Pooled(g.state()).contributions(), g, "contribution", id_bytes);
}

absl::StatusOr<const core::FundState*> FindFund(const core::Group& g, const std::string& id_bytes) {
  return FindRecord(core::Pooled(g.state()).funds(), g, "fund", id_bytes);
}

v1::ContributionView ToContributionView(const core::Group& g, const core::ContributionState& c) {
  const core::VerifiedEvent& e = EventOf(g, c.id);
  CONSTELLATION_CHECK(e.event.has_contribution());
  v1::ContributionView v;
  v.set_contribution_id(c.id.Bytes());
  v.set_group_id(g.id().Bytes());
  v.set_contributor(c.contributor.Bytes());
  *v.mutable_contribution() = e.event.contribution();
  *v.mutable_hlc() = c.hlc.ToProto();
  if (c.reversed_by.has_value()) v.set_reversed_by(c.reversed_by->Bytes());
  if (c.receipt.has_value()) v.set_receipt_id(c.receipt->Bytes());
  v.set_reversed_after_receipt(c.reversed_after_receipt);
  return v;
}

v1::FundView ToFundView(const core::Group& g, const core::FundState& f,
                        const std::vector<core::DrawdownView>& drawdowns) {
  const core::VerifiedEvent& e = EventOf(g, f.id);
  CONSTELLATION_CHECK(e.event.has_fund());
  v1::FundView v;
  v.set_fund_id(f.id.Bytes());
  v.set_group_id(g.id().Bytes());
  *v.mutable_fund() = e.event.fund();
  v.set_received_minor(f.received_minor);
  v.set_disbursed_minor(f.disbursed_minor);
  v.set_balance_minor(f.balance_minor());
  const int64_t approved = core::ApprovedUndisbursedMinor(drawdowns, f.id);
  v.set_approved_undisbursed_minor(approved);
  v.set_available_minor(f.balance_minor() - approved);
  v.set_receipt_count(static_cast<uint32_t>(f.receipts.size()));
  v.set_disbursement_count(static_cast<uint32_t>(f.disbursements.size()));
  *v.mutable_created_hlc() = f.created_hlc.ToProto();
  return v;
}

v1::DrawdownView ToDrawdownView(const core::Group& g, const core::DrawdownView& d) {
  const core::ProposalState& p = core::Governance(g.state()).proposals().at(d.proposal);
  v1::DrawdownView v;
  v.set_proposal_id(d.proposal.Bytes());
  v.set_group_id(g.id().Bytes());
  v.set_fund_id(d.fund.Bytes());
  v.set_proposer(d.proposer.Bytes());
  v.set_recipient(d.recipient.Bytes());
  *v.mutable_amount() = ToMoney(d.amount);
  v.set_title(p.proposal.title());
  v.set_purpose(p.proposal.allocate().purpose());
  v.set_budget_line(p.proposal.allocate().budget_line());
  v.set_status(ToProtoStatus(d.status));
  v.set_reason(d.reason);
  if (d.disbursement.has_value()) v.set_disbursement_id(d.disbursement->Bytes());
  v.set_outcome(std::string(core::DecisionOutcomeName(p.outcome.outcome)));
  v.set_final(p.outcome.final);
  return v;
}

v1::PooledEntryView ToEntryView(const core::Group& g, const core::PooledEntry& entry) {
  const core::VerifiedEvent& e = EventOf(g, entry.event);
  const core::PooledLedger& pooled = core::Pooled(g.state());
  v1::PooledEntryView v;
  v.set_event_id(e.id.Bytes());
  v.set_kind(std::string(core::PooledEntryKindName(entry.kind)));
  v.set_author(e.author.Bytes());
  *v.mutable_hlc() = e.hlc.ToProto();
  switch (entry.kind) {
    case core::PooledEntryKind::kContribution:
    case core::PooledEntryKind::kReversal:
      *v.mutable_contribution() = e.event.contribution();
      v.set_fund_id(e.event.contribution().fund_id());
      break;
    case core::PooledEntryKind::kFund:
      *v.mutable_fund() = e.event.fund();
      v.set_fund_id(e.id.Bytes());
      break;
    case core::PooledEntryKind::kReceipt: {
      *v.mutable_receipt() = e.event.contribution_receipt();
      const core::ContributionState& c = pooled.contributions().at(
          *core::EventId::FromBytes(e.event.contribution_receipt().contribution_id()));
      v.set_fund_id(c.fund->Bytes());
      break;
    }
    case core::PooledEntryKind::kDisbursement: {
      *v.mutable_disbursement() = e.event.disbursement();
      const core::DisbursementState& d = pooled.disbursements().at(
          *core::EventId::FromBytes(e.event.disbursement().proposal_id()));
      v.set_fund_id(d.fund.Bytes());
      break;
    }
  }
  return v;
}

v1::SharesView ToSharesView(const core::BenefitShares& shares) {
  v1::SharesView v;
  v.set_basis(shares.basis);
  for (const auto& [currency, list] : shares.by_currency) {
    v1::SharesInCurrency* c = v.add_currencies();
    c->set_currency(currency);
    for (const core::BenefitShare& s : list) {
      v1::BenefitShareView* out = c->add_shares();
      out->set_member(s.member.Bytes());
      out->set_share_bps(s.share_bps);
      out->set_contributed_minor(s.contributed_minor);
    }
  }
  return v;
}

absl::StatusOr<v1::ContributionView> ContributionViewOf(const core::Group& group,
                                                        const std::string& contribution_id,
                                                        uint64_t as_of_ms) {
  (void)as_of_ms;
  CONSTELLATION_ASSIGN_OR_RETURN(const core::ContributionState* c,
                                 FindContribution(group, contribution_id));
  return ToContributionView(group, *c);
}

absl::StatusOr<v1::FundView> FundViewOf(const core::Group& group, const std::string& fund_id,
                                        uint64_t as_of_ms) {
  (void)as_of_ms;
  CONSTELLATION_ASSIGN_OR_RETURN(const core::FundState* f, FindFund(group, fund_id));
  return ToFundView(group, *f, core::Drawdowns(group.state(), f->id));
}

absl::StatusOr<v1::DrawdownView> DrawdownViewOf(const core::Group& group,
                                                const std::string& proposal_id, uint64_t as_of_ms) {
  (void)as_of_ms;
  CONSTELLATION_ASSIGN_OR_RETURN(core::EventId id, ParseEventId(proposal_id, "proposal_id"));
  for (const core::DrawdownView& d : core::Drawdowns(group.state())) {
    if (d.proposal == id) return ToDrawdownView(group, d);
  }
  return absl::NotFoundError(
      absl::StrFormat("drawdown %s not found in group %s: no ALLOCATE_FUNDS proposal with that id",
                      id.Hex(), group.id().Hex()));
}

}  // namespace constellation::rpc
