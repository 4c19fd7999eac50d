// tests/unit/teams_ledger_test.cc
//
// The teams ledger (server/core/teams/teams_ledger.h, docs/PROTOCOL.md §5.17): every rule and
// refusal of action teams: who forms one, who writes its next version, whom it may name, its
// linked goals, its lifecycle; a refused record leaves the teams state (its part of the state
// hash) unchanged; two versions that did not see each other both take effect, a closing one
// closes the team for good, and the state is the same in either arrival order.
#include "server/core/teams/teams_ledger.h"

#include <algorithm>
#include <string>
#include <vector>

#include <absl/strings/str_format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "server/core/fold/group_state.h"
#include "server/core/governance/decisions.h"
#include "server/core/governance/governance_ledger.h"
#include "server/core/group.h"
#include "server/core/health/health_ledger.h"
#include "server/core/records.h"
#include "tests/testing/event_factory.h"
#include "tests/testing/ledger_test.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/team_events.h"

namespace constellation::core {
namespace {

using ::constellation::testing::AcknowledgementBody;
using ::constellation::testing::HashHex;
using ::constellation::testing::LedgerTest;
using ::constellation::testing::MakeDecisionRule;
using ::constellation::testing::PulseCheckBody;
using ::constellation::testing::StanceBody;
using ::constellation::testing::StatusIs;
using ::constellation::testing::StrategyVersionBody;
using ::constellation::testing::TeamBody;
using ::constellation::testing::TeamLeadsBody;
using ::constellation::testing::TeamVersionBody;
using ::constellation::testing::TestCharter;
using ::constellation::testing::TestStrategyVersion;
using ::constellation::testing::WithdrawalBody;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string TeamsHash(const GroupState& state) {
  StateHasher h;
  Teams(state).HashInto(h);
  return HashHex(h.Finish());
}

v1::Charter TeamCharter() {
  v1::Charter c = TestCharter();
  *c.add_decision_rules() = MakeDecisionRule(v1::DECISION_TYPE_ADMIT, v1::DECISION_PROCESS_CONSENT);
  return c;
}

class TeamsLedgerTest : public LedgerTest {
 protected:
  TeamsLedgerTest() : LedgerTest(TeamCharter(), TeamsHash) {
    Admit(bea_);
    Admit(cal_);
  }

  const TeamsLedger& ledger() const { return Teams(state()); }
  OrgKey a() const { return founder_.public_key(); }
  OrgKey b() const { return bea_.public_key(); }
  OrgKey c() const { return cal_.public_key(); }

