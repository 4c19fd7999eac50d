// cli/group/commands.cc: group and member-list commands.
#include "cli/group/commands.h"

#include <algorithm>
#include <ostream>
#include <set>

#include <absl/strings/numbers.h>
#include <absl/strings/str_format.h>
#include <absl/strings/str_join.h>
#include <constellation/money.h>

#include "cli/group/render.h"
#include "cli/teams/render.h"
#include "cli/values.h"

namespace constellation::cli {

absl::Status ApplyCharterFlags(const Invocation& inv, CharterInput* charter) {
  if (inv.Has("name")) charter->name = inv.Get("name");
  if (inv.Has("agenda")) charter->common_agenda = inv.Get("agenda");
  if (inv.Has("kind")) charter->kind = inv.Get("kind");
  if (charter->kind != "partnership" && charter->kind != "collaboration") {
    return absl::InvalidArgumentError(
        absl::StrFormat("--kind '%s' must be partnership or collaboration", charter->kind));
  }
  if (inv.Has("currency")) {
    charter->base_currency = inv.Get("currency");
    if (!IsKnownCurrency(charter->base_currency)) {
      return absl::InvalidArgumentError(
          absl::StrFormat("--currency '%s' is not an ISO-4217 code (use upper case, e.g. EUR)",
                          charter->base_currency));
    }
  }
  // --rule TYPE=PROCESS: the decision rule of TYPE (the node validates the names); it replaces
  // the charter's rule for TYPE, if any.
  std::set<std::string> ruled;
  for (const std::string& rule : inv.GetAll("rule")) {
    const size_t equals = rule.find('=');
    if (equals == std::string::npos || equals == 0 || equals + 1 == rule.size()) {
      return absl::InvalidArgumentError(
          absl::StrFormat("--rule '%s' must be TYPE=PROCESS, e.g. allocate_funds=consent", rule));
    }
    DecisionRule r;
    r.decision_type = rule.substr(0, equals);
    r.process = rule.substr(equals + 1);
    if (!ruled.insert(r.decision_type).second) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "--rule gives two rules for %s; a charter has one rule per decision type",
          r.decision_type));
    }
    std::erase_if(charter->decision_rules, [&r](const DecisionRule& old) {
      return old.decision_type == r.decision_type;
    });
    charter->decision_rules.push_back(r);
  }
  // --standard-rate KIND:UNIT=AMOUNT, in the base currency (docs/PROTOCOL.md §5.10); it replaces
  // the charter's rate for (KIND, UNIT), if any.
  std::set<std::string> rated;
  for (const std::string& text : inv.GetAll("standard-rate")) {
    const size_t colon = text.find(':');
    const size_t equals = text.find('=', colon == std::string::npos ? 0 : colon);
    if (colon == std::string::npos || equals == std::string::npos ||
        charter->base_currency.empty()) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "--standard-rate '%s' must be KIND:UNIT=AMOUNT, e.g. staff_time:hour=85.00, with "
          "--currency for the amount",
          text));
    }
    absl::StatusOr<int64_t> amount = ParseAmount(text.substr(equals + 1), charter->base_currency);
    if (!amount.ok()) return amount.status();
    StandardRate rate{text.substr(0, colon), text.substr(colon + 1, equals - colon - 1),
                      Money{*amount, charter->base_currency}};
    if (!rated.insert(rate.kind + ":" + rate.unit).second) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "--standard-rate gives two rates for %s per '%s'; a charter has one rate per kind and "
          "unit",
          rate.kind, rate.unit));
    }
    std::erase_if(charter->standard_rates, [&rate](const StandardRate& old) {
      return old.kind == rate.kind && old.unit == rate.unit;
    });
    charter->standard_rates.push_back(std::move(rate));
  }
  if (inv.Has("benefit-basis")) charter->benefit_share_basis = inv.Get("benefit-basis");
  if (inv.Has("review-cadence-days") &&
      !absl::SimpleAtoi(inv.Get("review-cadence-days"), &charter->review_cadence_days)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("--review-cadence-days '%s' must be a whole number of days (0 = 30)",
                        inv.Get("review-cadence-days")));
  }
  return absl::OkStatus();
}

