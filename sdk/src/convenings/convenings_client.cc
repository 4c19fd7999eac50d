// sdk/src/convenings/convenings_client.cc: the convenings domain's Client methods
// (ConveningService): schedule, attendance, minutes, action items, and the reads.
#include <string>
#include <utility>

#include <constellation/client.h>

#include "sdk/src/convenings/convenings_convert.h"
#include "sdk/src/convert.h"
#include "sdk/src/hex.h"
#include "sdk/src/paging.h"
#include "sdk/src/status.h"
#include "sdk/src/unary_call.h"

namespace constellation {
namespace {

using internal::DecodeId, internal::DecodeOptionalId, internal::DecodeRecordIds,
    internal::FromProto, internal::UnaryCall;
using ConveningStub = v1::ConveningService::Stub;

}  // namespace

absl::StatusOr<ConveningWrite> Client::ScheduleConvening(std::string_view group_id,
                                                         const ConveningInput& convening,
                                                         const WriteOptions& write) {
  return internal::GroupWriteCall<ConveningWrite>(
      *core_, "ScheduleConvening", &ConveningStub::ScheduleConvening, group_id, convening,
      &v1::ScheduleConveningRequest::mutable_convening, internal::ToProto, write, FromProto);
}

absl::StatusOr<ConveningWrite> Client::RecordAttendance(std::string_view group_id,
                                                        std::string_view convening_id,
                                                        const WriteOptions& write) {
  v1::RecordAttendanceRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeRecordIds(group_id, convening_id, "convening_id",
                                                    request.mutable_group_id(),
                                                    request.mutable_convening_id()));
  return UnaryCall<ConveningWrite>(*core_, "RecordAttendance", &ConveningStub::RecordAttendance,
                                   std::move(request), write, FromProto);
}

absl::StatusOr<ConveningWrite> Client::RecordMinutes(std::string_view group_id,
                                                     std::string_view convening_id,
                                                     std::string_view text,
                                                     const WriteOptions& write) {
  v1::RecordMinutesRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeRecordIds(group_id, convening_id, "convening_id",
                                                    request.mutable_group_id(),
                                                    request.mutable_convening_id()));
  request.set_text(std::string(text));
  return UnaryCall<ConveningWrite>(*core_, "RecordMinutes", &ConveningStub::RecordMinutes,
                                   std::move(request), write, FromProto);
}

absl::StatusOr<ActionItemWrite> Client::AddActionItem(std::string_view group_id,
                                                      std::string_view convening_id,
                                                      const ActionItemInput& item,
                                                      const WriteOptions& write) {
  v1::AddActionItemRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeRecordIds(group_id, convening_id, "convening_id",
                                                    request.mutable_group_id(),
                                                    request.mutable_convening_id()));
  CONSTELLATION_SDK_RETURN_IF_ERROR(internal::ToProto(item, request.mutable_item()));
  return UnaryCall<ActionItemWrite>(*core_, "AddActionItem", &ConveningStub::AddActionItem,
                                    std::move(request), write, FromProto);
}

absl::StatusOr<ActionItemWrite> Client::CompleteActionItem(std::string_view group_id,
                                                           std::string_view action_id,
                                                           std::string_view note,
                                                           const WriteOptions& write) {
  v1::CompleteActionItemRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeRecordIds(
      group_id, action_id, "action_id", request.mutable_group_id(), request.mutable_action_id()));
  request.set_note(std::string(note));
  return UnaryCall<ActionItemWrite>(*core_, "CompleteActionItem",
                                    &ConveningStub::CompleteActionItem, std::move(request), write,
                                    FromProto);
}

absl::StatusOr<Convening> Client::GetConvening(std::string_view group_id,
                                               std::string_view convening_id) {
  v1::GetConveningRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeRecordIds(group_id, convening_id, "convening_id",
                                                    request.mutable_group_id(),
                                                    request.mutable_convening_id()));
  return UnaryCall<Convening>(*core_, "GetConvening", &ConveningStub::GetConvening, request,
                              FromProto);
}

absl::StatusOr<std::vector<Convening>> Client::ListConvenings(std::string_view group_id) {
  v1::ListConveningsRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  return internal::DrainPages<Convening>(*core_, "ListConvenings", &ConveningStub::ListConvenings,
                                         request, FromProto);
}

absl::StatusOr<Page<Convening>> Client::ListConveningsPage(std::string_view group_id,
                                                           const PageOptions& page) {
  v1::ListConveningsRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  return internal::PageCall<Convening>(*core_, "ListConvenings", &ConveningStub::ListConvenings,
                                       request, page, FromProto);
}

absl::StatusOr<std::vector<ActionItem>> Client::ListActionItems(std::string_view group_id,
                                                                std::string_view owner,
                                                                bool not_done) {
  v1::ListActionItemsRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeOptionalId(owner, "owner", request.mutable_owner()));
  request.set_not_done(not_done);
  return internal::DrainPages<ActionItem>(*core_, "ListActionItems",
                                          &ConveningStub::ListActionItems, request, FromProto);
}

}  // namespace constellation
