// server/rpc/pooled/pooled_views.h
//
// Pooled resources' views (client.proto ContributionView, FundView, DrawdownView,
// PooledEntryView, MemberTotal, SharesView) from the core's PooledLedger and its derived
// drawdown queue and benefit shares (docs/PROTOCOL.md §5.10), and its lookups. The ledger keeps
// numbers and ids only: what the views show of a record's text (units, FX sources, purposes,
// references) they read from the event the ledger names (core::Group::Find). Pure functions of
// their arguments.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <absl/status/statusor.h>

#include "constellation/v1/client.pb.h"
#include "server/core/group.h"
#include "server/core/pooled/pooled_ledger.h"

namespace constellation::rpc {

// A contribution or fund of `g` by id; kInvalidArgument for a malformed id, kNotFound.
absl::StatusOr<const core::ContributionState*> FindContribution(const core::Group& g,
                                                                const std::string& id_bytes);
absl::StatusOr<const core::FundState*> FindFund(const core::Group& g, const std::string& id_bytes);

v1::ContributionView ToContributionView(const core::Group& g, const core::ContributionState& c);
// `drawdowns`: core::Drawdowns of the group (the fund's approved, undisbursed amount).
v1::FundView ToFundView(const core::Group& g, const core::FundState& f,
                        const std::vector<core::DrawdownView>& drawdowns);
v1::DrawdownView ToDrawdownView(const core::Group& g, const core::DrawdownView& d);
v1::PooledEntryView ToEntryView(const core::Group& g, const core::PooledEntry& entry);
v1::SharesView ToSharesView(const core::BenefitShares& shares);

// write.h RecordViews: the contribution, the fund, the drawdown (by its proposal id).
absl::StatusOr<v1::ContributionView> ContributionViewOf(const core::Group& group,
                                                        const std::string& contribution_id,
                                                        uint64_t as_of_ms);
absl::StatusOr<v1::FundView> FundViewOf(const core::Group& group, const std::string& fund_id,
                                        uint64_t as_of_ms);
absl::StatusOr<v1::DrawdownView> DrawdownViewOf(const core::Group& group,
                                                const std::string& proposal_id, uint64_t as_of_ms);

}  // namespace constellation::rpc
