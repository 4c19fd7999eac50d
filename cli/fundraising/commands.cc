// cli/fundraising/commands.cc: campaign and pledge commands.
#include "cli/fundraising/commands.h"

#include <optional>
#include <string_view>
#include <utility>

#include <absl/strings/numbers.h>
#include <absl/strings/str_format.h>
#include <absl/time/clock.h>

#include "cli/fundraising/import.h"
#include "cli/fundraising/pledge_flags.h"
#include "cli/fundraising/render.h"
#include "cli/governance/render.h"
#include "cli/values.h"

namespace constellation::cli {
namespace {

// The campaign the flags of `campaign open` describe.
absl::StatusOr<CampaignInput> CampaignFromFlags(const Invocation& inv) {
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
  for (const std::string& code : inv.GetAll("accept-currency")) {
    campaign.accepted_currencies.push_back(code);
  }
  if (inv.Has("threshold") && inv.Has("assurance")) {
    return absl::InvalidArgumentError("--threshold and --assurance are the same: give one");
  }
  const bool by_threshold = inv.Has("threshold") || inv.Has("threshold-members");
  if (by_threshold != inv.Has("threshold-deadline")) {
    return absl::InvalidArgumentError(
        "an assurance threshold needs --threshold AMOUNT and/or --threshold-members N, and "
        "--threshold-deadline DATE");
  }
  if (inv.Has("threshold")) {
    absl::StatusOr<Money> threshold = ParseMoney(inv.Get("threshold"), currency, "threshold");
    if (!threshold.ok()) return threshold.status();
    campaign.assurance_threshold = *threshold;
  }
  if (inv.Has("threshold-members")) {
    uint32_t members = 0;
    if (!absl::SimpleAtoi(inv.Get("threshold-members"), &members) || members == 0) {
      return absl::InvalidArgumentError("--threshold-members needs a positive whole number");
    }
    campaign.assurance_member_count = members;
  }
  if (by_threshold) {
    absl::StatusOr<uint64_t> deadline_ms =
        ParseDateMs(inv.Get("threshold-deadline"), "threshold-deadline");
    if (!deadline_ms.ok()) return deadline_ms.status();
    campaign.assurance_deadline_ms = *deadline_ms;
  }
  return campaign;
}

// `campaign open`: alone (the charter lets a member), --propose (an OPEN_CAMPAIGN proposal
// with the campaign as its payload) or --proposal P (opens the campaign a final, passed
// proposal decided).
absl::StatusOr<Output> CampaignOpenCommand(const Invocation& inv, CommandContext& context) {
  if (inv.Has("proposal")) {
    if (inv.Has("propose") || inv.Has("name")) {
      return absl::InvalidArgumentError(
          "--proposal opens the campaign the proposal decided: give no campaign flags with it");
    }
    return context.Write(
        [&](Client& client) -> absl::StatusOr<CampaignWrite> {
          absl::StatusOr<Proposal> proposal = client.GetProposal(inv.Get("group"), inv.Get("proposal"));
          if (!proposal.ok()) return proposal.status();
          if (!proposal->spec.campaign.has_value()) {
            return absl::InvalidArgumentError(absl::StrFormat(
                "proposal %s is not an OPEN_CAMPAIGN proposal", inv.Get("proposal")));
          }
          CampaignInput campaign = *proposal->spec.campaign;
          campaign.proposal_id = proposal->proposal_id;
          return client.OpenCampaign(inv.Get("group"), campaign, context.write_options());
        },
        CampaignOpenedOutput);
  }
  for (const char* flag : {"name", "goal", "currency"}) {
    if (!inv.Has(flag)) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "--%s is required (or --proposal P to open a campaign a proposal decided)", flag));
    }
  }
  absl::StatusOr<CampaignInput> campaign = CampaignFromFlags(inv);
  if (!campaign.ok()) return campaign.status();
  if (inv.Has("propose")) {
    ProposalSpec spec;
    spec.decision_type = "open_campaign";
    spec.title = inv.Has("title") ? inv.Get("title") : "Open campaign " + campaign->name;
    spec.text = inv.Get("text");
    spec.campaign = *campaign;
    return context.WriteCall(&Client::Propose, ProposalWriteOutput, inv.Get("group"), spec);
  }
  return context.WriteCall(&Client::OpenCampaign, CampaignOpenedOutput, inv.Get("group"),
                           *campaign);
}

