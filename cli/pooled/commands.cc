// cli/pooled/commands.cc: the `pool` commands (pooled resources).
#include "cli/pooled/commands.h"

#include <absl/strings/ascii.h>
#include <absl/strings/str_format.h>
#include <absl/time/clock.h>
#include <constellation/money.h>

#include "cli/governance/commands.h"
#include "cli/governance/render.h"
#include "cli/pooled/render.h"
#include "cli/values.h"

namespace constellation::cli {
namespace {

// A non-negative decimal with at most `decimals` digits after the point, scaled by
// 10^decimals: "12.5" with 3 -> 12500. kInvalidArgument names `flag`.
absl::StatusOr<int64_t> ParseScaled(std::string_view text, int decimals, std::string_view flag) {
  const auto invalid = [&](std::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrFormat("--%s '%s': %s", std::string(flag), std::string(text), std::string(why)));
  };
  const size_t point = text.find('.');
  const std::string_view whole = text.substr(0, point);
  const std::string_view fraction = point == std::string_view::npos ? "" : text.substr(point + 1);
  if (whole.empty() || fraction.size() > static_cast<size_t>(decimals)) {
    return invalid(absl::StrFormat("give a decimal with at most %d decimals, e.g. 12.5", decimals));
  }
  __int128 value = 0;
  for (char c : whole) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return invalid("not a number");
    value = value * 10 + (c - '0');
    if (value > INT64_MAX) return invalid("too large");
  }
  for (int i = 0; i < decimals; ++i) {
    const char c = i < static_cast<int>(fraction.size()) ? fraction[i] : '0';
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return invalid("not a number");
    value = value * 10 + (c - '0');
    if (value > INT64_MAX) return invalid("too large");
  }
  return static_cast<int64_t>(value);
}

// floor((2n + d) / (2d)): the protocol's rounding (docs/PROTOCOL.md §5.10).
int64_t RoundHalfUp(__int128 n, __int128 d) { return static_cast<int64_t>((2 * n + d) / (2 * d)); }

__int128 Pow10(int exponent) {
  __int128 p = 1;
  for (int i = 0; i < exponent; ++i) p *= 10;
  return p;
}

// Applies the contribution flags to `c` (a fresh entry, or a copy of the entry a correction
// replaces). The value is --value, else computed as the node checks it: quantity × rate
// (rounded half up) in the currency before conversion, then converted at --fx-rate.
absl::Status ApplyContributionFlags(const Invocation& inv, ContributionInput* c) {
  if (inv.Has("kind")) c->kind = inv.Get("kind");
  if (inv.Has("currency")) c->value.currency = inv.Get("currency");
  const bool converted = inv.Has("fx-rate") || inv.Has("original");
  if (converted) {
    if (!inv.Has("fx-rate") || !inv.Has("original") || !inv.Has("original-currency") ||
        !inv.Has("fx-source") || !inv.Has("fx-date")) {
      return absl::InvalidArgumentError(
          "a converted value needs --original AMOUNT --original-currency CODE --fx-rate DECIMAL "
          "--fx-source TEXT --fx-date DATE: nothing is converted without rate and source");
    }
    FxRate fx;
    fx.from_currency = inv.Get("original-currency");
    fx.to_currency = c->value.currency;
    absl::StatusOr<int64_t> rate = ParseScaled(inv.Get("fx-rate"), 6, "fx-rate");
    if (!rate.ok()) return rate.status();
    fx.rate_micros = *rate;
    fx.source = inv.Get("fx-source");
    absl::StatusOr<uint64_t> as_of = ParseDateMs(inv.Get("fx-date"), "fx-date");
    if (!as_of.ok()) return as_of.status();
    fx.as_of_ms = *as_of;
    absl::StatusOr<Money> original = ParseMoney(inv.Get("original"), fx.from_currency, "original");
    if (!original.ok()) return original.status();
    c->original_value = *original;
    c->fx = fx;
  }
  const std::string base_currency = c->fx.has_value() ? c->fx->from_currency : c->value.currency;
  if (inv.Has("quantity")) {
    absl::StatusOr<int64_t> quantity = ParseScaled(inv.Get("quantity"), 3, "quantity");
    if (!quantity.ok()) return quantity.status();
    c->quantity_milli = *quantity;
  }
  if (inv.Has("unit")) c->unit = inv.Get("unit");
  if (inv.Has("rate")) {
    absl::StatusOr<Money> rate = ParseMoney(inv.Get("rate"), base_currency, "rate");
    if (!rate.ok()) return rate.status();
    c->unit_rate = *rate;
  }
  if (inv.Has("valuation")) {
    c->valuation_method = inv.Get("valuation");
  } else if (c->valuation_method.empty() && !c->kind.empty() && c->kind != "cash") {
    c->valuation_method = "actual_cost";
  }
  if (inv.Has("fund")) c->fund_id = inv.Get("fund");
  if (inv.Has("evidence-sha256")) c->evidence_sha256 = inv.Get("evidence-sha256");
  if (inv.Has("value")) {
    absl::StatusOr<Money> value = ParseMoney(inv.Get("value"), c->value.currency, "value");
    if (!value.ok()) return value.status();
    c->value = *value;
    return absl::OkStatus();
  }
  // Computed: the value before conversion, then converted.
  int64_t base = 0;
  if (c->original_value.has_value()) {
    base = c->original_value->amount_minor;
  } else if (c->unit_rate.has_value() && c->quantity_milli > 0) {
    base = RoundHalfUp(static_cast<__int128>(c->quantity_milli) * c->unit_rate->amount_minor, 1000);
  } else {
    return absl::InvalidArgumentError(
        "give --value AMOUNT, or --quantity and --rate to compute it, or --original with "
        "--fx-rate to convert it");
  }
  if (c->fx.has_value()) {
    absl::StatusOr<int> from = CurrencyExponent(c->fx->from_currency);
    absl::StatusOr<int> to = CurrencyExponent(c->fx->to_currency);
    if (!from.ok()) return from.status();
    if (!to.ok()) return to.status();
    c->value.amount_minor = RoundHalfUp(
        static_cast<__int128>(base) * c->fx->rate_micros * Pow10(*to), Pow10(6 + *from));
  } else {
    c->value.amount_minor = base;
  }
  return absl::OkStatus();
}

