// cli/commands_group.cc: group and campaign commands.
#include <absl/strings/numbers.h>
#include <absl/strings/str_format.h>
#include <constellation/money.h>

#include "cli/commands.h"
#include "cli/values.h"

namespace constellation::cli {
namespace {

// Object output of a write: the created id at a stable top-level key, the event id, the
// request id, then the event and the resulting view.
Json WriteJson(const std::string& id_key, const std::string& id, const EventRef& event,
               const std::string& request_id, const std::string& view_key, Json view) {
  return Json{{id_key, id},
              {"event_id", event.event_id},
              {"request_id", request_id},
              {"event", ToJson(event)},
              {view_key, std::move(view)}};
}

absl::Status GroupCreateCommand(CommandContext& context) {
  const Invocation& inv = context.invocation();
  CharterInput charter;
  charter.name = inv.Get("name");
  charter.common_agenda = inv.Get("agenda");
  charter.kind = inv.Has("kind") ? inv.Get("kind") : "partnership";
  if (charter.kind != "partnership" && charter.kind != "collaboration") {
    return absl::InvalidArgumentError(
        absl::StrFormat("--kind '%s' must be partnership or collaboration", charter.kind));
  }
  charter.base_currency = inv.Get("currency");
  if (!charter.base_currency.empty() && !IsKnownCurrency(charter.base_currency)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("--currency '%s' is not an ISO-4217 code (use upper case, e.g. EUR)",
                        charter.base_currency));
  }
  charter.founder.name = inv.Get("founder-name");
  absl::StatusOr<Client*> client = context.client();
  if (!client.ok()) return client.status();
  absl::StatusOr<GroupWrite> write = (*client)->CreateGroup(charter, context.write_options());
  if (!write.ok()) return write.status();
  context.PrintObject(WriteJson("group_id", write->group.group_id, write->event,
                                context.request_id(), "group", ToJson(write->group)),
                      {{"group_id", write->group.group_id},
                       {"event_id", write->event.event_id},
                       {"name", write->group.charter.name},
                       {"kind", write->group.charter.kind},
                       {"base_currency", write->group.charter.base_currency}});
  return absl::OkStatus();
}

absl::Status GroupListCommand(CommandContext& context) {
  absl::StatusOr<Client*> client = context.client();
  if (!client.ok()) return client.status();
  absl::StatusOr<std::vector<Group>> groups = (*client)->ListGroups();
  if (!groups.ok()) return groups.status();
  Json json = Json::array();
  for (const Group& group : *groups) json.push_back(ToJson(group));
  context.PrintList(json, GroupsTable(*groups));
  return absl::OkStatus();
}

absl::Status GroupShowCommand(CommandContext& context) {
  absl::StatusOr<Client*> client = context.client();
  if (!client.ok()) return client.status();
  absl::StatusOr<Group> group = (*client)->GetGroup(context.invocation().Positional(0));
  if (!group.ok()) return group.status();
  context.PrintObject(ToJson(*group), GroupDetails(*group),
                      {{"Members", MembersTable(group->members)}});
  return absl::OkStatus();
}

absl::Status GroupEventsCommand(CommandContext& context) {
  const Invocation& inv = context.invocation();
  uint64_t after = 0;
  if (inv.Has("after") && !absl::SimpleAtoi(inv.Get("after"), &after)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("--after '%s' must be a position (a whole number >= 0)", inv.Get("after")));
  }
  absl::StatusOr<Client*> client = context.client();
  if (!client.ok()) return client.status();
  absl::StatusOr<GroupEventStream> stream = (*client)->GroupEvents(inv.Positional(0), after);
  if (!stream.ok()) return stream.status();
  absl::StatusOr<std::vector<GroupEventEntry>> read = ReadAll<GroupEventEntry>(*stream);
  if (!read.ok()) return read.status();
  const std::vector<GroupEventEntry>& entries = *read;
  Json json = Json::array();
  for (const GroupEventEntry& item : entries) json.push_back(ToJson(item));
  context.PrintList(json, GroupEventsTable(entries));
  return absl::OkStatus();
}

