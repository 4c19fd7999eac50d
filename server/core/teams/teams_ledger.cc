#include "server/core/teams/teams_ledger.h"

#include <algorithm>
#include <set>

#include <absl/strings/str_format.h>

#include "server/base/check.h"
#include "server/base/status_macros.h"
#include "server/core/fold/group_state.h"
#include "server/core/governance/decisions.h"
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

bool IsTeamLeadsProposal(const v1::Event& body) {
  return body.has_proposal() && body.proposal().decision_type() == v1::DECISION_TYPE_TEAM_LEADS;
}

std::vector<OrgKey> TeamOrgs(const TeamVersion& version) {
  std::vector<OrgKey> orgs = version.leads;
  orgs.insert(orgs.end(), version.participants.begin(), version.participants.end());
  std::sort(orgs.begin(), orgs.end());
  return orgs;
}

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

absl::StatusOr<const TeamVersion*> TeamsLedger::VersionInForce(const EventId& team_id,
                                                               const VerifiedEvent& e,
                                                               const GroupState& state,
                                                               std::string_view field) const {
  auto it = teams_.find(team_id);
  if (it == teams_.end()) {
    return absl::NotFoundError(
        absl::StrFormat("%s: team %s not found in group %s; name the id of the team's first "
                        "version",
                        std::string(field), team_id.ShortHex(), state.group().ShortHex()));
  }
  const TeamState& team = it->second;
  const CausalClocks& clocks = state.clocks();
  if (!clocks.HappenedBefore(team_id, e)) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "%s: team %s is not in this record's causal past; write it from a node that holds the "
        "team",
        std::string(field), team_id.ShortHex()));
  }
  // The latest accepted version in e's past (the first always is); a decided version when its
  // decision is final and passed in e's past (docs/PROTOCOL.md §5.17.1): judged on e's past
  // alone, so no event concurrent with e changes e's verdict.
  const GovernanceLedger& governance = Governance(state);
  const TeamVersion* in_force = nullptr;
  for (const TeamVersion& v : team.versions) {
    const bool counts =
        v.decided_at.has_value()
            ? governance
                  .PassedDecisionInPast(v.id.Bytes(), field, v1::DECISION_TYPE_TEAM_LEADS, e, state)
                  .ok()
            : clocks.HappenedBefore(v.id, e);
    if (!counts) continue;
    if (v.status == v1::TEAM_STATUS_CLOSED) {
      return absl::FailedPreconditionError(absl::StrFormat(
          "team %s was closed by version %s; a closed team takes no new version or lead "
          "decision (form a new team instead)",
          team_id.ShortHex(), v.id.ShortHex()));
    }
    in_force = &v;
  }
  CONSTELLATION_CHECK(in_force != nullptr);
  return in_force;
}

absl::Status TeamsLedger::CheckNewVersion(const VerifiedEvent& e, const GroupState& state) const {
  const v1::ActionTeam& t = e.event.action_team();
  const EventId team_id = *EventId::FromBytes(t.supersedes());  // ValidateBody checked the size
  CONSTELLATION_ASSIGN_OR_RETURN(const TeamVersion* in_force,
                                 VersionInForce(team_id, e, state, "action_team.supersedes"));
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

absl::Status TeamsLedger::CheckAnyRecord(const VerifiedEvent& e, const GroupState& state) const {
  if (!IsTeamLeadsProposal(e.event)) return absl::OkStatus();
  // Only the payload and membership (which decisions make): team records may be voided by a
  // removal cut, and a decision's validity must not change with them (PROTOCOL §5.7).
  const v1::TeamLeadsPayload& payload = e.event.proposal().team_leads();
  const std::string author = e.author.Bytes();
  if (std::find(payload.team_orgs().begin(), payload.team_orgs().end(), author) ==
      payload.team_orgs().end()) {
    return absl::PermissionDeniedError(absl::StrFormat(
        "org %s is not among the team's orgs the proposal names (proposal.team_leads.team_orgs); "
        "who leads a team is the team's decision",
        e.author.ShortHex()));
  }
  const GovernanceLedger& governance = Governance(state);
  for (const std::string& bytes : payload.leads()) {
    const OrgKey org = *OrgKey::FromBytes(bytes);  // validated
    if (!governance.IsMemberInPast(org, e, state)) {
      return absl::FailedPreconditionError(absl::StrFormat(
          "proposal.team_leads.leads: org %s is not a member of group %s in this proposal's "
          "past; a team's leads are members of its group",
          org.ShortHex(), state.group().ShortHex()));
    }
  }
  return absl::OkStatus();
}

absl::Status TeamsLedger::CheckOwnWrite(const v1::Event& body, const GroupState& state) const {
  if (!IsTeamLeadsProposal(body)) return absl::OkStatus();
  const v1::TeamLeadsPayload& payload = body.proposal().team_leads();
  const EventId team_id = *EventId::FromBytes(payload.team_id());  // validated
  auto it = teams_.find(team_id);
  if (it == teams_.end()) {
    return absl::NotFoundError(absl::StrFormat(
        "proposal.team_leads.team_id: team %s not found in group %s; name the id of the team's "
        "first version ('constellation team list')",
        team_id.ShortHex(), state.group().ShortHex()));
  }
  const TeamState& team = it->second;
  if (team.closed()) {
    return absl::FailedPreconditionError(
        absl::StrFormat("team %s was closed by version %s; a closed team takes no lead decision",
                        team_id.ShortHex(), team.closed_by->ShortHex()));
  }
  // This node's write has every event it holds in its past: the current version is in force.
  const std::vector<OrgKey> orgs = TeamOrgs(team.current());
  for (const std::string& bytes : payload.leads()) {
    if (!std::binary_search(orgs.begin(), orgs.end(), *OrgKey::FromBytes(bytes))) {
      return absl::FailedPreconditionError(absl::StrFormat(
          "proposal.team_leads.leads: org %s is not in team %s; add it to the team first "
          "('constellation team update --add-member')",
          OrgKey::FromBytes(bytes)->ShortHex(), team_id.ShortHex()));
    }
  }
  if (SortedKeys(payload.team_orgs()) != orgs) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "proposal.team_leads.team_orgs: they are not the %d orgs of team %s as version %s states "
        "them; read the team again and name its leads and participants",
        orgs.size(), team_id.ShortHex(), team.current().id.ShortHex()));
  }
  return absl::OkStatus();
}

