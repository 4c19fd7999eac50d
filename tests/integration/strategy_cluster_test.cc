// Shared strategy across three real nodes in-process (RocksDB, gRPC on 127.0.0.1:0), driven
// through the SDK (issue 9 item 1, docs/PROTOCOL.md §5.15): A drafts a plan, B and C each draft
// a revision of it (both kept, each the other's alternative); bad drafts and an
// adoption naming a version the group lacks are refused and store nothing; the three agree to
// adopt B's revision, and once final every node shows it current, the adoption in its history,
// the same lineage, and the same state hash.
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
using ::testing::UnorderedElementsAre;

class StrategyClusterTest : public ThreeOrgCluster {};

StrategyDraft Plan(std::string title, std::string based_on, int64_t target) {
  StrategyDraft d;
  d.document = "strategic_plan";
  d.title = std::move(title);
  d.content = "Restore the estuary.\nReport every quarter.\n";
  d.based_on = std::move(based_on);
  d.indicators.push_back(Indicator{"volunteers", "Volunteers trained", "", "people", "early", 0,
                                   target, "quarterly", ""});
  d.goals.push_back(StrategyGoal{"restore", "Restore the estuary", {"volunteers"}});
  return d;
}

TEST_F(StrategyClusterTest, ConcurrentRevisionsAndAnAdoptionAgreeOnEveryNode) {
  const uint64_t seq_before = LastSeq(a(), a().key);
  StrategyDraft bad = Plan("Plan", "", 10);
  bad.goals[0].indicator_keys = {"fish"};
  EXPECT_THAT(a().client->DraftStrategy(group_, bad),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("indicator_keys")));
  bad = Plan("Plan", "", 10);
  bad.indicators[0].frequency = "weekly";
  EXPECT_THAT(a().client->DraftStrategy(group_, bad),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("frequency")));
  EXPECT_THAT(a().client->DraftStrategy(group_, Plan("Plan", std::string(64, 'a'), 10)),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("parent_version_id")));
  ProposalSpec unknown;
  unknown.decision_type = "adopt_strategy";
  unknown.title = "Adopt nothing";
  unknown.strategy_version_id = std::string(64, 'b');
  EXPECT_THAT(a().client->Propose(group_, unknown),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("strategy version")));
  EXPECT_EQ(LastSeq(a(), a().key), seq_before) << "refused writes stored nothing";

  ASSERT_OK_AND_ASSIGN(StrategyWrite v1, a().client->DraftStrategy(group_, Plan("Plan", "", 10)));
  EXPECT_EQ(v1.version.status, "draft");
  ExpectConverged();
  // B and C revise it: two versions on the same base.
  ASSERT_OK_AND_ASSIGN(
      StrategyWrite v2,
      b().client->DraftStrategy(group_, Plan("Plan, more", v1.version.version_id, 40)));
  ASSERT_OK_AND_ASSIGN(StrategyWrite v3, c().client->DraftStrategy(
                                             group_, Plan("Plan, lean", v1.version.version_id, 5)));
  ExpectConverged();

  ProposalSpec adopt;
  adopt.decision_type = "adopt_strategy";
  adopt.title = "Adopt the bigger plan";
  adopt.strategy_version_id = v2.version.version_id;
  ASSERT_OK_AND_ASSIGN(ProposalWrite proposal, a().client->Propose(group_, adopt));
  const std::string& id = proposal.proposal.proposal_id;
  ExpectConverged();
  for (Org* org : all()) ASSERT_OK(org->client->CastStance(group_, id, "agree").status());
  for (Org* org : all()) {
    ASSERT_TRUE(Eventually([&] {
      absl::StatusOr<std::vector<StrategyVersion>> current =
          org->client->GetCurrentStrategy(group_);
      return current.ok() && current->size() == 1;
    }));
  }
  for (Org* org : all()) {
    ASSERT_OK_AND_ASSIGN(std::vector<StrategyVersion> current,
                         org->client->GetCurrentStrategy(group_));
    EXPECT_EQ(current[0].version_id, v2.version.version_id);
    EXPECT_EQ(current[0].status, "current");
    ASSERT_OK_AND_ASSIGN(std::vector<StrategyAdoption> history,
                         org->client->ListStrategyAdoptions(group_, "strategic_plan"));
    ASSERT_EQ(history.size(), 1u);
    EXPECT_EQ(history[0].proposal_id, id);
    EXPECT_TRUE(history[0].current);
    ASSERT_OK_AND_ASSIGN(StrategyVersion root,
                         org->client->GetStrategyVersion(group_, v1.version.version_id));
    EXPECT_THAT(root.children, UnorderedElementsAre(v2.version.version_id, v3.version.version_id));
    ASSERT_OK_AND_ASSIGN(StrategyVersion lean,
                         org->client->GetStrategyVersion(group_, v3.version.version_id));
    EXPECT_EQ(lean.status, "draft");
    EXPECT_THAT(lean.alternatives, ::testing::ElementsAre(v2.version.version_id));
    ASSERT_OK_AND_ASSIGN(std::vector<StrategyVersion> all_versions,
                         org->client->ListStrategyVersions(group_));
    EXPECT_EQ(all_versions.size(), 3u);
  }
  const StrategyDiff diff = DiffStrategy(v1.version.draft, v2.version.draft);
  ASSERT_EQ(diff.indicators.size(), 1u);
  EXPECT_EQ(diff.indicators[0].op, '~');
  ASSERT_EQ(diff.indicators[0].fields.size(), 1u);
  EXPECT_EQ(diff.indicators[0].fields[0].field, "target");
  ExpectConverged();
}

}  // namespace
}  // namespace constellation