absl::Status GroupJoinCommand(CommandContext& context) {
  const Invocation& inv = context.invocation();
  MemberProfile profile;
  profile.name = inv.Get("name");
  profile.endpoints = inv.GetAll("advertise");
  absl::StatusOr<Client*> client = context.client();
  if (!client.ok()) return client.status();
  absl::StatusOr<JoinResult> join =
      (*client)->JoinGroup(inv.Get("group"), inv.Get("from"), profile, context.write_options());
  if (!join.ok()) return join.status();
  Json json = WriteJson("group_id", join->group.group_id, join->event, context.request_id(),
                        "group", ToJson(join->group));
  json["sync"] = ToJson(join->sync);
  context.PrintObject(json,
                      {{"group_id", join->group.group_id},
                       {"event_id", join->event.event_id},
                       {"name", join->group.charter.name},
                       {"members", absl::StrFormat("%d", join->group.members.size())},
                       {"events_received", absl::StrFormat("%d", join->sync.received)},
                       {"events_inserted", absl::StrFormat("%d", join->sync.inserted)},
                       {"state_hash", join->group.state_hash}},
                      {{"Members", MembersTable(join->group.members)}});
  return absl::OkStatus();
}

absl::Status CampaignOpenCommand(CommandContext& context) {
  const Invocation& inv = context.invocation();
  CampaignInput campaign;
  campaign.name = inv.Get("name");
  const std::string currency = inv.Get("currency");
  absl::StatusOr<Money> goal = ParseMoney(inv.Get("goal"), currency, "goal");
  if (!goal.ok()) return goal.status();
  campaign.goal = *goal;
  if (inv.Has("deadline")) {
    absl::StatusOr<uint64_t> deadline_ms = ParseDateMs(inv.Get("deadline"), "deadline");
    if (!deadline_ms.ok()) return deadline_ms.status();
    campaign.deadline_ms = *deadline_ms;
  }
  campaign.fiscal_host = inv.Get("fiscal-host");
  if (inv.Has("restriction")) {
    absl::StatusOr<Restriction> restriction = ParseRestriction(inv.Get("restriction"));
    if (!restriction.ok()) return restriction.status();
    campaign.restriction = *restriction;
  }
  if (inv.Has("assurance") != inv.Has("assurance-deadline")) {
    return absl::InvalidArgumentError(
        "an assurance contract needs both --assurance AMOUNT and --assurance-deadline DATE");
  }
  if (inv.Has("assurance")) {
    absl::StatusOr<Money> threshold = ParseMoney(inv.Get("assurance"), currency, "assurance");
    if (!threshold.ok()) return threshold.status();
    campaign.assurance_threshold = *threshold;
    absl::StatusOr<uint64_t> deadline_ms =
        ParseDateMs(inv.Get("assurance-deadline"), "assurance-deadline");
    if (!deadline_ms.ok()) return deadline_ms.status();
    campaign.assurance_deadline_ms = *deadline_ms;
  }
  absl::StatusOr<Client*> client = context.client();
  if (!client.ok()) return client.status();
  absl::StatusOr<CampaignWrite> write =
      (*client)->OpenCampaign(inv.Get("group"), campaign, context.write_options());
  if (!write.ok()) return write.status();
  context.PrintObject(WriteJson("campaign_id", write->campaign.campaign_id, write->event,
                                context.request_id(), "campaign", ToJson(write->campaign)),
                      {{"campaign_id", write->campaign.campaign_id},
                       {"event_id", write->event.event_id},
                       {"name", write->campaign.definition.name},
                       {"goal", MoneyText(write->campaign.definition.goal.amount_minor,
                                          write->campaign.definition.goal.currency)},
                       {"fiscal_host", write->campaign.fiscal_host}});
  return absl::OkStatus();
}

absl::Status CampaignListCommand(CommandContext& context) {
  absl::StatusOr<Client*> client = context.client();
  if (!client.ok()) return client.status();
  absl::StatusOr<std::vector<Campaign>> campaigns =
      (*client)->ListCampaigns(context.invocation().Get("group"));
  if (!campaigns.ok()) return campaigns.status();
  Json json = Json::array();
  for (const Campaign& campaign : *campaigns) json.push_back(ToJson(campaign));
  context.PrintList(json, CampaignsTable(*campaigns));
  return absl::OkStatus();
}

absl::Status CampaignShowCommand(CommandContext& context) {
  absl::StatusOr<Client*> client = context.client();
  if (!client.ok()) return client.status();
  absl::StatusOr<Campaign> campaign =
      (*client)->GetCampaign(context.invocation().Get("group"), context.invocation().Positional(0));
  if (!campaign.ok()) return campaign.status();
  context.PrintObject(ToJson(*campaign), CampaignDetails(*campaign));
  return absl::OkStatus();
}

const FlagSpec kGroupFlag = {"group", "GROUP", "group id (64 hex characters)", true};

}  // namespace

