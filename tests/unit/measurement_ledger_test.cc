// tests/unit/measurement_ledger_test.cc
//
// The measurement ledger (server/core/measurement/measurement_ledger.h, docs/PROTOCOL.md
// §5.16): the validation of an indicator report, who may report, the version and indicator it
// names (a version of the group in the record's causal past, an indicator of that version, a
// period of the indicator's frequency), the series key (author, document, indicator key,
// period), corrections (a second report must revise the latest one; every value stays), series
// shared by the versions of one document, the derived series (each member's counting value and
// the total) and the measurement part of the state hash. Every record goes through
// LedgerTest::Put: a refused record leaves the measurement part unchanged and every ledger's
// invariants hold after every record.
#include "server/core/measurement/measurement_ledger.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "server/base/limits.h"
#include "server/core/fold/group_state.h"
#include "server/core/fold/state_hasher.h"
#include "server/core/group.h"
#include "server/core/records.h"
#include "server/core/strategy/strategy_ledger.h"
#include "tests/testing/event_factory.h"
#include "tests/testing/ledger_test.h"
#include "tests/testing/status_matchers.h"

namespace constellation::core {
namespace {

using ::constellation::testing::HashHex;
using ::constellation::testing::IndicatorReportBody;
using ::constellation::testing::LedgerTest;
using ::constellation::testing::MakeDecisionRule;
using ::constellation::testing::PulseCheckBody;
using ::constellation::testing::StatusIs;
using ::constellation::testing::StrategyVersionBody;
using ::constellation::testing::TestCharter;
using ::constellation::testing::TestIndicator;
using ::constellation::testing::TestStrategyVersion;
using ::constellation::testing::WithdrawalBody;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr v1::StrategyDocument kAgenda = v1::STRATEGY_DOCUMENT_COMMON_AGENDA;
constexpr v1::StrategyDocument kPlan = v1::STRATEGY_DOCUMENT_STRATEGIC_PLAN;
// TestStrategyVersion's indicator: early, quarterly.
constexpr char kHouseholds[] = "households-reached";

std::string MeasurementHash(const GroupState& state) {
  StateHasher h;
  Measurement(state).HashInto(h);
  return HashHex(h.Finish());
}

v1::Charter MeasurementCharter() {
  v1::Charter c = TestCharter();
  *c.add_decision_rules() = MakeDecisionRule(v1::DECISION_TYPE_ADMIT, v1::DECISION_PROCESS_CONSENT);
  return c;
}

EventId SomeId(char fill) { return EventId::FromBytes(std::string(32, fill)).value(); }

// A version with one indicator of every frequency and level: "monthly" (long-term), "quarterly"
// (intermediate), "semiannual" (early), "annual" (early, after "semiannual").
v1::StrategyVersion EveryFrequencyVersion(v1::StrategyDocument document = kAgenda) {
  v1::StrategyVersion v = TestStrategyVersion(document);
  v.clear_indicators();
  v.clear_goals();
  const auto add = [&v](const std::string& key, v1::ReportingFrequency frequency,
                        v1::IndicatorLevel level) {
    v1::Indicator i = TestIndicator(key);
    i.set_frequency(frequency);
    i.set_level(level);
    *v.add_indicators() = i;
  };
  add("monthly", v1::REPORTING_FREQUENCY_MONTHLY, v1::INDICATOR_LEVEL_LONG_TERM);
  add("quarterly", v1::REPORTING_FREQUENCY_QUARTERLY, v1::INDICATOR_LEVEL_INTERMEDIATE);
  add("semiannual", v1::REPORTING_FREQUENCY_SEMIANNUAL, v1::INDICATOR_LEVEL_EARLY);
  add("annual", v1::REPORTING_FREQUENCY_ANNUAL, v1::INDICATOR_LEVEL_EARLY);
  return v;
}

class MeasurementLedgerTest : public LedgerTest {
 protected:
  MeasurementLedgerTest() : LedgerTest(MeasurementCharter(), MeasurementHash) {
    Admit(bea_);
    Admit(cal_);
    version_ = Ok(founder_, StrategyVersionBody(TestStrategyVersion()));
  }
  void TearDown() override { state().CheckInvariants(); }

