// tests/unit/sdk_governance_test.cc: the SDK's decision, membership, peer and org-card calls
// against a scripted in-process fake of those services on 127.0.0.1:0: what the SDK sends
// (hex -> bytes, enum names -> numbers, payloads, the same request id on every retry), what it
// makes of the answers, and the input errors it reports before any RPC.
#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include <absl/strings/str_format.h>
#include <absl/synchronization/mutex.h>
#include <absl/time/clock.h>
#include <constellation/client.h>
#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "constellation/v1/client.grpc.pb.h"
#include "tests/testing/status_matchers.h"

namespace constellation {
namespace {

using ::constellation::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;

const std::string kGroup(64, 'a');
const std::string kProposal(64, 'b');
const std::string kInvitee(64, 'c');

std::string Bytes32(char fill) { return std::string(32, fill); }
std::string Hex32(const std::string& pair) {
  std::string out;
  for (int i = 0; i < 32; ++i) out += pair;
  return out;
}

// A proposal view as a node would answer: an admission with two voters, one stance so far.
v1::ProposalView AdmissionView() {
  v1::ProposalView view;
  view.set_proposal_id(Bytes32('\x0b'));
  view.set_group_id(Bytes32('\xaa'));
  view.set_proposer(Bytes32('\x01'));
  view.mutable_proposal()->set_decision_type(v1::DECISION_TYPE_ADMIT);
  view.mutable_proposal()->set_title("Admit River Trust");
  view.mutable_proposal()->mutable_admit()->mutable_card()->set_key(Bytes32('\xcc'));
  view.mutable_proposal()->mutable_admit()->mutable_card()->set_name("River Trust");
  view.mutable_proposal()->mutable_admit()->set_role(v1::ROLE_PARTNER);
  view.mutable_rule()->set_process(v1::DECISION_PROCESS_CONSENT);
  view.set_deadline_ms(1'800'000'000'000);
  view.set_outcome("passed");
  view.set_closed(true);
  view.set_final(false);
  view.set_close_reason("all_voted");
  v1::VoterView* founder = view.add_electorate();
  founder->set_key(Bytes32('\x01'));
  founder->set_name("Founder Org");
  founder->set_weight(1);
  founder->set_decides(true);
  founder->set_stance(v1::STANCE_CHOICE_AGREE);
  v1::VoterView* partner = view.add_electorate();
  partner->set_key(Bytes32('\x02'));
  partner->set_name("Partner Org");
  partner->set_weight(2);
  partner->set_decides(true);
  view.add_missing_stances(Bytes32('\x02'));
  view.mutable_tally()->set_eligible_count(2);
  view.mutable_tally()->set_stance_count(1);
  view.mutable_tally()->set_agree_weight(1);
  return view;
}

class FakeGovernance final : public v1::GovernanceService::Service {
 public:
  grpc::Status Propose(grpc::ServerContext*, const v1::ProposeRequest* request,
                       v1::ProposalWriteResponse* response) override {
    absl::MutexLock lock(&mu_);
    requests_.push_back(*request);
    if (static_cast<int>(requests_.size()) <= unavailable_first_) {
      return grpc::Status(grpc::StatusCode::UNAVAILABLE, "shutting down");
    }
    response->mutable_event()->set_event_id(Bytes32('\x0b'));
    *response->mutable_proposal() = AdmissionView();
    return grpc::Status::OK;
  }
  grpc::Status CastStance(grpc::ServerContext*, const v1::CastStanceRequest* request,
                          v1::ProposalWriteResponse* response) override {
    absl::MutexLock lock(&mu_);
    stance_ = *request;
    *response->mutable_proposal() = AdmissionView();
    return grpc::Status::OK;
  }
  grpc::Status CloseProposal(grpc::ServerContext*, const v1::CloseProposalRequest*,
                             v1::ProposalWriteResponse*) override {
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "only the proposer may close it");
  }
  grpc::Status ListProposals(grpc::ServerContext*, const v1::ListProposalsRequest* request,
                             v1::ListProposalsResponse* response) override {
    absl::MutexLock lock(&mu_);
    list_ = *request;
    *response->add_proposals() = AdmissionView();
    return grpc::Status::OK;
  }
  grpc::Status WaitingOn(grpc::ServerContext*, const v1::WaitingOnRequest* request,
                         v1::WaitingOnResponse* response) override {
    absl::MutexLock lock(&mu_);
    waiting_group_ = request->group_id();
    *response->add_waiting_on_others() = AdmissionView();
    return grpc::Status::OK;
  }