absl::StatusOr<Output> ContributeCommand(const Invocation& inv, CommandContext& context) {
  ContributionInput c;
  absl::Status status = ApplyContributionFlags(inv, &c);
  if (!status.ok()) return status;
  return context.WriteCall(&Client::RecordContribution, ContributionWriteOutput, inv.Get("group"),
                           c);
}

absl::StatusOr<Output> CorrectCommand(const Invocation& inv, CommandContext& context) {
  const bool replace = inv.Has("value") || inv.Has("quantity") || inv.Has("rate") ||
                       inv.Has("original") || inv.Has("kind");
  if (inv.Has("request-id") && replace) {
    return absl::InvalidArgumentError(
        "--request-id names one write, but a correction with a corrected entry makes two: "
        "rerun without --request-id, or reverse first and record the entry with `pool "
        "contribute`");
  }
  const std::string group = inv.Get("group");
  const std::string id = inv.Positional(0);
  absl::StatusOr<Client*> client = context.client();
  if (!client.ok()) return client.status();
  absl::StatusOr<Contribution> original = (*client)->GetContribution(group, id);
  if (!original.ok()) return original.status();
  ContributionInput corrected = original->entry;
  corrected.reverses.clear();
  if (replace) {
    // Check the corrected entry's flags before anything is written.
    absl::Status status = ApplyContributionFlags(inv, &corrected);
    if (!status.ok()) return status;
  }
  absl::StatusOr<ContributionWrite> reversal =
      (*client)->ReverseContribution(group, id, context.write_options());
  if (!reversal.ok()) return reversal.status();
  Output output = ContributionWriteOutput(*reversal, context.request_id());
  if (!replace) return output;
  absl::StatusOr<ContributionWrite> entry = (*client)->RecordContribution(group, corrected);
  if (!entry.ok()) {
    return absl::Status(
        entry.status().code(),
        absl::StrFormat("reversed as %s, but the corrected entry failed: %s; "
                        "record it with `pool contribute`",
                        reversal->contribution.contribution_id, entry.status().message()));
  }
  Output corrected_output = ContributionWriteOutput(*entry, "");
  corrected_output.json["reversal"] = output.json;
  corrected_output.values.insert(corrected_output.values.begin(),
                                 {"reversal_id", reversal->contribution.contribution_id});
  return corrected_output;
}

