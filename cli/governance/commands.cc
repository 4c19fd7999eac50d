// cli/governance/commands.cc: proposal commands (DESIGN §1, §3): propose admitting an org from
// its card or expelling a member, vote, close, list, show, the "waiting on" view; and the
// membership writes of an org: join after admission, notice and withdrawal.
#include "cli/governance/commands.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <span>

#include <absl/strings/numbers.h>
#include <absl/strings/str_format.h>
#include <absl/strings/str_join.h>
#include <absl/time/clock.h>

#include "cli/args.h"
#include "cli/governance/render.h"
#include "cli/group/commands.h"
#include "cli/render.h"
#include "cli/values.h"

namespace constellation::cli {
namespace {

constexpr const char* kRoles[] = {"lead", "partner", "affiliate", "coordinator", "observer"};
constexpr const char* kSegments[] = {"strategic", "funder", "advisor", "contractor"};
constexpr const char* kStances[] = {"agree", "abstain", "disagree", "block"};
// Decision types `proposal create` accepts: those without a required payload.
constexpr const char* kPlainTypes[] = {"adopt_strategy", "allocate_funds", "open_campaign",
                                       "write_off", "dissolve"};

absl::Status CheckOneOf(const std::string& flag, const std::string& value,
                        std::span<const char* const> accepted) {
  if (std::find(accepted.begin(), accepted.end(), value) != accepted.end()) {
    return absl::OkStatus();
  }
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

absl::StatusOr<Output> Propose(const Invocation& inv, CommandContext& context,
                               const ProposalSpec& spec) {
  return context.WriteCall(&Client::Propose, ProposalWriteOutput, inv.Get("group"), spec);
}

absl::StatusOr<Output> ProposalAdmitCommand(const Invocation& inv, CommandContext& context) {
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
  status = ApplyProposalFlags(inv, absl::StrFormat("Admit %s", who), &spec);
  if (!status.ok()) return status;
  if (card->endpoints.empty()) {
    context.err() << "note: the card lists no endpoints: members will not be able to push "
                     "events to that org's node until it publishes one (at join)\n";
  }
  spec.admit = std::move(admit);
  return Propose(inv, context, spec);
}

std::string ProposalAdmitHint(const absl::Status& status, const CommandContext& context) {
  if (status.code() != absl::StatusCode::kFailedPrecondition) return "";
  return "the charter may not allow this decision type, or the org is already a member: see "
         "'constellation group show " +
         context.invocation().Get("group") + "'";
}

absl::StatusOr<Output> ProposalExpelCommand(const Invocation& inv, CommandContext& context) {
  ProposalSpec spec;
  spec.decision_type = "expel";
  spec.expel = ExpelPayload{inv.Get("member"), inv.Get("reason")};
  if (spec.expel->reason.empty()) {
    return absl::InvalidArgumentError("--reason is empty: members read why they are asked");
  }
  absl::Status status =
      ApplyProposalFlags(inv, absl::StrFormat("Expel %s", ShortId(spec.expel->member)), &spec);
  if (!status.ok()) return status;
  return Propose(inv, context, spec);
}

// `proposal amend-charter`: the group's current charter with the flags' changes, proposed as an
// AMEND_CHARTER decision (docs/PROTOCOL.md §5.6, "Charter amendments").
absl::StatusOr<Output> ProposalAmendCharterCommand(const Invocation& inv, CommandContext& context) {
  absl::StatusOr<Client*> client = context.client();
  if (!client.ok()) return client.status();
  absl::StatusOr<Group> group = (*client)->GetGroup(inv.Get("group"));
  if (!group.ok()) return group.status();
  CharterInput charter = group->charter;
  absl::Status status = ApplyCharterFlags(inv, &charter);
  if (!status.ok()) return status;
  for (const std::string& type : inv.GetAll("remove-rule")) {
    const size_t removed = std::erase_if(charter.decision_rules, [&type](const DecisionRule& r) {
      return r.decision_type == type;
    });
    if (removed == 0) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "--remove-rule %s: the charter has no rule for %s (see 'constellation group show')",
          type, type));
    }
  }
  if (inv.Has("notice-days") &&
      !absl::SimpleAtoi(inv.Get("notice-days"), &charter.withdrawal_notice_days)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "--notice-days '%s' must be a whole number of days >= 0", inv.Get("notice-days")));
  }
  if (inv.Has("review")) {
    absl::StatusOr<uint64_t> review_ms = ParseDateMs(inv.Get("review"), "review");
    if (!review_ms.ok()) return review_ms.status();
    charter.review_ms = *review_ms;
  }
  if (inv.Has("term-end")) {
    absl::StatusOr<uint64_t> term_end_ms = ParseDateMs(inv.Get("term-end"), "term-end");
    if (!term_end_ms.ok()) return term_end_ms.status();
    charter.term_end_ms = *term_end_ms;
  }
  ProposalSpec spec;
  spec.decision_type = "amend_charter";
  status = ApplyProposalFlags(inv, absl::StrFormat("Amend the charter of %s", charter.name), &spec);
  if (!status.ok()) return status;
  spec.charter = std::move(charter);
  return Propose(inv, context, spec);
}

