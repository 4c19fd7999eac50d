// sdk/src/convenings/convenings_convert.h
//
// Conversions of the convenings domain (constellation/convenings.h) between the SDK's types and
// the protos: convenings, action items, and the responses of ConveningService.
// Thread safety: pure functions.
#pragma once

#include <vector>

#include <absl/status/status.h>
#include <constellation/convenings.h>

#include "constellation/v1/client.pb.h"
#include "constellation/v1/event.pb.h"

namespace constellation::internal {

// kInvalidArgument for malformed hex ids.
absl::Status ToProto(const ConveningInput& input, v1::Convening* proto);
absl::Status ToProto(const ActionItemInput& input, v1::ActionItem* proto);

Convening FromProto(const v1::ConveningView& proto);
ConveningWrite FromProto(const v1::ConveningWriteResponse& proto);
std::vector<Convening> FromProto(const v1::ListConveningsResponse& proto);
ActionItem FromProto(const v1::ActionItemView& proto);
ActionItemWrite FromProto(const v1::ActionItemWriteResponse& proto);
std::vector<ActionItem> FromProto(const v1::ListActionItemsResponse& proto);

}  // namespace constellation::internal
