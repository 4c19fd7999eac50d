// Integration tests of the federation protocol between real nodes in-process: a node pulls a
// group from a peer over signed calls (PeerService.SyncGroup → FederationService), and the
// federation service refuses unauthenticated, forged, replayed and non-member calls.
#include <sodium.h>

#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <absl/strings/match.h>
#include <constellation/client.h>
#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/config.h"
#include "constellation/v1/federation.grpc.pb.h"
#include "server/app/node.h"
#include "server/core/federation_auth.h"
#include "server/rpc/peer_client.h"
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

class PeerSyncTest : public ::testing::Test {
 protected:
  void SetUp() override {
    origin_ = TestNode::Create(dir_.Sub("origin"), "Riverside Food Bank");
    ASSERT_NE(origin_, nullptr);
    admin_ = origin_->NewClient();
    CharterInput charter = CampaignCharter("Northside Food Partnership");
    ASSERT_OK_AND_ASSIGN(GroupWrite g, admin_->CreateGroup(charter));
    group_ = g.group.group_id;
    CampaignInput campaign;
    campaign.name = "Winter appeal";
    campaign.goal = Money{1'000'000, "EUR"};
    ASSERT_OK_AND_ASSIGN(CampaignWrite c, admin_->OpenCampaign(group_, campaign));
    campaign_ = c.campaign.campaign_id;
    for (int i = 1; i <= 3; ++i) RecordPledge(100 * i);
  }

  void RecordPledge(int64_t amount_minor) {
    PledgeTerms terms;
    terms.amount = Money{amount_minor, "EUR"};
    ASSERT_OK(admin_->RecordPledge(group_, campaign_, terms).status());
  }

  std::string StateHash(Client& client) {
    absl::StatusOr<Group> g = client.GetGroup(group_);
    EXPECT_TRUE(g.ok()) << g.status();
    return g.ok() ? g->state_hash : "";
  }

  TempDir dir_;
  std::unique_ptr<TestNode> origin_;
  std::unique_ptr<Client> admin_;
  std::string group_;
  std::string campaign_;
};

TEST_F(PeerSyncTest, ASecondNodeOfTheSameOrgPullsTheGroupAndConverges) {
  auto replica = TestNode::Create(dir_.Sub("replica"), "Riverside Food Bank", origin_.get());
  ASSERT_NE(replica, nullptr);
  auto replica_admin = replica->NewClient();
  EXPECT_THAT(replica_admin->GetGroup(group_), StatusIs(absl::StatusCode::kNotFound));

  ASSERT_OK_AND_ASSIGN(SyncResult first, replica_admin->SyncGroup(origin_->endpoint(), group_));
  EXPECT_EQ(first.received, 5u);  // charter, campaign, 3 pledges
  EXPECT_EQ(first.inserted, 5u);
  EXPECT_EQ(first.waiting, 0u);
  EXPECT_EQ(first.state_hash, StateHash(*admin_));
  EXPECT_EQ(StateHash(*replica_admin), StateHash(*admin_));
  ASSERT_OK_AND_ASSIGN(Campaign c, replica_admin->GetCampaign(group_, campaign_));
  EXPECT_EQ(c.pledged_minor, 600);

  // Only what is new travels next time.
  RecordPledge(1000);
  ASSERT_OK_AND_ASSIGN(SyncResult second, replica_admin->SyncGroup(origin_->endpoint(), group_));
  EXPECT_EQ(second.received, 1u);
  EXPECT_EQ(second.inserted, 1u);
  EXPECT_EQ(StateHash(*replica_admin), StateHash(*admin_));

  // What was pulled is stored: it survives a restart of the replica.
  const std::string hash = StateHash(*replica_admin);
  replica_admin.reset();
  replica->Stop();
  ASSERT_OK(replica->Start());
  replica_admin = replica->NewClient();
  EXPECT_EQ(StateHash(*replica_admin), hash);
}

// Issue 11: events a node received but did not keep (a pending flood's evictions, a forked
// branch) were reported as "duplicates". They are counted as dropped.
TEST_F(PeerSyncTest, AForkedBranchIsReportedDroppedNotDuplicate) {
  auto replica = TestNode::Create(dir_.Sub("replica"), "Riverside Food Bank", origin_.get());
  ASSERT_NE(replica, nullptr);
  auto replica_admin = replica->NewClient();
  ASSERT_OK(replica_admin->SyncGroup(origin_->endpoint(), group_).status());
  // Both nodes of the one org write its next seq: a fork.
  RecordPledge(7);
  PledgeTerms terms;
  terms.amount = Money{8, "EUR"};
  ASSERT_OK(replica_admin->RecordPledge(group_, campaign_, terms).status());
  ASSERT_OK_AND_ASSIGN(SyncResult result, replica_admin->SyncGroup(origin_->endpoint(), group_));
  EXPECT_EQ(result.inserted, 0u);
  EXPECT_EQ(result.dropped, 1u) << "the origin's branch at the fork seq is not kept";
  EXPECT_EQ(result.duplicate + result.dropped + result.waiting, result.received);
  EXPECT_EQ(result.duplicate, result.received - 1);
}