absl::StatusOr<Output> ProposalCreateCommand(const Invocation& inv, CommandContext& context) {
  ProposalSpec spec;
  spec.decision_type = inv.Get("type");
  if (spec.decision_type == "admit" || spec.decision_type == "expel") {
    return absl::InvalidArgumentError(
        absl::StrFormat("--type %s needs a payload: use 'constellation proposal %s'",
                        spec.decision_type, spec.decision_type));
  }
  if (spec.decision_type == "amend_charter") {
    return absl::InvalidArgumentError(
        "--type amend_charter needs the new charter: use 'constellation proposal amend-charter' "
        "with the changes as flags");
  }
  if (spec.decision_type == "team_leads") {
    return absl::InvalidArgumentError(
        "--type team_leads needs the team and its new leads: use 'constellation team "
        "propose-leads TEAM --lead ORG'");
  }
  if (spec.decision_type == "open_campaign" || spec.decision_type == "write_off") {
    return absl::InvalidArgumentError(absl::StrFormat(
        "--type %s needs a payload: use 'constellation %s --propose'", spec.decision_type,
        spec.decision_type == "open_campaign" ? "campaign open" : "pledge write-off PLEDGE"));
  }
  absl::Status status = CheckOneOf("type", spec.decision_type, kPlainTypes);
  if (!status.ok()) return status;
  status = ApplyProposalFlags(inv, "", &spec);
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
  return Propose(inv, context, spec);
}

absl::StatusOr<uint64_t> AsOfMs(const Invocation& inv) {
  if (!inv.Has("as-of")) return 0;
  return ParseInstantMs(inv.Get("as-of"), "as-of", absl::Now());
}

absl::StatusOr<Output> ProposalListCommand(const Invocation& inv, CommandContext& context) {
  const absl::StatusOr<uint64_t> as_of_ms = AsOfMs(inv);
  if (!as_of_ms.ok()) return as_of_ms.status();
  return context.ReadPages(
      [&](Client& client, const PageOptions& page) {
        return client.ListProposalsPage(inv.Get("group"), inv.Has("open"), *as_of_ms, page);
      },
      kProposalFormat);
}

absl::StatusOr<Output> ProposalShowCommand(const Invocation& inv, CommandContext& context) {
  return context.ReadCallAsOf(AsOfMs(inv), &Client::GetProposal, kProposalFormat, inv.Get("group"),
                              inv.Get("proposal"));
}

// `proposal wait`: polls the proposal until its outcome is final, then shows it as `proposal
// show` does; kDeadlineExceeded after --for.
absl::StatusOr<Output> ProposalWaitCommand(const Invocation& inv, CommandContext& context) {
  absl::StatusOr<absl::Duration> limit =
      inv.Has("for") ? ParseTimeout(inv.Get("for")) : absl::StatusOr<absl::Duration>(absl::Minutes(2));
  if (!limit.ok()) {
    return absl::InvalidArgumentError(
        absl::StrFormat("--for: %s", std::string(limit.status().message())));
  }
  const absl::Time deadline = absl::Now() + *limit;
  const std::string group = inv.Get("group");
  const std::string proposal = inv.Get("proposal");
  return context.Read(
      [&](Client& client) -> absl::StatusOr<Proposal> {
        while (true) {
          absl::StatusOr<Proposal> p = client.GetProposal(group, proposal);
          if (!p.ok() || p->final) return p;
          if (absl::Now() >= deadline) {
            return absl::DeadlineExceededError(absl::StrFormat(
                "proposal %s is not final after %s (outcome so far: %s); see who it waits for "
                "with 'constellation proposal show --group %s --proposal %s'",
                ShortId(p->proposal_id), absl::FormatDuration(*limit), p->outcome, group,
                proposal));
          }
          absl::SleepFor(absl::Milliseconds(200));
        }
      },
      kProposalFormat);
}

