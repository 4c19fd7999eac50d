// tests/unit/cli_args_test.cc: command-line parsing, --help at every level, usage errors,
// value parsing (dates, timeouts, installments, restrictions), and the connection precedence
// flag > env > config, including the config file itself. No node is needed.
#include <sys/stat.h>

#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli/args.h"
#include "cli/commands.h"
#include "cli/config.h"
#include "cli/exit_code.h"
#include "cli/values.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace constellation::cli {
namespace {

using ::constellation::testing::StatusIs;
using ::constellation::testing::TempDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

const std::string kGroup(64, 'a');
const std::string kCampaign(64, 'b');

absl::StatusOr<Invocation> Parse(const std::vector<std::string>& args) {
  return ParseArgs(args, AllCommandSpecs());
}

EnvLookup MapEnv(std::map<std::string, std::string> values) {
  return [values = std::move(values)](const std::string& name) -> std::optional<std::string> {
    auto it = values.find(name);
    if (it == values.end() || it->second.empty()) return std::nullopt;
    return it->second;
  };
}

struct CliRun {
  int exit_code;
  std::string out;
  std::string err;
};

CliRun RunCommand(const std::vector<std::string>& args, const EnvLookup& env) {
  std::ostringstream out;
  std::ostringstream err;
  const int code = RunCli(args, env, out, err);
  return {code, out.str(), err.str()};
}

// --- Parsing -----------------------------------------------------------------------------

TEST(CliArgsTest, ParsesNounVerbFlagsAndPositionals) {
  ASSERT_OK_AND_ASSIGN(Invocation inv,
                       Parse({"pledge", "record", "--group", kGroup, "--campaign=" + kCampaign,
                              "--amount", "250.00", "--currency", "EUR", "--note", "a b c"}));
  ASSERT_NE(inv.command, nullptr);
  EXPECT_EQ(inv.command->noun, "pledge");
  EXPECT_EQ(inv.command->verb, "record");
  EXPECT_EQ(inv.Get("group"), kGroup);
  EXPECT_EQ(inv.Get("campaign"), kCampaign);
  EXPECT_EQ(inv.Get("amount"), "250.00");
  EXPECT_EQ(inv.Get("note"), "a b c");
  EXPECT_FALSE(inv.Has("donor"));
  EXPECT_EQ(inv.Get("donor"), "");
  EXPECT_FALSE(inv.help);

  ASSERT_OK_AND_ASSIGN(Invocation show, Parse({"pledge", "show", "--group", kGroup, "P1"}));
  EXPECT_THAT(show.positionals, ElementsAre("P1"));
  EXPECT_EQ(show.Positional(0), "P1");
  EXPECT_EQ(show.Positional(1), "");
}

TEST(CliArgsTest, GlobalFlagsGoAnywhere) {
  ASSERT_OK_AND_ASSIGN(Invocation inv, Parse({"--endpoint", "node:1", "-o", "json", "group", "list",
                                              "--token=t0k", "--timeout", "2s", "--context", "prod",
                                              "--cert-file", "c.pem", "--key-file=c.key"}));
  EXPECT_EQ(inv.global.endpoint, "node:1");
  EXPECT_EQ(inv.global.cert_file, "c.pem");
  EXPECT_EQ(inv.global.key_file, "c.key");
  EXPECT_EQ(inv.global.token, "t0k");
  EXPECT_EQ(inv.global.context, "prod");
  EXPECT_EQ(inv.global.output, OutputFormat::kJson);
  EXPECT_TRUE(inv.global.output_given);
  EXPECT_EQ(inv.global.timeout, absl::Seconds(2));

  ASSERT_OK_AND_ASSIGN(Invocation compact, Parse({"group", "list", "-ocsv"}));
  EXPECT_EQ(compact.global.output, OutputFormat::kCsv);
  ASSERT_OK_AND_ASSIGN(Invocation defaults, Parse({"group", "list"}));
  EXPECT_EQ(defaults.global.output, OutputFormat::kTable);
  EXPECT_FALSE(defaults.global.output_given);
  EXPECT_FALSE(defaults.global.endpoint.has_value());
}

TEST(CliArgsTest, MissingRequiredFlagsAreUsageErrors) {
  EXPECT_THAT(
      Parse({"pledge", "record", "--group", kGroup, "--amount", "1", "--currency", "EUR"}),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("missing required flag --campaign")));
  EXPECT_THAT(Parse({"campaign", "list"}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--group")));
  EXPECT_THAT(Parse({"pledge", "cancel", "--group", kGroup, "P"}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--reason")));
  EXPECT_THAT(Parse({"pledge", "show", "--group", kGroup}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("missing PLEDGE")));
}

TEST(CliArgsTest, UnknownCommandsFlagsAndExtraArgumentsAreUsageErrors) {
  EXPECT_THAT(Parse({}), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("missing")));
  EXPECT_THAT(Parse({"bogus"}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("unknown command 'bogus'")));
  EXPECT_THAT(Parse({"pledge"}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("missing verb")));
  EXPECT_THAT(Parse({"pledge", "eat"}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("unknown verb")));
  EXPECT_THAT(Parse({"group", "list", "--frobnicate"}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("unknown flag --frobnicate")));
  EXPECT_THAT(Parse({"group", "list", "extra"}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("unexpected argument")));
  EXPECT_THAT(Parse({"group", "show"}), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Parse({"group", "list", "-o", "yaml"}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("table, json, csv")));
  EXPECT_THAT(Parse({"group", "list", "--timeout", "soon"}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("timeout")));
  EXPECT_THAT(Parse({"group", "list", "--endpoint"}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("needs a value")));
  // A command's flags go after its verb.
  EXPECT_THAT(Parse({"pledge", "--group", kGroup, "list"}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("after its verb")));
  // --request-id belongs to writes only.
  EXPECT_THAT(Parse({"group", "list", "--request-id", "r1"}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  ASSERT_OK_AND_ASSIGN(Invocation write,
                       Parse({"group", "create", "--name", "G", "--request-id", "r1"}));
  EXPECT_EQ(write.Get("request-id"), "r1");
}

TEST(CliArgsTest, RepeatedFlags) {
  ASSERT_OK_AND_ASSIGN(Invocation inv,
                       Parse({"pledge", "record", "--group", kGroup, "--campaign", kCampaign,
                              "--amount", "250", "--currency", "EUR", "--installment",
                              "2027-01-31=100", "--installment", "2027-06-30=150"}));
  EXPECT_THAT(inv.GetAll("installment"), ElementsAre("2027-01-31=100", "2027-06-30=150"));
  EXPECT_THAT(inv.GetAll("note"), IsEmpty());

  EXPECT_THAT(Parse({"pledge", "record", "--group", kGroup, "--campaign", kCampaign, "--amount",
                     "1", "--amount", "2", "--currency", "EUR"}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--amount given twice")));
  EXPECT_THAT(Parse({"group", "list", "-o", "json", "-o", "csv"}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("given twice")));
  ASSERT_OK_AND_ASSIGN(Invocation token, Parse({"token", "create", "--role", "auditor", "--group",
                                                kGroup, "--group", kCampaign}));
  EXPECT_THAT(token.GetAll("group"), ElementsAre(kGroup, kCampaign));
}

TEST(CliArgsTest, DoubleDashEndsFlags) {
  ASSERT_OK_AND_ASSIGN(Invocation inv, Parse({"token", "revoke", "--", "-odd-id"}));
  EXPECT_THAT(inv.positionals, ElementsAre("-odd-id"));
}

TEST(CliArgsTest, HelpAnywhereSelectsTheDeepestLevel) {
  ASSERT_OK_AND_ASSIGN(Invocation top, Parse({"--help"}));
  EXPECT_TRUE(top.help);
  EXPECT_EQ(top.command, nullptr);
  EXPECT_EQ(top.noun, "");

  ASSERT_OK_AND_ASSIGN(Invocation noun, Parse({"pledge", "-h"}));
  EXPECT_TRUE(noun.help);
  EXPECT_EQ(noun.noun, "pledge");
  EXPECT_EQ(noun.command, nullptr);

  // Missing required flags and bad values do not matter with --help.
  ASSERT_OK_AND_ASSIGN(Invocation verb, Parse({"pledge", "--help", "record", "--bogus", "x"}));
  EXPECT_TRUE(verb.help);
  ASSERT_NE(verb.command, nullptr);
  EXPECT_EQ(verb.command->verb, "record");

  ASSERT_OK_AND_ASSIGN(Invocation unknown, Parse({"bogus", "--help"}));
  EXPECT_TRUE(unknown.help);
  EXPECT_EQ(unknown.noun, "");
}

TEST(CliArgsTest, HelpAtEveryLevelPrintsFlagsAndAnExampleAndExitsZero) {
  const EnvLookup env = MapEnv({});
  CliRun top = RunCommand({"--help"}, env);
  EXPECT_EQ(top.exit_code, 0);
  EXPECT_THAT(top.out, HasSubstr("Exit codes:"));
  EXPECT_THAT(top.out, HasSubstr("--endpoint HOST:PORT"));
  EXPECT_THAT(top.out, HasSubstr("Example:"));
  for (const ExitCodeInfo& info : AllExitCodes()) {
    EXPECT_THAT(top.out, HasSubstr(std::string(info.meaning)));
  }
  for (const CommandSpec& spec : AllCommandSpecs()) {
    EXPECT_THAT(top.out, HasSubstr(spec.noun + " " + spec.verb));

    CliRun noun = RunCommand({spec.noun, "--help"}, env);
    EXPECT_EQ(noun.exit_code, 0) << spec.noun;
    EXPECT_THAT(noun.out, HasSubstr(spec.verb));
    EXPECT_THAT(noun.out, HasSubstr("Example:"));

    CliRun verb = RunCommand({spec.noun, spec.verb, "-h"}, env);
    EXPECT_EQ(verb.exit_code, 0) << spec.noun << " " << spec.verb;
    EXPECT_THAT(verb.out, HasSubstr("Example:\n  constellation " + spec.noun + " " + spec.verb));
    EXPECT_THAT(verb.out, HasSubstr("--timeout"));
    for (const FlagSpec& flag : spec.flags) {
      EXPECT_THAT(verb.out, HasSubstr("--" + flag.name)) << spec.noun << " " << spec.verb;
    }
    if (spec.write) {
      EXPECT_THAT(verb.out, HasSubstr("--request-id"));
    }
    EXPECT_TRUE(verb.err.empty());
  }
}

TEST(CliArgsTest, UsageErrorsExitTwoWithAPointerToHelp) {
  CliRun run = RunCommand({"pledge", "record", "--group", kGroup}, MapEnv({}));
  EXPECT_EQ(run.exit_code, ToInt(ExitCode::kUsage));
  EXPECT_THAT(run.err, HasSubstr("error: missing required flag"));
  EXPECT_THAT(run.err, HasSubstr("constellation pledge record --help"));
  EXPECT_TRUE(run.out.empty());

  EXPECT_EQ(RunCommand({}, MapEnv({})).exit_code, ToInt(ExitCode::kUsage));
  EXPECT_EQ(RunCommand({"nope", "list"}, MapEnv({})).exit_code, ToInt(ExitCode::kUsage));
}

TEST(CliArgsTest, BadValuesExitThreeBeforeAnyConnection) {
  TempDir dir;
  const EnvLookup env = MapEnv({{"CONSTELLATION_CONFIG", dir.Sub("config.toml")},
                                {"CONSTELLATION_ENDPOINT", "127.0.0.1:1"}});
  const std::vector<std::string> base = {"pledge",     "record",  "--group",    kGroup,
                                         "--campaign", kCampaign, "--currency", "EUR"};
  auto with = [&base](std::vector<std::string> extra) {
    std::vector<std::string> args = base;
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  };
  CliRun decimals = RunCommand(with({"--amount", "1.234"}), env);
  EXPECT_EQ(decimals.exit_code, ToInt(ExitCode::kInvalidArgument));
  EXPECT_THAT(decimals.err, HasSubstr("error: --amount: amount '1.234' has 3 decimals"));

  CliRun date = RunCommand(with({"--amount", "100", "--installment", "2027-02-30=100"}), env);
  EXPECT_EQ(date.exit_code, ToInt(ExitCode::kInvalidArgument));
  EXPECT_THAT(date.err, HasSubstr("not a calendar date"));

  CliRun condition = RunCommand(with({"--amount", "100", "--condition-barrier", "match"}), env);
  EXPECT_EQ(condition.exit_code, ToInt(ExitCode::kInvalidArgument));
  EXPECT_THAT(condition.err, HasSubstr("--condition-release"));

  CliRun bad_id = RunCommand({"pledge", "list", "--group", "abc"}, env);
  EXPECT_EQ(bad_id.exit_code, ToInt(ExitCode::kInvalidArgument));
  EXPECT_THAT(bad_id.err, HasSubstr("group_id must be 64 hex characters"));

  CliRun as_of = RunCommand({"pledge", "list", "--group", kGroup, "--as-of", "yesterday"}, env);
  EXPECT_EQ(as_of.exit_code, ToInt(ExitCode::kInvalidArgument));
  EXPECT_THAT(as_of.err, HasSubstr("--as-of 'yesterday' is not a date"));
}

TEST(CliArgsTest, UnreachableNodeExitsTenWithAHintNamingTheRequestId) {
  TempDir dir;
  const EnvLookup env = MapEnv({{"CONSTELLATION_CONFIG", dir.Sub("config.toml")}});
  CliRun run = RunCommand({"group", "create", "--name", "G", "--endpoint", "127.0.0.1:1",
                           "--request-id", "req-42", "--timeout", "5s"},
                          env);
  EXPECT_EQ(run.exit_code, ToInt(ExitCode::kUnavailable));
  EXPECT_THAT(run.err, HasSubstr("error: "));
  EXPECT_THAT(run.err, HasSubstr("hint: is constellationd running at 127.0.0.1:1"));
  EXPECT_THAT(run.err, HasSubstr("--request-id req-42"));
}

// --- Values ------------------------------------------------------------------------------

TEST(CliArgsTest, ParsesDates) {
  ASSERT_OK_AND_ASSIGN(uint64_t day, ParseDateMs("2027-01-31", "deadline"));
  EXPECT_EQ(day, 1'801'353'600'000u);
  ASSERT_OK_AND_ASSIGN(uint64_t utc, ParseDateMs("2026-11-20T00:00:00Z", "received"));
  EXPECT_EQ(utc, 1'795'132'800'000u);
  ASSERT_OK_AND_ASSIGN(uint64_t offset, ParseDateMs("2026-11-20T10:00:00+01:00", "received"));
  EXPECT_EQ(offset, 1'795'165'200'000u);
  ASSERT_OK_AND_ASSIGN(uint64_t millis, ParseDateMs("2026-11-20T00:00:00.250Z", "received"));
  EXPECT_EQ(millis, 1'795'132'800'250u);
}

TEST(CliArgsTest, DateParsingErrorsNameTheFlagAndTheFormat) {
  for (const char* text : {"2027-02-30", "2027-13-01", "2027-00-10"}) {
    EXPECT_THAT(ParseDateMs(text, "deadline"),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not a calendar date")))
        << text;
  }
  for (const char* text : {"", "tomorrow", "2027-1-5", "31.01.2027", "2027/01/31",
                           "2026-11-20T10:00:00", "2026-11-20 10:00:00Z", "1700000000000"}) {
    EXPECT_THAT(ParseDateMs(text, "deadline"),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         HasSubstr("--deadline '" + std::string(text) + "' is not a date")))
        << text;
  }
  EXPECT_THAT(ParseDateMs("1969-12-31", "deadline"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("before 1970")));
}

TEST(CliArgsTest, FormatsTimes) {
  EXPECT_EQ(FormatTimeMs(0), "");
  EXPECT_EQ(FormatTimeMs(1'801'353'600'000), "2027-01-31");
  EXPECT_EQ(FormatTimeMs(1'795'165'200'000), "2026-11-20T09:00:00Z");
  EXPECT_EQ(FormatTimeMs(1'795'132'800'250), "2026-11-20T00:00:00.250Z");
}

TEST(CliArgsTest, ParsesTimeouts) {
  ASSERT_OK_AND_ASSIGN(absl::Duration seconds, ParseTimeout("10s"));
  EXPECT_EQ(seconds, absl::Seconds(10));
  ASSERT_OK_AND_ASSIGN(absl::Duration millis, ParseTimeout("500ms"));
  EXPECT_EQ(millis, absl::Milliseconds(500));
  ASSERT_OK_AND_ASSIGN(absl::Duration bare, ParseTimeout("3"));
  EXPECT_EQ(bare, absl::Seconds(3));
  EXPECT_THAT(ParseTimeout("0"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseTimeout("-1s"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseTimeout("soon"), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(CliArgsTest, ParsesInstallmentsAndRestrictions) {
  ASSERT_OK_AND_ASSIGN(Installment installment, ParseInstallment("2027-01-31=100.50", "EUR"));
  EXPECT_EQ(installment.due_ms, 1'801'353'600'000u);
  EXPECT_EQ(installment.amount_minor, 10050);
  EXPECT_THAT(ParseInstallment("2027-01-31", "EUR"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("DATE=AMOUNT")));
  EXPECT_THAT(ParseInstallment("2027-01-31=1.5", "JPY"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("whole number")));

  ASSERT_OK_AND_ASSIGN(Restriction purpose, ParseRestriction("purpose:school meals: 2027"));
  EXPECT_EQ(purpose.kind, "purpose");
  EXPECT_EQ(purpose.text, "school meals: 2027");
  ASSERT_OK_AND_ASSIGN(Restriction time, ParseRestriction("time:2027-01-31"));
  EXPECT_EQ(time.kind, "time");
  EXPECT_EQ(time.until_ms, 1'801'353'600'000u);
  ASSERT_OK_AND_ASSIGN(Restriction perpetual, ParseRestriction("perpetual"));
  EXPECT_EQ(perpetual.kind, "perpetual");
  EXPECT_THAT(ParseRestriction("purpose"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseRestriction("forever:x"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("purpose:TEXT")));
}

// --- Connection precedence and the config file --------------------------------------------

Config TwoContexts() {
  Config config;
  config.current = "local";
  config.contexts["local"].endpoint = "127.0.0.1:7400";
  config.contexts["local"].token = "local-token";
  Context& prod = config.contexts["prod"];
  prod.endpoint = "prod.example.org:7400";
  prod.token = "prod-token";
  prod.ca_file = "/etc/prod/ca.pem";
  prod.cert_file = "/etc/prod/client.pem";
  prod.key_file = "/etc/prod/client.key";
  return config;
}

TEST(CliConfigTest, ConfigContextIsTheFallback) {
  ASSERT_OK_AND_ASSIGN(Connection connection,
                       ResolveConnection(GlobalFlags{}, MapEnv({}), TwoContexts()));
  EXPECT_EQ(connection.context, "local");
  EXPECT_EQ(connection.endpoint, "127.0.0.1:7400");
  EXPECT_EQ(connection.token, "local-token");
  EXPECT_EQ(connection.endpoint_source, "context");
}

TEST(CliConfigTest, EnvBeatsConfig) {
  ASSERT_OK_AND_ASSIGN(
      Connection by_context,
      ResolveConnection(GlobalFlags{}, MapEnv({{"CONSTELLATION_CONTEXT", "prod"}}), TwoContexts()));
  EXPECT_EQ(by_context.endpoint, "prod.example.org:7400");
  EXPECT_EQ(by_context.token, "prod-token");
  EXPECT_EQ(by_context.context_source, "env");

  ASSERT_OK_AND_ASSIGN(Connection by_values,
                       ResolveConnection(GlobalFlags{},
                                         MapEnv({{"CONSTELLATION_ENDPOINT", "env:1"},
                                                 {"CONSTELLATION_TOKEN", "env-token"}}),
                                         TwoContexts()));
  EXPECT_EQ(by_values.endpoint, "env:1");
  EXPECT_EQ(by_values.token, "env-token");
  EXPECT_EQ(by_values.token_source, "env");
}

TEST(CliConfigTest, FlagBeatsEnvAndConfig) {
  GlobalFlags flags;
  flags.endpoint = "flag:1";
  flags.token = "flag-token";
  flags.context = "prod";
  const EnvLookup env = MapEnv({{"CONSTELLATION_ENDPOINT", "env:1"},
                                {"CONSTELLATION_TOKEN", "env-token"},
                                {"CONSTELLATION_CONTEXT", "local"}});
  ASSERT_OK_AND_ASSIGN(Connection connection, ResolveConnection(flags, env, TwoContexts()));
  EXPECT_EQ(connection.endpoint, "flag:1");
  EXPECT_EQ(connection.token, "flag-token");
  EXPECT_EQ(connection.context, "prod");
  EXPECT_EQ(connection.endpoint_source, "flag");

  // --context alone selects that context's values over $CONSTELLATION_CONTEXT.
  GlobalFlags context_only;
  context_only.context = "prod";
  ASSERT_OK_AND_ASSIGN(
      Connection selected,
      ResolveConnection(context_only, MapEnv({{"CONSTELLATION_CONTEXT", "local"}}), TwoContexts()));
  EXPECT_EQ(selected.endpoint, "prod.example.org:7400");
}

TEST(CliConfigTest, ClientCertificateFollowsThePrecedence) {
  // The context's files...
  GlobalFlags prod;
  prod.context = "prod";
  ASSERT_OK_AND_ASSIGN(Connection from_context, ResolveConnection(prod, MapEnv({}), TwoContexts()));
  EXPECT_EQ(from_context.cert_file, "/etc/prod/client.pem");
  EXPECT_EQ(from_context.key_file, "/etc/prod/client.key");
  EXPECT_EQ(from_context.cert_file_source, "context");
  EXPECT_OK(ValidateTls(from_context));

  // ...lose to the environment, which loses to the flags.
  const EnvLookup env =
      MapEnv({{"CONSTELLATION_CERT_FILE", "/env/c.pem"}, {"CONSTELLATION_KEY_FILE", "/env/c.key"}});
  ASSERT_OK_AND_ASSIGN(Connection from_env, ResolveConnection(prod, env, TwoContexts()));
  EXPECT_EQ(from_env.cert_file, "/env/c.pem");
  EXPECT_EQ(from_env.key_file, "/env/c.key");
  EXPECT_EQ(from_env.key_file_source, "env");
  prod.cert_file = "/flag/c.pem";
  ASSERT_OK_AND_ASSIGN(Connection from_flag, ResolveConnection(prod, env, TwoContexts()));
  EXPECT_EQ(from_flag.cert_file, "/flag/c.pem");
  EXPECT_EQ(from_flag.cert_file_source, "flag");
  EXPECT_EQ(from_flag.key_file, "/env/c.key");

  // The local context has none: plaintext, no certificate.
  ASSERT_OK_AND_ASSIGN(Connection local,
                       ResolveConnection(GlobalFlags{}, MapEnv({}), TwoContexts()));
  EXPECT_EQ(local.cert_file, "");
  EXPECT_EQ(local.cert_file_source, "none");
  EXPECT_OK(ValidateTls(local));
}

TEST(CliConfigTest, ClientCertificateNeedsItsKeyAndACaFile) {
  Connection connection;
  connection.cert_file = "/c.pem";
  connection.cert_file_source = "flag";
  EXPECT_THAT(ValidateTls(connection),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("--cert-file is set (from flag) but --key-file is not")));
  connection.cert_file = "";
  connection.key_file = "/c.key";
  connection.key_file_source = "env";
  EXPECT_THAT(ValidateTls(connection),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("--key-file is set (from env) but --cert-file is not")));
  connection.cert_file = "/c.pem";
  EXPECT_THAT(ValidateTls(connection),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("give --ca-file")));
  connection.ca_file = "/ca.pem";
  EXPECT_OK(ValidateTls(connection));
}

TEST(CliConfigTest, DefaultsWithoutAnything) {
  ASSERT_OK_AND_ASSIGN(Connection connection,
                       ResolveConnection(GlobalFlags{}, MapEnv({}), Config{}));
  EXPECT_EQ(connection.endpoint, "127.0.0.1:7400");
  EXPECT_EQ(connection.token, "");
  EXPECT_EQ(connection.context, "");
  EXPECT_EQ(connection.endpoint_source, "default");
}

TEST(CliConfigTest, UnknownContextIsNotFound) {
  GlobalFlags flags;
  flags.context = "staging";
  EXPECT_THAT(ResolveConnection(flags, MapEnv({}), TwoContexts()),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("context 'staging'")));
}

TEST(CliConfigTest, ConfigPathFollowsTheEnvironment) {
  ASSERT_OK_AND_ASSIGN(std::string explicit_path,
                       ConfigPath(MapEnv({{"CONSTELLATION_CONFIG", "/x/c.toml"},
                                          {"XDG_CONFIG_HOME", "/xdg"},
                                          {"HOME", "/home/u"}})));
  EXPECT_EQ(explicit_path, "/x/c.toml");
  ASSERT_OK_AND_ASSIGN(std::string xdg,
                       ConfigPath(MapEnv({{"XDG_CONFIG_HOME", "/xdg"}, {"HOME", "/home/u"}})));
  EXPECT_EQ(xdg, "/xdg/constellation/config.toml");
  ASSERT_OK_AND_ASSIGN(std::string home, ConfigPath(MapEnv({{"HOME", "/home/u"}})));
  EXPECT_EQ(home, "/home/u/.config/constellation/config.toml");
  EXPECT_THAT(ConfigPath(MapEnv({})), StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST(CliConfigTest, ParsesTheDocumentedFormat) {
  ASSERT_OK_AND_ASSIGN(Config config, ParseConfig(R"(current = "local"
[contexts.local]
endpoint = "127.0.0.1:7400"
token = "abc"
[contexts."with space"]
endpoint = "x:1"
)",
                                                  "test.toml"));
  EXPECT_EQ(config.current, "local");
  EXPECT_EQ(config.contexts["local"].endpoint, "127.0.0.1:7400");
  EXPECT_EQ(config.contexts["local"].token, "abc");
  EXPECT_EQ(config.contexts["with space"].endpoint, "x:1");

  EXPECT_THAT(ParseConfig("current = \n", "bad.toml"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("bad.toml line 1")));
  EXPECT_THAT(ParseConfig("[contexts.a]\nendpoint = 7\n", "typed.toml"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("must be a string")));
}

TEST(CliConfigTest, SaveWritesMode0600AndLoadsBack) {
  TempDir dir;
  const std::string path = dir.Sub("nested/dir/config.toml");
  ASSERT_OK(SaveConfig(path, TwoContexts()));
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  ASSERT_OK_AND_ASSIGN(Config loaded, LoadConfig(path));
  EXPECT_EQ(loaded.current, "local");
  EXPECT_EQ(loaded.contexts["prod"].endpoint, "prod.example.org:7400");
  EXPECT_EQ(loaded.contexts["prod"].token, "prod-token");
  EXPECT_EQ(loaded.contexts["prod"].ca_file, "/etc/prod/ca.pem");
  EXPECT_EQ(loaded.contexts["prod"].cert_file, "/etc/prod/client.pem");
  EXPECT_EQ(loaded.contexts["prod"].key_file, "/etc/prod/client.key");
  EXPECT_EQ(loaded.contexts["local"].cert_file, "");

  ASSERT_OK_AND_ASSIGN(Config missing, LoadConfig(dir.Sub("absent.toml")));
  EXPECT_TRUE(missing.contexts.empty());
}

TEST(CliConfigTest, ContextCommandsEditTheFile) {
  TempDir dir;
  const std::string path = dir.Sub("config.toml");
  const EnvLookup env = MapEnv({{"CONSTELLATION_CONFIG", path}});

  CliRun set = RunCommand(
      {"context", "set", "local", "--endpoint", "127.0.0.1:7400", "--token", "s3cr3t-t0ken"}, env);
  ASSERT_EQ(set.exit_code, 0) << set.err;
  EXPECT_THAT(set.err, HasSubstr("now the current context"));
  ASSERT_EQ(RunCommand({"context", "set", "prod", "--endpoint", "prod:7400"}, env).exit_code, 0);

  ASSERT_OK_AND_ASSIGN(Config config, LoadConfig(path));
  EXPECT_EQ(config.current, "local");
  EXPECT_EQ(config.contexts["local"].token, "s3cr3t-t0ken");
  EXPECT_EQ(config.contexts["prod"].endpoint, "prod:7400");

  CliRun use = RunCommand({"context", "use", "prod"}, env);
  ASSERT_EQ(use.exit_code, 0) << use.err;
  CliRun show = RunCommand({"context", "show", "-o", "json"}, env);
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_THAT(show.out, HasSubstr("\"endpoint\": \"prod:7400\""));
  EXPECT_THAT(show.out, Not(HasSubstr("s3cr3t")));  // tokens are never printed

  CliRun list = RunCommand({"context", "list"}, env);
  EXPECT_THAT(list.out, HasSubstr("*        prod"));

  EXPECT_EQ(RunCommand({"context", "use", "nowhere"}, env).exit_code, ToInt(ExitCode::kNotFound));
  EXPECT_EQ(RunCommand({"context", "set", "new"}, env).exit_code,
            ToInt(ExitCode::kInvalidArgument));
  EXPECT_EQ(RunCommand({"context", "set", "bad name!", "--endpoint", "x:1"}, env).exit_code,
            ToInt(ExitCode::kInvalidArgument));
  EXPECT_EQ(RunCommand({"--context", "nowhere", "group", "list"}, env).exit_code,
            ToInt(ExitCode::kNotFound));
}

}  // namespace
}  // namespace constellation::cli
