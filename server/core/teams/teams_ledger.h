// server/core/teams/teams_ledger.h
//
// TeamsLedger: action teams, the Constellation Model's "constellations" (issue 9 "Action
// teams", docs/PROTOCOL.md §5.17). A team is a sub-group of the group's members around one
// opportunity: lead organisations, participants, an optional fiscal host, linked goals of the
// group's strategy, a review or sunset date, and a status proposed -> active <-> dormant ->
// closed. A team lives in its parent group's log (not a log of its own), so that whether an
// org was a member of the parent when it joined a team is a fact of the record's causal past
// that every node judges the same. Every `action_team` record states the whole team; the
// first version founds it (its id is the team's), later versions name it in `supersedes`.
//
// Check reads only the record's causal past: the version in force for e is the latest (in
// canonical order) accepted version of the team in e's past; only its leads (or, when none of
// them is still a member, its participants) write the next one. Two versions that did not see
// each other both take effect; the later in canonical order states the team, except that a
// team is closed once any accepted version closed it (closed is final whatever sorts after).
//
// The state is compact: keys, times and ids. Names, opportunities, goal keys and workplans
// stay in the events the state names; views read them there. Whether a team member is still
// a member of the group depends on the time of the read, so views derive it.
//
// The team can also decide who leads it (docs/PROTOCOL.md §5.17.1): a TEAM_LEADS proposal
// names the team's orgs as its proposer's node saw them (`team_orgs`, checked against the team
// only when this node writes one: CheckOwnWrite) and is voted on by them alone
// (ElectorateScope). Its validity and electorate read only its payload and the membership
// rules, never a team record: a removal cut may void team records, and a final outcome must
// not change (PROTOCOL §5.7). When its outcome turns final and passed (AfterEvent) and
// `team_orgs` are the orgs of the team's version in force for the proposal, the team gains a
// decided version: the named leads, every other org of the current version a participant.
//
// Invariants (checked after every Apply for what it changed, and by CheckInvariants): a team's
// first version is its id and its versions are distinct; it has a lead; leads and participants
// are ascending and disjoint; a closed team has a closing version among its versions.
// Pure. Thread safety: not thread-safe; owned by its GroupState.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include <absl/status/statusor.h>

#include "constellation/v1/event.pb.h"
#include "server/core/fold/ledger.h"
#include "server/core/ids.h"

namespace constellation::core {

struct ProposalState;

// One accepted version of a team: what its record states (text excepted), or what a
// TEAM_LEADS decision made of the team (a decided version, docs/PROTOCOL.md §5.17.1).
struct TeamVersion {
  EventId id;     // the action_team event; for a decided version the TEAM_LEADS proposal
  OrgKey author;  // the record's author; for a decided version the proposer
  v1::TeamStatus status = v1::TEAM_STATUS_PROPOSED;
  std::vector<OrgKey> leads;         // ascending by key
  std::vector<OrgKey> participants;  // ascending by key, none a lead
  std::optional<OrgKey> fiscal_host;
  uint64_t review_ms = 0;
  // The action_team record that carries the version's name, opportunity, goal keys and
  // workplan: `id` itself, or for a decided version that of the version it followed.
  EventId record;
  // A decided version: the event that made its decision final (when it took effect in the
  // fold; a record counts it in force when the decision is final and passed in its past).
  std::optional<EventId> decided_at;

  // Whether `org` is one of its leads or participants.
  bool Names(const OrgKey& org) const;
};

struct TeamState {
  EventId id;  // the team's first version
  OrgKey created_by;
  Hlc hlc;                            // of the first version
  std::vector<TeamVersion> versions;  // accepted versions in canonical order; the first is id
  std::optional<EventId> closed_by;   // the first accepted version (canonical order) closing it

  bool closed() const { return closed_by.has_value(); }
  // The version that states the team: the latest in canonical order.
  const TeamVersion& current() const { return versions.back(); }
  // TEAM_STATUS_CLOSED once any accepted version closed it, else the current version's status.
  v1::TeamStatus status() const { return closed_by ? v1::TEAM_STATUS_CLOSED : current().status; }
};

class TeamsLedger final : public Ledger {
 public:
  static constexpr Domain kDomain = Domain::kTeams;