absl::StatusOr<Output> ProposalVoteCommand(const Invocation& inv, CommandContext& context) {
  const std::string stance = inv.Get("stance");
  absl::Status status = CheckOneOf("stance", stance, kStances);
  if (!status.ok()) return status;
  if ((stance == "disagree" || stance == "block") && inv.Get("reason").empty()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "--stance %s needs --reason: the other members need to know what to change", stance));
  }
  return context.WriteCall(&Client::CastStance, ProposalWriteOutput, inv.Get("group"),
                           inv.Get("proposal"), stance, inv.Get("reason"));
}

absl::StatusOr<Output> ProposalCloseCommand(const Invocation& inv, CommandContext& context) {
  return context.WriteCall(&Client::CloseProposal, ProposalWriteOutput, inv.Get("group"),
                           inv.Get("proposal"));
}

// The hint of a vote or close: after kFailedPrecondition, where to see the proposal's state;
// after kPermissionDenied, `denied`.
std::string ProposalStateHint(const absl::Status& status, const CommandContext& context,
                              const std::string& denied) {
  if (status.code() == absl::StatusCode::kPermissionDenied) return denied;
  if (status.code() != absl::StatusCode::kFailedPrecondition) return "";
  return "see the proposal's state with 'constellation proposal show --group " +
         context.invocation().Get("group") + " --proposal " + context.invocation().Get("proposal") +
         "'";
}

std::string ProposalVoteHint(const absl::Status& status, const CommandContext& context) {
  return ProposalStateHint(
      status, context,
      "only members of the proposal's electorate (fixed when it was made) may vote: see "
      "'constellation proposal show'");
}

std::string ProposalCloseHint(const absl::Status& status, const CommandContext& context) {
  return ProposalStateHint(status, context, "only the proposal's proposer may close it early");
}

absl::StatusOr<Output> ProposalWaitingCommand(const Invocation& inv, CommandContext& context) {
  const std::string group_id = inv.Get("group");
  return context.ReadCall(&Client::WaitingOn, WaitingOutput, group_id);
}

// --- Membership writes ----------------------------------------------------------------------

absl::StatusOr<Output> GroupJoinCommand(const Invocation& inv, CommandContext& context) {
  MemberProfile profile;
  profile.name = inv.Get("name");
  profile.endpoints = inv.GetAll("advertise");
  return context.WriteCall(&Client::JoinGroup, JoinOutput, inv.Get("group"), inv.Get("from"),
                           profile);
}

std::string GroupJoinHint(const absl::Status& status, const CommandContext& context) {
  const Invocation& inv = context.invocation();
  switch (status.code()) {
    case absl::StatusCode::kFailedPrecondition:
      return "the admission must be passed and final before joining: ask a member to run "
             "'constellation proposal show --group " +
             inv.Get("group") +
             " --proposal ID' (or 'proposal waiting') and retry once it is final";
    case absl::StatusCode::kPermissionDenied:
      return "the peer does not know of a passed admission of this org: check --from names a "
             "member's node that already holds the admission, or let it sync first ('constellation "
             "peer sync' on that node)";
    case absl::StatusCode::kUnavailable:
      return absl::StrFormat(
          "the peer %s (or this node) cannot be reached: check the address from the "
          "invitation and that both nodes run, then rerun with --request-id %s so that the "
          "join happens once",
          inv.Get("from"), context.request_id());
    default:
      return "";
  }
}

