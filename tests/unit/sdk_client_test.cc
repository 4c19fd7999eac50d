// tests/unit/sdk_client_test.cc: the SDK's call policy without a real node: no node at all
// (kUnavailable after max_attempts), and a scripted in-process fake of the client services on
// 127.0.0.1:0 (retries keep the request id, bearer metadata, status passthrough, deadlines,
// lazy streams that resume).
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
const std::string kCampaign(64, 'b');
const std::string kPledge(64, 'c');

std::string Bytes32(char fill) { return std::string(32, fill); }

std::string Repeat(const std::string& text, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += text;
  return out;
}

// --- No node at all ----------------------------------------------------------------------

TEST(SdkClientTest, NothingListeningIsUnavailableAfterMaxAttempts) {
  ClientOptions options;
  options.endpoint = "127.0.0.1:1";
  options.max_attempts = 3;
  options.initial_backoff = absl::Milliseconds(10);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Client> client, Client::Connect(options));
  const absl::Time start = absl::Now();
  absl::StatusOr<NodeInfo> info = client->GetNodeInfo();
  EXPECT_THAT(info, StatusIs(absl::StatusCode::kUnavailable, HasSubstr("3 attempts")));
  EXPECT_THAT(info, StatusIs(absl::StatusCode::kUnavailable, HasSubstr("127.0.0.1:1")));
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
}

TEST(SdkClientTest, WritesToNothingAreUnavailableToo) {
  ClientOptions options;
  options.endpoint = "127.0.0.1:1";
  options.initial_backoff = absl::Milliseconds(5);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Client> client, Client::Connect(options));
  PledgeTerms terms;
  terms.amount = Money{100, "EUR"};
  EXPECT_THAT(client->RecordPledge(kGroup, kCampaign, terms, {"my-request-1"}),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("4 attempts")));
}

