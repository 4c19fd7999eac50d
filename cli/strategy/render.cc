// cli/strategy/render.cc
#include "cli/strategy/render.h"

#include <absl/strings/str_format.h>
#include <absl/strings/str_join.h>
#include <absl/strings/str_split.h>

#include "cli/values.h"

namespace constellation::cli {
namespace {

Json IndicatorJson(const Indicator& i) {
  return JsonObject({{"key", i.key},
                     {"name", i.name},
                     {"definition", i.definition},
                     {"unit", i.unit},
                     {"level", i.level},
                     {"baseline", i.baseline},
                     {"target", i.target},
                     {"frequency", i.frequency},
                     {"owner", i.owner}});
}

Json GoalJson(const StrategyGoal& g) {
  return JsonObject({{"key", g.key}, {"text", g.text}, {"indicators", Json(g.indicator_keys)}});
}

Json AdoptionJson(const StrategyAdoption& a) {
  return JsonObject({{"proposal_id", a.proposal_id},
                     {"version_id", a.version_id},
                     {"document", a.document},
                     {"title", a.title},
                     HlcMembers("proposed", a.proposal_hlc),
                     TimeMembers("final", a.final_ms),
                     {"current", a.current}});
}

// The early indicators first: results come late (seed 004), so the first to watch lead.
std::vector<Indicator> ByLevel(const std::vector<Indicator>& indicators) {
  std::vector<Indicator> out;
  for (const char* level : {"early", "intermediate", "long_term"}) {
    for (const Indicator& i : indicators) {
      if (i.level == level) out.push_back(i);
    }
  }
  return out;
}

constexpr Field<Indicator> kIndicatorColumns[] = {
    {"key", [](const Indicator& i) { return i.key; }},
    {"level", [](const Indicator& i) { return i.level; }},
    {"name", [](const Indicator& i) { return i.name; }},
    {"unit", [](const Indicator& i) { return i.unit; }},
    {"baseline", [](const Indicator& i) { return std::to_string(i.baseline); }, kRightAligned},
    {"target", [](const Indicator& i) { return std::to_string(i.target); }, kRightAligned},
    {"frequency", [](const Indicator& i) { return i.frequency; }},
    {"owner", [](const Indicator& i) { return i.owner; }, false, CellKind::kOrgKey},
};

constexpr Field<StrategyGoal> kGoalColumns[] = {
    {"key", [](const StrategyGoal& g) { return g.key; }},
    {"goal", [](const StrategyGoal& g) { return g.text; }},
    {"indicators", [](const StrategyGoal& g) { return absl::StrJoin(g.indicator_keys, ", "); }},
};

// The text line by line (a key/value line would run it together).
Table ContentTable(const StrategyVersion& v) {
  Table table;
  table.columns.push_back({"text", false, CellKind::kText});
  for (const std::string& line : std::vector<std::string>(absl::StrSplit(v.draft.content, '\n'))) {
    table.rows.push_back({line});
  }
  while (!table.rows.empty() && table.rows.back()[0].empty()) table.rows.pop_back();
  return table;
}

Table GoalsTable(const StrategyVersion& v) {
  return TableOf<StrategyGoal>(kGoalColumns, v.draft.goals);
}
Table IndicatorsTable(const StrategyVersion& v) {
  return TableOf<Indicator>(kIndicatorColumns, ByLevel(v.draft.indicators));
}

constexpr Section<StrategyVersion> kVersionSections[] = {
    {"Goals", GoalsTable}, {"Indicators", IndicatorsTable}, {"Content", ContentTable}};

// "current", "superseded", "draft (adoption proposed: 1f2e…)".
std::string StatusText(const StrategyVersion& v) {
  if (v.open_proposals.empty()) return v.status;
  std::vector<std::string> ids;
  for (const std::string& id : v.open_proposals) ids.push_back(ShortId(id));
  return absl::StrFormat("%s (adoption proposed: %s)", v.status, absl::StrJoin(ids, " "));
}

constexpr Property<StrategyVersion> kVersionProperties[] = {
    {"version_id", IdOf<&StrategyVersion::version_id>},
    {"group_id", Of<&StrategyVersion::group_id>, Shown::kJsonOnly},
    {"document", Of<&StrategyVersion::draft, &StrategyDraft::document>},
    {"title", Of<&StrategyVersion::draft, &StrategyDraft::title>},
    {"status", Of<&StrategyVersion::status>, Shown::kJsonOnly},
    {"status", [](const StrategyVersion& v) { return Value(StatusText(v)); }, Shown::kTextOnly},
    {"based_on", IdOf<&StrategyVersion::draft, &StrategyDraft::based_on>},
    {"author", OrgKeyOf<&StrategyVersion::author>},
    {"recorded", Of<&StrategyVersion::hlc>},
    {"alternatives", IdOf<&StrategyVersion::alternatives>, Shown::kBothTextWhenSet},
    {"children", IdOf<&StrategyVersion::children>, Shown::kBothTextWhenSet, "based_on_it"},
    {"open_proposals", IdOf<&StrategyVersion::open_proposals>, Shown::kJsonOnly},
    {"adoptions",
     [](const StrategyVersion& v) {
       return Value(JsonArray<StrategyAdoption>(v.adoptions, AdoptionJson), "");
     },
     Shown::kJsonOnly},
    {"goals",
     [](const StrategyVersion& v) {
       return Value(JsonArray<StrategyGoal>(v.draft.goals, GoalJson), "");
     },
     Shown::kJsonOnly},
    {"indicators",
     [](const StrategyVersion& v) {
       return Value(JsonArray<Indicator>(v.draft.indicators, IndicatorJson), "");
     },
     Shown::kJsonOnly},
    {"content", Of<&StrategyVersion::draft, &StrategyDraft::content>, Shown::kJsonOnly},
};

constexpr Field<StrategyVersion> kVersionColumns[] = {
    {"version_id", [](const StrategyVersion& v) { return v.version_id; }, false, CellKind::kId},
    {"document", [](const StrategyVersion& v) { return v.draft.document; }},
    {"title", [](const StrategyVersion& v) { return v.draft.title; }},
    {"status", [](const StrategyVersion& v) { return StatusText(v); }},
    {"based_on", [](const StrategyVersion& v) { return v.draft.based_on; }, false, CellKind::kId},
    {"author", [](const StrategyVersion& v) { return v.author; }, false, CellKind::kOrgKey},
    {"recorded", [](const StrategyVersion& v) { return FormatTimeMs(v.hlc.wall_ms); }},
};

constexpr Property<StrategyAdoption> kAdoptionProperties[] = {
    {"proposal_id", IdOf<&StrategyAdoption::proposal_id>},
    {"document", Of<&StrategyAdoption::document>},
    {"version_id", IdOf<&StrategyAdoption::version_id>},
    {"title", Of<&StrategyAdoption::title>},
    {"proposed", Of<&StrategyAdoption::proposal_hlc>},
    {"final", TimeOf<&StrategyAdoption::final_ms>},
    {"current", Of<&StrategyAdoption::current>},
};

Json FieldChangesJson(const std::vector<FieldChange>& changes) {
  Json out = Json::array();
  for (const FieldChange& c : changes) {
    out.push_back(JsonObject({{"field", c.field}, {"before", c.before}, {"after", c.after}}));
  }
  return out;
}

Json KeyedJson(const std::vector<KeyedChange>& changes) {
  Json out = Json::array();
  for (const KeyedChange& c : changes) {
    const char* op = c.op == '+' ? "added" : c.op == '-' ? "removed" : "changed";
    out.push_back(
        JsonObject({{"change", op}, {"key", c.key}, {"fields", FieldChangesJson(c.fields)}}));
  }
  return out;
}

// Unchanged runs longer than this many lines around changes are folded into one line.
constexpr size_t kContextLines = 2;

void AppendContent(const std::vector<LineChange>& lines, std::string& out) {
  for (size_t i = 0; i < lines.size();) {
    if (lines[i].op != ' ') {
      absl::StrAppendFormat(&out, "  %c %s\n", lines[i].op, lines[i].line);
      ++i;
      continue;
    }
    size_t end = i;
    while (end < lines.size() && lines[end].op == ' ') ++end;
    const size_t head = i == 0 ? 0 : kContextLines;               // after a change
    const size_t tail = end == lines.size() ? 0 : kContextLines;  // before a change
    if (end - i <= head + tail + 1) {
      for (; i < end; ++i) absl::StrAppendFormat(&out, "    %s\n", lines[i].line);
      continue;
    }
    for (size_t k = 0; k < head; ++k) absl::StrAppendFormat(&out, "    %s\n", lines[i + k].line);
    absl::StrAppendFormat(&out, "    … %d unchanged lines\n", end - i - head - tail);
    for (size_t k = end - tail; k < end; ++k)
      absl::StrAppendFormat(&out, "    %s\n", lines[k].line);
    i = end;
  }
}

void AppendKeyed(const char* title, const std::vector<KeyedChange>& changes, std::string& out) {
  if (changes.empty()) return;
  absl::StrAppendFormat(&out, "%s:\n", title);
  for (const KeyedChange& c : changes) {
    absl::StrAppendFormat(&out, "  %c %s\n", c.op, c.key);
    for (const FieldChange& f : c.fields) {
      absl::StrAppendFormat(&out, "      %s: %s -> %s\n", f.field, f.before, f.after);
    }
  }
}

}  // namespace

const RecordFormat<StrategyVersion> kStrategyVersionFormat = {
    .properties = kVersionProperties, .columns = kVersionColumns, .sections = kVersionSections};

const RecordFormat<StrategyAdoption> kStrategyAdoptionFormat = {.properties = kAdoptionProperties};

Output StrategyWriteOutput(const StrategyWrite& write, std::string_view request_id) {
  const StrategyVersion& v = write.version;
  return WriteOutput("version_id", v.version_id, write.event, request_id, "version",
                     kStrategyVersionFormat.ToJson(v),
                     {{"document", v.draft.document},
                      {"title", v.draft.title},
                      {"status", v.status},
                      {"alternatives", Count(v.alternatives.size())}});
}

Output StrategyDiffOutput(const StrategyVersion& from, const StrategyVersion& to, bool json) {
  const StrategyDiff diff = DiffStrategy(from.draft, to.draft);
  if (json) {
    Json content = Json::array();
    for (const LineChange& l : diff.content) {
      content.push_back(JsonObject({{"op", std::string(1, l.op)}, {"line", l.line}}));
    }
    return Output::Object(JsonObject({{"from", from.version_id},
                                      {"to", to.version_id},
                                      {"header", FieldChangesJson(diff.header)},
                                      {"content", content},
                                      {"goals", KeyedJson(diff.goals)},
                                      {"indicators", KeyedJson(diff.indicators)}}),
                          {});
  }
  std::string out = absl::StrFormat("--- %s %s\n+++ %s %s\n", ShortId(from.version_id),
                                    from.draft.title, ShortId(to.version_id), to.draft.title);
  if (diff.empty()) return Output::Text(out + "no differences\n");
  for (const FieldChange& f : diff.header) {
    if (f.field == "based_on") {
      absl::StrAppendFormat(&out, "based_on: %s -> %s\n",
                            f.before.empty() ? "(none)" : ShortId(f.before),
                            f.after.empty() ? "(none)" : ShortId(f.after));
    } else {
      absl::StrAppendFormat(&out, "%s: %s -> %s\n", f.field, f.before, f.after);
    }
  }
  if (!diff.content.empty()) {
    out += "content:\n";
    AppendContent(diff.content, out);
  }
  AppendKeyed("goals", diff.goals, out);
  AppendKeyed("indicators", diff.indicators, out);
  return Output::Text(out);
}

}  // namespace constellation::cli
