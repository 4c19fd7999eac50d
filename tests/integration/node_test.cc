// Integration tests: a real node in-process (RocksDB in a temp dir, gRPC on 127.0.0.1:0),
// driven through the public SDK exactly as a member organisation's system would.
#include <set>
#include <thread>
#include <vector>

#include <constellation/client.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "server/core/codec.h"
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
// A payment is recorded once received: its date is never in the future (PROTOCOL §5.10.6).
constexpr uint64_t kNov2026Ms = 1793491200000;  // 2026-11-01T00:00:00Z

PledgeTerms Terms(int64_t amount_minor, const std::string& currency = "EUR") {
  PledgeTerms t;
  t.amount = Money{amount_minor, currency};
  return t;
}

CharterInput Named(const std::string& name) { return CampaignCharter(name); }

class NodeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    node_ = TestNode::Create(dir_.Sub("node"), "Riverside Food Bank");
    ASSERT_NE(node_, nullptr);
    admin_ = node_->NewClient();
    CharterInput charter = CampaignCharter("Northside Food Partnership");
    charter.common_agenda = "No household in the north side goes hungry";
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

  std::string StateHash() {
    absl::StatusOr<Group> g = admin_->GetGroup(group_);
    EXPECT_TRUE(g.ok()) << g.status();
    return g.ok() ? g->state_hash : "";
  }

  TempDir dir_;
  std::unique_ptr<TestNode> node_;
  std::unique_ptr<Client> admin_;
  std::string group_;
  std::string campaign_;
};

