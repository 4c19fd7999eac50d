// tests/sim/domains/pooled_domain.cc
//
// The pooled resources domain of the simulation (sim_domain.h; server/core/pooled/,
// docs/PROTOCOL.md §5.10):
//   * actions: propose a fund held by oneself (CREATE_FUND; some restricted to a purpose, some
//     perpetually); record the fund of such a proposal
//     once it passed; contribute cash into a fund, or staff time; reverse one's own entry; as a
//     fund's fiscal host, receipt a contribution's cash; request a drawdown (ALLOCATE_FUNDS; the
//     simulated charter has a consent rule for it); as fiscal host, disburse an approved
//     drawdown, or try a refused one (the balance rule refuses it when it does not fit).
//   * invariant "pooled ledger reconciles" (after every step, on every node that is up): every
//     fund's received and disbursed totals are the sums of its receipted contributions and of
//     its disbursements, its balance is their difference and never negative, and the drawdown
//     queue never approves more than the balance; every reversal names an entry of the same
//     author, kind and value that names it back; each member's net contributed value per
//     currency is its contributions minus its reversals; restricted money stays restricted
//     (no disbursement from a perpetually restricted fund, nor from a purpose-restricted one
//     for a drawdown that states another purpose).
#include <map>
#include <string>
#include <vector>

#include <absl/strings/str_format.h>

#include "server/core/governance/governance_ledger.h"
#include "server/core/group.h"
#include "server/core/pooled/pooled_ledger.h"
#include "tests/sim/domains/sim_domain.h"
#include "tests/testing/pooled_events.h"

