#include "server/core/teams/teams_ledger.h"

#include <algorithm>
#include <set>

#include <absl/strings/str_format.h>

#include "server/base/check.h"
#include "server/base/status_macros.h"
#include "server/core/fold/group_state.h"
#include "server/core/governance/governance_ledger.h"
#include "server/core/strategy/strategy_ledger.h"

namespace constellation::core {
namespace {

std::vector<OrgKey> SortedKeys(const google::protobuf::RepeatedPtrField<std::string>& bytes) {
  std::vector<OrgKey> keys;
  for (const std::string& b : bytes) keys.push_back(*OrgKey::FromBytes(b));
  std::sort(keys.begin(), keys.end());
  return keys;
}

// Every org the record names (leads, participants, fiscal host) is a member in e's past.
absl::Status CheckNamedMembers(const v1::ActionTeam& t, const VerifiedEvent& e,
                               const GroupState& state) {
  const GovernanceLedger& governance = Governance(state);
  auto check = [&](const std::string& bytes, std::string_view field) -> absl::Status {
    const OrgKey org = *OrgKey::FromBytes(bytes);  // ValidateBody checked the size
    if (governance.IsMemberInPast(org, e, state)) return absl::OkStatus();
    return absl::FailedPreconditionError(absl::StrFormat(
        "action_team.%s: org %s is not a member of group %s; a team's members, leads and "
        "fiscal host are members of its group",
        std::string(field), org.ShortHex(), state.group().ShortHex()));
  };
  for (const std::string& b : t.leads()) CONSTELLATION_RETURN_IF_ERROR(check(b, "leads"));
  for (const std::string& b : t.participants()) {
    CONSTELLATION_RETURN_IF_ERROR(check(b, "participants"));
  }
  if (t.fiscal_host().empty()) return absl::OkStatus();
  return check(t.fiscal_host(), "fiscal_host");
}

// Every goal key is the key of a goal of a strategy version in e's past.
absl::Status CheckGoalKeys(const v1::ActionTeam& t, const VerifiedEvent& e,
                           const GroupState& state) {
  if (t.goal_keys().empty()) return absl::OkStatus();
  std::set<std::string_view> known;
  for (const auto& [id, version] : Strategy(state).versions()) {
    if (!state.clocks().HappenedBefore(id, e)) continue;
    known.insert(version.goal_keys.begin(), version.goal_keys.end());
  }
  for (const std::string& key : t.goal_keys()) {
    if (!known.contains(key)) {
      return absl::NotFoundError(absl::StrFormat(
          "action_team.goal_keys: no strategy version of group %s has a goal '%s'; link goals "
          "of the group's strategy ('constellation strategy show' lists them)",
          state.group().ShortHex(), key));
    }
  }
  return absl::OkStatus();
}

}  // namespace

const TeamsLedger& Teams(const GroupState& state) { return state.ledger<TeamsLedger>(); }

bool TeamVersion::Names(const OrgKey& org) const {
  return std::binary_search(leads.begin(), leads.end(), org) ||
         std::binary_search(participants.begin(), participants.end(), org);
}

bool IsTeamTransition(v1::TeamStatus from, v1::TeamStatus to) {
  switch (from) {
    case v1::TEAM_STATUS_PROPOSED:
      return to == v1::TEAM_STATUS_PROPOSED || to == v1::TEAM_STATUS_ACTIVE ||
             to == v1::TEAM_STATUS_CLOSED;
    case v1::TEAM_STATUS_ACTIVE:
    case v1::TEAM_STATUS_DORMANT:
      return to == v1::TEAM_STATUS_ACTIVE || to == v1::TEAM_STATUS_DORMANT ||
             to == v1::TEAM_STATUS_CLOSED;
    default:
      return false;
  }
}

std::string_view TeamStatusName(v1::TeamStatus status) {
  switch (status) {
    case v1::TEAM_STATUS_PROPOSED:
      return "proposed";
    case v1::TEAM_STATUS_ACTIVE:
      return "active";
    case v1::TEAM_STATUS_DORMANT:
      return "dormant";
    case v1::TEAM_STATUS_CLOSED:
      return "closed";
    default:
      return "unspecified";
  }
}

const TeamState* TeamsLedger::TeamOfVersion(const EventId& version) const {
  auto it = team_of_version_.find(version);
  return it == team_of_version_.end() ? nullptr : &teams_.at(it->second);
}

// ---------------------------------------------------------------------------------------------
// Check

absl::Status TeamsLedger::Check(const VerifiedEvent& e, const GroupState& state) const {
  CONSTELLATION_CHECK(e.event.has_action_team());  // the registry routes only these here
  const v1::ActionTeam& t = e.event.action_team();
  if (!Governance(state).IsMemberInPast(e.author, e, state)) {
    return absl::PermissionDeniedError(absl::StrFormat(
        "org %s is not a member in this record's causal past; only members form action teams",
        e.author.ShortHex()));
  }
  if (t.supersedes().empty()) {
    const OrgKey author = e.author;
    if (std::none_of(t.leads().begin(), t.leads().end(),
                     [&](const std::string& b) { return *OrgKey::FromBytes(b) == author; })) {
      return absl::PermissionDeniedError(
          absl::StrFormat("org %s forms action team '%s' but is not one of its leads; the "
                          "member that forms a team leads it",
                          e.author.ShortHex(), t.name()));
    }
  } else {
    CONSTELLATION_RETURN_IF_ERROR(CheckNewVersion(e, state));
  }
  CONSTELLATION_RETURN_IF_ERROR(CheckNamedMembers(t, e, state));
  return CheckGoalKeys(t, e, state);
}

absl::Status TeamsLedger::CheckNewVersion(const VerifiedEvent& e, const GroupState& state) const {
  const v1::ActionTeam& t = e.event.action_team();
  const EventId team_id = *EventId::FromBytes(t.supersedes());  // ValidateBody checked the size
  auto it = teams_.find(team_id);
  if (it == teams_.end()) {
    return absl::NotFoundError(
        absl::StrFormat("action_team.supersedes: team %s not found in group %s; name the "
                        "id of the team's first version",
                        team_id.ShortHex(), state.group().ShortHex()));
  }
  const TeamState& team = it->second;
  if (!state.clocks().HappenedBefore(team_id, e)) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "action_team.supersedes: team %s is not in this record's causal past; write it from a "
        "node that holds the team",
        team_id.ShortHex()));
  }
  // The version in force for e: the latest accepted one in e's past (the first always is).
  const TeamVersion* in_force = nullptr;
  for (const TeamVersion& v : team.versions) {
    if (!state.clocks().HappenedBefore(v.id, e)) continue;
    if (v.status == v1::TEAM_STATUS_CLOSED) {
      return absl::FailedPreconditionError(absl::StrFormat(
          "team %s was closed by version %s; a closed team takes no new version (form a new "
          "team instead)",
          team_id.ShortHex(), v.id.ShortHex()));
    }
    in_force = &v;
  }
  CONSTELLATION_CHECK(in_force != nullptr);
  // The writers: its leads who are still members; when none is, its participants who are.
  const GovernanceLedger& governance = Governance(state);
  auto members_of = [&](const std::vector<OrgKey>& orgs) {
    std::vector<OrgKey> out;
    for (const OrgKey& org : orgs) {
      if (governance.IsMemberInPast(org, e, state)) out.push_back(org);
    }
    return out;
  };
  std::vector<OrgKey> writers = members_of(in_force->leads);
  const bool by_leads = !writers.empty();
  if (!by_leads) writers = members_of(in_force->participants);
  if (!std::binary_search(writers.begin(), writers.end(), e.author)) {
    return absl::PermissionDeniedError(absl::StrFormat(
        "org %s may not write a new version of team %s: its %s (as version %s states) write "
        "them",
        e.author.ShortHex(), team_id.ShortHex(),
        by_leads ? "leads" : "participants, since none of its leads is still a member,",
        in_force->id.ShortHex()));
  }
  if (!IsTeamTransition(in_force->status, t.status())) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "team %s is %s (version %s); it cannot become %s: proposed -> active <-> dormant -> "
        "closed",
        team_id.ShortHex(), TeamStatusName(in_force->status), in_force->id.ShortHex(),
        TeamStatusName(t.status())));
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------------------------
// Apply

