// tests/sim/domains/teams_domain.cc
//
// The action teams domain of the simulation (sim_domain.h; server/core/teams/,
// docs/PROTOCOL.md §5.17):
//   * actions: form a team led by oneself with some members of one's view (now and then naming
//     one who left the group: refused); as a lead of a team (now and then as someone who is
//     not: refused), write its next version: a status drawn from all four (a step the lifecycle
//     does not allow is refused), now and then handing the lead to a participant, adding a
//     member or dropping one; as an org of a team (now and then as one that is not: refused),
//     propose that the team decide its leads (TEAM_LEADS, docs/PROTOCOL.md §5.17.1: one or two
//     orgs of the team, naming the team's orgs; now and then also a member outside the team,
//     named as one of its orgs: such a decision must change nothing); the governance domain's
//     stances and the nodes' acknowledgements decide it.
//   * invariant "team members are members" (after every step, on every node that is up): every
//     org an accepted version names was a member of the group in that version's causal past,
//     each version has a lead, leads and participants are disjoint, and a later version's author
//     was a lead or participant of an earlier one (a first version's author leads it). A
//     decided version stands only for a final, passed TEAM_LEADS proposal of its team, made
//     final by the event it names, whose team_orgs were the orgs of a version of the team; its
//     leads were members in the proposal's past, and its other orgs are exactly those of the
//     version before it. Judged again at every step, so a
//     verdict that changed when concurrent events arrived would show.
//   * invariant "closed stays closed" (after every step): a team a node once showed closed
//     stays closed there (a concurrent closing version that sorts earlier may become the one
//     that closed it), unless the node crashed since, or an expulsion's cut or a fork's freeze
//     voided records in the group (the closing version, or the admission its author's
//     membership rests on).
#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <absl/strings/str_format.h>

#include "server/core/governance/governance_ledger.h"
#include "server/core/group.h"
#include "server/core/teams/teams_ledger.h"
#include "tests/sim/domains/sim_domain.h"
#include "tests/testing/team_events.h"