// Regression (simulator fork seed 100069, PROTOCOL §8.1 "Stated frontier"): two nodes of one
// org each wrote 20 events after the same seq, so their chains differ 20 seqs below their heads,
// deeper than one probe (16 events). The pull's probe waits in pending; the puller states the
// head below it and pulls again, within the same sync, until the first differing event arrives
// and the fork is found at the seq where the chains part.
TEST_F(PeerSyncTest, ADivergenceDeeperThanAProbeIsFoundInOneSync) {
  auto replica = TestNode::Create(dir_.Sub("replica"), "Riverside Food Bank", origin_.get());
  ASSERT_NE(replica, nullptr);
  auto replica_admin = replica->NewClient();
  ASSERT_OK_AND_ASSIGN(SyncResult first, replica_admin->SyncGroup(origin_->endpoint(), group_));
  const uint64_t common = first.inserted;  // seqs 1..5 of the org's chain, held by both
  for (int i = 0; i < 20; ++i) {
    RecordPledge(1000 + i);
    PledgeTerms terms;
    terms.amount = Money{2000 + i, "EUR"};
    ASSERT_OK(replica_admin->RecordPledge(group_, campaign_, terms).status());
  }
  ASSERT_OK_AND_ASSIGN(SyncResult result, replica_admin->SyncGroup(origin_->endpoint(), group_));
  EXPECT_GE(result.rounds, 2u) << "a probe from the head, then one from below it";
  ASSERT_OK_AND_ASSIGN(std::vector<ForkProofEntry> proofs, replica_admin->ListForkProofs(group_));
  ASSERT_EQ(proofs.size(), 1u) << "the fork was found";
  EXPECT_EQ(proofs[0].seq, common + 1) << "where the two chains part";
}

TEST_F(PeerSyncTest, ManyEventsArriveOverSeveralRounds) {
  for (int i = 0; i < 100; ++i) RecordPledge(1 + i);
  auto replica = TestNode::Create(dir_.Sub("replica"), "Riverside Food Bank", origin_.get());
  ASSERT_NE(replica, nullptr);
  auto replica_admin = replica->NewClient();
  ASSERT_OK_AND_ASSIGN(SyncResult result, replica_admin->SyncGroup(origin_->endpoint(), group_));
  EXPECT_EQ(result.inserted, 105u);
  EXPECT_GT(result.rounds, 1u);  // kFederationPullEventsMax per round
  EXPECT_EQ(StateHash(*replica_admin), StateHash(*admin_));
}