  void set_unavailable_first(int n) {
    absl::MutexLock lock(&mu_);
    unavailable_first_ = n;
  }
  std::vector<v1::ProposeRequest> requests() {
    absl::MutexLock lock(&mu_);
    return requests_;
  }
  v1::CastStanceRequest stance() {
    absl::MutexLock lock(&mu_);
    return stance_;
  }
  v1::ListProposalsRequest list() {
    absl::MutexLock lock(&mu_);
    return list_;
  }
  std::string waiting_group() {
    absl::MutexLock lock(&mu_);
    return waiting_group_;
  }

 private:
  absl::Mutex mu_;
  int unavailable_first_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<v1::ProposeRequest> requests_ ABSL_GUARDED_BY(mu_);
  v1::CastStanceRequest stance_ ABSL_GUARDED_BY(mu_);
  v1::ListProposalsRequest list_ ABSL_GUARDED_BY(mu_);
  std::string waiting_group_ ABSL_GUARDED_BY(mu_) = "unset";
};

v1::PeerView Peer(char org, const std::string& status) {
  v1::PeerView peer;
  peer.set_org(Bytes32(org));
  peer.set_name("Partner Org");
  peer.set_endpoint("10.0.0.8:7400");
  peer.add_group_ids(Bytes32('\xaa'));
  peer.set_status(status);
  peer.set_consecutive_failures(status == "failing" ? 3 : 0);
  peer.set_last_error(status == "failing" ? "connection refused" : "");
  peer.set_events_sent(5);
  return peer;
}

class FakeMembershipAndPeers final : public v1::MembershipService::Service,
                                     public v1::PeerService::Service,
                                     public v1::NodeService::Service {
 public:
  grpc::Status JoinGroup(grpc::ServerContext*, const v1::JoinGroupRequest* request,
                         v1::JoinGroupResponse* response) override {
    absl::MutexLock lock(&mu_);
    join_ = *request;
    response->mutable_event()->set_event_id(Bytes32('\x0e'));
    response->mutable_group()->set_group_id(request->group_id());
    v1::MemberView* member = response->mutable_group()->add_members();
    member->set_key(Bytes32('\xcc'));
    member->set_status("active");
    response->mutable_sync()->set_received(12);
    response->mutable_sync()->set_inserted(12);
    return grpc::Status::OK;
  }
  grpc::Status GiveNotice(grpc::ServerContext*, const v1::GiveNoticeRequest* request,
                          v1::MembershipWriteResponse* response) override {
    absl::MutexLock lock(&mu_);
    notice_ = *request;
    response->mutable_member()->set_key(Bytes32('\xcc'));
    response->mutable_member()->set_status("notice_given");
    response->mutable_member()->set_notice_effective_ms(request->effective_ms());
    response->mutable_member()->set_frozen(true);
    return grpc::Status::OK;
  }
  grpc::Status Withdraw(grpc::ServerContext*, const v1::WithdrawRequest*,
                        v1::MembershipWriteResponse*) override {
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "not a member any more");
  }
  grpc::Status SyncGroup(grpc::ServerContext*, const v1::SyncGroupRequest* request,
                         v1::SyncGroupResponse* response) override {
    absl::MutexLock lock(&mu_);
    sync_ = *request;
    response->set_received(3);
    response->set_sent(7);
    response->set_state_hash(Bytes32('\x05'));
    *response->add_peers() = Peer('\x02', "ok");
    *response->add_peers() = Peer('\x03', "failing");
    return grpc::Status::OK;
  }
  grpc::Status ListPeers(grpc::ServerContext*, const v1::ListPeersRequest* request,
                         v1::ListPeersResponse* response) override {
    absl::MutexLock lock(&mu_);
    peers_group_ = request->group_id();
    *response->add_peers() = Peer('\x02', "unknown");
    return grpc::Status::OK;
  }
  grpc::Status GetOrgCard(grpc::ServerContext*, const v1::GetOrgCardRequest*,
                          v1::OrgCard* response) override {
    response->set_key(Bytes32('\xcc'));
    response->set_name("River Trust");
    response->add_endpoints("10.0.0.9:7400");
    return grpc::Status::OK;
  }

