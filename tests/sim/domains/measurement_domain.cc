// tests/sim/domains/measurement_domain.cc
//
// The shared measurement domain of the simulation (sim_domain.h; server/core/measurement/,
// docs/PROTOCOL.md §5.16):
//   * actions: a member reports its value of an indicator of a strategy version its node holds
//     (versions come from the strategy domain) for a period drawn from a small fixed set of the
//     indicator's frequency, preferring a period it has not reported yet; now and then a
//     period of another frequency (refused) or a second report of a series without revises
//     (refused). A member revises the latest report of one of its series, now and then through
//     another held version of the same document with an indicator of the same key and
//     frequency (versions of one document share series), now and then naming an earlier
//     report that is already revised (refused).
//   * invariant "measurement consistent" (after every step, on every node that is up), from the
//     ledger's public queries: every report names a held version of its document, in its
//     causal past, with an indicator of its key whose frequency is its period's; its author is
//     in the roster; a revision names a report of the same series key, which names it back as
//     its reviser; every series key's latest report is not revised and every report not
//     revised is the latest of its series; each series is one chain of revisions from a first
//     report to its latest; SeriesOf gives, for every held version, periods ascending, values
//     ascending by member, each the latest report of its series, and their sum as the total.
//   * invariant "reported stays reported" (after every step): a report a node once showed
//     stays in its fold, and a reviser it showed stays the reviser, unless the node crashed or
//     was restored from a backup since, or the group has a removal cut (an expulsion voids the
//     expelled member's concurrent records) or a known fork (a freeze voids the frozen author's
//     records from its fork seq, and with a version a report names).
// The global invariant "same events, same state" (network domain) covers the measurement part
// of the state hash.
#include <cstdint>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <absl/status/status.h>
#include <absl/strings/str_format.h>

#include "server/core/group.h"
#include "server/core/measurement/measurement_ledger.h"
#include "server/core/measurement/periods.h"
#include "server/core/strategy/strategy_ledger.h"
#include "tests/sim/domains/sim_domain.h"

