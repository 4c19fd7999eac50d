// cli/fundraising/commands.cc: campaign and pledge commands.
#include "cli/fundraising/commands.h"

#include <absl/strings/str_format.h>
#include <absl/time/clock.h>

#include "cli/fundraising/render.h"
#include "cli/values.h"

namespace constellation::cli {
namespace {

absl::StatusOr<Output> CampaignOpenCommand(const Invocation& inv, CommandContext& context) {
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
  return context.WriteCall(&Client::OpenCampaign, CampaignOpenedOutput, inv.Get("group"), campaign);
}

absl::StatusOr<Output> CampaignListCommand(const Invocation& inv, CommandContext& context) {
  const std::string group_id = inv.Get("group");
  return context.ReadCall(&Client::ListCampaigns, kCampaignFormat, group_id);
}

absl::StatusOr<Output> CampaignShowCommand(const Invocation& inv, CommandContext& context) {
  return context.ReadCall(&Client::GetCampaign, kCampaignFormat, inv.Get("group"),
                          inv.Positional(0));
}

// Applies the terms flags to `terms` (a fresh pledge, or a copy of the current version for an
// amendment). --amount is parsed in `currency`; installments are replaced by the
// --installment flags given (none: one installment due at the campaign deadline).
absl::Status ApplyTermsFlags(const Invocation& inv, const std::string& currency,
                             PledgeTerms* terms) {
  absl::StatusOr<Money> amount = ParseMoney(inv.Get("amount"), currency, "amount");
  if (!amount.ok()) return amount.status();
  terms->amount = *amount;
  terms->installments.clear();
  for (const std::string& text : inv.GetAll("installment")) {
    absl::StatusOr<Installment> installment = ParseInstallment(text, currency);
    if (!installment.ok()) return installment.status();
    terms->installments.push_back(*installment);
  }
  if (inv.Has("condition-barrier") != inv.Has("condition-release")) {
    return absl::InvalidArgumentError(
        "a condition needs both --condition-barrier and --condition-release (a barrier to "
        "overcome and a right of release)");
  }
  if (inv.Has("condition-barrier")) {
    if (inv.Has("unconditional")) {
      return absl::InvalidArgumentError(
          "--unconditional and --condition-barrier contradict each other: give one");
    }
    terms->condition = PledgeCondition{inv.Get("condition-barrier"), inv.Get("condition-release")};
  }
  if (inv.Has("unconditional")) terms->condition.reset();
  if (inv.Has("restriction")) {
    absl::StatusOr<Restriction> restriction = ParseRestriction(inv.Get("restriction"));
    if (!restriction.ok()) return restriction.status();
    terms->restriction = *restriction;
  }
  if (inv.Has("note")) terms->note = inv.Get("note");
  if (inv.Has("donor")) terms->donor_name = inv.Get("donor");
  if (inv.Has("evidence-sha256")) terms->evidence_sha256 = inv.Get("evidence-sha256");
  return absl::OkStatus();
}

absl::StatusOr<uint64_t> AsOfMs(const Invocation& inv) {
  if (!inv.Has("as-of")) return 0;
  return ParseDateMs(inv.Get("as-of"), "as-of");
}

absl::StatusOr<Output> PledgeRecordCommand(const Invocation& inv, CommandContext& context) {
  PledgeTerms terms;
  absl::Status status = ApplyTermsFlags(inv, inv.Get("currency"), &terms);
  if (!status.ok()) return status;
  return context.WriteCall(&Client::RecordPledge, PledgeWriteOutput, inv.Get("group"),
                           inv.Get("campaign"), terms);
}

absl::StatusOr<Output> PledgeAmendCommand(const Invocation& inv, CommandContext& context) {
  return context.Write(
      [&](Client& client) -> absl::StatusOr<PledgeWrite> {
        // An amendment is a whole new version of the terms: start from the current one.
        absl::StatusOr<Pledge> current = client.GetPledge(inv.Get("group"), inv.Positional(0));
        if (!current.ok()) return current.status();
        PledgeTerms terms = current->terms;
        const std::string currency =
            inv.Has("currency") ? inv.Get("currency") : current->terms.amount.currency;
        absl::Status status = ApplyTermsFlags(inv, currency, &terms);
        if (!status.ok()) return status;
        return client.AmendPledge(inv.Get("group"), inv.Positional(0), terms, inv.Get("reason"),
                                  context.write_options());
      },
      PledgeWriteOutput);
}

absl::StatusOr<Output> PledgeCancelCommand(const Invocation& inv, CommandContext& context) {
  return context.WriteCall(&Client::CancelPledge, PledgeWriteOutput, inv.Get("group"),
                           inv.Positional(0), inv.Get("reason"));
}

absl::StatusOr<Output> PledgePayCommand(const Invocation& inv, CommandContext& context) {
  return context.Write(
      [&](Client& client) -> absl::StatusOr<PledgeWrite> {
        std::string currency = inv.Get("currency");
        if (currency.empty()) {
          absl::StatusOr<Pledge> pledge = client.GetPledge(inv.Get("group"), inv.Positional(0));
          if (!pledge.ok()) return pledge.status();
          currency = pledge->terms.amount.currency;
        }
        absl::StatusOr<Money> amount = ParseMoney(inv.Get("amount"), currency, "amount");
        if (!amount.ok()) return amount.status();
        uint64_t received_ms = static_cast<uint64_t>(absl::ToUnixMillis(absl::Now()));
        if (inv.Has("received")) {
          absl::StatusOr<uint64_t> parsed = ParseDateMs(inv.Get("received"), "received");
          if (!parsed.ok()) return parsed.status();
          received_ms = *parsed;
        }
        return client.RecordPayment(inv.Get("group"), inv.Positional(0), *amount, received_ms,
                                    inv.Get("ref"), context.write_options());
      },
      PledgeWriteOutput);
}

absl::StatusOr<Output> PledgeListCommand(const Invocation& inv, CommandContext& context) {
  return context.ReadCallAsOf(AsOfMs(inv), &Client::ListPledges, kPledgeFormat, inv.Get("group"),
                              inv.Get("campaign"));
}

absl::StatusOr<Output> PledgeShowCommand(const Invocation& inv, CommandContext& context) {
  return context.ReadCallAsOf(AsOfMs(inv), &Client::GetPledge, kPledgeFormat, inv.Get("group"),
                              inv.Positional(0));
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

// The flags that describe pledge terms, shared by record and amend.
std::vector<FlagSpec> TermsFlags(bool amend) {
  std::vector<FlagSpec> flags = {
      {"amount", "AMOUNT", "pledged amount as a decimal, e.g. 250.00", true},
      {"currency", "CODE",
       amend ? "currency of --amount (default: the pledge's)" : "ISO-4217 code, e.g. EUR", !amend},
      {"installment", "DATE=AMOUNT",
       "one scheduled installment, e.g. 2027-01-31=100.00; installments must sum to the amount "
       "(none: one installment due at the campaign deadline)",
       false, true},
      {"condition-barrier", "TEXT", "conditional pledge: the barrier to overcome"},
      {"condition-release", "TEXT", "conditional pledge: the donor's right of release"},
      {"restriction", "KIND:TEXT", "purpose:TEXT | perpetual[:TEXT] | time:DATE"},
      {"note", "TEXT", "free text"},
      {"donor", "NAME", "external donor this org represents (display only)"},
      {"evidence-sha256", "HEX", "SHA-256 of a supporting document (64 hex characters)"},
  };
  if (amend) {
    flags.push_back({"unconditional", "", "drop the current condition (it was met or waived)"});
  }
  return flags;
}

}  // namespace

std::vector<Command> FundraisingCommands() {
  return {
      Command("campaign open", CampaignOpenCommand)
          .Summary("Open a fundraising campaign in a group")
          .Flag(GroupFlag())
          .Required("--name NAME", "campaign name")
          .Required("--goal AMOUNT", "goal as a decimal, e.g. 1000.00")
          .Required("--currency CODE", "ISO-4217 currency of the goal and its pledges")
          .Optional("--deadline DATE", "YYYY-MM-DD or RFC 3339")
          .Optional("--fiscal-host ORG_KEY", "member holding the money (default: this org)")
          .Optional("--restriction KIND:TEXT", "purpose:TEXT | perpetual[:TEXT] | time:DATE")
          .Optional("--assurance AMOUNT", "assurance threshold: pledges bind only if reached")
          .Optional("--assurance-deadline DATE", "by when the assurance threshold must be reached")
          .Details("Prints campaign_id and event_id. JSON keys: campaign_id, event_id, request_id, "
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
      Command("pledge amend", PledgeAmendCommand)
          .Summary("Record a new version of the terms of this org's pledge")
          .Argument("PLEDGE", "pledge id")
          .Flag(GroupFlag())
          .Flags(TermsFlags(true))
          .Required("--reason TEXT", "why the terms change")
          .Details("The new version starts from the current terms: flags given replace them, "
                   "except installments, which are exactly the --installment flags given.\nJSON "
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
          .Details("JSON keys: pledge_id, event_id, request_id, event, pledge.")
          .Example("constellation pledge pay --group $GROUP $PLEDGE --amount 100.00 --currency EUR "
                   "--received 2026-11-20 --ref SEPA-4711")
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
          .Summary("Show a pledge, its terms and installments")
          .Argument("PLEDGE", "pledge id")
          .Flag(GroupFlag())
          .Optional("--as-of DATE", "derive the status as of this date (default: now)")
          .Details(
              "JSON keys: pledge_id, group_id, campaign_id, pledger, status, version, currency, "
              "amount_minor, amount, received_minor, received, written_off_minor, written_off, "
              "outstanding_minor, outstanding, terms, cancel_reason, created, updated.")
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
