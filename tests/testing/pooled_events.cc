#include "tests/testing/pooled_events.h"

#include "tests/testing/event_factory.h"

namespace constellation::testing {

v1::Fund TestFund(const core::OrgKey& host, const std::string& currency, const std::string& name) {
  v1::Fund f;
  f.set_name(name);
  f.set_fiscal_host(host.Bytes());
  f.set_currency(currency);
  return f;
}

v1::Event CashContributionBody(int64_t amount_minor, const std::string& currency,
                               const core::EventId* fund) {
  v1::Event e;
  v1::Contribution* c = e.mutable_contribution();
  c->set_kind(v1::CONTRIBUTION_KIND_CASH);
  *c->mutable_value() = MakeMoney(amount_minor, currency);
  if (fund != nullptr) c->set_fund_id(fund->Bytes());
  return e;
}

v1::Event StaffTimeBody(int64_t hours_milli, int64_t rate_minor, v1::ValuationMethod method,
                        const std::string& currency) {
  v1::Event e;
  v1::Contribution* c = e.mutable_contribution();
  c->set_kind(v1::CONTRIBUTION_KIND_STAFF_TIME);
  c->set_quantity_milli(hours_milli);
  c->set_unit("hour");
  c->set_valuation_method(method);
  *c->mutable_unit_rate() = MakeMoney(rate_minor, currency);
  const __int128 n = static_cast<__int128>(hours_milli) * rate_minor;
  *c->mutable_value() = MakeMoney(static_cast<int64_t>((2 * n + 1000) / 2000), currency);
  return e;
}

v1::Event ReversalBody(const v1::Event& original, const core::EventId& id) {
  v1::Event e = original;
  e.mutable_contribution()->set_reverses(id.Bytes());
  return e;
}

v1::Event CreateFundProposalBody(const v1::Fund& fund) {
  v1::Event e;
  v1::Proposal* p = e.mutable_proposal();
  p->set_decision_type(v1::DECISION_TYPE_CREATE_FUND);
  p->set_title("Create " + fund.name());
  *p->mutable_fund() = fund;
  return e;
}

v1::Event FundBody(const v1::Fund& fund, const core::EventId& proposal) {
  v1::Event e;
  *e.mutable_fund() = fund;
  e.mutable_fund()->set_proposal_id(proposal.Bytes());
  return e;
}

v1::Event ReceiptBody(const core::EventId& contribution, int64_t amount_minor,
                      const std::string& currency, uint64_t received_ms) {
  v1::Event e;
  v1::ContributionReceipt* r = e.mutable_contribution_receipt();
  r->set_contribution_id(contribution.Bytes());
  *r->mutable_amount() = MakeMoney(amount_minor, currency);
  r->set_received_ms(received_ms);
  r->set_external_ref("BANK-2026-001");
  return e;
}

v1::Event DrawdownBody(const core::EventId& fund, int64_t amount_minor,
                       const core::OrgKey& recipient, const std::string& currency) {
  v1::Event e;
  v1::Proposal* p = e.mutable_proposal();
  p->set_decision_type(v1::DECISION_TYPE_ALLOCATE_FUNDS);
  p->set_title("Drawdown for dune fencing");
  v1::AllocatePayload* a = p->mutable_allocate();
  a->set_fund_id(fund.Bytes());
  *a->mutable_amount() = MakeMoney(amount_minor, currency);
  a->set_recipient(recipient.Bytes());
  a->set_purpose("Dune fencing materials");
  a->set_budget_line("4.2 materials");
  return e;
}

v1::Event DisbursementBody(const core::EventId& proposal, int64_t amount_minor,
                           const std::string& currency) {
  v1::Event e;
  v1::Disbursement* d = e.mutable_disbursement();
  d->set_proposal_id(proposal.Bytes());
  *d->mutable_amount() = MakeMoney(amount_minor, currency);
  d->set_external_ref("WIRE-7781");
  return e;
}

}  // namespace constellation::testing
