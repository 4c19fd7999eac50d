// sdk/src/pooled/pooled_convert.h
//
// Conversions of the pooled resources domain (constellation/pooled.h) between the SDK's types
// and the protos: contributions, funds (also the payload of a CREATE_FUND proposal), drawdowns,
// ledger entries, totals and benefit shares. Each response the pooled domain's Client methods
// receive has its FromProto here.
// Thread safety: pure functions.
#pragma once

#include <string_view>
#include <vector>

#include <absl/status/status.h>
#include <constellation/pooled.h>

#include "constellation/v1/client.pb.h"
#include "constellation/v1/event.pb.h"

namespace constellation::internal {

ContributionInput FromProto(const v1::Contribution& proto);
// kInvalidArgument for malformed hex or an unknown kind or valuation method.
absl::Status ToProto(const ContributionInput& input, v1::Contribution* proto);

// What a fund is (also the payload of a CREATE_FUND proposal). `field` names it in errors.
FundInput FromProto(const v1::Fund& proto);
absl::Status ToProto(const FundInput& fund, std::string_view field, v1::Fund* proto);

Contribution FromProto(const v1::ContributionView& proto);
ContributionWrite FromProto(const v1::ContributionWriteResponse& proto);
PooledLedger FromProto(const v1::ListContributionsResponse& proto);
Fund FromProto(const v1::FundView& proto);
FundWrite FromProto(const v1::FundWriteResponse& proto);
std::vector<Fund> FromProto(const v1::ListFundsResponse& proto);
Drawdown FromProto(const v1::DrawdownView& proto);
DrawdownWrite FromProto(const v1::DrawdownWriteResponse& proto);
std::vector<Drawdown> FromProto(const v1::ListDrawdownsResponse& proto);
BenefitShares FromProto(const v1::SharesView& proto);

}  // namespace constellation::internal