  // A later version of `team` with `status`, leads and participants given.
  static v1::Event Version(const EventId& team, v1::TeamStatus status,
                           const std::vector<OrgKey>& leads,
                           const std::vector<OrgKey>& participants = {}) {
    return TeamVersionBody(team, TeamBody(leads, participants, status));
  }
};

TEST_F(TeamsLedgerTest, AnEmptyLedgerAddsNothingToTheStateHash) {
  EXPECT_EQ(TeamsHash(state()), HashHex(StateHasher().Finish()));
}

TEST_F(TeamsLedgerTest, ALeadFormsATeamOfMembers) {
  const EventId t = Ok(founder_, TeamBody({a()}, {c(), b()}, v1::TEAM_STATUS_ACTIVE));
  const TeamState& team = ledger().teams().at(t);
  EXPECT_EQ(team.id, t);
  EXPECT_EQ(team.created_by, a());
  EXPECT_EQ(team.status(), v1::TEAM_STATUS_ACTIVE);
  EXPECT_THAT(team.current().leads, ElementsAre(a()));
  // Participants are kept ascending by key, whatever the record's order.
  EXPECT_TRUE(
      std::is_sorted(team.current().participants.begin(), team.current().participants.end()));
  EXPECT_EQ(team.current().participants.size(), 2u);
  EXPECT_TRUE(team.current().Names(b()));
  EXPECT_FALSE(team.current().Names(outsider_.public_key()));
  EXPECT_EQ(ledger().TeamOfVersion(t), &team);
  EXPECT_NE(TeamsHash(state()), HashHex(StateHasher().Finish()));
}

TEST_F(TeamsLedgerTest, StatelessRulesRefuseBadTeams) {
  auto refused = [&](v1::Event body, std::string_view what) {
    EXPECT_THAT(Write(founder_, body),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(std::string(what))));
  };
  v1::Event unnamed = TeamBody({a()});
  unnamed.mutable_action_team()->clear_name();
  refused(unnamed, "action_team.name");
  refused(TeamBody({}), "action_team.leads");
  refused(TeamBody({a(), a()}), "same id twice");
  refused(TeamBody({a()}, {a()}), "names a lead");
  v1::Event legacy = TeamBody({a()});
  legacy.mutable_action_team()->set_dormant(true);
  refused(legacy, "action_team.dormant");
  refused(TeamBody({a()}, {}, v1::TEAM_STATUS_UNSPECIFIED), "action_team.status");
  refused(TeamBody({a()}, {}, v1::TEAM_STATUS_CLOSED), "new team");
  refused(TeamBody({a()}, {}, v1::TEAM_STATUS_DORMANT), "new team");
  v1::Event goals_twice = TeamBody({a()});
  goals_twice.mutable_action_team()->add_goal_keys("engage-households");
  goals_twice.mutable_action_team()->add_goal_keys("engage-households");
  refused(goals_twice, "twice");
  refused(TeamBody({a()}, {}, v1::TEAM_STATUS_PROPOSED, "\x1b[31mred"), "control character");
  v1::Event far = TeamBody({a()});
  far.mutable_action_team()->set_review_ms(UINT64_MAX);
  refused(far, "9999");
  EXPECT_TRUE(ledger().teams().empty());
}

TEST_F(TeamsLedgerTest, TheMemberThatFormsATeamLeadsItAndNamesOnlyMembers) {
  EXPECT_THAT(Write(bea_, TeamBody({a()}, {b()})),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("not one of its leads")));
  EXPECT_THAT(Write(founder_, TeamBody({a()}, {outsider_.public_key()})),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("participants")));
  EXPECT_THAT(Write(founder_, TeamBody({a(), outsider_.public_key()})),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("leads")));
  v1::Event hosted = TeamBody({a()});
  hosted.mutable_action_team()->set_fiscal_host(outsider_.public_key().Bytes());
  EXPECT_THAT(Write(founder_, hosted),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("fiscal_host")));
  EXPECT_THAT(Write(outsider_, TeamBody({outsider_.public_key()})),
              StatusIs(absl::StatusCode::kPermissionDenied));
  hosted.mutable_action_team()->set_fiscal_host(c().Bytes());
  Ok(founder_, hosted);
  EXPECT_EQ(ledger().teams().size(), 1u);
  EXPECT_EQ(ledger().teams().begin()->second.current().fiscal_host, c());
}

TEST_F(TeamsLedgerTest, AMemberWhoWithdrewCannotJoinATeam) {
  Ok(cal_, WithdrawalBody());
  EXPECT_THAT(Write(founder_, TeamBody({a()}, {c()})),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("not a member")));
}