  v1::JoinGroupRequest join() {
    absl::MutexLock lock(&mu_);
    return join_;
  }
  v1::GiveNoticeRequest notice() {
    absl::MutexLock lock(&mu_);
    return notice_;
  }
  v1::SyncGroupRequest sync() {
    absl::MutexLock lock(&mu_);
    return sync_;
  }
  std::string peers_group() {
    absl::MutexLock lock(&mu_);
    return peers_group_;
  }

 private:
  absl::Mutex mu_;
  v1::JoinGroupRequest join_ ABSL_GUARDED_BY(mu_);
  v1::GiveNoticeRequest notice_ ABSL_GUARDED_BY(mu_);
  v1::SyncGroupRequest sync_ ABSL_GUARDED_BY(mu_);
  std::string peers_group_ ABSL_GUARDED_BY(mu_) = "unset";
};

class SdkGovernanceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(&governance_);
    builder.RegisterService(static_cast<v1::MembershipService::Service*>(&others_));
    builder.RegisterService(static_cast<v1::PeerService::Service*>(&others_));
    builder.RegisterService(static_cast<v1::NodeService::Service*>(&others_));
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    ClientOptions options;
    options.endpoint = absl::StrFormat("127.0.0.1:%d", port_);
    options.token = "t";
    options.initial_backoff = absl::Milliseconds(5);
    ASSERT_OK_AND_ASSIGN(client_, Client::Connect(options));
  }
  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown(absl::ToChronoTime(absl::Now()));
  }

  int port_ = 0;
  FakeGovernance governance_;
  FakeMembershipAndPeers others_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<Client> client_;
};

ProposalSpec Admission() {
  ProposalSpec spec;
  spec.decision_type = "admit";
  spec.title = "Admit River Trust";
  spec.deadline_ms = 1'800'000'000'000;
  spec.admit =
      AdmitPayload{OrgCard{kInvitee, "River Trust", {"10.0.0.9:7400"}}, "partner", "funder", 2};
  return spec;
}

TEST_F(SdkGovernanceTest, ProposeSendsThePayloadAndRetriesWithTheSameRequestId) {
  governance_.set_unavailable_first(2);
  ASSERT_OK_AND_ASSIGN(ProposalWrite write, client_->Propose(kGroup, Admission()));
  const std::vector<v1::ProposeRequest> requests = governance_.requests();
  ASSERT_THAT(requests, SizeIs(3));
  EXPECT_EQ(requests[0].request_id().size(), 32u);
  EXPECT_EQ(requests[1].request_id(), requests[0].request_id());
  EXPECT_EQ(requests[2].request_id(), requests[0].request_id());
  const v1::ProposeRequest& sent = requests[2];
  EXPECT_EQ(sent.group_id(), Bytes32('\xaa'));
  EXPECT_EQ(sent.proposal().decision_type(), v1::DECISION_TYPE_ADMIT);
  EXPECT_EQ(sent.proposal().title(), "Admit River Trust");
  EXPECT_EQ(sent.proposal().deadline_ms(), 1'800'000'000'000u);
  ASSERT_EQ(sent.proposal().payload_case(), v1::Proposal::kAdmit);
  EXPECT_EQ(sent.proposal().admit().card().key(), Bytes32('\xcc'));
  EXPECT_THAT(sent.proposal().admit().card().endpoints(), ElementsAre("10.0.0.9:7400"));
  EXPECT_EQ(sent.proposal().admit().role(), v1::ROLE_PARTNER);
  EXPECT_EQ(sent.proposal().admit().segment(), v1::SEGMENT_FUNDER);
  EXPECT_EQ(sent.proposal().admit().voting_weight(), 2u);

  // The view comes back with hex ids and names for enums.
  const Proposal& proposal = write.proposal;
  EXPECT_EQ(write.event.event_id, Hex32("0b"));
  EXPECT_EQ(proposal.proposal_id, Hex32("0b"));
  EXPECT_EQ(proposal.spec.decision_type, "admit");
  ASSERT_TRUE(proposal.spec.admit.has_value());
  EXPECT_EQ(proposal.spec.admit->card.key, kInvitee);
  EXPECT_EQ(proposal.spec.admit->role, "partner");
  EXPECT_EQ(proposal.rule.process, "consent");
  EXPECT_EQ(proposal.outcome, "passed");
  EXPECT_TRUE(proposal.closed);
  EXPECT_FALSE(proposal.final);
  ASSERT_THAT(proposal.electorate, SizeIs(2));
  EXPECT_EQ(proposal.electorate[0].stance, "agree");
  EXPECT_EQ(proposal.electorate[1].stance, "");
  EXPECT_EQ(proposal.electorate[1].weight, 2u);
  EXPECT_THAT(proposal.missing_stances, ElementsAre(Hex32("02")));
  EXPECT_EQ(proposal.tally.stance_count, 1u);
}