TEST_F(NodeTest, GroupCampaignPledgeScenarioEndToEnd) {
  ASSERT_OK_AND_ASSIGN(NodeInfo info, admin_->GetNodeInfo());
  EXPECT_EQ(info.org_name, "Riverside Food Bank");
  EXPECT_EQ(info.org_key, node_->org_key().Hex());
  EXPECT_EQ(info.caller_role, "admin");

  ASSERT_OK_AND_ASSIGN(Group group, admin_->GetGroup(group_));
  EXPECT_EQ(group.charter.name, "Northside Food Partnership");
  EXPECT_EQ(group.charter.kind, "partnership");
  ASSERT_EQ(group.members.size(), 1u);
  EXPECT_EQ(group.members[0].key, info.org_key);
  EXPECT_EQ(group.members[0].profile.role, "lead");
  EXPECT_EQ(group.members[0].profile.name, "Riverside Food Bank");
  EXPECT_EQ(group.members[0].status, "active");

  PledgeTerms terms = Terms(120'000);
  terms.installments = {{kJan2027Ms, 60'000}, {kJan2027Ms + 86'400'000, 60'000}};
  terms.donor_name = "Harbour Trust";
  ASSERT_OK_AND_ASSIGN(PledgeWrite pledged, admin_->RecordPledge(group_, campaign_, terms));
  const std::string pledge = pledged.pledge.pledge_id;
  EXPECT_EQ(pledged.event.event_id, pledge);
  EXPECT_EQ(pledged.pledge.status, "pending");
  EXPECT_EQ(pledged.pledge.version, 1u);

  PledgeTerms amended = Terms(150'000);
  ASSERT_OK_AND_ASSIGN(PledgeWrite a,
                       admin_->AmendPledge(group_, pledge, amended, "board approved more"));
  EXPECT_EQ(a.pledge.version, 2u);
  EXPECT_EQ(a.pledge.terms.amount.amount_minor, 150'000);

  ASSERT_OK_AND_ASSIGN(PledgeWrite paid, admin_->RecordPayment(group_, pledge, Money{50'000, "EUR"},
                                                               kNov2026Ms, "bank-ref-17"));
  EXPECT_EQ(paid.pledge.received_minor, 50'000);
  EXPECT_EQ(paid.pledge.outstanding_minor, 100'000);
  EXPECT_EQ(paid.pledge.status, "in_progress");

  // Status is derived as of a time: after the campaign deadline the unpaid rest is overdue.
  ASSERT_OK_AND_ASSIGN(Pledge later, admin_->GetPledge(group_, pledge, kJan2027Ms + 1));
  EXPECT_EQ(later.status, "overdue");

  ASSERT_OK_AND_ASSIGN(Campaign c, admin_->GetCampaign(group_, campaign_));
  EXPECT_EQ(c.pledge_count, 1u);
  EXPECT_EQ(c.pledged_minor, 150'000);
  EXPECT_EQ(c.received_minor, 50'000);
  EXPECT_EQ(c.outstanding_minor, 100'000);

  // History: every version with who signed it, in canonical order.
  ASSERT_OK_AND_ASSIGN(PledgeHistoryStream history, admin_->PledgeHistory(group_, pledge));
  std::vector<std::string> kinds;
  PledgeVersionEntry entry;
  while (true) {
    ASSERT_OK_AND_ASSIGN(bool more, history.Next(&entry));
    if (!more) break;
    EXPECT_EQ(entry.pledge_id, pledge);
    EXPECT_EQ(entry.version.author, info.org_key);
    kinds.push_back(entry.version.kind);
  }
  EXPECT_THAT(kinds, ::testing::ElementsAre("pledge", "amendment", "payment"));

  ASSERT_OK_AND_ASSIGN(PledgeWrite cancelled,
                       admin_->CancelPledge(group_, pledge, "donor withdrew"));
  EXPECT_EQ(cancelled.pledge.status, "cancelled");
  ASSERT_OK_AND_ASSIGN(Campaign after, admin_->GetCampaign(group_, campaign_));
  EXPECT_EQ(after.pledge_count, 0u);
  EXPECT_EQ(after.pledged_minor, 0);
}

TEST_F(NodeTest, StreamedEventsAreExactlySignedAndVerifyOffline) {
  ASSERT_OK(admin_->RecordPledge(group_, campaign_, Terms(1000)).status());
  ASSERT_OK_AND_ASSIGN(GroupEventStream events, admin_->GroupEvents(group_));
  GroupEventEntry e;
  uint64_t count = 0;
  while (true) {
    ASSERT_OK_AND_ASSIGN(bool more, events.Next(&e));
    if (!more) break;
    ++count;
    EXPECT_EQ(e.position, count);
    v1::SignedEvent signed_event;
    signed_event.set_event(e.event_bytes);
    signed_event.set_signature(e.signature);
    ASSERT_OK_AND_ASSIGN(core::VerifiedEvent v, core::VerifySignedEvent(signed_event));
    EXPECT_EQ(v.id.Hex(), e.event_id);
  }
  EXPECT_EQ(count, 3u);  // charter, campaign, pledge
  ASSERT_OK_AND_ASSIGN(Group g, admin_->GetGroup(group_));
  EXPECT_EQ(g.event_count, 3u);
}

TEST_F(NodeTest, LongStreamsArriveWholeAcrossPages) {
  // More items than one page (limits::kStreamPageSizeMax = 256) of the apply loop.
  constexpr int kPledges = 300;
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&] {
      auto client = node_->NewClient();
      for (int i = 0; i < kPledges / 4; ++i) {
        EXPECT_OK(client->RecordPledge(group_, campaign_, Terms(10)).status());
      }
    });
  }
  for (auto& w : writers) w.join();

  ASSERT_OK_AND_ASSIGN(GroupEventStream events, admin_->GroupEvents(group_));
  GroupEventEntry e;
  uint64_t expected_position = 0;
  while (true) {
    ASSERT_OK_AND_ASSIGN(bool more, events.Next(&e));
    if (!more) break;
    EXPECT_EQ(e.position, ++expected_position);
  }
  EXPECT_EQ(expected_position, kPledges + 2u);  // + charter and campaign

  ASSERT_OK_AND_ASSIGN(GroupEventStream tail, admin_->GroupEvents(group_, 290));
  ASSERT_OK_AND_ASSIGN(bool first, tail.Next(&e));
  ASSERT_TRUE(first);
  EXPECT_EQ(e.position, 291u);

  ASSERT_OK_AND_ASSIGN(PledgeHistoryStream history,
                       admin_->PledgeHistory(group_, /*pledge_id=*/"", campaign_));
  PledgeVersionEntry entry;
  std::set<std::string> pledges;
  int entries = 0;
  while (true) {
    ASSERT_OK_AND_ASSIGN(bool more, history.Next(&entry));
    if (!more) break;
    ++entries;
    pledges.insert(entry.pledge_id);
  }
  EXPECT_EQ(entries, kPledges);
  EXPECT_EQ(pledges.size(), static_cast<size_t>(kPledges));
}

TEST_F(NodeTest, RetriedWriteReturnsTheOriginalEventAndCreatesNothing) {
  WriteOptions w{.request_id = "retry-me-1"};
  ASSERT_OK_AND_ASSIGN(PledgeWrite first, admin_->RecordPledge(group_, campaign_, Terms(500), w));
  ASSERT_OK_AND_ASSIGN(PledgeWrite second, admin_->RecordPledge(group_, campaign_, Terms(500), w));
  EXPECT_EQ(first.event.event_id, second.event.event_id);
  ASSERT_OK_AND_ASSIGN(Group g, admin_->GetGroup(group_));
  EXPECT_EQ(g.event_count, 3u);
  // The same key for a different write is a client bug: say so, and record nothing.
  EXPECT_THAT(admin_->CancelPledge(group_, first.pledge.pledge_id, "x", w),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("request_id")));
  EXPECT_THAT(admin_->RecordPledge(group_, campaign_, Terms(501), w),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("different write")));
  // Regression: a payment retried with the key of a payment to another pledge returned the
  // first pledge's view and silently recorded nothing.
  ASSERT_OK_AND_ASSIGN(PledgeWrite other, admin_->RecordPledge(group_, campaign_, Terms(900)));
  WriteOptions pay{.request_id = "pay-1"};
  ASSERT_OK(admin_->RecordPayment(group_, first.pledge.pledge_id, Money{100, "EUR"}, 0, "", pay)
                .status());
  EXPECT_OK(admin_->RecordPayment(group_, first.pledge.pledge_id, Money{100, "EUR"}, 0, "", pay)
                .status());  // a true retry, even without received_ms
  EXPECT_THAT(admin_->RecordPayment(group_, other.pledge.pledge_id, Money{250, "EUR"}, 0, "", pay),
              StatusIs(absl::StatusCode::kAlreadyExists));
  ASSERT_OK_AND_ASSIGN(Pledge untouched, admin_->GetPledge(group_, other.pledge.pledge_id));
  EXPECT_EQ(untouched.received_minor, 0);
}

TEST_F(NodeTest, BadInputGetsTheRightCodeAndChangesNothing) {
  ASSERT_OK_AND_ASSIGN(PledgeWrite p, admin_->RecordPledge(group_, campaign_, Terms(1000)));
  const std::string pledge = p.pledge.pledge_id;
  const std::string before = StateHash();
  const std::string unknown(64, 'a');

  EXPECT_THAT(admin_->GetGroup(unknown), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(admin_->RecordPledge(unknown, campaign_, Terms(1000)),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("group")));
  EXPECT_THAT(admin_->RecordPledge(group_, unknown, Terms(1000)),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("campaign")));
  EXPECT_THAT(admin_->GetPledge(group_, unknown), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(admin_->RecordPledge(group_, campaign_, Terms(-5)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("positive")));
  EXPECT_THAT(admin_->RecordPledge(group_, campaign_, Terms(0)),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(admin_->RecordPledge(group_, campaign_, Terms(INT64_MAX)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("kMoneyAmountMinorMax")));
  EXPECT_THAT(admin_->RecordPledge(group_, campaign_, Terms(100, "EUX")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("ISO-4217")));
  EXPECT_THAT(admin_->RecordPledge(group_, campaign_, Terms(100, "USD")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("EUR")));
  PledgeTerms uneven = Terms(1000);
  uneven.installments = {{kJan2027Ms, 400}};
  EXPECT_THAT(admin_->RecordPledge(group_, campaign_, uneven),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("sum")));
  EXPECT_THAT(admin_->RecordPayment(group_, pledge, Money{5000, "EUR"}, 0, ""),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("outstanding")));
  CharterInput nameless;
  EXPECT_THAT(admin_->CreateGroup(nameless),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("name")));
  EXPECT_EQ(StateHash(), before);

  ASSERT_OK(admin_->CancelPledge(group_, pledge, "duplicate entry").status());
  const std::string cancelled = StateHash();
  EXPECT_THAT(admin_->AmendPledge(group_, pledge, Terms(2000), "more"),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("cancelled")));
  EXPECT_THAT(admin_->CancelPledge(group_, pledge, "again"),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(StateHash(), cancelled);
}

TEST_F(NodeTest, OversizedInputIsRefusedWithTheLimitNamed) {
  const std::string before = StateHash();
  PledgeTerms long_note = Terms(100);
  long_note.note = std::string(20 * 1024, 'n');
  EXPECT_THAT(admin_->RecordPledge(group_, campaign_, long_note),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("kTextSizeBytesMax")));
  PledgeTerms many = Terms(241);
  for (int i = 0; i < 241; ++i) many.installments.push_back({kJan2027Ms + i, 1});
  EXPECT_THAT(admin_->RecordPledge(group_, campaign_, many),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("kInstallmentCountMax")));
  // Beyond the node's message size limit gRPC refuses the call before any handler runs.
  PledgeTerms huge = Terms(100);
  huge.note = std::string(5 * 1024 * 1024, 'h');
  EXPECT_THAT(admin_->RecordPledge(group_, campaign_, huge),
              StatusIs(absl::StatusCode::kResourceExhausted));
  WriteOptions long_id{.request_id = std::string(200, 'r')};
  EXPECT_THAT(admin_->RecordPledge(group_, campaign_, Terms(100), long_id),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("request_id")));
  EXPECT_EQ(StateHash(), before);
}