absl::StatusOr<Output> FundCreateCommand(const Invocation& inv, CommandContext& context) {
  if (inv.Has("proposal")) {
    for (const char* flag : {"name", "host", "currency", "restriction"}) {
      if (inv.Has(flag)) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "--proposal records the fund the decision made; --%s is not needed (the fund is "
            "the proposal's)",
            flag));
      }
    }
    return context.WriteCall(&Client::CreateFund, FundWriteOutput, inv.Get("group"),
                             inv.Get("proposal"));
  }
  if (!inv.Has("name") || !inv.Has("currency")) {
    return absl::InvalidArgumentError(
        "give --name and --currency to propose a fund (CREATE_FUND), or --proposal P to record "
        "the fund of a passed proposal");
  }
  ProposalSpec spec;
  spec.decision_type = "create_fund";
  FundInput fund;
  fund.name = inv.Get("name");
  fund.currency = inv.Get("currency");
  if (inv.Has("restriction")) {
    absl::StatusOr<Restriction> restriction = ParseRestriction(inv.Get("restriction"));
    if (!restriction.ok()) return restriction.status();
    fund.restriction = *restriction;
  }
  absl::Status status = ApplyProposalFlags(inv, "Create fund " + fund.name, &spec);
  if (!status.ok()) return status;
  return context.Write(
      [&](Client& client) -> absl::StatusOr<ProposalWrite> {
        fund.fiscal_host = inv.Get("host");
        if (fund.fiscal_host.empty()) {
          absl::StatusOr<std::string> own = context.own_org_key();
          if (!own.ok()) return own.status();
          fund.fiscal_host = *own;
        }
        spec.fund = fund;
        return client.Propose(inv.Get("group"), spec, context.write_options());
      },
      ProposalWriteOutput);
}

absl::StatusOr<Output> FundListCommand(const Invocation& inv, CommandContext& context) {
  return context.ReadPages(
      [&](Client& client, const PageOptions& page) {
        return client.ListFundsPage(inv.Get("group"), page);
      },
      kFundFormat);
}

absl::StatusOr<Output> FundShowCommand(const Invocation& inv, CommandContext& context) {
  const std::string group_id = inv.Get("group");
  const std::string fund_id = inv.Positional(0);
  return context.Read(
      [&](Client& client) -> absl::StatusOr<FundDetail> {
        FundDetail detail;
        absl::StatusOr<Fund> fund = client.GetFund(group_id, fund_id);
        if (!fund.ok()) return fund.status();
        detail.fund = *std::move(fund);
        absl::StatusOr<std::vector<Drawdown>> drawdowns = client.ListDrawdowns(group_id, fund_id);
        if (!drawdowns.ok()) return drawdowns.status();
        detail.drawdowns = *std::move(drawdowns);
        absl::StatusOr<PooledLedger> ledger = client.ListContributions(group_id, "", fund_id);
        if (!ledger.ok()) return ledger.status();
        detail.entries = std::move(ledger->entries);
        return detail;
      },
      FundDetailOutput);
}

absl::StatusOr<Output> RequestCommand(const Invocation& inv, CommandContext& context) {
  ProposalSpec spec;
  spec.decision_type = "allocate_funds";
  absl::Status status = ApplyProposalFlags(inv, "Drawdown: " + inv.Get("purpose"), &spec);
  if (!status.ok()) return status;
  return context.Write(
      [&](Client& client) -> absl::StatusOr<ProposalWrite> {
        AllocatePayload allocate;
        allocate.fund_id = inv.Get("fund");
        allocate.purpose = inv.Get("purpose");
        std::string currency = inv.Get("currency");
        if (currency.empty() || allocate.purpose.empty()) {
          absl::StatusOr<Fund> fund = client.GetFund(inv.Get("group"), allocate.fund_id);
          if (!fund.ok()) return fund.status();
          if (currency.empty()) currency = fund->definition.currency;
          // A purpose-restricted fund pays only for its donors' purpose, stated exactly
          // (docs/PROTOCOL.md §5.10): that is the default purpose of its drawdowns.
          const Restriction& restriction = fund->definition.restriction;
          if (allocate.purpose.empty() && restriction.kind == "purpose") {
            allocate.purpose = restriction.text;
          }
        }
        if (allocate.purpose.empty()) {
          return absl::InvalidArgumentError(
              "--purpose is required: say what the money is for (only a purpose-restricted "
              "fund gives a default, its restriction's text)");
        }
        if (!inv.Has("title")) spec.title = "Drawdown: " + allocate.purpose;
        absl::StatusOr<Money> amount = ParseMoney(inv.Get("amount"), currency, "amount");
        if (!amount.ok()) return amount.status();
        allocate.amount = *amount;
        allocate.budget_line = inv.Get("budget-line");
        allocate.recipient = inv.Get("recipient");
        if (allocate.recipient.empty()) {
          absl::StatusOr<std::string> own = context.own_org_key();
          if (!own.ok()) return own.status();
          allocate.recipient = *own;
        }
        spec.allocate = allocate;
        return client.Propose(inv.Get("group"), spec, context.write_options());
      },
      ProposalWriteOutput);
}

