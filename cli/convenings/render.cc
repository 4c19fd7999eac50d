// cli/convenings/render.cc
#include "cli/convenings/render.h"

#include <absl/strings/str_format.h>
#include <absl/strings/str_join.h>

#include "cli/values.h"

namespace constellation::cli {
namespace {

size_t NotDone(const Convening& c) {
  size_t n = 0;
  for (const ActionItem& a : c.action_items) n += a.status != "done";
  return n;
}

constexpr Property<ActionItem> kActionItemProperties[] = {
    {"action_id", IdOf<&ActionItem::action_id>},
    {"group_id", Of<&ActionItem::group_id>, Shown::kJsonOnly},
    {"convening_id", IdOf<&ActionItem::convening_id>},
    {"text", Of<&ActionItem::item, &ActionItemInput::text>},
    {"owner", OrgKeyOf<&ActionItem::item, &ActionItemInput::owner>},
    {"due", TimeOf<&ActionItem::item, &ActionItemInput::due_ms>},
    {"status", Of<&ActionItem::status>},
    {"recorded_by", OrgKeyOf<&ActionItem::recorded_by>, Shown::kJsonOnly},
    {"recorded", Of<&ActionItem::hlc>, Shown::kJsonOnly},
    {"completed_by", OrgKeyOf<&ActionItem::completed_by>, Shown::kBothTextWhenSet},
    {"completion_note", Of<&ActionItem::completion_note>, Shown::kBothTextWhenSet},
    {"completion_id", IdOf<&ActionItem::completion_id>, Shown::kJsonOnly},
    {"completed", Of<&ActionItem::completed_hlc>, Shown::kJsonOnly},
};

constexpr Field<ActionItem> kActionItemColumns[] = {
    {"action_id", [](const ActionItem& a) { return a.action_id; }, false, CellKind::kId},
    {"due", [](const ActionItem& a) { return FormatTimeMs(a.item.due_ms); }},
    {"status", [](const ActionItem& a) { return a.status; }},
    {"owner", [](const ActionItem& a) { return a.item.owner; }, false, CellKind::kOrgKey},
    {"text", [](const ActionItem& a) { return a.item.text; }},
    {"convening_id", [](const ActionItem& a) { return a.convening_id; }, false, CellKind::kId},
};

Json AgendaJson(const Convening& c) {
  Json proposals = Json::array();
  for (const AgendaProposal& p : c.agenda_proposals) {
    proposals.push_back(JsonObject({{"proposal_id", p.proposal_id},
                                    {"title", p.title},
                                    {"outcome", p.outcome},
                                    {"final", p.final}}));
  }
  return JsonObject({{"items", Json(c.schedule.agenda_items)}, {"proposals", proposals}});
}

Json AttendanceJson(const Convening& c) {
  Json out = Json::array();
  for (const Attendance& a : c.attendance) {
    out.push_back(JsonObject(
        {{"member", a.member}, {"event_id", a.event_id}, HlcMembers("recorded", a.hlc)}));
  }
  return out;
}

// One row of the agenda section: a free item or a proposal, in agenda order (items first).
struct AgendaRow {
  std::string kind;
  std::string text;
  std::string id;
  std::string state;
};

constexpr Field<AgendaRow> kAgendaColumns[] = {
    {"kind", [](const AgendaRow& r) { return r.kind; }},
    {"item", [](const AgendaRow& r) { return r.text; }},
    {"proposal_id", [](const AgendaRow& r) { return r.id; }, false, CellKind::kId},
    {"state", [](const AgendaRow& r) { return r.state; }},
};

Table AgendaTable(const Convening& c) {
  std::vector<AgendaRow> rows;
  for (const std::string& item : c.schedule.agenda_items) rows.push_back({"item", item, "", ""});
  for (const AgendaProposal& p : c.agenda_proposals) {
    rows.push_back({"proposal", p.title, p.proposal_id,
                    absl::StrFormat("%s%s", p.outcome, p.final ? " (final)" : "")});
  }
  return TableOf<AgendaRow>(kAgendaColumns, rows);
}

constexpr Field<Attendance> kAttendanceColumns[] = {
    {"member", [](const Attendance& a) { return a.member; }, false, CellKind::kOrgKey},
    {"recorded", [](const Attendance& a) { return FormatTimeMs(a.hlc.wall_ms); }},
};

Table AttendanceTable(const Convening& c) {
  return TableOf<Attendance>(kAttendanceColumns, c.attendance);
}

Table ActionItemsTable(const Convening& c) {
  return TableOf<ActionItem>(std::span<const Field<ActionItem>>(kActionItemColumns).first(5),
                             c.action_items);
}

constexpr Section<Convening> kConveningSections[] = {
    {"Agenda", AgendaTable}, {"Attendance", AttendanceTable}, {"Action items", ActionItemsTable}};

constexpr Property<Convening> kConveningProperties[] = {
    {"convening_id", IdOf<&Convening::convening_id>},
    {"group_id", Of<&Convening::group_id>, Shown::kJsonOnly},
    {"title", Of<&Convening::schedule, &ConveningInput::title>},
    {"scheduled", TimeOf<&Convening::schedule, &ConveningInput::scheduled_ms>},
    {"convener", OrgKeyOf<&Convening::convener>},
    {"location", Of<&Convening::schedule, &ConveningInput::location>, Shown::kBothTextWhenSet},
    {"invitees",
     [](const Convening& c) {
       return c.schedule.invitees.empty()
                  ? Value(Json::array(), "every member")
                  : Value(Json(c.schedule.invitees), absl::StrJoin(c.schedule.invitees, " "));
     }},
    {"agenda", [](const Convening& c) { return Value(AgendaJson(c), ""); }, Shown::kJsonOnly},
    {"attendance", [](const Convening& c) { return Value(AttendanceJson(c), ""); },
     Shown::kJsonOnly},
    {"attended", [](const Convening& c) { return Value(c.attendance.size()); }, Shown::kTextOnly},
    {"minutes", Of<&Convening::minutes>, Shown::kBothTextWhenSet},
    {"minutes_id", IdOf<&Convening::minutes_id>, Shown::kJsonOnly},
    {"minutes_versions", Of<&Convening::minutes_versions>, Shown::kJsonOnly},
    {"action_items",
     [](const Convening& c) {
       Json items = Json::array();
       for (const ActionItem& a : c.action_items) items.push_back(kActionItemFormat.ToJson(a));
       return Value(items, "");
     },
     Shown::kJsonOnly},
    {"actions_not_done", [](const Convening& c) { return Value(NotDone(c)); }, Shown::kTextOnly},
    {"scheduled_by", Of<&Convening::hlc>, Shown::kJsonOnly},
};

constexpr Field<Convening> kConveningColumns[] = {
    {"convening_id", [](const Convening& c) { return c.convening_id; }, false, CellKind::kId},
    {"scheduled", [](const Convening& c) { return FormatTimeMs(c.schedule.scheduled_ms); }},
    {"title", [](const Convening& c) { return c.schedule.title; }},
    {"convener", [](const Convening& c) { return c.convener; }, false, CellKind::kOrgKey},
    {"attended", [](const Convening& c) { return Count(c.attendance.size()); }, kRightAligned},
    {"actions_not_done", [](const Convening& c) { return Count(NotDone(c)); }, kRightAligned},
    {"minutes", [](const Convening& c) { return YesNo(!c.minutes.empty()); }},
};

}  // namespace

const RecordFormat<ActionItem> kActionItemFormat = {.properties = kActionItemProperties,
                                                    .columns = kActionItemColumns};

const RecordFormat<Convening> kConveningFormat = {.properties = kConveningProperties,
                                                  .columns = kConveningColumns,
                                                  .sections = kConveningSections};

Output ConveningWriteOutput(const ConveningWrite& write, std::string_view request_id) {
  const Convening& c = write.convening;
  return WriteOutput("convening_id", c.convening_id, write.event, request_id, "convening",
                     kConveningFormat.ToJson(c),
                     {{"title", c.schedule.title},
                      {"scheduled", FormatTimeMs(c.schedule.scheduled_ms)},
                      {"attended", Count(c.attendance.size())},
                      {"minutes_versions", Count(c.minutes_versions)}});
}

Output ActionItemWriteOutput(const ActionItemWrite& write, std::string_view request_id) {
  const ActionItem& a = write.action_item;
  return WriteOutput(
      "action_id", a.action_id, write.event, request_id, "action_item", kActionItemFormat.ToJson(a),
      {{"status", a.status}, {"owner", a.item.owner}, {"due", FormatTimeMs(a.item.due_ms)}});
}

}  // namespace constellation::cli
