// server/core/records.h
//
// Stateless validation of record bodies (DESIGN §1): field shapes, sizes, money and currency
// codes. Used at the RPC edge (to answer kInvalidArgument before anything is written) and by
// the fold (so an event from any node is held to the same rules). Rules that need group state
// (membership, pledge status, ...) live in group_state.h.
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

// True for an active ISO-4217 alphabetic code (proto/constellation/v1/currencies.inc).
bool IsKnownCurrency(std::string_view code);

// "1234.50 EUR": minor units formatted with the currency's exponent, for messages to people.
std::string FormatMoney(int64_t amount_minor, std::string_view currency);

// A positive amount within limits::kMoneyAmountMinorMax in a known currency.
absl::Status ValidatePositiveMoney(const v1::Money& money, std::string_view field);

absl::Status ValidateCharter(const v1::Charter& charter, std::string_view field);
absl::Status ValidateCampaign(const v1::Campaign& campaign, std::string_view field);
absl::Status ValidateFund(const v1::Fund& fund, std::string_view field);
// Pooled resources (docs/PROTOCOL.md §5.10). round_half_up(quantity_milli × rate_minor /
// 1000), computed exactly; nullopt when it does not fit int64. Arguments are non-negative.
std::optional<int64_t> ValuationMinor(int64_t quantity_milli, int64_t rate_minor);
// round_half_up(original_minor × fx.rate_micros × 10^e_to / (10^6 × 10^e_from)) with the
// minor-unit exponents of fx.to_currency and fx.from_currency; nullopt when a currency is
// unknown or the result does not fit int64. Arguments are non-negative.
std::optional<int64_t> ConvertedMinor(int64_t original_minor, const v1::FxRate& fx);
absl::Status ValidateContribution(const v1::Contribution& c, std::string_view field);

absl::Status ValidatePledgeTerms(const v1::PledgeTerms& terms, std::string_view field);

// A proposal: type, title, and the payload its type needs (AdmitPayload for ADMIT, ...).
// Rules that need state (is the type allowed, is the invitee a member, the deadline against
// the event's hlc) live in group_state.h.
absl::Status ValidateProposal(const v1::Proposal& proposal, std::string_view field);

// Validates the body of `event` as far as it can without state. Bodies this version does not
// fold yet pass here when structurally sound; the fold decides what to do with them.
absl::Status ValidateBody(const v1::Event& event);

}  // namespace constellation::core