TEST_F(TeamsLedgerTest, LinkedGoalsAreGoalsOfAStrategyVersionOfTheGroup) {
  v1::Event linked = TeamBody({a()});
  linked.mutable_action_team()->add_goal_keys("engage-households");
  EXPECT_THAT(Write(founder_, linked),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("engage-households")));
  Ok(bea_, StrategyVersionBody(TestStrategyVersion()));  // has the goal engage-households
  Ok(founder_, linked);
  v1::Event unknown = TeamBody({a()});
  unknown.mutable_action_team()->add_goal_keys("no-such-goal");
  EXPECT_THAT(Write(founder_, unknown), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(TeamsLedgerTest, ATeamMovesProposedActiveDormantClosedAndClosedIsFinal) {
  const EventId t = Ok(founder_, TeamBody({a()}, {b()}));
  EXPECT_EQ(ledger().teams().at(t).status(), v1::TEAM_STATUS_PROPOSED);
  const EventId active = Ok(founder_, Version(t, v1::TEAM_STATUS_ACTIVE, {a()}, {b()}));
  EXPECT_THAT(Write(founder_, Version(t, v1::TEAM_STATUS_PROPOSED, {a()}, {b()})),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("cannot become proposed")));
  const EventId dormant = Ok(founder_, Version(t, v1::TEAM_STATUS_DORMANT, {a()}, {b()}));
  const EventId again = Ok(founder_, Version(t, v1::TEAM_STATUS_ACTIVE, {a()}, {b()}));
  const EventId closed = Ok(founder_, Version(t, v1::TEAM_STATUS_CLOSED, {a()}, {b()}));
  const TeamState& team = ledger().teams().at(t);
  EXPECT_EQ(team.status(), v1::TEAM_STATUS_CLOSED);
  EXPECT_EQ(team.closed_by, closed);
  std::vector<EventId> versions;
  for (const TeamVersion& v : team.versions) versions.push_back(v.id);
  EXPECT_THAT(versions, ElementsAre(t, active, dormant, again, closed));
  EXPECT_THAT(Write(founder_, Version(t, v1::TEAM_STATUS_ACTIVE, {a()}, {b()})),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("closed")));
  EXPECT_THAT(Write(founder_, Version(EventId::FromBytes(std::string(32, 'z')).value(),
                                      v1::TEAM_STATUS_ACTIVE, {a()})),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("team")));
}

TEST_F(TeamsLedgerTest, ALeadWritesTheNextVersionAndLeadsRotate) {
  const EventId t = Ok(founder_, TeamBody({a()}, {b()}, v1::TEAM_STATUS_ACTIVE));
  EXPECT_THAT(Write(bea_, Version(t, v1::TEAM_STATUS_DORMANT, {a()}, {b()})),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("its leads")));
  EXPECT_THAT(Write(cal_, Version(t, v1::TEAM_STATUS_ACTIVE, {a()}, {b(), c()})),
              StatusIs(absl::StatusCode::kPermissionDenied));
  // The lead hands the lead to bea and stays a participant.
  Ok(founder_, Version(t, v1::TEAM_STATUS_ACTIVE, {b()}, {a()}));
  EXPECT_THAT(ledger().teams().at(t).current().leads, ElementsAre(b()));
  EXPECT_THAT(Write(founder_, Version(t, v1::TEAM_STATUS_DORMANT, {b()}, {a()})),
              StatusIs(absl::StatusCode::kPermissionDenied));
  Ok(bea_, Version(t, v1::TEAM_STATUS_ACTIVE, {b()}, {a(), c()}));
  EXPECT_TRUE(ledger().teams().at(t).current().Names(c()));
}

TEST_F(TeamsLedgerTest, WhenNoLeadIsStillAMemberAParticipantWrites) {
  const EventId t = Ok(cal_, TeamBody({c()}, {b()}, v1::TEAM_STATUS_ACTIVE));
  EXPECT_THAT(Write(bea_, Version(t, v1::TEAM_STATUS_ACTIVE, {b()})),
              StatusIs(absl::StatusCode::kPermissionDenied));
  Ok(cal_, WithdrawalBody());
  EXPECT_THAT(Write(founder_, Version(t, v1::TEAM_STATUS_ACTIVE, {a()})),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("participants")));
  Ok(bea_, Version(t, v1::TEAM_STATUS_ACTIVE, {b()}, {a()}));
  EXPECT_THAT(ledger().teams().at(t).current().leads, ElementsAre(b()));
}

TEST_F(TeamsLedgerTest, AVersionOfATeamNotInTheAuthorsCausalPastIsRefused) {
  const EventId t = Ok(founder_, TeamBody({a(), b()}));
  // bea writes without having seen the team: no deps, its own chain predates it.
  EXPECT_THAT(
      Put(history_.AppendWithDeps(bea_, Version(t, v1::TEAM_STATUS_ACTIVE, {a(), b()}), {})),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("causal past")));
}

