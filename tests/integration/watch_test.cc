// Watch (issue 12 item 6, client.proto GroupService.WatchEvents): a member's system mirrors a
// group through the SDK's Watch while its connection to the node is cut (a real TCP relay,
// tests/testing/tcp_proxy.h) and while the node restarts, and writes go on meanwhile. Every
// event of the group must reach the watcher exactly once.
#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <set>
#include <thread>
#include <utility>
#include <vector>

#include <constellation/client.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/testing/status_matchers.h"
#include "tests/testing/tcp_proxy.h"
#include "tests/testing/temp_dir.h"
#include "tests/testing/test_node.h"

namespace constellation {
namespace {

using ::constellation::testing::CampaignCharter;
using ::constellation::testing::StatusIs;
using ::constellation::testing::TcpProxy;
using ::constellation::testing::TempDir;
using ::constellation::testing::TestNode;
using Clock = std::chrono::steady_clock;

constexpr uint64_t kJan2027Ms = 1798761600000;  // 2027-01-01T00:00:00Z
// Generous: the machine is shared, and the SDK backs off up to 5 s between reconnects.
constexpr std::chrono::seconds kBound{60};

int PortOf(const std::string& endpoint) {
  return std::stoi(endpoint.substr(endpoint.rfind(':') + 1));
}

// Polls `done` until it holds or kBound has passed.
bool Eventually(const std::function<bool()>& done) {
  const auto deadline = Clock::now() + kBound;
  while (Clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return done();
}

// A watcher on its own thread, as a member's mirror would run: it records every event id it
// is given, in order, until cancelled.
class Watcher {
 public:
  Watcher(Client& client, const std::string& group, WatchOptions options = {}) {
    absl::StatusOr<WatchStream> stream = client.Watch(group, options);
    EXPECT_TRUE(stream.ok()) << stream.status();
    stream_.emplace(*std::move(stream));
    thread_ = std::thread([this] {
      GroupEventEntry entry;
      while (true) {
        absl::StatusOr<bool> more = stream_->Next(&entry);
        std::lock_guard<std::mutex> lock(mu_);
        if (!more.ok() || !*more) {
          end_ = more.ok() ? absl::OkStatus() : more.status();
          return;
        }
        ids_.push_back(entry.event_id);
        revision_ = stream_->revision();
      }
    });
  }
  ~Watcher() { Stop().IgnoreError(); }

  // Cancels from this thread while the watcher blocks in Next().
  absl::Status Stop() {
    if (thread_.joinable()) {
      stream_->Cancel();
      thread_.join();
    }
    return end_;
  }
  size_t count() {
    std::lock_guard<std::mutex> lock(mu_);
    return ids_.size();
  }
  std::vector<std::string> ids() {
    std::lock_guard<std::mutex> lock(mu_);
    return ids_;
  }
  WatchRevision revision() {
    std::lock_guard<std::mutex> lock(mu_);
    return revision_;
  }
  // The ids received so far and the revision after them, read together.
  std::pair<std::vector<std::string>, WatchRevision> Snapshot() {
    std::lock_guard<std::mutex> lock(mu_);
    return {ids_, revision_};
  }

 private:
  std::optional<WatchStream> stream_;
  std::thread thread_;
  std::mutex mu_;
  std::vector<std::string> ids_;
  WatchRevision revision_;
  absl::Status end_;
};

class WatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    node_ = TestNode::Create(dir_.Sub("node"), "Riverside Food Bank");
    ASSERT_NE(node_, nullptr);
    admin_ = node_->NewClient();
    CharterInput charter = CampaignCharter("Northside Food Partnership");
    charter.base_currency = "EUR";
    ASSERT_OK_AND_ASSIGN(GroupWrite g, admin_->CreateGroup(charter));
    group_ = g.group.group_id;
    CampaignInput campaign;
    campaign.name = "Winter appeal";
    campaign.goal = Money{5'000'000, "EUR"};
    campaign.deadline_ms = kJan2027Ms;
    ASSERT_OK_AND_ASSIGN(CampaignWrite c, admin_->OpenCampaign(group_, campaign));
    campaign_ = c.campaign.campaign_id;
  }

  void Pledge(int n) {
    for (int i = 0; i < n; ++i) {
      PledgeTerms terms;
      terms.amount = Money{1000 + i, "EUR"};
      ASSERT_OK(admin_->RecordPledge(group_, campaign_, terms).status());
    }
  }

  // Every event id of the group, in canonical order (the history stream).
  std::vector<std::string> History() {
    std::vector<std::string> ids;
    absl::StatusOr<GroupEventStream> stream = admin_->GroupEvents(group_);
    EXPECT_TRUE(stream.ok()) << stream.status();
    GroupEventEntry entry;
    while (true) {
      absl::StatusOr<bool> more = stream->Next(&entry);
      EXPECT_TRUE(more.ok()) << more.status();
      if (!more.ok() || !*more) return ids;
      ids.push_back(entry.event_id);
    }
  }

