// tests/testing/pooled_events.h
//
// Record bodies of the pooled-resources domain for tests (docs/PROTOCOL.md §5.10): cash and
// in-kind contributions, reversals, funds and their CREATE_FUND proposals, receipts, drawdowns
// (ALLOCATE_FUNDS proposals) and disbursements. Each is valid as built unless a test changes it.
// Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "constellation/v1/event.pb.h"
#include "server/core/ids.h"

namespace constellation::testing {

// A fund held by `host` in `currency`, without restriction and proposal id.
v1::Fund TestFund(const core::OrgKey& host, const std::string& currency = "EUR",
                  const std::string& name = "Estuary restoration pool");

// Cash of `amount_minor`; paid into `fund` when given.
v1::Event CashContributionBody(int64_t amount_minor, const std::string& currency = "EUR",
                               const core::EventId* fund = nullptr);
// Staff time: `hours_milli` thousandths of an hour at `rate_minor` per hour, valued by `method`
// (value = round_half_up(hours_milli × rate_minor / 1000)).
v1::Event StaffTimeBody(int64_t hours_milli, int64_t rate_minor,
                        v1::ValuationMethod method = v1::VALUATION_METHOD_ACTUAL_COST,
                        const std::string& currency = "EUR");
// The reversal of `original` (a contribution body), which is the event `id`.
v1::Event ReversalBody(const v1::Event& original, const core::EventId& id);

v1::Event CreateFundProposalBody(const v1::Fund& fund);
// The fund as decided by `proposal`.
v1::Event FundBody(const v1::Fund& fund, const core::EventId& proposal);
v1::Event ReceiptBody(const core::EventId& contribution, int64_t amount_minor,
                      const std::string& currency = "EUR", uint64_t received_ms = 1'000);
// A drawdown: an ALLOCATE_FUNDS proposal of `amount_minor` from `fund` to `recipient`.
v1::Event DrawdownBody(const core::EventId& fund, int64_t amount_minor,
                       const core::OrgKey& recipient, const std::string& currency = "EUR");
v1::Event DisbursementBody(const core::EventId& proposal, int64_t amount_minor,
                           const std::string& currency = "EUR");

}  // namespace constellation::testing
