// tests/unit/fork_test.cc
//
// Forks (DESIGN §2, docs/PROTOCOL.md §3.1) in Group (server/core/group.h): two valid events
// with the same (group, author, seq) are kept as a canonical ForkProof, the author is frozen
// from the lowest fork seq on every node whichever branch arrived first, proofs received on
// their own are verified, and the state hash covers the freeze, not the branch held.
#include <optional>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "server/core/group.h"
#include "server/core/governance/governance_ledger.h"
#include "server/core/fundraising/fundraising_ledger.h"
#include "tests/testing/event_factory.h"
#include "tests/testing/status_matchers.h"

namespace constellation::core {
namespace {

using ::constellation::testing::AcceptanceBody;
using ::constellation::testing::AcknowledgementBody;
using ::constellation::testing::AdmitBody;
using ::constellation::testing::CampaignBody;
using ::constellation::testing::HashHex;
using ::constellation::testing::HistoryBuilder;
using ::constellation::testing::PaymentBody;
using ::constellation::testing::PledgeBody;
using ::constellation::testing::ProposalBody;
using ::constellation::testing::ProposalCloseBody;
using ::constellation::testing::PulseCheckBody;
using ::constellation::testing::SealOrDie;
using ::constellation::testing::SignUnchecked;
using ::constellation::testing::StanceBody;
using ::constellation::testing::StatusIs;
using ::constellation::testing::TestCampaign;
using ::constellation::testing::TestCharter;
using ::constellation::testing::TestKey;
using ::constellation::testing::TestTerms;
using ::testing::HasSubstr;

class ForkTest : public ::testing::Test {
 protected:
  ForkTest() : founder_(TestKey('a')), outsider_(TestKey('b')), h_(founder_, TestCharter()) {}

  // A fresh group holding `events`, each of which must be inserted (kReady).
  Group GroupWith(const std::vector<const VerifiedEvent*>& events) {
    Group g(h_.group());
    for (const VerifiedEvent* e : events) {
      absl::StatusOr<InsertResult> r = g.Insert(*e);
      EXPECT_TRUE(r.ok()) << r.status();
      if (r.ok()) {
        EXPECT_EQ(r->admission, Admission::kReady) << e->id.ShortHex();
      }
    }
    return g;
  }

  static std::string ProofBytes(const v1::ForkProof& p) { return p.SerializeAsString(); }

