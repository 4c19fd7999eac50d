// Action teams across three real nodes in-process (RocksDB, gRPC on 127.0.0.1:0), driven through
// the SDK (issue 9 item 3, docs/PROTOCOL.md §5.17): A forms a team with B around a goal of the
// group's strategy; bad input (a team A does not lead, a non-member participant, an unknown
// goal, a first version that is closed, a version by a participant) is refused with its code
// and stores nothing; A hands the lead to B and adds C, B (on its own node) sets the team
// dormant; every node shows the same team and the same state hash; once C leaves the group, the
// team shows C as no longer in it. And the team decides who leads it (§5.17.1).
#include <constellation/client.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/integration/three_org_cluster.h"
#include "tests/testing/status_matchers.h"

namespace constellation {
namespace {

using ::constellation::testing::Eventually;
using ::constellation::testing::Org;
using ::constellation::testing::StatusIs;
using ::constellation::testing::ThreeOrgCluster;
using ::testing::HasSubstr;

class TeamsClusterTest : public ThreeOrgCluster {
 protected:
  // Waits until `org`'s node holds `versions` versions of the team (replication).
  void AwaitVersions(Org& org, const std::string& id, uint32_t versions) {
    ASSERT_TRUE(Eventually([&] {
      absl::StatusOr<Team> team = org.client->GetTeam(group_, id);
      return team.ok() && team->versions == versions;
    })) << "node of "
        << org.key;
  }
};

TEST_F(TeamsClusterTest, FormRotateLeadAndGoDormantAgreeOnEveryNode) {
  StrategyDraft draft;
  draft.document = "common_agenda";
  draft.title = "Common agenda";
  draft.goals = {{"jobs", "Jobs for young people", {}}};
  ASSERT_OK(a().client->DraftStrategy(group_, draft).status());

  TeamInput input;
  input.name = "Youth jobs pilot";
  input.opportunity = "A city grant for youth employment";
  input.leads = {a().key};
  input.participants = {b().key};
  input.fiscal_host = a().key;
  input.review_ms = 1'900'000'000'000;
  input.status = "active";
  input.goal_keys = {"jobs"};
  input.workplan = "Apply by June.\nPilot in the autumn.";

  // Bad input first: each refused with its code, nothing stored.
  const uint64_t a_seq = LastSeq(a(), a().key);
  TeamInput not_mine = input;
  not_mine.leads = {b().key};
  not_mine.participants = {};
  EXPECT_THAT(a().client->CreateTeam(group_, not_mine),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("not one of its leads")));
  TeamInput outsider = input;
  outsider.participants = {"ab" + a().key.substr(2)};
  EXPECT_THAT(a().client->CreateTeam(group_, outsider),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("not a member")));
  TeamInput unknown_goal = input;
  unknown_goal.goal_keys = {"housing"};
  EXPECT_THAT(a().client->CreateTeam(group_, unknown_goal),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("housing")));
  TeamInput closed = input;
  closed.status = "closed";
  EXPECT_THAT(a().client->CreateTeam(group_, closed),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("new team")));
  TeamInput bad_status = input;
  bad_status.status = "sleeping";
  EXPECT_THAT(a().client->CreateTeam(group_, bad_status),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("team.status")));
  EXPECT_EQ(LastSeq(a(), a().key), a_seq) << "a refused write stored nothing";

  ASSERT_OK_AND_ASSIGN(TeamWrite created, a().client->CreateTeam(group_, input));
  const std::string id = created.team.team_id;
  EXPECT_EQ(created.team.status, "active");
  EXPECT_EQ(created.team.created_by, a().key);
  EXPECT_EQ(created.team.team.goal_keys, std::vector<std::string>{"jobs"});
  ASSERT_EQ(created.team.members.size(), 2u);
  EXPECT_TRUE(created.team.members[0].lead);
  EXPECT_EQ(created.team.members[0].org, a().key);
  EXPECT_EQ(created.team.members[1].org, b().key);
  EXPECT_TRUE(created.team.members[1].active);

  // A participant does not write versions; the lead hands the lead to B and adds C.
  AwaitVersions(b(), id, 1);
  TeamInput next = input;
  next.status = "dormant";
  EXPECT_THAT(b().client->UpdateTeam(group_, id, next),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("its leads")));
  TeamInput rotated = input;
  rotated.leads = {b().key};
  rotated.participants = {a().key, c().key};
  ASSERT_OK_AND_ASSIGN(TeamWrite rotation, a().client->UpdateTeam(group_, id, rotated));
  EXPECT_EQ(rotation.team.team_id, id);
  EXPECT_EQ(rotation.team.versions, 2u);
  AwaitVersions(b(), id, 2);
  TeamInput dormant = rotated;
  dormant.status = "dormant";
  ASSERT_OK_AND_ASSIGN(TeamWrite slept, b().client->UpdateTeam(group_, id, dormant));
  EXPECT_EQ(slept.team.status, "dormant");
  TeamInput backwards = dormant;
  backwards.status = "proposed";
  EXPECT_THAT(b().client->UpdateTeam(group_, id, backwards),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("cannot become")));

  // Every node shows the same team, and the same state hash.
  for (Org* org : all()) AwaitVersions(*org, id, 3);
  ExpectConverged();
  for (Org* org : all()) {
    // Health, asked at the same time on every node, lists the team once its review is due.
    ASSERT_OK_AND_ASSIGN(GroupHealth before, org->client->GetHealth(group_, input.review_ms - 1));
    EXPECT_TRUE(before.teams_review_due.empty());
    ASSERT_OK_AND_ASSIGN(GroupHealth due, org->client->GetHealth(group_, input.review_ms));
    ASSERT_EQ(due.teams_review_due.size(), 1u);
    EXPECT_EQ(due.teams_review_due[0].team_id, id);
    EXPECT_EQ(due.teams_review_due[0].name, "Youth jobs pilot");
    EXPECT_EQ(due.teams_review_due[0].status, "dormant");
    EXPECT_EQ(due.teams_review_due[0].review_ms, input.review_ms);
    EXPECT_EQ(due.teams_review_due[0].leads, std::vector<std::string>{b().key});

    ASSERT_OK_AND_ASSIGN(Team team, org->client->GetTeam(group_, id));
    EXPECT_EQ(team.status, "dormant");
    EXPECT_EQ(team.team.workplan, "Apply by June.\nPilot in the autumn.");
    ASSERT_EQ(team.members.size(), 3u);
    EXPECT_EQ(team.members[0].org, b().key);
    EXPECT_TRUE(team.members[0].lead);
    ASSERT_OK_AND_ASSIGN(std::vector<Team> of_c, org->client->ListTeams(group_, c().key));
    ASSERT_EQ(of_c.size(), 1u);
    EXPECT_EQ(of_c[0].team_id, id);
  }

  // C leaves the group, and so the team: the views say so, no team record needed.
  ASSERT_OK(c().client->Withdraw(group_, "refocusing").status());
  ASSERT_TRUE(Eventually([&] {
    absl::StatusOr<Team> team = a().client->GetTeam(group_, id);
    if (!team.ok()) return false;
    for (const TeamMember& m : team->members) {
      if (m.org == c().key) return !m.active;
    }
    return false;
  }));
  ASSERT_OK_AND_ASSIGN(Team after, a().client->GetTeam(group_, id));
  EXPECT_EQ(after.versions, 3u);
}

