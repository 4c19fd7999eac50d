// cli/measurement/render.cc
#include "cli/measurement/render.h"

#include <algorithm>
#include <map>

#include <absl/strings/str_format.h>

#include "cli/values.h"

namespace constellation::cli {
namespace {

constexpr size_t kBarWidth = 20;

Json ReportJson(const IndicatorReport& r) {
  return JsonObject({{"report_id", r.report_id},
                     {"group_id", r.group_id},
                     {"member", r.member},
                     HlcMembers("recorded", r.hlc),
                     {"version_id", r.report.version_id},
                     {"indicator_key", r.report.indicator_key},
                     {"period", r.report.period},
                     {"value", r.report.value},
                     {"note", r.report.note},
                     {"revises", r.report.revises},
                     {"revised_by", r.revised_by}});
}

Json SeriesJson(const IndicatorSeries& s) {
  Json periods = Json::array();
  for (const PeriodValues& p : s.periods) {
    Json values = Json::array();
    for (const MemberValue& v : p.values) {
      values.push_back(
          JsonObject({{"member", v.member}, {"value", v.value}, {"report_id", v.report_id}}));
    }
    periods.push_back(JsonObject({{"period", p.period}, {"total", p.total}, {"values", values}}));
  }
  const Indicator& i = s.indicator;
  return JsonObject({{"version_id", s.version_id},
                     {"key", i.key},
                     {"name", i.name},
                     {"unit", i.unit},
                     {"level", i.level},
                     {"frequency", i.frequency},
                     {"baseline", i.baseline},
                     {"target", i.target},
                     {"owner", i.owner},
                     {"periods", periods}});
}

// Every member that reported any period of `s`, ascending by key.
std::vector<std::string> Members(const IndicatorSeries& s) {
  std::vector<std::string> out;
  for (const PeriodValues& p : s.periods) {
    for (const MemberValue& v : p.values) out.push_back(v.member);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Table SeriesTable(const IndicatorSeries& s, const OrgNames& names) {
  const std::vector<std::string> members = Members(s);
  Table t;
  t.columns.push_back({"period", false, CellKind::kText});
  for (const std::string& m : members) {
    auto it = names.find(m);
    t.columns.push_back({it == names.end() ? ShortId(m) : it->second, true, CellKind::kText});
  }
  t.columns.push_back({"total", true, CellKind::kText});
  t.columns.push_back({"toward target", false, CellKind::kText});
  for (const PeriodValues& p : s.periods) {
    std::vector<std::string>& row = t.rows.emplace_back();
    row.push_back(p.period);
    for (const std::string& m : members) {
      auto v = std::find_if(p.values.begin(), p.values.end(),
                            [&](const MemberValue& x) { return x.member == m; });
      row.push_back(v == p.values.end() ? "-" : std::to_string(v->value));
    }
    row.push_back(std::to_string(p.total));
    row.push_back(ProgressBar(s.indicator.baseline, s.indicator.target, p.total, kBarWidth));
  }
  return t;
}

}  // namespace

std::string ProgressBar(int64_t baseline, int64_t target, int64_t total, size_t width) {
  if (target == baseline) return "";
  // The share of the way from baseline to target, clamped to [0, 1] for the bar.
  const double share =
      static_cast<double>(total - baseline) / static_cast<double>(target - baseline);
  const double clamped = std::clamp(share, 0.0, 1.0);
  const size_t full = static_cast<size_t>(clamped * static_cast<double>(width) + 0.5);
  std::string bar;
  for (size_t i = 0; i < width; ++i) bar += i < full ? "\u2588" : "\u2591";
  return absl::StrFormat("%s %d%%", bar,
                         static_cast<int64_t>(share * 100.0 + (share < 0 ? -0.5 : 0.5)));
}

Output IndicatorReportWriteOutput(const IndicatorReportWrite& write, std::string_view request_id) {
  const IndicatorReport& r = write.report;
  return WriteOutput("report_id", r.report_id, write.event, request_id, "report", ReportJson(r),
                     {{"indicator", r.report.indicator_key},
                      {"period", r.report.period},
                      {"value", std::to_string(r.report.value)},
                      {"revises", r.report.revises.empty() ? "-" : ShortId(r.report.revises)}});
}

Output MeasurementOutput(const Measurement& m, const OrgNames& names, OutputFormat format) {
  Json indicators = Json::array();
  for (const IndicatorSeries& s : m.indicators) indicators.push_back(SeriesJson(s));
  if (format == OutputFormat::kCsv) {
    Table rows;
    for (const char* column :
         {"indicator", "level", "unit", "period", "member", "value", "baseline", "target"}) {
      rows.columns.push_back({column, false, CellKind::kText});
    }
    for (const IndicatorSeries& s : m.indicators) {
      for (const PeriodValues& p : s.periods) {
        auto add = [&](const std::string& member, int64_t value) {
          rows.rows.push_back({s.indicator.key, s.indicator.level, s.indicator.unit, p.period,
                               member, std::to_string(value), std::to_string(s.indicator.baseline),
                               std::to_string(s.indicator.target)});
        };
        for (const MemberValue& v : p.values) add(v.member, v.value);
        add("total", p.total);
      }
    }
    return Output::List(std::move(indicators), std::move(rows));
  }
  KeyValues values = {{"indicators", Count(m.indicators.size())}};
  std::vector<std::pair<std::string, Table>> tables;
  for (const IndicatorSeries& s : m.indicators) {
    const Indicator& i = s.indicator;
    std::string title = absl::StrFormat("%s: %s (%s, %s, %s; baseline %d, target %d)", i.key,
                                        i.name, i.unit, i.level, i.frequency, i.baseline, i.target);
    tables.emplace_back(std::move(title), SeriesTable(s, names));
  }
  Output out = Output::Object(JsonObject({{"group_id", m.group_id}, {"indicators", indicators}}),
                              std::move(values), std::move(tables));
  return out;
}

}  // namespace constellation::cli
