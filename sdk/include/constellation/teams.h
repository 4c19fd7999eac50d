// sdk/include/constellation/teams.h
//
// Action teams domain of the client API (TeamService, docs/PROTOCOL.md §5.17): sub-groups of
// a group's members around one opportunity (the Constellation Model's "constellations"), with
// lead organisations, participants, an optional fiscal host, linked strategy goals, a review
// or sunset date and a status proposed -> active <-> dormant -> closed. Every write states the
// whole team; a lead of the version in force writes the next version. The team's own members
// can also decide who leads it (a TEAM_LEADS proposal, TeamLeadsPayload).
// Thread safety: plain values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <constellation/common.h>

namespace constellation {

// What a team is: the input of CreateTeam and UpdateTeam (a whole version).
struct TeamInput {
  std::string name;
  std::string opportunity;                // what the team pursues (one line)
  std::vector<std::string> leads;         // hex org keys of members; at least one
  std::vector<std::string> participants;  // hex org keys of the other members
  std::string fiscal_host;                // hex org key of a member; "" = none
  uint64_t review_ms = 0;                 // review or sunset date (UTC ms); 0 = none
  std::string status = "proposed";        // "proposed" | "active" | "dormant" | "closed"
  std::vector<std::string> goal_keys;     // keys of goals of the group's strategy
  std::string workplan;                   // free text
};

// The payload of a TEAM_LEADS proposal (Client::ProposeTeamLeads fills it): once the team's
// own orgs decide it (final and passed), these orgs lead the team and its other orgs stay in
// it as participants (docs/PROTOCOL.md §5.17.1).
struct TeamLeadsPayload {
  std::string team_id;             // hex: the team's first version
  std::vector<std::string> leads;  // hex org keys of orgs in the team; at least one
  // hex org keys: every lead and participant of the team as it is (Team::members); they alone
  // vote, and the decision applies only if they are still the team's orgs.
  std::vector<std::string> team_orgs;
};

// A lead or participant of a team's current version.
struct TeamMember {
  std::string org;  // hex org key
  bool lead = false;
  // Still a member of the group at the read; false: it left the group, and so the team.
  bool active = false;
};

struct Team {
  std::string team_id;  // hex: the team's first version
  std::string group_id;
  std::string created_by;  // hex org key
  TeamInput team;          // the current version as written (its status field: that version's)
  std::string version_id;  // hex: the record that holds it
  // hex: the TEAM_LEADS proposal that last set the leads, when a decision did; then `team`
  // holds version_id's record with the leads and participants that decision left.
  std::string leads_decided_by;
  uint32_t versions = 0;
  std::string status;               // the team's: closed once any version closed it
  std::vector<TeamMember> members;  // leads first, then participants; each ascending by key
  Hlc hlc;                          // of the first version
};

struct TeamWrite {
  EventRef event;
  Team team;
};

}  // namespace constellation
