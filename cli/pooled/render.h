// cli/pooled/render.h
//
// How the pooled resources domain's values print (conventions in cli/render.h): funds with
// their balances, ledger entries, contributions, drawdowns with their status and reason, and
// benefit shares (one row per currency and member).
// Thread safety: pure functions and constant data.
#pragma once

#include <string_view>
#include <vector>

#include <constellation/types.h>

#include "cli/output.h"
#include "cli/render.h"

namespace constellation::cli {

// `pool fund list`.
extern const RecordFormat<Fund> kFundFormat;
// `pool fund show`: the fund with its drawdowns and its ledger entries.
struct FundDetail {
  Fund fund;
  std::vector<Drawdown> drawdowns;
  std::vector<PooledEntry> entries;
};
Output FundDetailOutput(const FundDetail& detail);
// After `pool fund create --proposal`.
Output FundWriteOutput(const FundWrite& write, std::string_view request_id);

// `pool ledger`: the entries in canonical order (JSON: with the contributions and totals).
Output LedgerOutput(const PooledLedger& ledger);
// `pool ledger --totals`: net contributed value per member and currency.
Output TotalsOutput(const PooledLedger& ledger);
// After `pool contribute`, `pool correct` and `pool receipt`.
Output ContributionWriteOutput(const ContributionWrite& write, std::string_view request_id);

// `pool drawdowns`.
extern const RecordFormat<Drawdown> kDrawdownFormat;
// After `pool disburse`.
Output DrawdownWriteOutput(const DrawdownWrite& write, std::string_view request_id);

// `pool shares`.
Output SharesOutput(const BenefitShares& shares);

}  // namespace constellation::cli
