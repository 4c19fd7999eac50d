// cli/teams/commands.cc: the `team` commands (action teams of a group).
#include "cli/teams/commands.h"

#include <algorithm>

#include <absl/strings/str_format.h>
#include <absl/time/clock.h>

#include "cli/governance/commands.h"
#include "cli/governance/render.h"
#include "cli/teams/render.h"
#include "cli/values.h"

namespace constellation::cli {
namespace {

// Adds `org` to `list` unless it is there.
void AddOnce(std::vector<std::string>& list, const std::string& org) {
  if (std::find(list.begin(), list.end(), org) == list.end()) list.push_back(org);
}

void Remove(std::vector<std::string>& list, const std::string& org) {
  list.erase(std::remove(list.begin(), list.end(), org), list.end());
}

// The flags both `create` and `update` take, applied to `team` (only those given).
absl::Status ApplyTeamFlags(const Invocation& inv, TeamInput& team) {
  if (inv.Has("name")) team.name = inv.Get("name");
  if (inv.Has("opportunity")) team.opportunity = inv.Get("opportunity");
  if (inv.Has("status")) team.status = inv.Get("status");
  if (inv.Has("fiscal-host")) team.fiscal_host = inv.Get("fiscal-host");
  if (inv.Has("no-fiscal-host")) team.fiscal_host.clear();
  if (inv.Has("goal")) team.goal_keys = inv.GetAll("goal");
  if (inv.Has("workplan")) team.workplan = inv.Get("workplan");
  if (inv.Has("review")) {
    if (inv.Get("review") == "none") {
      team.review_ms = 0;
    } else {
      absl::StatusOr<uint64_t> review = ParseInstantMs(inv.Get("review"), "review", absl::Now());
      if (!review.ok()) return review.status();
      team.review_ms = *review;
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Output> CreateCommand(const Invocation& inv, CommandContext& context) {
  TeamInput team;
  team.leads = inv.GetAll("lead");
  team.participants = inv.GetAll("member");
  absl::Status status = ApplyTeamFlags(inv, team);
  if (!status.ok()) return status;
  return context.Write(
      [&](Client& client) -> absl::StatusOr<TeamWrite> {
        if (team.leads.empty()) {  // this org leads the team it forms
          absl::StatusOr<std::string> own = context.own_org_key();
          if (!own.ok()) return own.status();
          team.leads.push_back(*own);
        }
        for (const std::string& lead : team.leads) Remove(team.participants, lead);
        return client.CreateTeam(inv.Get("group"), team, context.write_options());
      },
      TeamWriteOutput);
}

absl::StatusOr<Output> UpdateCommand(const Invocation& inv, CommandContext& context) {
  if (!inv.Has("name") && !inv.Has("opportunity") && !inv.Has("status") &&
      !inv.Has("fiscal-host") && !inv.Has("no-fiscal-host") && !inv.Has("goal") &&
      !inv.Has("workplan") && !inv.Has("review") && !inv.Has("lead") && !inv.Has("add-member") &&
      !inv.Has("remove-member")) {
    return absl::InvalidArgumentError(
        "say what changes: --status, --lead, --add-member, --remove-member, --name, "
        "--opportunity, --fiscal-host, --no-fiscal-host, --goal, --review or --workplan");
  }
  return context.Write(
      [&](Client& client) -> absl::StatusOr<TeamWrite> {
        // The next version is the current one with the flags applied.
        absl::StatusOr<Team> current = client.GetTeam(inv.Get("group"), inv.Positional(0));
        if (!current.ok()) return current.status();
        TeamInput team = current->team;
        team.status = current->status;
        absl::Status status = ApplyTeamFlags(inv, team);
        if (!status.ok()) return status;
        if (inv.Has("lead")) {  // the leads given replace the leads; former leads stay members
          for (const std::string& lead : team.leads) AddOnce(team.participants, lead);
          team.leads = inv.GetAll("lead");
        }
        for (const std::string& org : inv.GetAll("add-member")) AddOnce(team.participants, org);
        for (const std::string& org : inv.GetAll("remove-member")) {
          Remove(team.leads, org);
          Remove(team.participants, org);
        }
        for (const std::string& lead : team.leads) Remove(team.participants, lead);
        return client.UpdateTeam(inv.Get("group"), current->team_id, team, context.write_options());
      },
      TeamWriteOutput);
}

// `team propose-leads`: a TEAM_LEADS proposal (docs/PROTOCOL.md §5.17.1), which the team's
// own orgs decide; once final and passed the named orgs lead the team.
absl::StatusOr<Output> ProposeLeadsCommand(const Invocation& inv, CommandContext& context) {
  if (!inv.Has("lead")) {
    return absl::InvalidArgumentError(
        "--lead is required: name the org (or orgs) of the team that should lead it");
  }
  return context.Write(
      [&](Client& client) -> absl::StatusOr<ProposalWrite> {
        absl::StatusOr<Team> team = client.GetTeam(inv.Get("group"), inv.Positional(0));
        if (!team.ok()) return team.status();
        ProposalSpec spec;
        absl::Status status =
            ApplyProposalFlags(inv, absl::StrFormat("Leads of %s", team->team.name), &spec);
        if (!status.ok()) return status;
        return client.ProposeTeamLeads(inv.Get("group"), team->team_id, inv.GetAll("lead"), spec,
                                       context.write_options());
      },
      ProposalWriteOutput);
}

absl::StatusOr<Output> ListCommand(const Invocation& inv, CommandContext& context) {
  return context.ReadPages(
      [&](Client& client, const PageOptions& page) {
        return client.ListTeamsPage(inv.Get("group"), inv.Get("member"), page);
      },
      kTeamFormat);
}

absl::StatusOr<Output> ShowCommand(const Invocation& inv, CommandContext& context) {
  return context.ReadCall(&Client::GetTeam, kTeamFormat, inv.Get("group"), inv.Positional(0));
}

std::string CreateHint(const absl::Status& status, const CommandContext& context) {
  switch (status.code()) {
    case absl::StatusCode::kPermissionDenied:
      return "the member that forms a team leads it: leave out --lead, or name this org "
             "among the leads";
    case absl::StatusCode::kFailedPrecondition:
      return "every lead, member and fiscal host must be a member of the group: "
             "'constellation member list --group " +
             context.invocation().Get("group") + "'";
    case absl::StatusCode::kNotFound:
      return "link goals of the group's strategy: 'constellation strategy current --group " +
             context.invocation().Get("group") + "' lists them";
    default:
      return "";
  }
}

std::string UpdateHint(const absl::Status& status, const CommandContext& context) {
  switch (status.code()) {
    case absl::StatusCode::kPermissionDenied:
      return "a lead of the team writes its next version: 'constellation team show --group " +
             context.invocation().Get("group") + " " + context.invocation().Positional(0) +
             "' lists them";
    case absl::StatusCode::kFailedPrecondition:
      return "a team moves proposed -> active <-> dormant -> closed, a closed team stays "
             "closed, and its members must be members of the group";
    default:
      return "";
  }
}

std::string ProposeLeadsHint(const absl::Status& status, const CommandContext& context) {
  const std::string show = "'constellation team show --group " + context.invocation().Get("group") +
                           " " + context.invocation().Positional(0) + "'";
  switch (status.code()) {
    case absl::StatusCode::kPermissionDenied:
      return "only an org of the team proposes who leads it: " + show + " lists them";
    case absl::StatusCode::kFailedPrecondition:
      return "each new lead must be in the team and a member of the group (add it with "
             "'constellation team update --add-member'), a closed team takes no decision, and "
             "a team that changed meanwhile is read again by running the command again";
    default:
      return "";
  }
}

constexpr std::string_view kStatusHelp = "proposed, active, dormant or closed";

}  // namespace

std::vector<Command> TeamCommands() {
  return {
      Command("team create", CreateCommand)
          .Summary("Form an action team of some of the group's members around one opportunity")
          .Flag(GroupFlag())
          .Required("--name TEXT", "the team's name")
          .Optional("--opportunity TEXT", "what the team pursues")
          .Repeated("--lead ORG_KEY", "a lead organisation (default: this org)")
          .Repeated("--member ORG_KEY", "another member of the team")
          .Optional("--fiscal-host ORG_KEY", "the member that holds the team's money")
          .Repeated("--goal KEY", "a goal of the group's strategy the team works on")
          .Optional("--review WHEN", "review or sunset date: DATE, DATE-TIME, ms or +DURATION")
          .Optional("--status STATUS", "proposed (default) or active")
          .Optional("--workplan TEXT", "what the team will do")
          .Details("This org must be one of the leads. Every lead, member and the fiscal host "
                   "must be a member of the group; a member that leaves the group leaves its "
                   "teams. JSON keys: team_id, event_id, request_id, event, team.")
          .Example("constellation team create --group $GROUP --name 'Youth jobs pilot' --member "
                   "'Harbour Trust' --goal jobs --review 2027-06-30")
          .Hint(CreateHint)
          .Write(),
      Command("team list", ListCommand)
          .Summary("List the group's action teams")
          .Flag(GroupFlag())
          .Optional("--member ORG_KEY", "only the teams that name this member")
          .Details("LEADS and MEMBERS count only orgs still in the group. CSV columns: team_id, "
                   "name, status, leads, members, review.")
          .Example("constellation team list --group $GROUP"),
      Command("team show", ShowCommand)
          .Summary("Show an action team: status, goals, review date and members")
          .Argument("TEAM", "team id (or a unique prefix, or its exact name)")
          .Flag(GroupFlag())
          .Details("A member that left the group is listed with in_group 'no': it has left "
                   "the team too.")
          .Example("constellation team show --group $GROUP 'Youth jobs pilot'"),
      Command("team update", UpdateCommand)
          .Summary("Write a new version of a team: status, leads, members, goals, dates")
          .Argument("TEAM", "team id (or a unique prefix, or its exact name)")
          .Flag(GroupFlag())
          .Optional("--status STATUS", std::string(kStatusHelp))
          .Repeated("--lead ORG_KEY",
                    "the new leads (replace the leads; former leads stay members)")
          .Repeated("--add-member ORG_KEY", "a member joining the team")
          .Repeated("--remove-member ORG_KEY", "a member leaving the team")
          .Optional("--name TEXT", "a new name")
          .Optional("--opportunity TEXT", "what the team pursues")
          .Optional("--fiscal-host ORG_KEY", "the member that holds the team's money")
          .Optional("--no-fiscal-host", "the team has no fiscal host any more")
          .Repeated("--goal KEY", "the goals the team works on (replace the goals)")
          .Optional("--review WHEN", "review or sunset date ('none')")
          .Optional("--workplan TEXT", "what the team will do")
          .Details("Only a lead of the team may (when none of its leads is still in the group, "
                   "a member of the team may). A team moves proposed -> active <-> dormant -> "
                   "closed; closed is final. What is not given stays as it is.")
          .Example("constellation team update --group $GROUP 'Youth jobs pilot' --status active")
          .Hint(UpdateHint)
          .Write(),
      Command("team propose-leads", ProposeLeadsCommand)
          .Summary("Propose that the team decide who leads it (a TEAM_LEADS decision)")
          .Argument("TEAM", "team id (or a unique prefix, or its exact name)")
          .Flag(GroupFlag())
          .Repeated("--lead ORG_KEY", "an org of the team to lead it (at least one)")
          .Optional("--title TEXT", "what is decided (default: 'Leads of NAME')")
          .Flag(ProposalTextFlag())
          .Flag(ProposalDeadlineFlag())
          .Details("The team's own orgs decide, under the charter's TEAM_LEADS rule (consent by "
                   "default); vote with 'constellation proposal vote'. Once the decision is "
                   "final and passed, the named orgs lead the team and its other orgs stay in "
                   "it as participants; 'team show' names the deciding proposal "
                   "(leads_decided_by). Prints proposal_id and event_id. JSON keys: "
                   "proposal_id, event_id, request_id, event, proposal.")
          .Example("constellation team propose-leads --group $GROUP 'Youth jobs pilot' --lead "
                   "'Harbour Trust'")
          .Hint(ProposeLeadsHint)
          .Write(),
  };
}

}  // namespace constellation::cli