// Two versions that did not see each other: both take effect; the one that closes the team
// closes it for good even when the other sorts after it; the state is the same whichever
// arrives first.
TEST_F(TeamsLedgerTest, ConcurrentVersionsBothStandAndAClosingOneClosesTheTeam) {
  const EventId t = Ok(founder_, TeamBody({a(), b()}, {}, v1::TEAM_STATUS_ACTIVE));
  const VerifiedEvent by_bea =
      history_.AppendWithDeps(bea_, Version(t, v1::TEAM_STATUS_DORMANT, {a(), b()}, {c()}), {t});
  const VerifiedEvent by_founder =
      history_.AppendWithDeps(founder_, Version(t, v1::TEAM_STATUS_CLOSED, {a(), b()}), {});
  Group other(history_.group());
  for (const VerifiedEvent& e : history_.events()) {
    if (e.id != by_bea.id && e.id != by_founder.id) {
      ASSERT_OK(other.Insert(e).status());
    }
  }
  ASSERT_OK(other.Insert(by_founder).status());
  ASSERT_OK(other.Insert(by_bea).status());
  EXPECT_OK(Put(by_bea));
  EXPECT_OK(Put(by_founder));
  ASSERT_FALSE(state().HappenedBefore(by_bea.id, by_founder.id));
  ASSERT_FALSE(state().HappenedBefore(by_founder.id, by_bea.id));
  const TeamState& team = ledger().teams().at(t);
  EXPECT_EQ(team.versions.size(), 3u);
  EXPECT_EQ(team.status(), v1::TEAM_STATUS_CLOSED);
  EXPECT_EQ(team.closed_by, by_founder.id);
  EXPECT_EQ(TeamsHash(other.state()), TeamsHash(state()));
  EXPECT_EQ(other.state().Hash(), state().Hash());
  // Nothing follows a close, whoever writes.
  EXPECT_THAT(Write(bea_, Version(t, v1::TEAM_STATUS_ACTIVE, {a(), b()})),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("closed")));
}