void TeamsLedger::Apply(const VerifiedEvent& e, const GroupState& state, Roster& roster) {
  (void)state, (void)roster;
  const v1::ActionTeam& t = e.event.action_team();
  TeamVersion v;
  v.id = e.id;
  v.author = e.author;
  v.status = t.status();
  v.leads = SortedKeys(t.leads());
  v.participants = SortedKeys(t.participants());
  if (!t.fiscal_host().empty()) v.fiscal_host = *OrgKey::FromBytes(t.fiscal_host());
  v.review_ms = t.review_ms();
  const EventId team_id = t.supersedes().empty() ? e.id : *EventId::FromBytes(t.supersedes());
  TeamState& team = teams_[team_id];
  if (team.versions.empty()) {
    CONSTELLATION_CHECK(team_id == e.id);
    team.id = e.id;
    team.created_by = e.author;
    team.hlc = e.hlc;
  }
  if (v.status == v1::TEAM_STATUS_CLOSED && !team.closed_by) team.closed_by = e.id;
  team.versions.push_back(std::move(v));
  CONSTELLATION_CHECK(team_of_version_.emplace(e.id, team_id).second);
  CheckTeamInvariants(team);
}

// ---------------------------------------------------------------------------------------------
// Invariants and hash

void TeamsLedger::CheckTeamInvariants(const TeamState& t) const {
  CONSTELLATION_CHECK(!t.versions.empty() && t.versions.front().id == t.id);
  std::set<EventId> ids;
  for (const TeamVersion& v : t.versions) {
    CONSTELLATION_CHECK(ids.insert(v.id).second);
    CONSTELLATION_CHECK(!v.leads.empty());
    CONSTELLATION_CHECK(std::is_sorted(v.leads.begin(), v.leads.end()));
    CONSTELLATION_CHECK(std::is_sorted(v.participants.begin(), v.participants.end()));
    for (const OrgKey& p : v.participants) {
      CONSTELLATION_CHECK(!std::binary_search(v.leads.begin(), v.leads.end(), p));
    }
  }
  if (t.closed_by) {
    CONSTELLATION_CHECK(ids.contains(*t.closed_by));
  } else {
    for (const TeamVersion& v : t.versions) CONSTELLATION_CHECK(v.status != v1::TEAM_STATUS_CLOSED);
  }
}

