// tests/unit/cli_governance_test.cc: the CLI's governance, membership and peer verbs without a
// node: parsing (`proposal admit|expel|create|list|show|vote|close|waiting`, `member
// list|notice|leave`, `group join`, `peer list|sync`, `org card --out`), value errors that exit
// before any connection, the hints after errors, time values, and how proposals, members,
// peers and the waiting view render (outcomes stay "provisional" until final).
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <absl/strings/str_split.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli/args.h"
#include "cli/commands.h"
#include "cli/exit_code.h"
#include "cli/governance/render.h"
#include "cli/group/render.h"
#include "cli/node/render.h"
#include "cli/values.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace constellation::cli {
namespace {

using ::constellation::testing::StatusIs;
using ::constellation::testing::TempDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

const std::string kGroup(64, 'a');
const std::string kProposal(64, 'b');
const std::string kKey(64, 'c');
const std::string kPartner(64, 'd');

absl::StatusOr<Invocation> Parse(const std::vector<std::string>& args) {
  return ParseArgs(args, AllCommandSpecs());
}

struct CliRun {
  int exit_code;
  std::string out;
  std::string err;
};

// Runs the CLI against 127.0.0.1:1 (nothing listens): a command that gets as far as the node
// exits 10, so any other exit code proves the error came before connecting.
CliRun RunCommand(const std::vector<std::string>& args, const TempDir& dir) {
  const std::map<std::string, std::string> values = {
      {"CONSTELLATION_CONFIG", dir.Sub("config.toml")}, {"CONSTELLATION_ENDPOINT", "127.0.0.1:1"}};
  const EnvLookup env = [values](const std::string& name) -> std::optional<std::string> {
    auto it = values.find(name);
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
  std::vector<std::string> with_timeout = args;
  with_timeout.insert(with_timeout.end(), {"--timeout", "3s"});
  std::ostringstream out;
  std::ostringstream err;
  const int code = RunCli(with_timeout, env, out, err);
  return {code, out.str(), err.str()};
}

std::string WriteFile(const TempDir& dir, const std::string& name, const std::string& text) {
  const std::string path = dir.Sub(name);
  std::ofstream(path) << text;
  return path;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines = absl::StrSplit(text, '\n');
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

// --- Parsing -----------------------------------------------------------------------------

TEST(CliGovernanceTest, ParsesTheNewVerbs) {
  ASSERT_OK_AND_ASSIGN(
      Invocation admit,
      Parse({"proposal", "admit", "--group", kGroup, "--card", "river.card.json", "--role",
             "affiliate", "--segment", "funder", "--weight", "2", "--title", "Admit River",
             "--deadline", "+72h", "--request-id", "adm-1"}));
  ASSERT_NE(admit.command, nullptr);
  EXPECT_TRUE(admit.command->write);
  EXPECT_EQ(admit.Get("card"), "river.card.json");
  EXPECT_EQ(admit.Get("role"), "affiliate");
  EXPECT_EQ(admit.Get("weight"), "2");
  EXPECT_EQ(admit.Get("request-id"), "adm-1");

  ASSERT_OK_AND_ASSIGN(Invocation vote,
                       Parse({"proposal", "vote", "--group", kGroup, "--proposal", kProposal,
                              "--stance", "block", "--reason", "not yet"}));
  EXPECT_EQ(vote.Get("stance"), "block");
  EXPECT_EQ(vote.Get("proposal"), kProposal);

  ASSERT_OK_AND_ASSIGN(Invocation list, Parse({"proposal", "list", "--group", kGroup, "--open"}));
  EXPECT_TRUE(list.Has("open"));
  ASSERT_OK_AND_ASSIGN(Invocation waiting, Parse({"proposal", "waiting"}));
  EXPECT_FALSE(waiting.Has("group"));
  EXPECT_FALSE(waiting.command->write);

  ASSERT_OK_AND_ASSIGN(Invocation join,
                       Parse({"group", "join", "--group", kGroup, "--from", "10.0.0.7:7400",
                              "--advertise", "a:1", "--advertise", "b:2"}));
  EXPECT_TRUE(join.command->write);
  EXPECT_THAT(join.GetAll("advertise"), ElementsAre("a:1", "b:2"));

  ASSERT_OK_AND_ASSIGN(Invocation sync, Parse({"peer", "sync", "--group", kGroup}));
  EXPECT_FALSE(sync.Has("from"));
  ASSERT_OK_AND_ASSIGN(Invocation sync_from,
                       Parse({"peer", "sync", "--from", "10.0.0.7:7400", "--group", kGroup}));
  EXPECT_EQ(sync_from.Get("from"), "10.0.0.7:7400");
  ASSERT_OK(Parse({"peer", "list"}));
  ASSERT_OK(Parse({"peer", "list", "--group", kGroup}));
  ASSERT_OK(Parse({"org", "card", "--out", "card.json"}));
  ASSERT_OK(Parse({"member", "list", "--group", kGroup}));
  ASSERT_OK_AND_ASSIGN(Invocation notice,
                       Parse({"member", "notice", "--group", kGroup, "--effective", "2027-06-30"}));
  EXPECT_TRUE(notice.command->write);
  ASSERT_OK(Parse({"member", "leave", "--group", kGroup}));
  ASSERT_OK(Parse({"proposal", "expel", "--group", kGroup, "--member", kKey, "--reason", "r"}));
  ASSERT_OK(Parse({"proposal", "create", "--group", kGroup, "--type", "dissolve", "--title",
                   "Wind down", "--plan", "pro rata"}));
  ASSERT_OK(Parse({"proposal", "close", "--group", kGroup, "--proposal", kProposal}));
  ASSERT_OK(Parse({"proposal", "show", "--group", kGroup, "--proposal", kProposal}));
}

TEST(CliGovernanceTest, MissingRequiredFlagsAreUsageErrors) {
  EXPECT_THAT(Parse({"proposal", "admit", "--group", kGroup}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--card")));
  EXPECT_THAT(Parse({"proposal", "vote", "--group", kGroup, "--proposal", kProposal}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--stance")));
  EXPECT_THAT(Parse({"proposal", "expel", "--group", kGroup, "--member", kKey}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--reason")));
  EXPECT_THAT(Parse({"proposal", "show", "--group", kGroup}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--proposal")));
  EXPECT_THAT(Parse({"group", "join", "--group", kGroup}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--from")));
  EXPECT_THAT(Parse({"member", "list"}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--group")));
  EXPECT_THAT(Parse({"peer", "sync"}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--group")));
  EXPECT_THAT(Parse({"proposal", "list", "--group", kGroup, "--request-id", "x"}),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(CliGovernanceTest, HelpListsTheNewCommands) {
  TempDir dir;
  CliRun top = RunCommand({"--help"}, dir);
  EXPECT_EQ(top.exit_code, 0);
  for (const char* command :
       {"proposal admit", "proposal expel", "proposal create", "proposal list", "proposal show",
        "proposal vote", "proposal close", "proposal waiting", "member list", "member notice",
        "member leave", "group join", "peer list", "peer sync", "org card"}) {
    EXPECT_THAT(top.out, HasSubstr(command));
  }
  CliRun sync = RunCommand({"peer", "sync", "--help"}, dir);
  EXPECT_THAT(sync.out, HasSubstr("every member"));
  EXPECT_THAT(sync.out, Not(HasSubstr("--from HOST:PORT [flags]")));  // --from is optional
  CliRun admit = RunCommand({"proposal", "admit", "--help"}, dir);
  EXPECT_THAT(admit.out, HasSubstr("--card FILE"));
  EXPECT_THAT(admit.out, HasSubstr("--request-id"));
}

// --- Errors before any connection ------------------------------------------------------------

TEST(CliGovernanceTest, BadValuesExitBeforeAnyConnection) {
  TempDir dir;
  const std::string good_card =
      WriteFile(dir, "good.card.json", "{\"key\": \"" + kKey + "\", \"name\": \"River\"}");
  const std::vector<std::string> admit = {"proposal", "admit", "--group", kGroup, "--card"};
  const auto with = [](std::vector<std::string> base, const std::vector<std::string>& extra) {
    base.insert(base.end(), extra.begin(), extra.end());
    return base;
  };

  CliRun missing = RunCommand(with(admit, {dir.Sub("nope.json")}), dir);
  EXPECT_EQ(missing.exit_code, ToInt(ExitCode::kNotFound));
  EXPECT_THAT(missing.err, HasSubstr("does not exist"));
  EXPECT_THAT(missing.err, HasSubstr("constellation org card --out FILE"));
  EXPECT_TRUE(missing.out.empty());

  CliRun bad_json = RunCommand(with(admit, {WriteFile(dir, "bad.json", "{\"key\": ")}), dir);
  EXPECT_EQ(bad_json.exit_code, ToInt(ExitCode::kInvalidArgument));
  EXPECT_THAT(bad_json.err, HasSubstr("bad.json': org card is not valid JSON"));

  CliRun no_key = RunCommand(with(admit, {WriteFile(dir, "nokey.json", "{\"name\": \"x\"}")}), dir);
  EXPECT_EQ(no_key.exit_code, ToInt(ExitCode::kInvalidArgument));
  EXPECT_THAT(no_key.err, HasSubstr("no \"key\""));

  CliRun role = RunCommand(with(admit, {good_card, "--role", "king"}), dir);
  EXPECT_EQ(role.exit_code, ToInt(ExitCode::kInvalidArgument));
  EXPECT_THAT(role.err,
              HasSubstr("--role 'king' is not one of: lead, partner, affiliate, coordinator"));

  CliRun segment = RunCommand(with(admit, {good_card, "--segment", "donor"}), dir);
  EXPECT_EQ(segment.exit_code, ToInt(ExitCode::kInvalidArgument));

  CliRun weight = RunCommand(with(admit, {good_card, "--weight", "0"}), dir);
  EXPECT_EQ(weight.exit_code, ToInt(ExitCode::kInvalidArgument));
  EXPECT_THAT(weight.err, HasSubstr("--weight '0' must be a whole number >= 1"));

  CliRun deadline = RunCommand(with(admit, {good_card, "--deadline", "soon"}), dir);
  EXPECT_EQ(deadline.exit_code, ToInt(ExitCode::kInvalidArgument));
  EXPECT_THAT(deadline.err, HasSubstr("--deadline 'soon' is not a time"));

  const std::vector<std::string> vote = {"proposal",   "vote",    "--group", kGroup,
                                         "--proposal", kProposal, "--stance"};
  CliRun block = RunCommand(with(vote, {"block"}), dir);
  EXPECT_EQ(block.exit_code, ToInt(ExitCode::kInvalidArgument));
  EXPECT_THAT(block.err, HasSubstr("--stance block needs --reason"));
  CliRun maybe = RunCommand(with(vote, {"maybe"}), dir);
  EXPECT_EQ(maybe.exit_code, ToInt(ExitCode::kInvalidArgument));
  EXPECT_THAT(maybe.err, HasSubstr("agree, abstain, disagree, block"));
  CliRun bad_proposal = RunCommand(
      {"proposal", "vote", "--group", kGroup, "--proposal", "xyz", "--stance", "agree"}, dir);
  EXPECT_EQ(bad_proposal.exit_code, ToInt(ExitCode::kInvalidArgument));
  EXPECT_THAT(bad_proposal.err, HasSubstr("proposal_id must be 64 hex characters"));

  const std::vector<std::string> create = {"proposal", "create", "--group", kGroup,
                                           "--title",  "T",      "--type"};
  CliRun admit_type = RunCommand(with(create, {"admit"}), dir);
  EXPECT_EQ(admit_type.exit_code, ToInt(ExitCode::kInvalidArgument));
  EXPECT_THAT(admit_type.err, HasSubstr("use 'constellation proposal admit'"));
  CliRun plan = RunCommand(with(create, {"adopt_strategy", "--plan", "p"}), dir);
  EXPECT_EQ(plan.exit_code, ToInt(ExitCode::kInvalidArgument));
  EXPECT_THAT(plan.err, HasSubstr("--plan goes with --type dissolve only"));
  CliRun amend = RunCommand(with(create, {"amend_charter"}), dir);
  EXPECT_EQ(amend.exit_code, ToInt(ExitCode::kInvalidArgument));
  EXPECT_THAT(amend.err, HasSubstr("use 'constellation proposal amend-charter'"));
  CliRun type = RunCommand(with(create, {"coronation"}), dir);
  EXPECT_EQ(type.exit_code, ToInt(ExitCode::kInvalidArgument));

  CliRun effective =
      RunCommand({"member", "notice", "--group", kGroup, "--effective", "2027-02-30"}, dir);
  EXPECT_EQ(effective.exit_code, ToInt(ExitCode::kInvalidArgument));
  EXPECT_THAT(effective.err, HasSubstr("not a calendar date"));

  CliRun empty_from = RunCommand({"peer", "sync", "--group", kGroup, "--from="}, dir);
  EXPECT_EQ(empty_from.exit_code, ToInt(ExitCode::kInvalidArgument));
  EXPECT_THAT(empty_from.err, HasSubstr("leave --from out to sync with every member"));

  CliRun bad_peer_group = RunCommand({"peer", "list", "--group", "abc"}, dir);
  EXPECT_EQ(bad_peer_group.exit_code, ToInt(ExitCode::kInvalidArgument));
}

TEST(CliGovernanceTest, UnreachableNodeHintsNameTheRequestId) {
  TempDir dir;
  CliRun vote = RunCommand({"proposal", "vote", "--group", kGroup, "--proposal", kProposal,
                            "--stance", "agree", "--request-id", "vote-7"},
                           dir);
  EXPECT_EQ(vote.exit_code, ToInt(ExitCode::kUnavailable));
  EXPECT_THAT(vote.err, HasSubstr("--request-id vote-7"));

  CliRun join = RunCommand(
      {"group", "join", "--group", kGroup, "--from", "10.0.0.7:7400", "--request-id", "join-7"},
      dir);
  EXPECT_EQ(join.exit_code, ToInt(ExitCode::kUnavailable));
  EXPECT_THAT(join.err, HasSubstr("hint: the peer 10.0.0.7:7400 (or this node) cannot be reached"));
  EXPECT_THAT(join.err, HasSubstr("--request-id join-7"));

  CliRun sync = RunCommand({"peer", "sync", "--group", kGroup, "--from", "10.0.0.7:7400"}, dir);
  EXPECT_EQ(sync.exit_code, ToInt(ExitCode::kUnavailable));
  EXPECT_THAT(sync.err, HasSubstr("hint: the peer 10.0.0.7:7400 (or this node) cannot be"));

  CliRun card = RunCommand({"org", "card", "--out", dir.Sub("card.json")}, dir);
  EXPECT_EQ(card.exit_code, ToInt(ExitCode::kUnavailable));
  EXPECT_FALSE(std::ifstream(dir.Sub("card.json")).good());
}

// --- Values ------------------------------------------------------------------------------

TEST(CliGovernanceTest, ParsesInstants) {
  const absl::Time now = absl::FromUnixMillis(1'800'000'000'000);
  ASSERT_OK_AND_ASSIGN(uint64_t ms, ParseInstantMs("1798761600000", "deadline", now));
  EXPECT_EQ(ms, 1'798'761'600'000u);
  ASSERT_OK_AND_ASSIGN(uint64_t hours, ParseInstantMs("+72h", "deadline", now));
  EXPECT_EQ(hours, 1'800'000'000'000u + 72u * 3'600'000u);
  ASSERT_OK_AND_ASSIGN(uint64_t days, ParseInstantMs("+7d", "deadline", now));
  EXPECT_EQ(days, 1'800'000'000'000u + 7u * 86'400'000u);
  ASSERT_OK_AND_ASSIGN(uint64_t minutes, ParseInstantMs("+1h30m", "deadline", now));
  EXPECT_EQ(minutes, 1'800'000'000'000u + 90u * 60'000u);
  ASSERT_OK_AND_ASSIGN(uint64_t date, ParseInstantMs("2027-01-31", "deadline", now));
  EXPECT_EQ(FormatTimeMs(date), "2027-01-31");
  ASSERT_OK_AND_ASSIGN(uint64_t instant, ParseInstantMs("2026-11-20T10:00:00Z", "deadline", now));
  EXPECT_EQ(FormatTimeMs(instant), "2026-11-20T10:00:00Z");

  EXPECT_THAT(ParseInstantMs("+0h", "deadline", now),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("positive duration")));
  EXPECT_THAT(ParseInstantMs("+soon", "deadline", now),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("+72h")));
  EXPECT_THAT(ParseInstantMs("0", "deadline", now), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseInstantMs("99999999999999999999999", "effective", now),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--effective")));
  EXPECT_THAT(ParseInstantMs("next week", "deadline", now),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("RFC 3339")));
}

// --- Rendering ---------------------------------------------------------------------------

Proposal Admission() {
  Proposal proposal;
  proposal.proposal_id = kProposal;
  proposal.group_id = kGroup;
  proposal.proposer = kPartner;
  proposal.spec.decision_type = "admit";
  proposal.spec.title = "Admit River Trust";
  proposal.spec.admit =
      AdmitPayload{OrgCard{kKey, "River Trust", {"10.0.0.9:7400"}}, "partner", "strategic", 0};
  proposal.rule.process = "consent";
  proposal.rule_from_charter = true;
  proposal.deadline_ms = 1'798'761'600'000;  // 2027-01-01
  proposal.outcome = "open";
  proposal.electorate = {
      Voter{kPartner, "Partner Org", 1, true, "agree", "", Hlc{1'700'000'000'000, 0}},
      Voter{kGroup, "Founder Org", 2, true, "", "", Hlc{}}};
  proposal.missing_stances = {kGroup};
  proposal.tally.eligible_count = 2;
  proposal.tally.stance_count = 1;
  proposal.tally.eligible_weight = 3;
  proposal.tally.agree_weight = 1;
  return proposal;
}

TEST(CliGovernanceTest, OutcomesAreProvisionalUntilFinal) {
  Proposal proposal = Admission();
  EXPECT_EQ(OutcomeText(proposal), "open");
  proposal.past_deadline = true;
  proposal.outcome = "rejected";
  EXPECT_EQ(OutcomeText(proposal), "rejected (provisional: past deadline)");
  proposal.past_deadline = false;
  proposal.closed = true;
  proposal.outcome = "passed";
  EXPECT_EQ(OutcomeText(proposal), "passed (provisional)");
  const Json provisional = ToJson(proposal);
  EXPECT_EQ(provisional["outcome"], "passed");
  EXPECT_EQ(provisional["outcome_text"], "passed (provisional)");
  EXPECT_EQ(provisional["provisional"], true);
  proposal.final = true;
  EXPECT_EQ(OutcomeText(proposal), "passed (final)");
  EXPECT_EQ(ToJson(proposal)["provisional"], false);
}

TEST(CliGovernanceTest, ProposalJsonTablesAndDetails) {
  const Proposal proposal = Admission();
  const Json json = ToJson(proposal);
  EXPECT_EQ(json["proposal_id"], kProposal);
  EXPECT_EQ(json["decision_type"], "admit");
  EXPECT_EQ(json["deadline"], "2027-01-01");
  EXPECT_EQ(json["deadline_ms"], 1'798'761'600'000u);
  EXPECT_EQ(json["admit"]["card"]["name"], "River Trust");
  EXPECT_EQ(json["expel"], nullptr);
  EXPECT_EQ(json["rule"]["from_charter"], true);
  EXPECT_EQ(json["tally"]["stance_count"], 1);
  ASSERT_EQ(json["electorate"].size(), 2u);
  EXPECT_EQ(json["electorate"][0]["stance"], "agree");
  EXPECT_EQ(json["missing_stances"][0], kGroup);
  // Valid JSON that parses back.
  EXPECT_EQ(nlohmann::json::parse(DumpJson(json))["title"], "Admit River Trust");

  const Table electorate = ElectorateTable(proposal);
  ASSERT_EQ(electorate.rows.size(), 2u);
  EXPECT_EQ(electorate.rows[0][4], "agree");
  EXPECT_EQ(electorate.rows[1][4], "(none yet)");
  EXPECT_EQ(Lines(RenderCsv(electorate))[0], "key,name,weight,decides,stance,reason,time");

  EXPECT_EQ(Lines(RenderCsv(ProposalsTable({proposal})))[0],
            "proposal_id,type,title,proposer,outcome,stances,deadline");
  EXPECT_EQ(ProposalsTable({proposal}).rows[0][5], "1/2");

  const KeyValues details = ProposalDetails(proposal);
  const auto value = [&details](const std::string& key) {
    for (const auto& [k, v] : details) {
      if (k == key) return v;
    }
    return std::string("(absent)");
  };
  EXPECT_EQ(value("admit"), "River Trust (" + kKey + ")");
  EXPECT_EQ(value("outcome"), "open");
  EXPECT_EQ(value("waiting_on"), "Founder Org");
  EXPECT_EQ(value("rule"), "consent (charter)");
}

TEST(CliGovernanceTest, WaitingViewSaysWhoEachProposalWaitsFor) {
  WaitingOnResult waiting;
  Proposal mine = Admission();
  mine.spec.title = "Mine to vote";
  waiting.needs_my_stance.push_back(mine);
  waiting.waiting_on_others.push_back(Admission());
  Proposal closed = Admission();
  closed.closed = true;
  closed.outcome = "passed";
  closed.missing_stances.clear();
  waiting.waiting_on_others.push_back(closed);

  const Table table = WaitingTable(waiting);
  ASSERT_EQ(table.rows.size(), 3u);
  EXPECT_EQ(table.rows[0][3], "Mine to vote");
  EXPECT_EQ(table.rows[0][4], "you");
  EXPECT_EQ(table.rows[1][4], "Founder Org");
  EXPECT_EQ(table.rows[2][4], "acknowledgements");
  EXPECT_EQ(table.rows[2][5], "passed (provisional)");
  EXPECT_EQ(Lines(RenderCsv(table))[0], "group,proposal_id,type,title,waiting_on,outcome,deadline");

  const Json json = ToJson(waiting);
  EXPECT_EQ(json["needs_my_stance"][0]["waiting_on"][0], "you");
  EXPECT_EQ(json["waiting_on_others"][0]["waiting_on"][0], "Founder Org");
  EXPECT_TRUE(json["waiting_on_others"][1]["waiting_on"].empty());
}

TEST(CliGovernanceTest, MembersShowNoticeAndFrozen) {
  Member member;
  member.key = kKey;
  member.profile.name = "River Trust";
  member.status = "notice_given";
  member.notice_effective_ms = 1'798'761'600'000;
  member.frozen = true;
  const Json json = ToJson(member);
  EXPECT_EQ(json["notice_effective"], "2027-01-01");
  EXPECT_EQ(json["notice_effective_ms"], 1'798'761'600'000u);
  EXPECT_EQ(json["frozen"], true);
  // A node older than frozen_from_seq sends 0: the seq is left out.
  EXPECT_EQ(MemberStatusText(member),
            "notice_given (effective 2027-01-01), frozen (forked its chain)");
  member.frozen_from_seq = 7;
  EXPECT_EQ(MemberStatusText(member),
            "notice_given (effective 2027-01-01), frozen from seq 7 (forked its chain)");
  EXPECT_EQ(ToJson(member)["frozen_from_seq"], 7u);
  const Table table = MembersTable({member});
  EXPECT_EQ(Lines(RenderCsv(table))[0],
            "key,name,role,segment,status,weight,notice_effective,frozen");
  EXPECT_THAT(table.rows[0],
              ElementsAre(kKey, "River Trust", "", "", "notice_given", "1", "2027-01-01", "yes"));
}

TEST(CliGovernanceTest, PeersAndSyncRounds) {
  PeerStatus peer;
  peer.org = kKey;
  peer.name = "River Trust";
  peer.endpoint = "10.0.0.9:7400";
  peer.status = "failing";
  peer.consecutive_failures = 3;
  peer.last_error = "connection refused";
  peer.events_sent = 4;
  peer.events_pushed_received = 6;
  const Table table = PeersTable({peer});
  EXPECT_EQ(Lines(RenderCsv(table))[0],
            "org,name,endpoint,status,last_success,failures,next_attempt,sent,received,"
            "pushed_in,last_error");
  EXPECT_EQ(table.rows[0][3], "failing");
  EXPECT_EQ(table.rows[0][9], "6");
  EXPECT_EQ(table.rows[0][10], "connection refused");

  SyncResult result;
  result.received = 2;
  result.sent = 5;
  result.peers = {peer};
  const Json json = ToJson(result);
  EXPECT_EQ(json["sent"], 5);
  EXPECT_EQ(json["peers"][0]["status"], "failing");
  EXPECT_EQ(json["peers"][0]["last_success"], nullptr);
  EXPECT_EQ(json["peers"][0]["events_pushed_received"], 6);
}

TEST(CliGovernanceTest, OrgCardJsonIsTheSameFromTheCliAndTheSdk) {
  const OrgCard card{kKey, "Société \"R\"", {"a:1", "b:2"}};
  EXPECT_EQ(DumpJson(ToJson(card)), OrgCardToJson(card));
  EXPECT_EQ(DumpJson(ToJson(OrgCard{kKey, "", {}})), OrgCardToJson(OrgCard{kKey, "", {}}));
}

}  // namespace
}  // namespace constellation::cli
