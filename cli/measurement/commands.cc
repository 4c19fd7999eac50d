// cli/measurement/commands.cc: the `measure` commands.
#include "cli/measurement/commands.h"

#include <absl/strings/numbers.h>
#include <absl/strings/str_format.h>
#include <absl/strings/str_join.h>

#include "cli/measurement/render.h"
#include "cli/values.h"

namespace constellation::cli {
namespace {

// The version whose indicator `key` is reported: --version, or the one current version that
// has an indicator with that key.
absl::StatusOr<std::string> VersionOf(Client& client, const Invocation& inv,
                                      const std::string& key) {
  if (inv.Has("version")) return inv.Get("version");
  absl::StatusOr<std::vector<StrategyVersion>> current =
      client.GetCurrentStrategy(inv.Get("group"));
  if (!current.ok()) return current.status();
  std::vector<std::string> found;
  for (const StrategyVersion& v : *current) {
    for (const Indicator& i : v.draft.indicators) {
      if (i.key == key) found.push_back(v.version_id);
    }
  }
  if (found.empty()) {
    return absl::NotFoundError(absl::StrFormat(
        "no current strategy version has an indicator '%s'; name the version with --version "
        "('constellation strategy list')",
        key));
  }
  if (found.size() > 1) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "several current versions have an indicator '%s'; name one with --version", key));
  }
  return found[0];
}

absl::StatusOr<Output> ReportCommand(const Invocation& inv, CommandContext& context) {
  IndicatorReportInput r;
  r.indicator_key = inv.Get("indicator");
  r.period = inv.Get("period");
  r.note = inv.Get("note");
  if (!absl::SimpleAtoi(inv.Get("value"), &r.value)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("--value '%s' must be a whole number", inv.Get("value")));
  }
  absl::StatusOr<Client*> client = context.client();
  if (!client.ok()) return client.status();
  absl::StatusOr<std::string> version = VersionOf(**client, inv, r.indicator_key);
  if (!version.ok()) return version.status();
  r.version_id = *version;
  if (inv.Has("revise")) {
    // The latest report of this org for that period: the one a revision names.
    absl::StatusOr<std::string> own = context.own_org_key();
    if (!own.ok()) return own.status();
    absl::StatusOr<std::vector<IndicatorReport>> mine =
        (*client)->ListIndicatorReports(inv.Get("group"), "", r.indicator_key, *own);
    if (!mine.ok()) return mine.status();
    for (const IndicatorReport& earlier : *mine) {
      if (earlier.report.period == r.period && earlier.revised_by.empty()) {
        r.revises = earlier.report_id;
      }
    }
    if (r.revises.empty()) {
      return absl::NotFoundError(absl::StrFormat(
          "--revise: this org has no report of '%s' for %s yet; report it without --revise",
          r.indicator_key, r.period));
    }
  }
  return context.WriteCall(&Client::ReportIndicator, IndicatorReportWriteOutput, inv.Get("group"),
                           r);
}

absl::StatusOr<Output> ShowCommand(const Invocation& inv, CommandContext& context) {
  absl::StatusOr<Client*> client = context.client();
  if (!client.ok()) return client.status();
  absl::StatusOr<Measurement> m = (*client)->GetMeasurement(inv.Get("group"), inv.Get("version"));
  if (!m.ok()) return m.status();
  if (inv.Has("indicator")) {
    std::erase_if(m->indicators, [&](const IndicatorSeries& s) {
      return s.indicator.key != inv.Get("indicator");
    });
  }
  absl::StatusOr<Group> group = (*client)->GetGroup(inv.Get("group"));
  if (!group.ok()) return group.status();
  OrgNames names;
  for (const Member& member : group->members) names[member.key] = member.profile.name;
  Output out = MeasurementOutput(*m, names, context.format());
  if (m->indicators.empty()) {
    out.notes.push_back(
        "no indicators to show: adopt a strategy version with indicators ('constellation "
        "strategy current'), or name one with --version");
  }
  return out;
}

std::string ReportHint(const absl::Status& status, const CommandContext& context) {
  if (status.code() == absl::StatusCode::kFailedPrecondition) {
    return "correct a value with --revise: 'constellation measure report --group " +
           context.invocation().Get("group") + " ... --revise'";
  }
  return "";
}

}  // namespace

std::vector<Command> MeasurementCommands() {
  return {
      Command("measure report", ReportCommand)
          .Summary("Report this org's value of an indicator for a period")
          .Flag(GroupFlag())
          .Required("--indicator KEY", "the indicator's key in the strategy")
          .Required("--period PERIOD",
                    "2026-07 (monthly), 2026-Q3 (quarterly), 2026-H2 (semiannual) or 2026 "
                    "(annual), as the indicator is reported")
          .Required("--value N", "the value, a whole number in the indicator's unit")
          .Optional("--note TEXT", "what lies behind the number")
          .Optional("--version VERSION",
                    "the strategy version (default: the current one with that indicator)")
          .Optional("--revise", "correct this org's report of that period (a new version of it)")
          .Details("Each member reports its own value; `measure show` sums them. A correction is "
                   "a new report that revises the latest one: every value stays in the record. "
                   "JSON keys: report_id, event_id, request_id, event, report.")
          .Example("constellation measure report --group $GROUP --indicator volunteers --period "
                   "2027-Q1 --value 12 --note 'two trainings'")
          .Hint(ReportHint)
          .Write(),
      Command("measure show", ShowCommand)
          .Summary("Show each indicator's series against its baseline and target")
          .Flag(GroupFlag())
          .Optional("--version VERSION", "one strategy version (default: every current one)")
          .Optional("--indicator KEY", "only this indicator")
          .Details("Early indicators first, then intermediate, then long-term: results come "
                   "late, and the early ones show whether the partnership is on its way. One "
                   "table per indicator: a column per member that reported, the total and a bar "
                   "of the total from baseline to target. -o csv: one row per indicator, period "
                   "and member (member 'total' for the sum): indicator, level, unit, period, "
                   "member, value, baseline, target.")
          .Example("constellation measure show --group $GROUP"),
  };
}

}  // namespace constellation::cli