namespace constellation::sim {
namespace {

using ::constellation::testing::CashContributionBody;
using ::constellation::testing::CreateFundProposalBody;
using ::constellation::testing::DisbursementBody;
using ::constellation::testing::DrawdownBody;
using ::constellation::testing::FundBody;
using ::constellation::testing::ReceiptBody;
using ::constellation::testing::ReversalBody;
using ::constellation::testing::StaffTimeBody;
using ::constellation::testing::TestFund;

// Weights (sim_domain.h: about "per 10'000 steps").
constexpr uint32_t kProposeFundWeight = 60;
constexpr uint32_t kRecordFundWeight = 200;
constexpr uint32_t kCashWeight = 300;
constexpr uint32_t kStaffTimeWeight = 80;
constexpr uint32_t kReverseWeight = 80;
constexpr uint32_t kReceiptWeight = 300;
constexpr uint32_t kRequestWeight = 150;
constexpr uint32_t kDisburseWeight = 250;

constexpr int64_t kCashMinorMax = 20'000;
constexpr int64_t kDrawdownMinorMax = 8'000;

int64_t Between(SimWorld& w, int64_t low, int64_t high) {
  return static_cast<int64_t>(
      w.random().Between(static_cast<uint64_t>(low), static_cast<uint64_t>(high)));
}

std::vector<core::EventId> Funds(const Member& m) {
  std::vector<core::EventId> funds;
  for (const auto& [id, f] : Pooled(*m.state).funds()) funds.push_back(id);
  return funds;
}

// ---- Actions ----

// The purpose DrawdownBody states, and one that it does not.
constexpr char kDrawdownPurpose[] = "Dune fencing materials";
constexpr char kOtherPurpose[] = "Flood relief";

// Funds of the simulation: one in two unrestricted, the others restricted to the purpose that
// drawdowns usually state, to another one, or perpetually (an endowment). Chosen from the
// number of funds proposed so far, so that the random stream does not change.
v1::Fund SimFund(const Member& m) {
  v1::Fund f = TestFund(m.org);
  size_t proposed = 0;
  for (const auto& [id, p] : Governance(*m.state).proposals()) {
    proposed += p.type() == v1::DECISION_TYPE_CREATE_FUND ? 1 : 0;
  }
  v1::Restriction* r = f.mutable_restriction();
  switch (proposed % 6) {
    case 1:
    case 4:
      r->set_kind(v1::RESTRICTION_KIND_PURPOSE);
      r->set_text(kDrawdownPurpose);
      break;
    case 3:
      r->set_kind(v1::RESTRICTION_KIND_PURPOSE);
      r->set_text(kOtherPurpose);
      break;
    case 5:
      r->set_kind(v1::RESTRICTION_KIND_PERPETUAL);
      r->set_text("Endowment");
      break;
    default:
      f.clear_restriction();
  }
  return f;
}

void ProposeFund(SimWorld& w, const Member& m) {
  v1::Event body = CreateFundProposalBody(SimFund(m));
  body.mutable_proposal()->set_deadline_ms(DrawDeadlineMs(w, m));
  w.Write(m.node, m.group, body, "propose a fund");
}

// As fiscal host: the fund of a passed CREATE_FUND proposal that has none yet.
void RecordFund(SimWorld& w, const Member& m) {
  std::vector<core::EventId> passed;
  for (const auto& [id, p] : Governance(*m.state).proposals()) {
    if (p.type() != v1::DECISION_TYPE_CREATE_FUND || !p.outcome.final ||
        p.outcome.outcome != core::DecisionOutcome::kPassed ||
        p.proposal.fund().fiscal_host() != m.org.Bytes()) {
      continue;
    }
    bool created = false;
    for (const auto& [fid, f] : Pooled(*m.state).funds()) created = created || f.proposal == id;
    if (!created) passed.push_back(id);
  }
  if (passed.empty()) return;
  const core::EventId p = w.random().Pick(passed);
  w.Write(m.node, m.group, FundBody(Governance(*m.state).proposals().at(p).proposal.fund(), p),
          absl::StrFormat("record the fund of %s", p.ShortHex()));
}

void ContributeCash(SimWorld& w, const Member& m) {
  const std::vector<core::EventId> funds = Funds(m);
  const int64_t amount = Between(w, 1, kCashMinorMax);
  if (funds.empty() || w.random().Chance(200)) {
    w.Write(m.node, m.group, CashContributionBody(amount), "contribute cash");
    return;
  }
  const core::EventId f = w.random().Pick(funds);
  w.Write(m.node, m.group, CashContributionBody(amount, "EUR", &f),
          absl::StrFormat("contribute %d into fund %s", amount, f.ShortHex()));
}

void ContributeStaffTime(SimWorld& w, const Member& m) {
  w.Write(m.node, m.group, StaffTimeBody(Between(w, 1, 40'000), Between(w, 1'000, 12'000)),
          "contribute staff time");
}

// One's own entry that is not a reversal and not reversed (receipted ones are refused).
void Reverse(SimWorld& w, const Member& m) {
  std::vector<core::EventId> own;
  for (const auto& [id, c] : Pooled(*m.state).contributions()) {
    if (c.contributor == m.org && !c.is_reversal() && !c.reversed_by.has_value()) {
      own.push_back(id);
    }
  }
  if (own.empty()) return;
  const core::EventId id = w.random().Pick(own);
  const core::Group* group = w.node(m.node).state().FindGroup(m.group);
  const core::VerifiedEvent* e = group == nullptr ? nullptr : group->Find(id);
  if (e == nullptr) return;
  w.Write(m.node, m.group, ReversalBody(e->event, id),
          absl::StrFormat("reverse contribution %s", id.ShortHex()));
}

// As fiscal host: the cash of a contribution into one's fund, not yet receipted.
void Receipt(SimWorld& w, const Member& m) {
  const core::PooledLedger& pooled = Pooled(*m.state);
  std::vector<core::EventId> due;
  for (const auto& [id, c] : pooled.contributions()) {
    if (!c.fund.has_value() || c.is_reversal() || c.receipt.has_value()) continue;
    auto f = pooled.funds().find(*c.fund);
    if (f != pooled.funds().end() && f->second.fiscal_host == m.org) due.push_back(id);
  }
  if (due.empty()) return;
  const core::EventId id = w.random().Pick(due);
  w.Write(m.node, m.group,
          ReceiptBody(id, pooled.contributions().at(id).value.amount_minor, "EUR", 0),
          absl::StrFormat("receipt contribution %s", id.ShortHex()));
}

void RequestDrawdown(SimWorld& w, const Member& m) {
  const std::vector<core::EventId> funds = Funds(m);
  if (funds.empty()) return;
  const core::EventId f = w.random().Pick(funds);
  const int64_t amount = Between(w, 1, kDrawdownMinorMax);
  v1::Event body = DrawdownBody(f, amount, m.org);
  // One request in four is for the other purpose (a purpose-restricted fund refuses it). The
  // simulated write path does not apply CheckOwnWrite, so such requests are decided anyway.
  if (amount % 4 == 0) body.mutable_proposal()->mutable_allocate()->set_purpose(kOtherPurpose);
  body.mutable_proposal()->set_deadline_ms(DrawDeadlineMs(w, m));
  w.Write(m.node, m.group, body,
          absl::StrFormat("request a drawdown of %d from %s", amount, f.ShortHex()));
}

// As fiscal host: an approved drawdown of one's fund, or (one time in five) a refused one.
void Disburse(SimWorld& w, const Member& m) {
  const core::PooledLedger& pooled = Pooled(*m.state);
  const bool try_refused = w.random().Chance(200);
  std::vector<core::DrawdownView> candidates;
  for (const core::DrawdownView& d : core::Drawdowns(*m.state)) {
    auto f = pooled.funds().find(d.fund);
    if (f == pooled.funds().end() || f->second.fiscal_host != m.org) continue;
    if (d.status ==
        (try_refused ? core::DrawdownStatus::kRefused : core::DrawdownStatus::kApproved)) {
      candidates.push_back(d);
    }
  }
  if (candidates.empty()) return;
  const core::DrawdownView d = w.random().Pick(candidates);
  w.Write(m.node, m.group, DisbursementBody(d.proposal, d.amount.amount_minor),
          absl::StrFormat("disburse %s drawdown %s", core::DrawdownStatusName(d.status),
                          d.proposal.ShortHex()));
}

// ---- Invariant ----

// What is wrong with `state`'s pooled ledger, or "" when it reconciles. The simulated amounts
// are small: sums cannot overflow.
std::string LedgerMismatch(const core::GroupState& state) {
  const core::PooledLedger& pooled = Pooled(state);
  std::map<core::EventId, int64_t> received, disbursed;
  std::map<std::pair<core::OrgKey, std::string>, int64_t> net;
  for (const auto& [id, c] : pooled.contributions()) {
    const std::string currency = c.value.currency.ToString();
    if (c.reverses.has_value()) {
      auto t = pooled.contributions().find(*c.reverses);
      if (t == pooled.contributions().end() || t->second.reversed_by != id ||
          t->second.contributor != c.contributor || t->second.value != c.value ||
          t->second.kind != c.kind) {
        return absl::StrFormat("reversal %s does not match the entry it reverses", id.ShortHex());
      }
      net[{c.contributor, currency}] -= c.value.amount_minor;
    } else {
      net[{c.contributor, currency}] += c.value.amount_minor;
    }
    if (c.receipt.has_value()) {
      if (!c.fund.has_value()) {
        return absl::StrFormat("contribution %s is receipted but names no fund", id.ShortHex());
      }
      received[*c.fund] += c.value.amount_minor;
    }
  }
  for (const auto& [key, value] : net) {
    auto it = pooled.net_contributed().find(key);
    if (it == pooled.net_contributed().end() || it->second != value) {
      return absl::StrFormat("org %s's net contributed %s is not its entries' sum %d",
                             key.first.ShortHex(), key.second, value);
    }
  }
  for (const auto& [proposal, d] : pooled.disbursements()) disbursed[d.fund] += d.amount_minor;
  const std::vector<core::DrawdownView> drawdowns = core::Drawdowns(state);
  for (const auto& [id, f] : pooled.funds()) {
    if (f.received_minor != received[id] || f.disbursed_minor != disbursed[id]) {
      return absl::StrFormat(
          "fund %s: received %d and disbursed %d, but its receipts and disbursements sum to %d "
          "and %d",
          id.ShortHex(), f.received_minor, f.disbursed_minor, received[id], disbursed[id]);
    }
    if (f.balance_minor() < 0) {
      return absl::StrFormat("fund %s is overdrawn: balance %d", id.ShortHex(), f.balance_minor());
    }
    const int64_t approved = core::ApprovedUndisbursedMinor(drawdowns, id);
    if (approved > f.balance_minor()) {
      return absl::StrFormat("fund %s: the queue approves %d of a balance of %d", id.ShortHex(),
                             approved, f.balance_minor());
    }
  }
  // Restricted money stays restricted: nothing leaves an endowment, and a purpose-restricted
  // fund pays only drawdowns that state its purpose.
  for (const auto& [proposal, d] : pooled.disbursements()) {
    const core::FundState& f = pooled.funds().at(d.fund);
    const std::string& purpose =
        Governance(state).proposals().at(proposal).proposal.allocate().purpose();
    if (f.restriction == v1::RESTRICTION_KIND_PERPETUAL ||
        (f.restriction == v1::RESTRICTION_KIND_PURPOSE && purpose != f.restriction_text)) {
      return absl::StrFormat("fund %s (restriction %d \"%s\") disbursed drawdown %s for \"%s\"",
                             d.fund.ShortHex(), f.restriction, f.restriction_text,
                             proposal.ShortHex(), purpose);
    }
  }
  return "";
}

absl::Status CheckLedgerReconciles(SimWorld& w) {
  return CheckEveryGroup(w, "pooled (ledger reconciles)",
                         [](const core::Group& group) { return LedgerMismatch(group.state()); });
}

}  // namespace

SimDomain PooledDomain() {
  return SimDomain{
      .name = "pooled",
      .actions =
          {
              MemberAction("propose a fund", kProposeFundWeight, ProposeFund),
              MemberAction("record a fund", kRecordFundWeight, RecordFund),
              MemberAction("contribute cash", kCashWeight, ContributeCash),
              MemberAction("contribute staff time", kStaffTimeWeight, ContributeStaffTime),
              MemberAction("reverse a contribution", kReverseWeight, Reverse),
              MemberAction("receipt a contribution", kReceiptWeight, Receipt),
              MemberAction("request a drawdown", kRequestWeight, RequestDrawdown),
              MemberAction("disburse a drawdown", kDisburseWeight, Disburse),
          },
      .react = nullptr,
      .invariants = {{.name = "pooled ledger reconciles",
                      .when = SimInvariant::When::kEveryStep,
                      .check = CheckLedgerReconciles}},
      .known_issues = {},
  };
}

}  // namespace constellation::sim
