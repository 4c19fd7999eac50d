// cli/convenings/commands.cc: the `convening` commands (meetings, minutes, action items).
#include "cli/convenings/commands.h"

#include <absl/strings/str_format.h>
#include <absl/time/clock.h>

#include "cli/convenings/render.h"
#include "cli/input_file.h"
#include "cli/values.h"

namespace constellation::cli {
namespace {

// Minutes longer than the protocol's free-text limit (16 KiB) are refused by the node; reading
// one byte more lets that error say so instead of cutting the file.
constexpr size_t kMinutesFileSizeBytesMax = 16 * 1024 + 1;

// The text of --text, or of the file --file names ("-": standard input).
absl::StatusOr<std::string> MinutesText(const Invocation& inv) {
  if (inv.Has("text") == inv.Has("file")) {
    return absl::InvalidArgumentError("give the minutes with --text TEXT or --file PATH (one)");
  }
  if (inv.Has("text")) return inv.Get("text");
  return ReadInputFile(inv.Get("file"), "--file", kMinutesFileSizeBytesMax);
}

absl::StatusOr<Output> ScheduleCommand(const Invocation& inv, CommandContext& context) {
  ConveningInput c;
  c.title = inv.Get("title");
  absl::StatusOr<uint64_t> at = ParseInstantMs(inv.Get("at"), "at", absl::Now());
  if (!at.ok()) return at.status();
  c.scheduled_ms = *at;
  c.agenda_items = inv.GetAll("agenda");
  c.agenda_proposal_ids = inv.GetAll("proposal");
  c.invitees = inv.GetAll("invite");
  c.location = inv.Get("location");
  return context.WriteCall(&Client::ScheduleConvening, ConveningWriteOutput, inv.Get("group"), c);
}

absl::StatusOr<Output> ListCommand(const Invocation& inv, CommandContext& context) {
  return context.ReadPages(
      [&](Client& client, const PageOptions& page) {
        return client.ListConveningsPage(inv.Get("group"), page);
      },
      kConveningFormat);
}

absl::StatusOr<Output> ShowCommand(const Invocation& inv, CommandContext& context) {
  return context.ReadCall(&Client::GetConvening, kConveningFormat, inv.Get("group"),
                          inv.Positional(0));
}

absl::StatusOr<Output> AttendCommand(const Invocation& inv, CommandContext& context) {
  return context.WriteCall(&Client::RecordAttendance, ConveningWriteOutput, inv.Get("group"),
                           inv.Positional(0));
}

absl::StatusOr<Output> MinutesCommand(const Invocation& inv, CommandContext& context) {
  absl::StatusOr<std::string> text = MinutesText(inv);
  if (!text.ok()) return text.status();
  return context.WriteCall(&Client::RecordMinutes, ConveningWriteOutput, inv.Get("group"),
                           inv.Positional(0), *text);
}

absl::StatusOr<Output> ActionAddCommand(const Invocation& inv, CommandContext& context) {
  ActionItemInput item;
  item.text = inv.Get("text");
  item.owner = inv.Get("owner");
  absl::StatusOr<uint64_t> due = ParseInstantMs(inv.Get("due"), "due", absl::Now());
  if (!due.ok()) return due.status();
  item.due_ms = *due;
  return context.WriteCall(&Client::AddActionItem, ActionItemWriteOutput, inv.Get("group"),
                           inv.Positional(0), item);
}

absl::StatusOr<Output> ActionDoneCommand(const Invocation& inv, CommandContext& context) {
  return context.WriteCall(&Client::CompleteActionItem, ActionItemWriteOutput, inv.Get("group"),
                           inv.Positional(0), inv.Get("note"));
}

absl::StatusOr<Output> ActionListCommand(const Invocation& inv, CommandContext& context) {
  const bool not_done = inv.Has("open");
  return context.ReadCall(&Client::ListActionItems, kActionItemFormat, inv.Get("group"),
                          inv.Get("owner"), not_done);
}

// After kPermissionDenied (the node said who may write the record; the token is not the
// cause), `who`; after kFailedPrecondition, where to see the convening.
std::string ConveningHint(const absl::Status& status, const CommandContext& context,
                          const std::string& who) {
  if (status.code() == absl::StatusCode::kPermissionDenied) return who;
  if (status.code() != absl::StatusCode::kFailedPrecondition) return "";
  return "see the convening with 'constellation convening show --group " +
         context.invocation().Get("group") + " " + context.invocation().Positional(0) + "'";
}

std::string AttendHint(const absl::Status& status, const CommandContext& context) {
  return ConveningHint(status, context,
                       "only the members the convener invited attend; 'constellation convening "
                       "show' lists the invitees");
}

std::string MinutesHint(const absl::Status& status, const CommandContext& context) {
  return ConveningHint(status, context, "only the convener records the minutes");
}

std::string ActionAddHint(const absl::Status& status, const CommandContext& context) {
  if (status.code() == absl::StatusCode::kFailedPrecondition) {
    return "the owner must be a member of the group: 'constellation member list --group " +
           context.invocation().Get("group") + "'";
  }
  return ConveningHint(status, context,
                       "record your attendance first ('constellation convening attend'): the "
                       "convener and the attendees record action items");
}

std::string ActionDoneHint(const absl::Status& status, const CommandContext& context) {
  (void)context;
  if (status.code() != absl::StatusCode::kPermissionDenied) return "";
  return "only the item's owner or its convening's convener marks it done";
}

}  // namespace

std::vector<Command> ConveningCommands() {
  return {
      Command("convening schedule", ScheduleCommand)
          .Summary("Convene a meeting of the group: title, time, agenda, invitees")
          .Flag(GroupFlag())
          .Required("--title TEXT", "what the meeting is")
          .Required("--at WHEN",
                    "when it meets: DATE, DATE-TIME (2027-01-14T15:00:00Z), ms or "
                    "+DURATION")
          .Repeated("--agenda TEXT", "a free agenda item (in order)")
          .Repeated("--proposal PROPOSAL", "a proposal of the group to discuss (in order)")
          .Repeated("--invite ORG_KEY", "a member to invite (default: every member)")
          .Optional("--location TEXT", "a place or a call link")
          .Details("This org is the convener: it records the minutes and, with the attendees, "
                   "the action items. JSON keys: convening_id, event_id, request_id, event, "
                   "convening.")
          .Example("constellation convening schedule --group $GROUP --title 'Quarterly review' "
                   "--at 2027-01-14T15:00:00Z --agenda 'Indicators Q4' --proposal $PROPOSAL")
          .Write(),
      Command("convening list", ListCommand)
          .Summary("List convenings by scheduled time")
          .Flag(GroupFlag())
          .Details("CSV columns: convening_id, scheduled, title, convener, attended, "
                   "actions_not_done, minutes.")
          .Example("constellation convening list --group $GROUP"),
      Command("convening show", ShowCommand)
          .Summary("Show a convening: agenda, attendance, minutes and action items")
          .Argument("CONVENING", "convening id (or its exact title)")
          .Flag(GroupFlag())
          .Details("An action item not done is overdue once its due date has passed.")
          .Example("constellation convening show --group $GROUP $CONVENING"),
      Command("convening attend", AttendCommand)
          .Summary("Record that this org attended a convening")
          .Argument("CONVENING", "convening id (or its exact title)")
          .Flag(GroupFlag())
          .Details("Each member records its own attendance, once; only invitees may (every "
                   "member when the convening invited no one by name).")
          .Example("constellation convening attend --group $GROUP $CONVENING")
          .Hint(AttendHint)
          .Write(),
      Command("convening minutes", MinutesCommand)
          .Summary("Record the minutes of a convening (its convener)")
          .Argument("CONVENING", "convening id (or its exact title)")
          .Flag(GroupFlag())
          .Optional("--text TEXT", "the minutes")
          .Optional("--file PATH", "read the minutes from a file ('-': standard input)")
          .Details("A later record replaces the minutes shown; every version stays in the log. "
                   "At most 16 KiB.")
          .Example("constellation convening minutes --group $GROUP $CONVENING --file minutes.md")
          .Hint(MinutesHint)
          .Write(),
      Command("convening action add", ActionAddCommand)
          .Summary("Add an action item to a convening (its convener or an attendee)")
          .Argument("CONVENING", "convening id (or its exact title)")
          .Flag(GroupFlag())
          .Required("--text TEXT", "what is to be done")
          .Required("--owner ORG_KEY", "the member who owns it")
          .Required("--due WHEN", "due date: DATE, DATE-TIME, ms or +DURATION")
          .Details("JSON keys: action_id, event_id, request_id, event, action_item.")
          .Example("constellation convening action add --group $GROUP $CONVENING --text 'Draft "
                   "the Q1 report' --owner 'Harbour Trust' --due 2027-02-01")
          .Hint(ActionAddHint)
          .Write(),
      Command("convening action done", ActionDoneCommand)
          .Summary("Mark an action item done (its owner or the convener)")
          .Argument("ACTION", "action item id")
          .Flag(GroupFlag())
          .Optional("--note TEXT", "what was done")
          .Example("constellation convening action done --group $GROUP $ACTION --note 'sent'")
          .Hint(ActionDoneHint)
          .Write(),
      Command("convening action list", ActionListCommand)
          .Summary("List action items by due date: open, overdue or done")
          .Flag(GroupFlag())
          .Optional("--owner ORG_KEY", "only this member's items")
          .Optional("--open", "only items not done (open or overdue)")
          .Details("Overdue is judged as of now. CSV columns: action_id, due, status, owner, "
                   "text, convening_id.")
          .Example("constellation convening action list --group $GROUP --open"),
  };
}

}  // namespace constellation::cli
