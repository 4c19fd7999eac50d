// cli/commands_governance.cc: proposal and member commands (DESIGN §1, §3): propose admitting
// an org from its card or expelling a member, vote, close, list, show, the "waiting on" view,
// and a member's own notice and withdrawal.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <absl/strings/numbers.h>
#include <absl/strings/str_format.h>
#include <absl/strings/str_join.h>
#include <absl/time/clock.h>

#include "cli/commands.h"
#include "cli/values.h"

namespace constellation::cli {
namespace {

const std::vector<std::string> kRoles = {"lead", "partner", "affiliate", "coordinator", "observer"};
const std::vector<std::string> kSegments = {"strategic", "funder", "advisor", "contractor"};
const std::vector<std::string> kStances = {"agree", "abstain", "disagree", "block"};
// Decision types `proposal create` accepts: those without a required payload.
const std::vector<std::string> kPlainTypes = {"adopt_strategy", "allocate_funds", "open_campaign",
                                              "amend_charter",  "write_off",      "dissolve"};

bool OneOf(const std::string& value, const std::vector<std::string>& accepted) {
  return std::find(accepted.begin(), accepted.end(), value) != accepted.end();
}

absl::Status CheckOneOf(const std::string& flag, const std::string& value,
                        const std::vector<std::string>& accepted) {
  if (OneOf(value, accepted)) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrFormat("--%s '%s' is not one of: %s", flag, value, absl::StrJoin(accepted, ", ")));
}

// Reads an org card file written by `constellation org card --out FILE`.
absl::StatusOr<OrgCard> ReadCardFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    const std::string reason = std::strerror(errno);
    if (errno == ENOENT) {
      return absl::NotFoundError(
          absl::StrFormat("--card '%s' does not exist: export the card on the invitee's node with "
                          "'constellation org card --out FILE' and pass that file",
                          path));
    }
    return absl::InvalidArgumentError(
        absl::StrFormat("--card '%s' cannot be read: %s", path, reason));
  }
  std::string text(kOrgCardJsonSizeBytesMax + 1, '\0');
  file.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(file.gcount()));
  absl::StatusOr<OrgCard> card = OrgCardFromJson(text);
  if (!card.ok()) {
    return absl::InvalidArgumentError(
        absl::StrFormat("--card '%s': %s", path, std::string(card.status().message())));
  }
  return card;
}

// The fields every proposal command shares: --title (or `default_title`), --text, --deadline.
absl::Status ApplyCommonFlags(const Invocation& inv, const std::string& default_title,
                              ProposalSpec* spec) {
  spec->title = inv.Has("title") ? inv.Get("title") : default_title;
  if (spec->title.empty())
    return absl::InvalidArgumentError("--title is empty: say what is decided");
  spec->text = inv.Get("text");
  if (inv.Has("deadline")) {
    absl::StatusOr<uint64_t> deadline_ms =
        ParseInstantMs(inv.Get("deadline"), "deadline", absl::Now());
    if (!deadline_ms.ok()) return deadline_ms.status();
    spec->deadline_ms = *deadline_ms;
  }
  return absl::OkStatus();
}

// Object output of a proposal write: proposal_id first (the stable key scripts read).
void PrintProposalWrite(CommandContext& context, const ProposalWrite& write) {
  const Proposal& proposal = write.proposal;
  const Json json = {{"proposal_id", proposal.proposal_id},
                     {"event_id", write.event.event_id},
                     {"request_id", context.request_id()},
                     {"event", ToJson(write.event)},
                     {"proposal", ToJson(proposal)}};
  context.PrintObject(json, {{"proposal_id", proposal.proposal_id},
                             {"event_id", write.event.event_id},
                             {"type", proposal.spec.decision_type},
                             {"title", proposal.spec.title},
                             {"outcome", OutcomeText(proposal)},
                             {"stances", absl::StrFormat("%d/%d", proposal.tally.stance_count,
                                                         proposal.tally.eligible_count)},
                             {"deadline", FormatTimeMs(proposal.deadline_ms)}});
}