absl::StatusOr<Output> DisburseCommand(const Invocation& inv, CommandContext& context) {
  uint64_t paid_ms = 0;
  if (inv.Has("paid")) {
    absl::StatusOr<uint64_t> parsed = ParseDateMs(inv.Get("paid"), "paid");
    if (!parsed.ok()) return parsed.status();
    paid_ms = *parsed;
  }
  return context.Write(
      [&](Client& client) -> absl::StatusOr<DrawdownWrite> {
        absl::StatusOr<std::vector<Drawdown>> drawdowns = client.ListDrawdowns(inv.Get("group"));
        if (!drawdowns.ok()) return drawdowns.status();
        for (const Drawdown& d : *drawdowns) {
          if (d.proposal_id != absl::AsciiStrToLower(inv.Positional(0))) continue;
          return client.Disburse(inv.Get("group"), d.proposal_id, d.amount, inv.Get("ref"), paid_ms,
                                 context.write_options());
        }
        return absl::NotFoundError(absl::StrFormat(
            "drawdown %s not found in group %s: give the id of an ALLOCATE_FUNDS proposal "
            "(`pool drawdowns` lists them)",
            inv.Positional(0), inv.Get("group")));
      },
      DrawdownWriteOutput);
}

absl::StatusOr<Output> ReceiptCommand(const Invocation& inv, CommandContext& context) {
  uint64_t received_ms = static_cast<uint64_t>(absl::ToUnixMillis(absl::Now()));
  if (inv.Has("received")) {
    absl::StatusOr<uint64_t> parsed = ParseDateMs(inv.Get("received"), "received");
    if (!parsed.ok()) return parsed.status();
    received_ms = *parsed;
  }
  return context.Write(
      [&](Client& client) -> absl::StatusOr<ContributionWrite> {
        absl::StatusOr<Contribution> c =
            client.GetContribution(inv.Get("group"), inv.Positional(0));
        if (!c.ok()) return c.status();
        return client.RecordReceipt(inv.Get("group"), c->contribution_id, c->entry.value,
                                    received_ms, inv.Get("ref"), context.write_options());
      },
      ContributionWriteOutput);
}

absl::StatusOr<Output> DrawdownsCommand(const Invocation& inv, CommandContext& context) {
  return context.ReadPages(
      [&](Client& client, const PageOptions& page) {
        return client.ListDrawdownsPage(inv.Get("group"), inv.Get("fund"), page);
      },
      kDrawdownFormat);
}

absl::StatusOr<Output> LedgerCommand(const Invocation& inv, CommandContext& context) {
  return context.ReadCall(&Client::ListContributions,
                          inv.Has("totals") ? TotalsOutput : LedgerOutput, inv.Get("group"),
                          inv.Get("member"), inv.Get("fund"));
}

absl::StatusOr<Output> SharesCommand(const Invocation& inv, CommandContext& context) {
  return context.ReadCall(&Client::GetShares, SharesOutput, inv.Get("group"));
}

// The flags of a contribution, shared by contribute and correct.
std::vector<FlagSpec> ContributionFlags(bool correct) {
  return {
      {"kind", "KIND",
       correct ? "kind of the corrected entry (default: the original's)"
               : "cash | goods | services | staff_time | facilities",
       !correct},
      {"value", "AMOUNT",
       "value as a decimal, e.g. 250.00 (default: computed from --quantity and --rate, or "
       "converted from --original)"},
      {"currency", "CODE",
       correct ? "currency of the value (default: the original's)"
               : "ISO-4217 code of the value (totals are kept per currency)",
       !correct},
      {"quantity", "Q", "in kind: how much, as a decimal (12.5 hours)"},
      {"unit", "UNIT", "in kind: the unit of --quantity (hour, day, item)"},
      {"rate", "AMOUNT", "in kind: the rate per unit, in the currency before conversion"},
      {"valuation", "METHOD", "in kind: actual_cost (default) | standard_rate (the charter's)"},
      {"fund", "FUND", "cash paid into this fund (its fiscal host confirms the receipt)"},
      {"original", "AMOUNT", "converted value: the amount before conversion"},
      {"original-currency", "CODE", "converted value: the currency before conversion"},
      {"fx-rate", "DECIMAL", "converted value: units of --currency per --original-currency"},
      {"fx-source", "TEXT", "converted value: where the rate comes from"},
      {"fx-date", "DATE", "converted value: the rate's date"},
      {"evidence-sha256", "HEX", "SHA-256 of a supporting document (64 hex characters)"},
  };
}

}  // namespace