  // Stateless validation of this domain's record bodies (server/core/records.h; defined in
  // teams_records.cc): kInvalidArgument naming the field. The registry routes bodies here.
  static absl::Status Validate(const v1::Event& e);

  const std::map<EventId, TeamState>& teams() const { return teams_; }
  // The team that version `version` belongs to, or nullptr when no accepted version has that id.
  const TeamState* TeamOfVersion(const EventId& version) const;

  absl::Status Check(const VerifiedEvent& e, const GroupState& state) const override;
  // The fold's rules of a TEAM_LEADS proposal (docs/PROTOCOL.md §5.17.1): its proposer is
  // among its team_orgs and its leads are members; OK for any other record.
  absl::Status CheckAnyRecord(const VerifiedEvent& e, const GroupState& state) const override;
  // What this node checks before it writes a TEAM_LEADS proposal: the team exists and is not
  // closed, and team_orgs are the orgs of its current version.
  absl::Status CheckOwnWrite(const v1::Event& body, const GroupState& state) const override;
  // A TEAM_LEADS proposal's electorate: its team_orgs.
  std::optional<std::vector<OrgKey>> ElectorateScope(const VerifiedEvent& proposal,
                                                     const GroupState& state) const override;
  void Apply(const VerifiedEvent& e, const GroupState& state, Roster& roster) override;
  // Gives a team the decided version of a TEAM_LEADS decision that turned final and passed.
  void AfterEvent(const VerifiedEvent& e, const GroupState& state, Roster& roster) override;
  void HashInto(StateHasher& h) const override;
  void CheckInvariants() const override;
  std::unique_ptr<Ledger> Clone() const override { return std::make_unique<TeamsLedger>(*this); }

 private:
  // The team `team_id` as record `e` sees it: the team exists (kNotFound) and its first version
  // is in e's causal past (kFailedPrecondition); then the version in force for e (the accepted
  // version in e's past last in canonical order, a decided one counting when its decision is
  // final and passed in e's past), or kFailedPrecondition when a version in e's past closed
  // it. A function of e's causal past. `field` names the record's field in messages.
  absl::StatusOr<const TeamVersion*> VersionInForce(const EventId& team_id, const VerifiedEvent& e,
                                                    const GroupState& state,
                                                    std::string_view field) const;
  // The rules of a later version (supersedes set): the version in force for e and who writes.
  absl::Status CheckNewVersion(const VerifiedEvent& e, const GroupState& state) const;
  // Appends the decided version of TEAM_LEADS proposal `p`, final and passed at event `final`,
  // whose team_orgs were the orgs of the team's version in force for the proposal, unless the
  // team is closed by now.
  void ApplyDecision(const ProposalState& p, const EventId& final);
  void CheckTeamInvariants(const TeamState& t) const;

  std::map<EventId, TeamState> teams_;
  std::map<EventId, EventId> team_of_version_;  // every accepted version -> its team (an index)
  // TEAM_LEADS proposals that took effect and are not final yet, each with whether its
  // team_orgs were the orgs of the team's version in force for it (derived from governance's
  // proposals and the team's versions, so not hashed).
  std::map<EventId, bool> pending_decisions_;
};

// Whether `body` is a TEAM_LEADS proposal (docs/PROTOCOL.md §5.17.1).
bool IsTeamLeadsProposal(const v1::Event& body);

// The orgs a team version names, leads and participants, ascending: what a TEAM_LEADS
// proposal states as its team_orgs.
std::vector<OrgKey> TeamOrgs(const TeamVersion& version);

// Stateless validation of a TEAM_LEADS payload (docs/PROTOCOL.md §5.17.1), for the governance
// records' validation: kInvalidArgument naming `field`.
absl::Status ValidateTeamLeads(const v1::TeamLeadsPayload& payload, std::string_view field);

// Whether moving a team from `from` (the version in force) to `to` is a step of its lifecycle
// (docs/PROTOCOL.md §5.17): proposed -> proposed | active | closed; active -> active | dormant |
// closed; dormant -> dormant | active | closed; nothing leaves closed.
bool IsTeamTransition(v1::TeamStatus from, v1::TeamStatus to);

// "proposed", "active", "dormant", "closed".
std::string_view TeamStatusName(v1::TeamStatus status);

// The teams ledger of `state` (state.ledger<TeamsLedger>()).
const TeamsLedger& Teams(const GroupState& state);

}  // namespace constellation::core
