// tests/unit/cli_people_test.cc: the CLI's manners without a node (issue 12 item 8): an unknown
// noun, verb or flag is named as such with the closest known word, `help [NOUN [VERB]]` is
// --help, tables are coloured only on a terminal and never with NO_COLOR, a short id that
// cannot be one is refused before connecting, and the bash completion script knows every
// command and flag.
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli/args.h"
#include "cli/commands.h"
#include "cli/completion.h"
#include "cli/exit_code.h"
#include "cli/output.h"

namespace constellation::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

struct CliRun {
  int exit_code;
  std::string out;
  std::string err;
};

// Runs the CLI with no config file and no node (127.0.0.1:1 refuses at once).
CliRun RunCommand(const std::vector<std::string>& args) {
  const EnvLookup env = [](const std::string& name) -> std::optional<std::string> {
    if (name == "CONSTELLATION_ENDPOINT") return "127.0.0.1:1";
    if (name == "CONSTELLATION_CONFIG") return "/nonexistent/constellation-test/config.toml";
    return std::nullopt;
  };
  std::ostringstream out;
  std::ostringstream err;
  const int code = RunCli(args, env, out, err);
  return {code, out.str(), err.str()};
}

TEST(CliPeopleTest, UnknownNounIsNamedBeforeItsFlags) {
  CliRun run = RunCommand({"pledges", "list", "--group", std::string(64, 'a')});
  EXPECT_EQ(run.exit_code, ToInt(ExitCode::kUsage));
  EXPECT_THAT(run.err, HasSubstr("error: unknown command 'pledges'; did you mean 'pledge'?"));
  EXPECT_THAT(run.err, Not(HasSubstr("unknown flag")));

  CliRun far = RunCommand({"frobnicate", "list"});
  EXPECT_THAT(far.err, HasSubstr("unknown command 'frobnicate': one of node, peer"));
}

TEST(CliPeopleTest, UnknownVerbAndFlagSuggestTheClosest) {
  CliRun verb = RunCommand({"pledge", "lsit", "--group", "G"});
  EXPECT_EQ(verb.exit_code, ToInt(ExitCode::kUsage));
  EXPECT_THAT(verb.err, HasSubstr("unknown verb 'pledge lsit'; did you mean 'pledge list'?"));

  CliRun two_words = RunCommand({"pool", "fund", "lst", "--group", "G"});
  EXPECT_THAT(two_words.err, HasSubstr("did you mean 'pool fund list'?"));

  CliRun flag = RunCommand({"pledge", "list", "--grup", "G"});
  EXPECT_EQ(flag.exit_code, ToInt(ExitCode::kUsage));
  EXPECT_THAT(flag.err,
              HasSubstr("unknown flag --grup for 'pledge list'; did you mean '--group'?"));

  CliRun eat = RunCommand({"pledge", "eat"});
  EXPECT_THAT(eat.err, HasSubstr("unknown verb 'pledge eat': one of record, import, amend"));
}

TEST(CliPeopleTest, HelpWordIsTheSameAsTheHelpFlag) {
  for (const std::vector<std::string>& words : std::vector<std::vector<std::string>>{
           {}, {"pledge"}, {"pledge", "record"}, {"pool", "fund", "create"}}) {
    std::vector<std::string> with_word = {"help"};
    with_word.insert(with_word.end(), words.begin(), words.end());
    std::vector<std::string> with_flag = words;
    with_flag.push_back("--help");
    CliRun word = RunCommand(with_word);
    CliRun flag = RunCommand(with_flag);
    EXPECT_EQ(word.exit_code, 0);
    EXPECT_EQ(word.out, flag.out);
    EXPECT_FALSE(word.out.empty());
  }
  EXPECT_EQ(RunCommand({"pledge", "help"}).out, RunCommand({"pledge", "--help"}).out);
  EXPECT_THAT(RunCommand({"help", "pledge", "record"}).out,
              HasSubstr("Usage: constellation pledge record"));
  EXPECT_THAT(RunCommand({"help"}).out, HasSubstr("constellation help [<noun> [<verb>]]"));
}

TEST(CliPeopleTest, ShortIdsThatCannotBeIdsAreRefusedBeforeConnecting) {
  CliRun short_group = RunCommand({"pledge", "list", "--group", "ab"});
  EXPECT_EQ(short_group.exit_code, ToInt(ExitCode::kInvalidArgument));
  EXPECT_THAT(short_group.err,
              HasSubstr("--group 'ab': group_id must be 64 hex characters, a unique prefix of at "
                        "least 4 of them, or the group's name"));
  CliRun pledge = RunCommand({"pledge", "show", "--group", std::string(64, 'a'), "not-hex"});
  EXPECT_EQ(pledge.exit_code, ToInt(ExitCode::kInvalidArgument));
  EXPECT_THAT(pledge.err, HasSubstr("PLEDGE 'not-hex': pledge_id must be 64 hex characters"));
  // A prefix needs the node: here it is down, and the hint says where it was looked for.
  CliRun prefix = RunCommand({"pledge", "show", "--group", std::string(64, 'a'), "abcd"});
  EXPECT_EQ(prefix.exit_code, ToInt(ExitCode::kUnavailable));
  EXPECT_THAT(prefix.err, HasSubstr("hint: is constellationd running at 127.0.0.1:1"));
}

TEST(CliPeopleTest, ColourOnlyOnATerminalWithoutNoColor) {
  EXPECT_TRUE(UseColour(true, std::nullopt, "xterm-256color"));
  EXPECT_FALSE(UseColour(false, std::nullopt, "xterm-256color"));
  EXPECT_FALSE(UseColour(true, "1", "xterm-256color"));
  EXPECT_FALSE(UseColour(true, std::nullopt, "dumb"));

  Output output =
      Output::Object({}, {{"name", "Winter [##+..]"}, {"progress", "[##+..] 60% pledged"}});
  const std::string plain = RenderOutput(output, OutputFormat::kTable, false);
  EXPECT_THAT(plain, Not(HasSubstr("\033")));
  const std::string coloured = RenderOutput(output, OutputFormat::kTable, true);
  EXPECT_THAT(coloured, HasSubstr("progress  [\033[32m##\033[33m+\033[0m..] 60% pledged"));
  EXPECT_THAT(coloured, HasSubstr("name      Winter [##+..]\n"));  // only the bar
  EXPECT_THAT(RenderOutput(output, OutputFormat::kCsv, true), Not(HasSubstr("\033")));
  // An escape sequence in the data is never let through, coloured or not.
  Output hostile = Output::Object({}, {{"progress", "[\033[31m#] x"}});
  EXPECT_THAT(RenderOutput(hostile, OutputFormat::kTable, true), Not(HasSubstr("\033[31m")));
}

TEST(CliPeopleTest, CompletionScriptKnowsEveryCommandAndFlag) {
  CliRun run = RunCommand({"completion", "bash"});
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_EQ(run.out, BashCompletion(AllCommandSpecs()));
  EXPECT_THAT(run.out, HasSubstr("complete -F _constellation constellation"));
  for (const CommandSpec& spec : AllCommandSpecs()) {
    EXPECT_THAT(run.out, HasSubstr("|" + CommandName(spec) + "|"));
    for (const FlagSpec& flag : spec.flags) {
      EXPECT_THAT(run.out, HasSubstr("--" + flag.name)) << CommandName(spec);
    }
  }
}

}  // namespace
}  // namespace constellation::cli