absl::Status Propose(CommandContext& context, const ProposalSpec& spec) {
  absl::StatusOr<Client*> client = context.client();
  if (!client.ok()) return client.status();
  absl::StatusOr<ProposalWrite> write =
      (*client)->Propose(context.invocation().Get("group"), spec, context.write_options());
  if (!write.ok()) return write.status();
  PrintProposalWrite(context, *write);
  return absl::OkStatus();
}

absl::Status ProposalAdmitCommand(CommandContext& context) {
  const Invocation& inv = context.invocation();
  absl::StatusOr<OrgCard> card = ReadCardFile(inv.Get("card"));
  if (!card.ok()) return card.status();
  AdmitPayload admit;
  admit.card = *card;
  admit.role = inv.Has("role") ? inv.Get("role") : "partner";
  absl::Status status = CheckOneOf("role", admit.role, kRoles);
  if (!status.ok()) return status;
  admit.segment = inv.Has("segment") ? inv.Get("segment") : "strategic";
  status = CheckOneOf("segment", admit.segment, kSegments);
  if (!status.ok()) return status;
  if (inv.Has("weight") &&
      (!absl::SimpleAtoi(inv.Get("weight"), &admit.voting_weight) || admit.voting_weight == 0)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("--weight '%s' must be a whole number >= 1", inv.Get("weight")));
  }
  ProposalSpec spec;
  spec.decision_type = "admit";
  const std::string who = card->name.empty() ? ShortId(card->key) : card->name;
  status = ApplyCommonFlags(inv, absl::StrFormat("Admit %s", who), &spec);
  if (!status.ok()) return status;
  if (card->endpoints.empty()) {
    context.err() << "note: the card lists no endpoints: members will not be able to push "
                     "events to that org's node until it publishes one (at join)\n";
  }
  spec.admit = std::move(admit);
  return Propose(context, spec);
}

absl::Status ProposalExpelCommand(CommandContext& context) {
  const Invocation& inv = context.invocation();
  ProposalSpec spec;
  spec.decision_type = "expel";
  spec.expel = ExpelPayload{inv.Get("member"), inv.Get("reason")};
  if (spec.expel->reason.empty()) {
    return absl::InvalidArgumentError("--reason is empty: members read why they are asked");
  }
  absl::Status status =
      ApplyCommonFlags(inv, absl::StrFormat("Expel %s", ShortId(spec.expel->member)), &spec);
  if (!status.ok()) return status;
  return Propose(context, spec);
}

absl::Status ProposalCreateCommand(CommandContext& context) {
  const Invocation& inv = context.invocation();
  ProposalSpec spec;
  spec.decision_type = inv.Get("type");
  if (spec.decision_type == "admit" || spec.decision_type == "expel") {
    return absl::InvalidArgumentError(
        absl::StrFormat("--type %s needs a payload: use 'constellation proposal %s'",
                        spec.decision_type, spec.decision_type));
  }
  absl::Status status = CheckOneOf("type", spec.decision_type, kPlainTypes);
  if (!status.ok()) return status;
  status = ApplyCommonFlags(inv, "", &spec);
  if (!status.ok()) return status;
  if (inv.Has("strategy-version")) {
    if (spec.decision_type != "adopt_strategy") {
      return absl::InvalidArgumentError("--strategy-version goes with --type adopt_strategy only");
    }
    spec.strategy_version_id = inv.Get("strategy-version");
  }
  if (inv.Has("plan")) {
    if (spec.decision_type != "dissolve") {
      return absl::InvalidArgumentError("--plan goes with --type dissolve only");
    }
    spec.dissolution_plan = inv.Get("plan");
  }
  return Propose(context, spec);
}

absl::StatusOr<uint64_t> AsOfMs(const Invocation& inv) {
  if (!inv.Has("as-of")) return 0;
  return ParseInstantMs(inv.Get("as-of"), "as-of", absl::Now());
}

absl::Status ProposalListCommand(CommandContext& context) {
  const Invocation& inv = context.invocation();
  absl::StatusOr<uint64_t> as_of_ms = AsOfMs(inv);
  if (!as_of_ms.ok()) return as_of_ms.status();
  absl::StatusOr<Client*> client = context.client();
  if (!client.ok()) return client.status();
  absl::StatusOr<std::vector<Proposal>> proposals =
      (*client)->ListProposals(inv.Get("group"), inv.Has("open"), *as_of_ms);
  if (!proposals.ok()) return proposals.status();
  Json json = Json::array();
  for (const Proposal& proposal : *proposals) json.push_back(ToJson(proposal));
  context.PrintList(json, ProposalsTable(*proposals));
  return absl::OkStatus();
}

