// cli/commands_pledge.cc: pledge commands.
#include <absl/strings/str_format.h>
#include <absl/time/clock.h>

#include "cli/commands.h"
#include "cli/values.h"

namespace constellation::cli {
namespace {

Json PledgeWriteJson(const PledgeWrite& write, const std::string& request_id) {
  return Json{{"pledge_id", write.pledge.pledge_id},
              {"event_id", write.event.event_id},
              {"request_id", request_id},
              {"event", ToJson(write.event)},
              {"pledge", ToJson(write.pledge)}};
}

void PrintPledgeWrite(CommandContext& context, const PledgeWrite& write) {
  const Pledge& pledge = write.pledge;
  const std::string& currency = pledge.terms.amount.currency;
  context.PrintObject(PledgeWriteJson(write, context.request_id()),
                      {{"pledge_id", pledge.pledge_id},
                       {"event_id", write.event.event_id},
                       {"status", pledge.status},
                       {"version", absl::StrFormat("%d", pledge.version)},
                       {"amount", MoneyText(pledge.terms.amount.amount_minor, currency)},
                       {"received", MoneyText(pledge.received_minor, currency)},
                       {"outstanding", MoneyText(pledge.outstanding_minor, currency)}});
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

absl::Status PledgeRecordCommand(CommandContext& context) {
  const Invocation& inv = context.invocation();
  PledgeTerms terms;
  absl::Status status = ApplyTermsFlags(inv, inv.Get("currency"), &terms);
  if (!status.ok()) return status;
  absl::StatusOr<Client*> client = context.client();
  if (!client.ok()) return client.status();
  absl::StatusOr<PledgeWrite> write = (*client)->RecordPledge(inv.Get("group"), inv.Get("campaign"),
                                                              terms, context.write_options());
  if (!write.ok()) return write.status();
  PrintPledgeWrite(context, *write);
  return absl::OkStatus();
}

absl::Status PledgeAmendCommand(CommandContext& context) {
  const Invocation& inv = context.invocation();
  absl::StatusOr<Client*> client = context.client();
  if (!client.ok()) return client.status();
  // An amendment is a whole new version of the terms: start from the current one.
  absl::StatusOr<Pledge> current = (*client)->GetPledge(inv.Get("group"), inv.Positional(0));
  if (!current.ok()) return current.status();
  PledgeTerms terms = current->terms;
  const std::string currency =
      inv.Has("currency") ? inv.Get("currency") : current->terms.amount.currency;
  absl::Status status = ApplyTermsFlags(inv, currency, &terms);
  if (!status.ok()) return status;
  absl::StatusOr<PledgeWrite> write = (*client)->AmendPledge(
      inv.Get("group"), inv.Positional(0), terms, inv.Get("reason"), context.write_options());
  if (!write.ok()) return write.status();
  PrintPledgeWrite(context, *write);
  return absl::OkStatus();
}

absl::Status PledgeCancelCommand(CommandContext& context) {
  const Invocation& inv = context.invocation();
  absl::StatusOr<Client*> client = context.client();
  if (!client.ok()) return client.status();
  absl::StatusOr<PledgeWrite> write = (*client)->CancelPledge(
      inv.Get("group"), inv.Positional(0), inv.Get("reason"), context.write_options());
  if (!write.ok()) return write.status();
  PrintPledgeWrite(context, *write);
  return absl::OkStatus();
}

absl::Status PledgePayCommand(CommandContext& context) {
  const Invocation& inv = context.invocation();
  absl::StatusOr<Client*> client = context.client();
  if (!client.ok()) return client.status();
  std::string currency = inv.Get("currency");
  if (currency.empty()) {
    absl::StatusOr<Pledge> pledge = (*client)->GetPledge(inv.Get("group"), inv.Positional(0));
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
  absl::StatusOr<PledgeWrite> write =
      (*client)->RecordPayment(inv.Get("group"), inv.Positional(0), *amount, received_ms,
                               inv.Get("ref"), context.write_options());
  if (!write.ok()) return write.status();
  PrintPledgeWrite(context, *write);
  return absl::OkStatus();
}

absl::Status PledgeListCommand(CommandContext& context) {
  const Invocation& inv = context.invocation();
  absl::StatusOr<uint64_t> as_of_ms = AsOfMs(inv);
  if (!as_of_ms.ok()) return as_of_ms.status();
  absl::StatusOr<Client*> client = context.client();
  if (!client.ok()) return client.status();
  absl::StatusOr<std::vector<Pledge>> pledges =
      (*client)->ListPledges(inv.Get("group"), inv.Get("campaign"), *as_of_ms);
  if (!pledges.ok()) return pledges.status();
  Json json = Json::array();
  for (const Pledge& pledge : *pledges) json.push_back(ToJson(pledge));
  context.PrintList(json, PledgesTable(*pledges));
  return absl::OkStatus();
}

absl::Status PledgeShowCommand(CommandContext& context) {
  const Invocation& inv = context.invocation();
  absl::StatusOr<uint64_t> as_of_ms = AsOfMs(inv);
  if (!as_of_ms.ok()) return as_of_ms.status();
  absl::StatusOr<Client*> client = context.client();
  if (!client.ok()) return client.status();
  absl::StatusOr<Pledge> pledge =
      (*client)->GetPledge(inv.Get("group"), inv.Positional(0), *as_of_ms);
  if (!pledge.ok()) return pledge.status();
  context.PrintObject(ToJson(*pledge), PledgeDetails(*pledge),
                      {{"Installments", InstallmentsTable(pledge->terms.installments,
                                                          pledge->terms.amount.currency)}});
  return absl::OkStatus();
}

absl::Status PledgeHistoryCommand(CommandContext& context) {
  const Invocation& inv = context.invocation();
  absl::StatusOr<Client*> client = context.client();
  if (!client.ok()) return client.status();
  absl::StatusOr<PledgeHistoryStream> stream =
      (*client)->PledgeHistory(inv.Get("group"), inv.Positional(0), inv.Get("campaign"));
  if (!stream.ok()) return stream.status();
  absl::StatusOr<std::vector<PledgeVersionEntry>> read = ReadAll<PledgeVersionEntry>(*stream);
  if (!read.ok()) return read.status();
  const std::vector<PledgeVersionEntry>& entries = *read;
  Json json = Json::array();
  for (const PledgeVersionEntry& item : entries) json.push_back(ToJson(item));
  context.PrintList(json, PledgeHistoryTable(entries));
  return absl::OkStatus();
}

const FlagSpec kGroupFlag = {"group", "GROUP", "group id (64 hex characters)", true};

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

std::vector<Command> PledgeCommands() {
  std::vector<Command> commands;
  {
    std::vector<FlagSpec> flags = {kGroupFlag, {"campaign", "CAMPAIGN", "campaign id", true}};
    for (FlagSpec& flag : TermsFlags(false)) flags.push_back(std::move(flag));
    commands.push_back(
        {{"pledge",
          "record",
          "Record a pledge by this org to a campaign",
          {},
          flags,
          "Prints pledge_id and event_id. JSON keys: pledge_id, event_id, request_id, event, "
          "pledge.",
          "constellation pledge record --group $GROUP --campaign $CAMPAIGN --amount 250.00 "
          "--currency EUR --installment 2027-01-31=100.00 --installment 2027-06-30=150.00 "
          "--donor 'Rivers Trust'",
          true},
         PledgeRecordCommand});
  }
  {
    std::vector<FlagSpec> flags = {kGroupFlag};
    for (FlagSpec& flag : TermsFlags(true)) flags.push_back(std::move(flag));
    flags.push_back({"reason", "TEXT", "why the terms change", true});
    commands.push_back(
        {{"pledge",
          "amend",
          "Record a new version of the terms of this org's pledge",
          {{"PLEDGE", "pledge id"}},
          flags,
          "The new version starts from the current terms: flags given replace them, except "
          "installments, which are exactly the --installment flags given.\n"
          "JSON keys: pledge_id, event_id, request_id, event, pledge.",
          "constellation pledge amend --group $GROUP $PLEDGE --amount 300.00 --reason "
          "'board approved more'",
          true},
         PledgeAmendCommand});
  }
  commands.push_back(
      {{"pledge",
        "cancel",
        "Cancel this org's pledge (terminal)",
        {{"PLEDGE", "pledge id"}},
        {kGroupFlag, {"reason", "TEXT", "why it is cancelled", true}},
        "JSON keys: pledge_id, event_id, request_id, event, pledge.",
        "constellation pledge cancel --group $GROUP $PLEDGE --reason 'project dropped'",
        true},
       PledgeCancelCommand});
  commands.push_back(
      {{"pledge",
        "pay",
        "Record money received against a pledge (campaign's fiscal host)",
        {{"PLEDGE", "pledge id"}},
        {kGroupFlag,
         {"amount", "AMOUNT", "amount received as a decimal", true},
         {"currency", "CODE", "currency of --amount (default: the pledge's)"},
         {"received", "DATE", "when it was received (default: now)"},
         {"ref", "EXT", "external reference, e.g. the bank transfer id"}},
        "JSON keys: pledge_id, event_id, request_id, event, pledge.",
        "constellation pledge pay --group $GROUP $PLEDGE --amount 100.00 --currency EUR "
        "--received 2026-11-20 --ref SEPA-4711",
        true},
       PledgePayCommand});
  commands.push_back(
      {{"pledge",
        "list",
        "List pledges with status and totals",
        {},
        {kGroupFlag,
         {"campaign", "CAMPAIGN", "only this campaign's pledges"},
         {"as-of", "DATE", "derive statuses as of this date (default: now)"}},
        "CSV columns: pledge_id, campaign, pledger, status, currency, amount, received, "
        "outstanding, version, donor. JSON: full pledges, amounts as <name>_minor and <name>.",
        "constellation pledge list --group $GROUP --campaign $CAMPAIGN --as-of 2026-12-31 -o "
        "csv"},
       PledgeListCommand});
  commands.push_back(
      {{"pledge",
        "show",
        "Show a pledge, its terms and installments",
        {{"PLEDGE", "pledge id"}},
        {kGroupFlag, {"as-of", "DATE", "derive the status as of this date (default: now)"}},
        "JSON keys: pledge_id, group_id, campaign_id, pledger, status, version, currency, "
        "amount_minor, amount, received_minor, received, written_off_minor, written_off, "
        "outstanding_minor, outstanding, terms, cancel_reason, created, updated.",
        "constellation pledge show --group $GROUP $PLEDGE -o json"},
       PledgeShowCommand});
  commands.push_back({{"pledge",
                       "history",
                       "Every version of a pledge (or of all pledges) with who signed it",
                       {{"PLEDGE", "pledge id (default: every pledge of the group)", false}},
                       {kGroupFlag, {"campaign", "CAMPAIGN", "only this campaign's pledges"}},
                       "Kinds: pledge, amendment, cancellation, payment, write_off.",
                       "constellation pledge history --group $GROUP $PLEDGE"},
                      PledgeHistoryCommand});
  return commands;
}

}  // namespace constellation::cli