// PROTOCOL §5.17.1: the team's own orgs decide who leads it. The proposal names them
// (team_orgs): only one of them proposes, only they vote, the leads are among them; once final
// and passed, with team_orgs the team's orgs in force, the named orgs lead (the others stay as
// participants) and only they write the next version.
TEST_F(TeamsLedgerTest, ATeamDecidesWhoLeadsIt) {
  const EventId t = Ok(founder_, TeamBody({a()}, {b()}, v1::TEAM_STATUS_ACTIVE));
  std::vector<OrgKey> team_orgs = {a(), b()};
  std::sort(team_orgs.begin(), team_orgs.end());
  EXPECT_THAT(Write(cal_, TeamLeadsBody(t, {b()}, team_orgs)),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("team_orgs")));
  EXPECT_THAT(Write(bea_, TeamLeadsBody(t, {c()}, team_orgs)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not among team_orgs")));
  EXPECT_THAT(Write(bea_, TeamLeadsBody(t, {}, team_orgs)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("proposal.team_leads.leads")));
  EXPECT_THAT(Write(bea_, TeamLeadsBody(t, {b()}, {})),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("team_orgs")));
  EXPECT_THAT(
      Write(bea_, TeamLeadsBody(t, {outsider_.public_key()}, {b(), outsider_.public_key()})),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("not a member")));
  // What a node checks before it writes one: the team as it is now.
  EXPECT_THAT(state().CheckOwnWrite(TeamLeadsBody(EventId::FromArray({7}), {b()}, team_orgs)),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("team")));
  EXPECT_THAT(state().CheckOwnWrite(TeamLeadsBody(t, {c()}, {a(), b(), c()})),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("add it to the team")));
  EXPECT_THAT(state().CheckOwnWrite(TeamLeadsBody(t, {b()}, {b()})),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("read the team again")));
  EXPECT_OK(state().CheckOwnWrite(TeamLeadsBody(t, {b()}, team_orgs)));

  const EventId p = Ok(bea_, TeamLeadsBody(t, {b()}, team_orgs));
  const ProposalState& proposal = Governance(state()).proposals().at(p);
  std::vector<OrgKey> electorate;
  for (const auto& [org, voter] : proposal.electorate) electorate.push_back(org);
  EXPECT_EQ(electorate, team_orgs) << "the team's orgs decide, not the whole group";
  EXPECT_THAT(Write(cal_, StanceBody(p, v1::STANCE_CHOICE_BLOCK, "not yours")),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("electorate")));
  Ok(founder_, StanceBody(p, v1::STANCE_CHOICE_AGREE));
  Ok(bea_, StanceBody(p, v1::STANCE_CHOICE_AGREE));
  EXPECT_EQ(ledger().teams().at(t).versions.size(), 1u) << "not final yet: nothing changes";
  Ok(founder_, AcknowledgementBody({p}));
  Ok(bea_, AcknowledgementBody({p}));
  ASSERT_TRUE(Governance(state()).proposals().at(p).outcome.final);

  const TeamState& team = ledger().teams().at(t);
  ASSERT_EQ(team.versions.size(), 2u);
  const TeamVersion& decided = team.current();
  EXPECT_EQ(decided.id, p);
  EXPECT_EQ(decided.author, b());
  EXPECT_EQ(decided.record, t) << "the team's text stays that of its record";
  EXPECT_TRUE(decided.decided_at.has_value());
  EXPECT_THAT(decided.leads, ElementsAre(b()));
  EXPECT_THAT(decided.participants, ElementsAre(a())) << "the former lead stays in the team";
  EXPECT_EQ(decided.status, v1::TEAM_STATUS_ACTIVE);
  EXPECT_EQ(ledger().TeamOfVersion(p), &team);

  // The decided leads write the next version; the former lead no longer does.
  EXPECT_THAT(Write(founder_, Version(t, v1::TEAM_STATUS_DORMANT, {a()}, {b()})),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("its leads")));
  const EventId next = Ok(bea_, Version(t, v1::TEAM_STATUS_ACTIVE, {b()}, {a(), c()}));
  EXPECT_EQ(ledger().teams().at(t).current().id, next);
  EXPECT_EQ(ledger().teams().at(t).current().record, next);

  // Another node holding the same events holds the same teams, and the same state.
  Group other(history_.group());
  for (const VerifiedEvent& e : history_.events()) ASSERT_OK(other.Insert(e).status());
  EXPECT_EQ(TeamsHash(other.state()), TeamsHash(state()));
  EXPECT_EQ(other.state().Hash(), state().Hash());
}