absl::Status ProposalShowCommand(CommandContext& context) {
  const Invocation& inv = context.invocation();
  absl::StatusOr<uint64_t> as_of_ms = AsOfMs(inv);
  if (!as_of_ms.ok()) return as_of_ms.status();
  absl::StatusOr<Client*> client = context.client();
  if (!client.ok()) return client.status();
  absl::StatusOr<Proposal> proposal =
      (*client)->GetProposal(inv.Get("group"), inv.Get("proposal"), *as_of_ms);
  if (!proposal.ok()) return proposal.status();
  context.PrintObject(ToJson(*proposal), ProposalDetails(*proposal),
                      {{"Electorate", ElectorateTable(*proposal)}});
  return absl::OkStatus();
}

absl::Status ProposalVoteCommand(CommandContext& context) {
  const Invocation& inv = context.invocation();
  const std::string stance = inv.Get("stance");
  absl::Status status = CheckOneOf("stance", stance, kStances);
  if (!status.ok()) return status;
  if ((stance == "disagree" || stance == "block") && inv.Get("reason").empty()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "--stance %s needs --reason: the other members need to know what to change", stance));
  }
  absl::StatusOr<Client*> client = context.client();
  if (!client.ok()) return client.status();
  absl::StatusOr<ProposalWrite> write = (*client)->CastStance(
      inv.Get("group"), inv.Get("proposal"), stance, inv.Get("reason"), context.write_options());
  if (!write.ok()) return write.status();
  PrintProposalWrite(context, *write);
  return absl::OkStatus();
}

absl::Status ProposalCloseCommand(CommandContext& context) {
  const Invocation& inv = context.invocation();
  absl::StatusOr<Client*> client = context.client();
  if (!client.ok()) return client.status();
  absl::StatusOr<ProposalWrite> write =
      (*client)->CloseProposal(inv.Get("group"), inv.Get("proposal"), context.write_options());
  if (!write.ok()) return write.status();
  PrintProposalWrite(context, *write);
  return absl::OkStatus();
}

absl::Status ProposalWaitingCommand(CommandContext& context) {
  absl::StatusOr<Client*> client = context.client();
  if (!client.ok()) return client.status();
  absl::StatusOr<WaitingOnResult> waiting = (*client)->WaitingOn(context.invocation().Get("group"));
  if (!waiting.ok()) return waiting.status();
  const Table table = WaitingTable(*waiting);
  if (context.format() == OutputFormat::kTable && table.rows.empty()) {
    context.out() << "nothing is waiting: no proposal needs your stance and every other one is "
                     "final\n";
    return absl::OkStatus();
  }
  context.PrintList(ToJson(*waiting), table);
  return absl::OkStatus();
}

// --- Members -------------------------------------------------------------------------------

absl::Status MemberListCommand(CommandContext& context) {
  absl::StatusOr<Client*> client = context.client();
  if (!client.ok()) return client.status();
  absl::StatusOr<Group> group = (*client)->GetGroup(context.invocation().Get("group"));
  if (!group.ok()) return group.status();
  Json json = Json::array();
  for (const Member& member : group->members) json.push_back(ToJson(member));
  context.PrintList(json, MembersTable(group->members));
  return absl::OkStatus();
}

void PrintMembershipWrite(CommandContext& context, const MembershipWrite& write) {
  const Json json = {{"group_id", write.event.group_id},
                     {"event_id", write.event.event_id},
                     {"request_id", context.request_id()},
                     {"event", ToJson(write.event)},
                     {"member", ToJson(write.member)}};
  KeyValues values = {{"group_id", write.event.group_id}, {"event_id", write.event.event_id}};
  for (auto& value : MemberDetails(write.member)) values.push_back(std::move(value));
  context.PrintObject(json, values);
}

