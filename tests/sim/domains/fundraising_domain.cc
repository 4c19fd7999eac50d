// tests/sim/domains/fundraising_domain.cc
//
// The fundraising domain of the simulation (sim_domain.h; server/core/fundraising/, DESIGN §1):
//   * actions: open a campaign (its opener is the fiscal host), pledge to a campaign, amend or
//     cancel one's own live pledge, record a payment on a pledge one hosts (at most what is
//     outstanding).
//   * invariant "fundraising sums reconcile" (after every step, on every node that is up): each
//     pledge's received and written-off amounts are the sums of its payment and write-off
//     entries, its version, terms event and amount are those of its last terms entry, its
//     terms are those its terms event set, it is cancelled iff its history holds a
//     cancellation, and what it settled is within its amount; each campaign lists exactly its
//     pledges, and its totals (FundraisingLedger::Totals) are the sums over its live pledges,
//     with pledged = received + written off + outstanding.
#include <string>
#include <vector>

#include <absl/strings/str_format.h>

#include "server/core/fundraising/fundraising_ledger.h"
#include "server/core/group.h"
#include "tests/sim/domains/sim_domain.h"
#include "tests/testing/event_factory.h"

namespace constellation::sim {
namespace {

using ::constellation::testing::AmendmentBody;
using ::constellation::testing::CampaignBody;
using ::constellation::testing::CancellationBody;
using ::constellation::testing::PaymentBody;
using ::constellation::testing::PledgeBody;
using ::constellation::testing::TestCampaign;
using ::constellation::testing::TestTerms;

// Weights (sim_domain.h: about "per 10'000 steps").
constexpr uint32_t kCampaignWeight = 300;
constexpr uint32_t kPledgeWeight = 780;
constexpr uint32_t kAmendWeight = 360;
constexpr uint32_t kPaymentWeight = 600;
constexpr uint32_t kCancelWeight = 120;

constexpr int64_t kCampaignGoalMinorMin = 10'000;
constexpr int64_t kCampaignGoalMinorMax = 1'000'000;
constexpr int64_t kPledgeMinorMin = 100;
constexpr int64_t kPledgeMinorMax = 50'000;

int64_t Between(SimWorld& w, int64_t low, int64_t high) {
  return static_cast<int64_t>(
      w.random().Between(static_cast<uint64_t>(low), static_cast<uint64_t>(high)));
}

// The member's live pledges (not cancelled).
std::vector<core::EventId> OwnPledges(const Member& m) {
  std::vector<core::EventId> own;
  for (const auto& [id, pledge] : Fundraising(*m.state).pledges()) {
    if (pledge.pledger == m.org && !pledge.cancelled) own.push_back(id);
  }
  return own;
}

// ---- Actions ----

void OpenCampaign(SimWorld& w, const Member& m) {
  w.Write(m.node, m.group,
          CampaignBody(TestCampaign(Between(w, kCampaignGoalMinorMin, kCampaignGoalMinorMax))),
          "open a campaign");
}

void Pledge(SimWorld& w, const Member& m) {
  std::vector<core::EventId> campaigns;
  for (const auto& [id, c] : Fundraising(*m.state).campaigns()) campaigns.push_back(id);
  if (campaigns.empty()) return;
  const core::EventId c = w.random().Pick(campaigns);
  w.Write(m.node, m.group, PledgeBody(c, TestTerms(Between(w, kPledgeMinorMin, kPledgeMinorMax))),
          absl::StrFormat("pledge to %s", c.ShortHex()));
}

void Amend(SimWorld& w, const Member& m) {
  const std::vector<core::EventId> own = OwnPledges(m);
  if (own.empty()) return;
  const core::EventId p = w.random().Pick(own);
  w.Write(m.node, m.group,
          AmendmentBody(p, TestTerms(Between(w, kPledgeMinorMin, kPledgeMinorMax))),
          absl::StrFormat("amend pledge %s", p.ShortHex()));
}

void Cancel(SimWorld& w, const Member& m) {
  const std::vector<core::EventId> own = OwnPledges(m);
  if (own.empty()) return;
  const core::EventId p = w.random().Pick(own);
  w.Write(m.node, m.group, CancellationBody(p), absl::StrFormat("cancel pledge %s", p.ShortHex()));
}

// As fiscal host: a payment of at most what a hosted pledge has outstanding.
void RecordPayment(SimWorld& w, const Member& m) {
  const core::FundraisingLedger& ledger = Fundraising(*m.state);
  std::vector<core::EventId> hosted;
  for (const auto& [id, pledge] : ledger.pledges()) {
    auto c = ledger.campaigns().find(pledge.campaign);
    if (c != ledger.campaigns().end() && c->second.fiscal_host == m.org &&
        pledge.outstanding_minor() > 0) {
      hosted.push_back(id);
    }
  }
  if (hosted.empty()) return;
  const core::EventId p = w.random().Pick(hosted);
  const int64_t amount = Between(w, 1, ledger.pledges().at(p).outstanding_minor());
  w.Write(m.node, m.group, PaymentBody(p, amount, "EUR", m.now_ms),
          absl::StrFormat("record payment of %d on %s", amount, p.ShortHex()));
}

// ---- Invariant ----

// The terms `event` (a pledge or an amendment) set, as the ledger keeps them.
core::PledgeTerms TermsOf(const core::VerifiedEvent& event) {
  return core::CompactTerms(event.event.has_pledge_amendment()
                                ? event.event.pledge_amendment().terms()
                                : event.event.pledge().terms());
}

// What is wrong with `p` of `group` against its own history, or "" when it reconciles.
std::string PledgeMismatch(const core::Group& group, const core::PledgeState& p) {
  int64_t received = 0, written_off = 0;
  uint32_t versions = 0;
  bool cancelled = false;
  const core::PledgeEntry* last_terms = nullptr;
  for (const core::PledgeEntry& entry : p.history) {
    switch (entry.kind) {
      case core::PledgeEntryKind::kPledge:
      case core::PledgeEntryKind::kAmendment:
        ++versions;
        last_terms = &entry;
        break;
      case core::PledgeEntryKind::kPayment:
        received += entry.amount_minor;
        break;
      case core::PledgeEntryKind::kWriteOff:
        written_off += entry.amount_minor;
        break;
      case core::PledgeEntryKind::kCancellation:
        cancelled = true;
        break;
    }
  }
  if (received != p.received_minor || written_off != p.written_off_minor) {
    return absl::StrFormat("received %d and written off %d, but its entries sum to %d and %d",
                           p.received_minor, p.written_off_minor, received, written_off);
  }
  if (last_terms == nullptr || versions != p.version || last_terms->event != p.terms_event ||
      last_terms->amount_minor != p.terms.amount.amount_minor) {
    return absl::StrFormat("version %d, but its history holds %d versions of its terms", p.version,
                           versions);
  }
  const core::VerifiedEvent* terms_event = group.Find(p.terms_event);
  if (terms_event == nullptr || TermsOf(*terms_event) != p.terms) {
    return absl::StrFormat("its terms are not those of its terms event %s",
                           p.terms_event.ShortHex());
  }
  if (cancelled != p.cancelled) {
    return absl::StrFormat("cancelled is %d, but its history says %d", p.cancelled, cancelled);
  }
  if (p.settled_minor() < 0 || p.settled_minor() > p.terms.amount.amount_minor) {
    return absl::StrFormat("settled %d of an amount of %d", p.settled_minor(),
                           p.terms.amount.amount_minor);
  }
  return "";
}

// What is wrong with `c`'s totals against its pledges, or "" when they reconcile. The
// simulated amounts are small: sums cannot overflow.
std::string CampaignMismatch(const core::FundraisingLedger& ledger, const core::CampaignState& c) {
  core::CampaignTotals sums;
  int64_t written_off = 0;
  for (const core::EventId& id : c.pledges) {
    auto p = ledger.pledges().find(id);
    if (p == ledger.pledges().end() || p->second.campaign != c.id) {
      return absl::StrFormat("lists pledge %s, which is not one of its pledges", id.ShortHex());
    }
    if (p->second.cancelled) continue;
    ++sums.pledge_count;
    sums.pledged_minor += p->second.terms.amount.amount_minor;
    sums.received_minor += p->second.received_minor;
    sums.outstanding_minor += p->second.outstanding_minor();
    if (p->second.terms.conditional) sums.conditional_minor += p->second.terms.amount.amount_minor;
    written_off += p->second.written_off_minor;
  }
  const core::CampaignTotals t = ledger.Totals(c);
  if (t.pledge_count != sums.pledge_count || t.pledged_minor != sums.pledged_minor ||
      t.received_minor != sums.received_minor || t.outstanding_minor != sums.outstanding_minor ||
      t.conditional_minor != sums.conditional_minor) {
    return absl::StrFormat(
        "totals (%d pledges, pledged %d, received %d, outstanding %d, conditional %d) differ from "
        "the sums over its live pledges (%d, %d, %d, %d, %d)",
        t.pledge_count, t.pledged_minor, t.received_minor, t.outstanding_minor, t.conditional_minor,
        sums.pledge_count, sums.pledged_minor, sums.received_minor, sums.outstanding_minor,
        sums.conditional_minor);
  }
  if (sums.pledged_minor != sums.received_minor + written_off + sums.outstanding_minor) {
    return absl::StrFormat("pledged %d is not received %d + written off %d + outstanding %d",
                           sums.pledged_minor, sums.received_minor, written_off,
                           sums.outstanding_minor);
  }
  return "";
}

absl::Status CheckSumsReconcile(SimWorld& w) {
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
              "fundraising (sums reconcile): on node %d, campaign %s of group %s %s", i,
              id.ShortHex(), group_id.ShortHex(), why));
        }
      }
      if (listed != ledger.pledges().size()) {
        return absl::InternalError(absl::StrFormat(
            "fundraising (sums reconcile): on node %d, group %s has %d pledges but its campaigns "
            "list %d",
            i, group_id.ShortHex(), ledger.pledges().size(), listed));
      }
      for (const auto& [id, p] : ledger.pledges()) {
        if (std::string why = PledgeMismatch(*group, p); !why.empty()) {
          return absl::InternalError(
              absl::StrFormat("fundraising (sums reconcile): on node %d, pledge %s of group %s: %s",
                              i, id.ShortHex(), group_id.ShortHex(), why));
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
              MemberAction("pledge", kPledgeWeight, Pledge),
              MemberAction("amend a pledge", kAmendWeight, Amend),
              MemberAction("record a payment", kPaymentWeight, RecordPayment),
              MemberAction("cancel a pledge", kCancelWeight, Cancel),
          },
      .react = nullptr,
      .invariants = {{.name = "fundraising sums reconcile",
                      .when = SimInvariant::When::kEveryStep,
                      .check = CheckSumsReconcile}},
      .known_issues = {},
  };
}

}  // namespace constellation::sim