absl::StatusOr<Output> CampaignListCommand(const Invocation& inv, CommandContext& context) {
  const std::string group_id = inv.Get("group");
  return context.ReadPages(
      [&](Client& client, const PageOptions& page) {
        return client.ListCampaignsPage(group_id, page);
      },
      kCampaignFormat);
}

absl::StatusOr<Output> CampaignShowCommand(const Invocation& inv, CommandContext& context) {
  return context.ReadCall(&Client::GetCampaign, kCampaignFormat, inv.Get("group"),
                          inv.Positional(0));
}

absl::StatusOr<uint64_t> AsOfMs(const Invocation& inv) {
  if (!inv.Has("as-of")) return 0;
  return ParseDateMs(inv.Get("as-of"), "as-of");
}

absl::StatusOr<Output> PledgeRecordCommand(const Invocation& inv, CommandContext& context) {
  absl::StatusOr<PledgeInput> pledge = PledgeFromFlags(inv);
  if (!pledge.ok()) return pledge.status();
  return context.Write(
      [&](Client& client) {
        if (pledge->schedule.has_value()) {
          return client.RecordPledge(inv.Get("group"), pledge->campaign_id, pledge->terms,
                                     *pledge->schedule, context.write_options());
        }
        return client.RecordPledge(inv.Get("group"), pledge->campaign_id, pledge->terms,
                                   context.write_options());
      },
      PledgeWriteOutput);
}

// The patch the flags of `pledge amend` describe: only the terms given change. --amount is
// parsed in `currency`.
absl::StatusOr<PledgeTermsPatch> PatchFromFlags(const Invocation& inv,
                                                const std::string& currency) {
  PledgeTermsPatch patch;
  if (inv.Has("amount")) {
    absl::StatusOr<Money> amount = ParseMoney(inv.Get("amount"), currency, "amount");
    if (!amount.ok()) return amount.status();
    patch.amount = *amount;
  }
  if (inv.Has("installment")) {
    std::vector<Installment> installments;
    for (const std::string& text : inv.GetAll("installment")) {
      absl::StatusOr<Installment> installment = ParseInstallment(text, currency);
      if (!installment.ok()) return installment.status();
      installments.push_back(*installment);
    }
    if (inv.Has("remaining")) {
      patch.remaining_installments = std::move(installments);
    } else {
      patch.installments = std::move(installments);
    }
  }
  absl::StatusOr<std::optional<InstallmentSchedule>> schedule = ScheduleFlags(inv);
  if (!schedule.ok()) return schedule.status();
  if (schedule->has_value()) patch.remaining_schedule = **schedule;
  absl::StatusOr<std::optional<PledgeCondition>> condition = ConditionFlags(inv);
  if (!condition.ok()) return condition.status();
  if (condition->has_value()) patch.condition = **condition;
  patch.clear_condition = inv.Has("unconditional");
  if (inv.Has("restriction")) {
    absl::StatusOr<Restriction> restriction = ParseRestriction(inv.Get("restriction"));
    if (!restriction.ok()) return restriction.status();
    patch.restriction = *restriction;
  }
  if (inv.Has("note")) patch.note = inv.Get("note");
  if (inv.Has("donor")) patch.donor_name = inv.Get("donor");
  if (inv.Has("evidence-sha256")) patch.evidence_sha256 = inv.Get("evidence-sha256");
  return patch;
}

absl::StatusOr<Output> PledgeAmendCommand(const Invocation& inv, CommandContext& context) {
  return context.Write(
      [&](Client& client) -> absl::StatusOr<PledgeWrite> {
        // Only the flags given change: the node merges the patch onto the current terms.
        std::string currency = inv.Get("currency");
        if (currency.empty() && (inv.Has("amount") || inv.Has("installment"))) {
          absl::StatusOr<Pledge> current = client.GetPledge(inv.Get("group"), inv.Positional(0));
          if (!current.ok()) return current.status();
          currency = current->terms.amount.currency;
        }
        absl::StatusOr<PledgeTermsPatch> patch = PatchFromFlags(inv, currency);
        if (!patch.ok()) return patch.status();
        return client.AmendPledge(inv.Get("group"), inv.Positional(0), *patch, inv.Get("reason"),
                                  context.write_options());
      },
      PledgeWriteOutput);
}