TEST(SdkClientTest, ConnectRejectsBadOptions) {
  ClientOptions options;
  EXPECT_THAT(Client::Connect(options), StatusIs(absl::StatusCode::kInvalidArgument));
  options.endpoint = "127.0.0.1:1";
  options.max_attempts = 0;
  EXPECT_THAT(Client::Connect(options), StatusIs(absl::StatusCode::kInvalidArgument));
  options.max_attempts = 1;
  options.token = "two words";
  EXPECT_THAT(Client::Connect(options), StatusIs(absl::StatusCode::kInvalidArgument));
  options.token = "ok";
  options.deadline = absl::ZeroDuration();
  EXPECT_THAT(Client::Connect(options), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(SdkClientTest, RequestIdsAre128BitHexAndDistinct) {
  const std::string a = NewRequestId();
  const std::string b = NewRequestId();
  EXPECT_EQ(a.size(), 32u);
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(a, b);
}

// --- A scripted fake node ----------------------------------------------------------------

// Fails the first `unavailable_first` calls of each write with UNAVAILABLE; records what the
// SDK sent.
class FakeFundraising final : public v1::FundraisingService::Service {
 public:
  grpc::Status RecordPledge(grpc::ServerContext* context, const v1::RecordPledgeRequest* request,
                            v1::PledgeWriteResponse* response) override {
    absl::MutexLock lock(&mu_);
    request_ids_.push_back(request->request_id());
    auto auth = context->client_metadata().find("authorization");
    authorization_ = auth == context->client_metadata().end()
                         ? ""
                         : std::string(auth->second.data(), auth->second.size());
    if (static_cast<int>(request_ids_.size()) <= unavailable_first_) {
      return grpc::Status(grpc::StatusCode::UNAVAILABLE, "shutting down");
    }
    response->mutable_event()->set_event_id(Bytes32('\x01'));
    response->mutable_pledge()->set_pledge_id(Bytes32('\x01'));
    *response->mutable_pledge()->mutable_terms() = request->terms();
    response->mutable_pledge()->set_status(v1::PLEDGE_STATUS_IN_PROGRESS);
    return grpc::Status::OK;
  }

  grpc::Status CancelPledge(grpc::ServerContext*, const v1::CancelPledgeRequest*,
                            v1::PledgeWriteResponse*) override {
    ++calls_;
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                        "pledge cccc is cancelled; cancel is not possible");
  }

  grpc::Status GetPledge(grpc::ServerContext*, const v1::GetPledgeRequest*,
                         v1::PledgeView*) override {
    ++calls_;
    absl::SleepFor(absl::Milliseconds(500));
    return grpc::Status::OK;
  }

  grpc::Status ListPledges(grpc::ServerContext*, const v1::ListPledgesRequest*,
                           v1::ListPledgesResponse*) override {
    ++calls_;
    return grpc::Status::OK;
  }

  grpc::Status StreamPledgeHistory(
      grpc::ServerContext*, const v1::StreamPledgeHistoryRequest* request,
      grpc::ServerWriter<v1::StreamPledgeHistoryResponse>* writer) override {
    ++calls_;
    for (uint32_t version = 1; version <= 3; ++version) {
      v1::StreamPledgeHistoryResponse response;
      response.set_pledge_id(request->pledge_id());
      response.mutable_version()->set_version(version);
      response.mutable_version()->set_kind(version == 1 ? "pledge" : "payment");
      response.mutable_version()->mutable_amount()->set_amount_minor(100 * version);
      response.mutable_version()->mutable_amount()->set_currency("EUR");
      writer->Write(response);
    }
    return grpc::Status::OK;
  }

  void set_unavailable_first(int n) {
    absl::MutexLock lock(&mu_);
    unavailable_first_ = n;
  }
  std::vector<std::string> request_ids() {
    absl::MutexLock lock(&mu_);
    return request_ids_;
  }
  std::string authorization() {
    absl::MutexLock lock(&mu_);
    return authorization_;
  }
  int calls() const { return calls_.load(); }

 private:
  absl::Mutex mu_;
  int unavailable_first_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<std::string> request_ids_ ABSL_GUARDED_BY(mu_);
  std::string authorization_ ABSL_GUARDED_BY(mu_);
  std::atomic<int> calls_{0};
};

// Streams 5 events; the first stream breaks with UNAVAILABLE after position 2.
class FakeGroups final : public v1::GroupService::Service {
 public:
  grpc::Status StreamEvents(grpc::ServerContext*, const v1::StreamEventsRequest* request,
                            grpc::ServerWriter<v1::StreamEventsResponse>* writer) override {
    const int stream = ++streams_;
    {
      absl::MutexLock lock(&mu_);
      after_positions_.push_back(request->after_position());
    }
    for (uint64_t position = request->after_position() + 1; position <= 5; ++position) {
      if (stream == 1 && position == 3) {
        return grpc::Status(grpc::StatusCode::UNAVAILABLE, "peer restarting");
      }
      v1::Event event;
      event.set_author(Bytes32('\x07'));
      event.set_seq(position);
      event.mutable_hlc()->set_wall_ms(1000 * position);
      event.mutable_pledge()->mutable_terms()->mutable_amount()->set_currency("EUR");
      v1::StreamEventsResponse response;
      response.set_position(position);
      response.set_event_id(Bytes32(static_cast<char>(position)));
      response.mutable_signed_event()->set_event(event.SerializeAsString());
      response.mutable_signed_event()->set_signature(std::string(64, 's'));
      writer->Write(response);
    }
    return grpc::Status::OK;
  }

  std::vector<uint64_t> after_positions() {
    absl::MutexLock lock(&mu_);
    return after_positions_;
  }

 private:
  std::atomic<int> streams_{0};
  absl::Mutex mu_;
  std::vector<uint64_t> after_positions_ ABSL_GUARDED_BY(mu_);
};

class SdkClientFakeNodeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(&fundraising_);
    builder.RegisterService(&groups_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    ASSERT_GT(port_, 0);
  }
  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown(absl::ToChronoTime(absl::Now()));
  }

  std::unique_ptr<Client> NewClient(absl::Duration deadline = absl::Seconds(5)) {
    ClientOptions options;
    options.endpoint = absl::StrFormat("127.0.0.1:%d", port_);
    options.token = "secret-token";
    options.deadline = deadline;
    options.initial_backoff = absl::Milliseconds(5);
    absl::StatusOr<std::unique_ptr<Client>> client = Client::Connect(options);
    EXPECT_TRUE(client.ok()) << client.status();
    return client.ok() ? *std::move(client) : nullptr;
  }

  int port_ = 0;
  FakeFundraising fundraising_;
  FakeGroups groups_;
  std::unique_ptr<grpc::Server> server_;
};