  const MeasurementLedger& ledger() const { return Measurement(state()); }

  // `author` reports `value` of households-reached (of `version`, default version_) for
  // `period`; it must take effect.
  EventId Report(const SigningKey& author, const std::string& period, int64_t value,
                 const std::optional<EventId>& revises = std::nullopt,
                 const std::optional<EventId>& version = std::nullopt) {
    return Ok(author, IndicatorReportBody(version.value_or(version_), period, value, revises));
  }
  SeriesKey Key(const SigningKey& author, const std::string& period,
                v1::StrategyDocument document = kAgenda,
                const std::string& indicator = kHouseholds) const {
    return {author.public_key(), document, indicator, period};
  }

  EventId version_;
};

// ---------------------------------------------------------------------------------------------
// Validation (INVALID_ARGUMENT, naming the field)

TEST(IndicatorReportValidationTest, AValidReportPasses) {
  for (const char* period : {"2026-07", "2026-Q3", "2026-H2", "2026", "1970", "9999-12"}) {
    EXPECT_OK(ValidateBody(IndicatorReportBody(SomeId('v'), period, 42))) << period;
  }
  EXPECT_OK(ValidateBody(IndicatorReportBody(SomeId('v'), "2026-Q3", 0, SomeId('r'))));
  EXPECT_OK(ValidateBody(IndicatorReportBody(SomeId('v'), "2026", limits::kMoneyAmountMinorMax)));
  EXPECT_OK(ValidateBody(IndicatorReportBody(SomeId('v'), "2026", -limits::kMoneyAmountMinorMax)));
}

TEST(IndicatorReportValidationTest, EachBadFieldIsNamed) {
  const auto expect_invalid = [](const v1::Event& e, const std::string& field) {
    EXPECT_THAT(ValidateBody(e), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(field)))
        << field << ": " << e.indicator_report().ShortDebugString();
  };
  v1::Event short_version = IndicatorReportBody(SomeId('v'), "2026-Q3", 1);
  short_version.mutable_indicator_report()->set_strategy_version_id(std::string(31, 'v'));
  expect_invalid(short_version, "indicator_report.strategy_version_id");
  v1::Event no_version = IndicatorReportBody(SomeId('v'), "2026-Q3", 1);
  no_version.mutable_indicator_report()->clear_strategy_version_id();
  expect_invalid(no_version, "indicator_report.strategy_version_id");

  expect_invalid(IndicatorReportBody(SomeId('v'), "2026-Q3", 1, std::nullopt, ""),
                 "indicator_report.indicator_key");
  expect_invalid(IndicatorReportBody(SomeId('v'), "2026-Q3", 1, std::nullopt, "two\nlines"),
                 "indicator_report.indicator_key");
  expect_invalid(IndicatorReportBody(SomeId('v'), "2026-Q3", 1, std::nullopt,
                                     std::string(limits::kNameSizeBytesMax + 1, 'k')),
                 "indicator_report.indicator_key");

  for (const char* period : {"", "2026-Q5", "2026-Q0", "2026-H3", "2026-13", "2026-00", "1969",
                             "26-Q1", "2026-7", "2026Q3", "Q3-2026", "10000"}) {
    expect_invalid(IndicatorReportBody(SomeId('v'), period, 1), "indicator_report.period");
  }

  expect_invalid(IndicatorReportBody(SomeId('v'), "2026", limits::kMoneyAmountMinorMax + 1),
                 "indicator_report.value");
  expect_invalid(IndicatorReportBody(SomeId('v'), "2026", -limits::kMoneyAmountMinorMax - 1),
                 "indicator_report.value");

  v1::Event long_note = IndicatorReportBody(SomeId('v'), "2026", 1);
  long_note.mutable_indicator_report()->set_note(std::string(16 * 1024 + 1, 'n'));
  expect_invalid(long_note, "indicator_report.note");
  v1::Event multi_line_note = IndicatorReportBody(SomeId('v'), "2026", 1);
  multi_line_note.mutable_indicator_report()->set_note("Counted twice.\nSee the minutes.\tOK");
  EXPECT_OK(ValidateBody(multi_line_note)) << "a note is free text";

