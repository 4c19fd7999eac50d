// The strategy domain of the CLI without a node: the --from TOML file (every key read, typos
// and wrong types refused with the file's line), DiffStrategy (the SDK's line and key diff) and
// how `strategy diff` prints it, and write output naming a record by its event id once.
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli/health/render.h"
#include "cli/output.h"
#include "cli/strategy/draft_file.h"
#include "cli/strategy/render.h"
#include "tests/testing/status_matchers.h"

namespace constellation::cli {
namespace {

using ::constellation::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kPlan[] = R"(document = "strategic_plan"
title = "Plan 2027"
based_on = "ab"
content = """
one
two
"""
[[indicators]]
key = "volunteers"
name = "Volunteers trained"
definition = "trained this quarter"
unit = "people"
level = "early"
baseline = -3
target = 40
frequency = "quarterly"
owner = "cd"
[[goals]]
key = "restore"
text = "Restore the estuary"
indicators = ["volunteers"]
)";

TEST(DraftFileTest, ReadsEveryKey) {
  ASSERT_OK_AND_ASSIGN(StrategyDraft d, ParseDraftToml(kPlan, "plan.toml"));
  EXPECT_EQ(d.document, "strategic_plan");
  EXPECT_EQ(d.title, "Plan 2027");
  EXPECT_EQ(d.based_on, "ab");
  EXPECT_EQ(d.content, "one\ntwo\n");
  ASSERT_EQ(d.indicators.size(), 1u);
  const Indicator& i = d.indicators[0];
  EXPECT_EQ(i.key, "volunteers");
  EXPECT_EQ(i.name, "Volunteers trained");
  EXPECT_EQ(i.definition, "trained this quarter");
  EXPECT_EQ(i.unit, "people");
  EXPECT_EQ(i.level, "early");
  EXPECT_EQ(i.baseline, -3);
  EXPECT_EQ(i.target, 40);
  EXPECT_EQ(i.frequency, "quarterly");
  EXPECT_EQ(i.owner, "cd");
  ASSERT_EQ(d.goals.size(), 1u);
  EXPECT_EQ(d.goals[0].key, "restore");
  EXPECT_EQ(d.goals[0].text, "Restore the estuary");
  EXPECT_THAT(d.goals[0].indicator_keys, ::testing::ElementsAre("volunteers"));
}

TEST(DraftFileTest, RefusesTyposWrongTypesAndBadTomlWithTheLine) {
  EXPECT_THAT(
      ParseDraftToml("titel = \"x\"\n", "p.toml"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("p.toml:1:1: unknown key 'titel'")));
  EXPECT_THAT(ParseDraftToml("[[indicators]]\nkey = \"k\"\ntraget = 4\n", "p.toml"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("p.toml:3:1: unknown key 'traget' in [[indicators]]")));
  EXPECT_THAT(
      ParseDraftToml("[[indicators]]\ntarget = \"forty\"\n", "p.toml"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("'target' must be an integer")));
  EXPECT_THAT(ParseDraftToml("title = 3\n", "p.toml"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("'title' must be a string")));
  EXPECT_THAT(ParseDraftToml("goals = 1\n", "p.toml"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("'goals' must be tables")));
  EXPECT_THAT(ParseDraftToml("title = \n", "p.toml"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("p.toml:1:")));
  EXPECT_THAT(ReadDraftFile("/nonexistent/plan.toml"), StatusIs(absl::StatusCode::kNotFound));
}

StrategyVersion Version(std::string id, std::string content, int64_t target,
                        std::string goal_text) {
  StrategyVersion v;
  v.version_id = std::move(id);
  v.draft.document = "strategic_plan";
  v.draft.title = "Plan";
  v.draft.content = std::move(content);
  v.draft.indicators.push_back(
      Indicator{"volunteers", "Volunteers", "", "people", "early", 0, target, "quarterly", ""});
  v.draft.goals.push_back(StrategyGoal{"restore", std::move(goal_text), {"volunteers"}});
  return v;
}

TEST(StrategyDiffTest, LinesKeysAndFields) {
  StrategyVersion from = Version(std::string(64, 'a'), "a\nb\nc\n", 40, "Restore");
  StrategyVersion to = Version(std::string(64, 'b'), "a\nB\nc\nd\n", 60, "Restore it");
  to.draft.indicators.push_back(
      Indicator{"fish", "Fish counted", "", "fish", "long_term", 0, 9, "annual", ""});
  const StrategyDiff diff = DiffStrategy(from.draft, to.draft);
  ASSERT_EQ(diff.content.size(), 5u);
  std::string ops;
  for (const LineChange& l : diff.content) ops += l.op;
  EXPECT_EQ(ops, " -+ +");  // a, -b, +B, c, +d: removed lines before added ones
  ASSERT_EQ(diff.indicators.size(), 2u);
  EXPECT_EQ(diff.indicators[0].op, '~');
  EXPECT_EQ(diff.indicators[0].fields[0].field, "target");
  EXPECT_EQ(diff.indicators[1].op, '+');
  EXPECT_EQ(diff.indicators[1].key, "fish");
  ASSERT_EQ(diff.goals.size(), 1u);
  EXPECT_EQ(diff.goals[0].fields[0].field, "text");
  EXPECT_TRUE(DiffStrategy(from.draft, from.draft).empty());

  const std::string text = RenderOutput(StrategyDiffOutput(from, to, false), OutputFormat::kTable);
  EXPECT_THAT(text, HasSubstr("  - b\n  + B\n"));
  EXPECT_THAT(text, HasSubstr("  ~ volunteers\n      target: 40 -> 60\n"));
  EXPECT_THAT(text, HasSubstr("  + fish\n"));
}

TEST(StrategyDiffTest, FoldsLongUnchangedRuns) {
  std::string same;
  for (int i = 0; i < 20; ++i) same += "line " + std::to_string(i) + "\n";
  StrategyVersion from = Version(std::string(64, 'a'), same + "end\n", 1, "g");
  StrategyVersion to = Version(std::string(64, 'b'), same + "END\n", 1, "g");
  const std::string text = RenderOutput(StrategyDiffOutput(from, to, false), OutputFormat::kTable);
  EXPECT_THAT(text, HasSubstr("… 18 unchanged lines"));
  EXPECT_THAT(text, HasSubstr("    line 19\n  - end\n  + END\n"));
  EXPECT_THAT(text, Not(HasSubstr("line 0\n")));
}

// Regression: a write whose record is named by its event id (a pulse check) printed the
// event_id line twice.
TEST(WriteOutputTest, ARecordNamedByItsEventShowsTheIdOnce) {
  PulseWrite write;
  write.event.event_id = std::string(64, 'e');
  write.pulse.event_id = write.event.event_id;
  write.pulse.alignment = 4;
  const std::string text = RenderOutput(PulseWriteOutput(write, "r1"), OutputFormat::kTable);
  EXPECT_EQ(text.find("event_id"), text.rfind("event_id")) << text;
}

}  // namespace
}  // namespace constellation::cli
