// tests/unit/acknowledgement_test.cc
//
// GroupState::AcknowledgementsDue (server/core/group_state.h, DESIGN §3 "automatic
// acknowledgement"): which proposals a member's node should acknowledge at a query time. A
// proposal is due when it is not final, closed by the events (every deciding member voted, or
// the proposer closed it) or past its deadline at now_ms, the member is its proposer or a
// deciding member of its electorate, and the member holds no event after the close yet.
// Events are applied in the order written, a causal order.
#include <algorithm>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "server/core/fold/group_state.h"
#include "server/core/governance/governance_ledger.h"
#include "tests/testing/event_factory.h"
#include "tests/testing/status_matchers.h"

namespace constellation::core {
namespace {

using ::constellation::testing::AcceptanceBody;
using ::constellation::testing::AcknowledgementBody;
using ::constellation::testing::AdmitBody;
using ::constellation::testing::CampaignBody;
using ::constellation::testing::HistoryBuilder;
using ::constellation::testing::MakeDecisionRule;
using ::constellation::testing::ProposalBody;
using ::constellation::testing::ProposalCloseBody;
using ::constellation::testing::PulseCheckBody;
using ::constellation::testing::StanceBody;
using ::constellation::testing::TestCampaign;
using ::constellation::testing::TestCharter;
using ::constellation::testing::TestKey;
using ::constellation::testing::WithdrawalBody;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;

constexpr v1::StanceChoice kAgree = v1::STANCE_CHOICE_AGREE;
constexpr v1::DecisionType kStrategy = v1::DECISION_TYPE_ADOPT_STRATEGY;
// A query time long before any default deadline (the events are stamped a few ms after 1000).
constexpr uint64_t kEarlyMs = 2'000;

// A group whose founder (a) admits members by consent and whose strategies are decided by
// majority; coordinators do not vote.
class AcknowledgementsDueTest : public ::testing::Test {
 protected:
  static v1::Charter Charter() {
    v1::Charter c = TestCharter();
    *c.add_decision_rules() =
        MakeDecisionRule(v1::DECISION_TYPE_ADMIT, v1::DECISION_PROCESS_CONSENT);
    *c.add_decision_rules() = MakeDecisionRule(kStrategy, v1::DECISION_PROCESS_MAJORITY);
    return c;
  }

  AcknowledgementsDueTest() : history_(founder_, Charter()), state_(history_.group()) {
    state_.Apply(history_.genesis());
    writers_.push_back(&founder_);
  }

  EventId Ok(const SigningKey& author, const v1::Event& body) {
    return Put(history_.Append(author, body));
  }
  EventId OkAt(const SigningKey& author, const v1::Event& body, uint64_t wall_ms) {
    return Put(history_.AppendAt(author, body, Hlc{wall_ms, 0}));
  }
  EventId Put(const VerifiedEvent& e) {
    absl::Status verdict = state_.Check(e);
    EXPECT_TRUE(verdict.ok()) << verdict;
    state_.Apply(e);
    return e.id;
  }

  // Admits `invitee` by a consent decision (proposed and closed by the founder, acknowledged
  // by every writer, accepted): it leaves nothing to acknowledge behind.
  void Admit(const SigningKey& invitee, v1::Role role = v1::ROLE_PARTNER) {
    EventId p = Ok(founder_, AdmitBody(invitee.public_key(), role));
    Ok(founder_, ProposalCloseBody(p));
    for (const SigningKey* w : writers_) Ok(*w, AcknowledgementBody({p}));
    ASSERT_TRUE(Governance(state_).Outcome(state_, p)->final);
    Ok(invitee, AcceptanceBody(p));
    if (role != v1::ROLE_OBSERVER) writers_.push_back(&invitee);
  }

  std::vector<EventId> Due(const SigningKey& member, uint64_t now_ms = kEarlyMs) const {
    return Governance(state_).AcknowledgementsDue(state_, member.public_key(), now_ms);
  }