TEST_F(SdkGovernanceTest, BadProposalsFailBeforeAnyRpc) {
  ProposalSpec two = Admission();
  two.expel = ExpelPayload{kInvitee, "x"};
  EXPECT_THAT(client_->Propose(kGroup, two),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("2 payloads")));
  ProposalSpec unknown = Admission();
  unknown.decision_type = "coronation";
  EXPECT_THAT(client_->Propose(kGroup, unknown),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("proposal.decision_type 'coronation' is not one of: admit, "
                                 "expel")));
  ProposalSpec role = Admission();
  role.admit->role = "king";
  EXPECT_THAT(client_->Propose(kGroup, role),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("proposal.admit.role")));
  ProposalSpec key = Admission();
  key.admit->card.key = "abc";
  EXPECT_THAT(client_->Propose(kGroup, key),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("proposal.admit.card.key")));
  EXPECT_THAT(client_->CastStance(kGroup, kProposal, "maybe"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("'maybe' is not one of: agree, abstain, disagree, block")));
  EXPECT_THAT(client_->CastStance(kGroup, kProposal, ""),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("stance is empty")));
  EXPECT_THAT(client_->JoinGroup(kGroup, ""),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("peer endpoint is empty")));
  EXPECT_THAT(governance_.requests(), SizeIs(0));
}

TEST_F(SdkGovernanceTest, StancesReadsAndTheWaitingView) {
  ASSERT_OK(client_->CastStance(kGroup, kProposal, "block", "conflicts with our charter"));
  EXPECT_EQ(governance_.stance().choice(), v1::STANCE_CHOICE_BLOCK);
  EXPECT_EQ(governance_.stance().reason(), "conflicts with our charter");
  EXPECT_EQ(governance_.stance().proposal_id(), Bytes32('\xbb'));

  EXPECT_THAT(client_->CloseProposal(kGroup, kProposal),
              StatusIs(absl::StatusCode::kPermissionDenied, "only the proposer may close it"));

  ASSERT_OK_AND_ASSIGN(std::vector<Proposal> open, client_->ListProposals(kGroup, true, 42));
  EXPECT_THAT(open, SizeIs(1));
  EXPECT_TRUE(governance_.list().open_only());
  EXPECT_EQ(governance_.list().as_of_ms(), 42u);

  ASSERT_OK_AND_ASSIGN(WaitingOnResult waiting, client_->WaitingOn());
  EXPECT_EQ(governance_.waiting_group(), "");  // every group
  EXPECT_THAT(waiting.needs_my_stance, SizeIs(0));
  ASSERT_THAT(waiting.waiting_on_others, SizeIs(1));
  EXPECT_THAT(waiting.waiting_on_others[0].missing_stances, ElementsAre(Hex32("02")));
  ASSERT_OK(client_->WaitingOn(kGroup));
  EXPECT_EQ(governance_.waiting_group(), Bytes32('\xaa'));
}

