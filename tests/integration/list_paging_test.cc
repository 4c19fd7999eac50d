// Integration tests of paged list RPCs (client.proto "Paged lists"; issue 11: a list answered
// in one message broke `pledge list` for everyone once ~520 pledges carried 16 KiB notes). A
// real node in-process, driven through the public SDK.
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <constellation/client.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "server/base/limits.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"
#include "tests/testing/test_node.h"

namespace constellation {
namespace {

using ::constellation::testing::CampaignCharter;
using ::constellation::testing::StatusIs;
using ::constellation::testing::TempDir;
using ::constellation::testing::TestNode;
using ::testing::HasSubstr;

constexpr uint64_t kJan2027Ms = 1798761600000;  // 2027-01-01T00:00:00Z
// 600 views of ~16 KiB are ~10 MB: more than any one message may carry (the SDK's receive
// limit is 8 MiB, kRpcMessageSizeBytesMax 4 MiB).
constexpr int kPledges = 600;
constexpr int kWriters = 4;

class ListPagingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    node_ = TestNode::Create(dir_.Sub("node"), "Riverside Food Bank");
    ASSERT_NE(node_, nullptr);
    admin_ = node_->NewClient();
    ASSERT_OK_AND_ASSIGN(GroupWrite g, admin_->CreateGroup(CampaignCharter("Northside")));
    group_ = g.group.group_id;
    CampaignInput campaign;
    campaign.name = "Winter appeal";
    campaign.goal = Money{5'000'000, "EUR"};
    campaign.deadline_ms = kJan2027Ms;
    ASSERT_OK_AND_ASSIGN(CampaignWrite c, admin_->OpenCampaign(group_, campaign));
    campaign_ = c.campaign.campaign_id;
  }

  // A pledge whose note is as long as a record's text may be.
  static PledgeTerms LongNoteTerms(int i) {
    PledgeTerms terms;
    terms.amount = Money{1000 + i, "EUR"};
    terms.note = std::string(limits::kTextSizeBytesMax - 16, 'n');
    return terms;
  }

  // Records kPledges pledges from kWriters clients; returns their ids.
  std::set<std::string> RecordManyPledges() {
    std::vector<std::vector<std::string>> ids(kWriters);
    std::vector<std::thread> writers;
    for (int t = 0; t < kWriters; ++t) {
      writers.emplace_back([&, t] {
        auto client = node_->NewClient();
        for (int i = t; i < kPledges; i += kWriters) {
          absl::StatusOr<PledgeWrite> w = client->RecordPledge(group_, campaign_, LongNoteTerms(i));
          EXPECT_OK(w.status());
          if (w.ok()) ids[t].push_back(w->pledge.pledge_id);
        }
      });
    }
    for (auto& w : writers) w.join();
    std::set<std::string> all;
    for (const auto& some : ids) all.insert(some.begin(), some.end());
    return all;
  }

  TempDir dir_;
  std::unique_ptr<TestNode> node_;
  std::unique_ptr<Client> admin_;
  std::string group_;
  std::string campaign_;
};

// Every id of `pledges`, counted.
std::map<std::string, int> Counted(const std::vector<Pledge>& pledges) {
  std::map<std::string, int> counts;
  for (const Pledge& p : pledges) ++counts[p.pledge_id];
  return counts;
}

TEST_F(ListPagingTest, PledgeListBeyondTheMessageLimit) {
  const std::set<std::string> written = RecordManyPledges();
  ASSERT_EQ(written.size(), static_cast<size_t>(kPledges));

  for (const std::string& campaign : {std::string(), campaign_}) {
    ASSERT_OK_AND_ASSIGN(std::vector<Pledge> listed, admin_->ListPledges(group_, campaign));
    EXPECT_EQ(listed.size(), static_cast<size_t>(kPledges)) << "campaign filter: " << campaign;
    const std::map<std::string, int> counts = Counted(listed);
    EXPECT_EQ(counts.size(), written.size());
    for (const auto& [id, count] : counts) {
      EXPECT_EQ(count, 1) << id;
      EXPECT_TRUE(written.contains(id)) << id;
    }
    for (const Pledge& p : listed) EXPECT_EQ(p.terms.note.size(), limits::kTextSizeBytesMax - 16);
  }

  // A page asked for 1000 items ends at limits::kListPageBytesMax of views instead.
  PageOptions big;
  big.page_size = 1000;
  ASSERT_OK_AND_ASSIGN(Page<Pledge> first, admin_->ListPledgesPage(group_, "", 0, big));
  EXPECT_GT(first.items.size(), 0u);
  EXPECT_LT(first.items.size() * limits::kTextSizeBytesMax, limits::kListPageBytesMax + 64 * 1024);
  EXPECT_FALSE(first.next_page_token.empty());
}