std::vector<Command> GroupCommands() {
  std::vector<Command> commands;
  commands.push_back(
      {{"group",
        "create",
        "Found a group (admin only), with this node's org as founder",
        {},
        {{"name", "NAME", "the group's name", true},
         {"agenda", "TEXT", "common agenda / vision"},
         {"kind", "KIND", "partnership (default: long-term, pooled resources) | collaboration"},
         {"currency", "CODE", "base currency for totals, e.g. EUR"},
         {"founder-name", "NAME", "this org's display name in the group"}},
        "Prints group_id and event_id. JSON keys: group_id, event_id, request_id, event, group.",
        "constellation group create --name 'River Basin Partnership' --agenda 'Clean water by "
        "2030' --currency EUR -o json",
        true},
       GroupCreateCommand});
  commands.push_back({{"group",
                       "list",
                       "List the groups this node holds",
                       {},
                       {},
                       "CSV columns: group_id, name, kind, currency, members, events.",
                       "constellation group list -o csv"},
                      GroupListCommand});
  commands.push_back({{"group",
                       "show",
                       "Show a group's charter, members and state hash",
                       {{"GROUP", "group id"}},
                       {},
                       "JSON keys: group_id, name, common_agenda, kind, base_currency, ..., "
                       "members, event_count, state_hash.",
                       "constellation group show $GROUP"},
                      GroupShowCommand});
  commands.push_back(
      {{"group",
        "events",
        "List a group's signed events in canonical order (what an auditor re-verifies)",
        {{"GROUP", "group id"}},
        {{"after", "POSITION", "start after this position (default 0: from the genesis)"}},
        "JSON adds event_base64 and signature_base64: the exact signed bytes.",
        "constellation group events $GROUP --after 100 -o json"},
       GroupEventsCommand});
  commands.push_back(
      {{"group",
        "join",
        "Join a group this org was admitted to (admin only): fetch it from a member's node",
        {},
        {{"group", "GROUP", "group id (64 hex characters), from the invitation", true},
         {"from", "HOST:PORT", "a member's node that holds the group", true},
         {"name", "NAME", "this org's display name in the group (default: the node's org name)"},
         {"advertise", "HOST:PORT",
          "endpoint to publish for replication (default: the node's endpoints)", false, true}},
        "Works once the admission proposal (proposal admit) is passed and final. This node "
        "pulls the group from --from, verifies every event, then records this org's "
        "acceptance, which replication sends to the members. JSON keys: group_id, event_id, "
        "request_id, event, group, sync.",
        "constellation group join --group $GROUP --from 10.0.0.7:7400",
        true},
       GroupJoinCommand});
  commands.push_back(
      {{"campaign",
        "open",
        "Open a fundraising campaign in a group",
        {},
        {kGroupFlag,
         {"name", "NAME", "campaign name", true},
         {"goal", "AMOUNT", "goal as a decimal, e.g. 1000.00", true},
         {"currency", "CODE", "ISO-4217 currency of the goal and its pledges", true},
         {"deadline", "DATE", "YYYY-MM-DD or RFC 3339"},
         {"fiscal-host", "ORG_KEY", "member holding the money (default: this org)"},
         {"restriction", "KIND:TEXT", "purpose:TEXT | perpetual[:TEXT] | time:DATE"},
         {"assurance", "AMOUNT", "assurance threshold: pledges bind only if reached"},
         {"assurance-deadline", "DATE", "by when the assurance threshold must be reached"}},
        "Prints campaign_id and event_id. JSON keys: campaign_id, event_id, request_id, event, "
        "campaign.",
        "constellation campaign open --group $GROUP --name 'Wells 2027' --goal 1000.00 "
        "--currency EUR --deadline 2027-03-31 --restriction 'purpose:wells'",
        true},
       CampaignOpenCommand});
  commands.push_back({{"campaign",
                       "list",
                       "List a group's campaigns with their totals",
                       {},
                       {kGroupFlag},
                       "CSV columns: campaign_id, name, currency, goal, pledged, received, "
                       "outstanding, pledges, deadline.",
                       "constellation campaign list --group $GROUP"},
                      CampaignListCommand});
  commands.push_back({{"campaign",
                       "show",
                       "Show a campaign and its totals",
                       {{"CAMPAIGN", "campaign id"}},
                       {kGroupFlag},
                       "JSON amounts: goal/pledged/received/outstanding/conditional, each as "
                       "<name>_minor (integer) and <name> (decimal).",
                       "constellation campaign show --group $GROUP $CAMPAIGN"},
                      CampaignShowCommand});
  return commands;
}

}  // namespace constellation::cli