namespace constellation::sim {
namespace {

using ::constellation::testing::TeamBody;
using ::constellation::testing::TeamLeadsBody;
using ::constellation::testing::TeamVersionBody;

// Weights (sim_domain.h: about "per 10'000 steps").
constexpr uint32_t kFormWeight = 150;
constexpr uint32_t kVersionWeight = 450;
constexpr uint32_t kLeadsDecisionWeight = 120;

const core::TeamsLedger& Ledger(const Member& m) { return core::Teams(*m.state); }

// Members of the roster of the member's view: active ones, or (`left`) those that left.
std::vector<core::OrgKey> Members(const Member& m, bool left) {
  std::vector<core::OrgKey> out;
  for (const auto& [key, member] : m.state->roster().members()) {
    const bool active = member.status == core::MemberStatus::kActive;
    if (active != left) out.push_back(key);
  }
  return out;
}

void AddOnce(std::vector<core::OrgKey>& list, const core::OrgKey& org) {
  if (std::find(list.begin(), list.end(), org) == list.end()) list.push_back(org);
}

// ---- Actions ----

void Form(SimWorld& w, const Member& m) {
  std::vector<core::OrgKey> participants;
  for (const core::OrgKey& key : Members(m, false)) {
    if (key != m.org && w.random().Chance(500)) participants.push_back(key);
  }
  const std::vector<core::OrgKey> left = Members(m, true);
  if (!left.empty() && w.random().Chance(150)) AddOnce(participants, w.random().Pick(left));
  const v1::TeamStatus status =
      w.random().Chance(500) ? v1::TEAM_STATUS_ACTIVE : v1::TEAM_STATUS_PROPOSED;
  w.Write(m.node, m.group, TeamBody({m.org}, participants, status),
          absl::StrFormat("form a team with %d participants", participants.size()));
}

void NewVersion(SimWorld& w, const Member& m) {
  const bool as_outsider = w.random().Chance(100);
  std::vector<const core::TeamState*> candidates;
  for (const auto& [id, t] : Ledger(m).teams()) {
    const bool leads =
        std::binary_search(t.current().leads.begin(), t.current().leads.end(), m.org);
    if (leads != as_outsider && (!t.closed() || w.random().Chance(100))) candidates.push_back(&t);
  }
  if (candidates.empty()) return;
  const core::TeamState& team = *w.random().Pick(candidates);
  std::vector<core::OrgKey> leads = team.current().leads;
  std::vector<core::OrgKey> participants = team.current().participants;
  std::string change = "status";
  if (!participants.empty() && w.random().Chance(250)) {
    // Hand the lead to a participant; this org stays a participant.
    const core::OrgKey next = w.random().Pick(participants);
    std::erase(participants, next);
    std::erase(leads, m.org);
    AddOnce(participants, m.org);
    AddOnce(leads, next);
    change = "lead to " + next.ShortHex();
  } else if (w.random().Chance(300)) {
    const std::vector<core::OrgKey> active = Members(m, false);
    if (!active.empty()) {
      const core::OrgKey org = w.random().Pick(active);
      if (std::find(leads.begin(), leads.end(), org) == leads.end()) AddOnce(participants, org);
      change = "add " + org.ShortHex();
    }
  } else if (!participants.empty() && w.random().Chance(300)) {
    const core::OrgKey org = w.random().Pick(participants);
    std::erase(participants, org);
    change = "drop " + org.ShortHex();
  }
  if (leads.empty()) return;
  constexpr v1::TeamStatus kStatuses[] = {v1::TEAM_STATUS_PROPOSED, v1::TEAM_STATUS_ACTIVE,
                                          v1::TEAM_STATUS_DORMANT, v1::TEAM_STATUS_CLOSED};
  const v1::TeamStatus status = kStatuses[w.random().Below(4)];
  w.Write(m.node, m.group, TeamVersionBody(team.id, TeamBody(leads, participants, status)),
          absl::StrFormat("team %s: %s, %s%s", team.id.ShortHex(), change,
                          core::TeamStatusName(status), as_outsider ? " (not a lead)" : ""));
}

void ProposeLeads(SimWorld& w, const Member& m) {
  const bool as_outsider = w.random().Chance(100);
  std::vector<const core::TeamState*> candidates;
  for (const auto& [id, t] : Ledger(m).teams()) {
    if (!t.closed() && t.current().Names(m.org) != as_outsider) candidates.push_back(&t);
  }
  if (candidates.empty()) return;
  const core::TeamState& team = *w.random().Pick(candidates);
  std::vector<core::OrgKey> orgs = core::TeamOrgs(team.current());
  std::vector<core::OrgKey> leads = {w.random().Pick(orgs)};
  if (orgs.size() > 1 && w.random().Chance(300)) AddOnce(leads, w.random().Pick(orgs));
  std::string note;
  const std::vector<core::OrgKey> active = Members(m, false);
  if (!active.empty() && w.random().Chance(100)) {
    // Names an org outside the team as a lead and as one of the team: the decision may pass
    // among the orgs named, and must then change nothing.
    const core::OrgKey org = w.random().Pick(active);
    if (!team.current().Names(org)) note = " (naming one outside the team)";
    AddOnce(leads, org);
    AddOnce(orgs, org);
    std::sort(orgs.begin(), orgs.end());
  }
  w.Write(m.node, m.group, TeamLeadsBody(team.id, leads, orgs),
          absl::StrFormat("team %s: propose %d lead(s)%s%s", team.id.ShortHex(), leads.size(), note,
                          as_outsider ? " (not in the team)" : ""));
}

// ---- Invariants ----

// What is wrong with decided version `v` of team `t`, which follows `before`, or "".
std::string DecidedInconsistency(const core::Group& group, const core::TeamState& t,
                                 const core::TeamVersion& v, const core::TeamVersion& before) {
  const core::GovernanceLedger& governance = core::Governance(group.state());
  auto p = governance.proposals().find(v.id);
  if (p == governance.proposals().end() || p->second.type() != v1::DECISION_TYPE_TEAM_LEADS ||
      p->second.proposal.team_leads().team_id() != t.id.Bytes() || !p->second.outcome.final ||
      p->second.outcome.outcome != core::DecisionOutcome::kPassed ||
      p->second.outcome.final_at != v.decided_at) {
    return absl::StrFormat(
        "decided version %s of team %s has no final, passed TEAM_LEADS "
        "proposal of the team made final at its event",
        v.id.ShortHex(), t.id.ShortHex());
  }
  std::vector<core::OrgKey> named;
  for (const std::string& org : p->second.proposal.team_leads().team_orgs()) {
    named.push_back(*core::OrgKey::FromBytes(org));
  }
  std::sort(named.begin(), named.end());
  if (std::none_of(t.versions.begin(), t.versions.end(), [&](const core::TeamVersion& earlier) {
        return core::TeamOrgs(earlier) == named;
      })) {
    return absl::StrFormat(
        "decided version %s of team %s follows a decision whose team_orgs "
        "no version of the team names",
        v.id.ShortHex(), t.id.ShortHex());
  }
  const core::VerifiedEvent* e = group.Find(v.id);
  for (const core::OrgKey& org : v.leads) {
    if (!governance.IsMemberInPast(org, *e, group.state())) {
      return absl::StrFormat(
          "decided version %s of team %s names lead %s, not a member in the "
          "proposal's past",
          v.id.ShortHex(), t.id.ShortHex(), org.ShortHex());
    }
  }
  std::vector<core::OrgKey> expected;
  for (const auto* list : {&before.leads, &before.participants}) {
    for (const core::OrgKey& org : *list) {
      if (!std::binary_search(v.leads.begin(), v.leads.end(), org)) expected.push_back(org);
    }
  }
  std::sort(expected.begin(), expected.end());
  if (expected != v.participants || v.record != before.record || v.status != before.status) {
    return absl::StrFormat(
        "decided version %s of team %s does not keep the orgs, status and "
        "text of version %s before it",
        v.id.ShortHex(), t.id.ShortHex(), before.id.ShortHex());
  }
  return "";
}

// What is wrong with `group`'s teams, or "".
std::string Inconsistency(const core::Group& group) {
  const core::GovernanceLedger& governance = core::Governance(group.state());
  for (const auto& [id, t] : core::Teams(group.state()).teams()) {
    std::vector<core::OrgKey> writers;  // leads and participants of the versions so far
    const core::TeamVersion* before = nullptr;
    for (const core::TeamVersion& v : t.versions) {
      const core::TeamVersion* previous = before;
      before = &v;
      const core::VerifiedEvent* e = group.Find(v.id);
      if (e == nullptr) return absl::StrFormat("version %s is not in the group", v.id.ShortHex());
      if (v.leads.empty()) return absl::StrFormat("version %s has no lead", v.id.ShortHex());
      for (const core::OrgKey& p : v.participants) {
        if (std::binary_search(v.leads.begin(), v.leads.end(), p)) {
          return absl::StrFormat("version %s names %s as lead and participant", v.id.ShortHex(),
                                 p.ShortHex());
        }
      }
      if (v.decided_at.has_value()) {
        if (previous == nullptr) {
          return absl::StrFormat("team %s begins with a decided version", id.ShortHex());
        }
        const std::string decided = DecidedInconsistency(group, t, v, *previous);
        if (!decided.empty()) return decided;
      }
      for (const auto* list : {&v.leads, &v.participants}) {
        if (v.decided_at.has_value()) break;  // judged above
        for (const core::OrgKey& org : *list) {
          if (!governance.IsMemberInPast(org, *e, group.state())) {
            return absl::StrFormat("version %s of team %s names %s, not a member in its past",
                                   v.id.ShortHex(), id.ShortHex(), org.ShortHex());
          }
        }
      }
      const bool first = v.id == t.id;
      const bool allowed =
          first ? std::binary_search(v.leads.begin(), v.leads.end(), v.author)
                : std::find(writers.begin(), writers.end(), v.author) != writers.end();
      if (!allowed) {
        return absl::StrFormat("version %s of team %s is by %s, who %s", v.id.ShortHex(),
                               id.ShortHex(), v.author.ShortHex(),
                               first ? "does not lead it" : "was never in the team");
      }
      writers.insert(writers.end(), v.leads.begin(), v.leads.end());
      writers.insert(writers.end(), v.participants.begin(), v.participants.end());
    }
  }
  return "";
}

absl::Status CheckConsistent(SimWorld& w) {
  return CheckEveryGroup(w, "teams (members are members)",
                         [](const core::Group& group) { return Inconsistency(group); });
}

// Per node and group: every team it has shown closed and the version that closed it, since the
// node last crashed.
using ClosedSeen = SeenSinceCrash<std::map<core::EventId, core::EventId>>;

absl::Status CheckClosedStaysClosed(SimWorld& w, ClosedSeen& seen) {
  for (int i = 0; i < w.node_count(); ++i) {
    const SimNode& node = w.node(i);
    if (!node.up()) continue;
    seen.Refresh(w, i);
    for (const auto& [group_id, group] : node.state().groups()) {
      std::map<core::EventId, core::EventId> now;
      for (const auto& [id, t] : core::Teams(group->state()).teams()) {
        if (t.closed()) now[id] = *t.closed_by;
      }
      for (const auto& [team, closer] : seen.At(i, group_id)) {
        // Another closing version that sorts earlier may become the one that closed it.
        if (now.contains(team)) continue;
        // An expulsion's cut or a fork's freeze voids records by design (PROTOCOL §5.7, §3.1):
        // the closer's own, or those its author's membership rests on (an admission on the
        // frozen branch of a forked member).
        const core::VerifiedEvent* e = group->Find(closer);
        const bool voidable = !group->state().removal_cuts().empty() || !group->forks().empty();
        if (!voidable) {
          auto rejected = group->state().rejected_events().find(closer);
          return absl::InternalError(absl::StrFormat(
              "teams (closed stays closed): node %d shows team %s open after version %s closed "
              "it (%s)",
              i, team.ShortHex(), closer.ShortHex(),
              rejected == group->state().rejected_events().end()
                  ? std::string(e == nullptr ? "no longer held" : "not rejected")
                  : absl::StrFormat("now rejected: %s", std::string(rejected->second))));
        }
      }
      seen.At(i, group_id) = std::move(now);
    }
  }
  return absl::OkStatus();
}

}  // namespace

SimDomain TeamsDomain() {
  auto seen = std::make_shared<ClosedSeen>();
  return SimDomain{
      .name = "teams",
      .actions =
          {
              MemberAction("form a team", kFormWeight, Form),
              MemberAction("write a team version", kVersionWeight, NewVersion),
              MemberAction("propose a team's leads", kLeadsDecisionWeight, ProposeLeads),
          },
      .react = nullptr,
      .invariants = {{.name = "team members are members",
                      .when = SimInvariant::When::kEveryStep,
                      .check = CheckConsistent},
                     {.name = "closed stays closed",
                      .when = SimInvariant::When::kEveryStep,
                      .check = [seen](SimWorld& w) { return CheckClosedStaysClosed(w, *seen); }}},
      .known_issues = {},
  };
}

}  // namespace constellation::sim