namespace {

absl::StatusOr<Output> GroupCreateCommand(const Invocation& inv, CommandContext& context) {
  CharterInput charter;
  charter.kind = "partnership";
  charter.founder.name = inv.Get("founder-name");
  absl::Status status = ApplyCharterFlags(inv, &charter);
  if (!status.ok()) return status;
  // The default charter lets a member open a campaign alone (docs/PROTOCOL.md §5.11.1) unless
  // --rule says how OPEN_CAMPAIGN is decided; without such a rule a campaign needs a decision.
  const bool open_campaign_ruled =
      std::any_of(charter.decision_rules.begin(), charter.decision_rules.end(),
                  [](const DecisionRule& r) { return r.decision_type == "open_campaign"; });
  if (!open_campaign_ruled) {
    DecisionRule open_campaign;
    open_campaign.decision_type = "open_campaign";
    open_campaign.process = "consent";
    open_campaign.member_acts_alone = true;
    charter.decision_rules.push_back(open_campaign);
  }
  // Write-offs of pledges are decided by consent (docs/PROTOCOL.md §5.11.7) unless --rule says
  // how WRITE_OFF is decided; without a rule the charter allows none.
  const bool write_off_ruled =
      std::any_of(charter.decision_rules.begin(), charter.decision_rules.end(),
                  [](const DecisionRule& r) { return r.decision_type == "write_off"; });
  if (!write_off_ruled) {
    DecisionRule write_off;
    write_off.decision_type = "write_off";
    write_off.process = "consent";
    charter.decision_rules.push_back(write_off);
  }
  return context.WriteCall(&Client::CreateGroup, GroupCreatedOutput, charter);
}

absl::StatusOr<Output> GroupListCommand(const Invocation&, CommandContext& context) {
  return context.ReadPages(
      [](Client& client, const PageOptions& page) { return client.ListGroupsPage(page); },
      kGroupFormat);
}

// A group and its action teams: what `group show` prints.
struct GroupOverview {
  Group group;
  std::vector<Team> teams;
};

absl::StatusOr<Output> GroupShowCommand(const Invocation& inv, CommandContext& context) {
  const std::string group_id = inv.Positional(0);
  return context.Read(
      [&](Client& client) -> absl::StatusOr<GroupOverview> {
        absl::StatusOr<Group> group = client.GetGroup(group_id);
        if (!group.ok()) return group.status();
        absl::StatusOr<std::vector<Team>> teams = client.ListTeams(group_id);
        if (!teams.ok()) return teams.status();
        return GroupOverview{*std::move(group), *std::move(teams)};
      },
      [](const GroupOverview& overview) {
        Output output = kGroupFormat(overview.group);
        output.json["teams"] = kTeamFormat(overview.teams).json;
        output.tables.emplace_back("Teams", kTeamFormat.TableOf(overview.teams));
        return output;
      });
}

// --after: a position, 0 when absent.
absl::StatusOr<uint64_t> AfterPosition(const Invocation& inv) {
  uint64_t after = 0;
  if (inv.Has("after") && !absl::SimpleAtoi(inv.Get("after"), &after)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("--after '%s' must be a position (a whole number >= 0)", inv.Get("after")));
  }
  return after;
}

absl::StatusOr<Output> GroupEventsCommand(const Invocation& inv, CommandContext& context) {
  return context.Read(
      AfterPosition(inv),
      [&](Client& client, uint64_t after) -> absl::StatusOr<std::vector<GroupEventEntry>> {
        // On a terminal, progress against the events the group holds after `after`.
        uint64_t total = 0;
        if (context.show_progress()) {
          absl::StatusOr<Group> group = client.GetGroup(inv.Positional(0));
          if (group.ok() && group->event_count > after) total = group->event_count - after;
        }
        absl::StatusOr<GroupEventStream> stream = client.GroupEvents(inv.Positional(0), after);
        if (!stream.ok()) return stream.status();
        Progress progress(context.err(), context.show_progress(), "events", total);
        return ReadAll<GroupEventEntry>(*stream, &progress);
      },
      kGroupEventFormat);
}

