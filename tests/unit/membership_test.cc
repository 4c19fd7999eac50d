// tests/unit/membership_test.cc
//
// Membership records in the fold (GroupState, docs/PROTOCOL.md §5): admission by a final
// decision and the invitee's acceptance, notice, withdrawal, expulsion by decision, what a
// removed member's events can still do, and the concurrent-removal rules of DESIGN §3.
// The charter uses the default decision rules (ADMIT: supermajority 2/3 with quorum 2/3;
// EXPEL: unanimity of the others). Events are applied in the order written, a causal order.
#include <optional>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "server/core/dag.h"
#include "server/core/fold/group_state.h"
#include "server/core/fundraising/fundraising_ledger.h"
#include "server/core/governance/governance_ledger.h"
#include "server/core/group.h"
#include "tests/testing/event_factory.h"
#include "tests/testing/status_matchers.h"

namespace constellation::core {
namespace {

using ::constellation::testing::AcceptanceBody;
using ::constellation::testing::AcknowledgementBody;
using ::constellation::testing::AdmitBody;
using ::constellation::testing::CampaignBody;
using ::constellation::testing::ExpelBody;
using ::constellation::testing::HashHex;
using ::constellation::testing::HistoryBuilder;
using ::constellation::testing::NoticeBody;
using ::constellation::testing::PledgeBody;
using ::constellation::testing::ProposalBody;
using ::constellation::testing::ProposalCloseBody;
using ::constellation::testing::StanceBody;
using ::constellation::testing::StatusIs;
using ::constellation::testing::TestCampaign;
using ::constellation::testing::TestCharter;
using ::constellation::testing::TestKey;
using ::constellation::testing::TestTerms;
using ::constellation::testing::WithdrawalBody;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr v1::StanceChoice kAgree = v1::STANCE_CHOICE_AGREE;
constexpr v1::StanceChoice kBlock = v1::STANCE_CHOICE_BLOCK;
constexpr v1::StanceChoice kDisagree = v1::STANCE_CHOICE_DISAGREE;
constexpr uint32_t kNoticeDays = 30;

v1::Charter MembershipCharter() {
  v1::Charter c = TestCharter();
  c.set_withdrawal_notice_days(kNoticeDays);
  return c;
}

class MembershipTest : public ::testing::Test {
 protected:
  MembershipTest() : history_(founder_, MembershipCharter()), state_(history_.group()) {
    state_.Apply(history_.genesis());
    writers_.push_back(&founder_);
  }

  absl::Status Put(const VerifiedEvent& e) {
    absl::Status verdict = state_.Check(e);
    state_.Apply(e);
    auto rejected = state_.rejected_events().find(e.id);
    if (verdict.ok()) {
      EXPECT_EQ(rejected, state_.rejected_events().end()) << "accepted event listed as rejected";
    } else if (rejected == state_.rejected_events().end()) {
      ADD_FAILURE() << "rejected event not listed: " << verdict;
    } else {
      EXPECT_EQ(rejected->second, verdict.message());
    }
    last_ = e;
    return verdict;
  }
  absl::Status Write(const SigningKey& author, const v1::Event& body) {
    return Put(history_.Append(author, body));
  }
  absl::Status WriteAt(const SigningKey& author, const v1::Event& body, uint64_t wall_ms) {
    return Put(history_.AppendAt(author, body, Hlc{wall_ms, 0}));
  }
  EventId Ok(const SigningKey& author, const v1::Event& body) {
    absl::Status s = Write(author, body);
    EXPECT_TRUE(s.ok()) << s;
    return last_.id;
  }

  // Every writer agrees with `p` (all voted: it closes) and then acknowledges it (final).
  void AllAgreeAndAck(const EventId& p, const SigningKey* except = nullptr) {
    for (const SigningKey* w : writers_) {
      if (w != except) Ok(*w, StanceBody(p, kAgree));
    }
    for (const SigningKey* w : writers_) Ok(*w, AcknowledgementBody({p}));
  }

  // Admits `invitee` through an ADMIT decision every writer agrees with; returns the proposal.
  EventId Admit(const SigningKey& invitee, v1::Role role = v1::ROLE_PARTNER) {
    EventId p = Ok(founder_, AdmitBody(invitee.public_key(), role));
    AllAgreeAndAck(p);
    EXPECT_TRUE(Governance(state_).Outcome(state_, p)->final);
    Ok(invitee, AcceptanceBody(p));
    if (role != v1::ROLE_OBSERVER) writers_.push_back(&invitee);
    return p;
  }

  // Expels `member` through an EXPEL decision every other writer agrees with.
  EventId Expel(const SigningKey& member) {
    EventId x = Ok(founder_, ExpelBody(member.public_key()));
    std::vector<const SigningKey*> others;
    for (const SigningKey* w : writers_) {
      if (w != &member) others.push_back(w);
    }
    for (const SigningKey* w : others) Ok(*w, StanceBody(x, kAgree));
    for (const SigningKey* w : others) Ok(*w, AcknowledgementBody({x}));
    EXPECT_TRUE(Governance(state_).Outcome(state_, x)->final);
    std::erase(writers_, &member);
    return x;
  }

