// Convenings across three real nodes in-process (RocksDB, gRPC on 127.0.0.1:0), driven through
// the SDK (issue 9 item 4, docs/PROTOCOL.md §5.13): A convenes B and C with a proposal on the
// agenda; each invitee records its attendance on its own node; A records minutes twice (the
// later text shows); an attendee adds an action item owned by another member, the owner marks
// it done; bad input (an uninvited attendee, a non-member owner, minutes by a non-convener, a
// second completion) is refused with its code and stores nothing; every node shows the same
// convening and ends with the same state hash.
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

class ConveningsClusterTest : public ThreeOrgCluster {
 protected:
  // Waits until `org`'s node holds the convening (replication).
  void AwaitConvening(Org& org, const std::string& id) {
    ASSERT_TRUE(Eventually([&] { return org.client->GetConvening(group_, id).ok(); }));
  }
};

TEST_F(ConveningsClusterTest, ScheduleAttendMinutesAndActionItemsAgreeOnEveryNode) {
  ProposalSpec spec;
  spec.decision_type = "open_campaign";
  spec.title = "Spring appeal";
  CampaignInput campaign;
  campaign.name = "Spring appeal";
  campaign.goal = Money{500'000, "EUR"};
  spec.campaign = campaign;
  ASSERT_OK_AND_ASSIGN(ProposalWrite proposal, a().client->Propose(group_, spec));

  ConveningInput input;
  input.title = "Quarterly review";
  input.scheduled_ms = 1'900'000'000'000;
  input.agenda_items = {"Indicators of the quarter", "Next steps"};
  input.agenda_proposal_ids = {proposal.proposal.proposal_id};
  input.invitees = {b().key, c().key};
  input.location = "https://call.example/q1";
  ASSERT_OK_AND_ASSIGN(ConveningWrite scheduled, a().client->ScheduleConvening(group_, input));
  const std::string id = scheduled.convening.convening_id;
  EXPECT_EQ(scheduled.convening.convener, a().key);
  ASSERT_EQ(scheduled.convening.agenda_proposals.size(), 1u);
  EXPECT_EQ(scheduled.convening.agenda_proposals[0].title, "Spring appeal");
  EXPECT_EQ(scheduled.convening.agenda_proposals[0].outcome, "open");

  // The invitees attend, each on its own node; the convener was not invited by name.
  for (Org* org : {&b(), &c()}) {
    AwaitConvening(*org, id);
    ASSERT_OK(org->client->RecordAttendance(group_, id).status());
  }
  EXPECT_THAT(c().client->RecordAttendance(group_, id),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("already recorded")));
  const uint64_t a_seq = LastSeq(a(), a().key);
  EXPECT_THAT(a().client->RecordAttendance(group_, id),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("not invited")));
  EXPECT_EQ(LastSeq(a(), a().key), a_seq) << "a refused write stored nothing";

  // Minutes: the convener only; the later text shows, both versions are counted.
  EXPECT_THAT(b().client->RecordMinutes(group_, id, "B's notes"),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("only the convener")));
  ASSERT_OK(a().client->RecordMinutes(group_, id, "Draft minutes").status());
  ASSERT_OK_AND_ASSIGN(ConveningWrite minutes,
                       a().client->RecordMinutes(group_, id, "Agreed:\n- the appeal\n- Q2 plan"));
  EXPECT_EQ(minutes.convening.minutes, "Agreed:\n- the appeal\n- Q2 plan");
  EXPECT_EQ(minutes.convening.minutes_versions, 2u);

  // An attendee adds an item owned by C once its attendance is on B's node; C marks it done.
  ASSERT_TRUE(Eventually([&] {
    absl::StatusOr<Convening> view = b().client->GetConvening(group_, id);
    return view.ok() && view->attendance.size() == 2;
  }));
  EXPECT_THAT(b().client->AddActionItem(
                  group_, id, {"Draft the Q2 plan", "ab" + a().key.substr(2), 1'900'100'000'000}),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("owned by a member")));
  ASSERT_OK_AND_ASSIGN(
      ActionItemWrite item,
      b().client->AddActionItem(group_, id, {"Draft the Q2 plan", c().key, 1'900'100'000'000}));
  const std::string action = item.action_item.action_id;
  EXPECT_EQ(item.action_item.status, "open");
  ASSERT_TRUE(Eventually([&] { return c().client->ListActionItems(group_, c().key, true).ok(); }));
  ASSERT_TRUE(Eventually([&] {
    absl::StatusOr<std::vector<ActionItem>> mine = c().client->ListActionItems(group_, c().key);
    return mine.ok() && mine->size() == 1;
  }));
  ASSERT_OK_AND_ASSIGN(ActionItemWrite done,
                       c().client->CompleteActionItem(group_, action, "sent to all"));
  EXPECT_EQ(done.action_item.status, "done");
  EXPECT_EQ(done.action_item.completed_by, c().key);
  EXPECT_THAT(c().client->CompleteActionItem(group_, action),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("already done")));

  // Every node shows the same convening, and the same state hash.
  ExpectConverged();
  for (Org* org : all()) {
    ASSERT_TRUE(Eventually([&] {
      absl::StatusOr<Convening> view = org->client->GetConvening(group_, id);
      return view.ok() && view->attendance.size() == 2 && view->action_items.size() == 1 &&
             view->action_items[0].status == "done" && view->minutes_versions == 2;
    })) << "node of "
        << org->key;
    ASSERT_OK_AND_ASSIGN(std::vector<Convening> list, org->client->ListConvenings(group_));
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0].schedule.agenda_items.size(), 2u);
    EXPECT_EQ(list[0].schedule.location, "https://call.example/q1");
  }
  ExpectConverged();
}

}  // namespace
}  // namespace constellation