absl::StatusOr<Output> MemberNoticeCommand(const Invocation& inv, CommandContext& context) {
  uint64_t effective_ms = 0;
  if (inv.Has("effective")) {
    absl::StatusOr<uint64_t> parsed =
        ParseInstantMs(inv.Get("effective"), "effective", absl::Now());
    if (!parsed.ok()) return parsed.status();
    effective_ms = *parsed;
  }
  return context.WriteCall(&Client::GiveNotice, MembershipWriteOutput, inv.Get("group"),
                           inv.Get("reason"), effective_ms);
}

absl::StatusOr<Output> MemberLeaveCommand(const Invocation& inv, CommandContext& context) {
  return context.WriteCall(&Client::Withdraw, MembershipWriteOutput, inv.Get("group"),
                           inv.Get("reason"));
}

FlagSpec ProposalFlag() {
  return {"proposal", "PROPOSAL", "proposal id, or a unique prefix of it", true};
}
FlagSpec TitleFlag() { return {"title", "TEXT", "what is decided, one line"}; }
FlagSpec TextFlag() { return ProposalTextFlag(); }
FlagSpec DeadlineFlag() { return ProposalDeadlineFlag(); }
FlagSpec AsOfFlag() {
  return {"as-of", "TIME", "evaluate deadlines as of this time (default: now)"};
}

constexpr char kProposalWriteDetails[] =
    "Prints proposal_id and event_id. JSON keys: proposal_id, event_id, request_id, event, "
    "proposal (with outcome, outcome_text, provisional, tally, electorate, missing_stances).";

}  // namespace

// The fields every proposal command shares: --title (or `default_title`), --text, --deadline.
absl::Status ApplyProposalFlags(const Invocation& inv, const std::string& default_title,
                                ProposalSpec* spec) {
  spec->title = inv.Has("title") ? inv.Get("title") : default_title;
  if (spec->title.empty()) {
    return absl::InvalidArgumentError("--title is empty: say what is decided");
  }
  spec->text = inv.Get("text");
  if (inv.Has("deadline")) {
    absl::StatusOr<uint64_t> deadline_ms =
        ParseInstantMs(inv.Get("deadline"), "deadline", absl::Now());
    if (!deadline_ms.ok()) return deadline_ms.status();
    spec->deadline_ms = *deadline_ms;
  }
  return absl::OkStatus();
}

FlagSpec ProposalTextFlag() { return {"text", "TEXT", "the proposal's full text"}; }
FlagSpec ProposalDeadlineFlag() {
  return {"deadline", "TIME",
          "closes at this time at the latest: YYYY-MM-DD, RFC 3339, ms since 1970 or +72h/+7d "
          "(default: the rule's voting window)"};
}

