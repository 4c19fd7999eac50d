// sdk/src/strategy/strategy_client.cc: the strategy domain's Client methods (StrategyService):
// drafting versions, and the reads.
#include <string>
#include <utility>

#include <constellation/client.h>

#include "sdk/src/convert.h"
#include "sdk/src/hex.h"
#include "sdk/src/paging.h"
#include "sdk/src/status.h"
#include "sdk/src/strategy/strategy_convert.h"
#include "sdk/src/unary_call.h"

namespace constellation {
namespace {

using internal::DecodeId, internal::FromProto, internal::UnaryCall;
using StrategyStub = v1::StrategyService::Stub;

// Sets request.document from `document` ("" = every document).
template <typename Request>
absl::Status SetDocument(std::string_view document, Request* request) {
  return internal::SetEnum(document, "document", request, &Request::set_document);
}

}  // namespace

absl::StatusOr<StrategyWrite> Client::DraftStrategy(std::string_view group_id,
                                                    const StrategyDraft& draft,
                                                    const WriteOptions& write) {
  v1::DraftStrategyRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  CONSTELLATION_SDK_RETURN_IF_ERROR(internal::ToProto(draft, request.mutable_strategy_version()));
  return UnaryCall<StrategyWrite>(*core_, "DraftStrategy", &StrategyStub::DraftStrategy,
                                  std::move(request), write, FromProto);
}

absl::StatusOr<StrategyVersion> Client::GetStrategyVersion(std::string_view group_id,
                                                           std::string_view version_id) {
  v1::GetStrategyVersionRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  CONSTELLATION_SDK_RETURN_IF_ERROR(
      DecodeId(version_id, "version_id", request.mutable_version_id()));
  return UnaryCall<StrategyVersion>(*core_, "GetStrategyVersion", &StrategyStub::GetStrategyVersion,
                                    request, FromProto);
}

absl::StatusOr<std::vector<StrategyVersion>> Client::ListStrategyVersions(
    std::string_view group_id, std::string_view document) {
  v1::ListStrategyVersionsRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  CONSTELLATION_SDK_RETURN_IF_ERROR(SetDocument(document, &request));
  return internal::DrainPages<StrategyVersion>(
      *core_, "ListStrategyVersions", &StrategyStub::ListStrategyVersions, request, FromProto);
}

absl::StatusOr<std::vector<StrategyVersion>> Client::GetCurrentStrategy(std::string_view group_id) {
  v1::GetCurrentStrategyRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  return UnaryCall<std::vector<StrategyVersion>>(
      *core_, "GetCurrentStrategy", &StrategyStub::GetCurrentStrategy, request, FromProto);
}

absl::StatusOr<std::vector<StrategyAdoption>> Client::ListStrategyAdoptions(
    std::string_view group_id, std::string_view document) {
  v1::ListStrategyAdoptionsRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  CONSTELLATION_SDK_RETURN_IF_ERROR(SetDocument(document, &request));
  return internal::DrainPages<StrategyAdoption>(
      *core_, "ListStrategyAdoptions", &StrategyStub::ListStrategyAdoptions, request, FromProto);
}

}  // namespace constellation
