// sdk/src/health/health_convert.h
//
// Conversions of the health domain (constellation/health.h) from the protos of HealthService.
// Thread safety: pure functions.
#pragma once

#include <vector>

#include <constellation/health.h>

#include "constellation/v1/client.pb.h"

namespace constellation::internal {

Pulse FromProto(const v1::PulseView& proto);
PulseWrite FromProto(const v1::PulseWriteResponse& proto);
std::vector<Pulse> FromProto(const v1::ListPulsesResponse& proto);
GroupHealth FromProto(const v1::HealthView& proto);

}  // namespace constellation::internal
