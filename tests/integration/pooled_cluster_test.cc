// Pooled resources across three real nodes in-process (RocksDB, gRPC on 127.0.0.1:0), driven
// through the SDK (issue 8, docs/PROTOCOL.md §5.10): each org contributes cash into a fund
// created by decision and held by one member, the fiscal host receipts it, a drawdown is
// decided and disbursed, and two drawdowns that together overdraw the fund are both passed:
// exactly one is approved and the other refused, with the same reason, on every node; the
// host's node refuses to disburse the refused one (state hash unchanged), and every node ends
// with the same balances and state hash.
#include <constellation/client.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/integration/three_org_cluster.h"
#include "tests/testing/status_matchers.h"

namespace constellation {
namespace {

using ::constellation::testing::Eventually;
using ::constellation::testing::Org;
using ::constellation::testing::StatusIs;
using ::constellation::testing::ThreeOrgCluster;
using ::testing::HasSubstr;

class PooledClusterTest : public ThreeOrgCluster {
 protected:
  // ALLOCATE_FUNDS has no default rule: the partners agree one up front.
  std::vector<DecisionRule> CharterRules() const override {
    return {DecisionRule{"allocate_funds", "consent", 0, 0, 0, false}};
  }

  // A drawdown proposal of `amount_minor` from `fund` to `org`.
  static ProposalSpec DrawdownSpec(const std::string& fund, int64_t amount_minor, Org& org) {
    ProposalSpec spec;
    spec.decision_type = "allocate_funds";
    spec.title = "Dune fencing";
    AllocatePayload allocate;
    allocate.fund_id = fund;
    allocate.amount = Money{amount_minor, "EUR"};
    allocate.recipient = org.key;
    allocate.purpose = "fencing materials";
    allocate.budget_line = "4.2 materials";
    spec.allocate = allocate;
    return spec;
  }
};

TEST_F(PooledClusterTest, ContributionsFundDrawdownsAndConcurrentOverdraw) {
  // A fund held by B, created by decision (CREATE_FUND defaults to consent).
  ProposalSpec create;
  create.decision_type = "create_fund";
  create.title = "Create the estuary pool";
  create.fund = FundInput{"Estuary pool", b().key, "EUR", {}, ""};
  const std::string fund_proposal = Decide(a(), create, all());
  // Only the fiscal host records it.
  EXPECT_THAT(a().client->CreateFund(group_, fund_proposal),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("fiscal host")));
  ASSERT_OK_AND_ASSIGN(FundWrite fund_write, b().client->CreateFund(group_, fund_proposal));
  const std::string fund = fund_write.fund.fund_id;
  EXPECT_THAT(b().client->CreateFund(group_, fund_proposal),
              StatusIs(absl::StatusCode::kAlreadyExists));

