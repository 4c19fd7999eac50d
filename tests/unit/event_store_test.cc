// tests/unit/event_store_test.cc
//
// The typed layout over the storage port (server/storage/event_store.h): fork proofs
// (StageForkProof / LoadForkProofs, DESIGN §2: a freeze survives a restart), run against
// MemoryStore and RocksStore (a fresh temporary directory per test). The proofs are real:
// two HistoryBuilder events at the same (author, seq), made canonical by core::MakeForkProof
// and checked by core::VerifyForkProof.
#include "server/storage/event_store.h"

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include <absl/status/statusor.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "server/core/group.h"
#include "server/storage/memory_store.h"
#include "server/storage/rocks_store.h"
#include "tests/testing/event_factory.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace constellation::storage {
namespace {

using ::constellation::testing::CampaignBody;
using ::constellation::testing::HistoryBuilder;
using ::constellation::testing::StatusIs;
using ::constellation::testing::TempDir;
using ::constellation::testing::TestCampaign;
using ::constellation::testing::TestCharter;
using ::constellation::testing::TestKey;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

struct StoreFactory {
  std::string name;
  // Makes an empty store; `dir` is a fresh directory the store may use.
  std::function<absl::StatusOr<std::unique_ptr<Store>>(const std::string& dir)> make;
};

void PrintTo(const StoreFactory& factory, std::ostream* os) { *os << factory.name; }

const StoreFactory kStoreFactories[] = {
    {"Memory",
     [](const std::string&) -> absl::StatusOr<std::unique_ptr<Store>> {
       return std::make_unique<MemoryStore>();
     }},
    {"Rocks",
     [](const std::string& dir) -> absl::StatusOr<std::unique_ptr<Store>> {
       absl::StatusOr<std::unique_ptr<RocksStore>> store =
           RocksStore::Open(dir + "/db", RocksStoreOptions{});
       if (!store.ok()) return store.status();
       return std::unique_ptr<Store>(std::move(store).value());
     }},
};

class ForkProofStoreTest : public ::testing::TestWithParam<StoreFactory> {
 protected:
  ForkProofStoreTest() : history_(founder_, TestCharter()) {}

  void SetUp() override { ASSERT_OK_AND_ASSIGN(store_, GetParam().make(temp_dir_.path())); }

  // A verified proof of a fork by `author` at seq 1 (no prev) or, for the founder, at seq 2
  // (after the genesis): `author`'s chain event and a branch event at the same seq.
  core::VerifiedForkProof ForkOf(const core::SigningKey& author, int64_t goal_minor) {
    const bool founder = author.public_key() == founder_.public_key();
    std::optional<core::EventId> after;
    if (founder) after = history_.genesis().id;
    const core::VerifiedEvent a = history_.Append(author, CampaignBody(TestCampaign(goal_minor)));
    const core::VerifiedEvent b =
        history_.AppendBranch(author, after, CampaignBody(TestCampaign(goal_minor + 1)));
    EXPECT_EQ(a.seq, b.seq);
    absl::StatusOr<core::VerifiedForkProof> proof =
        core::VerifyForkProof(core::MakeForkProof(a, b));
    EXPECT_TRUE(proof.ok()) << proof.status();
    return *std::move(proof);
  }

  absl::Status Stage(const std::vector<const core::VerifiedForkProof*>& proofs) {
    WriteBatch batch;
    for (const core::VerifiedForkProof* p : proofs) StageForkProof(&batch, *p);
    return store_->Write(batch, WriteOptions{.sync = true});
  }

