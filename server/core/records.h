// server/core/records.h
//
// Stateless validation of record bodies (DESIGN §1): field shapes, sizes, money and currency
// codes. Used at the RPC edge (to answer kInvalidArgument before anything is written) and by
// the fold (so an event from any node is held to the same rules). Rules that need group state
// (membership, pledge status, ...) live in each domain's Check.
//
// ValidateBody routes a body to its domain's `<Domain>Ledger::Validate` through the fold
// registry (server/core/fold/registry.cc); each domain validates its own records in
// `server/core/<domain>/<domain>_records.cc` with the field checks below, which hold the rules
// every record shares (docs/PROTOCOL.md §5.1: limits, times, text, ids, currencies).
// Every error is kInvalidArgument and names the field path and what to fix.
// Pure; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <absl/status/status.h>

#include "constellation/v1/event.pb.h"

namespace constellation::core {

// Validates the body of `event` as far as it can without state. Bodies this version does not
// fold yet pass here when structurally sound; the fold decides what to do with them.
// kInvalidArgument for a body that is not set.
absl::Status ValidateBody(const v1::Event& event);

// True for an active ISO-4217 alphabetic code (proto/constellation/v1/currencies.inc).
bool IsKnownCurrency(std::string_view code);
// The minor-unit exponent of a known currency (2 for EUR, 0 for JPY), or nullopt.
std::optional<int> CurrencyExponent(std::string_view code);

// "1234.50 EUR": minor units formatted with the currency's exponent, for messages to people.
std::string FormatMoney(int64_t amount_minor, std::string_view currency);

// A positive amount within limits::kMoneyAmountMinorMax in a known currency.
absl::Status ValidatePositiveMoney(const v1::Money& money, std::string_view field);

// --- Field checks shared by every domain's validation ------------------------------------
// Each returns kInvalidArgument "FIELD: what is wrong and what to do", or OK.

// The error for `field`: "FIELD: WHAT".
absl::Status InvalidField(std::string_view field, const std::string& what);
// "a.b": the path of field `b` inside `a`, for messages.
std::string FieldPath(std::string_view a, std::string_view b);

// One line (names, titles, codes, references) or free text that may hold line breaks and tabs.
enum class TextKind { kLine, kMultiline };

// The first control character of UTF-8 `s` (docs/PROTOCOL.md §5.1 "Times and text"): a code
// point below U+0020 (but line feed, carriage return and tab in free text), U+007F or
// U+0080–U+009F, which UTF-8 writes as 0xC2 0x80–0x9F. Returns its code point, or -1.
int FirstControlCharacter(std::string_view s, TextKind kind);

// At most `max` bytes (the limit named `limit_name` in messages) and no control character.
absl::Status CheckText(const std::string& s, size_t max, std::string_view field,
                       std::string_view limit_name, TextKind kind = TextKind::kLine);
// CheckText, and not empty.
absl::Status CheckRequiredText(const std::string& s, size_t max, std::string_view field,
                               std::string_view limit_name, TextKind kind = TextKind::kLine);
// One line within kNameSizeBytesMax / kShortTextSizeBytesMax; free text within
// kTextSizeBytesMax.
absl::Status CheckName(const std::string& s, std::string_view field);
absl::Status CheckShort(const std::string& s, std::string_view field);
absl::Status CheckLong(const std::string& s, std::string_view field);

// Every time in a record is at most kHlcWallMsMax (the year 9999).
absl::Status CheckTime(uint64_t ms, std::string_view field);

// A 32-byte id; empty passes unless `required`.
absl::Status CheckId(const std::string& id, std::string_view field, bool required);
// At most kListFieldCountMax 32-byte ids, none twice.
absl::Status CheckIdList(const google::protobuf::RepeatedPtrField<std::string>& ids,
                         std::string_view field);
// A list of `count` entries within kListFieldCountMax.
absl::Status CheckKeys(int count, std::string_view field);

absl::Status CheckCurrency(const std::string& code, std::string_view field);
absl::Status CheckRestriction(const v1::Restriction& r, std::string_view field);
absl::Status CheckWeight(uint32_t weight, std::string_view field);
absl::Status CheckEndpoints(const google::protobuf::RepeatedPtrField<std::string>& endpoints,
                            std::string_view field);
absl::Status CheckProfile(const v1::MemberProfile& p, std::string_view field);

}  // namespace constellation::core