// One line per event a watch delivers: JSON (the fields of `group events` and the revision
// after it, to resume with --from), or text.
void PrintWatched(const GroupEventEntry& entry, const WatchRevision& revision,
                  OutputFormat format, std::ostream& out) {
  if (format == OutputFormat::kJson) {
    Json line = kGroupEventFormat.ToJson(entry);
    line.erase("position");
    line["revision"] = revision.ToString();
    out << EscapeControls(line.dump(-1, ' ', false, Json::error_handler_t::replace),
                          EscapeStyle::kJson)
        << "\n";
  } else if (format == OutputFormat::kCsv) {
    out << absl::StrJoin({FormatTimeMs(entry.hlc.wall_ms), entry.author,
                          absl::StrFormat("%d", entry.seq), CsvField(entry.kind), entry.event_id},
                         ",")
        << "\n";
  } else {
    out << absl::StrJoin({FormatTimeMs(entry.hlc.wall_ms), ShortId(entry.author),
                          absl::StrFormat("%d", entry.seq), OneLine(entry.kind), entry.event_id},
                         "  ")
        << "\n";
  }
  out.flush();
}

absl::StatusOr<Output> GroupWatchCommand(const Invocation& inv, CommandContext& context) {
  WatchOptions options;
  if (inv.Has("from")) {
    absl::StatusOr<WatchRevision> from = WatchRevision::Parse(inv.Get("from"));
    if (!from.ok()) {
      return absl::InvalidArgumentError(absl::StrFormat("--from: %s", from.status().message()));
    }
    options.after = *std::move(from);
  }
  absl::StatusOr<Client*> client = context.client();
  if (!client.ok()) return client.status();
  absl::StatusOr<WatchStream> stream = (*client)->Watch(inv.Get("group"), options);
  if (!stream.ok()) return stream.status();
  GroupEventEntry entry;
  while (true) {
    absl::StatusOr<bool> more = stream->Next(&entry);
    if (!more.ok()) return more.status();
    if (!*more) return Output::Text("");
    PrintWatched(entry, stream->revision(), context.format(), context.out());
  }
}

absl::StatusOr<Output> GroupStateHashCommand(const Invocation& inv, CommandContext& context) {
  uint64_t at = 0;
  if (inv.Has("at") && (!absl::SimpleAtoi(inv.Get("at"), &at) || at == 0)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "--at '%s' must be an event count (a whole number >= 1; omit it for every event)",
        inv.Get("at")));
  }
  return context.ReadCall(&Client::GetStateHash, kStateHashFormat, inv.Get("group"), at);
}

absl::StatusOr<Output> GroupForksCommand(const Invocation& inv, CommandContext& context) {
  return context.ReadCall(&Client::ListForkProofs, kForkProofFormat, inv.Get("group"));
}

absl::StatusOr<Output> MemberListCommand(const Invocation& inv, CommandContext& context) {
  const std::string group_id = inv.Get("group");
  return context.Read([&](Client& client) { return client.GetGroup(group_id); },
                      [](const Group& group) { return kMemberFormat(MembersAndInvited(group)); });
}

absl::StatusOr<Output> MemberShowCommand(const Invocation& inv, CommandContext& context) {
  const std::string group_id = inv.Get("group");
  const std::string org = inv.Positional(0);
  return context.Read([&](Client& client) { return client.GetMember(group_id, org); },
                      MemberOutput);
}

}  // namespace

std::string MembershipHint(const absl::Status& status, const CommandContext& context) {
  if (status.code() != absl::StatusCode::kPermissionDenied &&
      status.code() != absl::StatusCode::kFailedPrecondition) {
    return "";
  }
  return "this org may have left the group already (a notice takes effect after the "
         "charter's notice period): see 'constellation member list --group " +
         context.invocation().Get("group") + "'";
}