// docs/PROTOCOL.md §5.17.1: the team's own orgs decide who leads it. Bad proposals (by an org
// outside the team, naming an org outside it) are refused and store nothing; C, outside the
// team, has no stance; once A and B agree and the outcome is final, every node shows B leading
// and the deciding proposal, A no longer writes versions and B does.
TEST_F(TeamsClusterTest, TheTeamDecidesWhoLeadsItOnEveryNode) {
  TeamInput input;
  input.name = "Harbour clean-up";
  input.leads = {a().key};
  input.participants = {b().key};
  input.status = "active";
  ASSERT_OK_AND_ASSIGN(TeamWrite created, a().client->CreateTeam(group_, input));
  const std::string id = created.team.team_id;
  for (Org* org : all()) AwaitVersions(*org, id, 1);

  ProposalSpec spec;
  spec.title = "B leads the clean-up";
  const uint64_t b_seq = LastSeq(b(), b().key);
  EXPECT_THAT(b().client->ProposeTeamLeads(group_, id, {c().key}, spec),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not among team_orgs")));
  EXPECT_THAT(b().client->ProposeTeamLeads(group_, id, {}, spec),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("team_leads.leads")));
  EXPECT_THAT(b().client->ProposeTeamLeads(group_, "77" + id.substr(2), {b().key}, spec),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_EQ(LastSeq(b(), b().key), b_seq) << "a refused proposal stored nothing";
  const uint64_t c_seq = LastSeq(c(), c().key);
  EXPECT_THAT(c().client->ProposeTeamLeads(group_, id, {b().key}, spec),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("team_orgs")));
  EXPECT_EQ(LastSeq(c(), c().key), c_seq) << "a refused proposal stored nothing";

  ASSERT_OK_AND_ASSIGN(ProposalWrite proposed,
                       b().client->ProposeTeamLeads(group_, id, {b().key}, spec));
  const std::string p = proposed.proposal.proposal_id;
  ASSERT_EQ(proposed.proposal.electorate.size(), 2u) << "the team's orgs decide";
  ASSERT_TRUE(proposed.proposal.spec.team_leads.has_value());
  EXPECT_EQ(proposed.proposal.spec.team_leads->team_orgs.size(), 2u);
  ASSERT_TRUE(Eventually([&] { return c().client->GetProposal(group_, p).ok(); }));
  EXPECT_THAT(c().client->CastStance(group_, p, "block", "not the team's business"),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("electorate")));
  for (Org* voter : {&a(), &b()}) {
    ASSERT_TRUE(Eventually([&] { return voter->client->GetProposal(group_, p).ok(); }));
    ASSERT_OK(voter->client->CastStance(group_, p, "agree").status());
  }
  for (Org* org : all()) AwaitVersions(*org, id, 2);
  for (Org* org : all()) {
    ASSERT_OK_AND_ASSIGN(Team team, org->client->GetTeam(group_, id));
    EXPECT_EQ(team.leads_decided_by, p);
    EXPECT_EQ(team.version_id, id) << "the text is still the first version's";
    EXPECT_EQ(team.team.name, "Harbour clean-up");
    EXPECT_EQ(team.team.leads, std::vector<std::string>{b().key});
    EXPECT_EQ(team.team.participants, std::vector<std::string>{a().key});
    ASSERT_EQ(team.members.size(), 2u);
    EXPECT_EQ(team.members[0].org, b().key);
    EXPECT_TRUE(team.members[0].lead);
  }

  TeamInput by_a = input;
  by_a.status = "dormant";
  EXPECT_THAT(a().client->UpdateTeam(group_, id, by_a),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("its leads")));
  TeamInput by_b = input;
  by_b.leads = {b().key};
  by_b.participants = {a().key, c().key};
  ASSERT_OK_AND_ASSIGN(TeamWrite next, b().client->UpdateTeam(group_, id, by_b));
  EXPECT_TRUE(next.team.leads_decided_by.empty()) << "a record states the team again";
  for (Org* org : all()) AwaitVersions(*org, id, 3);
  ExpectConverged();
}

}  // namespace
}  // namespace constellation
