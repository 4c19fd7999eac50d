// tests/unit/pooled_property_test.cc
//
// Property test of the pooled-resources arithmetic (issue 8, docs/PROTOCOL.md §5.10): for
// random sequences of contributions into funds, receipts, reversals, drawdown decisions and
// disbursements (many of them refused), every fund reconciles after every event:
// Σ receipts − Σ disbursements = balance >= 0, recomputed here from the accepted events alone,
// and the ledger's own invariants hold. A failure prints the seed.
#include <map>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "server/core/fold/group_state.h"
#include "server/core/governance/governance_ledger.h"
#include "server/core/pooled/pooled_ledger.h"
#include "tests/testing/event_factory.h"
#include "tests/testing/pooled_events.h"
#include "tests/testing/status_matchers.h"

namespace constellation::core {
namespace {

using namespace ::constellation::testing;  // NOLINT: test bodies

class PooledWorld {
 public:
  explicit PooledWorld(uint64_t seed)
      : rng_(seed), history_(keys_[0], Charter()), state_(history_.group()) {
    state_.Apply(history_.genesis());
    for (size_t i = 1; i < keys_.size(); ++i) {
      EventId p = Put(keys_[0], AdmitBody(keys_[i].public_key()));
      Put(keys_[0], ProposalCloseBody(p));
      for (size_t w = 0; w < i; ++w) Put(keys_[w], AcknowledgementBody({p}));
      Put(keys_[i], AcceptanceBody(p));
    }
    for (size_t h = 0; h < 2; ++h) {
      v1::Fund f = TestFund(keys_[h].public_key(), "EUR", h == 0 ? "Pool A" : "Pool B");
      EventId p = Decide(CreateFundProposalBody(f));
      funds_.push_back(Put(keys_[h], FundBody(f, p)));
    }
  }

  void Step() {
    const size_t who = rng_() % keys_.size();
    switch (rng_() % 4) {
      case 0: {  // cash into a random fund
        const EventId& fund = funds_[rng_() % funds_.size()];
        v1::Event body =
            CashContributionBody(1 + static_cast<int64_t>(rng_() % 5'000), "EUR", &fund);
        EventId c = Put(keys_[who], body);
        bodies_[c] = body;
        break;
      }
      case 1: {  // a host receipts a random contribution (refused unless it is the host's)
        if (bodies_.empty()) return;
        auto it = std::next(bodies_.begin(), static_cast<long>(rng_() % bodies_.size()));
        Put(keys_[who], ReceiptBody(it->first, it->second.contribution().value().amount_minor()));
        break;
      }
      case 2: {  // a member reverses a random contribution (refused unless its own, ...)
        if (bodies_.empty()) return;
        auto it = std::next(bodies_.begin(), static_cast<long>(rng_() % bodies_.size()));
        Put(keys_[who], ReversalBody(it->second, it->first));
        break;
      }
      case 3: {  // a drawdown decided, then disbursed by a random member (often refused)
        const size_t f = rng_() % funds_.size();
        const int64_t amount = 1 + static_cast<int64_t>(rng_() % 8'000);
        EventId p = Decide(DrawdownBody(funds_[f], amount, keys_[who].public_key()));
        Put(keys_[rng_() % 2 == 0 ? f : who], DisbursementBody(p, amount));
        break;
      }
    }
  }

  // How many events of `body` took effect.
  int Accepted(v1::Event::BodyCase body) const {
    int n = 0;
    for (const VerifiedEvent& e : history_.events()) {
      n += e.event.body_case() == body && !state_.rejected_events().contains(e.id);
    }
    return n;
  }

  // Every fund reconciles, recomputed from the accepted receipts and disbursements.
  void CheckReconciles() const {
    state_.CheckInvariants();
    const PooledLedger& pooled = Pooled(state_);
    std::map<EventId, int64_t> received, disbursed;
    for (const VerifiedEvent& e : history_.events()) {
      if (state_.rejected_events().contains(e.id)) continue;
      if (e.event.has_contribution_receipt()) {
        const ContributionState& c = pooled.contributions().at(
            *EventId::FromBytes(e.event.contribution_receipt().contribution_id()));
        received[*c.fund] += e.event.contribution_receipt().amount().amount_minor();
      }
      if (e.event.has_disbursement()) {
        const DisbursementState& d =
            pooled.disbursements().at(*EventId::FromBytes(e.event.disbursement().proposal_id()));
        disbursed[d.fund] += e.event.disbursement().amount().amount_minor();
      }
    }
    for (const EventId& id : funds_) {
      const FundState& f = pooled.funds().at(id);
      ASSERT_EQ(f.received_minor, received[id]);
      ASSERT_EQ(f.disbursed_minor, disbursed[id]);
      ASSERT_EQ(f.balance_minor(), received[id] - disbursed[id]);
      ASSERT_GE(f.balance_minor(), 0);
      // The queue never approves more than the balance.
      ASSERT_LE(ApprovedUndisbursedMinor(Drawdowns(state_, id), id), f.balance_minor());
    }
  }

 private:
  static v1::Charter Charter() {
    v1::Charter c = TestCharter();
    *c.add_decision_rules() =
        MakeDecisionRule(v1::DECISION_TYPE_ADMIT, v1::DECISION_PROCESS_CONSENT);
    *c.add_decision_rules() =
        MakeDecisionRule(v1::DECISION_TYPE_ALLOCATE_FUNDS, v1::DECISION_PROCESS_CONSENT);
    return c;
  }
  EventId Put(const SigningKey& author, const v1::Event& body) {
    VerifiedEvent e = history_.Append(author, body);
    state_.Apply(e);
    return e.id;
  }
  EventId Decide(const v1::Event& body) {
    EventId p = Put(keys_[0], body);
    Put(keys_[0], ProposalCloseBody(p));
    for (const SigningKey& k : keys_) Put(k, AcknowledgementBody({p}));
    return p;
  }

  std::mt19937_64 rng_;
  std::vector<SigningKey> keys_ = {TestKey('a'), TestKey('b'), TestKey('c')};
  HistoryBuilder history_;
  GroupState state_;
  std::vector<EventId> funds_;
  std::map<EventId, v1::Event> bodies_;
};

TEST(PooledPropertyTest, EveryFundReconcilesAfterEveryEvent) {
  int receipts = 0, reversals = 0, disbursements = 0;
  for (uint64_t seed = 1; seed <= 12; ++seed) {
    SCOPED_TRACE(::testing::Message() << "seed " << seed);
    PooledWorld world(seed);
    for (int step = 0; step < 120; ++step) {
      world.Step();
      world.CheckReconciles();
      if (::testing::Test::HasFatalFailure()) return;
    }
    receipts += world.Accepted(v1::Event::kContributionReceipt);
    disbursements += world.Accepted(v1::Event::kDisbursement);
    reversals += world.Accepted(v1::Event::kContribution);
  }
  // The workload exercises every kind of record (not only refusals).
  EXPECT_GT(receipts, 20);
  EXPECT_GT(disbursements, 10);
  EXPECT_GT(reversals, 20);
}

}  // namespace
}  // namespace constellation::core