  const SigningKey founder_ = TestKey('a');
  const SigningKey bea_ = TestKey('b');
  const SigningKey cal_ = TestKey('c');
  const SigningKey dee_ = TestKey('d');
  const SigningKey outsider_ = TestKey('x');
  HistoryBuilder history_;
  GroupState state_;
  std::vector<const SigningKey*> writers_;
};

TEST_F(AcknowledgementsDueTest, NothingDueWithoutProposals) {
  EXPECT_THAT(Due(founder_), IsEmpty());
  EXPECT_THAT(Due(founder_, UINT64_MAX), IsEmpty());
  Admit(bea_);
  // The admission is final: nothing is left to acknowledge, at any time.
  EXPECT_THAT(Due(founder_, UINT64_MAX), IsEmpty());
  EXPECT_THAT(Due(bea_, UINT64_MAX), IsEmpty());
  EXPECT_THAT(Due(outsider_, UINT64_MAX), IsEmpty());
}

TEST_F(AcknowledgementsDueTest, OpenProposalIsNotDueBeforeItCloses) {
  Admit(bea_);
  EventId p = Ok(founder_, ProposalBody(kStrategy));
  Ok(founder_, StanceBody(p, kAgree));  // bea has not voted: still open
  ASSERT_FALSE(Governance(state_).Outcome(state_, p)->closed);
  EXPECT_THAT(Due(founder_), IsEmpty());
  EXPECT_THAT(Due(bea_), IsEmpty());
}

TEST_F(AcknowledgementsDueTest, DueOnceEveryDecidingMemberVoted) {
  Admit(bea_);
  EventId p = Ok(founder_, ProposalBody(kStrategy));
  Ok(founder_, StanceBody(p, kAgree));
  Ok(bea_, StanceBody(p, kAgree));
  ASSERT_TRUE(Governance(state_).Outcome(state_, p)->closed);
  ASSERT_EQ(Governance(state_).Outcome(state_, p)->close.reason, CloseReason::kAllVoted);
  // The close is bea's stance: neither holds an event after it yet.
  EXPECT_THAT(Due(founder_), ElementsAre(p));
  EXPECT_THAT(Due(bea_), ElementsAre(p));
  // The founder's acknowledgement settles it for the founder only.
  Ok(founder_, AcknowledgementBody({p}));
  EXPECT_THAT(Due(founder_), IsEmpty());
  EXPECT_THAT(Due(bea_), ElementsAre(p));
  EXPECT_FALSE(Governance(state_).Outcome(state_, p)->final);
}

TEST_F(AcknowledgementsDueTest, DueOnceTheProposerCloses) {
  Admit(bea_);
  EventId p = Ok(founder_, ProposalBody(kStrategy));
  EXPECT_THAT(Due(founder_), IsEmpty());
  Ok(founder_, ProposalCloseBody(p));
  ASSERT_EQ(Governance(state_).Outcome(state_, p)->close.reason, CloseReason::kProposer);
  EXPECT_THAT(Due(founder_), ElementsAre(p));
  EXPECT_THAT(Due(bea_), ElementsAre(p));
  // Any event after the close settles it, not only an acknowledgement.
  Ok(bea_, CampaignBody(TestCampaign(1'000)));
  EXPECT_THAT(Due(bea_), IsEmpty());
  EXPECT_THAT(Due(founder_), ElementsAre(p));
}

TEST_F(AcknowledgementsDueTest, DueFromTheDeadlineByTheQueryTime) {
  Admit(bea_);
  EventId p = OkAt(founder_, ProposalBody(kStrategy, 50'000), 40'000);
  OkAt(bea_, StanceBody(p, kAgree), 41'000);
  // No event closes it; only the query time passes the deadline.
  ASSERT_FALSE(Governance(state_).Outcome(state_, p)->closed);
  EXPECT_THAT(Due(founder_, 49'999), IsEmpty());
  EXPECT_THAT(Due(bea_, 49'999), IsEmpty());
  EXPECT_THAT(Due(founder_, 50'000), ElementsAre(p));
  EXPECT_THAT(Due(bea_, 50'000), ElementsAre(p));
  EXPECT_THAT(Due(bea_, 90'000), ElementsAre(p));
  // An event appended at now_ms settles it (and closes the proposal by its stamp).
  OkAt(bea_, AcknowledgementBody({p}), 50'000);
  EXPECT_THAT(Due(bea_, 50'000), IsEmpty());
  EXPECT_THAT(Due(founder_, 50'000), ElementsAre(p));
  OkAt(founder_, AcknowledgementBody({p}), 50'001);
  EXPECT_TRUE(Governance(state_).Outcome(state_, p)->final);
  EXPECT_THAT(Due(founder_, 50'001), IsEmpty());
}

TEST_F(AcknowledgementsDueTest, NotDueOutsideTheElectorateUnlessProposer) {
  Admit(bea_);
  Admit(cal_, v1::ROLE_COORDINATOR);  // writes, but does not vote under this rule
  Admit(dee_, v1::ROLE_OBSERVER);
  EventId p = Ok(founder_, ProposalBody(kStrategy));
  ASSERT_FALSE(Governance(state_).proposals().at(p).electorate.contains(cal_.public_key()));
  Ok(founder_, ProposalCloseBody(p));
  EXPECT_THAT(Due(founder_), ElementsAre(p));
  EXPECT_THAT(Due(bea_), ElementsAre(p));
  EXPECT_THAT(Due(cal_), IsEmpty());
  EXPECT_THAT(Due(dee_), IsEmpty());
  EXPECT_THAT(Due(outsider_), IsEmpty());
  // The coordinator's own proposal is due for it (its acknowledgement makes it final).
  EventId q = Ok(cal_, ProposalBody(kStrategy));
  ASSERT_FALSE(Governance(state_).proposals().at(q).electorate.contains(cal_.public_key()));
  Ok(cal_, ProposalCloseBody(q));
  EXPECT_THAT(Due(cal_), ElementsAre(q));
}

TEST_F(AcknowledgementsDueTest, NotDueOnceFinal) {
  Admit(bea_);
  EventId p = Ok(founder_, ProposalBody(kStrategy));
  Ok(founder_, ProposalCloseBody(p));
  ASSERT_THAT(Due(bea_), ElementsAre(p));
  Ok(bea_, AcknowledgementBody({p}));
  Ok(founder_, AcknowledgementBody({p}));
  ASSERT_TRUE(Governance(state_).Outcome(state_, p)->final);
  EXPECT_THAT(Due(founder_, UINT64_MAX), IsEmpty());
  EXPECT_THAT(Due(bea_, UINT64_MAX), IsEmpty());
}

// Regression (soak seed 200058 at 1500 steps, session 12): the founder proposes alone, withdraws
// and is readmitted; no one else in the proposal's electorate can pass its deadline, so the
// founder still owes the acknowledgement that closes it (PROTOCOL §5.6: it holds no event of its
// own after the close), although its withdrawal settled the membership the proposal saw.
TEST_F(AcknowledgementsDueTest, AReadmittedProposerStillClosesWhatItProposedBefore) {
  constexpr uint64_t kDeadlineMs = 50'000;
  const EventId p = Ok(founder_, ProposalBody(kStrategy, kDeadlineMs));
  Admit(bea_);  // after p: not in its electorate
  Ok(founder_, WithdrawalBody());
  const EventId again = Ok(bea_, AdmitBody(founder_.public_key()));
  Ok(bea_, ProposalCloseBody(again));
  Ok(bea_, AcknowledgementBody({again}));
  ASSERT_TRUE(Governance(state_).Outcome(state_, again)->final);
  Ok(founder_, AcceptanceBody(again));
  // bea writes past the deadline; it is not in p's electorate, so p stays open.
  OkAt(bea_, PulseCheckBody(), kDeadlineMs + 1'000);
  ASSERT_FALSE(Governance(state_).Outcome(state_, p)->closed);
  EXPECT_THAT(Due(founder_, kDeadlineMs - 1), IsEmpty());
  EXPECT_THAT(Due(founder_, kDeadlineMs + 2'000), ElementsAre(p));
  OkAt(founder_, AcknowledgementBody({p}), kDeadlineMs + 2'000);
  EXPECT_TRUE(Governance(state_).Outcome(state_, p)->final);
  EXPECT_THAT(Due(founder_, UINT64_MAX), IsEmpty());
}

TEST_F(AcknowledgementsDueTest, OrderedById) {
  Admit(bea_);
  std::vector<EventId> written;
  for (int i = 0; i < 6; ++i) written.push_back(Ok(founder_, ProposalBody(kStrategy)));
  for (const EventId& p : written) Ok(founder_, ProposalCloseBody(p));
  std::vector<EventId> sorted = written;
  std::sort(sorted.begin(), sorted.end());
  ASSERT_NE(sorted, written) << "the ids happen to be in write order; the test shows nothing";
  EXPECT_THAT(Due(bea_), ElementsAreArray(sorted));
  // Each of the founder's later closes is an event after the earlier closes: only the last
  // proposal is left for the founder.
  EXPECT_THAT(Due(founder_), ElementsAre(written.back()));
}

}  // namespace
}  // namespace constellation::core