std::optional<std::vector<OrgKey>> TeamsLedger::ElectorateScope(const VerifiedEvent& proposal,
                                                                const GroupState& state) const {
  (void)state;
  if (!IsTeamLeadsProposal(proposal.event)) return std::nullopt;
  return SortedKeys(proposal.event.proposal().team_leads().team_orgs());
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
  v.record = e.id;
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

void TeamsLedger::AfterEvent(const VerifiedEvent& e, const GroupState& state, Roster& roster) {
  (void)roster;
  const GovernanceLedger& governance = Governance(state);
  if (IsTeamLeadsProposal(e.event) && governance.proposals().contains(e.id)) {
    // The proposal decided on the team as its team_orgs state it: only if that is the team in
    // force for the proposal can the decision apply (docs/PROTOCOL.md §5.17.1). A function of
    // the proposal's causal past, all of it folded by now.
    const v1::TeamLeadsPayload& payload = e.event.proposal().team_leads();
    const absl::StatusOr<const TeamVersion*> in_force = VersionInForce(
        *EventId::FromBytes(payload.team_id()), e, state, "proposal.team_leads.team_id");
    pending_decisions_.emplace(
        e.id, in_force.ok() && TeamOrgs(**in_force) == SortedKeys(payload.team_orgs()));
  }
  for (auto it = pending_decisions_.begin(); it != pending_decisions_.end();) {
    const ProposalState& p = governance.proposals().at(it->first);
    if (!p.outcome.final) {
      ++it;
      continue;
    }
    // This event turned the outcome final (AfterEvent runs after every event).
    CONSTELLATION_CHECK(p.outcome.final_at.has_value() && *p.outcome.final_at == e.id);
    if (p.outcome.outcome == DecisionOutcome::kPassed && it->second) ApplyDecision(p, e.id);
    it = pending_decisions_.erase(it);
  }
}

void TeamsLedger::ApplyDecision(const ProposalState& p, const EventId& final) {
  const v1::TeamLeadsPayload& payload = p.proposal.team_leads();
  const EventId team_id = *EventId::FromBytes(payload.team_id());  // validated
  TeamState& team = teams_.at(team_id);
  if (team.closed()) return;  // closed is final
  const TeamVersion& current = team.current();
  TeamVersion v;
  v.id = p.id;
  v.author = p.proposer;
  v.status = current.status;
  v.fiscal_host = current.fiscal_host;
  v.review_ms = current.review_ms;
  v.record = current.record;
  v.decided_at = final;
  v.leads = SortedKeys(payload.leads());
  for (const std::vector<OrgKey>* orgs : {&current.leads, &current.participants}) {
    for (const OrgKey& org : *orgs) {
      if (!std::binary_search(v.leads.begin(), v.leads.end(), org)) v.participants.push_back(org);
    }
  }
  std::sort(v.participants.begin(), v.participants.end());
  team.versions.push_back(std::move(v));
  CONSTELLATION_CHECK(team_of_version_.emplace(p.id, team_id).second);
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
    // A record's version carries its own text; a decided one an earlier version's.
    CONSTELLATION_CHECK(v.decided_at.has_value() ? ids.contains(v.record) && v.record != v.id
                                                 : v.record == v.id);
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