std::vector<Command> GroupCommands() {
  return {
      Command("group create", GroupCreateCommand)
          .Summary("Found a group (admin only), with this node's org as founder")
          .Required("--name NAME", "the group's name")
          .Optional("--agenda TEXT", "common agenda / vision")
          .Optional("--kind KIND",
                    "partnership (default: long-term, pooled resources) | collaboration")
          .Optional("--currency CODE", "base currency for totals, e.g. EUR")
          .Optional("--founder-name NAME", "this org's display name in the group")
          .Repeated("--rule TYPE=PROCESS",
                    "a decision rule, e.g. allocate_funds=consent (types without a rule use "
                    "their default, if any)")
          .Repeated("--standard-rate KIND:UNIT=AMOUNT",
                    "a standard rate for in-kind contributions, in --currency, e.g. "
                    "staff_time:hour=85.00")
          .Optional("--benefit-basis BASIS", "benefit shares: equal (default) | contributed_value")
          .Optional("--review-cadence-days N",
                    "days a member may go without a record before `health` flags it (default 30)")
          .Details("Prints group_id and event_id. JSON keys: group_id, event_id, request_id, "
                   "event, group.")
          .Example("constellation group create --name 'River Basin Partnership' --agenda 'Clean "
                   "water by 2030' --currency EUR -o json")
          .Write(),
      Command("group list", GroupListCommand)
          .Summary("List the groups this node holds")
          .Details("CSV columns: group_id, name, kind, currency, members, events, status (active "
                   "or dissolved).")
          .Example("constellation group list -o csv"),
      Command("group show", GroupShowCommand)
          .Summary("Show a group's charter, members, action teams and state hash")
          .Argument("GROUP", "group id")
          .Details("JSON keys: group_id, name, common_agenda, kind, base_currency, ..., members, "
                   "event_count, state_hash, teams.")
          .Example("constellation group show $GROUP"),
      Command("group events", GroupEventsCommand)
          .Summary("List a group's signed events in canonical order (what an auditor re-verifies)")
          .Argument("GROUP", "group id")
          .Optional("--after POSITION", "start after this position (default 0: from the genesis)")
          .Details("JSON adds event_base64 and signature_base64: the exact signed bytes.")
          .Example("constellation group events $GROUP --after 100 -o json"),
      Command("group watch", GroupWatchCommand)
          .Summary("Print a group's events as they happen, one line each, until interrupted")
          .Flag(GroupFlag())
          .Optional("--from REVISION",
                    "print only the events this revision does not cover (the \"revision\" of "
                    "the last JSON line printed before; default: from the genesis)")
          .Details("First every event the node holds, then each new one as the node commits "
                   "it (this node's writes and events from other members). It reconnects by "
                   "itself when the node restarts, without repeating or skipping an event. "
                   "Text columns: time, author, seq, kind, event_id. JSON: one object per "
                   "line with the keys of 'group events' and revision.")
          .Example("constellation group watch --group $GROUP -o json"),
      Command("group state-hash", GroupStateHashCommand)
          .Summary("Show the group's state hash, or the one after its first N events")
          .Flag(GroupFlag())
          .Optional("--at N",
                    "hash only the first N events in canonical order (the positions of "
                    "'group events'); default: every event the node holds")
          .Details("What a verifier that folds the group itself compares with "
                   "(docs/PROTOCOL.md §4): the hash a node holding exactly those events, and "
                   "the fork proofs of 'group forks', has. JSON keys: event_count, state_hash, "
                   "last_event_id.")
          .Example("constellation group state-hash --group $GROUP --at 100"),
      Command("group forks", GroupForksCommand)
          .Summary("List the fork proofs the node knows: members that signed two events for "
                   "one seq")
          .Flag(GroupFlag())
          .Details("One line per frozen member: its key, the seq it is frozen from and the two "
                   "events' ids. JSON adds both events with event_base64 and signature_base64, "
                   "the exact signed bytes, so the proof can be checked offline.")
          .Example("constellation group forks --group $GROUP -o json"),
      Command("member list", MemberListCommand)
          .Summary("List a group's members with their status, notice and frozen flag")
          .Flag(GroupFlag())
          .Details("Status is invited (admitted, not joined yet: no member until its node "
                   "accepts), active, notice_given, withdrawn or expelled (as of now); frozen "
                   "members forked their chain and have no effect until readmitted. CSV columns: "
                   "key, name, role, segment, status, weight, notice_effective, frozen.")
          .Example("constellation member list --group $GROUP")
          .Hint(MembershipHint),
      Command("member show", MemberShowCommand)
          .Summary("Show one member, whatever its status, with its open obligations")
          .Argument("ORG_KEY", "the member's org key (or a unique prefix, or its exact name)")
          .Flag(GroupFlag())
          .Details("Open obligations survive leaving: pledges with an outstanding part, funds "
                   "the org hosts with a balance, approved drawdowns of those funds not "
                   "disbursed yet, cash paid into them not received yet, and action items it "
                   "owns that are not done (docs/PROTOCOL.md §5.7). JSON keys: the member's, "
                   "plus open_obligations (kind, record_id, amount_minor, currency, due).")
          .Example("constellation member show --group $GROUP 'Harbour Trust'"),
  };
}

}  // namespace constellation::cli