std::vector<Command> PooledCommands() {
  return {
      Command("pool contribute", ContributeCommand)
          .Summary("Record a contribution by this org (cash or in kind)")
          .Flag(GroupFlag())
          .Flags(ContributionFlags(false))
          .Details("In kind, the value is quantity × rate rounded half up; with standard_rate "
                   "the rate must be the charter's. A converted value carries its rate, source "
                   "and date. JSON keys: contribution_id, event_id, request_id, event, "
                   "contribution.")
          .Example("constellation pool contribute --group $GROUP --kind staff_time --quantity 12.5 "
                   "--unit hour --rate 85.00 --currency EUR")
          .Write(),
      Command("pool correct", CorrectCommand)
          .Summary("Correct a contribution: a reversing entry, then the corrected entry if given")
          .Argument("CONTRIBUTION", "contribution id")
          .Flag(GroupFlag())
          .Flags(ContributionFlags(true))
          .Details("Corrections are reversing entries, never edits: the reversal repeats the "
                   "entry and counts negative. With --value (or --quantity, --rate, --original, "
                   "--kind) the corrected entry is recorded after it, starting from the "
                   "original's fields. Cash a fiscal host has receipted cannot be reversed.")
          .Example("constellation pool correct --group $GROUP $CONTRIBUTION --value 240.00")
          .Write(),
      Command("pool fund create", FundCreateCommand)
          .Summary("Propose a fund (CREATE_FUND), or record the fund of a passed proposal")
          .Flag(GroupFlag())
          .Optional("--name NAME", "fund name (to propose)")
          .Optional("--currency CODE", "the fund's currency (to propose)")
          .Optional("--host ORG_KEY", "fiscal host holding the money (default: this org)")
          .Optional("--restriction KIND:TEXT", "purpose:TEXT | perpetual[:TEXT] | time:DATE")
          .Optional("--title TEXT", "proposal title (default: 'Create fund NAME')")
          .Optional("--text TEXT", "proposal text")
          .Optional("--deadline WHEN", "proposal deadline: DATE, ms, or +DURATION")
          .Optional("--proposal PROPOSAL",
                    "record the fund of this final, passed CREATE_FUND proposal (fiscal host)")
          .Details("Funds are created by decision: first propose (the members decide by the "
                   "charter's CREATE_FUND rule, consent by default), then the fiscal host records "
                   "the fund with --proposal. JSON keys: proposal_id or fund_id, event_id, "
                   "request_id, event, proposal or fund.")
          .Example("constellation pool fund create --group $GROUP --name 'Estuary pool' "
                   "--currency EUR\nconstellation pool fund create --group $GROUP --proposal $P")
          .Write(),
      Command("pool fund list", FundListCommand)
          .Summary("List funds with received, disbursed, balance and available amounts")
          .Flag(GroupFlag())
          .Details("available = balance − approved drawdowns not yet disbursed. CSV columns: "
                   "fund_id, name, host, currency, received, disbursed, balance, approved, "
                   "available, restriction.")
          .Example("constellation pool fund list --group $GROUP -o csv"),
      Command("pool fund show", FundShowCommand)
          .Summary("Show one fund: its balances and restriction, its drawdowns and its ledger")
          .Argument("FUND", "fund id (or a unique prefix, or its exact name)")
          .Flag(GroupFlag())
          .Details("The fund's figures as `pool fund list` gives them, then its drawdowns with "
                   "their status (and why one is refused), then every ledger entry of the fund "
                   "in canonical order (cash paid in, receipts, disbursements). JSON keys: the "
                   "fund's, drawdowns, entries.")
          .Example("constellation pool fund show --group $GROUP 'Estuary pool'"),
      Command("pool request", RequestCommand)
          .Summary("Request a drawdown from a fund (an ALLOCATE_FUNDS proposal)")
          .Flag(GroupFlag())
          .Required("--fund FUND", "fund id")
          .Required("--amount AMOUNT", "amount as a decimal, in the fund's currency")
          .Optional("--currency CODE", "currency of --amount (default: the fund's)")
          .Optional("--purpose TEXT",
                    "what the money is for (default for a purpose-restricted fund, and the only "
                    "purpose it accepts: its restriction's text)")
          .Optional("--budget-line TEXT", "the budget line it is charged to")
          .Optional("--recipient ORG_KEY", "who receives it (default: this org)")
          .Optional("--title TEXT", "proposal title (default: 'Drawdown: PURPOSE')")
          .Optional("--text TEXT", "proposal text")
          .Optional("--deadline WHEN", "proposal deadline: DATE, ms, or +DURATION")
          .Details("ALLOCATE_FUNDS has no default rule: the charter must have one. Once the "
                   "decision is final and passed, the fiscal host disburses it (`pool "
                   "disburse`); `pool drawdowns` shows each request's status. The node refuses "
                   "a request that could never be paid: an unknown fund, another currency than "
                   "the fund's, a purpose-restricted fund asked for another purpose, or a "
                   "perpetually restricted fund (an endowment: its principal is never "
                   "disbursed).")
          .Example("constellation pool request --group $GROUP --fund $FUND --amount 400.00 "
                   "--purpose 'dune fencing' --budget-line '4.2 materials'")
          .Write(),
      Command("pool disburse", DisburseCommand)
          .Summary("Record the disbursement of a passed drawdown (fund's fiscal host)")
          .Argument("DRAWDOWN", "the ALLOCATE_FUNDS proposal id")
          .Flag(GroupFlag())
          .Optional("--ref EXT", "external reference, e.g. the bank transfer id")
          .Optional("--paid DATE", "when it was paid")
          .Details("The amount is the decision's. Refused while the decision is not final and "
                   "passed, beyond the fund's balance, and for a drawdown the queue shows "
                   "refused. JSON keys: proposal_id, event_id, request_id, event, drawdown.")
          .Example("constellation pool disburse --group $GROUP $DRAWDOWN --ref WIRE-7781")
          .Write(),
      Command("pool receipt", ReceiptCommand)
          .Summary("Confirm that a contribution's cash arrived in the fund (fiscal host)")
          .Argument("CONTRIBUTION", "contribution id")
          .Flag(GroupFlag())
          .Optional("--received DATE", "when it arrived (default: now)")
          .Optional("--ref EXT", "external reference, e.g. the bank transfer id")
          .Details("The amount is the contribution's value; it then counts toward the fund's "
                   "balance. JSON keys: contribution_id, event_id, request_id, event, "
                   "contribution.")
          .Example("constellation pool receipt --group $GROUP $CONTRIBUTION --ref SEPA-4711")
          .Write(),
      Command("pool drawdowns", DrawdownsCommand)
          .Summary("List drawdowns with their status: proposed, rejected, approved, refused, "
                   "disbursed")
          .Flag(GroupFlag())
          .Optional("--fund FUND", "only this fund's drawdowns")
          .Details("Approved drawdowns claim the fund's balance in canonical order; one that does "
                   "not fit is refused, with the reason, on every node.")
          .Example("constellation pool drawdowns --group $GROUP --fund $FUND"),
      Command("pool ledger", LedgerCommand)
          .Summary("The pooled ledger: every contribution, reversal, fund, receipt and "
                   "disbursement")
          .Flag(GroupFlag())
          .Optional("--member ORG_KEY", "only this member's entries")
          .Optional("--fund FUND", "only this fund's entries")
          .Optional("--totals", "net contributed value per member and currency instead")
          .Details("Entries in canonical order; a reversal and a disbursement count negative. "
                   "JSON: {entries, contributions, totals} (with --totals: the totals).")
          .Example("constellation pool ledger --group $GROUP -o csv"),
      Command("pool shares", SharesCommand)
          .Summary("Benefit shares per member by the charter's basis")
          .Flag(GroupFlag())
          .Details("equal: every active member the same; contributed_value: per currency, in "
                   "proportion to net contributed value. Basis points sum to 10000; the "
                   "remainder goes to the largest remainders, then the earliest-joined.")
          .Example("constellation pool shares --group $GROUP"),
  };
}

}  // namespace constellation::cli
