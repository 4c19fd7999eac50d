// cli/health/commands.cc: `health` and the `pulse` commands.
#include "cli/health/commands.h"

#include <absl/strings/numbers.h>
#include <absl/strings/str_format.h>

#include "cli/health/render.h"
#include "cli/values.h"

namespace constellation::cli {
namespace {

absl::StatusOr<Output> HealthCommand(const Invocation& inv, CommandContext& context) {
  uint64_t as_of_ms = 0;
  if (inv.Has("as-of")) {
    absl::StatusOr<uint64_t> parsed = ParseDateMs(inv.Get("as-of"), "as-of");
    if (!parsed.ok()) return parsed.status();
    as_of_ms = *parsed;
  }
  return context.ReadCall(&Client::GetHealth, HealthOutput, inv.Get("group"), as_of_ms);
}

absl::StatusOr<Output> PulseRecordCommand(const Invocation& inv, CommandContext& context) {
  uint32_t alignment = 0;
  if (!absl::SimpleAtoi(inv.Get("alignment"), &alignment) || alignment < 1 || alignment > 5) {
    return absl::InvalidArgumentError(
        absl::StrFormat("--alignment '%s': give 1 (not aligned at all) to 5 (fully aligned)",
                        inv.Get("alignment")));
  }
  return context.WriteCall(&Client::RecordPulse, PulseWriteOutput, inv.Get("group"), alignment,
                           inv.Get("comment"));
}

absl::StatusOr<Output> PulseListCommand(const Invocation& inv, CommandContext& context) {
  return context.ReadCall(&Client::ListPulses, kPulseFormat, inv.Get("group"), inv.Get("member"));
}

}  // namespace

std::vector<Command> HealthCommands() {
  return {
      Command("health", HealthCommand)
          .Summary("The partnership at a glance: review, silent members, who owes what, pulse")
          .Flag(GroupFlag())
          .Optional("--as-of DATE", "as of this date (default: now)")
          .Details("One line per active member: its last record in the group (silent: none for "
                   "longer than the charter's review cadence, 30 days unless it sets one), its "
                   "latest pulse with the trend from the one before, and what it owes: stances "
                   "on open proposals, acknowledgements, overdue action items, overdue pledges, "
                   "indicator reports of the last complete period. "
                   "Then the pulse trend by month, and the action teams past their review date "
                   "(not closed; their leads owe the review). JSON keys: group_id, as_of, "
                   "review, review_due, term_end, term_ended, dissolved, open_proposals, "
                   "members, pulse_trend, teams_review_due.")
          .Example("constellation health --group $GROUP"),
      Command("pulse record", PulseRecordCommand)
          .Summary("Record this org's pulse check: how aligned the partnership feels, 1-5")
          .Flag(GroupFlag())
          .Required("--alignment N", "1 (not aligned at all) to 5 (fully aligned)")
          .Optional("--comment TEXT", "a candid comment (every member reads it)")
          .Details("Check the pulse regularly: `health` shows each member's latest pulse and the "
                   "group's trend by month. JSON keys: event_id, request_id, event, pulse.")
          .Example("constellation pulse record --group $GROUP --alignment 4 --comment 'Good "
                   "quarter; reporting is still a chore'")
          .Write(),
      Command("pulse list", PulseListCommand)
          .Summary("List pulse checks with their comments")
          .Flag(GroupFlag())
          .Optional("--member ORG_KEY", "only this member's")
          .Details("CSV columns: event_id, member, alignment, comment, recorded.")
          .Example("constellation pulse list --group $GROUP -o csv"),
  };
}

}  // namespace constellation::cli