  // The serialized proofs LoadForkProofs returns, in the order it returns them.
  absl::StatusOr<std::vector<std::string>> LoadAll() {
    std::vector<std::string> loaded;
    absl::Status s = LoadForkProofs(*store_, [&](v1::ForkProof proof) {
      loaded.push_back(proof.SerializeAsString());
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    return loaded;
  }

  const core::SigningKey founder_ = TestKey('a');
  const core::SigningKey bea_ = TestKey('b');
  const core::SigningKey cal_ = TestKey('c');
  HistoryBuilder history_;
  TempDir temp_dir_;
  std::unique_ptr<Store> store_;
};

TEST_P(ForkProofStoreTest, NothingStoredLoadsNothing) {
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> loaded, LoadAll());
  EXPECT_THAT(loaded, IsEmpty());
}

TEST_P(ForkProofStoreTest, StoredProofComesBackByteEqualAndVerifies) {
  const core::VerifiedForkProof proof = ForkOf(founder_, 1'000);
  ASSERT_OK(Stage({&proof}));
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> loaded, LoadAll());
  ASSERT_THAT(loaded, ElementsAre(proof.proof.SerializeAsString()));
  v1::ForkProof parsed;
  ASSERT_TRUE(parsed.ParseFromString(loaded[0]));
  ASSERT_OK_AND_ASSIGN(core::VerifiedForkProof again, core::VerifyForkProof(parsed));
  EXPECT_EQ(again.group, proof.group);
  EXPECT_EQ(again.author, founder_.public_key());
  EXPECT_EQ(again.seq, 2u);
  EXPECT_EQ(again.first.id, proof.first.id);
  EXPECT_EQ(again.second.id, proof.second.id);
}

TEST_P(ForkProofStoreTest, ProofsOfDifferentAuthorsComeBackInKeyOrder) {
  const core::VerifiedForkProof by_bea = ForkOf(bea_, 2'000);
  const core::VerifiedForkProof by_cal = ForkOf(cal_, 3'000);
  const core::VerifiedForkProof by_founder = ForkOf(founder_, 4'000);
  // Key order within a group is the author's key bytes (then the seq), not the write order.
  std::vector<const core::VerifiedForkProof*> by_key = {&by_bea, &by_cal, &by_founder};
  std::sort(by_key.begin(), by_key.end(),
            [](const auto* x, const auto* y) { return x->author.Bytes() < y->author.Bytes(); });
  std::vector<const core::VerifiedForkProof*> written = by_key;
  std::reverse(written.begin(), written.end());
  ASSERT_OK(Stage({written[0]}));
  ASSERT_OK(Stage({written[1], written[2]}));
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> loaded, LoadAll());
  std::vector<std::string> expected;
  for (const core::VerifiedForkProof* p : by_key) expected.push_back(p->proof.SerializeAsString());
  EXPECT_EQ(loaded, expected);
}

TEST_P(ForkProofStoreTest, RestagingTheSameForkKeepsOneEntry) {
  const core::VerifiedForkProof proof = ForkOf(bea_, 5'000);
  ASSERT_OK(Stage({&proof}));
  ASSERT_OK(Stage({&proof}));
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> loaded, LoadAll());
  EXPECT_THAT(loaded, ElementsAre(proof.proof.SerializeAsString()));
}

TEST_P(ForkProofStoreTest, CorruptValueIsDataLoss) {
  const core::VerifiedForkProof proof = ForkOf(bea_, 6'000);
  ASSERT_OK(Stage({&proof}));
  // A field 1 (length-delimited) that claims 5 bytes and holds 1: does not parse.
  WriteBatch batch;
  batch.Put(Column::kForks, std::string(1, '\xff'), std::string("\x0a\x05x", 3));
  ASSERT_OK(store_->Write(batch, WriteOptions{.sync = true}));
  EXPECT_THAT(LoadAll(), StatusIs(absl::StatusCode::kDataLoss, HasSubstr("fork proof")));
}

TEST_P(ForkProofStoreTest, StopsAtTheFirstErrorOfTheCallback) {
  const core::VerifiedForkProof by_bea = ForkOf(bea_, 7'000);
  const core::VerifiedForkProof by_cal = ForkOf(cal_, 8'000);
  ASSERT_OK(Stage({&by_bea, &by_cal}));
  int calls = 0;
  absl::Status s = LoadForkProofs(*store_, [&](v1::ForkProof) {
    ++calls;
    return absl::AbortedError("stop here");
  });
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kAborted, HasSubstr("stop here")));
  EXPECT_EQ(calls, 1);
}

INSTANTIATE_TEST_SUITE_P(Stores, ForkProofStoreTest, ::testing::ValuesIn(kStoreFactories),
                         [](const ::testing::TestParamInfo<StoreFactory>& info) {
                           return info.param.name;
                         });

// LoadEvents re-verifies signatures for `constellationd verify` and trusts them at start
// (issue 10: ~70 us per event): a stored event whose signature was damaged on disk is data
// loss for the first and loads for the second, and everything else is checked alike.
TEST_P(ForkProofStoreTest, LoadEventsVerifiesSignaturesOnlyWhenAsked) {
  const core::VerifiedEvent campaign = history_.Append(founder_, CampaignBody(TestCampaign(7)));
  core::VerifiedEvent damaged = campaign;
  damaged.signature[0] = static_cast<char>(damaged.signature[0] ^ 1);
  WriteBatch batch;
  StageEvent(&batch, history_.genesis(), core::OrderKey{1, history_.genesis().id});
  StageEvent(&batch, damaged, core::OrderKey{2, damaged.id});
  ASSERT_OK(store_->Write(batch, WriteOptions{.sync = true}));
  auto load = [&](StoredSignatures signatures) -> absl::StatusOr<std::vector<core::EventId>> {
    std::vector<core::EventId> ids;
    absl::Status s = LoadEvents(*store_, signatures, [&](core::VerifiedEvent e) {
      ids.push_back(e.id);
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    return ids;
  };
  EXPECT_THAT(load(StoredSignatures::kVerify),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("does not verify")));
  ASSERT_OK_AND_ASSIGN(std::vector<core::EventId> trusted, load(StoredSignatures::kTrust));
  EXPECT_THAT(trusted, ElementsAre(history_.genesis().id, campaign.id));
}

// The hint a restart gives the fold before loading (core::NodeState::ExpectGroupSize): each
// group's event count, summed from the frontier over its authors, equal to what LoadEvents
// then loads for that group.
TEST_P(ForkProofStoreTest, StoredEventCountsAreWhatLoadEventsLoadsPerGroup) {
  using ::constellation::testing::AcceptanceBody;
  using ::constellation::testing::AcknowledgementBody;
  using ::constellation::testing::AdmitBody;
  using ::constellation::testing::StanceBody;
  const core::SigningKey member = TestKey('m');
  const core::EventId admit = history_.Append(founder_, AdmitBody(member.public_key())).id;
  history_.Append(founder_, StanceBody(admit, v1::STANCE_CHOICE_AGREE));
  history_.Append(founder_, AcknowledgementBody({admit}));
  history_.Append(member, AcceptanceBody(admit));
  history_.Append(member, CampaignBody(TestCampaign(5)));
  history_.Append(founder_, CampaignBody(TestCampaign(6)));
  HistoryBuilder other(TestKey('o'), TestCharter());
  WriteBatch batch;
  for (const HistoryBuilder* h : {&history_, &other}) {
    core::Group group(h->group());
    for (const core::VerifiedEvent& e : h->events()) {
      ASSERT_OK_AND_ASSIGN(core::InsertResult r, group.Insert(e));
      StageEvent(&batch, e, r.key);
    }
  }
  ASSERT_OK(store_->Write(batch, WriteOptions{.sync = true}));

  ASSERT_OK_AND_ASSIGN(auto counts, StoredEventCounts(*store_));
  std::map<core::GroupId, uint64_t> loaded;
  ASSERT_OK(LoadEvents(*store_, StoredSignatures::kTrust, [&](core::VerifiedEvent e) {
    ++loaded[e.group];
    return absl::OkStatus();
  }));
  EXPECT_EQ(counts, loaded);
  EXPECT_EQ(counts[history_.group()], history_.events().size());
  EXPECT_EQ(counts[other.group()], 1u);
}

}  // namespace
}  // namespace constellation::storage
