// tests/sim/domains/fundraising_domain.cc
//
// The fundraising domain of the simulation (sim_domain.h; server/core/fundraising/,
// docs/PROTOCOL.md §5.9–5.11):
//   * actions: open a campaign alone (its opener is the fiscal host; some with an accepted
//     second currency, some with an assurance threshold by amount or member count), open a
//     campaign decided by a final, passed OPEN_CAMPAIGN proposal, pledge (some conditional,
//     some with installments), amend one's own pledge (keeping the paid installments), cancel
//     it, record a payment on a pledge one hosts (applied up to what is outstanding in one's
//     view, or unapplied), propose a write-off of a hosted pledge and execute a final, passed
//     one, resolve a condition (met, waived or released).
//   * invariant "fundraising ledger reconciles" (after every step, on every node that is up):
//     every pledge reconciles, received + written off + outstanding + dropped = amount, in
//     total and per installment; applied + unapplied = the sum of its payments; its terms are
//     those its terms event set; each campaign lists exactly its pledges, and its kept totals
//     (per currency and per member and currency) are the sums over its pledges.
// Writes a node's view allows may still be refused (a concurrent record it has not seen); the
// simulator counts them. Nothing here can lose money: the invariant would fail.
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <absl/strings/str_format.h>

#include "server/core/fundraising/fundraising_ledger.h"
#include "server/core/governance/governance_ledger.h"
#include "server/core/group.h"
#include "tests/sim/domains/sim_domain.h"
#include "tests/testing/event_factory.h"