// --amount in --currency, or in the currency of the pledge (the first argument) when none.
absl::StatusOr<Money> PledgeAmountFlag(const Invocation& inv, Client& client) {
  std::string currency = inv.Get("currency");
  if (currency.empty()) {
    absl::StatusOr<Pledge> pledge = client.GetPledge(inv.Get("group"), inv.Positional(0));
    if (!pledge.ok()) return pledge.status();
    currency = pledge->terms.amount.currency;
  }
  return ParseMoney(inv.Get("amount"), currency, "amount");
}

absl::StatusOr<Output> PledgeCancelCommand(const Invocation& inv, CommandContext& context) {
  return context.WriteCall(&Client::CancelPledge, PledgeWriteOutput, inv.Get("group"),
                           inv.Positional(0), inv.Get("reason"));
}

absl::StatusOr<Output> PledgePayCommand(const Invocation& inv, CommandContext& context) {
  return context.Write(
      [&](Client& client) -> absl::StatusOr<PledgeWrite> {
        absl::StatusOr<Money> amount = PledgeAmountFlag(inv, client);
        if (!amount.ok()) return amount.status();
        uint64_t received_ms = static_cast<uint64_t>(absl::ToUnixMillis(absl::Now()));
        if (inv.Has("received")) {
          absl::StatusOr<uint64_t> parsed = ParseDateMs(inv.Get("received"), "received");
          if (!parsed.ok()) return parsed.status();
          received_ms = *parsed;
        }
        if (inv.Has("unapplied")) {
          return client.RecordUnappliedReceipt(inv.Get("group"), inv.Positional(0), *amount,
                                               received_ms, inv.Get("ref"),
                                               context.write_options());
        }
        return client.RecordPayment(inv.Get("group"), inv.Positional(0), *amount, received_ms,
                                    inv.Get("ref"), context.write_options());
      },
      PledgeWriteOutput);
}

// `pledge write-off`: --propose (a WRITE_OFF proposal) or --proposal P (the fiscal host
// records the write-off the final, passed proposal decided).
absl::StatusOr<Output> PledgeWriteOffCommand(const Invocation& inv, CommandContext& context) {
  if (inv.Has("propose") == inv.Has("proposal")) {
    return absl::InvalidArgumentError(
        "give --propose (with --amount and --reason-code) to propose a write-off, or "
        "--proposal P to record one a proposal decided");
  }
  if (inv.Has("propose")) {
    if (!inv.Has("amount") || !inv.Has("reason-code")) {
      return absl::InvalidArgumentError("--propose needs --amount AMOUNT and --reason-code CODE");
    }
    return context.Write(
        [&](Client& client) -> absl::StatusOr<ProposalWrite> {
          absl::StatusOr<Money> amount = PledgeAmountFlag(inv, client);
          if (!amount.ok()) return amount.status();
          ProposalSpec spec;
          spec.decision_type = "write_off";
          spec.title = inv.Has("title")
                           ? inv.Get("title")
                           : absl::StrFormat("Write off %s of pledge %s (%s)",
                                             MoneyText(amount->amount_minor, amount->currency),
                                             ShortId(inv.Positional(0)), inv.Get("reason-code"));
          spec.text = inv.Get("text");
          spec.write_off = WriteOffPayload{inv.Positional(0), *amount, inv.Get("reason-code")};
          return client.Propose(inv.Get("group"), spec, context.write_options());
        },
        ProposalWriteOutput);
  }
  if (inv.Has("amount") || inv.Has("reason-code")) {
    return absl::InvalidArgumentError(
        "--proposal records the amount and reason code the proposal decided: give neither "
        "--amount nor --reason-code with it");
  }
  return context.Write(
      [&](Client& client) -> absl::StatusOr<PledgeWrite> {
        absl::StatusOr<Proposal> proposal =
            client.GetProposal(inv.Get("group"), inv.Get("proposal"));
        if (!proposal.ok()) return proposal.status();
        if (!proposal->spec.write_off.has_value()) {
          return absl::InvalidArgumentError(
              absl::StrFormat("proposal %s is not a WRITE_OFF proposal", inv.Get("proposal")));
        }
        const WriteOffPayload& payload = *proposal->spec.write_off;
        uint64_t effective_ms = 0;
        if (inv.Has("effective")) {
          absl::StatusOr<uint64_t> parsed = ParseDateMs(inv.Get("effective"), "effective");
          if (!parsed.ok()) return parsed.status();
          effective_ms = *parsed;
        }
        return client.RecordWriteOff(inv.Get("group"), inv.Positional(0), proposal->proposal_id,
                                     payload.amount, payload.reason_code, effective_ms,
                                     context.write_options());
      },
      PledgeWriteOutput);
}