  v1::Event short_revises = IndicatorReportBody(SomeId('v'), "2026", 1);
  short_revises.mutable_indicator_report()->set_revises("abc");
  expect_invalid(short_revises, "indicator_report.revises");
}

TEST_F(MeasurementLedgerTest, AnInvalidReportIsRefusedByTheFold) {
  EXPECT_THAT(Write(bea_, IndicatorReportBody(version_, "2026-Q9", 1)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("indicator_report.period")));
  EXPECT_THAT(ledger().reports(), IsEmpty());
}

// ---------------------------------------------------------------------------------------------
// Who may report, and what it names

TEST_F(MeasurementLedgerTest, AMemberReportsAValue) {
  const EventId r = Report(bea_, "2026-Q3", 17);
  ASSERT_EQ(ledger().reports().size(), 1u);
  const ReportState& s = ledger().reports().at(r);
  EXPECT_EQ(s.id, r);
  EXPECT_EQ(s.author, bea_.public_key());
  EXPECT_EQ(s.version, version_);
  EXPECT_EQ(s.document, kAgenda);
  EXPECT_EQ(s.indicator_key, kHouseholds);
  EXPECT_EQ(s.period, "2026-Q3");
  EXPECT_EQ(s.value, 17);
  EXPECT_EQ(s.revises, std::nullopt);
  EXPECT_EQ(s.revised_by, std::nullopt);
  EXPECT_EQ(s.hlc, history_.Get(r).hlc);
  EXPECT_EQ(s.series(), Key(bea_, "2026-Q3"));
  ASSERT_NE(ledger().Latest(Key(bea_, "2026-Q3")), nullptr);
  EXPECT_EQ(ledger().Latest(Key(bea_, "2026-Q3"))->id, r);
  EXPECT_EQ(ledger().Latest(Key(bea_, "2026-Q2")), nullptr);
  EXPECT_EQ(ledger().Latest(Key(cal_, "2026-Q3")), nullptr);
  EXPECT_FALSE(state().rejected_events().contains(r));
}

TEST_F(MeasurementLedgerTest, AnOrgOutsideTheGroupCannotReport) {
  EXPECT_THAT(Write(outsider_, IndicatorReportBody(version_, "2026-Q3", 1)),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(ledger().reports(), IsEmpty());
}

TEST_F(MeasurementLedgerTest, AMemberWhoWithdrewCannotReport) {
  Ok(cal_, WithdrawalBody());
  EXPECT_THAT(Write(cal_, IndicatorReportBody(version_, "2026-Q3", 1)),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(ledger().reports(), IsEmpty());
}

TEST_F(MeasurementLedgerTest, TheVersionMustBeAStrategyVersionOfTheGroup) {
  EXPECT_THAT(Write(bea_, IndicatorReportBody(SomeId('u'), "2026-Q3", 1)),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("no strategy version")));
  // An event of the group that is not a strategy version.
  const EventId pulse = Ok(cal_, PulseCheckBody());
  EXPECT_THAT(Write(bea_, IndicatorReportBody(pulse, "2026-Q3", 1)),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(ledger().reports(), IsEmpty());
}

TEST_F(MeasurementLedgerTest, TheVersionMustBeInTheRecordsCausalPast) {
  const EventId v2 = Ok(cal_, StrategyVersionBody(TestStrategyVersion(kPlan)));
  // bea reports on v2 without having seen it: no deps, its own chain predates v2.
  const VerifiedEvent blind =
      history_.AppendWithDeps(bea_, IndicatorReportBody(v2, "2026-Q3", 1), {});
  ASSERT_FALSE(state().HappenedBefore(v2, blind.id));
  // A version concurrent with the report counts as absent wherever it sorts (PROTOCOL §5.16).
  EXPECT_THAT(Put(blind), StatusIs(absl::StatusCode::kNotFound, HasSubstr("causal past")));
  EXPECT_THAT(ledger().reports(), IsEmpty());
  // Once bea has seen v2, the same report takes effect.
  const EventId r = Report(bea_, "2026-Q3", 1, std::nullopt, v2);
  EXPECT_EQ(ledger().reports().at(r).document, kPlan);
}

TEST_F(MeasurementLedgerTest, TheIndicatorMustBeOneOfTheVersion) {
  EXPECT_THAT(Write(bea_, IndicatorReportBody(version_, "2026-Q3", 1, std::nullopt, "hectares")),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("no indicator 'hectares'")));
  EXPECT_THAT(ledger().reports(), IsEmpty());
}

TEST_F(MeasurementLedgerTest, ThePeriodMustHaveTheFormOfTheIndicatorsFrequency) {
  const EventId v = Ok(founder_, StrategyVersionBody(EveryFrequencyVersion(kPlan)));
  const std::vector<std::pair<std::string, std::string>> valid = {{"monthly", "2026-07"},
                                                                  {"quarterly", "2026-Q3"},
                                                                  {"semiannual", "2026-H2"},
                                                                  {"annual", "2026"}};
  for (const auto& [indicator, good] : valid) {
    for (const auto& [other, bad] : valid) {
      if (other == indicator) continue;
      EXPECT_THAT(
          Write(bea_, IndicatorReportBody(v, bad, 1, std::nullopt, indicator)),
          StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("indicator_report.period")))
          << indicator << " " << bad;
    }
  }
  EXPECT_THAT(ledger().reports(), IsEmpty());
  for (const auto& [indicator, good] : valid) {
    EXPECT_OK(Write(bea_, IndicatorReportBody(v, good, 1, std::nullopt, indicator))) << indicator;
  }
  EXPECT_EQ(ledger().reports().size(), 4u);
  EXPECT_EQ(ledger().latest().size(), 4u);
}

// ---------------------------------------------------------------------------------------------
// Series keys and corrections

TEST_F(MeasurementLedgerTest, ASecondReportForASeriesMustReviseTheFirst) {
  const EventId first = Report(bea_, "2026-Q3", 10);
  EXPECT_THAT(Write(bea_, IndicatorReportBody(version_, "2026-Q3", 12)),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("revise it")));
  EXPECT_EQ(ledger().reports().size(), 1u);
  EXPECT_EQ(ledger().Latest(Key(bea_, "2026-Q3"))->id, first);
  // Another period, and another member's own value for the period, are series of their own.
  Report(bea_, "2026-Q4", 11);
  Report(cal_, "2026-Q3", 5);
  EXPECT_EQ(ledger().latest().size(), 3u);
}

