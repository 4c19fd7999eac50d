// cli/fundraising/pledge_flags.cc
#include "cli/fundraising/pledge_flags.h"

#include <string_view>
#include <utility>

#include <absl/strings/numbers.h>
#include <absl/strings/str_format.h>

#include "cli/values.h"

namespace constellation::cli {

std::vector<FlagSpec> TermsFlags(bool amend) {
  std::vector<FlagSpec> flags = {
      {"amount", "AMOUNT",
       amend ? "new amount as a decimal (default: unchanged)"
             : "pledged amount as a decimal, e.g. 250.00",
       !amend},
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
      {"installments", "N",
       amend ? "a schedule of N installments for what is not yet paid (with --every, --start)"
             : "a schedule of N installments (with --every and --start)"},
      {"every", "FREQ", "schedule frequency: week | month | quarter | year"},
      {"start", "DATE", "schedule: the first installment's due date"},
  };
  if (amend) {
    flags.push_back({"unconditional", "", "drop the current condition (it was met or waived)"});
    flags.push_back({"remaining", "",
                     "--installment flags schedule only what is not yet paid (paid "
                     "installments are kept first)"});
  }
  return flags;
}

absl::StatusOr<std::optional<PledgeCondition>> ConditionFlags(const Invocation& inv) {
  if (inv.Has("condition-barrier") != inv.Has("condition-release")) {
    return absl::InvalidArgumentError(
        "a condition needs both --condition-barrier and --condition-release (a barrier to "
        "overcome and a right of release)");
  }
  if (!inv.Has("condition-barrier")) return std::nullopt;
  if (inv.Has("unconditional")) {
    return absl::InvalidArgumentError(
        "--unconditional and --condition-barrier contradict each other: give one");
  }
  return PledgeCondition{inv.Get("condition-barrier"), inv.Get("condition-release")};
}

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
  absl::StatusOr<std::optional<PledgeCondition>> condition = ConditionFlags(inv);
  if (!condition.ok()) return condition.status();
  if (condition->has_value()) terms->condition = **condition;
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

absl::StatusOr<std::optional<InstallmentSchedule>> ScheduleFlags(const Invocation& inv) {
  const bool any = inv.Has("installments") || inv.Has("every") || inv.Has("start");
  if (!any) return std::nullopt;
  if (!inv.Has("installments") || !inv.Has("every") || !inv.Has("start")) {
    return absl::InvalidArgumentError(
        "a schedule needs --installments N, --every week|month|quarter|year and --start DATE");
  }
  if (inv.Has("installment")) {
    return absl::InvalidArgumentError(
        "give either --installment DATE=AMOUNT flags or a schedule (--installments N), not both");
  }
  InstallmentSchedule schedule;
  if (!absl::SimpleAtoi(inv.Get("installments"), &schedule.count) || schedule.count == 0) {
    return absl::InvalidArgumentError("--installments needs a positive whole number");
  }
  static constexpr std::pair<std::string_view, std::string_view> kFrequencies[] = {
      {"week", "weekly"},     {"weekly", "weekly"},     {"month", "monthly"},
      {"monthly", "monthly"}, {"quarter", "quarterly"}, {"quarterly", "quarterly"},
      {"year", "yearly"},     {"yearly", "yearly"}};
  for (const auto& [name, frequency] : kFrequencies) {
    if (inv.Get("every") == name) schedule.frequency = std::string(frequency);
  }
  if (schedule.frequency.empty()) {
    return absl::InvalidArgumentError(
        absl::StrFormat("--every %s: give week, month, quarter or year", inv.Get("every")));
  }
  absl::StatusOr<uint64_t> start_ms = ParseDateMs(inv.Get("start"), "start");
  if (!start_ms.ok()) return start_ms.status();
  schedule.start_ms = *start_ms;
  return schedule;
}

absl::StatusOr<PledgeInput> PledgeFromFlags(const Invocation& inv) {
  PledgeInput pledge;
  pledge.campaign_id = inv.Get("campaign");
  absl::Status status = ApplyTermsFlags(inv, inv.Get("currency"), &pledge.terms);
  if (!status.ok()) return status;
  absl::StatusOr<std::optional<InstallmentSchedule>> schedule = ScheduleFlags(inv);
  if (!schedule.ok()) return schedule.status();
  pledge.schedule = *std::move(schedule);
  return pledge;
}

}  // namespace constellation::cli
