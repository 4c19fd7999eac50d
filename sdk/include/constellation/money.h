// sdk/include/constellation/money.h
//
// Money for people: ISO-4217 currency codes, their minor-unit exponents, and exact conversion
// between decimal strings ("250.50") and integer minor units (25050). Money on the wire is
// always int64 minor units plus a currency code, never floating point (DESIGN §1).
// The currency table is proto/constellation/v1/currencies.inc, shared with the server, so the
// SDK and the node accept exactly the same codes.
// Thread safety: every function is pure and thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <absl/status/statusor.h>

namespace constellation {

// True if `code` is an ISO-4217 alphabetic code the wire contract accepts (upper case, e.g.
// "EUR"). Lower case is not accepted: codes are stored as written.
bool IsKnownCurrency(std::string_view code);

// The number of decimal places of `code`'s minor unit: 2 for EUR, 0 for JPY, 3 for KWD.
// kInvalidArgument for an unknown currency.
absl::StatusOr<int> CurrencyExponent(std::string_view code);

// Parses a non-negative decimal amount in `currency` into minor units: for EUR "250",
// "250.5" and "250.50" all give 25050. Accepted form: digits, optionally '.' and at most
// CurrencyExponent(currency) digits (none for an exponent-0 currency); no sign, exponent,
// spaces or thousands separators. kInvalidArgument, with a message saying what to fix, for an
// unknown currency, an empty or malformed amount, a negative amount, too many decimals, or a
// value that does not fit int64 minor units.
absl::StatusOr<int64_t> ParseAmount(std::string_view decimal, std::string_view currency);

// Formats minor units as a decimal with exactly the currency's number of decimals:
// FormatAmount(25050, "EUR") == "250.50", FormatAmount(-5, "EUR") == "-0.05",
// FormatAmount(1000, "JPY") == "1000". An unknown currency is formatted with 2 decimals.
std::string FormatAmount(int64_t minor, std::string_view currency);

}  // namespace constellation
