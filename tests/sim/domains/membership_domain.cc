// tests/sim/domains/membership_domain.cc
//
// The membership domain of the simulation (sim_domain.h; server/core/roster/ and the
// membership records of server/core/governance/, DESIGN §1, §4):
//   * actions: propose to admit a node that is not a member, propose to expel a member, give
//     notice, withdraw (the last two only while at least three members are active, so that
//     groups live on), found a second group now and then.
//   * react: node 0 founds the first group at the start of the run; the invitee of a final,
//     passed admission accepts it (once per admission: a refused acceptance is not retried).
//   * invariant "the roster agrees with the decisions that made it", on every node that is up:
//     every member but the founder joined by accepting a final, passed ADMIT of it (its
//     admitted_by, whose acceptance is the member's joined event), and every expelled member
//     was expelled by a final, passed EXPEL of it whose effect applied.
//   * invariant "invitations are pending admissions": the invited orgs are exactly the invitees
//     of final, passed, unaccepted admissions that no membership beats.
//   * invariant "a withdrawal stays": a member shown withdrawn stays withdrawn until readmitted,
//     and its pledges stay in the record.
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <absl/strings/str_format.h>

#include "server/core/fundraising/fundraising_ledger.h"
#include "server/core/governance/governance_ledger.h"
#include "tests/sim/domains/sim_domain.h"
#include "tests/testing/event_factory.h"

