// cli/teams/render.cc
#include "cli/teams/render.h"

#include <absl/strings/str_join.h>

#include "cli/values.h"

namespace constellation::cli {
namespace {

// The keys of the members still in the group, leads or not.
std::vector<std::string> ActiveMembers(const Team& t, bool lead) {
  std::vector<std::string> out;
  for (const TeamMember& m : t.members) {
    if (m.lead == lead && m.active) out.push_back(m.org);
  }
  return out;
}

size_t LeftCount(const Team& t) {
  size_t n = 0;
  for (const TeamMember& m : t.members) n += !m.active;
  return n;
}

Json MembersJson(const Team& t) {
  Json out = Json::array();
  for (const TeamMember& m : t.members) {
    out.push_back(JsonObject({{"org", m.org}, {"lead", m.lead}, {"active", m.active}}));
  }
  return out;
}

constexpr Field<TeamMember> kMemberColumns[] = {
    {"org", [](const TeamMember& m) { return m.org; }, false, CellKind::kOrgKey},
    {"role", [](const TeamMember& m) { return std::string(m.lead ? "lead" : "participant"); }},
    {"in_group",
     [](const TeamMember& m) { return std::string(m.active ? "yes" : "no (left the group)"); }},
};

Table MembersTable(const Team& t) { return TableOf<TeamMember>(kMemberColumns, t.members); }

constexpr Section<Team> kTeamSections[] = {{"Members", MembersTable}};

constexpr Property<Team> kTeamProperties[] = {
    {"team_id", IdOf<&Team::team_id>},
    {"group_id", Of<&Team::group_id>, Shown::kJsonOnly},
    {"name", Of<&Team::team, &TeamInput::name>},
    {"status", Of<&Team::status>},
    {"opportunity", Of<&Team::team, &TeamInput::opportunity>, Shown::kBothTextWhenSet},
    {"leads", [](const Team& t) { return Value::Ids(ActiveMembers(t, true)); }, Shown::kTextOnly},
    {"participants", [](const Team& t) { return Value::Ids(ActiveMembers(t, false)); },
     Shown::kTextOnlyWhenSet},
    {"left_group", [](const Team& t) { return Value(LeftCount(t)); }, Shown::kTextOnly},
    {"members", [](const Team& t) { return Value(MembersJson(t), ""); }, Shown::kJsonOnly},
    {"fiscal_host", OrgKeyOf<&Team::team, &TeamInput::fiscal_host>, Shown::kBothTextWhenSet},
    {"goals", Of<&Team::team, &TeamInput::goal_keys>, Shown::kBothTextWhenSet},
    {"review", TimeOf<&Team::team, &TeamInput::review_ms>, Shown::kBothTextWhenSet},
    {"workplan", Of<&Team::team, &TeamInput::workplan>, Shown::kBothTextWhenSet},
    {"created_by", OrgKeyOf<&Team::created_by>},
    {"created", Of<&Team::hlc>, Shown::kJsonOnly},
    {"versions", Of<&Team::versions>},
    {"version_id", IdOf<&Team::version_id>, Shown::kJsonOnly},
    {"leads_decided_by", IdOf<&Team::leads_decided_by>, Shown::kBothTextWhenSet},
};

constexpr Field<Team> kTeamColumns[] = {
    {"team_id", [](const Team& t) { return t.team_id; }, false, CellKind::kId},
    {"name", [](const Team& t) { return t.team.name; }},
    {"status", [](const Team& t) { return t.status; }},
    {"leads", [](const Team& t) { return absl::StrJoin(ActiveMembers(t, true), " "); }, false,
     CellKind::kOrgKey},
    {"members",
     [](const Team& t) {
       return Count(ActiveMembers(t, true).size() + ActiveMembers(t, false).size());
     },
     kRightAligned},
    {"review", [](const Team& t) { return FormatTimeMs(t.team.review_ms); }},
};

}  // namespace

const RecordFormat<Team> kTeamFormat = {
    .properties = kTeamProperties, .columns = kTeamColumns, .sections = kTeamSections};

Output TeamWriteOutput(const TeamWrite& write, std::string_view request_id) {
  const Team& t = write.team;
  return WriteOutput(
      "team_id", t.team_id, write.event, request_id, "team", kTeamFormat.ToJson(t),
      {{"name", t.team.name}, {"status", t.status}, {"versions", Count(t.versions)}});
}

}  // namespace constellation::cli