absl::StatusOr<Output> PledgeReleaseCommand(const Invocation& inv, CommandContext& context) {
  return context.WriteCall(&Client::ResolveCondition, PledgeWriteOutput, inv.Get("group"),
                           inv.Positional(0), inv.Get("outcome"), inv.Get("note"));
}

absl::StatusOr<Output> PledgeListCommand(const Invocation& inv, CommandContext& context) {
  const absl::StatusOr<uint64_t> as_of_ms = AsOfMs(inv);
  if (!as_of_ms.ok()) return as_of_ms.status();
  return context.ReadPages(
      [&](Client& client, const PageOptions& page) {
        return client.ListPledgesPage(inv.Get("group"), inv.Get("campaign"), *as_of_ms, page);
      },
      kPledgeFormat);
}

absl::StatusOr<Output> PledgeShowCommand(const Invocation& inv, CommandContext& context) {
  const std::string group_id = inv.Get("group");
  const std::string pledge_id = inv.Positional(0);
  return context.Read(
      AsOfMs(inv),
      [&](Client& client, uint64_t as_of_ms) -> absl::StatusOr<PledgeDetail> {
        PledgeDetail detail;
        absl::StatusOr<Pledge> pledge = client.GetPledge(group_id, pledge_id, as_of_ms);
        if (!pledge.ok()) return pledge.status();
        detail.pledge = *std::move(pledge);
        absl::StatusOr<PledgeHistoryStream> stream = client.PledgeHistory(group_id, pledge_id, "");
        if (!stream.ok()) return stream.status();
        absl::StatusOr<std::vector<PledgeVersionEntry>> history =
            ReadAll<PledgeVersionEntry>(*stream);
        if (!history.ok()) return history.status();
        detail.history = *std::move(history);
        return detail;
      },
      PledgeDetailOutput);
}

absl::StatusOr<Output> PledgeHistoryCommand(const Invocation& inv, CommandContext& context) {
  return context.Read(
      [&](Client& client) -> absl::StatusOr<std::vector<PledgeVersionEntry>> {
        absl::StatusOr<PledgeHistoryStream> stream =
            client.PledgeHistory(inv.Get("group"), inv.Positional(0), inv.Get("campaign"));
        if (!stream.ok()) return stream.status();
        return ReadAll<PledgeVersionEntry>(*stream);
      },
      kPledgeVersionFormat);
}

}  // namespace

