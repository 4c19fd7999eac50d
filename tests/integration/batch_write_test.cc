// Integration tests of the batch write (RecordPledges, issue 10: bulk ingest): a real node
// in-process, driven through the public SDK's Client::RecordPledges as a member organisation
// importing its pledge book would.
#include <string>
#include <vector>

#include <constellation/client.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"
#include "tests/testing/test_node.h"

namespace constellation {
namespace {

using ::constellation::testing::CampaignCharter;
using ::constellation::testing::StatusIs;
using ::constellation::testing::TempDir;
using ::constellation::testing::TestNode;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr uint64_t kJan2027Ms = 1798761600000;  // 2027-01-01T00:00:00Z

class BatchWriteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    node_ = TestNode::Create(dir_.Sub("node"), "Riverside Food Bank");
    ASSERT_NE(node_, nullptr);
    admin_ = node_->NewClient();
    ASSERT_OK_AND_ASSIGN(GroupWrite g,
                         admin_->CreateGroup(CampaignCharter("Northside Food Partnership")));
    group_ = g.group.group_id;
    CampaignInput campaign;
    campaign.name = "Winter appeal";
    campaign.goal = Money{5'000'000, "EUR"};
    campaign.deadline_ms = kJan2027Ms;
    ASSERT_OK_AND_ASSIGN(CampaignWrite c, admin_->OpenCampaign(group_, campaign));
    campaign_ = c.campaign.campaign_id;
  }

  // Pledge `i` of a pledge book: `amount_minor` EUR with its own request id.
  PledgeInput Item(int i, int64_t amount_minor, const std::string& prefix = "book") {
    PledgeInput p;
    p.campaign_id = campaign_;
    p.terms.amount = Money{amount_minor, "EUR"};
    p.terms.donor_name = "Donor " + std::to_string(i);
    p.request_id = prefix + "-" + std::to_string(i);
    return p;
  }

  Group GroupNow() {
    absl::StatusOr<Group> g = admin_->GetGroup(group_);
    EXPECT_TRUE(g.ok()) << g.status();
    return g.ok() ? *g : Group{};
  }

  TempDir dir_;
  std::unique_ptr<TestNode> node_;
  std::unique_ptr<Client> admin_;
  std::string group_;
  std::string campaign_;
};

TEST_F(BatchWriteTest, RecordsEveryPledgeInOrderDurably) {
  std::vector<PledgeInput> book;
  for (int i = 0; i < 120; ++i) book.push_back(Item(i, 100 + i));
  book[7].terms.installments = {{kJan2027Ms - 86'400'000, 50}, {kJan2027Ms, 57}};
  book[8].terms.amount.amount_minor = 1200;
  book[8].schedule =
      InstallmentSchedule{.count = 4, .frequency = "monthly", .start_ms = kJan2027Ms};

  ASSERT_OK_AND_ASSIGN(std::vector<EventRef> events, admin_->RecordPledges(group_, book));
  ASSERT_EQ(events.size(), book.size());
  for (size_t i = 0; i < events.size(); ++i) {
    // One chain, in request order: the org's events 3.. of the group (charter, campaign first).
    EXPECT_EQ(events[i].seq, 3 + i);
    EXPECT_EQ(events[i].group_id, group_);
    ASSERT_OK_AND_ASSIGN(Pledge p, admin_->GetPledge(group_, events[i].event_id));
    EXPECT_EQ(p.terms.amount.amount_minor, book[i].terms.amount.amount_minor);
    EXPECT_EQ(p.terms.donor_name, book[i].terms.donor_name);
  }
  ASSERT_OK_AND_ASSIGN(Pledge scheduled, admin_->GetPledge(group_, events[8].event_id));
  EXPECT_EQ(scheduled.terms.installments.size(), 4u);  // the node expanded the schedule
  ASSERT_OK_AND_ASSIGN(Pledge split, admin_->GetPledge(group_, events[7].event_id));
  EXPECT_EQ(split.terms.installments.size(), 2u);
  ASSERT_OK_AND_ASSIGN(Campaign c, admin_->GetCampaign(group_, campaign_));
  EXPECT_EQ(c.pledge_count, 120u);

  // Acknowledged means durable: all of it is there after a restart, state hash and all.
  const std::string hash = GroupNow().state_hash;
  admin_.reset();
  node_->Stop();
  ASSERT_OK(node_->Start());
  admin_ = node_->NewClient();
  EXPECT_EQ(GroupNow().state_hash, hash);
  EXPECT_EQ(GroupNow().event_count, 122u);
}

TEST_F(BatchWriteTest, ARetriedBatchRecordsEachPledgeOnce) {
  std::vector<PledgeInput> book;
  for (int i = 0; i < 10; ++i) book.push_back(Item(i, 500));
  ASSERT_OK_AND_ASSIGN(std::vector<EventRef> first, admin_->RecordPledges(group_, book));
  ASSERT_OK_AND_ASSIGN(std::vector<EventRef> again, admin_->RecordPledges(group_, book));
  ASSERT_EQ(again.size(), first.size());
  for (size_t i = 0; i < first.size(); ++i) EXPECT_EQ(again[i].event_id, first[i].event_id);
  EXPECT_EQ(GroupNow().event_count, 12u);
  // A batch that extends a recorded one records only what is new.
  book.push_back(Item(10, 500));
  ASSERT_OK_AND_ASSIGN(std::vector<EventRef> extended, admin_->RecordPledges(group_, book));
  EXPECT_EQ(extended[3].event_id, first[3].event_id);
  EXPECT_EQ(GroupNow().event_count, 13u);
  // A recorded request id reused for another pledge is refused, as RecordPledge refuses it.
  std::vector<PledgeInput> reused = {Item(11, 500), Item(0, 999)};
  EXPECT_THAT(admin_->RecordPledges(group_, reused),
              StatusIs(absl::StatusCode::kAlreadyExists,
                       AllOf(HasSubstr("pledges[1]: "), HasSubstr("different write"))));
}