TEST_F(SdkClientFakeNodeTest, RetriesUnavailableWithTheSameRequestId) {
  fundraising_.set_unavailable_first(2);
  std::unique_ptr<Client> client = NewClient();
  PledgeTerms terms;
  terms.amount = Money{25050, "EUR"};
  terms.installments = {{1'800'000'000'000, 25050}};
  terms.condition = PledgeCondition{"matching funds", "donor may withdraw"};
  ASSERT_OK_AND_ASSIGN(PledgeWrite write, client->RecordPledge(kGroup, kCampaign, terms));
  EXPECT_EQ(write.pledge.pledge_id, Repeat("01", 32));
  EXPECT_EQ(write.event.event_id, Repeat("01", 32));
  EXPECT_EQ(write.pledge.status, "in_progress");
  EXPECT_EQ(write.pledge.terms.amount.amount_minor, 25050);
  ASSERT_TRUE(write.pledge.terms.condition.has_value());
  EXPECT_EQ(write.pledge.terms.condition->barrier, "matching funds");

  const std::vector<std::string> ids = fundraising_.request_ids();
  ASSERT_THAT(ids, SizeIs(3));
  EXPECT_EQ(ids[0].size(), 32u);  // generated: 128 bits in hex
  EXPECT_EQ(ids[1], ids[0]);
  EXPECT_EQ(ids[2], ids[0]);
  EXPECT_EQ(fundraising_.authorization(), "Bearer secret-token");
}

TEST_F(SdkClientFakeNodeTest, CallerRequestIdIsSentAsIs) {
  std::unique_ptr<Client> client = NewClient();
  PledgeTerms terms;
  terms.amount = Money{100, "EUR"};
  ASSERT_OK(client->RecordPledge(kGroup, kCampaign, terms, {"invoice-2026-11-20"}));
  EXPECT_THAT(fundraising_.request_ids(), ElementsAre("invoice-2026-11-20"));

  EXPECT_THAT(client->RecordPledge(kGroup, kCampaign, terms, {std::string(129, 'x')}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("request_id")));
  EXPECT_THAT(fundraising_.request_ids(), SizeIs(1));
}

TEST_F(SdkClientFakeNodeTest, GivesUpAfterMaxAttempts) {
  fundraising_.set_unavailable_first(100);
  std::unique_ptr<Client> client = NewClient();
  PledgeTerms terms;
  terms.amount = Money{100, "EUR"};
  EXPECT_THAT(client->RecordPledge(kGroup, kCampaign, terms),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("shutting down")));
  EXPECT_THAT(fundraising_.request_ids(), SizeIs(4));
}

TEST_F(SdkClientFakeNodeTest, KeepsTheNodesCodeAndMessage) {
  std::unique_ptr<Client> client = NewClient();
  EXPECT_THAT(client->CancelPledge(kGroup, kPledge, "dropped"),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       "pledge cccc is cancelled; cancel is not possible"));
  EXPECT_EQ(fundraising_.calls(), 1);  // not retried
}

TEST_F(SdkClientFakeNodeTest, EveryCallHasADeadline) {
  std::unique_ptr<Client> client = NewClient(absl::Milliseconds(100));
  EXPECT_THAT(client->GetPledge(kGroup, kPledge), StatusIs(absl::StatusCode::kDeadlineExceeded));
}