std::vector<Command> FundraisingCommands() {
  return {
      Command("campaign open", CampaignOpenCommand)
          .Summary("Open a fundraising campaign in a group, or propose opening one")
          .Flag(GroupFlag())
          .Optional("--name NAME", "campaign name (required unless --proposal)")
          .Optional("--goal AMOUNT", "goal as a decimal, e.g. 1000.00 (required unless --proposal)")
          .Optional("--currency CODE",
                    "ISO-4217 currency of the goal and its pledges (required unless --proposal)")
          .Repeated("--accept-currency CODE",
                    "another currency pledges may use (totals stay per "
                    "currency)")
          .Optional("--deadline DATE", "YYYY-MM-DD or RFC 3339")
          .Optional("--fiscal-host ORG_KEY", "member holding the money (default: this org)")
          .Optional("--restriction KIND:TEXT", "purpose:TEXT | perpetual[:TEXT] | time:DATE")
          .Optional("--assurance AMOUNT", "assurance threshold: pledges bind only if reached")
          .Optional("--assurance-deadline DATE", "by when the assurance threshold must be reached")
          .Optional("--threshold AMOUNT", "assurance threshold (same as --assurance)")
          .Optional("--threshold-members N", "assurance by count: N members must pledge")
          .Optional("--threshold-deadline DATE",
                    "by when --threshold/--threshold-members must "
                    "be reached; otherwise every pledge lapses")
          .Optional("--propose", "propose opening it (an OPEN_CAMPAIGN proposal) instead")
          .Optional("--proposal PROPOSAL", "open the campaign a final, passed proposal decided")
          .Optional("--title TEXT", "--propose: the proposal's title")
          .Optional("--text TEXT", "--propose: the proposal's text")
          .Details("Opens the campaign when the charter lets a member open one alone; otherwise "
                   "use --propose, vote, then --proposal P.\nPrints campaign_id and event_id "
                   "(--propose: proposal_id). JSON keys: campaign_id, event_id, request_id, "
                   "event, campaign.")
          .Example("constellation campaign open --group $GROUP --name 'Wells 2027' --goal 1000.00 "
                   "--currency EUR --deadline 2027-03-31 --restriction 'purpose:wells'")
          .Write(),
      Command("campaign list", CampaignListCommand)
          .Summary("List a group's campaigns with their totals")
          .Flag(GroupFlag())
          .Details("CSV columns: campaign_id, name, currency, goal, pledged, received, "
                   "outstanding, pledges, deadline.")
          .Example("constellation campaign list --group $GROUP"),
      Command("campaign show", CampaignShowCommand)
          .Summary("Show a campaign and its totals")
          .Argument("CAMPAIGN", "campaign id")
          .Flag(GroupFlag())
          .Details("JSON amounts: goal/pledged/received/outstanding/conditional, each as "
                   "<name>_minor (integer) and <name> (decimal).")
          .Example("constellation campaign show --group $GROUP $CAMPAIGN"),
      Command("pledge record", PledgeRecordCommand)
          .Summary("Record a pledge by this org to a campaign")
          .Flag(GroupFlag())
          .Required("--campaign CAMPAIGN", "campaign id")
          .Flags(TermsFlags(false))
          .Details("Prints pledge_id and event_id. JSON keys: pledge_id, event_id, request_id, "
                   "event, pledge.")
          .Example("constellation pledge record --group $GROUP --campaign $CAMPAIGN --amount "
                   "250.00 --currency EUR --installment 2027-01-31=100.00 --installment "
                   "2027-06-30=150.00 --donor 'Rivers Trust'")
          .Write(),
      Command("pledge import", PledgeImportCommand)
          .Summary("Record this org's pledge book from a file, in batches")
          .Argument("FILE", "JSON Lines file, one pledge per line (\"-\": standard input)")
          .Flag(GroupFlag())
          .Optional("--campaign CAMPAIGN", "campaign of the lines that name none")
          .Optional("--currency CODE", "currency of the lines that name none")
          .Optional("--batch-size N", "pledges per call to the node, 1 to 500 (default 100)")
          .Details("Each line is one JSON object whose keys are the flags of `pledge record` "
                   "without the dashes (campaign, amount, currency, installment, note, donor, "
                   "restriction, ...), values as strings (\"amount\": \"250.00\"; "
                   "\"installment\" may be an array), and optionally its own request_id. The "
                   "whole file is checked before anything is sent. Lines are recorded in order, "
                   "a batch per call with one durable commit. A line without request_id gets "
                   "<request id>-<line number>: if the import stops, fix the line and run the "
                   "same command with the --request-id the error names; lines already recorded "
                   "are not recorded twice.\nCSV columns: line, pledge_id, request_id. JSON: an "
                   "array of {line, pledge_id, request_id}.")
          .Example("constellation pledge import --group $GROUP --campaign $CAMPAIGN "
                   "--request-id book-2026 pledges.jsonl")
          .Write(),
      Command("pledge amend", PledgeAmendCommand)
          .Summary("Record a new version of the terms of this org's pledge")
          .Argument("PLEDGE", "pledge id")
          .Flag(GroupFlag())
          .Flags(TermsFlags(true))
          .Required("--reason TEXT", "why the terms change")
          .Details("Only the terms given change; the node keeps every other term of the current "
                   "version (installments included). --installment flags replace the schedule; "
                   "with --remaining, or a schedule (--installments N --every month --start "
                   "DATE), they schedule what is not yet paid after the paid installments.\nJSON "
                   "keys: pledge_id, event_id, request_id, event, pledge.")
          .Example("constellation pledge amend --group $GROUP $PLEDGE --amount 300.00 --reason "
                   "'board approved more'")
          .Write(),
      Command("pledge cancel", PledgeCancelCommand)
          .Summary("Cancel this org's pledge (terminal)")
          .Argument("PLEDGE", "pledge id")
          .Flag(GroupFlag())
          .Required("--reason TEXT", "why it is cancelled")
          .Details("JSON keys: pledge_id, event_id, request_id, event, pledge.")
          .Example("constellation pledge cancel --group $GROUP $PLEDGE --reason 'project dropped'")
          .Write(),
      Command("pledge pay", PledgePayCommand)
          .Summary("Record money received against a pledge (campaign's fiscal host)")
          .Argument("PLEDGE", "pledge id")
          .Flag(GroupFlag())
          .Required("--amount AMOUNT", "amount received as a decimal")
          .Optional("--currency CODE", "currency of --amount (default: the pledge's)")
          .Optional("--received DATE", "when it was received (default: now)")
          .Optional("--ref EXT", "external reference, e.g. the bank transfer id")
          .Optional("--unapplied",
                    "keep it as an unapplied receipt (cancelled, lapsed or "
                    "threshold-pending pledge): to refund or re-allocate")
          .Details("JSON keys: pledge_id, event_id, request_id, event, pledge.")
          .Example("constellation pledge pay --group $GROUP $PLEDGE --amount 100.00 --currency EUR "
                   "--received 2026-11-20 --ref SEPA-4711")
          .Write(),
      Command("pledge write-off", PledgeWriteOffCommand)
          .Summary("Propose writing off part of a pledge, or record a decided write-off")
          .Argument("PLEDGE", "pledge id")
          .Flag(GroupFlag())
          .Optional("--propose", "propose it (a WRITE_OFF proposal)")
          .Optional("--amount AMOUNT", "--propose: the amount to write off, as a decimal")
          .Optional("--currency CODE", "--propose: currency of --amount (default: the pledge's)")
          .Optional("--reason-code CODE", "--propose: why, e.g. uncollectible")
          .Optional("--title TEXT", "--propose: the proposal's title")
          .Optional("--text TEXT", "--propose: the proposal's text")
          .Optional("--proposal PROPOSAL",
                    "record the write-off this final, passed proposal decided (fiscal host)")
          .Optional("--effective DATE", "--proposal: the write-off date (default: now)")
          .Details("--propose prints proposal_id; --proposal records the amount and reason code "
                   "of the proposal (only the campaign's fiscal host, once the outcome is "
                   "final).\nJSON keys: pledge_id, event_id, request_id, event, pledge.")
          .Example("constellation pledge write-off --group $GROUP $PLEDGE --propose --amount "
                   "50.00 --reason-code uncollectible")
          .Write(),
      Command("pledge release", PledgeReleaseCommand)
          .Summary("Record how a conditional pledge's condition ended")
          .Argument("PLEDGE", "pledge id")
          .Flag(GroupFlag())
          .Required("--outcome OUTCOME",
                    "met | waived (the pledge binds) | released (the pledge lapses)")
          .Optional("--note TEXT", "free text")
          .Details("The pledger or the campaign's fiscal host.\nJSON keys: pledge_id, event_id, "
                   "request_id, event, pledge.")
          .Example("constellation pledge release --group $GROUP $PLEDGE --outcome met --note "
                   "'matching grant awarded'")
          .Write(),
      Command("pledge list", PledgeListCommand)
          .Summary("List pledges with status and totals")
          .Flag(GroupFlag())
          .Optional("--campaign CAMPAIGN", "only this campaign's pledges")
          .Optional("--as-of DATE", "derive statuses as of this date (default: now)")
          .Details("CSV columns: pledge_id, campaign, pledger, status, currency, amount, received, "
                   "outstanding, version, donor. JSON: full pledges, amounts as <name>_minor and "
                   "<name>.")
          .Example("constellation pledge list --group $GROUP --campaign $CAMPAIGN --as-of "
                   "2026-12-31 -o csv"),
      Command("pledge show", PledgeShowCommand)
          .Summary("Show a pledge, its terms, installments and history")
          .Argument("PLEDGE", "pledge id")
          .Flag(GroupFlag())
          .Optional("--as-of DATE", "derive the status as of this date (default: now)")
          .Details(
              "JSON keys: pledge_id, group_id, campaign_id, pledger, status, version, currency, "
              "amount_minor, amount, received_minor, received, written_off_minor, written_off, "
              "outstanding_minor, outstanding, terms, cancel_reason, created, updated, "
              "history (every version, payment and write-off, as `pledge history`).")
          .Example("constellation pledge show --group $GROUP $PLEDGE -o json"),
      Command("pledge history", PledgeHistoryCommand)
          .Summary("Every version of a pledge (or of all pledges) with who signed it")
          .OptionalArgument("PLEDGE", "pledge id (default: every pledge of the group)")
          .Flag(GroupFlag())
          .Optional("--campaign CAMPAIGN", "only this campaign's pledges")
          .Details("Kinds: pledge, amendment, cancellation, payment, write_off.")
          .Example("constellation pledge history --group $GROUP $PLEDGE"),
  };
}

}  // namespace constellation::cli