TEST_F(NodeTest, TokensAndRolesAreEnforced) {
  const std::string before = StateHash();
  auto anonymous = node_->NewClient("cst_not-a-real-token");
  EXPECT_THAT(anonymous->GetNodeInfo(), StatusIs(absl::StatusCode::kUnauthenticated));

  ASSERT_OK_AND_ASSIGN(CreatedToken auditor_token,
                       admin_->CreateToken("auditor", "ext auditor", {}));
  auto auditor = node_->NewClient(auditor_token.token);
  ASSERT_OK_AND_ASSIGN(NodeInfo info, auditor->GetNodeInfo());
  EXPECT_EQ(info.caller_role, "auditor");
  EXPECT_OK(auditor->GetGroup(group_).status());
  EXPECT_THAT(auditor->RecordPledge(group_, campaign_, Terms(100)),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("read-only")));
  EXPECT_THAT(auditor->CreateToken("admin", "", {}),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("admin")));

  ASSERT_OK_AND_ASSIGN(CreatedToken member_token,
                       admin_->CreateToken("member", "finance system", {}));
  auto member = node_->NewClient(member_token.token);
  EXPECT_OK(member->RecordPledge(group_, campaign_, Terms(100)).status());
  EXPECT_THAT(member->CreateGroup(Named("Other")), StatusIs(absl::StatusCode::kPermissionDenied));

  // A scoped auditor sees only its groups; others do not exist for it.
  ASSERT_OK_AND_ASSIGN(GroupWrite other, admin_->CreateGroup(Named("Second")));
  ASSERT_OK_AND_ASSIGN(CreatedToken scoped_token,
                       admin_->CreateToken("auditor", "scoped", {other.group.group_id}));
  auto scoped = node_->NewClient(scoped_token.token);
  EXPECT_THAT(scoped->GetGroup(group_), StatusIs(absl::StatusCode::kNotFound));
  ASSERT_OK_AND_ASSIGN(std::vector<Group> visible, scoped->ListGroups());
  ASSERT_EQ(visible.size(), 1u);
  EXPECT_EQ(visible[0].group_id, other.group.group_id);

  EXPECT_THAT(admin_->CreateToken("wizard", "", {}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("role")));
  ASSERT_OK(admin_->RevokeToken(auditor_token.token_id));
  EXPECT_THAT(auditor->GetNodeInfo(), StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_THAT(admin_->RevokeToken("0000"), StatusIs(absl::StatusCode::kNotFound));
  ASSERT_OK_AND_ASSIGN(std::vector<TokenInfo> tokens, admin_->ListTokens());
  EXPECT_EQ(tokens.size(), 4u);  // init's admin + auditor, member, scoped auditor
}

