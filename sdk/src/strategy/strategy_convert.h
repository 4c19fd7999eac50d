// sdk/src/strategy/strategy_convert.h
//
// Conversions of the strategy domain (constellation/strategy.h) to and from the protos of
// StrategyService. Thread safety: pure functions.
#pragma once

#include <vector>

#include <absl/status/status.h>
#include <constellation/strategy.h>

#include "constellation/v1/client.pb.h"

namespace constellation::internal {

// kInvalidArgument naming the field: an unknown document, level or frequency name, a malformed
// based_on or owner id. Sizes and keys are the node's to check.
absl::Status ToProto(const StrategyDraft& draft, v1::StrategyVersion* proto);

StrategyDraft FromProto(const v1::StrategyVersion& proto);
Indicator FromProto(const v1::Indicator& proto);
StrategyAdoption FromProto(const v1::StrategyAdoptionView& proto);
StrategyVersion FromProto(const v1::StrategyVersionView& proto);
StrategyWrite FromProto(const v1::StrategyWriteResponse& proto);
std::vector<StrategyVersion> FromProto(const v1::ListStrategyVersionsResponse& proto);
std::vector<StrategyVersion> FromProto(const v1::CurrentStrategyView& proto);
std::vector<StrategyAdoption> FromProto(const v1::ListStrategyAdoptionsResponse& proto);

}  // namespace constellation::internal