  // A client of the node through `proxy`, retrying quickly.
  std::unique_ptr<Client> ClientThrough(const TcpProxy& proxy) {
    ClientOptions options;
    options.endpoint = proxy.endpoint();
    options.token = node_->admin_token();
    absl::StatusOr<std::unique_ptr<Client>> c = Client::Connect(options);
    EXPECT_TRUE(c.ok()) << c.status();
    return c.ok() ? *std::move(c) : nullptr;
  }

  TempDir dir_;
  std::unique_ptr<TestNode> node_;
  std::unique_ptr<Client> admin_;
  std::string group_;
  std::string campaign_;
};

TEST_F(WatchTest, ResumesAfterACutLinkAndANodeRestartWithoutLossOrDuplicates) {
  TcpProxy proxy(PortOf(node_->endpoint()));
  std::unique_ptr<Client> mirror = ClientThrough(proxy);
  ASSERT_NE(mirror, nullptr);
  Watcher watcher(*mirror, group_);

  // The backlog (genesis, campaign), then live events.
  ASSERT_TRUE(Eventually([&] { return watcher.count() == 2; }));
  Pledge(5);
  ASSERT_TRUE(Eventually([&] { return watcher.count() == 7; }));

  // The link is cut while writes go on; the watch reconnects once it heals.
  proxy.SetCut(true);
  Pledge(5);
  proxy.SetCut(false);
  ASSERT_TRUE(Eventually([&] { return watcher.count() >= 12; }));

  // The node restarts (its watches end with UNAVAILABLE); writes go on after it is back.
  node_->Stop();
  ASSERT_OK(node_->Start());
  admin_ = node_->NewClient();
  Pledge(5);
  ASSERT_TRUE(Eventually([&] { return watcher.count() >= 17; }));

  const std::vector<std::string> history = History();
  ASSERT_EQ(history.size(), 17u);
  std::vector<std::string> seen = watcher.ids();
  EXPECT_EQ(seen.size(), history.size()) << "an event was delivered twice";
  std::sort(seen.begin(), seen.end());
  std::vector<std::string> expected = history;
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(seen, expected);
  // A single author here, so delivery order is the chain order: the canonical order.
  EXPECT_EQ(watcher.ids(), history);

  // Cancelled from another thread while blocked in Next().
  EXPECT_THAT(watcher.Stop(), StatusIs(absl::StatusCode::kCancelled));
}

TEST_F(WatchTest, ResumesFromARevisionAcrossProcesses) {
  Pledge(3);
  WatchRevision revision;
  {
    Watcher first(*admin_, group_);
    ASSERT_TRUE(Eventually([&] { return first.count() == 5; }));
    revision = first.revision();
    ASSERT_EQ(revision.seqs.size(), 1u);
    EXPECT_EQ(revision.seqs.begin()->second, 5u);
    // Its text form (the CLI's --from) reads back as the same revision.
    ASSERT_OK_AND_ASSIGN(WatchRevision parsed, WatchRevision::Parse(revision.ToString()));
    EXPECT_EQ(parsed, revision);
  }
  Pledge(2);
  // A later watch from the stored revision gets only what the first did not.
  Watcher second(*admin_, group_, WatchOptions{revision});
  ASSERT_TRUE(Eventually([&] { return second.count() == 2; }));
  const std::vector<std::string> history = History();
  EXPECT_EQ(second.ids(), std::vector<std::string>(history.end() - 2, history.end()));
}

TEST_F(WatchTest, RefusesAMalformedRevisionAndAnUnknownGroup) {
  EXPECT_THAT(WatchRevision::Parse("abc:1").status(),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(WatchRevision::Parse(std::string(64, 'a') + ":0").status(),
              StatusIs(absl::StatusCode::kInvalidArgument));
  ASSERT_OK_AND_ASSIGN(WatchStream unknown, admin_->Watch(std::string(64, 'b')));
  GroupEventEntry entry;
  EXPECT_THAT(unknown.Next(&entry).status(), StatusIs(absl::StatusCode::kNotFound));
}

// Two member nodes, each reached by the other only through its proxy. While they are cut off
// from each other both write; when the link heals, B's events reach A late and are inserted
// before some of A's events that A's watcher already has (canonical order is by depth). The
// watcher still gets each exactly once, and a watch resumed from a revision taken before the
// heal gets exactly what that revision did not cover.
TEST(WatchLateEventsTest, EventsInsertedEarlierInCanonicalOrderAreDeliveredExactlyOnce) {
  TempDir dir;
  std::unique_ptr<TestNode> a = TestNode::Create(dir.Sub("a"), "Riverside Food Bank");
  std::unique_ptr<TestNode> b = TestNode::Create(dir.Sub("b"), "Northside Shelter");
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  TcpProxy a_proxy(PortOf(a->endpoint()));
  TcpProxy b_proxy(PortOf(b->endpoint()));
  std::unique_ptr<Client> a_client = a->NewClient();
  std::unique_ptr<Client> b_client = b->NewClient();

  CharterInput charter = CampaignCharter("Northside Food Partnership");
  charter.founder.endpoints = {a_proxy.endpoint()};
  ASSERT_OK_AND_ASSIGN(GroupWrite g, a_client->CreateGroup(charter));
  const std::string group = g.group.group_id;
  ASSERT_OK_AND_ASSIGN(OrgCard b_card, b_client->GetOrgCard());
  b_card.endpoints = {b_proxy.endpoint()};
  ProposalSpec admit;
  admit.decision_type = "admit";
  admit.title = "Admit Northside";
  admit.admit = AdmitPayload{b_card, "partner", "strategic", 0};
  ASSERT_OK_AND_ASSIGN(ProposalWrite p, a_client->Propose(group, admit));
  ASSERT_OK(a_client->CastStance(group, p.proposal.proposal_id, "agree").status());
  ASSERT_TRUE(Eventually([&] {
    absl::StatusOr<Proposal> view = a_client->GetProposal(group, p.proposal.proposal_id);
    return view.ok() && view->final;
  }));
  ASSERT_OK(b_client
                ->JoinGroup(group, a_proxy.endpoint(),
                            MemberProfile{"", "", "", 0, {b_proxy.endpoint()}})
                .status());
  CampaignInput campaign;
  campaign.name = "Winter appeal";
  campaign.goal = Money{5'000'000, "EUR"};
  campaign.deadline_ms = kJan2027Ms;
  ASSERT_OK_AND_ASSIGN(CampaignWrite c, a_client->OpenCampaign(group, campaign));
  const std::string campaign_id = c.campaign.campaign_id;
  ASSERT_TRUE(Eventually([&] { return b_client->GetCampaign(group, campaign_id).ok(); }));

  auto pledge = [&](Client& client) {
    PledgeTerms terms;
    terms.amount = Money{500, "EUR"};
    return client.RecordPledge(group, campaign_id, terms).status();
  };
  auto history = [&](Client& client) {
    std::vector<std::string> ids;
    absl::StatusOr<GroupEventStream> stream = client.GroupEvents(group);
    EXPECT_TRUE(stream.ok()) << stream.status();
    GroupEventEntry entry;
    while (stream.ok()) {
      absl::StatusOr<bool> more = stream->Next(&entry);
      if (!more.ok() || !*more) break;
      ids.push_back(entry.event_id);
    }
    return ids;
  };

  Watcher watcher(*a_client, group);
  ASSERT_TRUE(Eventually([&] { return watcher.count() == history(*a_client).size(); }));

  a_proxy.SetCut(true);
  b_proxy.SetCut(true);
  for (int i = 0; i < 3; ++i) {
    ASSERT_OK(pledge(*a_client));
    ASSERT_OK(pledge(*b_client));
  }
  ASSERT_TRUE(Eventually([&] { return watcher.count() == history(*a_client).size(); }));
  const std::pair<std::vector<std::string>, WatchRevision> snapshot = watcher.Snapshot();
  const std::vector<std::string>& before_heal = snapshot.first;
  const WatchRevision& revision = snapshot.second;

  a_proxy.SetCut(false);
  b_proxy.SetCut(false);
  // Converged: A holds what B holds (B's three pledges arrived late at A).
  ASSERT_TRUE(Eventually([&] {
    std::vector<std::string> on_a = history(*a_client);
    std::vector<std::string> on_b = history(*b_client);
    return on_a.size() == on_b.size() && on_a.size() >= before_heal.size() + 3;
  }));
  std::vector<std::string> all = history(*a_client);
  ASSERT_TRUE(Eventually([&] {
    all = history(*a_client);
    return watcher.count() == all.size();
  }));
  std::vector<std::string> seen = watcher.ids();
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), seen.size())
      << "an event was delivered twice";
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()),
            std::set<std::string>(all.begin(), all.end()));
  // The late events sort before events the watcher already had: a position could not resume.
  EXPECT_NE(seen, all) << "no event arrived late; the test did not exercise late inserts";

  // A new watch from the revision taken before the heal: exactly what it did not cover.
  Watcher resumed(*a_client, group, WatchOptions{revision});
  std::set<std::string> expected;
  ASSERT_TRUE(Eventually([&] {
    all = history(*a_client);  // a node may still append (automatic acknowledgements)
    expected = std::set<std::string>(all.begin(), all.end());
    for (const std::string& id : before_heal) expected.erase(id);
    return resumed.count() == expected.size();
  }));
  std::vector<std::string> got = resumed.ids();
  EXPECT_EQ(got.size(), expected.size());
  EXPECT_EQ(std::set<std::string>(got.begin(), got.end()), expected);
}

}  // namespace
}  // namespace constellation