namespace constellation::sim {
namespace {

using ::constellation::testing::AmendmentBody;
using ::constellation::testing::CampaignBody;
using ::constellation::testing::CancellationBody;
using ::constellation::testing::ConditionBody;
using ::constellation::testing::MakeMoney;
using ::constellation::testing::PaymentBody;
using ::constellation::testing::PledgeBody;
using ::constellation::testing::TestCampaign;
using ::constellation::testing::TestTerms;
using ::constellation::testing::TestTermsWithInstallments;
using ::constellation::testing::UnappliedPaymentBody;
using ::constellation::testing::WriteOffBody;
using ::constellation::testing::WriteOffProposalBody;

// Weights (sim_domain.h: about "per 10'000 steps").
constexpr uint32_t kCampaignWeight = 240;
constexpr uint32_t kDecidedCampaignWeight = 60;
constexpr uint32_t kPledgeWeight = 700;
constexpr uint32_t kAmendWeight = 300;
constexpr uint32_t kPaymentWeight = 600;
constexpr uint32_t kCancelWeight = 100;
constexpr uint32_t kWriteOffProposalWeight = 60;
constexpr uint32_t kWriteOffWeight = 120;
constexpr uint32_t kConditionWeight = 80;

constexpr int64_t kCampaignGoalMinorMin = 10'000;
constexpr int64_t kCampaignGoalMinorMax = 1'000'000;
constexpr int64_t kPledgeMinorMin = 100;
constexpr int64_t kPledgeMinorMax = 50'000;
constexpr uint64_t kAssuranceWindowMsMax = 120'000;
constexpr uint64_t kInstallmentGapMsMax = 30'000;

int64_t Between(SimWorld& w, int64_t low, int64_t high) {
  return static_cast<int64_t>(
      w.random().Between(static_cast<uint64_t>(low), static_cast<uint64_t>(high)));
}

// Terms for `amount` in `currency`: one due at the deadline, or up to 4 installments from
// `first_due_ms`, keeping `keep` (a fully paid prefix) first; sometimes conditional.
v1::PledgeTerms DrawTerms(SimWorld& w, int64_t amount, const std::string& currency,
                          uint64_t first_due_ms,
                          const std::vector<core::InstallmentDue>& keep = {}) {
  int64_t kept = 0;
  for (const core::InstallmentDue& in : keep) kept += in.amount_minor;
  v1::PledgeTerms terms;
  if (keep.empty() && w.random().Chance(500)) {
    terms = TestTerms(amount, currency);
  } else {
    std::vector<std::pair<uint64_t, int64_t>> installments;
    uint64_t due = first_due_ms;
    for (const core::InstallmentDue& in : keep) {
      installments.push_back({in.due_ms, in.amount_minor});
      due = std::max(due, in.due_ms);
    }
    int64_t left = amount - kept;
    const int count = static_cast<int>(w.random().Between(1, 4));
    for (int i = 1; i < count && left > 1; ++i) {
      const int64_t part = Between(w, 1, left - 1);
      due += w.random().Between(0, kInstallmentGapMsMax);
      installments.push_back({due, part});
      left -= part;
    }
    if (left > 0) installments.push_back({due + 1, left});
    terms = TestTermsWithInstallments(installments, currency);
  }
  if (w.random().Chance(150)) {
    terms.mutable_condition()->set_barrier("matching grant awarded");
    terms.mutable_condition()->set_right_of_release("released without the grant");
  }
  return terms;
}

// The member's pledges that are neither cancelled nor lapsed.
std::vector<core::EventId> OwnPledges(const Member& m) {
  std::vector<core::EventId> own;
  for (const auto& [id, pledge] : Fundraising(*m.state).pledges()) {
    if (pledge.pledger == m.org && !pledge.closed()) own.push_back(id);
  }
  return own;
}

// Pledges of campaigns the member hosts.
std::vector<core::EventId> HostedPledges(const Member& m) {
  const core::FundraisingLedger& ledger = Fundraising(*m.state);
  std::vector<core::EventId> hosted;
  for (const auto& [id, pledge] : ledger.pledges()) {
    if (ledger.campaigns().at(pledge.campaign).fiscal_host == m.org) hosted.push_back(id);
  }
  return hosted;
}

// ---- Actions ----

void OpenCampaign(SimWorld& w, const Member& m) {
  v1::Campaign c = TestCampaign(Between(w, kCampaignGoalMinorMin, kCampaignGoalMinorMax));
  if (w.random().Chance(250)) c.add_accepted_currencies("USD");
  if (w.random().Chance(250)) {
    c.set_assurance_deadline_ms(m.now_ms + w.random().Between(1, kAssuranceWindowMsMax));
    if (w.random().Chance(500)) {
      *c.mutable_assurance_threshold() = MakeMoney(Between(w, kPledgeMinorMin, kPledgeMinorMax));
    } else {
      c.set_assurance_member_count(static_cast<uint32_t>(w.random().Between(1, 3)));
    }
  }
  w.Write(m.node, m.group, CampaignBody(c), "open a campaign");
}

// Opens the campaign of a final, passed OPEN_CAMPAIGN proposal the member made, if one has
// none yet (a second one is refused: kAlreadyExists).
void OpenDecidedCampaign(SimWorld& w, const Member& m) {
  std::vector<core::EventId> decided;
  for (const auto& [id, p] : Governance(*m.state).proposals()) {
    if (p.type() == v1::DECISION_TYPE_OPEN_CAMPAIGN && p.proposer == m.org && p.outcome.final &&
        p.outcome.outcome == core::DecisionOutcome::kPassed) {
      decided.push_back(id);
    }
  }
  if (decided.empty()) return;
  const core::EventId p = w.random().Pick(decided);
  v1::Campaign c = Governance(*m.state).proposals().at(p).proposal.campaign();
  c.set_proposal_id(p.Bytes());
  w.Write(m.node, m.group, CampaignBody(c), absl::StrFormat("open campaign of %s", p.ShortHex()));
}

void Pledge(SimWorld& w, const Member& m) {
  // Mostly campaigns that take pledges in this view; sometimes any (a refusal to exercise).
  std::vector<core::EventId> campaigns;
  const bool any = w.random().Chance(100);
  for (const auto& [id, c] : Fundraising(*m.state).campaigns()) {
    const bool open = c.threshold == core::ThresholdState::kNone ||
                      c.threshold == core::ThresholdState::kMet ||
                      (c.threshold == core::ThresholdState::kPending &&
                       m.now_ms <= c.assurance_deadline_ms);
    if (open || any) campaigns.push_back(id);
  }
  if (campaigns.empty()) return;
  const core::EventId id = w.random().Pick(campaigns);
  const core::CampaignState& c = Fundraising(*m.state).campaigns().at(id);
  std::string currency = c.goal.currency.ToString();
  if (!c.accepted_currencies.empty() && w.random().Chance(400)) {
    currency = w.random().Pick(c.accepted_currencies).ToString();
  }
  const int64_t amount = Between(w, kPledgeMinorMin, kPledgeMinorMax);
  w.Write(m.node, m.group,
          PledgeBody(id, DrawTerms(w, amount, currency, std::max(m.now_ms, c.opened_hlc.wall_ms))),
          absl::StrFormat("pledge to %s", id.ShortHex()));
}

// A new version that keeps the fully paid installments and never goes below what is settled.
void Amend(SimWorld& w, const Member& m) {
  const std::vector<core::EventId> own = OwnPledges(m);
  if (own.empty()) return;
  const core::EventId id = w.random().Pick(own);
  const core::PledgeState& p = Fundraising(*m.state).pledges().at(id);
  std::vector<core::InstallmentDue> paid;
  int64_t cumulated = 0;
  for (const core::InstallmentDue& in : p.terms.installments) {
    if (cumulated + in.amount_minor > p.received_minor) break;
    cumulated += in.amount_minor;
    paid.push_back(in);
  }
  const int64_t low = std::max(p.settled_minor(), cumulated + 1);
  const int64_t amount = Between(w, low, low + kPledgeMinorMax);
  const uint64_t opened = Fundraising(*m.state).campaigns().at(p.campaign).opened_hlc.wall_ms;
  w.Write(m.node, m.group,
          AmendmentBody(id, DrawTerms(w, amount, p.terms.amount.currency.ToString(),
                                      std::max(m.now_ms, opened), paid)),
          absl::StrFormat("amend pledge %s", id.ShortHex()));
}

void Cancel(SimWorld& w, const Member& m) {
  const std::vector<core::EventId> own = OwnPledges(m);
  if (own.empty()) return;
  const core::EventId p = w.random().Pick(own);
  w.Write(m.node, m.group, CancellationBody(p), absl::StrFormat("cancel pledge %s", p.ShortHex()));
}

// As fiscal host: a payment of at most what a bound pledge has outstanding in this view, else
// (cancelled, lapsed, threshold pending, or by chance) an unapplied receipt.
void RecordPayment(SimWorld& w, const Member& m) {
  const std::vector<core::EventId> hosted = HostedPledges(m);
  if (hosted.empty()) return;
  const core::EventId id = w.random().Pick(hosted);
  const core::PledgeState& p = Fundraising(*m.state).pledges().at(id);
  const std::string currency = p.terms.amount.currency.ToString();
  if (p.outstanding_minor() > 0 && !p.threshold_pending && !w.random().Chance(100)) {
    const int64_t amount = Between(w, 1, p.outstanding_minor());
    w.Write(m.node, m.group, PaymentBody(id, amount, currency, m.now_ms),
            absl::StrFormat("record payment of %d on %s", amount, id.ShortHex()));
    return;
  }
  const int64_t amount = Between(w, 1, kPledgeMinorMax);
  w.Write(m.node, m.group, UnappliedPaymentBody(id, amount, currency),
          absl::StrFormat("record unapplied receipt of %d on %s", amount, id.ShortHex()));
}

// As fiscal host: propose writing off part of a hosted pledge's outstanding amount.
void ProposeWriteOff(SimWorld& w, const Member& m) {
  std::vector<core::EventId> open;
  for (const core::EventId& id : HostedPledges(m)) {
    if (Fundraising(*m.state).pledges().at(id).outstanding_minor() > 0) open.push_back(id);
  }
  if (open.empty()) return;
  const core::EventId id = w.random().Pick(open);
  const core::PledgeState& p = Fundraising(*m.state).pledges().at(id);
  const int64_t amount = Between(w, 1, p.outstanding_minor());
  v1::Event body = WriteOffProposalBody(id, amount, p.terms.amount.currency.ToString());
  body.mutable_proposal()->set_deadline_ms(DrawDeadlineMs(w, m));
  w.Write(m.node, m.group, body, absl::StrFormat("propose writing off %d of %s", amount,
                                                  id.ShortHex()));
}

// As fiscal host: execute a final, passed WRITE_OFF proposal (refused when it was executed
// already or exceeds what is outstanding by now).
void WriteOff(SimWorld& w, const Member& m) {
  std::vector<core::EventId> decided;
  for (const auto& [id, p] : Governance(*m.state).proposals()) {
    if (p.type() != v1::DECISION_TYPE_WRITE_OFF || !p.outcome.final ||
        p.outcome.outcome != core::DecisionOutcome::kPassed) {
      continue;
    }
    absl::StatusOr<core::EventId> pledge = core::EventId::FromBytes(p.proposal.write_off().pledge_id());
    if (!pledge.ok()) continue;
    auto it = Fundraising(*m.state).pledges().find(*pledge);
    if (it == Fundraising(*m.state).pledges().end()) continue;
    if (Fundraising(*m.state).campaigns().at(it->second.campaign).fiscal_host == m.org) {
      decided.push_back(id);
    }
  }
  if (decided.empty()) return;
  const core::EventId id = w.random().Pick(decided);
  const v1::WriteOffPayload& payload = Governance(*m.state).proposals().at(id).proposal.write_off();
  w.Write(m.node, m.group,
          WriteOffBody(*core::EventId::FromBytes(payload.pledge_id()), id,
                       payload.amount().amount_minor(), payload.amount().currency()),
          absl::StrFormat("write off by %s", id.ShortHex()));
}

// As pledger or fiscal host: resolve the condition of a conditional pledge.
void ResolveCondition(SimWorld& w, const Member& m) {
  const core::FundraisingLedger& ledger = Fundraising(*m.state);
  std::vector<core::EventId> conditional;
  for (const auto& [id, p] : ledger.pledges()) {
    if (p.condition_pending() && !p.closed() &&
        (p.pledger == m.org || ledger.campaigns().at(p.campaign).fiscal_host == m.org)) {
      conditional.push_back(id);
    }
  }
  if (conditional.empty()) return;
  const core::EventId id = w.random().Pick(conditional);
  static constexpr v1::ConditionOutcome kOutcomes[] = {
      v1::CONDITION_OUTCOME_MET, v1::CONDITION_OUTCOME_WAIVED, v1::CONDITION_OUTCOME_RELEASED};
  const v1::ConditionOutcome outcome = kOutcomes[w.random().Below(3)];
  w.Write(m.node, m.group, ConditionBody(id, outcome),
          absl::StrFormat("resolve condition of %s (%d)", id.ShortHex(), outcome));
}

// ---- Invariant ----

// The terms `event` (a pledge or an amendment) set, as the ledger keeps them.
core::PledgeTerms TermsOf(const core::VerifiedEvent& event) {
  return core::CompactTerms(event.event.has_pledge_amendment()
                                ? event.event.pledge_amendment().terms()
                                : event.event.pledge().terms());
}

// What is wrong with `p` of `group`, or "" when it reconciles (PROTOCOL §5.10.9).
std::string PledgeMismatch(const core::Group& group, const core::CampaignState& c,
                           const core::PledgeState& p) {
  const int64_t amount = p.terms.amount.amount_minor;
  if (p.received_minor < 0 || p.written_off_minor < 0 || p.unapplied_minor < 0 ||
      p.received_minor + p.written_off_minor + p.outstanding_minor() + p.dropped_minor() !=
          amount) {
    return absl::StrFormat(
        "received %d + written off %d + outstanding %d + dropped %d is not its amount %d",
        p.received_minor, p.written_off_minor, p.outstanding_minor(), p.dropped_minor(), amount);
  }
  int64_t paid = 0, written_off = 0;
  for (const core::InstallmentPosition& line : core::DeriveInstallments(p, c.deadline_ms)) {
    if (line.paid_minor + line.written_off_minor + line.outstanding_minor + line.dropped_minor !=
        line.amount_minor) {
      return absl::StrFormat("installment due %d of %d does not reconcile", line.due_ms,
                             line.amount_minor);
    }
    paid += line.paid_minor;
    written_off += line.written_off_minor;
  }
  if (paid != p.received_minor || written_off != p.written_off_minor) {
    return absl::StrFormat("its installments hold %d paid and %d written off, it %d and %d", paid,
                           written_off, p.received_minor, p.written_off_minor);
  }
  int64_t payments = 0, applied = 0, effective = 0;
  bool cancelled = false;
  for (const core::PledgeEntry& entry : p.history) {
    if (entry.kind == core::PledgeEntryKind::kPayment) {
      payments += entry.amount_minor;
      applied += entry.applied_minor;
    }
    if (entry.kind == core::PledgeEntryKind::kWriteOff) effective += entry.applied_minor;
    if (entry.kind == core::PledgeEntryKind::kCancellation) cancelled = true;
  }
  if (payments != p.received_minor + p.unapplied_minor || applied != p.received_minor ||
      effective != p.written_off_minor) {
    return absl::StrFormat("payments %d (applied %d) and write-offs %d do not match received %d, "
                           "unapplied %d, written off %d",
                           payments, applied, effective, p.received_minor, p.unapplied_minor,
                           p.written_off_minor);
  }
  if (cancelled != p.cancelled) {
    return absl::StrFormat("cancelled is %d, but its history says %d", p.cancelled, cancelled);
  }
  const core::VerifiedEvent* terms_event = group.Find(p.terms_event);
  if (terms_event == nullptr || TermsOf(*terms_event) != p.terms) {
    return absl::StrFormat("its terms are not those of its terms event %s",
                           p.terms_event.ShortHex());
  }
  return "";
}

// What is wrong with `c`'s kept totals against its pledges, or "" when they reconcile.
std::string CampaignMismatch(const core::FundraisingLedger& ledger, const core::CampaignState& c) {
  std::map<core::CurrencyCode, int64_t> pledged, received, outstanding, unapplied;
  std::map<std::pair<core::OrgKey, core::CurrencyCode>, int64_t> member_pledged;
  for (const core::EventId& id : c.pledges) {
    auto p = ledger.pledges().find(id);
    if (p == ledger.pledges().end() || p->second.campaign != c.id) {
      return absl::StrFormat("lists pledge %s, which is not one of its pledges", id.ShortHex());
    }
    const core::CurrencyCode& code = p->second.terms.amount.currency;
    unapplied[code] += p->second.unapplied_minor;
    if (p->second.closed()) continue;
    pledged[code] += p->second.terms.amount.amount_minor;
    received[code] += p->second.received_minor;
    outstanding[code] += p->second.outstanding_minor();
    member_pledged[{p->second.pledger, code}] += p->second.terms.amount.amount_minor;
  }
  for (const auto& [code, sum] : unapplied) {
    absl::StatusOr<core::CampaignTotals> t = ledger.TotalsIn(c, code);
    if (!t.ok()) return std::string(t.status().message());
    if (t->pledged_minor != pledged[code] || t->received_minor != received[code] ||
        t->outstanding_minor != outstanding[code] || t->unapplied_minor != sum ||
        t->pledged_minor != t->received_minor + t->written_off_minor + t->outstanding_minor) {
      return absl::StrFormat(
          "%s totals (pledged %d, received %d, outstanding %d, unapplied %d) differ from the sums "
          "over its pledges (%d, %d, %d, %d)",
          code.ToString(), t->pledged_minor, t->received_minor, t->outstanding_minor,
          t->unapplied_minor, pledged[code], received[code], outstanding[code], sum);
    }
  }
  for (const auto& [key, sum] : member_pledged) {
    absl::StatusOr<core::CampaignTotals> t = ledger.MemberTotalsIn(c, key.first, key.second);
    if (!t.ok() || t->pledged_minor != sum) {
      return absl::StrFormat("member %s's %s pledged total differs from its pledges (%d)",
                             key.first.ShortHex(), key.second.ToString(), sum);
    }
  }
  return "";
}

absl::Status CheckLedgerReconciles(SimWorld& w) {
  for (int i = 0; i < w.node_count(); ++i) {
    const SimNode& node = w.node(i);
    if (!node.up()) continue;
    for (const auto& [group_id, group] : node.state().groups()) {
      const core::FundraisingLedger& ledger = Fundraising(group->state());
      size_t listed = 0;
      for (const auto& [id, c] : ledger.campaigns()) {
        listed += c.pledges.size();
        if (std::string why = CampaignMismatch(ledger, c); !why.empty()) {
          return absl::InternalError(absl::StrFormat(
              "fundraising (ledger reconciles): on node %d, campaign %s of group %s %s", i,
              id.ShortHex(), group_id.ShortHex(), why));
        }
      }
      if (listed != ledger.pledges().size()) {
        return absl::InternalError(absl::StrFormat(
            "fundraising (ledger reconciles): on node %d, group %s has %d pledges but its "
            "campaigns list %d",
            i, group_id.ShortHex(), ledger.pledges().size(), listed));
      }
      for (const auto& [id, p] : ledger.pledges()) {
        const core::CampaignState& c = ledger.campaigns().at(p.campaign);
        if (std::string why = PledgeMismatch(*group, c, p); !why.empty()) {
          return absl::InternalError(absl::StrFormat(
              "fundraising (ledger reconciles): on node %d, pledge %s of group %s: %s", i,
              id.ShortHex(), group_id.ShortHex(), why));
        }
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

SimDomain FundraisingDomain() {
  return SimDomain{
      .name = "fundraising",
      .actions =
          {
              MemberAction("open a campaign", kCampaignWeight, OpenCampaign),
              MemberAction("open a decided campaign", kDecidedCampaignWeight, OpenDecidedCampaign),
              MemberAction("pledge", kPledgeWeight, Pledge),
              MemberAction("amend a pledge", kAmendWeight, Amend),
              MemberAction("record a payment", kPaymentWeight, RecordPayment),
              MemberAction("cancel a pledge", kCancelWeight, Cancel),
              MemberAction("propose a write-off", kWriteOffProposalWeight, ProposeWriteOff),
              MemberAction("write off", kWriteOffWeight, WriteOff),
              MemberAction("resolve a condition", kConditionWeight, ResolveCondition),
          },
      .react = nullptr,
      .invariants = {{.name = "fundraising ledger reconciles",
                      .when = SimInvariant::When::kEveryStep,
                      .check = CheckLedgerReconciles}},
      .known_issues = {},
  };
}

}  // namespace constellation::sim
