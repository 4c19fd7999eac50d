// sdk/include/constellation/pooled.h
//
// Pooled resources domain of the client API (PooledService, docs/PROTOCOL.md §5.10):
// contributions in cash and in kind with their valuation and FX conversion, corrections as
// reversing entries, funds held by a fiscal host and created by decision, receipts of cash paid
// into a fund, drawdowns (ALLOCATE_FUNDS proposals) with their derived status, disbursements,
// and benefit shares.
// Thread safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <constellation/common.h>
#include <constellation/fundraising.h>  // Restriction

namespace constellation {

// An exchange rate as an exact decimal: rate = rate_micros / 1e6 units of `to` per `from`.
struct FxRate {
  std::string from_currency;
  std::string to_currency;
  int64_t rate_micros = 0;
  std::string source;  // e.g. "ECB reference rate"
  uint64_t as_of_ms = 0;
};

// What a contribution is: the input of RecordContribution, and the entry of a Contribution.
struct ContributionInput {
  std::string kind;            // "cash" | "goods" | "services" | "staff_time" | "facilities"
  int64_t quantity_milli = 0;  // quantity × 1000 (hours, items, ...); in kind only
  std::string unit;            // "hour", "day", "item", ...
  std::optional<Money> unit_rate;
  std::string valuation_method;  // in kind: "actual_cost" | "standard_rate"; cash: ""
  // The value, in the currency totals are kept in. In kind:
  // round_half_up(quantity_milli × unit_rate / 1000) of the value before conversion.
  Money value;
  // When the value was converted: the rate with its source and date, and the value before
  // conversion. Never converted silently.
  std::optional<FxRate> fx;
  std::optional<Money> original_value;
  std::string evidence_sha256;  // hex, optional
  std::string action_team_id;   // hex, optional
  std::string pledge_id;        // hex, optional
  std::string reverses;         // hex: this entry reverses that contribution
  std::string fund_id;          // hex: cash paid into this fund
};

struct Contribution {
  std::string contribution_id;  // hex
  std::string group_id;         // hex
  std::string contributor;      // hex org key
  ContributionInput entry;
  Hlc hlc;
  std::string reversed_by;  // hex: the reversing entry, once corrected
  std::string receipt_id;   // hex: the fiscal host's receipt of its cash
  // Reversed concurrently with the fiscal host's receipt: both stand, a refund is owed.
  bool reversed_after_receipt = false;
};

// What a fund is: the payload of a CREATE_FUND proposal.
struct FundInput {
  std::string name;
  std::string fiscal_host;  // hex org key of the member holding the money
  std::string currency;
  Restriction restriction;
  std::string action_team_id;  // hex, optional
};

struct Fund {
  std::string fund_id;      // hex
  std::string group_id;     // hex
  std::string proposal_id;  // hex: the CREATE_FUND decision
  FundInput definition;
  int64_t received_minor = 0;   // Σ receipts
  int64_t disbursed_minor = 0;  // Σ disbursements
  int64_t balance_minor = 0;    // received − disbursed, never negative
  int64_t approved_undisbursed_minor = 0;
  int64_t available_minor = 0;  // balance − approved undisbursed
  uint32_t receipt_count = 0;
  uint32_t disbursement_count = 0;
  Hlc created_hlc;
};

// A drawdown: an ALLOCATE_FUNDS proposal and what became of it (derived, never stored).
struct Drawdown {
  std::string proposal_id;  // hex: the drawdown's id
  std::string group_id;     // hex
  std::string fund_id;      // hex
  std::string proposer;     // hex org key: the requester
  std::string recipient;    // hex org key
  Money amount;
  std::string title;
  std::string purpose;
  std::string budget_line;
  std::string status;           // "proposed" | "rejected" | "approved" | "refused" | "disbursed"
  std::string reason;           // refused: why
  std::string disbursement_id;  // hex, once disbursed
  std::string outcome;          // the proposal's outcome
  bool final = false;
};

// One entry of the pooled ledger, in canonical order.
struct PooledEntry {
  std::string event_id;  // hex
  std::string kind;      // "contribution" | "reversal" | "fund" | "receipt" | "disbursement"
  std::string author;    // hex org key
  Hlc hlc;
  std::string fund_id;                            // hex, the fund it concerns; "" for none
  std::optional<ContributionInput> contribution;  // contribution and reversal
  std::optional<FundInput> fund;                  // fund
  std::string contribution_id;                    // receipt: hex
  std::string proposal_id;                        // disbursement: hex
  std::optional<Money> amount;                    // receipt and disbursement
  std::string external_ref;                       // receipt and disbursement
};

// A member's net contributed value in one currency (contributions − reversals).
struct MemberTotal {
  std::string member;  // hex org key
  std::string currency;
  int64_t net_contributed_minor = 0;
};

// The ledger (ListContributions): every entry, the contributions, the totals.
struct PooledLedger {
  std::vector<PooledEntry> entries;
  std::vector<Contribution> contributions;
  std::vector<MemberTotal> totals;
};

struct BenefitShare {
  std::string member;  // hex org key
  uint32_t share_bps = 0;
  int64_t contributed_minor = 0;  // "contributed_value": the net value it is based on
};
struct SharesInCurrency {
  std::string currency;              // "" for "equal"
  std::vector<BenefitShare> shares;  // sum to 10000 basis points
};
struct BenefitShares {
  std::string basis;  // "equal" | "contributed_value"
  std::vector<SharesInCurrency> currencies;
};

struct ContributionWrite {
  EventRef event;
  Contribution contribution;
};
struct FundWrite {
  EventRef event;
  Fund fund;
};
struct DrawdownWrite {
  EventRef event;
  Drawdown drawdown;
};

}  // namespace constellation
