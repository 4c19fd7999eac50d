// server/rpc/fundraising/pledge_terms.h
//
// The terms a pledge write records, from what a client asks: a schedule spec expanded into
// explicit installments (core/fundraising/schedule.h, PROTOCOL §5.11.3 "Installment
// schedules"), and an amendment's patch merged onto the pledge's current terms, keeping every
// term it does not change and, for a schedule of the remainder, the installments already fully
// paid as the unchanged prefix (§5.11.4). The records are then validated as any other.
// Pure functions of their arguments.
#pragma once

#include <absl/status/statusor.h>

#include "constellation/v1/client.pb.h"
#include "server/core/fundraising/fundraising_ledger.h"

namespace constellation::rpc {

// `spec` expanded for `amount_minor` as v1 installments; kInvalidArgument for a frequency that
// is unset, or as core::ExpandSchedule.
absl::StatusOr<std::vector<v1::Installment>> ExpandInstallments(const v1::InstallmentSchedule& spec,
                                                                int64_t amount_minor);

// `terms` with `schedule` expanded into its installments. kInvalidArgument when the terms
// already list installments (give one or the other), or as ExpandInstallments.
absl::StatusOr<v1::PledgeTerms> WithSchedule(v1::PledgeTerms terms,
                                             const v1::InstallmentSchedule& schedule);

// `patch` merged onto `current`, the terms of `pledge`'s current version: what the patch sets
// replaces, the rest is kept; a new amount without a schedule changes the last installment by
// the difference. kInvalidArgument: more than one schedule form, a condition both
// set and cleared, a currency change, a remainder schedule with nothing left to schedule, or
// installments that do not sum to the resulting amount (the message says which flag to give).
absl::StatusOr<v1::PledgeTerms> MergeTermsPatch(const v1::PledgeTerms& current,
                                                const core::PledgeState& pledge,
                                                const v1::PledgeTermsPatch& patch);

}  // namespace constellation::rpc