TEST_F(NodeTest, ConcurrentWritersAllLandOnce) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 25;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto client = node_->NewClient();
      for (int i = 0; i < kPerThread; ++i) {
        if (!client->RecordPledge(group_, campaign_, Terms(100 + t)).ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  ASSERT_OK_AND_ASSIGN(Campaign c, admin_->GetCampaign(group_, campaign_));
  EXPECT_EQ(c.pledge_count, static_cast<uint32_t>(kThreads * kPerThread));
}

TEST_F(NodeTest, AcknowledgedWritesSurviveARestart) {
  ASSERT_OK_AND_ASSIGN(PledgeWrite p, admin_->RecordPledge(group_, campaign_, Terms(777)));
  ASSERT_OK(admin_->RecordPayment(group_, p.pledge.pledge_id, Money{77, "EUR"}, 0, "r1").status());
  ASSERT_OK_AND_ASSIGN(CreatedToken member_token, admin_->CreateToken("member", "kept", {}));
  const std::string before = StateHash();

  admin_.reset();
  node_->Stop();
  ASSERT_OK(node_->Start());
  admin_ = node_->NewClient();

  EXPECT_EQ(StateHash(), before);
  ASSERT_OK_AND_ASSIGN(Pledge again, admin_->GetPledge(group_, p.pledge.pledge_id));
  EXPECT_EQ(again.received_minor, 77);
  auto member = node_->NewClient(member_token.token);
  EXPECT_OK(member->GetNodeInfo().status());
  // Chains continue where they were: the next write is accepted and counted.
  ASSERT_OK(admin_->RecordPledge(group_, campaign_, Terms(5)).status());
  ASSERT_OK_AND_ASSIGN(Group g, admin_->GetGroup(group_));
  EXPECT_EQ(g.event_count, 5u);  // charter, campaign, pledge, payment, pledge
}

TEST_F(NodeTest, RetryAfterRestartStillReturnsTheOriginal) {
  WriteOptions w{.request_id = "across-restart"};
  ASSERT_OK_AND_ASSIGN(PledgeWrite first, admin_->RecordPledge(group_, campaign_, Terms(42), w));
  admin_.reset();
  node_->Stop();
  ASSERT_OK(node_->Start());
  admin_ = node_->NewClient();
  ASSERT_OK_AND_ASSIGN(PledgeWrite again, admin_->RecordPledge(group_, campaign_, Terms(42), w));
  EXPECT_EQ(again.event.event_id, first.event.event_id);
}

TEST(NodeStartTest, SecondNodeOnTheSameDataDirFailsClearly) {
  TempDir dir;
  auto node = TestNode::Create(dir.Sub("n"), "Org");
  ASSERT_NE(node, nullptr);
  app::NodeOptions options;
  options.data_dir = dir.Sub("n");
  options.listen_address = "127.0.0.1:0";
  EXPECT_THAT(app::Node::Open(options),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("stop it first")));
}

