// server/core/teams/teams_records.cc
//
// Stateless validation of the action teams records (docs/PROTOCOL.md §5.17): TeamsLedger::Validate,
// which the fold registry (server/core/fold/registry.cc) routes this domain's bodies to.
// Every error is kInvalidArgument naming the field path and what to fix. Pure; thread-safe.
#include <algorithm>
#include <set>
#include <string>
#include <string_view>

#include <absl/strings/str_format.h>

#include "server/base/check.h"
#include "server/base/limits.h"
#include "server/base/status_macros.h"
#include "server/core/records.h"
#include "server/core/teams/teams_ledger.h"

namespace constellation::core {
namespace {

// Action teams (docs/PROTOCOL.md §5.17).
absl::Status ValidateActionTeam(const v1::ActionTeam& t) {
  CONSTELLATION_RETURN_IF_ERROR(CheckRequiredText(t.name(), limits::kNameSizeBytesMax,
                                                  "action_team.name", "kNameSizeBytesMax"));
  CONSTELLATION_RETURN_IF_ERROR(CheckShort(t.opportunity(), "action_team.opportunity"));
  if (t.leads().empty()) {
    return InvalidField("action_team.leads", "is required: name at least one lead organisation");
  }
  CONSTELLATION_RETURN_IF_ERROR(CheckIdList(t.leads(), "action_team.leads"));
  CONSTELLATION_RETURN_IF_ERROR(CheckIdList(t.participants(), "action_team.participants"));
  for (const std::string& p : t.participants()) {
    if (std::find(t.leads().begin(), t.leads().end(), p) != t.leads().end()) {
      return InvalidField("action_team.participants",
                          "names a lead; list each org once (leads are members of their team)");
    }
  }
  CONSTELLATION_RETURN_IF_ERROR(CheckId(t.fiscal_host(), "action_team.fiscal_host", false));
  CONSTELLATION_RETURN_IF_ERROR(CheckTime(t.review_ms(), "action_team.review_ms"));
  CONSTELLATION_RETURN_IF_ERROR(CheckId(t.supersedes(), "action_team.supersedes", false));
  if (t.dormant()) {
    return InvalidField("action_team.dormant",
                        "must be false; say dormant with status TEAM_STATUS_DORMANT");
  }
  if (t.status() == v1::TEAM_STATUS_UNSPECIFIED || !v1::TeamStatus_IsValid(t.status())) {
    return InvalidField("action_team.status", "must be proposed, active, dormant or closed");
  }
  if (t.supersedes().empty() && t.status() != v1::TEAM_STATUS_PROPOSED &&
      t.status() != v1::TEAM_STATUS_ACTIVE) {
    return InvalidField("action_team.status",
                        "must be proposed or active for a new team (supersedes empty)");
  }
  CONSTELLATION_RETURN_IF_ERROR(CheckKeys(t.goal_keys_size(), "action_team.goal_keys"));
  std::set<std::string_view> keys;
  for (const std::string& key : t.goal_keys()) {
    CONSTELLATION_RETURN_IF_ERROR(CheckRequiredText(key, limits::kNameSizeBytesMax,
                                                    "action_team.goal_keys", "kNameSizeBytesMax"));
    if (!keys.insert(key).second) {
      return InvalidField("action_team.goal_keys", absl::StrFormat("names goal '%s' twice", key));
    }
  }
  return CheckLong(t.workplan(), "action_team.workplan");
}

}  // namespace

absl::Status ValidateTeamLeads(const v1::TeamLeadsPayload& payload, std::string_view field) {
  CONSTELLATION_RETURN_IF_ERROR(CheckId(payload.team_id(), FieldPath(field, "team_id"), true));
  if (payload.leads().empty()) {
    return InvalidField(FieldPath(field, "leads"),
                        "is required: name at least one org of the team to lead it");
  }
  CONSTELLATION_RETURN_IF_ERROR(CheckIdList(payload.leads(), FieldPath(field, "leads")));
  if (payload.team_orgs().empty()) {
    return InvalidField(FieldPath(field, "team_orgs"),
                        "is required: the team's leads and participants as this node sees them");
  }
  CONSTELLATION_RETURN_IF_ERROR(CheckIdList(payload.team_orgs(), FieldPath(field, "team_orgs")));
  for (const std::string& lead : payload.leads()) {
    if (std::find(payload.team_orgs().begin(), payload.team_orgs().end(), lead) ==
        payload.team_orgs().end()) {
      return InvalidField(FieldPath(field, "leads"),
                          "names an org that is not among team_orgs; the new leads are orgs of "
                          "the team (add one to the team first)");
    }
  }
  return absl::OkStatus();
}

absl::Status TeamsLedger::Validate(const v1::Event& e) {
  switch (e.body_case()) {
    case v1::Event::kActionTeam:
      return ValidateActionTeam(e.action_team());
    default:
      CONSTELLATION_CHECK(false);  // the registry routes only this domain's records here
      return absl::OkStatus();
  }
}

}  // namespace constellation::core