std::vector<Command> GovernanceCommands() {
  return {
      Command("group join", GroupJoinCommand)
          .Summary(
              "Join a group this org was admitted to (admin only): fetch it from a member's node")
          .Required("--group GROUP_ID",
                    "the full group id (64 hex characters), from the invitation")
          .Required("--from HOST:PORT", "a member's node that holds the group")
          .Optional("--name NAME",
                    "this org's display name in the group (default: the node's org name)")
          .Repeated("--advertise HOST:PORT",
                    "endpoint to publish for replication (default: the node's endpoints)")
          .Details("Works once the admission proposal (proposal admit) is passed and final. This "
                   "node pulls the group from --from, verifies every event, then records this "
                   "org's acceptance, which replication sends to the members. JSON keys: group_id, "
                   "event_id, request_id, event, group, sync.")
          .Example("constellation group join --group $GROUP --from 10.0.0.7:7400")
          .Write()
          .Hint(GroupJoinHint),
      Command("member notice", MemberNoticeCommand)
          .Summary("Give notice that this org withdraws from a group (always allowed)")
          .Flag(GroupFlag())
          .Optional("--reason TEXT", "why, for the other members")
          .Optional("--effective TIME",
                    "when the withdrawal takes effect (default and earliest: now + the charter's "
                    "notice period): YYYY-MM-DD, RFC 3339, ms or +30d")
          .Details("The org stays a member until the notice takes effect. JSON keys: group_id, "
                   "event_id, request_id, event, member.")
          .Example("constellation member notice --group $GROUP --reason 'strategy change' "
                   "--effective 2027-06-30")
          .Write()
          .Hint(MembershipHint),
      Command("member leave", MemberLeaveCommand)
          .Summary(
              "Withdraw this org from a group now (always allowed; readmission needs a decision)")
          .Flag(GroupFlag())
          .Optional("--reason TEXT", "why, for the other members")
          .Details("Obligations recorded before (pledges, contributions) stay on record. JSON "
                   "keys: group_id, event_id, request_id, event, member.")
          .Example("constellation member leave --group $GROUP --reason 'project ended'")
          .Write()
          .Hint(MembershipHint),
      Command("proposal admit", ProposalAdmitCommand)
          .Summary("Propose admitting an org to a group, from its org card")
          .Flag(GroupFlag())
          .Required("--card FILE", "the org card (from 'constellation org card --out FILE')")
          .Optional("--role ROLE", "lead | partner (default) | affiliate | coordinator | observer")
          .Optional("--segment SEGMENT", "strategic (default) | funder | advisor | contractor")
          .Optional("--weight N", "voting weight (default 1)")
          .Flag(TitleFlag())
          .Flag(TextFlag())
          .Flag(DeadlineFlag())
          .Details(std::string("Title defaults to 'Admit <name>'. Once the outcome is passed and "
                               "final, the invitee runs 'constellation group join'. ") +
                   kProposalWriteDetails)
          .Example("constellation proposal admit --group $GROUP --card river-trust.card.json "
                   "--role partner --deadline +72h")
          .Write()
          .Hint(ProposalAdmitHint),
      Command("proposal expel", ProposalExpelCommand)
          .Summary("Propose expelling a member (takes effect only when the outcome is final)")
          .Flag(GroupFlag())
          .Required("--member ORG_KEY", "the member: its org key, a unique key prefix or its name")
          .Required("--reason TEXT", "why")
          .Flag(TitleFlag())
          .Flag(TextFlag())
          .Flag(DeadlineFlag())
          .Details(std::string("Title defaults to 'Expel <key>'. ") + kProposalWriteDetails)
          .Example("constellation proposal expel --group $GROUP --member $KEY --reason 'left the "
                   "region'")
          .Write(),
      Command("proposal amend-charter", ProposalAmendCharterCommand)
          .Summary("Propose amending the charter: the current charter with the changes given")
          .Flag(GroupFlag())
          .Optional("--title TEXT",
                    "what is decided, one line (default: Amend the charter of NAME)")
          .Flag(TextFlag())
          .Flag(DeadlineFlag())
          .Optional("--name NAME", "the group's new name")
          .Optional("--agenda TEXT", "the new common agenda")
          .Optional("--kind KIND", "partnership | collaboration")
          .Optional("--currency CODE", "the new base currency")
          .Repeated("--rule TYPE=PROCESS",
                    "set how TYPE is decided, e.g. allocate_funds=majority (replaces its rule)")
          .Repeated("--remove-rule TYPE", "drop TYPE's rule (TYPE then uses its default, if any)")
          .Repeated("--standard-rate KIND:UNIT=AMOUNT",
                    "set a standard rate for in-kind contributions, in the base currency")
          .Optional("--benefit-basis BASIS", "equal | contributed_value")
          .Optional("--notice-days N", "days of notice a withdrawing member gives")
          .Optional("--review-cadence-days N",
                    "days a member may go without a record before `health` flags it (0 = 30)")
          .Optional("--review DATE", "the charter's next review date, e.g. 2027-06-30")
          .Optional("--term-end DATE", "the end of the group's term")
          .Details(std::string("Reads the group's current charter, applies the changes and "
                               "proposes the whole new charter (AMEND_CHARTER). It is decided "
                               "by the AMEND_CHARTER rule in force (default: consensus, quorum "
                               "2/3) and takes effect once final and passed: from then on, "
                               "events whose authors have seen it final follow it; proposals "
                               "already open keep the rule they were made with. ") +
                   kProposalWriteDetails)
          .Example("constellation proposal amend-charter --group $GROUP --rule "
                   "allocate_funds=majority --notice-days 30")
          .Write(),
      Command("proposal create", ProposalCreateCommand)
          .Summary("Propose a decision of a type without a required payload")
          .Flag(GroupFlag())
          .Required("--type TYPE",
                    "adopt_strategy | allocate_funds | open_campaign | write_off | dissolve")
          .Required("--title TEXT", "what is decided, one line")
          .Flag(TextFlag())
          .Flag(DeadlineFlag())
          .Optional("--strategy-version VERSION", "adopt_strategy: the strategy version to adopt")
          .Optional("--plan TEXT", "dissolve: the dissolution plan")
          .Details(std::string("Recorded and decided like any proposal; once final and "
                               "passed, adopt_strategy makes its version current ('constellation "
                               "strategy current') and dissolve dissolves the group (amend the "
                               "charter with 'proposal amend-charter'). ") +
                   kProposalWriteDetails)
          .Example("constellation proposal create --group $GROUP --type dissolve --title 'Wind "
                   "down' --plan 'return pooled funds pro rata'")
          .Write(),
      Command("proposal list", ProposalListCommand)
          .Summary("List a group's proposals with their outcomes")
          .Flag(GroupFlag())
          .Optional("--open", "only proposals whose outcome is not final yet")
          .Flag(AsOfFlag())
          .Details("Outcomes read 'passed (provisional)' until final. CSV columns: proposal_id, "
                   "type, title, proposer, outcome, stances, deadline.")
          .Example("constellation proposal list --group $GROUP --open"),
      Command("proposal show", ProposalShowCommand)
          .Summary("Show a proposal: electorate with each stance, tally, outcome")
          .Flag(GroupFlag())
          .Flag(ProposalFlag())
          .Flag(AsOfFlag())
          .Details(
              "The outcome is provisional until final: every eligible member has written an event "
              "after the close (DESIGN §3). JSON keys: proposal_id, ..., outcome, outcome_text, "
              "provisional, closed, final, tally, electorate, missing_stances, effect_applied.")
          .Example("constellation proposal show --group $GROUP --proposal $PROPOSAL"),
      Command("proposal wait", ProposalWaitCommand)
          .Summary("Wait until a proposal's outcome is final, then show it")
          .Flag(GroupFlag())
          .Flag(ProposalFlag())
          .Optional("--for DURATION", "give up after this long, e.g. 30s, 5m (default 2m)")
          .Details("Polls the node until every eligible member's node has written an event after "
                   "the close (nodes acknowledge by themselves within seconds once the proposal "
                   "closes), then prints what 'proposal show' prints. Exit 11 (deadline "
                   "exceeded) if it is still not final after --for: usually a vote is missing "
                   "or a member's node is down.")
          .Example("constellation proposal wait --group $GROUP --proposal $PROPOSAL --for 1m"),
      Command("proposal vote", ProposalVoteCommand)
          .Summary("Record this org's stance on a proposal (revisable until the close)")
          .Flag(GroupFlag())
          .Flag(ProposalFlag())
          .Required("--stance STANCE", "agree | abstain | disagree | block")
          .Optional("--reason TEXT", "why (required for disagree and block)")
          .Details(kProposalWriteDetails)
          .Example("constellation proposal vote --group $GROUP --proposal $PROPOSAL --stance agree")
          .Write()
          .Hint(ProposalVoteHint),
      Command("proposal close", ProposalCloseCommand)
          .Summary("Close your own proposal before its deadline")
          .Flag(GroupFlag())
          .Flag(ProposalFlag())
          .Details(kProposalWriteDetails)
          .Example("constellation proposal close --group $GROUP --proposal $PROPOSAL")
          .Write()
          .Hint(ProposalCloseHint),
      Command("proposal waiting", ProposalWaitingCommand)
          .Summary(
              "What is waiting on whom: proposals that need your stance, and who others wait for")
          .Optional("--group GROUP",
                    "only this group (default: every group this org is a member of)")
          .Details("Rows that need your stance say 'you' under WAITING_ON; closed proposals that "
                   "are not final yet wait for acknowledgements (sent automatically). JSON: "
                   "{needs_my_stance: [...], waiting_on_others: [...]}, each proposal with "
                   "waiting_on (names). CSV columns: group, proposal_id, type, title, waiting_on, "
                   "outcome, deadline.")
          .Example("constellation proposal waiting"),
  };
}

}  // namespace constellation::cli
