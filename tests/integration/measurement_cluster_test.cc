// Shared measurement across three real nodes in-process (RocksDB, gRPC on 127.0.0.1:0), driven
// through the SDK (issue 9 item 5, docs/PROTOCOL.md §5.16): a plan with a quarterly indicator
// is adopted; each org reports its own value on its own node (bad reports are refused and store
// nothing), one corrects its value by a revision; once replicated every node shows the same
// series (per member and in total), the revision chain, and the same state hash.
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

class MeasurementClusterTest : public ThreeOrgCluster {};

TEST_F(MeasurementClusterTest, ReportsAndRevisionsMakeTheSameSeriesOnEveryNode) {
  StrategyDraft plan;
  plan.document = "strategic_plan";
  plan.title = "Plan";
  plan.indicators.push_back(
      Indicator{"volunteers", "Volunteers", "", "people", "early", 0, 40, "quarterly", ""});
  ASSERT_OK_AND_ASSIGN(StrategyWrite version, a().client->DraftStrategy(group_, plan));
  const std::string& v = version.version.version_id;
  ProposalSpec adopt;
  adopt.decision_type = "adopt_strategy";
  adopt.title = "Adopt";
  adopt.strategy_version_id = v;
  ASSERT_OK_AND_ASSIGN(ProposalWrite proposal, a().client->Propose(group_, adopt));
  ExpectConverged();
  for (Org* org : all()) {
    ASSERT_OK(org->client->CastStance(group_, proposal.proposal.proposal_id, "agree").status());
  }
  ASSERT_TRUE(Eventually([&] {
    absl::StatusOr<std::vector<StrategyVersion>> current = a().client->GetCurrentStrategy(group_);
    return current.ok() && current->size() == 1;
  }));

  const uint64_t seq_before = LastSeq(b(), b().key);
  EXPECT_THAT(b().client->ReportIndicator(group_, {v, "volunteers", "2026-07", 5, "", ""}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("2026-Q3")));
  EXPECT_THAT(b().client->ReportIndicator(group_, {v, "fish", "2026-Q3", 5, "", ""}),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("no indicator 'fish'")));
  EXPECT_EQ(LastSeq(b(), b().key), seq_before) << "refused reports stored nothing";

  ASSERT_OK_AND_ASSIGN(
      IndicatorReportWrite first,
      b().client->ReportIndicator(group_, {v, "volunteers", "2026-Q3", 5, "", ""}));
  EXPECT_THAT(b().client->ReportIndicator(group_, {v, "volunteers", "2026-Q3", 6, "", ""}),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("revise it")));
  ASSERT_OK(b().client
                ->ReportIndicator(
                    group_, {v, "volunteers", "2026-Q3", 6, "recount", first.report.report_id})
                .status());
  EXPECT_THAT(b().client->ReportIndicator(
                  group_, {v, "volunteers", "2026-Q3", 7, "", first.report.report_id}),
              StatusIs(absl::StatusCode::kAlreadyExists));
  ASSERT_OK(c().client->ReportIndicator(group_, {v, "volunteers", "2026-Q3", 4, "", ""}).status());
  ASSERT_OK(a().client->ReportIndicator(group_, {v, "volunteers", "2026-Q4", 9, "", ""}).status());
  ExpectConverged();

  for (Org* org : all()) {
    ASSERT_OK_AND_ASSIGN(Measurement m, org->client->GetMeasurement(group_));
    ASSERT_EQ(m.indicators.size(), 1u);
    const IndicatorSeries& s = m.indicators[0];
    EXPECT_EQ(s.indicator.target, 40);
    ASSERT_EQ(s.periods.size(), 2u);
    EXPECT_EQ(s.periods[0].period, "2026-Q3");
    EXPECT_EQ(s.periods[0].total, 10);  // b's revised 6 and c's 4
    EXPECT_EQ(s.periods[0].values.size(), 2u);
    EXPECT_EQ(s.periods[1].total, 9);
    ASSERT_OK_AND_ASSIGN(IndicatorReport revised,
                         org->client->GetIndicatorReport(group_, first.report.report_id));
    EXPECT_FALSE(revised.revised_by.empty());
    ASSERT_OK_AND_ASSIGN(std::vector<IndicatorReport> bs,
                         org->client->ListIndicatorReports(group_, v, "volunteers", b().key));
    EXPECT_EQ(bs.size(), 2u);
  }
  ExpectConverged();
}

}  // namespace
}  // namespace constellation