// A decision that failed, that names orgs other than the team's (so that they alone would
// vote), or that turned final after the team closed, changes nothing in the team.
TEST_F(TeamsLedgerTest, ALeadsDecisionThatFailsIsForgedOrIsFinalAfterTheCloseChangesNothing) {
  const EventId t = Ok(founder_, TeamBody({a()}, {b()}, v1::TEAM_STATUS_ACTIVE));
  std::vector<OrgKey> team_orgs = {a(), b()};
  std::sort(team_orgs.begin(), team_orgs.end());
  // Blocked (consent): no decided version.
  const EventId blocked = Ok(bea_, TeamLeadsBody(t, {b()}, team_orgs));
  Ok(founder_, StanceBody(blocked, v1::STANCE_CHOICE_BLOCK, "I stay the lead for now"));
  Ok(bea_, StanceBody(blocked, v1::STANCE_CHOICE_AGREE));
  Ok(founder_, AcknowledgementBody({blocked}));
  Ok(bea_, AcknowledgementBody({blocked}));
  ASSERT_TRUE(Governance(state()).proposals().at(blocked).outcome.final);
  EXPECT_EQ(ledger().teams().at(t).versions.size(), 1u);

  // Forged: bea names itself and cal as the team, so that the lead has no say. It passes
  // between them, and takes no effect: those are not the team's orgs.
  std::vector<OrgKey> forged = {b(), c()};
  std::sort(forged.begin(), forged.end());
  const EventId hijack = Ok(bea_, TeamLeadsBody(t, {b()}, forged));
  Ok(bea_, StanceBody(hijack, v1::STANCE_CHOICE_AGREE));
  Ok(cal_, StanceBody(hijack, v1::STANCE_CHOICE_AGREE));
  Ok(bea_, AcknowledgementBody({hijack}));
  Ok(cal_, AcknowledgementBody({hijack}));
  ASSERT_TRUE(Governance(state()).proposals().at(hijack).outcome.final);
  EXPECT_EQ(Governance(state()).proposals().at(hijack).outcome.outcome, DecisionOutcome::kPassed);
  EXPECT_EQ(ledger().teams().at(t).versions.size(), 1u);
  EXPECT_THAT(ledger().teams().at(t).current().leads, ElementsAre(a()));
  const std::string before = TeamsHash(state());

  // Passed, but the lead closed the team before the decision turned final: closed is final.
  const EventId late = Ok(bea_, TeamLeadsBody(t, {b()}, team_orgs));
  Ok(founder_, Version(t, v1::TEAM_STATUS_CLOSED, {a()}, {b()}));
  EXPECT_THAT(state().CheckOwnWrite(TeamLeadsBody(t, {b()}, team_orgs)),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("closed")));
  Ok(founder_, StanceBody(late, v1::STANCE_CHOICE_AGREE));
  Ok(bea_, StanceBody(late, v1::STANCE_CHOICE_AGREE));
  Ok(founder_, AcknowledgementBody({late}));
  Ok(bea_, AcknowledgementBody({late}));
  ASSERT_TRUE(Governance(state()).proposals().at(late).outcome.final);
  const TeamState& team = ledger().teams().at(t);
  EXPECT_EQ(team.versions.size(), 2u) << "the close, and no decided version";
  EXPECT_EQ(team.status(), v1::TEAM_STATUS_CLOSED);
  EXPECT_THAT(team.current().leads, ElementsAre(a()));
  EXPECT_NE(TeamsHash(state()), before);  // the close
}