void TeamsLedger::CheckInvariants() const {
  size_t versions = 0;
  for (const auto& [id, t] : teams_) {
    CONSTELLATION_CHECK(t.id == id);
    CheckTeamInvariants(t);
    versions += t.versions.size();
    for (const TeamVersion& v : t.versions) CONSTELLATION_CHECK(team_of_version_.at(v.id) == id);
  }
  CONSTELLATION_CHECK(versions == team_of_version_.size());
}

void TeamsLedger::HashInto(StateHasher& h) const {
  // An empty ledger writes nothing, so histories without teams keep their hashes
  // (docs/PROTOCOL.md §5.17).
  if (teams_.empty()) return;
  h.Bytes("constellation/v1/teams");
  h.U64(teams_.size());
  for (const auto& [id, t] : teams_) {
    h.Id(id);
    h.Id(t.created_by);
    h.U64(static_cast<uint64_t>(t.status()));
    h.U64(t.versions.size());
    for (const TeamVersion& v : t.versions) {
      h.Id(v.id);
      h.Id(v.author);
      h.U64(static_cast<uint64_t>(v.status));
      h.U64(v.leads.size());
      for (const OrgKey& org : v.leads) h.Id(org);
      h.U64(v.participants.size());
      for (const OrgKey& org : v.participants) h.Id(org);
      h.OptionalId(v.fiscal_host);
      h.U64(v.review_ms);
    }
  }
}

}  // namespace constellation::core