absl::Status MemberNoticeCommand(CommandContext& context) {
  const Invocation& inv = context.invocation();
  uint64_t effective_ms = 0;
  if (inv.Has("effective")) {
    absl::StatusOr<uint64_t> parsed =
        ParseInstantMs(inv.Get("effective"), "effective", absl::Now());
    if (!parsed.ok()) return parsed.status();
    effective_ms = *parsed;
  }
  absl::StatusOr<Client*> client = context.client();
  if (!client.ok()) return client.status();
  absl::StatusOr<MembershipWrite> write = (*client)->GiveNotice(
      inv.Get("group"), inv.Get("reason"), effective_ms, context.write_options());
  if (!write.ok()) return write.status();
  PrintMembershipWrite(context, *write);
  return absl::OkStatus();
}

absl::Status MemberLeaveCommand(CommandContext& context) {
  const Invocation& inv = context.invocation();
  absl::StatusOr<Client*> client = context.client();
  if (!client.ok()) return client.status();
  absl::StatusOr<MembershipWrite> write =
      (*client)->Withdraw(inv.Get("group"), inv.Get("reason"), context.write_options());
  if (!write.ok()) return write.status();
  PrintMembershipWrite(context, *write);
  return absl::OkStatus();
}

const FlagSpec kGroupFlag = {"group", "GROUP", "group id (64 hex characters)", true};
const FlagSpec kProposalFlag = {"proposal", "PROPOSAL", "proposal id (64 hex characters)", true};
const FlagSpec kTitleFlag = {"title", "TEXT", "what is decided, one line"};
const FlagSpec kTextFlag = {"text", "TEXT", "the proposal's full text"};
const FlagSpec kDeadlineFlag = {
    "deadline", "TIME",
    "closes at this time at the latest: YYYY-MM-DD, RFC 3339, ms since 1970 or +72h/+7d "
    "(default: the rule's voting window)"};
const FlagSpec kAsOfFlag = {"as-of", "TIME", "evaluate deadlines as of this time (default: now)"};

constexpr char kProposalWriteDetails[] =
    "Prints proposal_id and event_id. JSON keys: proposal_id, event_id, request_id, event, "
    "proposal (with outcome, outcome_text, provisional, tally, electorate, missing_stances).";

}  // namespace