TEST_F(MeasurementLedgerTest, ARevisionKeepsEveryValueAndTheLatestCounts) {
  const EventId first = Report(bea_, "2026-Q3", 10);
  const EventId second = Report(bea_, "2026-Q3", 12, first);
  const EventId third = Report(bea_, "2026-Q3", 9, second);
  ASSERT_EQ(ledger().reports().size(), 3u);
  EXPECT_EQ(ledger().reports().at(first).value, 10);
  EXPECT_EQ(ledger().reports().at(first).revised_by, second);
  EXPECT_EQ(ledger().reports().at(second).value, 12);
  EXPECT_EQ(ledger().reports().at(second).revises, first);
  EXPECT_EQ(ledger().reports().at(second).revised_by, third);
  EXPECT_EQ(ledger().reports().at(third).revises, second);
  EXPECT_EQ(ledger().reports().at(third).revised_by, std::nullopt);
  EXPECT_EQ(ledger().latest().size(), 1u);
  EXPECT_EQ(ledger().Latest(Key(bea_, "2026-Q3"))->id, third);
  EXPECT_EQ(ledger().Latest(Key(bea_, "2026-Q3"))->value, 9);
}

TEST_F(MeasurementLedgerTest, RevisingAnAlreadyRevisedReportIsRefused) {
  const EventId first = Report(bea_, "2026-Q3", 10);
  const EventId second = Report(bea_, "2026-Q3", 12, first);
  EXPECT_THAT(Write(bea_, IndicatorReportBody(version_, "2026-Q3", 13, first)),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("already revised")));
  EXPECT_EQ(ledger().reports().size(), 2u);
  EXPECT_EQ(ledger().Latest(Key(bea_, "2026-Q3"))->id, second);
}

