// tests/unit/cli_ids_test.cc: short ids and names (cli/ids.h) without a node: which values are
// looked up, which are refused before connecting, and how a prefix or a name is matched among
// crafted candidates (two ids sharing a prefix, a name shared by two groups, a prefix of one id
// that is another group's name), with the exit code of each outcome.
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli/exit_code.h"
#include "cli/ids.h"
#include "tests/testing/status_matchers.h"

namespace constellation::cli {
namespace {

using ::constellation::testing::StatusIs;
using ::testing::HasSubstr;

MATCHER_P(IsOkAndHolds, value, "") { return arg.ok() && *arg == value; }

// A 64-hex id starting with `prefix`, padded with `fill`.
std::string IdStarting(const std::string& prefix, char fill) {
  return prefix + std::string(64 - prefix.size(), fill);
}

TEST(CliIdsTest, ValueNamesGiveTheKinds) {
  EXPECT_EQ(IdKindOfValueName("GROUP"), IdKind::kGroup);
  EXPECT_EQ(IdKindOfValueName("PLEDGE"), IdKind::kPledge);
  EXPECT_EQ(IdKindOfValueName("ORG_KEY"), IdKind::kMember);
  EXPECT_EQ(IdKindOfValueName("TOKEN_ID"), IdKind::kToken);
  EXPECT_EQ(IdKindOfValueName("GROUP_ID"), IdKind::kNone);  // group join: the full id only
  EXPECT_EQ(IdKindOfValueName("AMOUNT"), IdKind::kNone);
}

TEST(CliIdsTest, FullIdsAreUsedAsTypedAndOthersLookedUpOrRefused) {
  EXPECT_THAT(NeedsLookup(IdStarting("ab", '0'), IdKind::kPledge, "PLEDGE"), IsOkAndHolds(false));
  EXPECT_THAT(NeedsLookup("0123456789abcdef", IdKind::kToken, "TOKEN_ID"), IsOkAndHolds(false));
  EXPECT_THAT(NeedsLookup("ab12", IdKind::kPledge, "PLEDGE"), IsOkAndHolds(true));
  EXPECT_THAT(NeedsLookup("AB12", IdKind::kPledge, "PLEDGE"), IsOkAndHolds(true));
  EXPECT_THAT(NeedsLookup("Northside", IdKind::kGroup, "--group"), IsOkAndHolds(true));
  EXPECT_THAT(NeedsLookup("Riverside Food Bank", IdKind::kMember, "--member"), IsOkAndHolds(true));

  // Refused before connecting, naming the flag and what to give instead.
  EXPECT_THAT(NeedsLookup("abc", IdKind::kGroup, "--group"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("--group 'abc': group_id must be 64 hex characters, a unique "
                                 "prefix of at least 4 of them, or the group's name")));
  EXPECT_THAT(NeedsLookup("xyz", IdKind::kProposal, "--proposal"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("proposal_id must be 64 hex characters")));
  EXPECT_THAT(NeedsLookup("", IdKind::kPledge, "PLEDGE"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(NeedsLookup(std::string(65, 'a'), IdKind::kPledge, "PLEDGE"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(NeedsLookup("0123456789abcdef0", IdKind::kToken, "TOKEN_ID"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("token_id must be 16 hex characters")));
}

TEST(CliIdsTest, AUniquePrefixResolves) {
  const std::vector<IdCandidate> pledges = {{IdStarting("ab12", '0'), "", "5.00 EUR"},
                                            {IdStarting("ab34", '0'), "", "7.00 EUR"},
                                            {IdStarting("cd56", '0'), "", "9.00 EUR"}};
  EXPECT_THAT(MatchId("ab12", IdKind::kPledge, "PLEDGE", "in group x", pledges),
              IsOkAndHolds(IdStarting("ab12", '0')));
  EXPECT_THAT(MatchId("CD56", IdKind::kPledge, "PLEDGE", "in group x", pledges),
              IsOkAndHolds(IdStarting("cd56", '0')));
}

TEST(CliIdsTest, AnAmbiguousPrefixIsRefusedWithTheCandidates) {
  // Two ids share "ab12" and differ only at their 15th character.
  const std::vector<IdCandidate> pledges = {{IdStarting("ab120000000000a", '0'), "", "5.00 EUR"},
                                            {IdStarting("ab120000000000b", '0'), "", "7.00 EUR"},
                                            {IdStarting("cd56", '0'), "", "9.00 EUR"}};
  absl::StatusOr<std::string> id =
      MatchId("ab12", IdKind::kPledge, "PLEDGE", "in group x", pledges);
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(ExitCodeOf(id.status()), ExitCode::kAmbiguous);
  EXPECT_EQ(ToInt(ExitCode::kAmbiguous), 16);
  const std::string message(id.status().message());
  EXPECT_THAT(message, HasSubstr("PLEDGE 'ab12' is ambiguous: 2 pledges in group x"));
  // Long enough to tell them apart, with their summaries; the third is not listed.
  EXPECT_THAT(message, HasSubstr("\n  ab120000000000a  5.00 EUR"));
  EXPECT_THAT(message, HasSubstr("\n  ab120000000000b  7.00 EUR"));
  EXPECT_THAT(message, ::testing::Not(HasSubstr("cd56")));
}

TEST(CliIdsTest, UnknownPrefixIsNotFound) {
  const std::vector<IdCandidate> pledges = {{IdStarting("ab12", '0'), "", "5.00 EUR"}};
  absl::StatusOr<std::string> id =
      MatchId("ffff", IdKind::kPledge, "PLEDGE", "in group x", pledges);
  EXPECT_THAT(id, StatusIs(absl::StatusCode::kNotFound,
                           HasSubstr("PLEDGE 'ffff': NOT FOUND: no pledge in group x has an id "
                                     "starting with 'ffff' (1 pledges searched; see "
                                     "'constellation pledge list --group GROUP')")));
  EXPECT_EQ(ExitCodeOf(id.status()), ExitCode::kNotFound);
}

TEST(CliIdsTest, NamesResolveWhenUniqueAndPrefixesAndNamesCanCollide) {
  const std::string northside = IdStarting("1234", 'a');
  const std::vector<IdCandidate> groups = {{northside, "Northside", "Northside"},
                                           {IdStarting("5678", 'b'), "Riverside", "Riverside"},
                                           {IdStarting("9abc", 'c'), "1234", "1234"}};
  EXPECT_THAT(MatchId("Riverside", IdKind::kGroup, "--group", "here", groups),
              IsOkAndHolds(IdStarting("5678", 'b')));
  // "1234" is a prefix of Northside's id and the name of the third group.
  absl::StatusOr<std::string> both = MatchId("1234", IdKind::kGroup, "--group", "here", groups);
  EXPECT_EQ(ExitCodeOf(both.status()), ExitCode::kAmbiguous);
  EXPECT_THAT(both.status().message(), HasSubstr("an id starting with '1234' or the name '1234'"));
  // Names are exact: no prefix of a name, no other case.
  EXPECT_THAT(MatchId("North", IdKind::kGroup, "--group", "here", groups),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(MatchId("northside", IdKind::kGroup, "--group", "here", groups),
              StatusIs(absl::StatusCode::kNotFound));
  // Kinds without names match ids only.
  const std::vector<IdCandidate> pledges = {{northside, "Northside", "x"}};
  EXPECT_THAT(MatchId("Northside", IdKind::kPledge, "PLEDGE", "here", pledges),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST(CliIdsTest, SeveralSameNamesAreRefusedWithEveryId) {
  const std::vector<IdCandidate> groups = {{IdStarting("1234", 'a'), "Northside", "Northside"},
                                           {IdStarting("5678", 'b'), "Northside", "Northside"}};
  absl::StatusOr<std::string> id = MatchId("Northside", IdKind::kGroup, "--group", "here", groups);
  EXPECT_EQ(ExitCodeOf(id.status()), ExitCode::kAmbiguous);
  EXPECT_THAT(id.status().message(), HasSubstr("\n  1234aaaaaaaa  Northside"));
  EXPECT_THAT(id.status().message(), HasSubstr("\n  5678bbbbbbbb  Northside"));
}

}  // namespace
}  // namespace constellation::cli