  // Seeds 100465 and the review of the membership spans: dee agrees with a proposal, then ends
  // its membership by its own chain with `ending` (bodies with hlc offsets; a stance body with
  // an empty proposal id stands for "agree again with the proposal"), which no one else sees.
  // The others agree from offset `others_at` (so the close is later than dee's ending), expel
  // dee and acknowledge both. Fed with dee's ending first and last, the proposal is final and
  // passed with the same tally: dee's own chain settles it, whether or not the ending took
  // effect (it does not where the expulsion sorts first).
  void ExpectChainEndSettlesExpelledVoter(const std::vector<std::pair<v1::Event, uint64_t>>& ending,
                                          uint64_t others_at) {
    Admit(bea_);
    Admit(cal_);
    Admit(dee_);
    const uint64_t t = last_.hlc.wall_ms + 1'000;
    const size_t before = history_.events().size();
    const VerifiedEvent p =
        history_.AppendAt(founder_, ProposalBody(v1::DECISION_TYPE_ADOPT_STRATEGY), Hlc{t, 0});
    const VerifiedEvent dee_stance =
        history_.AppendAt(dee_, StanceBody(p.id, kAgree), Hlc{t + 10, 0});
    std::vector<VerifiedEvent> dee_ending;
    for (auto [body, offset] : ending) {
      if (body.has_stance()) body = StanceBody(p.id, kAgree);
      dee_ending.push_back(history_.AppendWithDeps(dee_, body, {p.id}, Hlc{t + offset, 0}));
    }
    std::vector<VerifiedEvent> rest;  // written without seeing dee's ending, later by hlc
    auto write = [&](const SigningKey& author, const v1::Event& body) {
      std::vector<EventId> deps = {dee_stance.id};
      for (const SigningKey* k : {&founder_, &bea_, &cal_}) {
        if (k != &author) deps.push_back(history_.Chain(k->public_key()).back());
      }
      rest.push_back(
          history_.AppendWithDeps(author, body, deps, Hlc{t + others_at + 10 * rest.size(), 0}));
      return rest.back().id;
    };
    for (const SigningKey* k : {&founder_, &bea_, &cal_}) write(*k, StanceBody(p.id, kAgree));
    const EventId x = write(founder_, ExpelBody(dee_.public_key()));
    for (const SigningKey* k : {&founder_, &bea_, &cal_}) write(*k, StanceBody(x, kAgree));
    for (const SigningKey* k : {&founder_, &bea_, &cal_}) {
      write(*k, AcknowledgementBody({x, p.id}));
    }
    std::vector<const VerifiedEvent*> ending_first = {&p, &dee_stance};
    std::vector<const VerifiedEvent*> ending_last = {&p, &dee_stance};
    for (const VerifiedEvent& e : dee_ending) ending_first.push_back(&e);
    for (const VerifiedEvent& e : rest) {
      ending_first.push_back(&e);
      ending_last.push_back(&e);
    }
    for (const VerifiedEvent& e : dee_ending) ending_last.push_back(&e);
    std::vector<Tally> tallies;
    for (const auto& order : {ending_first, ending_last}) {
      GroupState g(history_.group());
      for (size_t i = 0; i < before; ++i) g.Apply(history_.events()[i]);
      for (const VerifiedEvent* e : order) g.Apply(*e);
      absl::StatusOr<ProposalOutcome> o = Governance(g).Outcome(g, p.id);
      ASSERT_TRUE(o.ok());
      EXPECT_TRUE(o->final) << "dee's own chain settles it";
      EXPECT_EQ(o->outcome, DecisionOutcome::kPassed);
      if (order == ending_last) {
        EXPECT_EQ(g.roster().members().at(dee_.public_key()).status, MemberStatus::kExpelled)
            << "the expulsion sorted first: dee's ending had no effect";
      }
      tallies.push_back(o->tally);
    }
    EXPECT_EQ(tallies[0], tallies[1]);
  }

  const MemberState& Member(const SigningKey& key) {
    return state_.roster().members().at(key.public_key());
  }