TEST_F(SdkGovernanceTest, MembershipCalls) {
  MemberProfile profile;
  profile.name = "River Trust (water)";
  profile.endpoints = {"10.0.0.9:7400"};
  ASSERT_OK_AND_ASSIGN(JoinResult join,
                       client_->JoinGroup(kGroup, "10.0.0.7:7400", profile, {"join-1"}));
  EXPECT_EQ(others_.join().request_id(), "join-1");
  EXPECT_EQ(others_.join().peer_endpoint(), "10.0.0.7:7400");
  EXPECT_EQ(others_.join().profile().name(), "River Trust (water)");
  EXPECT_EQ(join.event.event_id, Hex32("0e"));
  EXPECT_EQ(join.group.group_id, kGroup);
  EXPECT_EQ(join.sync.received, 12u);
  ASSERT_THAT(join.group.members, SizeIs(1));
  EXPECT_EQ(join.group.members[0].key, kInvitee);

  ASSERT_OK_AND_ASSIGN(MembershipWrite notice,
                       client_->GiveNotice(kGroup, "strategy change", 1'900'000'000'000));
  EXPECT_EQ(others_.notice().reason(), "strategy change");
  EXPECT_EQ(others_.notice().effective_ms(), 1'900'000'000'000u);
  EXPECT_EQ(notice.member.status, "notice_given");
  EXPECT_EQ(notice.member.notice_effective_ms, 1'900'000'000'000u);
  EXPECT_TRUE(notice.member.frozen);

  EXPECT_THAT(client_->Withdraw(kGroup, "done"),
              StatusIs(absl::StatusCode::kFailedPrecondition, "not a member any more"));
}

TEST_F(SdkGovernanceTest, PeersSyncRoundsAndTheOrgCard) {
  ASSERT_OK_AND_ASSIGN(SyncResult round, client_->SyncGroupWithMembers(kGroup));
  EXPECT_EQ(others_.sync().peer_endpoint(), "");  // a round with every member
  EXPECT_EQ(others_.sync().group_id(), Bytes32('\xaa'));
  EXPECT_EQ(round.received, 3u);
  EXPECT_EQ(round.sent, 7u);
  EXPECT_EQ(round.state_hash, Hex32("05"));
  ASSERT_THAT(round.peers, SizeIs(2));
  EXPECT_EQ(round.peers[1].status, "failing");
  EXPECT_EQ(round.peers[1].last_error, "connection refused");
  EXPECT_EQ(round.peers[1].consecutive_failures, 3u);
  EXPECT_THAT(round.peers[0].group_ids, ElementsAre(kGroup));

  ASSERT_OK(client_->SyncGroup("10.0.0.7:7400", kGroup));
  EXPECT_EQ(others_.sync().peer_endpoint(), "10.0.0.7:7400");
  EXPECT_THAT(client_->SyncGroup("", kGroup), StatusIs(absl::StatusCode::kInvalidArgument));

  ASSERT_OK_AND_ASSIGN(std::vector<PeerStatus> peers, client_->ListPeers());
  EXPECT_EQ(others_.peers_group(), "");
  ASSERT_THAT(peers, SizeIs(1));
  EXPECT_EQ(peers[0].org, Hex32("02"));
  EXPECT_EQ(peers[0].endpoint, "10.0.0.8:7400");
  EXPECT_EQ(peers[0].events_sent, 5u);
  ASSERT_OK(client_->ListPeers(kGroup));
  EXPECT_EQ(others_.peers_group(), Bytes32('\xaa'));
  EXPECT_THAT(client_->ListPeers("xyz"), StatusIs(absl::StatusCode::kInvalidArgument));

  ASSERT_OK_AND_ASSIGN(OrgCard card, client_->GetOrgCard());
  EXPECT_EQ(card.key, kInvitee);
  EXPECT_EQ(card.name, "River Trust");
  EXPECT_THAT(card.endpoints, ElementsAre("10.0.0.9:7400"));
  ASSERT_OK_AND_ASSIGN(OrgCard back, OrgCardFromJson(OrgCardToJson(card)));
  EXPECT_EQ(back.key, card.key);
}

}  // namespace
}  // namespace constellation