// Regression: simulator fork seed 101179. A decided version is in force for a record when its
// decision is final and passed in the record's causal past (PROTOCOL §5.17), not when the event
// that made it final (canonical order) is: that event can move. Here the lead saw every stance
// and wrote an event past the close, but not bea's event past the close, and then closed the
// team: not final in its past, so it still led. When bea's event arrives it sorts before the
// lead's, so the decision turns final at the lead's event, which the close had seen; the close
// must stand all the same, and the team stays closed.
TEST_F(TeamsLedgerTest, AVersionWrittenBeforeItsAuthorSawTheLeadsDecisionFinalStands) {
  const EventId t = Ok(founder_, TeamBody({a()}, {b()}, v1::TEAM_STATUS_ACTIVE));
  std::vector<OrgKey> team_orgs = {a(), b()};
  std::sort(team_orgs.begin(), team_orgs.end());
  const EventId p = Ok(founder_, TeamLeadsBody(t, {b()}, team_orgs));
  Ok(bea_, StanceBody(p, v1::STANCE_CHOICE_AGREE));
  const EventId last_stance = Ok(founder_, StanceBody(p, v1::STANCE_CHOICE_AGREE));  // the close
  // bea's event past the close (it saw no more than its own stance, its clock ahead), which the
  // founder's node has not received yet.
  const Hlc past_close{history_.Get(last_stance).hlc.wall_ms + 1'000, 0};
  const VerifiedEvent bea_past_close =
      history_.AppendWithDeps(bea_, PulseCheckBody(), {}, past_close);
  const VerifiedEvent founder_past_close = history_.AppendWithDeps(founder_, PulseCheckBody(), {});
  ASSERT_OK(Put(founder_past_close));
  EXPECT_FALSE(Governance(state()).proposals().at(p).outcome.final);
  const VerifiedEvent close =
      history_.AppendWithDeps(founder_, Version(t, v1::TEAM_STATUS_CLOSED, {a()}, {b()}), {});
  ASSERT_OK(Put(close)) << "the founder still leads: the decision is not final in its past";

  ASSERT_OK(Put(bea_past_close));
  const ProposalState& decided = Governance(state()).proposals().at(p);
  ASSERT_TRUE(decided.outcome.final);
  EXPECT_EQ(decided.outcome.outcome, DecisionOutcome::kPassed);
  ASSERT_EQ(decided.outcome.final_at, founder_past_close.id)
      << "the late event sorts first: the decision turned final at an event the close had seen";
  EXPECT_FALSE(state().rejected_events().contains(close.id));
  const TeamState& team = ledger().teams().at(t);
  EXPECT_EQ(team.status(), v1::TEAM_STATUS_CLOSED);
  EXPECT_EQ(team.closed_by, close.id);

  // Another node that received bea's event first holds the same teams, and the same state.
  Group other(history_.group());
  for (const VerifiedEvent& e : history_.events()) ASSERT_OK(other.Insert(e).status());
  EXPECT_EQ(TeamsHash(other.state()), TeamsHash(state()));
  EXPECT_EQ(other.state().Hash(), state().Hash());
}

// PROTOCOL §5.14 "Teams past review": the health view lists the teams not closed whose current
// version's review date has passed, ascending by team id; a version that moves the date on or
// closes the team takes it off the list.
TEST_F(TeamsLedgerTest, HealthListsTheTeamsPastTheirReviewDate) {
  constexpr uint64_t kReviewMs = 1'800'000'000'000;  // 2027-01-15
  const auto reviewed = [](v1::Event body, uint64_t review_ms) {
    body.mutable_action_team()->set_review_ms(review_ms);
    return body;
  };
  const EventId due =
      Ok(founder_,
         reviewed(TeamBody({a()}, {b()}, v1::TEAM_STATUS_ACTIVE, "Youth jobs pilot"), kReviewMs));
  const EventId later =
      Ok(bea_,
         reviewed(TeamBody({b()}, {}, v1::TEAM_STATUS_PROPOSED, "Stove programme"), kReviewMs + 1));
  const EventId closed =
      Ok(cal_, reviewed(TeamBody({c()}, {}, v1::TEAM_STATUS_ACTIVE, "Old pilot"), kReviewMs));
  Ok(founder_, TeamBody({a()}, {}, v1::TEAM_STATUS_ACTIVE, "No review date"));
  Ok(cal_,
     TeamVersionBody(
         closed, reviewed(TeamBody({c()}, {}, v1::TEAM_STATUS_CLOSED, "Old pilot"), kReviewMs)));

  EXPECT_THAT(HealthAt(state(), kReviewMs - 1).teams_review_due, ElementsAre());
  EXPECT_THAT(HealthAt(state(), kReviewMs).teams_review_due, ElementsAre(due));
  std::vector<EventId> both = {due, later};
  std::sort(both.begin(), both.end());
  EXPECT_EQ(HealthAt(state(), kReviewMs + 1).teams_review_due, both);

  // The lead reviews the team and sets the next review date: it is off the list until then.
  Ok(founder_, TeamVersionBody(due, reviewed(TeamBody({a()}, {b()}, v1::TEAM_STATUS_DORMANT,
                                                      "Youth jobs pilot"),
                                             kReviewMs + 1'000)));
  EXPECT_THAT(HealthAt(state(), kReviewMs + 1).teams_review_due, ElementsAre(later));
  EXPECT_EQ(HealthAt(state(), kReviewMs + 1'000).teams_review_due, both);
}

TEST(TeamTransitionTest, TheLifecycleTable) {
  using S = v1::TeamStatus;
  const S all[] = {v1::TEAM_STATUS_PROPOSED, v1::TEAM_STATUS_ACTIVE, v1::TEAM_STATUS_DORMANT,
                   v1::TEAM_STATUS_CLOSED};
  std::vector<std::string> allowed;
  for (S from : all) {
    for (S to : all) {
      if (IsTeamTransition(from, to)) {
        allowed.push_back(absl::StrFormat("%s->%s", TeamStatusName(from), TeamStatusName(to)));
      }
    }
  }
  EXPECT_THAT(allowed, ElementsAre("proposed->proposed", "proposed->active", "proposed->closed",
                                   "active->active", "active->dormant", "active->closed",
                                   "dormant->active", "dormant->dormant", "dormant->closed"));
}

}  // namespace
}  // namespace constellation::core
