// sdk/src/health/health_client.cc: the health domain's Client methods (HealthService): pulse
// checks and the health view.
#include <string>
#include <utility>

#include <constellation/client.h>

#include "sdk/src/health/health_convert.h"
#include "sdk/src/hex.h"
#include "sdk/src/paging.h"
#include "sdk/src/status.h"
#include "sdk/src/unary_call.h"

namespace constellation {
namespace {

using internal::DecodeId, internal::DecodeOptionalId, internal::FromProto, internal::UnaryCall;
using HealthStub = v1::HealthService::Stub;

}  // namespace

absl::StatusOr<PulseWrite> Client::RecordPulse(std::string_view group_id, uint32_t alignment,
                                               std::string_view comment,
                                               const WriteOptions& write) {
  v1::RecordPulseRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  request.set_alignment(alignment);
  request.set_comment(std::string(comment));
  return UnaryCall<PulseWrite>(*core_, "RecordPulse", &HealthStub::RecordPulse, std::move(request),
                               write, FromProto);
}

absl::StatusOr<std::vector<Pulse>> Client::ListPulses(std::string_view group_id,
                                                      std::string_view member) {
  v1::ListPulsesRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeOptionalId(member, "member", request.mutable_member()));
  return internal::DrainPages<Pulse>(*core_, "ListPulses", &HealthStub::ListPulses, request,
                                     FromProto);
}

absl::StatusOr<GroupHealth> Client::GetHealth(std::string_view group_id, uint64_t as_of_ms) {
  v1::GetHealthRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  request.set_as_of_ms(as_of_ms);
  return UnaryCall<GroupHealth>(*core_, "GetHealth", &HealthStub::GetHealth, request, FromProto);
}

}  // namespace constellation