namespace constellation::sim {
namespace {

// Weights (sim_domain.h: about "per 10'000 steps").
constexpr uint32_t kReportWeight = 180;
constexpr uint32_t kReviseWeight = 90;

// Now and then (per mille): a report whose period has another frequency's form, a second
// report of a series without revises, a revision of an already revised report; each refused.
constexpr uint32_t kWrongPeriodPerMille = 30;
constexpr uint32_t kUnrevisedSecondPerMille = 60;
constexpr uint32_t kReviseRevisedPerMille = 60;
// Per mille: a revision written through another version of the same document.
constexpr uint32_t kOtherVersionPerMille = 300;

// The periods members report, by frequency (v1::ReportingFrequency values 1-4).
const std::vector<std::string>& PeriodsOf(v1::ReportingFrequency frequency) {
  static const auto* const kMonthly = new std::vector<std::string>{"2026-05", "2026-06", "2026-07"};
  static const auto* const kQuarterly =
      new std::vector<std::string>{"2026-Q1", "2026-Q2", "2026-Q3"};
  static const auto* const kSemiannual = new std::vector<std::string>{"2025-H2", "2026-H1"};
  static const auto* const kAnnual = new std::vector<std::string>{"2025", "2026"};
  switch (frequency) {
    case v1::REPORTING_FREQUENCY_MONTHLY:
      return *kMonthly;
    case v1::REPORTING_FREQUENCY_QUARTERLY:
      return *kQuarterly;
    case v1::REPORTING_FREQUENCY_SEMIANNUAL:
      return *kSemiannual;
    default:
      return *kAnnual;
  }
}

v1::ReportingFrequency OtherFrequency(v1::ReportingFrequency frequency) {
  return frequency == v1::REPORTING_FREQUENCY_MONTHLY ? v1::REPORTING_FREQUENCY_ANNUAL
                                                      : v1::REPORTING_FREQUENCY_MONTHLY;
}

int64_t DrawValue(SimWorld& w) { return static_cast<int64_t>(w.random().Below(2'001)) - 1'000; }

v1::Event ReportBody(const core::EventId& version, const std::string& key,
                     const std::string& period, int64_t value,
                     const std::optional<core::EventId>& revises) {
  v1::Event body;
  v1::IndicatorReport* r = body.mutable_indicator_report();
  r->set_strategy_version_id(version.Bytes());
  r->set_indicator_key(key);
  r->set_period(period);
  r->set_value(value);
  r->set_note("Counted at the restoration days.");
  if (revises.has_value()) r->set_revises(revises->Bytes());
  return body;
}

// ---- Actions ----

void Report(SimWorld& w, const Member& m) {
  // (version, indicator) pairs the node holds.
  std::vector<std::pair<const core::StrategyVersionState*, const core::IndicatorState*>> held;
  for (const auto& [id, v] : core::Strategy(*m.state).versions()) {
    for (const core::IndicatorState& i : v.indicators) held.emplace_back(&v, &i);
  }
  if (held.empty()) return;
  const auto [version, indicator] = w.random().Pick(held);
  const core::MeasurementLedger& ledger = core::Measurement(*m.state);
  std::string period;
  std::string kind = "a first report";
  if (w.random().Chance(kWrongPeriodPerMille)) {
    period = w.random().Pick(PeriodsOf(OtherFrequency(indicator->frequency)));
    kind = "a period of another frequency";
  } else {
    std::vector<std::string> fresh;
    std::vector<std::string> reported;
    for (const std::string& p : PeriodsOf(indicator->frequency)) {
      const core::SeriesKey key{m.org, version->document, indicator->key, p};
      (ledger.Latest(key) == nullptr ? fresh : reported).push_back(p);
    }
    if (fresh.empty() || (!reported.empty() && w.random().Chance(kUnrevisedSecondPerMille))) {
      period = w.random().Pick(reported);
      kind = "a second report without revises";
    } else {
      period = w.random().Pick(fresh);
    }
  }
  const int64_t value = DrawValue(w);
  w.Write(m.node, m.group, ReportBody(version->id, indicator->key, period, value, std::nullopt),
          absl::StrFormat("report %d of %s of version %s for %s (%s)", value, indicator->key,
                          version->id.ShortHex(), period, kind));
}

void Revise(SimWorld& w, const Member& m) {
  const core::MeasurementLedger& ledger = core::Measurement(*m.state);
  std::vector<const core::ReportState*> own;
  for (const auto& [key, id] : ledger.latest()) {
    if (std::get<0>(key) == m.org) own.push_back(&ledger.reports().at(id));
  }
  if (own.empty()) return;
  const core::ReportState* latest = w.random().Pick(own);
  core::EventId revised = latest->id;
  std::string kind = "the latest";
  if (latest->revises.has_value() && w.random().Chance(kReviseRevisedPerMille)) {
    revised = *latest->revises;
    kind = "an already revised report";
  }
  core::EventId version = latest->version;
  if (w.random().Chance(kOtherVersionPerMille)) {
    // Another held version of the document with an indicator of the key and frequency.
    const core::StrategyVersionState& named = core::Strategy(*m.state).versions().at(version);
    const v1::ReportingFrequency frequency = named.FindIndicator(latest->indicator_key)->frequency;
    std::vector<core::EventId> others;
    for (const auto& [id, v] : core::Strategy(*m.state).versions()) {
      const core::IndicatorState* i = v.FindIndicator(latest->indicator_key);
      if (id != version && v.document == latest->document && i != nullptr &&
          i->frequency == frequency) {
        others.push_back(id);
      }
    }
    if (!others.empty()) {
      version = w.random().Pick(others);
      kind += ", through another version";
    }
  }
  const int64_t value = DrawValue(w);
  w.Write(m.node, m.group,
          ReportBody(version, latest->indicator_key, latest->period, value, revised),
          absl::StrFormat("revise report %s of %s for %s to %d (%s)", revised.ShortHex(),
                          latest->indicator_key, latest->period, value, kind));
}

// ---- Invariants ----

std::string Describe(const core::ReportState& r) {
  return absl::StrFormat("report %s (%s for %s by %s)", r.id.ShortHex(), r.indicator_key, r.period,
                         r.author.ShortHex());
}

// What is wrong with `group`'s measurement, or "".
std::string Inconsistency(const core::Group& group) {
  const core::GroupState& state = group.state();
  const core::MeasurementLedger& ledger = core::Measurement(state);
  const auto& reports = ledger.reports();
  const auto& versions = core::Strategy(state).versions();
  std::map<core::SeriesKey, size_t> series_sizes;
  for (const auto& [id, r] : reports) {
    if (r.id != id) {
      return absl::StrFormat("report %s is filed under %s", r.id.ShortHex(), id.ShortHex());
    }
    ++series_sizes[r.series()];
    if (state.roster().members().count(r.author) == 0) {
      return absl::StrFormat("%s is by an org the roster does not know", Describe(r));
    }
    auto v = versions.find(r.version);
    if (v == versions.end()) {
      return absl::StrFormat("%s names version %s, which the node does not hold", Describe(r),
                             r.version.ShortHex());
    }
    if (v->second.document != r.document) {
      return absl::StrFormat("%s is filed under document %d, but its version drafts %d",
                             Describe(r), static_cast<int>(r.document),
                             static_cast<int>(v->second.document));
    }
    if (!state.HappenedBefore(r.version, id)) {
      return absl::StrFormat("%s names version %s, which is not in its causal past", Describe(r),
                             r.version.ShortHex());
    }
    const core::IndicatorState* indicator = v->second.FindIndicator(r.indicator_key);
    const std::optional<core::Period> period = core::ParsePeriod(r.period);
    if (indicator == nullptr || !period.has_value() || period->Name() != r.period ||
        period->frequency != indicator->frequency) {
      return absl::StrFormat("%s: version %s has no indicator of that key reported %s", Describe(r),
                             r.version.ShortHex(),
                             period.has_value() ? "in periods of that form" : "(no period)");
    }
    if (r.revises.has_value()) {
      auto revised = reports.find(*r.revises);
      if (revised == reports.end() || revised->second.revised_by != id ||
          revised->second.series() != r.series()) {
        return absl::StrFormat(
            "%s revises %s, which is %s", Describe(r), r.revises->ShortHex(),
            revised == reports.end() ? "not held" : "not of its series or revised by another");
      }
      if (!state.HappenedBefore(*r.revises, id)) {
        return absl::StrFormat("%s revises %s, which is not in its causal past", Describe(r),
                               r.revises->ShortHex());
      }
    }
    if (r.revised_by.has_value()) {
      auto reviser = reports.find(*r.revised_by);
      if (reviser == reports.end() || reviser->second.revises != id) {
        return absl::StrFormat("%s names reviser %s, which does not revise it", Describe(r),
                               r.revised_by->ShortHex());
      }
    } else {
      const core::ReportState* latest = ledger.Latest(r.series());
      if (latest == nullptr || latest->id != id) {
        return absl::StrFormat("%s is not revised, but the latest of its series is %s", Describe(r),
                               latest ? latest->id.ShortHex() : "none");
      }
    }
  }
  if (ledger.latest().size() != series_sizes.size()) {
    return absl::StrFormat("the ledger lists %d latest reports for %d series",
                           ledger.latest().size(), series_sizes.size());
  }
  for (const auto& [key, id] : ledger.latest()) {
    auto r = reports.find(id);
    if (r == reports.end() || r->second.series() != key || r->second.revised_by.has_value()) {
      return absl::StrFormat("the latest report %s of its series is %s", id.ShortHex(),
                             r == reports.end() ? "not held" : "revised or of another series");
    }
    // One chain from the latest back to a first report, covering the series.
    size_t length = 1;
    const core::ReportState* at = &r->second;
    while (at->revises.has_value() && length <= series_sizes[key]) {
      at = &reports.at(*at->revises);
      ++length;
    }
    if (length != series_sizes[key]) {
      return absl::StrFormat(
          "the series of %s holds %d reports, but its chain of revisions from %s has %d",
          Describe(r->second), series_sizes[key], id.ShortHex(), length);
    }
  }
  for (const auto& [id, v] : versions) {
    if (v.indicators.empty()) continue;
    for (const core::IndicatorSeries& s : core::SeriesOf(state, id)) {
      const core::PeriodValues* previous = nullptr;
      for (const core::PeriodValues& p : s.periods) {
        if (previous != nullptr && !(previous->period < p.period)) {
          return absl::StrFormat("series %s of version %s lists %s after %s", s.indicator_key,
                                 id.ShortHex(), p.period, previous->period);
        }
        previous = &p;
        int64_t total = 0;
        const core::MemberValue* before = nullptr;
        for (const core::MemberValue& value : p.values) {
          total += value.value;
          if (before != nullptr && !(before->member < value.member)) {
            return absl::StrFormat("series %s of version %s for %s: members out of order",
                                   s.indicator_key, id.ShortHex(), p.period);
          }
          before = &value;
          const core::ReportState* latest =
              ledger.Latest({value.member, v.document, s.indicator_key, p.period});
          if (latest == nullptr || latest->id != value.report || latest->value != value.value) {
            return absl::StrFormat(
                "series %s of version %s for %s counts report %s of %s, not the latest",
                s.indicator_key, id.ShortHex(), p.period, value.report.ShortHex(),
                value.member.ShortHex());
          }
        }
        if (p.values.empty() || total != p.total) {
          return absl::StrFormat("series %s of version %s for %s: total %d, values sum to %d",
                                 s.indicator_key, id.ShortHex(), p.period, p.total, total);
        }
      }
    }
  }
  return "";
}

absl::Status CheckConsistent(SimWorld& w) {
  return CheckEveryGroup(w, "measurement (consistent)",
                         [](const core::Group& group) { return Inconsistency(group); });
}

// Per node and group: every report it has shown (report -> its reviser, if any), since the node
// last crashed (a crash may lose received events that were not synced, and a restore from a
// backup its own).
using ReportedSeen = SeenSinceCrash<std::map<core::EventId, std::optional<core::EventId>>>;

// Whether a report may leave `group`'s fold: an expulsion's removal cut voids the expelled
// member's concurrent records (docs/PROTOCOL.md §5.7), and a fork freezes its author (§3.1):
// either may void the report, its reviser, or the version it names.
bool MayBeVoided(const core::Group& group) {
  return !group.state().removal_cuts().empty() || !group.forks().empty();
}

absl::Status CheckReportedStaysReported(SimWorld& w, ReportedSeen& seen) {
  for (int i = 0; i < w.node_count(); ++i) {
    const SimNode& node = w.node(i);
    if (!node.up()) continue;
    seen.Refresh(w, i);
    for (const auto& [group_id, group] : node.state().groups()) {
      std::map<core::EventId, std::optional<core::EventId>> now;
      for (const auto& [id, r] : core::Measurement(group->state()).reports()) {
        now.emplace(id, r.revised_by);
      }
      if (!MayBeVoided(*group)) {
        for (const auto& [id, reviser] : seen.At(i, group_id)) {
          auto it = now.find(id);
          if (it == now.end()) {
            return absl::InternalError(absl::StrFormat(
                "measurement (reported stays reported): node %d showed report %s in group %s, "
                "and now does not",
                i, id.ShortHex(), group_id.ShortHex()));
          }
          if (reviser.has_value() && it->second != reviser) {
            return absl::InternalError(absl::StrFormat(
                "measurement (reported stays reported): node %d showed report %s in group %s "
                "revised by %s, and now %s",
                i, id.ShortHex(), group_id.ShortHex(), reviser->ShortHex(),
                it->second.has_value() ? absl::StrFormat("by %s", it->second->ShortHex())
                                       : std::string("not revised")));
          }
        }
      }
      seen.At(i, group_id) = std::move(now);
    }
  }
  return absl::OkStatus();
}

}  // namespace

SimDomain MeasurementDomain() {
  auto seen = std::make_shared<ReportedSeen>();
  return SimDomain{
      .name = "measurement",
      .actions =
          {
              MemberAction("report an indicator value", kReportWeight, Report),
              MemberAction("revise an indicator report", kReviseWeight, Revise),
          },
      .react = nullptr,
      .invariants = {{.name = "measurement consistent",
                      .when = SimInvariant::When::kEveryStep,
                      .check = CheckConsistent},
                     {.name = "reported stays reported",
                      .when = SimInvariant::When::kEveryStep,
                      .check =
                          [seen](SimWorld& w) { return CheckReportedStaysReported(w, *seen); }}},
      .known_issues = {},
  };
}

}  // namespace constellation::sim