TEST_F(MeasurementLedgerTest, RevisingAReportThatIsNotOneOfTheSeriesIsRefused) {
  const EventId q3 = Report(bea_, "2026-Q3", 10);
  const EventId cals = Report(cal_, "2026-Q4", 4);
  const EventId pulse = Ok(bea_, PulseCheckBody());
  // No report with that id.
  EXPECT_THAT(Write(bea_, IndicatorReportBody(version_, "2026-Q3", 11, SomeId('r'))),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("indicator_report.revises")));
  // An event that is not a report.
  EXPECT_THAT(Write(bea_, IndicatorReportBody(version_, "2026-Q3", 11, pulse)),
              StatusIs(absl::StatusCode::kNotFound));
  // Another member's report of the period: bea may not correct cal's value.
  EXPECT_THAT(Write(bea_, IndicatorReportBody(version_, "2026-Q4", 11, cals)),
              StatusIs(absl::StatusCode::kNotFound));
  // Its own report of another period, with and without a report of the period.
  EXPECT_THAT(Write(bea_, IndicatorReportBody(version_, "2026-Q4", 11, q3)),
              StatusIs(absl::StatusCode::kNotFound));
  Report(bea_, "2026-Q4", 11);
  EXPECT_THAT(Write(bea_, IndicatorReportBody(version_, "2026-Q4", 12, q3)),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_EQ(ledger().reports().size(), 3u);
  EXPECT_EQ(ledger().reports().at(q3).revised_by, std::nullopt);
  EXPECT_EQ(ledger().reports().at(cals).revised_by, std::nullopt);
}

TEST_F(MeasurementLedgerTest, VersionsOfOneDocumentShareTheirSeriesByKey) {
  const EventId first = Report(bea_, "2026-Q3", 10);
  const EventId v2 = Ok(cal_, StrategyVersionBody(TestStrategyVersion(kAgenda, version_)));
  // The new version's indicator of the same key continues the series: a report for the period
  // must revise the one made under the earlier version.
  EXPECT_THAT(Write(bea_, IndicatorReportBody(v2, "2026-Q3", 12)),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("revise it")));
  const EventId second = Report(bea_, "2026-Q3", 12, first, v2);
  EXPECT_EQ(ledger().reports().at(second).version, v2);
  EXPECT_EQ(ledger().Latest(Key(bea_, "2026-Q3"))->id, second);
  // Another document's indicator of the same key is another series.
  const EventId plan = Ok(cal_, StrategyVersionBody(TestStrategyVersion(kPlan)));
  const EventId in_plan = Report(bea_, "2026-Q3", 99, std::nullopt, plan);
  EXPECT_EQ(ledger().Latest(Key(bea_, "2026-Q3", kPlan))->id, in_plan);
  EXPECT_EQ(ledger().Latest(Key(bea_, "2026-Q3"))->id, second);
  EXPECT_EQ(ledger().latest().size(), 2u);
}

// ---------------------------------------------------------------------------------------------
// Derived series (read time)

TEST_F(MeasurementLedgerTest, ASeriesHasEachMembersCountingValueAndTheTotalPerPeriod) {
  const EventId bea_q3 = Report(bea_, "2026-Q3", 10);
  const EventId bea_q3_fixed = Report(bea_, "2026-Q3", 14, bea_q3);
  const EventId cal_q3 = Report(cal_, "2026-Q3", 5);
  const EventId founder_q2 = Report(founder_, "2026-Q2", 7);
  const EventId cal_2025 = Report(cal_, "2025-Q4", -3);

  const std::vector<IndicatorSeries> all = SeriesOf(state(), version_);
  ASSERT_EQ(all.size(), 1u);
  const IndicatorSeries& s = all[0];
  EXPECT_EQ(s.version, version_);
  EXPECT_EQ(s.indicator_key, kHouseholds);
  ASSERT_EQ(s.periods.size(), 3u);
  EXPECT_EQ(s.periods[0].period, "2025-Q4");
  EXPECT_EQ(s.periods[0].total, -3);
  ASSERT_EQ(s.periods[0].values.size(), 1u);
  EXPECT_EQ(s.periods[0].values[0].member, cal_.public_key());
  EXPECT_EQ(s.periods[0].values[0].report, cal_2025);
  EXPECT_EQ(s.periods[1].period, "2026-Q2");
  EXPECT_EQ(s.periods[1].total, 7);
  ASSERT_EQ(s.periods[1].values.size(), 1u);
  EXPECT_EQ(s.periods[1].values[0].report, founder_q2);
  EXPECT_EQ(s.periods[2].period, "2026-Q3");
  EXPECT_EQ(s.periods[2].total, 19) << "bea's corrected 14 and cal's 5; bea's 10 no longer counts";
  ASSERT_EQ(s.periods[2].values.size(), 2u);
  // Ascending by member key.
  std::vector<std::pair<OrgKey, EventId>> want = {{bea_.public_key(), bea_q3_fixed},
                                                  {cal_.public_key(), cal_q3}};
  std::sort(want.begin(), want.end());
  EXPECT_EQ(s.periods[2].values[0].member, want[0].first);
  EXPECT_EQ(s.periods[2].values[0].report, want[0].second);
  EXPECT_EQ(s.periods[2].values[1].member, want[1].first);
  EXPECT_EQ(s.periods[2].values[1].report, want[1].second);
  EXPECT_EQ(s.periods[2].values[want[0].first == bea_.public_key() ? 0 : 1].value, 14);
}