TEST_F(BatchWriteTest, AMalformedItemRejectsTheWholeBatch) {
  const std::string before = GroupNow().state_hash;
  std::vector<PledgeInput> book;
  for (int i = 0; i < 5; ++i) book.push_back(Item(i, 100));
  book[3].terms.amount.amount_minor = -5;
  EXPECT_THAT(admin_->RecordPledges(group_, book),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("pledges[3]: "), HasSubstr("positive"),
                             HasSubstr("nothing in the batch is recorded"))));
  book[3].terms.amount.amount_minor = 100;
  book[4].request_id = book[1].request_id;
  EXPECT_THAT(admin_->RecordPledges(group_, book),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("pledges[4]: "), HasSubstr("earlier item"))));
  book[4].request_id = "book-4";
  book[2].terms.note = std::string(20 * 1024, 'n');
  EXPECT_THAT(admin_->RecordPledges(group_, book),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("pledges[2]: "), HasSubstr("kTextSizeBytesMax"))));
  book[1].campaign_id = "not-hex";
  EXPECT_THAT(admin_->RecordPledges(group_, book),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("pledges[1]: ")));
  EXPECT_THAT(admin_->RecordPledges(group_, {}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("empty")));
  std::vector<PledgeInput> too_many;
  for (int i = 0; i < 501; ++i) too_many.push_back(Item(i, 100, "many"));
  EXPECT_THAT(admin_->RecordPledges(group_, too_many),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("kPledgeBatchCountMax")));
  EXPECT_EQ(GroupNow().state_hash, before);
}

TEST_F(BatchWriteTest, AnItemTheStateRefusesStopsTheBatchAfterWhatCameBefore) {
  std::vector<PledgeInput> book;
  for (int i = 0; i < 6; ++i) book.push_back(Item(i, 100));
  book[3].terms.amount.currency = "USD";  // the campaign takes EUR only: known on the loop
  EXPECT_THAT(
      admin_->RecordPledges(group_, book),
      StatusIs(absl::StatusCode::kInvalidArgument,
               AllOf(HasSubstr("pledges[3]: "), HasSubstr("EUR"),
                     HasSubstr("pledges[0] to pledges[2] are recorded, none after it is"))));
  ASSERT_OK_AND_ASSIGN(Campaign partial, admin_->GetCampaign(group_, campaign_));
  EXPECT_EQ(partial.pledge_count, 3u);

  // Fixed and sent again with the same request ids: the first three are not recorded twice.
  book[3].terms.amount.currency = "EUR";
  ASSERT_OK_AND_ASSIGN(std::vector<EventRef> events, admin_->RecordPledges(group_, book));
  EXPECT_EQ(events.size(), 6u);
  ASSERT_OK_AND_ASSIGN(Campaign whole, admin_->GetCampaign(group_, campaign_));
  EXPECT_EQ(whole.pledge_count, 6u);
  EXPECT_EQ(GroupNow().event_count, 8u);

  std::vector<PledgeInput> unknown = {Item(10, 100)};
  unknown[0].campaign_id = std::string(64, 'a');
  EXPECT_THAT(admin_->RecordPledges(group_, unknown),
              StatusIs(absl::StatusCode::kNotFound,
                       AllOf(HasSubstr("pledges[0]: "), HasSubstr("campaign"),
                             HasSubstr("nothing else in the batch is recorded"))));
  EXPECT_THAT(
      admin_->RecordPledges(std::string(64, 'b'), {Item(11, 100)}),
      StatusIs(absl::StatusCode::kNotFound, AllOf(HasSubstr("group"), Not(HasSubstr("pledges[")))));
}

TEST_F(BatchWriteTest, ReadOnlyTokensCannotWriteABatch) {
  ASSERT_OK_AND_ASSIGN(CreatedToken auditor_token, admin_->CreateToken("auditor", "ext", {}));
  auto auditor = node_->NewClient(auditor_token.token);
  EXPECT_THAT(auditor->RecordPledges(group_, {Item(0, 100)}),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("read-only")));
  ASSERT_OK_AND_ASSIGN(CreatedToken member_token, admin_->CreateToken("member", "finance", {}));
  auto member = node_->NewClient(member_token.token);
  EXPECT_OK(member->RecordPledges(group_, {Item(0, 100)}).status());
}

TEST_F(BatchWriteTest, TheSdkMakesRequestIdsForItemsWithout) {
  std::vector<PledgeInput> book = {Item(0, 100), Item(1, 200)};
  book[0].request_id.clear();
  book[1].request_id.clear();
  ASSERT_OK_AND_ASSIGN(std::vector<EventRef> events, admin_->RecordPledges(group_, book));
  ASSERT_EQ(events.size(), 2u);
  EXPECT_NE(events[0].event_id, events[1].event_id);
  book[1].request_id = std::string(200, 'r');
  EXPECT_THAT(admin_->RecordPledges(group_, book),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("pledges[1]: "), HasSubstr("request_id"))));
}

}  // namespace
}  // namespace constellation