  const SigningKey founder_;
  const SigningKey outsider_;
  HistoryBuilder h_;
};

TEST_F(ForkTest, SecondEventAtTheSameSeqIsAForkWithACanonicalProof) {
  const VerifiedEvent a = h_.Append(founder_, CampaignBody(TestCampaign(1'000)));
  const VerifiedEvent b =
      h_.AppendBranch(founder_, h_.genesis().id, CampaignBody(TestCampaign(2'000)));
  ASSERT_EQ(a.seq, b.seq);
  Group g = GroupWith({&h_.genesis(), &a});

  ASSERT_OK_AND_ASSIGN(InsertResult fork, g.Insert(b));
  EXPECT_EQ(fork.admission, Admission::kFork);
  ASSERT_TRUE(fork.new_fork_proof.has_value());
  ASSERT_OK_AND_ASSIGN(VerifiedForkProof verified, VerifyForkProof(*fork.new_fork_proof));
  EXPECT_LT(verified.first.id, verified.second.id);
  EXPECT_EQ(std::min(a.id, b.id), verified.first.id);
  EXPECT_EQ(std::max(a.id, b.id), verified.second.id);
  EXPECT_EQ(verified.author, founder_.public_key());
  EXPECT_EQ(verified.seq, 2u);
  EXPECT_EQ(g.FrozenFrom(founder_.public_key()), 2u);
  ASSERT_EQ(g.ForkProofs().size(), 1u);
  EXPECT_EQ(ProofBytes(g.ForkProofs()[0]), ProofBytes(*fork.new_fork_proof));
  // The second branch is not inserted; the first stays in the log without effect.
  EXPECT_EQ(g.size(), 2u);
  EXPECT_EQ(g.Find(b.id), nullptr);
  EXPECT_TRUE(Fundraising(g.state()).campaigns().empty());
  EXPECT_THAT(g.NoEffectReason(a.id), ::testing::Optional(HasSubstr("forked at seq 2")));

  // Seeing either event again changes nothing.
  ASSERT_OK_AND_ASSIGN(InsertResult again, g.Insert(b));
  EXPECT_EQ(again.admission, Admission::kFork);
  EXPECT_FALSE(again.new_fork_proof.has_value());
  ASSERT_OK_AND_ASSIGN(InsertResult dup, g.Insert(a));
  EXPECT_EQ(dup.admission, Admission::kDuplicate);
}

TEST_F(ForkTest, NodesThatSawTheBranchesInEitherOrderAgree) {
  const VerifiedEvent campaign = h_.Append(founder_, CampaignBody(TestCampaign(1'000)));
  const VerifiedEvent a = h_.Append(founder_, PledgeBody(campaign.id, TestTerms(100)));
  const VerifiedEvent b = h_.AppendBranch(founder_, campaign.id, PulseCheckBody());
  // Branch a continues; branch b too, on the other node only.
  const VerifiedEvent a2 = h_.Append(founder_, PaymentBody(a.id, 50));
  const VerifiedEvent b2 = h_.AppendBranch(founder_, b.id, CampaignBody(TestCampaign(9)));

  Group first_a = GroupWith({&h_.genesis(), &campaign, &a, &a2});
  Group first_b = GroupWith({&h_.genesis(), &campaign, &b, &b2});
  ASSERT_OK_AND_ASSIGN(InsertResult fork_a, first_a.Insert(b));
  ASSERT_OK_AND_ASSIGN(InsertResult fork_b, first_b.Insert(a));
  EXPECT_EQ(fork_a.admission, Admission::kFork);
  EXPECT_EQ(fork_b.admission, Admission::kFork);
  ASSERT_TRUE(fork_a.new_fork_proof && fork_b.new_fork_proof);
  EXPECT_EQ(ProofBytes(*fork_a.new_fork_proof), ProofBytes(*fork_b.new_fork_proof));

  EXPECT_EQ(HashHex(first_a.StateHash()), HashHex(first_b.StateHash()));
  EXPECT_EQ(first_a.state().event_count(), 2u);  // genesis and campaign
  EXPECT_EQ(Fundraising(first_a.state()).campaigns().size(), 1u);
  EXPECT_TRUE(Fundraising(first_a.state()).pledges().empty());
  EXPECT_EQ(Fundraising(first_b.state()).campaigns().size(), 1u);
  // The freeze is part of the hash: a node that does not know the fork differs.
  Group unaware = GroupWith({&h_.genesis(), &campaign});
  EXPECT_EQ(HashHex(unaware.state().Hash()), HashHex(first_a.state().Hash()));
  EXPECT_NE(HashHex(unaware.StateHash()), HashHex(first_a.StateHash()));
}

TEST_F(ForkTest, StateHashIsTheFoldHashWithoutForks) {
  const VerifiedEvent campaign = h_.Append(founder_, CampaignBody(TestCampaign(1'000)));
  Group g = GroupWith({&h_.genesis(), &campaign});
  EXPECT_EQ(HashHex(g.StateHash()), HashHex(g.state().Hash()));
}

TEST_F(ForkTest, ForkFoundLateUndoesTheFrozenEventsEffects) {
  const VerifiedEvent campaign = h_.Append(founder_, CampaignBody(TestCampaign(1'000)));
  const VerifiedEvent pledge = h_.Append(founder_, PledgeBody(campaign.id, TestTerms(100)));
  const VerifiedEvent payment = h_.Append(founder_, PaymentBody(pledge.id, 40));
  Group g = GroupWith({&h_.genesis(), &campaign, &pledge, &payment});
  ASSERT_EQ(Fundraising(g.state()).pledges().at(pledge.id).received_minor, 40);

  const VerifiedEvent rival = h_.AppendBranch(founder_, campaign.id, PulseCheckBody());
  ASSERT_OK_AND_ASSIGN(InsertResult fork, g.Insert(rival));
  EXPECT_EQ(fork.admission, Admission::kFork);
  EXPECT_TRUE(Fundraising(g.state()).pledges().empty());
  EXPECT_EQ(Fundraising(g.state()).campaigns().at(campaign.id).pledges.size(), 0u);
  EXPECT_EQ(g.size(), 4u) << "frozen events stay in the log";
  EXPECT_TRUE(g.state().rejected_events().empty()) << "frozen events are not fold rejections";
  EXPECT_THAT(g.NoEffectReason(payment.id), ::testing::Optional(HasSubstr("forked at seq 3")));
  EXPECT_EQ(g.NoEffectReason(campaign.id), std::nullopt);

  // Later events of the frozen author are held but have no effect either.
  const VerifiedEvent later = h_.Append(founder_, CampaignBody(TestCampaign(5)));
  ASSERT_OK_AND_ASSIGN(InsertResult r, g.Insert(later));
  EXPECT_EQ(r.admission, Admission::kReady);
  EXPECT_EQ(Fundraising(g.state()).campaigns().size(), 1u);
}

TEST_F(ForkTest, LowerForkMovesTheFreezeDown) {
  const VerifiedEvent c1 = h_.Append(founder_, CampaignBody(TestCampaign(1)));
  const VerifiedEvent c2 = h_.Append(founder_, CampaignBody(TestCampaign(2)));
  const VerifiedEvent c3 = h_.Append(founder_, CampaignBody(TestCampaign(3)));
  const VerifiedEvent at3 = h_.AppendBranch(founder_, c1.id, PulseCheckBody());
  const VerifiedEvent at2 = h_.AppendBranch(founder_, h_.genesis().id, PulseCheckBody());
  const VerifiedEvent at4 = h_.AppendBranch(founder_, c2.id, PulseCheckBody());
  Group g = GroupWith({&h_.genesis(), &c1, &c2, &c3});

  ASSERT_OK_AND_ASSIGN(InsertResult r3, g.Insert(at3));
  EXPECT_TRUE(r3.new_fork_proof.has_value());
  EXPECT_EQ(g.FrozenFrom(founder_.public_key()), 3u);
  EXPECT_EQ(Fundraising(g.state()).campaigns().size(), 1u);
  ASSERT_OK_AND_ASSIGN(InsertResult r2, g.Insert(at2));
  EXPECT_TRUE(r2.new_fork_proof.has_value());
  EXPECT_EQ(g.FrozenFrom(founder_.public_key()), 2u);
  EXPECT_TRUE(Fundraising(g.state()).campaigns().empty());
  ASSERT_OK_AND_ASSIGN(InsertResult r4, g.Insert(at4));
  EXPECT_EQ(r4.admission, Admission::kFork);
  EXPECT_FALSE(r4.new_fork_proof.has_value());
  EXPECT_EQ(g.FrozenFrom(founder_.public_key()), 2u);
  ASSERT_OK_AND_ASSIGN(VerifiedForkProof kept, VerifyForkProof(g.ForkProofs().at(0)));
  EXPECT_EQ(kept.seq, 2u);
}

TEST_F(ForkTest, FrozenAuthorsBranchThatIsNotHeldHereIsIgnored) {
  const VerifiedEvent a2 = h_.Append(founder_, CampaignBody(TestCampaign(1)));
  const VerifiedEvent a3 = h_.Append(founder_, CampaignBody(TestCampaign(2)));
  const VerifiedEvent b2 = h_.AppendBranch(founder_, h_.genesis().id, PulseCheckBody());
  const VerifiedEvent b3 = h_.AppendBranch(founder_, b2.id, PulseCheckBody());
  const VerifiedEvent b4 = h_.AppendBranch(founder_, b3.id, PulseCheckBody());

  Group g = GroupWith({&h_.genesis(), &a2, &a3});
  ASSERT_OK(g.Insert(b2));
  ASSERT_EQ(g.FrozenFrom(founder_.public_key()), 2u);
  for (const VerifiedEvent* e : {&b3, &b4}) {
    ASSERT_OK_AND_ASSIGN(InsertResult r, g.Insert(*e));
    EXPECT_EQ(r.admission, Admission::kFork) << "seq " << e->seq;
    EXPECT_FALSE(r.new_fork_proof.has_value());
  }
  EXPECT_EQ(g.size(), 3u);
}

TEST_F(ForkTest, ConflictingEventWhosePrevIsUnknownWaitsForIt) {
  const VerifiedEvent a2 = h_.Append(founder_, CampaignBody(TestCampaign(1)));
  const VerifiedEvent a3 = h_.Append(founder_, CampaignBody(TestCampaign(2)));
  const VerifiedEvent b2 = h_.AppendBranch(founder_, h_.genesis().id, PulseCheckBody());
  const VerifiedEvent b3 = h_.AppendBranch(founder_, b2.id, PulseCheckBody());
  Group g = GroupWith({&h_.genesis(), &a2, &a3});

  // b3 conflicts with a3 but its prev is not a2: the fork is lower, and its event missing.
  ASSERT_OK_AND_ASSIGN(InsertResult early, g.Insert(b3));
  EXPECT_EQ(early.admission, Admission::kMissingDeps);
  EXPECT_EQ(g.FrozenFrom(founder_.public_key()), std::nullopt);
  ASSERT_OK_AND_ASSIGN(InsertResult fork, g.Insert(b2));
  EXPECT_TRUE(fork.new_fork_proof.has_value());
  ASSERT_OK_AND_ASSIGN(InsertResult retried, g.Insert(b3));
  EXPECT_EQ(retried.admission, Admission::kFork);
  EXPECT_FALSE(retried.new_fork_proof.has_value());
}

TEST_F(ForkTest, PrevThatIsNotTheAuthorsPreviousEventIsInvalid) {
  const VerifiedEvent o1 = h_.Append(outsider_, PulseCheckBody());
  Group g = GroupWith({&h_.genesis(), &o1});
  v1::Event draft = h_.Draft(founder_.public_key(), {o1.id});
  draft.set_prev(o1.id.Bytes());  // the outsider's event, not the founder's seq 1
  draft.MergeFrom(CampaignBody(TestCampaign(1)));
  const VerifiedEvent bad = SealOrDie(draft, founder_);
  EXPECT_THAT(g.Insert(bad), StatusIs(absl::StatusCode::kInvalidArgument,
                                      HasSubstr("is not the author's event seq 1")));
  EXPECT_EQ(g.size(), 2u);
}

TEST_F(ForkTest, OtherAuthorsEventsThatDependOnAFrozenEventKeepTheirEffects) {
  // The outsider forks; the founder's campaign names the frozen event as a dep and still
  // takes effect: only the forking author is frozen (DESIGN §2).
  const VerifiedEvent o1 = h_.Append(outsider_, PulseCheckBody(1));
  const VerifiedEvent rival =
      h_.AppendBranch(outsider_, std::nullopt, PulseCheckBody(2), {h_.genesis().id});
  const VerifiedEvent campaign =
      h_.AppendWithDeps(founder_, CampaignBody(TestCampaign(7)), {o1.id});
  Group g = GroupWith({&h_.genesis(), &o1});
  ASSERT_OK_AND_ASSIGN(InsertResult fork, g.Insert(rival));
  EXPECT_EQ(fork.admission, Admission::kFork);
  EXPECT_EQ(g.FrozenFrom(outsider_.public_key()), 1u);
  ASSERT_OK_AND_ASSIGN(InsertResult r, g.Insert(campaign));
  EXPECT_EQ(r.admission, Admission::kReady);
  EXPECT_EQ(Fundraising(g.state()).campaigns().count(campaign.id), 1u);
  EXPECT_EQ(g.NoEffectReason(campaign.id), std::nullopt);
}

// Regression (fork simulator seeds 100025, 100239, 100245, 100350, 100438): the fold kept
// causal clocks of the events it applied only, so an honest event lost what it had seen
// through a frozen event. A member whose acceptance a proposal saw only through the forked
// member's later event dropped out of its electorate when the fork became known, and final
// outcomes changed. Frozen events have no effect but are still what the honest author saw
// (docs/PROTOCOL.md §3.1): the fold judges causality on every held event.
TEST_F(ForkTest, Seed100245ElectorateKeepsAMemberSeenOnlyThroughAFrozenEvent) {
  const SigningKey bea = TestKey('c');
  const VerifiedEvent admit = h_.Append(founder_, AdmitBody(bea.public_key()));
  const VerifiedEvent agree = h_.Append(founder_, StanceBody(admit.id, v1::STANCE_CHOICE_AGREE));
  const VerifiedEvent ack = h_.Append(founder_, AcknowledgementBody({admit.id}));
  const VerifiedEvent accepted = h_.Append(bea, AcceptanceBody(admit.id));
  // bea's seq 2, later frozen: the founder's proposal sees bea's acceptance only through it.
  const VerifiedEvent pulse = h_.Append(bea, PulseCheckBody(4));
  const VerifiedEvent proposal =
      h_.AppendWithDeps(founder_, ProposalBody(v1::DECISION_TYPE_ADOPT_STRATEGY), {pulse.id});
  const VerifiedEvent rival = h_.AppendBranch(bea, accepted.id, PulseCheckBody(1));
  const v1::ForkProof proof = MakeForkProof(pulse, rival);
  const std::vector<const VerifiedEvent*> events = {&h_.genesis(), &admit, &agree,   &ack,
                                                    &accepted,     &pulse, &proposal};

  Group g = GroupWith(events);
  auto electorate_size = [&proposal](const Group& group) {
    return Governance(group.state()).proposals().at(proposal.id).electorate.size();
  };
  ASSERT_EQ(electorate_size(g), 2u);
  ASSERT_OK_AND_ASSIGN(bool changed, g.AddForkProof(proof));
  ASSERT_TRUE(changed);
  ASSERT_EQ(g.FrozenFrom(bea.public_key()), 2u);
  EXPECT_EQ(electorate_size(g), 2u) << "bea's acceptance is in the proposal's causal past";

  // A node that knew the fork before it received the events agrees.
  Group proof_first(h_.group());
  ASSERT_OK(proof_first.Insert(h_.genesis()).status());
  ASSERT_OK(proof_first.AddForkProof(proof).status());
  for (size_t i = 1; i < events.size(); ++i) {
    ASSERT_OK_AND_ASSIGN(InsertResult r, proof_first.Insert(*events[i]));
    ASSERT_EQ(r.admission, Admission::kReady) << i;
  }
  EXPECT_EQ(electorate_size(proof_first), 2u);
  EXPECT_EQ(HashHex(proof_first.StateHash()), HashHex(g.StateHash()));
}

TEST_F(ForkTest, GenesisIsNeverFrozen) {
  // The founder signs a second seq-1 event for its own group: a fork at seq 1. The genesis is
  // the group's identity and keeps its effect; everything else of the founder is frozen.
  const VerifiedEvent c2 = h_.Append(founder_, CampaignBody(TestCampaign(1)));
  const VerifiedEvent rival =
      h_.AppendBranch(founder_, std::nullopt, CampaignBody(TestCampaign(2)));
  Group g = GroupWith({&h_.genesis(), &c2});
  ASSERT_OK_AND_ASSIGN(InsertResult fork, g.Insert(rival));
  EXPECT_EQ(fork.admission, Admission::kFork);
  EXPECT_EQ(g.FrozenFrom(founder_.public_key()), 1u);
  EXPECT_TRUE(g.state().roster().has_charter());
  EXPECT_TRUE(Fundraising(g.state()).campaigns().empty());
  EXPECT_FALSE(g.IsFrozen(h_.genesis()));
  EXPECT_TRUE(g.IsFrozen(c2));
}

TEST_F(ForkTest, DraftDependsOnAFrozenMembersLastEventBeforeTheFork) {
  const VerifiedEvent c2 = h_.Append(founder_, CampaignBody(TestCampaign(1)));
  const VerifiedEvent c3 = h_.Append(founder_, CampaignBody(TestCampaign(2)));
  const VerifiedEvent c4 = h_.Append(founder_, CampaignBody(TestCampaign(3)));
  const VerifiedEvent rival = h_.AppendBranch(founder_, c2.id, PulseCheckBody());
  Group g = GroupWith({&h_.genesis(), &c2, &c3, &c4});
  v1::Event before = g.Draft(outsider_.public_key(), Hlc{9'000, 0});
  ASSERT_EQ(before.deps_size(), 1);
  EXPECT_EQ(before.deps(0), c4.id.Bytes());
  ASSERT_OK(g.Insert(rival));
  v1::Event after = g.Draft(outsider_.public_key(), Hlc{9'000, 0});
  ASSERT_EQ(after.deps_size(), 1);
  EXPECT_EQ(after.deps(0), c2.id.Bytes());
}

TEST_F(ForkTest, CheckNextRefusesAFrozenAuthor) {
  const VerifiedEvent c2 = h_.Append(founder_, CampaignBody(TestCampaign(1)));
  const VerifiedEvent rival =
      h_.AppendBranch(founder_, h_.genesis().id, CampaignBody(TestCampaign(2)));
  Group g = GroupWith({&h_.genesis(), &c2});
  ASSERT_OK(g.Insert(rival));
  v1::Event next = g.Draft(founder_.public_key(), Hlc{9'000, 0});
  next.MergeFrom(CampaignBody(TestCampaign(3)));
  EXPECT_THAT(g.CheckNext(SealOrDie(next, founder_)),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("forked at seq 2")));
}

TEST_F(ForkTest, ProofReceivedOnItsOwnFreezesLikeADetectedFork) {
  const VerifiedEvent c2 = h_.Append(founder_, CampaignBody(TestCampaign(1)));
  const VerifiedEvent rival =
      h_.AppendBranch(founder_, h_.genesis().id, CampaignBody(TestCampaign(2)));
  Group detected = GroupWith({&h_.genesis(), &c2});
  ASSERT_OK_AND_ASSIGN(InsertResult fork, detected.Insert(rival));
  ASSERT_TRUE(fork.new_fork_proof.has_value());

  // The proof in reversed order is accepted and stored canonically.
  v1::ForkProof reversed;
  *reversed.mutable_first() = fork.new_fork_proof->second();
  *reversed.mutable_second() = fork.new_fork_proof->first();
  Group told = GroupWith({&h_.genesis(), &c2});
  ASSERT_OK_AND_ASSIGN(bool changed, told.AddForkProof(reversed));
  EXPECT_TRUE(changed);
  EXPECT_EQ(ProofBytes(told.ForkProofs().at(0)), ProofBytes(*fork.new_fork_proof));
  EXPECT_EQ(HashHex(told.StateHash()), HashHex(detected.StateHash()));
  ASSERT_OK_AND_ASSIGN(bool again, told.AddForkProof(*fork.new_fork_proof));
  EXPECT_FALSE(again);

  // A node that holds none of the author's later events freezes too (the proof's events are
  // not inserted).
  Group bare = GroupWith({&h_.genesis()});
  ASSERT_OK_AND_ASSIGN(bool bare_changed, bare.AddForkProof(reversed));
  EXPECT_TRUE(bare_changed);
  EXPECT_EQ(bare.size(), 1u);
  EXPECT_EQ(bare.FrozenFrom(founder_.public_key()), 2u);
}

TEST_F(ForkTest, InvalidProofsAreRefused) {
  const VerifiedEvent c2 = h_.Append(founder_, CampaignBody(TestCampaign(1)));
  const VerifiedEvent c3 = h_.Append(founder_, CampaignBody(TestCampaign(2)));
  const VerifiedEvent rival = h_.AppendBranch(founder_, h_.genesis().id, PulseCheckBody());
  const VerifiedEvent o1 = h_.Append(outsider_, PulseCheckBody());
  HistoryBuilder other(founder_, TestCharter("Another group"));
  const VerifiedEvent elsewhere = other.Append(founder_, CampaignBody(TestCampaign(1)));
  Group g = GroupWith({&h_.genesis(), &c2});

  auto proof = [](const VerifiedEvent& a, const VerifiedEvent& b) {
    v1::ForkProof p;
    *p.mutable_first() = a.ToSignedEvent();
    *p.mutable_second() = b.ToSignedEvent();
    return p;
  };
  const auto kInvalid = absl::StatusCode::kInvalidArgument;
  EXPECT_THAT(g.AddForkProof(proof(c2, c3)), StatusIs(kInvalid, HasSubstr("different seqs")));
  EXPECT_THAT(g.AddForkProof(proof(c2, c2)), StatusIs(kInvalid, HasSubstr("twice")));
  EXPECT_THAT(g.AddForkProof(proof(c2, o1)), StatusIs(kInvalid, HasSubstr("different authors")));
  EXPECT_THAT(g.AddForkProof(proof(c2, elsewhere)),
              StatusIs(kInvalid, HasSubstr("different groups")));
  v1::ForkProof missing;
  *missing.mutable_first() = c2.ToSignedEvent();
  EXPECT_THAT(g.AddForkProof(missing),
              StatusIs(kInvalid, HasSubstr("fork_proof.second is missing")));
  v1::ForkProof forged = proof(c2, rival);
  // Signed by another key: the author's signature does not verify.
  *forged.mutable_second() = SignUnchecked(rival.event, outsider_);
  EXPECT_THAT(g.AddForkProof(forged), StatusIs(kInvalid, HasSubstr("fork_proof.second: event")));
  // A valid proof, but of another group.
  const VerifiedEvent elsewhere_rival =
      other.AppendBranch(founder_, other.genesis().id, PulseCheckBody());
  EXPECT_THAT(g.AddForkProof(proof(elsewhere, elsewhere_rival)),
              StatusIs(kInvalid, HasSubstr("not " + h_.group().ShortHex())));
  EXPECT_TRUE(g.forks().empty());
}

// Regression: a member frozen by a fork could never settle (its events past the fork have no
// effect), so a proposal with it in the electorate stayed provisional forever.
TEST(ForkFinalityTest, FrozenMemberDoesNotHoldUpFinality) {
  const SigningKey founder = TestKey('a');
  const SigningKey bea = TestKey('b');
  HistoryBuilder h(founder, TestCharter());
  Group g(h.group());
  auto put = [&g](const VerifiedEvent& e) {
    absl::StatusOr<InsertResult> r = g.Insert(e);
    ASSERT_TRUE(r.ok()) << r.status();
    ASSERT_EQ(r->admission, Admission::kReady);
  };
  put(h.genesis());
  const VerifiedEvent admit = h.Append(founder, AdmitBody(bea.public_key()));
  put(admit);
  put(h.Append(founder, StanceBody(admit.id, v1::STANCE_CHOICE_AGREE)));
  put(h.Append(founder, AcknowledgementBody({admit.id})));
  const VerifiedEvent accepted = h.Append(bea, AcceptanceBody(admit.id));
  put(accepted);
  // A consent proposal decided by founder and bea; the founder agrees, closes, acknowledges.
  const VerifiedEvent proposal = h.Append(founder, ProposalBody(v1::DECISION_TYPE_ADOPT_STRATEGY));
  put(proposal);
  ASSERT_EQ(Governance(g.state()).proposals().at(proposal.id).electorate.size(), 2u);
  put(h.Append(founder, StanceBody(proposal.id, v1::STANCE_CHOICE_AGREE)));
  put(h.Append(founder, ProposalCloseBody(proposal.id)));
  put(h.Append(founder, AcknowledgementBody({proposal.id})));
  ASSERT_FALSE(Governance(g.state()).Outcome(g.state(), proposal.id)->final) << "bea has no event after the close";
  // bea forks right after its acceptance; this node learns it from a proof alone.
  const VerifiedEvent one = h.AppendBranch(bea, accepted.id, PulseCheckBody(4));
  const VerifiedEvent two = h.AppendBranch(bea, accepted.id, PulseCheckBody(2));
  ASSERT_OK_AND_ASSIGN(bool changed, g.AddForkProof(MakeForkProof(one, two)));
  ASSERT_TRUE(changed);
  const ProposalOutcome outcome = *Governance(g.state()).Outcome(g.state(), proposal.id);
  EXPECT_TRUE(outcome.final);
  EXPECT_EQ(outcome.outcome, DecisionOutcome::kPassed);
}

}  // namespace
}  // namespace constellation::core