TEST_F(MeasurementLedgerTest, ASeriesOfALaterVersionHoldsTheDocumentsEarlierReports) {
  Report(bea_, "2026-Q3", 10);
  const EventId v2 = Ok(cal_, StrategyVersionBody(TestStrategyVersion(kAgenda, version_)));
  Report(cal_, "2026-Q3", 6, std::nullopt, v2);
  const EventId plan = Ok(cal_, StrategyVersionBody(TestStrategyVersion(kPlan)));
  Report(cal_, "2026-Q3", 1000, std::nullopt, plan);
  for (const EventId& v : {version_, v2}) {
    const std::vector<IndicatorSeries> all = SeriesOf(state(), v);
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all[0].version, v);
    ASSERT_EQ(all[0].periods.size(), 1u);
    EXPECT_EQ(all[0].periods[0].total, 16) << "the plan's series is not the agenda's";
    EXPECT_EQ(all[0].periods[0].values.size(), 2u);
  }
  const std::vector<IndicatorSeries> of_plan = SeriesOf(state(), plan);
  ASSERT_EQ(of_plan.size(), 1u);
  ASSERT_EQ(of_plan[0].periods.size(), 1u);
  EXPECT_EQ(of_plan[0].periods[0].total, 1000);
}

TEST_F(MeasurementLedgerTest, SeriesComeEarlyFirstThenIntermediateThenLongTerm) {
  const EventId v = Ok(founder_, StrategyVersionBody(EveryFrequencyVersion(kPlan)));
  const std::vector<IndicatorSeries> all = SeriesOf(state(), v);
  std::vector<std::string> keys;
  for (const IndicatorSeries& s : all) {
    keys.push_back(s.indicator_key);
    EXPECT_THAT(s.periods, IsEmpty()) << "nothing reported yet";
  }
  EXPECT_THAT(keys, ElementsAre("semiannual", "annual", "quarterly", "monthly"));
}

// ---------------------------------------------------------------------------------------------
// State hash (docs/PROTOCOL.md §5.16, "State hash")

TEST_F(MeasurementLedgerTest, AnEmptyLedgerAddsNothingToTheStateHash) {
  EXPECT_EQ(MeasurementHash(state()), HashHex(StateHasher().Finish()));
  // Refused reports keep it empty.
  ASSERT_FALSE(Write(outsider_, IndicatorReportBody(version_, "2026-Q3", 1)).ok());
  ASSERT_FALSE(Write(bea_, IndicatorReportBody(SomeId('u'), "2026-Q3", 1)).ok());
  EXPECT_EQ(MeasurementHash(state()), HashHex(StateHasher().Finish()));
}

TEST_F(MeasurementLedgerTest, AReportChangesTheStateHash) {
  const std::array<uint8_t, 32> before = state().Hash();
  const std::string part_before = MeasurementHash(state());
  const EventId first = Report(bea_, "2026-Q3", 10);
  EXPECT_NE(state().Hash(), before);
  EXPECT_NE(MeasurementHash(state()), part_before);
  const std::string part_one = MeasurementHash(state());
  Report(bea_, "2026-Q3", 10, first);
  EXPECT_NE(MeasurementHash(state()), part_one) << "a revision of the same value is a report";
}

