// tests/sim/domains/convenings_domain.cc
//
// The convenings domain of the simulation (sim_domain.h; server/core/convenings/,
// docs/PROTOCOL.md §5.13):
//   * actions: convene (every member, or some members by name, with a proposal of the group on
//     the agenda now and then); attend a convening one is invited to (now and then one already
//     attended: refused); as convener, record the minutes; as convener or attendee, add an
//     action item owned by a random member of one's view; as owner or convener, mark an item
//     done (now and then one already done: refused unless the other completion was concurrent).
//   * invariant "convenings consistent" (after every step, on every node that is up): attendees
//     are invitees and each attendance record is the attendee's own; minutes are the
//     convener's; every action item belongs to a convening that lists it and was recorded by
//     its convener or an attendee; every completion is the owner's or the convener's.
//   * invariant "done stays done" (after every step): an action item a node once showed done
//     stays done there with every completion it showed (the set only grows), unless the node
//     crashed since, or an expulsion's cut or a fork's freeze voided records in the group (the
//     completion's own, or the membership of its author).
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <absl/strings/str_format.h>

#include "server/core/convenings/convenings_ledger.h"
#include "server/core/governance/governance_ledger.h"
#include "server/core/group.h"
#include "tests/sim/domains/sim_domain.h"
#include "tests/testing/convening_events.h"