  // Each org contributes cash into the fund; the host receipts each once it has it.
  const int64_t amounts[] = {30'000, 20'000, 10'000};
  std::vector<std::string> contributions;
  for (size_t i = 0; i < 3; ++i) {
    ASSERT_TRUE(Eventually([&] { return orgs_[i].client->GetFund(group_, fund).ok(); }));
    ContributionInput cash;
    cash.kind = "cash";
    cash.value = Money{amounts[i], "EUR"};
    cash.fund_id = fund;
    ASSERT_OK_AND_ASSIGN(ContributionWrite w, orgs_[i].client->RecordContribution(group_, cash));
    contributions.push_back(w.contribution.contribution_id);
  }
  // In kind too: staff time at actual cost.
  ContributionInput hours;
  hours.kind = "staff_time";
  hours.quantity_milli = 12'500;
  hours.unit = "hour";
  hours.unit_rate = Money{8'500, "EUR"};
  hours.valuation_method = "actual_cost";
  hours.value = Money{106'250, "EUR"};
  ASSERT_OK(c().client->RecordContribution(group_, hours).status());
  // Bad input changes nothing: a converted value without rate and source.
  const uint64_t before_bad = LastSeq(a(), a().key);
  ContributionInput silent = hours;
  silent.original_value = Money{115'000, "USD"};
  EXPECT_THAT(
      a().client->RecordContribution(group_, silent),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("converted without rate and source")));
  EXPECT_EQ(LastSeq(a(), a().key), before_bad);

  for (size_t i = 0; i < 3; ++i) {
    ASSERT_TRUE(
        Eventually([&] { return b().client->GetContribution(group_, contributions[i]).ok(); }));
    ASSERT_OK(b().client
                  ->RecordReceipt(group_, contributions[i], Money{amounts[i], "EUR"}, 1'000,
                                  "SEPA-" + std::to_string(i))
                  .status());
  }
  ASSERT_OK_AND_ASSIGN(Fund funded, b().client->GetFund(group_, fund));
  EXPECT_EQ(funded.balance_minor, 60'000);

  // A drawdown decided and disbursed.
  const std::string first = Decide(c(), DrawdownSpec(fund, 25'000, c()), all());
  ASSERT_OK_AND_ASSIGN(DrawdownWrite paid,
                       b().client->Disburse(group_, first, Money{25'000, "EUR"}, "WIRE-1"));
  EXPECT_EQ(paid.drawdown.status, "disbursed");
  EXPECT_THAT(b().client->Disburse(group_, first, Money{25'000, "EUR"}, "WIRE-1b"),
              StatusIs(absl::StatusCode::kAlreadyExists));

  // Two drawdowns proposed on two nodes at once that together overdraw the 350.00 left.
  absl::StatusOr<ProposalWrite> pa = a().client->Propose(group_, DrawdownSpec(fund, 20'000, a()));
  absl::StatusOr<ProposalWrite> pc = c().client->Propose(group_, DrawdownSpec(fund, 30'000, c()));
  ASSERT_OK(pa.status());
  ASSERT_OK(pc.status());
  for (const std::string& id : {pa->proposal.proposal_id, pc->proposal.proposal_id}) {
    for (Org* voter : all()) {
      ASSERT_TRUE(Eventually([&] { return voter->client->GetProposal(group_, id).ok(); }));
      ASSERT_OK(voter->client->CastStance(group_, id, "agree").status());
    }
  }
  for (Org* org : all()) {
    ASSERT_TRUE(Eventually([&] {
      absl::StatusOr<std::vector<Drawdown>> d = org->client->ListDrawdowns(group_, fund);
      if (!d.ok() || d->size() != 3) return false;
      for (const Drawdown& x : *d) {
        if (!x.final) return false;
      }
      return true;
    }));
  }
  ExpectConverged();
  std::vector<Drawdown> reference;
  for (Org* org : all()) {
    ASSERT_OK_AND_ASSIGN(std::vector<Drawdown> drawdowns, org->client->ListDrawdowns(group_, fund));
    ASSERT_EQ(drawdowns.size(), 3u);
    int approved = 0, refused = 0;
    for (const Drawdown& d : drawdowns) {
      approved += d.status == "approved";
      refused += d.status == "refused";
      if (d.status == "refused") {
        EXPECT_THAT(d.reason, HasSubstr("available after earlier approved drawdowns"));
      }
    }
    EXPECT_EQ(approved, 1) << "exactly one of the overdrawing drawdowns wins";
    EXPECT_EQ(refused, 1);
    if (reference.empty()) reference = drawdowns;
    for (size_t i = 0; i < drawdowns.size(); ++i) {
      EXPECT_EQ(drawdowns[i].proposal_id, reference[i].proposal_id);
      EXPECT_EQ(drawdowns[i].status, reference[i].status);
      EXPECT_EQ(drawdowns[i].reason, reference[i].reason);
    }
  }
  const Drawdown* winner = nullptr;
  const Drawdown* loser = nullptr;
  for (const Drawdown& d : reference) {
    if (d.status == "approved") winner = &d;
    if (d.status == "refused") loser = &d;
  }
  ASSERT_NE(winner, nullptr);
  ASSERT_NE(loser, nullptr);
  // The host's node refuses the refused drawdown, and nothing changes.
  ExpectConverged();
  const std::string before = StateHash(b());
  const uint64_t before_seq = LastSeq(b(), b().key);
  EXPECT_THAT(b().client->Disburse(group_, loser->proposal_id, loser->amount, "WIRE-X"),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("refused")));
  EXPECT_EQ(LastSeq(b(), b().key), before_seq);
  ExpectConverged();
  EXPECT_EQ(StateHash(b()), before) << "the refused disbursement changed nothing";
  ASSERT_OK(b().client->Disburse(group_, winner->proposal_id, winner->amount, "WIRE-2").status());
  ExpectConverged();

  // Every node shows the same fund: 600.00 received, 250.00 + the winner disbursed.
  for (Org* org : all()) {
    ASSERT_OK_AND_ASSIGN(Fund f, org->client->GetFund(group_, fund));
    EXPECT_EQ(f.received_minor, 60'000);
    EXPECT_EQ(f.disbursed_minor, 25'000 + winner->amount.amount_minor);
    EXPECT_EQ(f.balance_minor, f.received_minor - f.disbursed_minor);
    EXPECT_GE(f.balance_minor, 0);
    ASSERT_OK_AND_ASSIGN(PooledLedger ledger, org->client->ListContributions(group_));
    EXPECT_EQ(ledger.contributions.size(), 4u);
    ASSERT_OK_AND_ASSIGN(BenefitShares shares, org->client->GetShares(group_));
    EXPECT_EQ(shares.basis, "equal");
    ASSERT_EQ(shares.currencies.size(), 1u);
    EXPECT_EQ(shares.currencies[0].shares.size(), 3u);
  }
}

}  // namespace
}  // namespace constellation