namespace constellation::sim {
namespace {

using ::constellation::testing::AcceptanceBody;
using ::constellation::testing::AdmitBody;
using ::constellation::testing::CharterBody;
using ::constellation::testing::ExpelBody;
using ::constellation::testing::MakeDecisionRule;
using ::constellation::testing::NoticeBody;
using ::constellation::testing::TestCharter;
using ::constellation::testing::WithdrawalBody;

// Weights (sim_domain.h: about "per 10'000 steps").
constexpr uint32_t kAdmitWeight = 780;
constexpr uint32_t kExpelWeight = 150;
constexpr uint32_t kNoticeWeight = 60;
constexpr uint32_t kWithdrawWeight = 60;
constexpr uint32_t kFoundGroupWeight = 18;

constexpr size_t kGroupCountMax = 2;
constexpr uint32_t kNoticeDays = 1;
// Notice and withdrawal only while this many members are active: groups live on.
constexpr int kActiveWritersToLeaveMin = 3;

v1::Charter SimCharter(int founder) {
  v1::Charter c = TestCharter(absl::StrFormat("Sim partnership of node %d", founder),
                              absl::StrFormat("Org %d", founder));
  c.set_withdrawal_notice_days(kNoticeDays);
  // Drawdowns (pooled_domain.cc) need a rule: ALLOCATE_FUNDS has no default.
  *c.add_decision_rules() =
      MakeDecisionRule(v1::DECISION_TYPE_ALLOCATE_FUNDS, v1::DECISION_PROCESS_CONSENT);
  // The fundraising domain proposes and executes write-offs: they need a charter rule.
  *c.add_decision_rules() =
      MakeDecisionRule(v1::DECISION_TYPE_WRITE_OFF, v1::DECISION_PROCESS_CONSENT);
  return c;
}

// The nodes other than the actor, split by whether they are active members in its view.
struct Others {
  std::vector<int> members;
  std::vector<int> outsiders;
  int active_writers = 0;  // the actor included
};

Others SplitOthers(SimWorld& w, const Member& m) {
  Others others;
  for (int j = 0; j < w.node_count(); ++j) {
    const bool active = m.state->roster().IsActiveWriter(w.node(j).org());
    if (active) ++others.active_writers;
    if (j == m.node) continue;
    (active ? others.members : others.outsiders).push_back(j);
  }
  return others;
}

// ---- Actions ----

void ProposeAdmission(SimWorld& w, const Member& m) {
  const Others others = SplitOthers(w, m);
  if (others.outsiders.empty()) return;
  const int j = w.random().Pick(others.outsiders);
  w.Write(m.node, m.group, AdmitBody(w.node(j).org(), v1::ROLE_PARTNER, 1, DrawDeadlineMs(w, m)),
          absl::StrFormat("propose to admit node %d", j));
}

void ProposeExpulsion(SimWorld& w, const Member& m) {
  const Others others = SplitOthers(w, m);
  if (others.members.empty()) return;
  const int j = w.random().Pick(others.members);
  w.Write(m.node, m.group, ExpelBody(w.node(j).org(), DrawDeadlineMs(w, m)),
          absl::StrFormat("propose to expel node %d", j));
}

void GiveNotice(SimWorld& w, const Member& m) {
  if (SplitOthers(w, m).active_writers < kActiveWritersToLeaveMin) return;
  w.Write(m.node, m.group, NoticeBody(), "give notice");
}

void Withdraw(SimWorld& w, const Member& m) {
  if (SplitOthers(w, m).active_writers < kActiveWritersToLeaveMin) return;
  w.Write(m.node, m.group, WithdrawalBody(), "withdraw");
}

// Another node than node 0 founds a second group.
void FoundGroup(SimWorld& w) {
  const int i = static_cast<int>(w.random().Below(w.node_count()));
  if (i == 0 || !w.node(i).up() || w.groups().empty() || w.groups().size() >= kGroupCountMax) {
    return;
  }
  w.Write(i, std::nullopt, CharterBody(SimCharter(i)), "found a group");
}

// ---- React ----

// (node, ADMIT proposal) acceptances written or refused: each is tried once.
using AcceptancesTried = std::set<std::pair<int, core::EventId>>;

void React(SimWorld& w, int i, AcceptancesTried& tried) {
  if (w.groups().empty()) {
    if (i == 0) w.Write(0, std::nullopt, CharterBody(SimCharter(0)), "found a group");
    return;
  }
  const core::OrgKey org = w.node(i).org();
  std::vector<core::GroupId> held;
  for (const auto& [id, group] : w.node(i).state().groups()) held.push_back(id);
  for (const core::GroupId& g : held) {
    // DESIGN §4: the invitee of a final, passed admission accepts it.
    const core::GroupState& state = w.node(i).state().FindGroup(g)->state();
    if (state.roster().IsActiveWriter(org)) continue;
    std::vector<core::EventId> accept;
    for (const auto& [id, p] : Governance(state).proposals()) {
      if (p.type() == v1::DECISION_TYPE_ADMIT && p.target == org && p.outcome.final &&
          p.outcome.outcome == core::DecisionOutcome::kPassed && p.effect_applied &&
          !p.acceptance && !tried.contains({i, id})) {
        accept.push_back(id);
      }
    }
    for (const core::EventId& id : accept) {
      tried.insert({i, id});
      if (w.Write(i, g, AcceptanceBody(id, absl::StrFormat("Org %d", i)),
                  absl::StrFormat("accept admission %s", id.ShortHex()))) {
        ++w.mutable_stats().admissions;
        break;
      }
    }
  }
}

// ---- Invariants ----

absl::Status CheckRosterMatchesDecisions(SimWorld& w) {
  for (int i = 0; i < w.node_count(); ++i) {
    const SimNode& node = w.node(i);
    if (!node.up()) continue;
    for (const auto& [group_id, group] : node.state().groups()) {
      const core::GroupState& state = group->state();
      const auto& proposals = Governance(state).proposals();
      for (const auto& [key, member] : state.roster().members()) {
        auto violation = [&](std::string_view what, const std::optional<core::EventId>& by) {
          return absl::InternalError(absl::StrFormat(
              "membership (the roster agrees with the decisions): on node %d, member %s of group "
              "%s (%s) %s %s",
              i, key.ShortHex(), group_id.ShortHex(),
              std::string(core::MemberStatusName(member.status)), what,
              by ? by->ShortHex() : std::string("(none)")));
        };
        auto decided = [&](const std::optional<core::EventId>& by, v1::DecisionType type) {
          if (!by) return false;
          auto p = proposals.find(*by);
          return p != proposals.end() && p->second.type() == type && p->second.target == key &&
                 p->second.outcome.final &&
                 p->second.outcome.outcome == core::DecisionOutcome::kPassed &&
                 p->second.effect_applied;
        };
        if (key != state.roster().founder()) {
          if (!decided(member.admitted_by, v1::DECISION_TYPE_ADMIT)) {
            return violation("was not admitted by a final, passed ADMIT of it:",
                             member.admitted_by);
          }
          if (proposals.at(*member.admitted_by).acceptance != member.joined_event) {
            return violation("joined by another event than the acceptance of its ADMIT",
                             member.admitted_by);
          }
        }
        if (member.status == core::MemberStatus::kExpelled &&
            !decided(member.expelled_by, v1::DECISION_TYPE_EXPEL)) {
          return violation("was not expelled by a final, passed EXPEL of it:", member.expelled_by);
        }
      }
    }
  }
  return absl::OkStatus();
}

// Every invitation (PROTOCOL §5.2 step 5) is a final, passed, unaccepted ADMIT of an org that
// is no active member, and every such ADMIT of an org that was never a member invites it.
absl::Status CheckInvitations(SimWorld& w) {
  for (int i = 0; i < w.node_count(); ++i) {
    const SimNode& node = w.node(i);
    if (!node.up()) continue;
    for (const auto& [group_id, group] : node.state().groups()) {
      const core::GroupState& state = group->state();
      std::set<core::OrgKey> invited;
      for (const core::ProposalState* p : Governance(state).Invitations(state)) {
        const core::MemberState* m = state.roster().Find(*p->target);
        if (p->type() != v1::DECISION_TYPE_ADMIT || !p->outcome.final ||
            p->outcome.outcome != core::DecisionOutcome::kPassed || p->acceptance.has_value() ||
            (m != nullptr && (m->status == core::MemberStatus::kActive ||
                              m->status == core::MemberStatus::kNoticeGiven))) {
          return absl::InternalError(absl::StrFormat(
              "membership (invitations are pending admissions): on node %d, group %s invites "
              "org %s by %s, which is no final, passed, unaccepted ADMIT of a non-member",
              i, group_id.ShortHex(), p->target->ShortHex(), p->id.ShortHex()));
        }
        invited.insert(*p->target);
      }
      for (const auto& [id, p] : Governance(state).proposals()) {
        if (p.type() == v1::DECISION_TYPE_ADMIT && p.effect_applied && !p.acceptance &&
            state.roster().Find(*p.target) == nullptr && !invited.contains(*p.target)) {
          return absl::InternalError(absl::StrFormat(
              "membership (invitations are pending admissions): on node %d, group %s does not "
              "list org %s as invited, though %s admitted it",
              i, group_id.ShortHex(), p.target->ShortHex(), id.ShortHex()));
        }
      }
    }
  }
  return absl::OkStatus();
}

// Per node and group: the members it has shown withdrawn (by the joined event of the membership
// they ended) and the pledges they had made, since the node last crashed.
struct WithdrawnEntry {
  core::EventId joined;
  std::set<core::EventId> pledges;
};
using WithdrawnSeen = SeenSinceCrash<std::map<core::OrgKey, WithdrawnEntry>>;

// A withdrawal is final and what the member recorded before stays (PROTOCOL §5.7, "Withdrawal":
// obligations recorded before stay on record): a member a node has shown withdrawn stays
// withdrawn until readmitted (a new joined event), and its pledges stay in the fold. Excused
// where records are voided by design: an expulsion's removal cut, or a fork freeze.
absl::Status CheckWithdrawalStays(SimWorld& w, WithdrawnSeen& seen) {
  for (int i = 0; i < w.node_count(); ++i) {
    const SimNode& node = w.node(i);
    if (!node.up()) continue;
    seen.Refresh(w, i);
    for (const auto& [group_id, group] : node.state().groups()) {
      const core::GroupState& state = group->state();
      std::map<core::OrgKey, WithdrawnEntry> now;
      for (const auto& [key, m] : state.roster().members()) {
        if (m.status == core::MemberStatus::kWithdrawn) now[key].joined = m.joined_event;
      }
      for (const auto& [id, pledge] : Fundraising(state).pledges()) {
        auto it = now.find(pledge.pledger);
        if (it != now.end()) it->second.pledges.insert(id);
      }
      const bool voidable = !state.removal_cuts().empty() || !group->forks().empty();
      for (const auto& [key, before] : seen.At(i, group_id)) {
        const core::MemberState* m = state.roster().Find(key);
        if (voidable || (m != nullptr && m->joined_event != before.joined)) continue;
        auto it = now.find(key);
        if (it == now.end()) {
          return absl::InternalError(absl::StrFormat(
              "membership (a withdrawal stays): node %d showed org %s withdrawn from group %s, "
              "and now shows it %s",
              i, key.ShortHex(), group_id.ShortHex(),
              m == nullptr ? std::string("absent")
                           : std::string(core::MemberStatusName(m->status))));
        }
        for (const core::EventId& pledge : before.pledges) {
          if (!it->second.pledges.contains(pledge)) {
            return absl::InternalError(absl::StrFormat(
                "membership (a withdrawal stays): node %d lost pledge %s of withdrawn org %s in "
                "group %s",
                i, pledge.ShortHex(), key.ShortHex(), group_id.ShortHex()));
          }
        }
      }
      seen.At(i, group_id) = std::move(now);
    }
  }
  return absl::OkStatus();
}

}  // namespace

SimDomain MembershipDomain() {
  auto tried = std::make_shared<AcceptancesTried>();
  auto withdrawn = std::make_shared<WithdrawnSeen>();
  return SimDomain{
      .name = "membership",
      .actions =
          {
              MemberAction("propose an admission", kAdmitWeight, ProposeAdmission),
              MemberAction("propose an expulsion", kExpelWeight, ProposeExpulsion),
              MemberAction("give notice", kNoticeWeight, GiveNotice),
              MemberAction("withdraw", kWithdrawWeight, Withdraw),
              {.name = "found a group", .weight = kFoundGroupWeight, .run = FoundGroup},
          },
      .react = [tried](SimWorld& w, int i) { React(w, i, *tried); },
      .invariants = {{.name = "the roster agrees with the decisions",
                      .when = SimInvariant::When::kEveryStep,
                      .check = CheckRosterMatchesDecisions},
                     {.name = "invitations are pending admissions",
                      .when = SimInvariant::When::kEveryStep,
                      .check = CheckInvitations},
                     {.name = "a withdrawal stays",
                      .when = SimInvariant::When::kEveryStep,
                      .check = [withdrawn](
                                   SimWorld& w) { return CheckWithdrawalStays(w, *withdrawn); }}},
      .known_issues = {},
  };
}

}  // namespace constellation::sim