namespace constellation::sim {
namespace {

using ::constellation::testing::ActionBody;
using ::constellation::testing::AttendanceBody;
using ::constellation::testing::CompletionBody;
using ::constellation::testing::ConveningBody;
using ::constellation::testing::MinutesBody;

// Weights (sim_domain.h: about "per 10'000 steps").
constexpr uint32_t kConveneWeight = 80;
constexpr uint32_t kAttendWeight = 160;
constexpr uint32_t kMinutesWeight = 60;
constexpr uint32_t kActionWeight = 120;
constexpr uint32_t kCompleteWeight = 100;

const core::ConveningsLedger& Ledger(const Member& m) { return core::Convenings(*m.state); }

std::vector<core::OrgKey> ActiveMembers(const Member& m) {
  std::vector<core::OrgKey> out;
  for (const auto& [key, member] : m.state->roster().members()) {
    if (member.status == core::MemberStatus::kActive) out.push_back(key);
  }
  return out;
}

// ---- Actions ----

void Convene(SimWorld& w, const Member& m) {
  std::vector<core::OrgKey> invitees;
  if (w.random().Chance(300)) {
    for (const core::OrgKey& key : ActiveMembers(m)) {
      if (key == m.org || w.random().Chance(500)) invitees.push_back(key);
    }
  }
  std::vector<core::EventId> agenda;
  const auto& proposals = core::Governance(*m.state).proposals();
  if (!proposals.empty() && w.random().Chance(400)) {
    std::vector<core::EventId> ids;
    for (const auto& [id, p] : proposals) ids.push_back(id);
    agenda.push_back(w.random().Pick(ids));
  }
  w.Write(m.node, m.group, ConveningBody(m.now_ms + 3'600'000, agenda, invitees),
          absl::StrFormat("convene with %d invitees", invitees.size()));
}

void Attend(SimWorld& w, const Member& m) {
  const bool again = w.random().Chance(100);
  std::vector<core::EventId> candidates;
  for (const auto& [id, c] : Ledger(m).convenings()) {
    if (c.Invites(m.org) && c.attendance.contains(m.org) == again) candidates.push_back(id);
  }
  if (candidates.empty()) return;
  const core::EventId c = w.random().Pick(candidates);
  w.Write(m.node, m.group, AttendanceBody(c),
          absl::StrFormat("attend convening %s%s", c.ShortHex(), again ? " again" : ""));
}

void RecordMinutes(SimWorld& w, const Member& m) {
  std::vector<core::EventId> own;
  for (const auto& [id, c] : Ledger(m).convenings()) {
    if (c.convener == m.org) own.push_back(id);
  }
  if (own.empty()) return;
  const core::EventId c = w.random().Pick(own);
  w.Write(m.node, m.group, MinutesBody(c), absl::StrFormat("minutes of %s", c.ShortHex()));
}

void AddAction(SimWorld& w, const Member& m) {
  std::vector<core::EventId> mine;
  for (const auto& [id, c] : Ledger(m).convenings()) {
    if (c.convener == m.org || c.attendance.contains(m.org)) mine.push_back(id);
  }
  const std::vector<core::OrgKey> members = ActiveMembers(m);
  if (mine.empty() || members.empty()) return;
  const core::EventId c = w.random().Pick(mine);
  const core::OrgKey owner = w.random().Pick(members);
  w.Write(m.node, m.group, ActionBody(c, owner, m.now_ms + 86'400'000),
          absl::StrFormat("action item of %s for %s", c.ShortHex(), owner.ShortHex()));
}

void Complete(SimWorld& w, const Member& m) {
  const bool again = w.random().Chance(100);
  std::vector<core::EventId> candidates;
  for (const auto& [id, a] : Ledger(m).actions()) {
    const bool may = a.owner == m.org || Ledger(m).convenings().at(a.convening).convener == m.org;
    if (may && a.done() == again) candidates.push_back(id);
  }
  if (candidates.empty()) return;
  const core::EventId a = w.random().Pick(candidates);
  w.Write(m.node, m.group, CompletionBody(a),
          absl::StrFormat("complete action item %s%s", a.ShortHex(), again ? " again" : ""));
}

// ---- Invariants ----

// What is wrong with `group`'s convenings, or "".
std::string Inconsistency(const core::Group& group) {
  const core::ConveningsLedger& ledger = core::Convenings(group.state());
  auto author = [&group](const core::EventId& id) { return group.Find(id)->author; };
  for (const auto& [id, c] : ledger.convenings()) {
    for (const auto& [org, event] : c.attendance) {
      if (!c.Invites(org)) {
        return absl::StrFormat("org %s attended convening %s uninvited", org.ShortHex(),
                               id.ShortHex());
      }
      if (author(event) != org) {
        return absl::StrFormat("attendance %s is not its attendee's own", event.ShortHex());
      }
    }
    for (const core::EventId& minutes : c.minutes) {
      if (author(minutes) != c.convener) {
        return absl::StrFormat("minutes %s of %s are not the convener's", minutes.ShortHex(),
                               id.ShortHex());
      }
    }
    for (const core::EventId& a : c.actions) {
      auto it = ledger.actions().find(a);
      if (it == ledger.actions().end() || it->second.convening != id) {
        return absl::StrFormat("convening %s lists action item %s it does not own", id.ShortHex(),
                               a.ShortHex());
      }
    }
  }
  for (const auto& [id, a] : ledger.actions()) {
    auto c = ledger.convenings().find(a.convening);
    if (c == ledger.convenings().end()) {
      return absl::StrFormat("action item %s names no convening", id.ShortHex());
    }
    if (a.recorded_by != c->second.convener && !c->second.attendance.contains(a.recorded_by)) {
      return absl::StrFormat("action item %s was recorded by neither convener nor attendee",
                             id.ShortHex());
    }
    for (const core::EventId& done : a.completions) {
      const core::OrgKey by = author(done);
      if (by != a.owner && by != c->second.convener) {
        return absl::StrFormat("completion %s of %s is by org %s", done.ShortHex(), id.ShortHex(),
                               by.ShortHex());
      }
    }
  }
  return "";
}

absl::Status CheckConsistent(SimWorld& w) {
  return CheckEveryGroup(w, "convenings (consistent)",
                         [](const core::Group& group) { return Inconsistency(group); });
}

// Per node and group: every action item it has shown done, with the completions it had then,
// since the node last crashed (a crash may lose received events that were not synced, and a
// restore from a backup its own).
struct DoneItem {
  core::EventId convening;
  std::set<core::EventId> completions;
};
using DoneSeen = SeenSinceCrash<std::map<core::EventId, DoneItem>>;

// Whether a completion may leave `group`'s fold: an expulsion cut a
// member, or a fork froze an author (docs/PROTOCOL.md §5.7, §3.1); both void records by
// design: the completion's, the item's or the convening's own, or those its author's
// membership rests on (fork seed 100036: the freeze voided the admission of the completion's
// author, which then was no member when it completed the item; the teams domain's "closed
// stays closed" allows the same).
bool MayBeVoided(const core::Group& group) {
  return !group.state().removal_cuts().empty() || !group.forks().empty();
}

absl::Status CheckDoneStaysDone(SimWorld& w, DoneSeen& seen) {
  for (int i = 0; i < w.node_count(); ++i) {
    const SimNode& node = w.node(i);
    if (!node.up()) continue;
    seen.Refresh(w, i);
    for (const auto& [group_id, group] : node.state().groups()) {
      std::map<core::EventId, DoneItem> now;
      for (const auto& [id, a] : core::Convenings(group->state()).actions()) {
        if (a.done()) now[id] = {a.convening, {a.completions.begin(), a.completions.end()}};
      }
      for (const auto& [id, item] : seen.At(i, group_id)) {
        auto it = now.find(id);
        for (const core::EventId& c : item.completions) {
          if ((it == now.end() || !it->second.completions.contains(c)) &&
              !MayBeVoided(*group)) {
            return absl::InternalError(absl::StrFormat(
                "convenings (done stays done): node %d lost completion %s of action item %s "
                "(%s)",
                i, c.ShortHex(), id.ShortHex(),
                group->NoEffectReason(c).value_or(group->Find(c) == nullptr
                                                       ? "no longer held"
                                                       : "held, with effect, item not done")));
          }
        }
      }
      seen.At(i, group_id) = std::move(now);
    }
  }
  return absl::OkStatus();
}

}  // namespace

SimDomain ConveningsDomain() {
  auto seen = std::make_shared<DoneSeen>();
  return SimDomain{
      .name = "convenings",
      .actions =
          {
              MemberAction("convene", kConveneWeight, Convene),
              MemberAction("attend a convening", kAttendWeight, Attend),
              MemberAction("record minutes", kMinutesWeight, RecordMinutes),
              MemberAction("add an action item", kActionWeight, AddAction),
              MemberAction("complete an action item", kCompleteWeight, Complete),
          },
      .react = nullptr,
      .invariants = {{.name = "convenings consistent",
                      .when = SimInvariant::When::kEveryStep,
                      .check = CheckConsistent},
                     {.name = "done stays done",
                      .when = SimInvariant::When::kEveryStep,
                      .check = [seen](SimWorld& w) { return CheckDoneStaysDone(w, *seen); }}},
      .known_issues = {},
  };
}

}  // namespace constellation::sim