TEST_F(SdkClientFakeNodeTest, InvalidHexIdsFailBeforeAnyRpc) {
  std::unique_ptr<Client> client = NewClient();
  EXPECT_THAT(client->GetPledge("xyz", kPledge),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("group_id")));
  EXPECT_THAT(client->GetPledge(kGroup, std::string(64, 'g')),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("pledge_id must be hex")));
  EXPECT_THAT(client->ListPledges(kGroup, "abc"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("campaign_id")));
  EXPECT_THAT(client->CancelPledge(kGroup, kPledge.substr(1), "x"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("got 63")));
  EXPECT_THAT(client->PledgeHistory("", kPledge), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(client->GroupEvents("zz"), StatusIs(absl::StatusCode::kInvalidArgument));
  PledgeTerms terms;
  terms.amount = Money{100, "EUR"};
  terms.evidence_sha256 = "not-a-hash";
  EXPECT_THAT(client->RecordPledge(kGroup, kCampaign, terms),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("evidence_sha256")));
  terms.evidence_sha256.clear();
  terms.restriction.kind = "sometimes";
  EXPECT_THAT(client->RecordPledge(kGroup, kCampaign, terms),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("purpose, time, perpetual")));
  EXPECT_EQ(fundraising_.calls(), 0);
  EXPECT_THAT(fundraising_.request_ids(), SizeIs(0));
  // Upper-case hex is accepted.
  ASSERT_OK(client->ListPledges(std::string(64, 'A')));
  EXPECT_EQ(fundraising_.calls(), 1);
}

TEST_F(SdkClientFakeNodeTest, PledgeHistoryStreamsLazily) {
  std::unique_ptr<Client> client = NewClient();
  ASSERT_OK_AND_ASSIGN(PledgeHistoryStream stream, client->PledgeHistory(kGroup, kPledge));
  EXPECT_EQ(fundraising_.calls(), 0);  // nothing sent before the first read
  std::vector<PledgeVersionEntry> entries;
  PledgeVersionEntry entry;
  while (true) {
    ASSERT_OK_AND_ASSIGN(bool more, stream.Next(&entry));
    if (!more) break;
    entries.push_back(entry);
  }
  ASSERT_THAT(entries, SizeIs(3));
  EXPECT_EQ(entries[0].pledge_id, kPledge);
  EXPECT_EQ(entries[0].version.kind, "pledge");
  ASSERT_TRUE(entries[2].version.amount.has_value());
  EXPECT_EQ(entries[2].version.amount->amount_minor, 300);
  EXPECT_FALSE(entries[2].version.terms.has_value());
  ASSERT_OK_AND_ASSIGN(bool again, stream.Next(&entry));
  EXPECT_FALSE(again);  // sticky end
  EXPECT_EQ(fundraising_.calls(), 1);

  // Move-only: a moved-to stream reads on.
  ASSERT_OK_AND_ASSIGN(PledgeHistoryStream second, client->PledgeHistory(kGroup, kPledge));
  PledgeHistoryStream moved = std::move(second);
  ASSERT_OK_AND_ASSIGN(bool first_read, moved.Next(&entry));
  EXPECT_TRUE(first_read);
  moved.Cancel();
  EXPECT_THAT(moved.Next(&entry), StatusIs(absl::StatusCode::kCancelled));
}

TEST_F(SdkClientFakeNodeTest, GroupEventsResumeAfterUnavailableWithoutRepeats) {
  std::unique_ptr<Client> client = NewClient();
  ASSERT_OK_AND_ASSIGN(GroupEventStream stream, client->GroupEvents(kGroup));
  std::vector<uint64_t> positions;
  GroupEventEntry entry;
  while (true) {
    ASSERT_OK_AND_ASSIGN(bool more, stream.Next(&entry));
    if (!more) break;
    positions.push_back(entry.position);
    EXPECT_EQ(entry.kind, "pledge");
    EXPECT_EQ(entry.seq, entry.position);
    EXPECT_EQ(entry.author, Repeat("07", 32));
    EXPECT_EQ(entry.signature.size(), 64u);
  }
  EXPECT_THAT(positions, ElementsAre(1, 2, 3, 4, 5));
  EXPECT_THAT(groups_.after_positions(), ElementsAre(0, 2));
}

}  // namespace
}  // namespace constellation