// Issue 11: a second constellationd on a port a running node listens on started without error
// (gRPC set SO_REUSEPORT) and the kernel then split connections between the two nodes. A port
// in use is an error at start, and the running node keeps serving.
TEST(NodeStartTest, SecondNodeOnAPortInUseFailsClearly) {
  TempDir dir;
  auto first = TestNode::Create(dir.Sub("first"), "First");
  ASSERT_NE(first, nullptr);
  app::InitOptions init;
  init.data_dir = dir.Sub("second");
  init.org_name = "Second";
  init.listen = "127.0.0.1:0";
  ASSERT_OK(app::InitDataDir(init).status());
  app::NodeOptions options;
  options.data_dir = dir.Sub("second");
  options.listen_address = first->endpoint();
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<app::Node> second, app::Node::Open(options));
  EXPECT_THAT(second->Start(),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("cannot listen on")));
  ASSERT_OK_AND_ASSIGN(NodeInfo info, first->NewClient()->GetNodeInfo());
  EXPECT_EQ(info.org_name, "First");
}

TEST(NodeStartTest, OpeningADirectoryWithoutInitSaysToRunInit) {
  TempDir dir;
  app::NodeOptions options;
  options.data_dir = dir.Sub("empty");
  EXPECT_THAT(app::Node::Open(options),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("constellationd init")));
}

}  // namespace
}  // namespace constellation
