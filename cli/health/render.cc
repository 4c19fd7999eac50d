// cli/health/render.cc
#include "cli/health/render.h"

#include <absl/strings/str_format.h>
#include <absl/strings/str_join.h>

#include "cli/values.h"

namespace constellation::cli {
namespace {

// 4500 -> "4.5"; 4000 -> "4.0".
std::string Alignment(uint32_t milli) {
  const uint32_t tenths = (milli + 50) / 100;
  return absl::StrFormat("%d.%d", tenths / 10, tenths % 10);
}

// "4 ↑" (up from the previous pulse), "4 ↓", "4 =", "4", or "-" without a pulse.
std::string PulseTrend(uint32_t latest, uint32_t previous) {
  if (latest == 0) return "-";
  if (previous == 0) return absl::StrFormat("%d", latest);
  const char* arrow = latest > previous ? "\u2191" : latest < previous ? "\u2193" : "=";
  return absl::StrFormat("%d %s", latest, arrow);
}

// "2 stances, 1 overdue action item"; "-" when it owes nothing.
std::string Owes(const MemberHealth& m) {
  std::vector<std::string> parts;
  auto add = [&parts](size_t n, const char* one, const char* many) {
    if (n > 0) parts.push_back(absl::StrFormat("%d %s", n, n == 1 ? one : many));
  };
  add(m.stances_owed.size(), "stance", "stances");
  add(m.acknowledgements_owed.size(), "acknowledgement", "acknowledgements");
  add(m.overdue_action_items.size(), "overdue action item", "overdue action items");
  add(m.overdue_pledges.size(), "overdue pledge", "overdue pledges");
  add(m.reports_owed.size(), "indicator report", "indicator reports");
  return parts.empty() ? "-" : absl::StrJoin(parts, ", ");
}

Json ReportsOwedJson(const MemberHealth& m) {
  Json out = Json::array();
  for (const ReportDue& d : m.reports_owed) {
    out.push_back(JsonObject(
        {{"version_id", d.version_id}, {"indicator_key", d.indicator_key}, {"period", d.period}}));
  }
  return out;
}

Json MemberJson(const MemberHealth& m) {
  return JsonObject({{"member", m.member},
                     {"name", m.name},
                     {"status", m.status},
                     TimeMembers("last_activity", m.last_activity_ms),
                     {"silent", m.silent},
                     {"latest_alignment", m.latest_alignment},
                     {"previous_alignment", m.previous_alignment},
                     {"stances_owed", Json(m.stances_owed)},
                     {"acknowledgements_owed", Json(m.acknowledgements_owed)},
                     {"overdue_action_items", Json(m.overdue_action_items)},
                     {"overdue_pledges", Json(m.overdue_pledges)},
                     {"reports_owed", ReportsOwedJson(m)}});
}

Json TeamReviewJson(const TeamReviewDue& t) {
  return JsonObject({{"team_id", t.team_id},
                     {"name", t.name},
                     {"status", t.status},
                     TimeMembers("review", t.review_ms),
                     {"leads", Json(t.leads)}});
}

Json PeriodJson(const PulsePeriod& p) {
  return JsonObject({{"period", p.period}, {"count", p.count}, {"average_milli", p.average_milli}});
}

constexpr Field<MemberHealth> kMemberColumns[] = {
    {"member", [](const MemberHealth& m) { return m.member; }, false, CellKind::kOrgKey},
    {"status", [](const MemberHealth& m) { return m.status; }},
    {"last_activity", [](const MemberHealth& m) { return FormatTimeMs(m.last_activity_ms); }},
    {"silent", [](const MemberHealth& m) { return YesNo(m.silent); }},
    {"pulse",
     [](const MemberHealth& m) { return PulseTrend(m.latest_alignment, m.previous_alignment); }},
    {"owes", Owes},
};

constexpr Field<TeamReviewDue> kTeamReviewColumns[] = {
    {"team", [](const TeamReviewDue& t) { return t.team_id; }, false, CellKind::kId},
    {"name", [](const TeamReviewDue& t) { return t.name; }},
    {"status", [](const TeamReviewDue& t) { return t.status; }},
    {"review_due_since", [](const TeamReviewDue& t) { return FormatTimeMs(t.review_ms); }},
    {"leads", [](const TeamReviewDue& t) { return absl::StrJoin(t.leads, " "); }, false,
     CellKind::kOrgKey},
};

constexpr Field<PulsePeriod> kPeriodColumns[] = {
    {"period", [](const PulsePeriod& p) { return p.period; }},
    {"checks", [](const PulsePeriod& p) { return Count(p.count); }, kRightAligned},
    {"average", [](const PulsePeriod& p) { return Alignment(p.average_milli); }, kRightAligned},
    {"", [](const PulsePeriod& p) { return std::string((p.average_milli + 250) / 500, '#'); }},
};

constexpr Property<Pulse> kPulseProperties[] = {
    {"event_id", IdOf<&Pulse::event_id>}, {"group_id", Of<&Pulse::group_id>, Shown::kJsonOnly},
    {"member", OrgKeyOf<&Pulse::member>}, {"alignment", Of<&Pulse::alignment>},
    {"comment", Of<&Pulse::comment>},     {"recorded", Of<&Pulse::hlc>},
};

}  // namespace

const RecordFormat<Pulse> kPulseFormat = {.properties = kPulseProperties};

Output HealthOutput(const GroupHealth& h) {
  Json members = Json::array();
  for (const MemberHealth& m : h.members) members.push_back(MemberJson(m));
  Json trend = Json::array();
  for (const PulsePeriod& p : h.pulse_trend) trend.push_back(PeriodJson(p));
  Json teams = Json::array();
  for (const TeamReviewDue& t : h.teams_review_due) teams.push_back(TeamReviewJson(t));
  Json json = JsonObject({{"group_id", h.group_id},
                          TimeMembers("as_of", h.as_of_ms),
                          {"review_cadence_days", h.review_cadence_days},
                          TimeMembers("review", h.review_ms),
                          {"review_due", h.review_due},
                          TimeMembers("term_end", h.term_end_ms),
                          {"term_ended", h.term_ended},
                          {"dissolved", h.dissolved},
                          {"open_proposals", h.open_proposals},
                          {"members", members},
                          {"pulse_trend", trend},
                          {"teams_review_due", teams}});
  size_t silent = 0;
  for (const MemberHealth& m : h.members) silent += m.silent;
  std::string review = "none set";
  if (h.review_ms != 0) {
    review = h.review_due ? absl::StrFormat("DUE (since %s)", FormatTimeMs(h.review_ms))
                          : absl::StrFormat("next on %s", FormatTimeMs(h.review_ms));
  }
  std::string pulse = "no pulse checks yet ('constellation pulse record')";
  if (!h.pulse_trend.empty()) {
    const PulsePeriod& last = h.pulse_trend.back();
    pulse = absl::StrFormat("%s in %s (%d checks)", Alignment(last.average_milli), last.period,
                            last.count);
    if (h.pulse_trend.size() >= 2) {
      const PulsePeriod& before = h.pulse_trend[h.pulse_trend.size() - 2];
      pulse += absl::StrFormat("; %s in %s", Alignment(before.average_milli), before.period);
    }
  }
  KeyValues values = {
      {"as_of", FormatTimeMs(h.as_of_ms)},
      {"status", h.dissolved    ? "dissolved"
                 : h.term_ended ? "term ended"
                                : "active"},
      {"charter_review", review},
      {"open_proposals", Count(h.open_proposals)},
      {"silent_members",
       absl::StrFormat("%d (no record for more than %d days)", silent, h.review_cadence_days)},
      {"pulse", pulse},
      {"teams_review",
       h.teams_review_due.empty()
           ? "none due"
           : absl::StrFormat("%d past their review date: their leads owe a review (below)",
                             h.teams_review_due.size())},
  };
  std::vector<std::pair<std::string, Table>> tables;
  tables.emplace_back("Members", TableOf<MemberHealth>(kMemberColumns, h.members));
  if (!h.teams_review_due.empty()) {
    tables.emplace_back("Teams past review",
                        TableOf<TeamReviewDue>(kTeamReviewColumns, h.teams_review_due));
  }
  tables.emplace_back("Pulse trend", TableOf<PulsePeriod>(kPeriodColumns, h.pulse_trend));
  return Output::Object(std::move(json), std::move(values), std::move(tables));
}

Output PulseWriteOutput(const PulseWrite& write, std::string_view request_id) {
  return WriteOutput("event_id", write.pulse.event_id, write.event, request_id, "pulse",
                     kPulseFormat.ToJson(write.pulse),
                     {{"alignment", Count(write.pulse.alignment)}});
}

}  // namespace constellation::cli