TEST_F(ListPagingTest, PledgeListPagesWalkEveryPledgeOnceWhileOthersAreAdded) {
  const std::set<std::string> written = RecordManyPledges();
  ASSERT_EQ(written.size(), static_cast<size_t>(kPledges));

  for (const std::string& campaign : {std::string(), campaign_}) {
    std::map<std::string, int> seen;
    PageOptions page;
    page.page_size = 7;
    int pages = 0;
    int added = 0;
    do {
      ASSERT_OK_AND_ASSIGN(Page<Pledge> next, admin_->ListPledgesPage(group_, campaign, 0, page));
      EXPECT_LE(next.items.size(), 7u);
      for (const Pledge& p : next.items) ++seen[p.pledge_id];
      page.page_token = next.next_page_token;
      ++pages;
      // A pledge recorded between pages: anywhere in the order, before or after the cursor.
      if (!page.page_token.empty() && pages % 5 == 0) {
        ASSERT_OK(admin_->RecordPledge(group_, campaign_, LongNoteTerms(pages)).status());
        ++added;
      }
      ASSERT_LT(pages, 1000) << "the listing does not end";
    } while (!page.page_token.empty());
    EXPECT_GE(pages, kPledges / 7);
    EXPECT_GT(added, 10);
    for (const std::string& id : written) EXPECT_EQ(seen[id], 1) << id;
    for (const auto& [id, count] : seen) EXPECT_EQ(count, 1) << "listed twice: " << id;
  }
}

TEST_F(ListPagingTest, PledgeListRefusesAPageTokenItDidNotReturn) {
  ASSERT_OK(admin_->RecordPledge(group_, campaign_, LongNoteTerms(1)).status());
  ASSERT_OK(admin_->RecordPledge(group_, campaign_, LongNoteTerms(2)).status());
  PageOptions garbage;
  garbage.page_token = "00ff00ff00ff00ff00ff00ff";
  EXPECT_THAT(
      admin_->ListPledgesPage(group_, "", 0, garbage),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("start again with an empty token")));
  garbage.page_token = "not hex";
  EXPECT_THAT(admin_->ListPledgesPage(group_, "", 0, garbage),
              StatusIs(absl::StatusCode::kInvalidArgument));

  // A token of ListPledges is not one ListCampaigns (or the campaign's listing) returned.
  PageOptions one;
  one.page_size = 1;
  ASSERT_OK_AND_ASSIGN(Page<Pledge> first, admin_->ListPledgesPage(group_, "", 0, one));
  ASSERT_FALSE(first.next_page_token.empty());
  PageOptions other;
  other.page_token = first.next_page_token;
  EXPECT_THAT(admin_->ListCampaignsPage(group_, other),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("ListCampaigns")));
  EXPECT_THAT(admin_->ListPledgesPage(group_, campaign_, 0, other),
              StatusIs(absl::StatusCode::kInvalidArgument));
  ASSERT_OK_AND_ASSIGN(Page<Pledge> second, admin_->ListPledgesPage(group_, "", 0, other));
  ASSERT_EQ(second.items.size(), 1u);
  EXPECT_NE(second.items[0].pledge_id, first.items[0].pledge_id);
}

TEST_F(ListPagingTest, OtherListsPageAndDrainToTheSameItems) {
  PageOptions one;
  one.page_size = 1;
  ASSERT_OK_AND_ASSIGN(Page<Group> groups, admin_->ListGroupsPage(one));
  EXPECT_EQ(groups.items.size(), 1u);
  EXPECT_TRUE(groups.next_page_token.empty());
  CampaignInput campaign;
  campaign.name = "Spring appeal";
  campaign.goal = Money{1'000'000, "EUR"};
  campaign.deadline_ms = kJan2027Ms;
  ASSERT_OK(admin_->OpenCampaign(group_, campaign).status());
  ASSERT_OK_AND_ASSIGN(Page<Campaign> campaigns, admin_->ListCampaignsPage(group_, one));
  EXPECT_EQ(campaigns.items.size(), 1u);
  ASSERT_FALSE(campaigns.next_page_token.empty());
  one.page_token = campaigns.next_page_token;
  ASSERT_OK_AND_ASSIGN(Page<Campaign> rest, admin_->ListCampaignsPage(group_, one));
  EXPECT_EQ(rest.items.size(), 1u);
  EXPECT_TRUE(rest.next_page_token.empty());
  ASSERT_OK_AND_ASSIGN(std::vector<Campaign> all, admin_->ListCampaigns(group_));
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].campaign_id, campaigns.items[0].campaign_id);
  EXPECT_EQ(all[1].campaign_id, rest.items[0].campaign_id);
}

}  // namespace
}  // namespace constellation
