// Partnership health across three real nodes in-process (RocksDB, gRPC on 127.0.0.1:0), driven
// through the SDK (issue 9 item 6, docs/PROTOCOL.md §5.14): each org records pulse checks on
// its own node (an alignment outside 1..5 is refused and stores nothing); once replicated,
// every node answers the same health view for the same time (members, what each owes, latest
// pulses, the trend) and holds the same state hash.
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

class HealthClusterTest : public ThreeOrgCluster {};

TEST_F(HealthClusterTest, PulsesAndTheHealthViewAgreeOnEveryNode) {
  const uint64_t seq_before = LastSeq(a(), a().key);
  EXPECT_THAT(a().client->RecordPulse(group_, 6),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("pulse_check.alignment")));
  EXPECT_EQ(LastSeq(a(), a().key), seq_before) << "a refused pulse stored nothing";

  const uint32_t alignments[] = {4, 2, 5};
  for (size_t i = 0; i < 3; ++i) {
    ASSERT_OK_AND_ASSIGN(PulseWrite w,
                         orgs_[i].client->RecordPulse(group_, alignments[i], "candid note"));
    EXPECT_EQ(w.pulse.alignment, alignments[i]);
    EXPECT_EQ(w.pulse.member, orgs_[i].key);
  }
  // An open proposal: B and C owe their stance.
  ProposalSpec spec;
  spec.decision_type = "open_campaign";
  spec.title = "Spring appeal";
  CampaignInput campaign;
  campaign.name = "Spring appeal";
  campaign.goal = Money{500'000, "EUR"};
  spec.campaign = campaign;
  ASSERT_OK_AND_ASSIGN(ProposalWrite proposal, a().client->Propose(group_, spec));
  ExpectConverged();

  ASSERT_OK_AND_ASSIGN(GroupHealth first, a().client->GetHealth(group_));
  const uint64_t as_of = first.as_of_ms;
  ASSERT_EQ(first.members.size(), 3u);
  for (Org* org : all()) {
    ASSERT_TRUE(Eventually([&] {
      absl::StatusOr<std::vector<Pulse>> pulses = org->client->ListPulses(group_);
      return pulses.ok() && pulses->size() == 3;
    }));
    ASSERT_OK_AND_ASSIGN(GroupHealth h, org->client->GetHealth(group_, as_of));
    EXPECT_EQ(h.as_of_ms, as_of);
    EXPECT_EQ(h.open_proposals, 1u);
    EXPECT_EQ(h.review_cadence_days, 30u);
    ASSERT_EQ(h.pulse_trend.size(), 1u);
    EXPECT_EQ(h.pulse_trend[0].count, 3u);
    EXPECT_EQ(h.pulse_trend[0].average_milli, 3'667u);  // (4 + 2 + 5) / 3
    ASSERT_EQ(h.members.size(), 3u);
    for (const MemberHealth& m : h.members) {
      EXPECT_FALSE(m.silent);
      EXPECT_GT(m.last_activity_ms, 0u);
      for (size_t i = 0; i < 3; ++i) {
        if (orgs_[i].key == m.member) {
          EXPECT_EQ(m.latest_alignment, alignments[i]);
        }
      }
      const bool proposer = m.member == a().key;
      if (!proposer) {
        EXPECT_THAT(m.stances_owed, ::testing::ElementsAre(proposal.proposal.proposal_id))
            << m.name;
      }
    }
  }
  // Far ahead, everyone is silent.
  ASSERT_OK_AND_ASSIGN(GroupHealth later,
                       b().client->GetHealth(group_, as_of + 31ull * 86'400'000));
  for (const MemberHealth& m : later.members) EXPECT_TRUE(m.silent) << m.name;
  ExpectConverged();
}

}  // namespace
}  // namespace constellation
