// cli/values.h
//
// Parsing and formatting of the values people type and read: dates and times (YYYY-MM-DD is
// UTC midnight, or RFC 3339), installments ("2027-01-31=100.00"), restrictions
// ("purpose:TEXT"), money via sdk money.h. Errors are kInvalidArgument naming the flag and
// saying what to type instead.
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <absl/status/statusor.h>
#include <absl/time/time.h>
#include <constellation/types.h>

namespace constellation::cli {

// "2027-01-31" -> that day at 00:00:00 UTC; "2026-11-20T10:00:00Z" or with an offset
// ("+01:00") -> that instant. In milliseconds since the epoch; before 1970 is an error.
absl::StatusOr<uint64_t> ParseDateMs(std::string_view text, std::string_view flag);

// A point in time for deadlines and notice dates: what ParseDateMs accepts, whole milliseconds
// since the epoch ("1798761600000"), or "+DURATION" from `now` ("+72h", "+90m", "+7d"; units
// ms, s, m, h, d). Must be after 1970-01-01.
absl::StatusOr<uint64_t> ParseInstantMs(std::string_view text, std::string_view flag,
                                        absl::Time now);

// Milliseconds -> "2027-01-31" when exactly UTC midnight, else "2026-11-20T10:00:00Z"
// (with .mmm when there are milliseconds); 0 (not set) -> "".
std::string FormatTimeMs(uint64_t ms);

// The decimal `amount` of `currency` as Money; kInvalidArgument names `flag`.
absl::StatusOr<Money> ParseMoney(std::string_view amount, std::string_view currency,
                                 std::string_view flag);

// "DATE=AMOUNT" -> an installment of `currency`.
absl::StatusOr<Installment> ParseInstallment(std::string_view text, std::string_view currency);

// "purpose:TEXT", "perpetual:TEXT" or "time:DATE" (restricted until DATE).
absl::StatusOr<Restriction> ParseRestriction(std::string_view text);

}  // namespace constellation::cli