// The measurement part as §5.16 lays it out: reports ascending by id (id, author, version,
// value, revises); keys, periods and notes are not written.
TEST_F(MeasurementLedgerTest, TheMeasurementPartFollowsTheProtocolLayout) {
  const EventId v2 = Ok(cal_, StrategyVersionBody(TestStrategyVersion(kAgenda, version_)));
  const EventId a = Report(bea_, "2026-Q3", 10);
  const EventId b = Report(bea_, "2026-Q3", -12, a, v2);
  const EventId c = Report(cal_, "2026-Q1", 0);
  struct Row {
    EventId id;
    const SigningKey* author;
    EventId version;
    int64_t value;
    std::optional<EventId> revises;
  };
  std::vector<Row> rows = {{a, &bea_, version_, 10, std::nullopt},
                           {b, &bea_, v2, -12, a},
                           {c, &cal_, version_, 0, std::nullopt}};
  std::sort(rows.begin(), rows.end(), [](const Row& x, const Row& y) { return x.id < y.id; });
  StateHasher h;
  h.Bytes("constellation/v1/measurement");
  h.U64(rows.size());
  for (const Row& r : rows) {
    h.Id(r.id);
    h.Id(r.author->public_key());
    h.Id(r.version);
    h.I64(r.value);
    h.OptionalId(r.revises);
  }
  EXPECT_EQ(MeasurementHash(state()), HashHex(h.Finish()));
}

// Two members report without seeing each other: every node holds the same state whichever
// arrives first.
TEST_F(MeasurementLedgerTest, ConcurrentReportsGiveTheSameStateInEitherArrivalOrder) {
  const VerifiedEvent by_bea =
      history_.AppendWithDeps(bea_, IndicatorReportBody(version_, "2026-Q3", 10), {version_});
  const VerifiedEvent by_cal =
      history_.AppendWithDeps(cal_, IndicatorReportBody(version_, "2026-Q3", 5), {version_});
  Group other(history_.group());
  for (const VerifiedEvent& e : history_.events()) {
    if (e.id != by_bea.id && e.id != by_cal.id) {
      ASSERT_OK(other.Insert(e).status());
    }
  }
  ASSERT_OK(other.Insert(by_cal).status());
  ASSERT_OK(other.Insert(by_bea).status());
  EXPECT_OK(Put(by_bea));
  EXPECT_OK(Put(by_cal));
  ASSERT_FALSE(state().HappenedBefore(by_bea.id, by_cal.id));
  ASSERT_FALSE(state().HappenedBefore(by_cal.id, by_bea.id));
  EXPECT_EQ(Measurement(other.state()).latest(), ledger().latest());
  EXPECT_EQ(MeasurementHash(other.state()), MeasurementHash(state()));
  EXPECT_EQ(HashHex(other.state().Hash()), HashHex(state().Hash()));
  other.state().CheckInvariants();
}

// A fresh fold of the events in canonical order agrees with the incremental one, with
// revisions, a refused report and reports of several versions.
TEST_F(MeasurementLedgerTest, TheSameEventsInCanonicalOrderGiveTheSameHash) {
  const EventId first = Report(bea_, "2026-Q3", 10);
  Report(bea_, "2026-Q3", 11, first);
  ASSERT_FALSE(Write(bea_, IndicatorReportBody(version_, "2026-Q3", 12, first)).ok());
  const EventId plan = Ok(cal_, StrategyVersionBody(TestStrategyVersion(kPlan)));
  Report(cal_, "2026-Q1", 3, std::nullopt, plan);

  GroupState fresh(history_.group());
  group_.ForEachInOrder(0, [&](uint64_t, const VerifiedEvent& e) {
    fresh.Apply(e);
    return true;
  });
  fresh.CheckInvariants();
  EXPECT_EQ(HashHex(fresh.Hash()), HashHex(state().Hash()));
  EXPECT_EQ(MeasurementHash(fresh), MeasurementHash(state()));
  EXPECT_EQ(Measurement(fresh).reports().size(), 3u);
  EXPECT_EQ(Measurement(fresh).latest(), ledger().latest());
}

}  // namespace
}  // namespace constellation::core
