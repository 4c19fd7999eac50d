// cli/fundraising/pledge_flags.h
//
// The flags that describe a pledge: the terms flags shared by `pledge record` and `pledge
// amend`, and the whole pledge `pledge record` writes. A line of a `pledge import` file holds
// the same flags as JSON keys (cli/fundraising/import.h), so a pledge reads the same way from
// the command line and from a file.
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <absl/status/status.h>
#include <absl/status/statusor.h>
#include <constellation/client.h>

#include "cli/args.h"

namespace constellation::cli {

// The flags that describe pledge terms, for record (`amend` false) and amend.
std::vector<FlagSpec> TermsFlags(bool amend);

// The condition of --condition-barrier and --condition-release; nullopt when neither is given.
// kInvalidArgument for one without the other, or either with --unconditional.
absl::StatusOr<std::optional<PledgeCondition>> ConditionFlags(const Invocation& inv);

// Applies the terms flags to `terms` (a fresh pledge, or a copy of the current version for an
// amendment). --amount is parsed in `currency`; installments are replaced by the
// --installment flags given (none: one installment due at the campaign deadline).
// kInvalidArgument naming the flag.
absl::Status ApplyTermsFlags(const Invocation& inv, const std::string& currency,
                             PledgeTerms* terms);

// The schedule of --installments N --every FREQ --start DATE; nullopt when none is given.
// kInvalidArgument for an incomplete or contradictory schedule.
absl::StatusOr<std::optional<InstallmentSchedule>> ScheduleFlags(const Invocation& inv);

// The pledge `pledge record`'s flags describe: --campaign, the terms (in --currency) and the
// schedule. kInvalidArgument naming the flag.
absl::StatusOr<PledgeInput> PledgeFromFlags(const Invocation& inv);

}  // namespace constellation::cli