// Issue 12: `constellation peer sync` on a terminal draws how many events are new here while
// the sync runs (one unary call), erases the line, then prints the result; in a pipe it draws
// nothing. Run in-process (cli::RunCli) so that stderr can be "a terminal".
TEST_F(PeerSyncTest, CliPeerSyncDrawsProgressOnATerminalOnly) {
  for (int i = 0; i < 100; ++i) RecordPledge(1 + i);
  auto replica = TestNode::Create(dir_.Sub("replica"), "Riverside Food Bank", origin_.get());
  ASSERT_NE(replica, nullptr);
  const std::map<std::string, std::string> values = {
      {"CONSTELLATION_CONFIG", dir_.Sub("cli.toml")},
      {"CONSTELLATION_ENDPOINT", replica->endpoint()},
      {"CONSTELLATION_TOKEN", replica->admin_token()}};
  const cli::EnvLookup env = [values](const std::string& name) -> std::optional<std::string> {
    auto it = values.find(name);
    return it == values.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  const std::vector<std::string> args = {
      "peer", "sync", "--group", group_, "--from", origin_->endpoint(), "-o", "json"};
  std::ostringstream out;
  std::ostringstream err;
  ASSERT_EQ(cli::RunCli(args, env, out, err, /*out_is_terminal=*/false, /*err_is_terminal=*/true),
            0)
      << err.str();
  EXPECT_THAT(err.str(), HasSubstr("\r0 events new here\033[K"));
  EXPECT_TRUE(absl::EndsWith(err.str(), "\r\033[K")) << "the line is erased: " << err.str();
  const nlohmann::json result = nlohmann::json::parse(out.str());
  EXPECT_EQ(result["inserted"], 105);
  EXPECT_EQ(StateHash(*replica->NewClient()), StateHash(*admin_));

  // In a pipe: the result only.
  RecordPledge(7);
  std::ostringstream piped_out;
  std::ostringstream piped_err;
  ASSERT_EQ(cli::RunCli(args, env, piped_out, piped_err), 0) << piped_err.str();
  EXPECT_EQ(piped_err.str(), "");
  EXPECT_EQ(nlohmann::json::parse(piped_out.str())["inserted"], 1);
}

TEST_F(PeerSyncTest, AnotherOrgThatIsNotAMemberIsRefused) {
  auto outsider = TestNode::Create(dir_.Sub("outsider"), "Unrelated Org");
  ASSERT_NE(outsider, nullptr);
  auto outsider_admin = outsider->NewClient();
  EXPECT_THAT(outsider_admin->SyncGroup(origin_->endpoint(), group_),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("not a member")));
  EXPECT_THAT(outsider_admin->GetGroup(group_), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(PeerSyncTest, UnreachablePeerAndBadInputAreClear) {
  auto replica = TestNode::Create(dir_.Sub("replica"), "Riverside Food Bank", origin_.get());
  ASSERT_NE(replica, nullptr);
  ClientOptions options;
  options.endpoint = replica->endpoint();
  options.token = replica->admin_token();
  options.max_attempts = 1;
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Client> client, Client::Connect(options));
  EXPECT_THAT(client->SyncGroup("127.0.0.1:1", group_),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("127.0.0.1:1")));
  EXPECT_THAT(client->SyncGroup("", group_), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(client->SyncGroup(origin_->endpoint(), "zz"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  ASSERT_OK_AND_ASSIGN(CreatedToken member, client->CreateToken("member", "m", {}));
  auto member_client = replica->NewClient(member.token);
  EXPECT_THAT(member_client->SyncGroup(origin_->endpoint(), group_),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("admin")));
}

// Raw federation calls, signed (or not) by hand, against the origin node.
class FederationAuthTest : public PeerSyncTest {
 protected:
  grpc::Status GetFrontier(const std::optional<core::CallCredentials>& credentials,
                           const v1::GetFrontierRequest& request, v1::Frontier* frontier) {
    auto stub = v1::FederationService::NewStub(
        grpc::CreateChannel(origin_->endpoint(), grpc::InsecureChannelCredentials()));
    grpc::ClientContext ctx;
    if (credentials) {
      ctx.AddMetadata(core::kFederationOrgHeader, credentials->caller.Hex());
      ctx.AddMetadata(core::kFederationTimestampHeader,
                      absl::StrFormat("%d", credentials->timestamp_ms));
      ctx.AddMetadata(core::kFederationNonceHeader, credentials->nonce_hex);
      ctx.AddMetadata(core::kFederationSignatureHeader, credentials->signature_hex);
    }
    return stub->GetFrontier(&ctx, request, frontier);
  }

  v1::GetFrontierRequest Request() {
    v1::GetFrontierRequest r;
    std::string bytes(32, '\0');
    sodium_hex2bin(reinterpret_cast<unsigned char*>(bytes.data()), 32, group_.data(),
                   group_.size(), nullptr, nullptr, nullptr);
    r.set_group_id(bytes);
    return r;
  }

  core::CallCredentials Sign(const core::SigningKey& key, const v1::GetFrontierRequest& r,
                             char nonce) {
    return core::SignCall(key, "/constellation.v1.FederationService/GetFrontier",
                          app::SystemNowMs(), std::string(16, nonce), rpc::CanonicalBytes(r));
  }
};

TEST_F(FederationAuthTest, UnsignedForgedReplayedAndNonMemberCallsAreRefused) {
  const v1::GetFrontierRequest request = Request();
  v1::Frontier frontier;
  EXPECT_EQ(GetFrontier(std::nullopt, request, &frontier).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);

  // An outsider's well-signed call: authenticated, but not a member.
  const core::SigningKey outsider = *core::SigningKey::FromSeed(std::string(32, 'o'));
  grpc::Status s = GetFrontier(Sign(outsider, request, 'a'), request, &frontier);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << s.error_message();

  // Claiming to be the member org without its key: the signature does not verify.
  core::CallCredentials forged = Sign(outsider, request, 'b');
  forged.caller = origin_->org_key();
  s = GetFrontier(forged, request, &frontier);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED) << s.error_message();
  EXPECT_THAT(s.error_message(), HasSubstr("signature"));

  // A signature over another request does not carry over.
  v1::GetFrontierRequest other = request;
  other.set_group_id(std::string(32, 'x'));
  s = GetFrontier(Sign(outsider, other, 'c'), request, &frontier);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);

  // The same signed call twice: the second is a replay.
  const core::CallCredentials once = Sign(outsider, request, 'd');
  EXPECT_EQ(GetFrontier(once, request, &frontier).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  s = GetFrontier(once, request, &frontier);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(s.error_message(), HasSubstr("replayed"));
}

}  // namespace
}  // namespace constellation