  const SigningKey founder_ = TestKey('a');
  const SigningKey bea_ = TestKey('b');
  const SigningKey cal_ = TestKey('c');
  const SigningKey dee_ = TestKey('d');
  const SigningKey outsider_ = TestKey('x');
  HistoryBuilder history_;
  GroupState state_;
  VerifiedEvent last_;
  std::vector<const SigningKey*> writers_;
};

TEST_F(MembershipTest, AdmissionEndToEnd) {
  // The founder proposes to admit bea (from bea's org card) as a funder with weight 2.
  v1::Event admit = AdmitBody(bea_.public_key(), v1::ROLE_PARTNER, 2);
  admit.mutable_proposal()->mutable_admit()->set_segment(v1::SEGMENT_FUNDER);
  EventId p = Ok(founder_, admit);
  EXPECT_FALSE(Governance(state_).proposals().at(p).rule_from_charter);
  EXPECT_EQ(Governance(state_).proposals().at(p).rule.process(),
            v1::DECISION_PROCESS_SUPERMAJORITY);
  // The founder agrees: every member has voted, so it closes, passed but provisional.
  EventId vote = Ok(founder_, StanceBody(p, kAgree));
  ProposalOutcome o = *Governance(state_).Outcome(state_, p);
  EXPECT_TRUE(o.closed);
  EXPECT_EQ(o.close.hlc, history_.Get(vote).hlc);
  EXPECT_EQ(o.outcome, DecisionOutcome::kPassed);
  EXPECT_FALSE(o.final);
  EXPECT_THAT(Write(bea_, AcceptanceBody(p)),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("not final yet")));
  EXPECT_FALSE(state_.roster().members().contains(bea_.public_key()));
  EXPECT_THAT(Governance(state_).Invitations(state_), IsEmpty()) << "not invited until final";
  // The founder's next event (its automatic acknowledgement) makes it final.
  EventId ack = Ok(founder_, AcknowledgementBody({p}));
  o = *Governance(state_).Outcome(state_, p);
  EXPECT_TRUE(o.final);
  EXPECT_EQ(*o.final_at, ack);
  EXPECT_TRUE(Governance(state_).proposals().at(p).effect_applied);
  // Invited (PROTOCOL §5.2 step 5): with the profile the admission states; no member yet.
  std::vector<const ProposalState*> invited = Governance(state_).Invitations(state_);
  ASSERT_EQ(invited.size(), 1u);
  EXPECT_EQ(invited[0]->id, p);
  EXPECT_EQ(*invited[0]->target, bea_.public_key());
  const v1::MemberProfile stated = AdmittedProfile(invited[0]->proposal.admit());
  EXPECT_EQ(stated.role(), v1::ROLE_PARTNER);
  EXPECT_EQ(stated.segment(), v1::SEGMENT_FUNDER);
  EXPECT_EQ(stated.voting_weight(), 2u);
  EXPECT_FALSE(state_.roster().members().contains(bea_.public_key()));
  // bea accepts: a member with what the members decided, and its own name and endpoints.
  v1::Event accept = AcceptanceBody(p, "Tide Lab");
  accept.mutable_membership_acceptance()->mutable_profile()->set_role(v1::ROLE_LEAD);
  accept.mutable_membership_acceptance()->mutable_profile()->set_voting_weight(9);
  EventId joined = Ok(bea_, accept);
  const MemberState& m = Member(bea_);
  EXPECT_EQ(m.status, MemberStatus::kActive);
  EXPECT_EQ(m.profile.name(), "Tide Lab");
  EXPECT_EQ(m.profile.endpoints_size(), 1);
  EXPECT_EQ(m.profile.role(), v1::ROLE_PARTNER);
  EXPECT_EQ(m.profile.segment(), v1::SEGMENT_FUNDER);
  EXPECT_EQ(m.profile.voting_weight(), 2u);
  EXPECT_EQ(m.joined_event, joined);
  EXPECT_EQ(m.profile_event, joined);
  EXPECT_EQ(*m.admitted_by, p);
  EXPECT_EQ(*Governance(state_).proposals().at(p).acceptance, joined);
  EXPECT_THAT(Governance(state_).Invitations(state_), IsEmpty()) << "joined: no longer invited";
  EXPECT_TRUE(state_.roster().IsActiveWriter(bea_.public_key()));
  EXPECT_EQ(DeriveMemberStatus(m, UINT64_MAX), MemberStatus::kActive);
  // bea can now pledge.
  EventId campaign = Ok(founder_, CampaignBody(TestCampaign(100'000)));
  EventId pledge = Ok(bea_, PledgeBody(campaign, TestTerms(2'500)));
  EXPECT_EQ(Fundraising(state_).pledges().at(pledge).pledger, bea_.public_key());
  // A second acceptance, or a new admission of a member, changes nothing.
  EXPECT_THAT(Write(bea_, AcceptanceBody(p)), StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_THAT(Write(founder_, AdmitBody(bea_.public_key())),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("already a member")));
}

TEST_F(MembershipTest, TheOrgCardFillsWhatTheAcceptanceLeavesOut) {
  v1::Event admit = AdmitBody(bea_.public_key());
  v1::OrgCard* card = admit.mutable_proposal()->mutable_admit()->mutable_card();
  card->set_name("Tide Lab (card)");
  card->add_endpoints("tide.example:7400");
  EventId p = Ok(founder_, admit);
  AllAgreeAndAck(p);
  v1::Event accept = AcceptanceBody(p, "");
  accept.mutable_membership_acceptance()->mutable_profile()->clear_endpoints();
  Ok(bea_, accept);
  EXPECT_EQ(Member(bea_).profile.name(), "Tide Lab (card)");
  ASSERT_EQ(Member(bea_).profile.endpoints_size(), 1);
  EXPECT_EQ(Member(bea_).profile.endpoints(0), "tide.example:7400");
}

TEST_F(MembershipTest, OnlyTheInviteeAcceptsAPassedFinalAdmission) {
  Admit(bea_);
  EventId p = Ok(founder_, AdmitBody(cal_.public_key()));
  EXPECT_THAT(Write(dee_, AcceptanceBody(p)),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("only the invitee")));
  // A rejected admission cannot be accepted.
  Ok(founder_, StanceBody(p, kAgree));
  Ok(bea_, StanceBody(p, kBlock, "conflict of interest"));  // supermajority: 1 of 2 < 2/3
  Ok(founder_, AcknowledgementBody({p}));
  Ok(bea_, AcknowledgementBody({p}));
  ProposalOutcome o = *Governance(state_).Outcome(state_, p);
  EXPECT_TRUE(o.final);
  EXPECT_EQ(o.outcome, DecisionOutcome::kRejected);
  EXPECT_FALSE(Governance(state_).proposals().at(p).effect_applied);
  EXPECT_THAT(Write(cal_, AcceptanceBody(p)),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("did not pass")));
  // An acceptance must name an admission.
  EventId strategy = Ok(founder_, ProposalBody(v1::DECISION_TYPE_ADOPT_STRATEGY));
  EXPECT_THAT(Write(cal_, AcceptanceBody(strategy)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not an admission")));
  EXPECT_THAT(Write(cal_, AcceptanceBody(history_.genesis().id)),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_FALSE(state_.roster().members().contains(cal_.public_key()));
}

TEST_F(MembershipTest, NonMemberEventsHaveNoEffect) {
  EventId p = Ok(founder_, ProposalBody(v1::DECISION_TYPE_ADOPT_STRATEGY));
  for (const v1::Event& body :
       {CampaignBody(TestCampaign(1'000)), ProposalBody(v1::DECISION_TYPE_ADOPT_STRATEGY),
        StanceBody(p, kAgree), AcknowledgementBody({p}), NoticeBody(), WithdrawalBody()}) {
    EXPECT_THAT(Write(outsider_, body),
                StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("not an active member")));
  }
  EXPECT_EQ(state_.roster().members().size(), 1u);
  EXPECT_EQ(Governance(state_).proposals().size(), 1u);
  EXPECT_TRUE(Governance(state_).proposals().at(p).stances.empty());
}

// PROTOCOL §5.2 step 5: an org that withdrew and is admitted again is invited again: its old
// membership is in the new admission's causal past, so it does not beat it.
TEST_F(MembershipTest, AWithdrawnOrgAdmittedAgainIsInvited) {
  Admit(bea_);
  Ok(bea_, WithdrawalBody());
  std::erase(writers_, &bea_);
  EXPECT_THAT(Governance(state_).Invitations(state_), IsEmpty());
  const EventId again = Ok(founder_, AdmitBody(bea_.public_key()));
  AllAgreeAndAck(again);
  std::vector<const ProposalState*> invited = Governance(state_).Invitations(state_);
  ASSERT_EQ(invited.size(), 1u);
  EXPECT_EQ(invited[0]->id, again);
  EXPECT_EQ(Member(bea_).status, MemberStatus::kWithdrawn) << "invited, no member until it accepts";
  Ok(bea_, AcceptanceBody(again));
  EXPECT_EQ(Member(bea_).status, MemberStatus::kActive);
  EXPECT_THAT(Governance(state_).Invitations(state_), IsEmpty());
}

TEST_F(MembershipTest, WithdrawalIsAlwaysAllowedAndFinal) {
  Admit(bea_);
  Admit(dee_, v1::ROLE_OBSERVER);
  EventId p = Ok(founder_, ProposalBody(v1::DECISION_TYPE_ADOPT_STRATEGY));
  EventId w = Ok(bea_, WithdrawalBody());
  EXPECT_EQ(Member(bea_).status, MemberStatus::kWithdrawn);
  EXPECT_EQ(*Member(bea_).removal_event, w);
  EXPECT_FALSE(state_.roster().IsActiveWriter(bea_.public_key()));
  EXPECT_THAT(Write(bea_, CampaignBody(TestCampaign(1'000))),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("withdrew")));
  EXPECT_THAT(Write(bea_, StanceBody(p, kAgree)),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("withdrew")));
  // bea was in p's electorate; its withdrawal does not hold p's finality back.
  EXPECT_TRUE(Governance(state_).proposals().at(p).electorate.contains(bea_.public_key()));
  Ok(founder_, ProposalCloseBody(p));
  Ok(founder_, AcknowledgementBody({p}));
  EXPECT_TRUE(Governance(state_).Outcome(state_, p)->final);
  // An observer may leave too (autonomy), though it may write nothing else.
  EXPECT_THAT(Write(dee_, CampaignBody(TestCampaign(1'000))),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_OK(Write(dee_, WithdrawalBody()));
  EXPECT_EQ(Member(dee_).status, MemberStatus::kWithdrawn);
  // Members who left are not in later electorates.
  EventId q = Ok(founder_, ProposalBody(v1::DECISION_TYPE_ADOPT_STRATEGY));
  EXPECT_EQ(Governance(state_).proposals().at(q).electorate.size(), 1u);
}

TEST_F(MembershipTest, NoticeTakesEffectAfterTheCharterPeriod) {
  Admit(bea_);
  const uint64_t notice_ms = kNoticeDays * kDayMs;
  EXPECT_THAT(WriteAt(bea_, NoticeBody(100'000 + notice_ms - 1), 100'000),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("30 days")));
  EventId n = Ok(bea_, NoticeBody());  // 0: the earliest the charter allows
  const MemberState& m = Member(bea_);
  EXPECT_EQ(m.status, MemberStatus::kNoticeGiven);
  EXPECT_EQ(*m.notice_event, n);
  const uint64_t effective_ms = history_.Get(n).hlc.wall_ms + notice_ms;
  EXPECT_EQ(m.notice_effective_ms, effective_ms);
  EXPECT_EQ(DeriveMemberStatus(m, effective_ms - 1), MemberStatus::kNoticeGiven);
  EXPECT_EQ(DeriveMemberStatus(m, effective_ms), MemberStatus::kWithdrawn);
  EXPECT_THAT(Write(bea_, NoticeBody()),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("already gave notice")));
  // Until then bea is a member: it writes and votes.
  EventId p = Ok(founder_, ProposalBody(v1::DECISION_TYPE_ADOPT_STRATEGY));
  EXPECT_TRUE(Governance(state_).proposals().at(p).electorate.contains(bea_.public_key()));
  Ok(bea_, StanceBody(p, kAgree));
  Ok(founder_, ProposalCloseBody(p));
  EventId campaign = Ok(founder_, CampaignBody(TestCampaign(9'000)));
  EXPECT_FALSE(Governance(state_).Outcome(state_, p)->final);
  // From the effective time on, its events have no effect.
  EXPECT_THAT(WriteAt(bea_, PledgeBody(campaign, TestTerms(100)), effective_ms),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("gave notice")));
  EXPECT_TRUE(Fundraising(state_).pledges().empty());
  // A proposal stamped after it does not count bea.
  VerifiedEvent later = history_.AppendAt(founder_, ProposalBody(v1::DECISION_TYPE_ADOPT_STRATEGY),
                                          Hlc{effective_ms + 5, 0});
  ASSERT_OK(Put(later));
  EXPECT_FALSE(Governance(state_).proposals().at(later.id).electorate.contains(bea_.public_key()));
  // p is final: bea's rejected event, stamped after the close, shows it is past it.
  EXPECT_TRUE(Governance(state_).Outcome(state_, p)->final);
}

TEST_F(MembershipTest, ExpulsionByDecision) {
  Admit(bea_);
  Admit(cal_);
  EventId x = Ok(founder_, ExpelBody(cal_.public_key()));
  const ProposalState& xs = Governance(state_).proposals().at(x);
  EXPECT_EQ(xs.rule.process(), v1::DECISION_PROCESS_UNANIMITY);
  EXPECT_FALSE(xs.electorate.contains(cal_.public_key())) << "unanimity of the others";
  EXPECT_EQ(xs.electorate.size(), 2u);
  EXPECT_THAT(Write(cal_, StanceBody(x, kBlock, "this is unfair")),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("not in the electorate")));
  Ok(founder_, StanceBody(x, kAgree));
  Ok(bea_, StanceBody(x, kAgree));
  Ok(founder_, AcknowledgementBody({x}));
  EXPECT_EQ(Member(cal_).status, MemberStatus::kActive) << "not final: no effect yet";
  EventId last = Ok(bea_, AcknowledgementBody({x}));
  const MemberState& m = Member(cal_);
  EXPECT_EQ(m.status, MemberStatus::kExpelled);
  EXPECT_EQ(*m.expelled_by, x);
  EXPECT_EQ(*m.removal_event, last);
  ASSERT_EQ(state_.removal_cuts().count(x), 1u);
  EXPECT_EQ(state_.removal_cuts().at(x).member, cal_.public_key());
  // cal's events the expulsion proposal saw are kept: its acceptance (seq 1), not the
  // rejected stance (seq 2) written after the proposal.
  EXPECT_EQ(state_.removal_cuts().at(x).kept_seq_max, 1u);
  // Its later events have no effect.
  EXPECT_THAT(Write(cal_, CampaignBody(TestCampaign(1'000))),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("expelled")));
  EXPECT_THAT(Write(cal_, WithdrawalBody()),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("expelled")));
  EXPECT_TRUE(Fundraising(state_).campaigns().empty());
  // The expelled member cannot be expelled twice, and cannot expel itself.
  EXPECT_THAT(Write(founder_, ExpelBody(cal_.public_key())),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("no longer a member")));
  EXPECT_THAT(Write(founder_, ExpelBody(founder_.public_key())),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("to leave")));
  EXPECT_THAT(Write(founder_, ExpelBody(outsider_.public_key())),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(MembershipTest, ExpelledMembersConcurrentStanceCountsOnceItsChainPassesTheClose) {
  Admit(bea_);
  Admit(cal_);
  // Consent on a strategy: cal blocks it, without having seen its own expulsion proposal.
  EventId y = Ok(founder_, ProposalBody(v1::DECISION_TYPE_ADOPT_STRATEGY));
  EventId x = Ok(founder_, ExpelBody(cal_.public_key()));
  VerifiedEvent block = history_.AppendWithDeps(cal_, StanceBody(y, kBlock, "no"), {y});
  ASSERT_OK(Put(block));
  const EventId close = Ok(founder_, ProposalCloseBody(y));
  EXPECT_EQ(Governance(state_).Outcome(state_, y)->outcome, DecisionOutcome::kBlocked);
  Ok(founder_, StanceBody(x, kAgree));
  Ok(bea_, StanceBody(x, kAgree));
  Ok(founder_, AcknowledgementBody({x, y}));
  Ok(bea_, AcknowledgementBody({x, y}));
  ASSERT_EQ(Member(cal_).status, MemberStatus::kExpelled);
  // A final outcome never changes (PROTOCOL §5.7): the expulsion does not reach back into y,
  // so y waits for cal's chain to pass its close (a node that saw cal's acknowledgement before
  // the expulsion would already show y final, with the block).
  EXPECT_FALSE(Governance(state_).Outcome(state_, y)->final);
  EXPECT_EQ(Governance(state_).AcknowledgementsDue(state_, cal_.public_key(), 0),
            std::vector<EventId>{y})
      << "an expelled member still acknowledges what it voted on";
  // cal, still not having seen its expulsion become final, acknowledges past the close.
  ASSERT_OK(Put(history_.AppendWithDeps(cal_, AcknowledgementBody({y}), {close})));
  ProposalOutcome o = *Governance(state_).Outcome(state_, y);
  EXPECT_TRUE(o.final);
  EXPECT_EQ(o.outcome, DecisionOutcome::kBlocked);
  EXPECT_EQ(o.tally.block_weight, 1u);
  // Once cal has seen its expulsion, its stances have no effect.
  EventId z = Ok(founder_, ProposalBody(v1::DECISION_TYPE_ADOPT_STRATEGY));
  EXPECT_THAT(Write(cal_, StanceBody(z, kAgree)),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("expelled")));
}

TEST_F(MembershipTest, FinalOutcomesDoNotChangeWhenAVoterIsLaterExpelled) {
  Admit(bea_);
  Admit(cal_);
  EventId y = Ok(founder_, ProposalBody(v1::DECISION_TYPE_ADOPT_STRATEGY));
  EventId x = Ok(founder_, ExpelBody(cal_.public_key()));
  ASSERT_OK(Put(history_.AppendWithDeps(cal_, StanceBody(y, kBlock, "no"), {y})));
  Ok(founder_, ProposalCloseBody(y));
  Ok(founder_, AcknowledgementBody({y}));
  Ok(bea_, AcknowledgementBody({y}));
  Ok(cal_, AcknowledgementBody({y}));
  ASSERT_TRUE(Governance(state_).Outcome(state_, y)->final);
  Ok(founder_, StanceBody(x, kAgree));
  Ok(bea_, StanceBody(x, kAgree));
  Ok(founder_, AcknowledgementBody({x}));
  Ok(bea_, AcknowledgementBody({x}));
  ASSERT_EQ(Member(cal_).status, MemberStatus::kExpelled);
  EXPECT_EQ(Governance(state_).Outcome(state_, y)->outcome, DecisionOutcome::kBlocked);
}

TEST_F(MembershipTest, MutualRemovalsRemoveBoth) {
  Admit(bea_);
  Admit(cal_);
  Admit(dee_);
  // bea proposes to expel cal while cal, concurrently, proposes to expel bea.
  EventId x_cal = Ok(bea_, ExpelBody(cal_.public_key()));
  std::vector<EventId> deps = {history_.Chain(founder_.public_key()).back(),
                               history_.Chain(dee_.public_key()).back()};
  VerifiedEvent x_bea_event = history_.AppendWithDeps(cal_, ExpelBody(bea_.public_key()), deps);
  ASSERT_OK(Put(x_bea_event));
  const EventId x_bea = x_bea_event.id;
  ASSERT_TRUE(state_.HappenedBefore(history_.genesis().id, x_bea));
  ASSERT_FALSE(state_.HappenedBefore(x_cal, x_bea));
  // cal's expulsion is decided and final first.
  for (const SigningKey* k : {&founder_, &dee_, &bea_}) Ok(*k, StanceBody(x_cal, kAgree));
  for (const SigningKey* k : {&founder_, &dee_, &bea_}) Ok(*k, AcknowledgementBody({x_cal}));
  ASSERT_EQ(Member(cal_).status, MemberStatus::kExpelled);
  // cal still decides its own concurrent expulsion of bea (not having seen its own expulsion
  // become final, it agrees); its other events have no effect.
  for (const SigningKey* k : {&founder_, &dee_}) Ok(*k, StanceBody(x_bea, kAgree));
  EXPECT_OK(Put(history_.AppendWithDeps(cal_, StanceBody(x_bea, kAgree), {})));
  for (const SigningKey* k : {&founder_, &dee_}) Ok(*k, AcknowledgementBody({x_bea}));
  EXPECT_FALSE(Governance(state_).Outcome(state_, x_bea)->final)
      << "cal's own event past the close is needed";
  // cal's acknowledgement carries its chain past the close.
  const Hlc past_close{last_.hlc.wall_ms + 100, 0};
  EXPECT_OK(Put(history_.AppendWithDeps(cal_, AcknowledgementBody({x_bea}), {}, past_close)));
  ProposalOutcome o = *Governance(state_).Outcome(state_, x_bea);
  EXPECT_TRUE(o.final);
  EXPECT_EQ(o.outcome, DecisionOutcome::kPassed);
  EXPECT_EQ(Member(bea_).status, MemberStatus::kExpelled);
  EXPECT_EQ(Member(cal_).status, MemberStatus::kExpelled);
  EXPECT_THAT(Write(cal_, CampaignBody(TestCampaign(1'000))),
              StatusIs(absl::StatusCode::kPermissionDenied));
}

// Simulator seed 28: a voter's stance concurrent with its expulsion was counted by a node that
// had not yet seen the expulsion (final through the voter's acknowledgement) and not counted by
// a node that had (final because the voter was expelled). Both showed one final proposal with
// different tallies. Now finality waits for the voter's own chain on every node, and the stance
// counts wherever the expulsion sorts.
TEST_F(MembershipTest, Seed28ConcurrentStanceOfAnExpelledVoterCountsOnEveryNode) {
  Admit(bea_);
  constexpr uint64_t kDeadlineMs = 1'000'000;
  const VerifiedEvent p =
      history_.Append(founder_, ProposalBody(v1::DECISION_TYPE_ADOPT_STRATEGY, kDeadlineMs));
  const VerifiedEvent disagree = history_.Append(founder_, StanceBody(p.id, kDisagree, "no"));
  // bea passes the close (deadline), then expels the founder, who does not see it and agrees.
  const VerifiedEvent bea_late =
      history_.AppendAt(bea_, AcknowledgementBody({p.id}), Hlc{kDeadlineMs + 10, 0});
  const VerifiedEvent x = history_.Append(bea_, ExpelBody(founder_.public_key()));
  const VerifiedEvent x_agree = history_.Append(bea_, StanceBody(x.id, kAgree));
  const VerifiedEvent x_ack = history_.Append(bea_, AcknowledgementBody({x.id}));
  const VerifiedEvent agree =
      history_.AppendWithDeps(founder_, StanceBody(p.id, kAgree), {}, Hlc{kDeadlineMs - 10, 0});
  const VerifiedEvent founder_late =
      history_.AppendWithDeps(founder_, AcknowledgementBody({p.id}), {}, Hlc{kDeadlineMs + 20, 0});
  const std::vector<const VerifiedEvent*> common = {&p, &disagree, &bea_late};
  const std::vector<const VerifiedEvent*> expulsion = {&x, &x_agree, &x_ack};
  const std::vector<const VerifiedEvent*> founder_side = {&agree, &founder_late};
  // Node A learns the founder's side first, node B the expulsion first.
  std::vector<const VerifiedEvent*> order_a = common, order_b = common;
  for (auto* e : founder_side) order_a.push_back(e);
  for (auto* e : expulsion) order_a.push_back(e);
  for (auto* e : expulsion) order_b.push_back(e);
  for (auto* e : founder_side) order_b.push_back(e);
  std::optional<Tally> final_tally;
  std::vector<std::string> hashes;
  for (const auto& order : {order_a, order_b}) {
    Group g(history_.group());
    for (const VerifiedEvent& e : history_.events()) {
      if (e.id == p.id) break;
      ASSERT_TRUE(g.Insert(e).ok());
    }
    for (const VerifiedEvent* e : order) {
      ASSERT_TRUE(g.Insert(*e).ok());
      absl::StatusOr<ProposalOutcome> o = Governance(g.state()).Outcome(g.state(), p.id);
      ASSERT_TRUE(o.ok());
      if (!o->final) continue;
      if (!final_tally.has_value()) final_tally = o->tally;
      EXPECT_EQ(o->tally, *final_tally) << "a final outcome changed or differs between nodes";
    }
    EXPECT_EQ(g.state().roster().members().at(founder_.public_key()).status,
              MemberStatus::kExpelled);
    hashes.push_back(HashHex(g.StateHash()));
  }
  ASSERT_TRUE(final_tally.has_value());
  EXPECT_EQ(final_tally->agree_weight, 1u) << "the founder's latest stance before the close";
  EXPECT_EQ(final_tally->disagree_weight, 0u);
  EXPECT_EQ(hashes[0], hashes[1]);
}

// Simulator seed 100292: membership "in the causal past" of a proposal was judged by the event
// F at which an expulsion became final in the fold ("F → proposal"). Which event that is
// depends on where a concurrent witness sorts, so two nodes (or one node before and after a
// late event) fixed different electorates for one proposal, and a final outcome changed. The
// rule now reads the proposal's causal past alone (docs/PROTOCOL.md §5.7): the expulsion counts
// only when it is final and passed there. Fed in two causal orders, the fold fixes the same
// electorate.
TEST_F(MembershipTest, Seed100292ElectorateIsTheSameInEveryCausalOrder) {
  Admit(bea_);
  Admit(cal_);
  Admit(dee_);
  const EventId x = Ok(founder_, ExpelBody(dee_.public_key()));
  for (const SigningKey* w : {&founder_, &bea_, &cal_}) Ok(*w, StanceBody(x, kAgree));
  const size_t before = history_.events().size();
  const EventId cal_stance = history_.Chain(cal_.public_key()).back();
  const EventId dee_head = history_.Chain(dee_.public_key()).back();
  // cal passes the close; the founder and bea do too without seeing cal's event, and bea then
  // proposes: in bea's view the expulsion is not final (cal's chain had not passed the close).
  const VerifiedEvent cal_ack = history_.Append(cal_, AcknowledgementBody({x}));
  const VerifiedEvent founder_ack =
      history_.AppendWithDeps(founder_, AcknowledgementBody({x}),
                              {history_.Chain(bea_.public_key()).back(), cal_stance, dee_head});
  const VerifiedEvent bea_ack = history_.AppendWithDeps(bea_, AcknowledgementBody({x}),
                                                        {founder_ack.id, cal_stance, dee_head});
  const VerifiedEvent p = history_.AppendWithDeps(
      bea_, ProposalBody(v1::DECISION_TYPE_ADOPT_STRATEGY), {founder_ack.id, cal_stance, dee_head});
  ASSERT_FALSE(state_.HappenedBefore(cal_ack.id, p.id) || p.id == cal_ack.id);
  const std::vector<const VerifiedEvent*> cal_first = {&cal_ack, &founder_ack, &bea_ack, &p};
  const std::vector<const VerifiedEvent*> cal_last = {&founder_ack, &bea_ack, &p, &cal_ack};
  std::vector<std::vector<OrgKey>> electorates;
  for (const auto& order : {cal_first, cal_last}) {
    GroupState g(history_.group());
    for (size_t i = 0; i < before; ++i) g.Apply(history_.events()[i]);
    for (const VerifiedEvent* e : order) {
      ASSERT_OK(g.Check(*e));
      g.Apply(*e);
    }
    // Either way the expulsion took effect, at bea's acknowledgement or at cal's.
    EXPECT_EQ(g.roster().members().at(dee_.public_key()).status, MemberStatus::kExpelled);
    std::vector<OrgKey>& keys = electorates.emplace_back();
    for (const auto& [key, voter] : Governance(g).proposals().at(p.id).electorate) {
      keys.push_back(key);
    }
  }
  EXPECT_EQ(electorates[0], electorates[1]);
  EXPECT_THAT(electorates[0], ::testing::Contains(dee_.public_key()))
      << "the expulsion was not final in the proposal's causal past";
}

// Simulator seed 100465: a voter whose clock ran behind withdrew before the close of a
// proposal by hlc, so only its withdrawal settled it (PROTOCOL §5.6). Where its concurrent
// expulsion sorted before the withdrawal, the withdrawal of an expelled member had no effect,
// the voter was no longer settled, and a proposal a node had shown final became provisional
// again. A withdrawal is a statement of the member's own chain: it now settles the member
// whether it sorts before or after the expulsion.
TEST_F(MembershipTest, Seed100465WithdrawalSettlesAnExpelledVoterInEveryCausalOrder) {
  ExpectChainEndSettlesExpelledVoter({{WithdrawalBody(), 20}}, 30);
}

// The same with a notice (review of the membership spans): a voter settled only by its notice
// having run out was no longer settled where its concurrent expulsion sorted first.
TEST_F(MembershipTest, NoticeRunOutSettlesAnExpelledVoterInEveryCausalOrder) {
  const uint64_t notice_days_ms = uint64_t{kNoticeDays} * kDayMs;
  ExpectChainEndSettlesExpelledVoter(
      {{NoticeBody(), 20}, {StanceBody(EventId{}, kAgree), 20 + notice_days_ms}},
      30 + notice_days_ms);
}

// Review of the membership spans (2026-12-04): a notice ended a membership only when it took
// effect, and whether it did depended on where the member's concurrent expulsion sorted. So an
// EXPEL proposal that saw the notice (run out by then) counted the member in its electorate on
// one node and not on another. A notice is a statement of the member's own chain: it ends the
// membership span whether or not it took effect.
TEST_F(MembershipTest, NoticeEndsTheMembershipInEveryCausalOrder) {
  Admit(bea_);
  Admit(cal_);
  const uint64_t t = last_.hlc.wall_ms + 1'000;
  const size_t before = history_.events().size();
  const VerifiedEvent x = history_.AppendAt(founder_, ExpelBody(cal_.public_key()), Hlc{t, 0});
  const VerifiedEvent founder_agree =
      history_.AppendAt(founder_, StanceBody(x.id, kAgree), Hlc{t + 10, 0});
  const VerifiedEvent bea_agree = history_.AppendAt(bea_, StanceBody(x.id, kAgree), Hlc{t + 11, 0});
  const VerifiedEvent founder_ack =
      history_.AppendAt(founder_, AcknowledgementBody({x.id}), Hlc{t + 12, 0});
  const VerifiedEvent bea_ack =
      history_.AppendAt(bea_, AcknowledgementBody({x.id}), Hlc{t + 13, 0});
  // cal, seeing none of it, gives notice; a month later the founder, having seen the notice but
  // not bea's acknowledgement, proposes to expel bea.
  const VerifiedEvent notice = history_.AppendWithDeps(cal_, NoticeBody(), {}, Hlc{t + 15, 0});
  const uint64_t later_ms = t + 15 + uint64_t{kNoticeDays + 1} * kDayMs;
  const VerifiedEvent q = history_.AppendWithDeps(founder_, ExpelBody(bea_.public_key()),
                                                  {bea_agree.id, notice.id}, Hlc{later_ms, 0});
  const std::vector<const VerifiedEvent*> prefix = {&x, &founder_agree, &bea_agree, &founder_ack};
  std::vector<const VerifiedEvent*> ack_first = prefix, notice_first = prefix;
  for (const VerifiedEvent* e : {&bea_ack, &notice, &q}) ack_first.push_back(e);
  for (const VerifiedEvent* e : {&notice, &bea_ack, &q}) notice_first.push_back(e);
  std::vector<std::vector<OrgKey>> electorates;
  for (const auto& order : {ack_first, notice_first}) {
    GroupState g(history_.group());
    for (size_t i = 0; i < before; ++i) g.Apply(history_.events()[i]);
    for (const VerifiedEvent* e : order) g.Apply(*e);
    ASSERT_FALSE(g.rejected_events().contains(q.id)) << g.rejected_events().at(q.id);
    std::vector<OrgKey>& keys = electorates.emplace_back();
    for (const auto& [key, voter] : Governance(g).proposals().at(q.id).electorate) {
      keys.push_back(key);
    }
  }
  EXPECT_EQ(electorates[0], electorates[1]);
  EXPECT_EQ(electorates[0], std::vector<OrgKey>{founder_.public_key()})
      << "cal's notice had run out in the proposal's causal past";
}

// Simulator seed 100026: a proposer that withdrew and was readmitted closed its old proposal
// from its new membership. A node holding the withdrawal but not yet the close showed the
// proposal final (the withdrawal ends the membership that proposed it, which settles it); a node
// holding the close showed another close and outcome. Like a stance, a close from a later
// membership is refused.
TEST_F(MembershipTest, Seed100026ReadmittedProposerCannotCloseItsOldProposal) {
  Admit(bea_);
  const EventId p = Ok(bea_, ProposalBody(v1::DECISION_TYPE_ADOPT_STRATEGY));
  Ok(bea_, WithdrawalBody());
  std::erase(writers_, &bea_);
  Admit(bea_);
  EXPECT_THAT(Write(bea_, ProposalCloseBody(p)),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       HasSubstr("its new membership cannot close it")));
  EXPECT_FALSE(Governance(state_).proposals().at(p).close_event.has_value());
}

TEST_F(MembershipTest, RemovalBeatsAConcurrentReAdd) {
  Admit(bea_);
  Admit(cal_);
  EventId w = Ok(cal_, WithdrawalBody());
  std::erase(writers_, &cal_);
  // The founder, not having seen the withdrawal, proposes to admit cal (again).
  std::vector<EventId> deps = {history_.Chain(bea_.public_key()).back()};
  VerifiedEvent readd = history_.AppendWithDeps(founder_, AdmitBody(cal_.public_key()), deps);
  ASSERT_OK(Put(readd));
  ASSERT_FALSE(state_.HappenedBefore(w, readd.id));
  AllAgreeAndAck(readd.id);
  ASSERT_TRUE(Governance(state_).Outcome(state_, readd.id)->final);
  EXPECT_THAT(Write(cal_, AcceptanceBody(readd.id)),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("a removal beats a concurrent re-add")));
  EXPECT_EQ(Member(cal_).status, MemberStatus::kWithdrawn);
  // An admission decided after the withdrawal readmits it.
  EventId again = Admit(cal_);
  EXPECT_EQ(Member(cal_).status, MemberStatus::kActive);
  EXPECT_EQ(*Member(cal_).admitted_by, again);
  EXPECT_FALSE(Member(cal_).removal_event.has_value());
  EXPECT_OK(Write(cal_, CampaignBody(TestCampaign(1'000))));
}

TEST_F(MembershipTest, ReadmissionAfterExpulsion) {
  Admit(bea_);
  Admit(cal_);
  Expel(cal_);
  ASSERT_EQ(Member(cal_).status, MemberStatus::kExpelled);
  Admit(cal_);
  EXPECT_EQ(Member(cal_).status, MemberStatus::kActive);
  EXPECT_FALSE(Member(cal_).expelled_by.has_value());
  EventId campaign = Ok(founder_, CampaignBody(TestCampaign(10'000)));
  EXPECT_OK(Write(cal_, PledgeBody(campaign, TestTerms(500))));
}

TEST_F(MembershipTest, RefoldWithRemovalCutsVoidsRecordsConcurrentWithTheExpulsion) {
  Admit(bea_);
  Admit(cal_);
  EventId campaign = Ok(founder_, CampaignBody(TestCampaign(50'000)));
  EventId x = Ok(founder_, ExpelBody(cal_.public_key()));
  // cal pledges without having seen the expulsion proposal (concurrent with it).
  VerifiedEvent pledge =
      history_.AppendWithDeps(cal_, PledgeBody(campaign, TestTerms(700)), {campaign});
  ASSERT_OK(Put(pledge));
  Ok(founder_, StanceBody(x, kAgree));
  Ok(bea_, StanceBody(x, kAgree));
  Ok(founder_, AcknowledgementBody({x}));
  Ok(bea_, AcknowledgementBody({x}));
  ASSERT_EQ(Member(cal_).status, MemberStatus::kExpelled);
  // One fold in order cannot void the pledge it applied before the expulsion took effect...
  EXPECT_EQ(Fundraising(state_).pledges().count(pledge.id), 1u);
  EXPECT_TRUE(state_.NeedsRefold());
  // ...the fold with the cuts it found does, and finds the same cuts (the fixpoint).
  auto replay = [&](GroupState& s) {
    for (const VerifiedEvent& e : history_.events()) s.Apply(e);
  };
  GroupState refolded = FoldWithRemovalCuts(history_.group(), replay);
  EXPECT_FALSE(refolded.NeedsRefold());
  EXPECT_EQ(refolded.removal_cuts(), state_.removal_cuts());
  EXPECT_EQ(refolded.input_cuts(), state_.removal_cuts());
  EXPECT_EQ(Fundraising(refolded).pledges().count(pledge.id), 0u);
  ASSERT_EQ(refolded.rejected_events().count(pledge.id), 1u);
  EXPECT_THAT(refolded.rejected_events().at(pledge.id), HasSubstr("had not seen"));
  EXPECT_EQ(refolded.roster().members().at(cal_.public_key()).status, MemberStatus::kExpelled);
  // Decisions are the same in both folds.
  EXPECT_EQ(Governance(refolded).Outcome(refolded, x)->final_at,
            Governance(state_).Outcome(state_, x)->final_at);
  EXPECT_NE(HashHex(refolded.Hash()), HashHex(state_.Hash()));
  // Without expulsions the refold is the plain fold.
  HistoryBuilder quiet(founder_, MembershipCharter());
  GroupState plain(quiet.group());
  plain.Apply(quiet.genesis());
  GroupState folded =
      FoldWithRemovalCuts(quiet.group(), [&](GroupState& s) { s.Apply(quiet.genesis()); });
  EXPECT_EQ(HashHex(folded.Hash()), HashHex(plain.Hash()));
}

TEST_F(MembershipTest, BorrowedDagClocksGiveTheSameState) {
  Admit(bea_);
  Admit(cal_);
  Expel(cal_);
  GroupDag dag(history_.group());
  for (const VerifiedEvent& e : history_.events()) {
    ASSERT_OK_AND_ASSIGN(Admission a, dag.Check(e));
    ASSERT_EQ(a, Admission::kReady);
    dag.Insert(e);
  }
  GroupState borrowed(history_.group(), {}, &dag.clocks());
  for (const VerifiedEvent& e : history_.events()) borrowed.Apply(e);
  EXPECT_EQ(HashHex(borrowed.Hash()), HashHex(state_.Hash()));
  EXPECT_EQ(borrowed.rejected_events(), state_.rejected_events());
}

}  // namespace
}  // namespace constellation::core
