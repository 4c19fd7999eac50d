#include "server/rpc/fundraising/pledge_terms.h"

#include <absl/status/status.h>
#include <absl/strings/str_format.h>

#include "server/base/status_macros.h"
#include "server/core/fundraising/schedule.h"

namespace constellation::rpc {
namespace {

absl::StatusOr<core::ScheduleFrequency> FrequencyOf(v1::ScheduleFrequency frequency) {
  switch (frequency) {
    case v1::SCHEDULE_FREQUENCY_WEEKLY:
      return core::ScheduleFrequency::kWeekly;
    case v1::SCHEDULE_FREQUENCY_MONTHLY:
      return core::ScheduleFrequency::kMonthly;
    case v1::SCHEDULE_FREQUENCY_QUARTERLY:
      return core::ScheduleFrequency::kQuarterly;
    case v1::SCHEDULE_FREQUENCY_YEARLY:
      return core::ScheduleFrequency::kYearly;
    default:
      return absl::InvalidArgumentError(
          "an installment schedule needs a frequency: weekly, monthly, quarterly or yearly");
  }
}

// Σ of `installments`' amounts (each at most limits::kMoneyAmountMinorMax, at most
// limits::kInstallmentCountMax of them after validation; summed in 128 bits before it).
__int128 SumOf(const google::protobuf::RepeatedPtrField<v1::Installment>& installments) {
  __int128 sum = 0;
  for (const v1::Installment& in : installments) sum += in.amount_minor();
  return sum;
}

// How many leading installments of `installments` `received_minor` pays in full.
int FullyPaidCount(const google::protobuf::RepeatedPtrField<v1::Installment>& installments,
                   int64_t received_minor) {
  int count = 0;
  __int128 cumulated = 0;
  for (const v1::Installment& in : installments) {
    cumulated += in.amount_minor();
    if (cumulated > received_minor) break;
    ++count;
  }
  return count;
}

}  // namespace

absl::StatusOr<std::vector<v1::Installment>> ExpandInstallments(const v1::InstallmentSchedule& spec,
                                                                int64_t amount_minor) {
  CONSTELLATION_ASSIGN_OR_RETURN(const core::ScheduleFrequency frequency,
                                 FrequencyOf(spec.frequency()));
  CONSTELLATION_ASSIGN_OR_RETURN(
      const std::vector<core::InstallmentDue> dues,
      core::ExpandSchedule(
          {.count = spec.count(), .frequency = frequency, .start_ms = spec.start_ms()},
          amount_minor));
  std::vector<v1::Installment> out;
  out.reserve(dues.size());
  for (const core::InstallmentDue& due : dues) {
    v1::Installment& in = out.emplace_back();
    in.set_due_ms(due.due_ms);
    in.set_amount_minor(due.amount_minor);
  }
  return out;
}

absl::StatusOr<v1::PledgeTerms> WithSchedule(v1::PledgeTerms terms,
                                             const v1::InstallmentSchedule& schedule) {
  if (!terms.installments().empty()) {
    return absl::InvalidArgumentError(
        "give either explicit installments or an installment schedule, not both");
  }
  CONSTELLATION_ASSIGN_OR_RETURN(const std::vector<v1::Installment> installments,
                                 ExpandInstallments(schedule, terms.amount().amount_minor()));
  for (const v1::Installment& in : installments) *terms.add_installments() = in;
  return terms;
}

absl::StatusOr<v1::PledgeTerms> MergeTermsPatch(const v1::PledgeTerms& current,
                                                const core::PledgeState& pledge,
                                                const v1::PledgeTermsPatch& patch) {
  const int schedule_forms = int{patch.has_installments()} +
                             int{patch.has_remaining_installments()} +
                             int{patch.has_remaining_schedule()};
  if (schedule_forms > 1) {
    return absl::InvalidArgumentError(
        "give at most one of installments, remaining installments and a remaining schedule");
  }
  if (patch.has_condition() && patch.clear_condition()) {
    return absl::InvalidArgumentError(
        "a patch cannot both set a condition and clear it: give one");
  }
  v1::PledgeTerms out = current;
  const std::string& currency = current.amount().currency();
  if (patch.has_amount()) {
    if (!patch.amount().currency().empty() && patch.amount().currency() != currency) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "a pledge's currency stays %s: give the new amount in %s", currency, currency));
    }
    out.mutable_amount()->set_amount_minor(patch.amount().amount_minor());
  }
  const int64_t amount_minor = out.amount().amount_minor();
  if (patch.has_installments()) {
    *out.mutable_installments() = patch.installments().installments();
  } else if (patch.has_remaining_installments() || patch.has_remaining_schedule()) {
    const int paid = FullyPaidCount(current.installments(), pledge.received_minor);
    out.clear_installments();
    for (int i = 0; i < paid; ++i) *out.add_installments() = current.installments(i);
    const __int128 remainder = amount_minor - SumOf(out.installments());
    if (patch.has_remaining_installments()) {
      for (const v1::Installment& in : patch.remaining_installments().installments()) {
        *out.add_installments() = in;
      }
    } else {
      if (remainder <= 0) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "the first %d installment(s) are paid and cover the amount: nothing is left to "
            "schedule",
            paid));
      }
      CONSTELLATION_ASSIGN_OR_RETURN(
          const std::vector<v1::Installment> rest,
          ExpandInstallments(patch.remaining_schedule(), static_cast<int64_t>(remainder)));
      for (const v1::Installment& in : rest) *out.add_installments() = in;
    }
  } else if (patch.has_amount() && !out.installments().empty()) {
    // The amount changes and the schedule is not given: the difference goes to the last
    // installment (its date kept), unless it is paid or would not stay positive.
    const int paid = FullyPaidCount(current.installments(), pledge.received_minor);
    const __int128 last = out.installments(out.installments_size() - 1).amount_minor() +
                          (amount_minor - static_cast<__int128>(SumOf(out.installments())));
    if (paid == out.installments_size() || last <= 0) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "the amount changes to %d minor units and the last installment cannot take the "
          "difference (it is paid, or would not stay positive): give the installments again, "
          "or a schedule for the remainder",
          amount_minor));
    }
    out.mutable_installments(out.installments_size() - 1)
        ->set_amount_minor(static_cast<int64_t>(last));
  }
  if (!out.installments().empty() && SumOf(out.installments()) != amount_minor) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "the installments sum to %d minor units but the amount is %d: give the installments "
        "again, or a schedule for the remainder",
        static_cast<int64_t>(SumOf(out.installments())), amount_minor));
  }
  if (patch.has_condition()) *out.mutable_condition() = patch.condition();
  if (patch.clear_condition()) out.clear_condition();
  if (patch.has_restriction()) *out.mutable_restriction() = patch.restriction();
  if (patch.has_evidence_sha256()) out.set_evidence_sha256(patch.evidence_sha256());
  if (patch.has_note()) out.set_note(patch.note());
  if (patch.has_donor_name()) out.set_donor_name(patch.donor_name());
  return out;
}

}  // namespace constellation::rpc