std::vector<Command> GovernanceCommands() {
  std::vector<Command> commands;
  commands.push_back(
      {{"member",
        "list",
        "List a group's members with their status, notice and frozen flag",
        {},
        {kGroupFlag},
        "Status is active, notice_given, withdrawn or expelled (as of now); frozen members "
        "forked their chain and have no effect until readmitted. CSV columns: key, name, role, "
        "segment, status, weight, notice_effective, frozen.",
        "constellation member list --group $GROUP"},
       MemberListCommand});
  commands.push_back(
      {{"member",
        "notice",
        "Give notice that this org withdraws from a group (always allowed)",
        {},
        {kGroupFlag,
         {"reason", "TEXT", "why, for the other members"},
         {"effective", "TIME",
          "when the withdrawal takes effect (default and earliest: now + the charter's notice "
          "period): YYYY-MM-DD, RFC 3339, ms or +30d"}},
        "The org stays a member until the notice takes effect. JSON keys: group_id, event_id, "
        "request_id, event, member.",
        "constellation member notice --group $GROUP --reason 'strategy change' --effective "
        "2027-06-30",
        true},
       MemberNoticeCommand});
  commands.push_back(
      {{"member",
        "leave",
        "Withdraw this org from a group now (always allowed; readmission needs a decision)",
        {},
        {kGroupFlag, {"reason", "TEXT", "why, for the other members"}},
        "Obligations recorded before (pledges, contributions) stay on record. JSON keys: "
        "group_id, event_id, request_id, event, member.",
        "constellation member leave --group $GROUP --reason 'project ended'",
        true},
       MemberLeaveCommand});
  commands.push_back(
      {{"proposal",
        "admit",
        "Propose admitting an org to a group, from its org card",
        {},
        {kGroupFlag,
         {"card", "FILE", "the org card (from 'constellation org card --out FILE')", true},
         {"role", "ROLE", "lead | partner (default) | affiliate | coordinator | observer"},
         {"segment", "SEGMENT", "strategic (default) | funder | advisor | contractor"},
         {"weight", "N", "voting weight (default 1)"},
         kTitleFlag,
         kTextFlag,
         kDeadlineFlag},
        std::string("Title defaults to 'Admit <name>'. Once the outcome is passed and final, the "
                    "invitee runs 'constellation group join'. ") +
            kProposalWriteDetails,
        "constellation proposal admit --group $GROUP --card river-trust.card.json --role "
        "partner --deadline +72h",
        true},
       ProposalAdmitCommand});
  commands.push_back(
      {{"proposal",
        "expel",
        "Propose expelling a member (takes effect only when the outcome is final)",
        {},
        {kGroupFlag,
         {"member", "ORG_KEY", "the member's org key (64 hex characters)", true},
         {"reason", "TEXT", "why", true},
         kTitleFlag,
         kTextFlag,
         kDeadlineFlag},
        std::string("Title defaults to 'Expel <key>'. ") + kProposalWriteDetails,
        "constellation proposal expel --group $GROUP --member $KEY --reason 'left the region'",
        true},
       ProposalExpelCommand});
  commands.push_back(
      {{"proposal",
        "create",
        "Propose a decision of a type without a required payload",
        {},
        {kGroupFlag,
         {"type", "TYPE",
          "adopt_strategy | allocate_funds | open_campaign | amend_charter | write_off | "
          "dissolve",
          true},
         {"title", "TEXT", "what is decided, one line", true},
         kTextFlag,
         kDeadlineFlag,
         {"strategy-version", "ID", "adopt_strategy: the strategy version to adopt"},
         {"plan", "TEXT", "dissolve: the dissolution plan"}},
        std::string("Recorded and decided like any proposal; effects of these types are not "
                    "applied by the node yet. ") +
            kProposalWriteDetails,
        "constellation proposal create --group $GROUP --type dissolve --title 'Wind down' "
        "--plan 'return pooled funds pro rata'",
        true},
       ProposalCreateCommand});
  commands.push_back(
      {{"proposal",
        "list",
        "List a group's proposals with their outcomes",
        {},
        {kGroupFlag, {"open", "", "only proposals whose outcome is not final yet"}, kAsOfFlag},
        "Outcomes read 'passed (provisional)' until final. CSV columns: proposal_id, type, "
        "title, proposer, outcome, stances, deadline.",
        "constellation proposal list --group $GROUP --open"},
       ProposalListCommand});
  commands.push_back(
      {{"proposal",
        "show",
        "Show a proposal: electorate with each stance, tally, outcome",
        {},
        {kGroupFlag, kProposalFlag, kAsOfFlag},
        "The outcome is provisional until final: every eligible member has written an event "
        "after the close (DESIGN §3). JSON keys: proposal_id, ..., outcome, outcome_text, "
        "provisional, closed, final, tally, electorate, missing_stances, effect_applied.",
        "constellation proposal show --group $GROUP --proposal $PROPOSAL"},
       ProposalShowCommand});
  commands.push_back(
      {{"proposal",
        "vote",
        "Record this org's stance on a proposal (revisable until the close)",
        {},
        {kGroupFlag,
         kProposalFlag,
         {"stance", "STANCE", "agree | abstain | disagree | block", true},
         {"reason", "TEXT", "why (required for disagree and block)"}},
        kProposalWriteDetails,
        "constellation proposal vote --group $GROUP --proposal $PROPOSAL --stance agree",
        true},
       ProposalVoteCommand});
  commands.push_back({{"proposal",
                       "close",
                       "Close your own proposal before its deadline",
                       {},
                       {kGroupFlag, kProposalFlag},
                       kProposalWriteDetails,
                       "constellation proposal close --group $GROUP --proposal $PROPOSAL",
                       true},
                      ProposalCloseCommand});
  commands.push_back(
      {{"proposal",
        "waiting",
        "What is waiting on whom: proposals that need your stance, and who others wait for",
        {},
        {{"group", "GROUP", "only this group (default: every group this org is a member of)"}},
        "Rows that need your stance say 'you' under WAITING_ON; closed proposals that are not "
        "final yet wait for acknowledgements (sent automatically). JSON: {needs_my_stance: "
        "[...], waiting_on_others: [...]}, each proposal with waiting_on (names). CSV columns: "
        "group, proposal_id, type, title, waiting_on, outcome, deadline.",
        "constellation proposal waiting"},
       ProposalWaitingCommand});
  return commands;
}

}  // namespace constellation::cli
