// sdk/src/group/group_client.cc: the group domain's Client methods (GroupService): found a
// group, read groups, stream a group's signed events.
#include <utility>

#include <constellation/client.h>

#include "sdk/src/group/group_convert.h"
#include "sdk/src/hex.h"
#include "sdk/src/paging.h"
#include "sdk/src/status.h"
#include "sdk/src/streams.h"
#include "sdk/src/unary_call.h"

namespace constellation {
namespace {

using internal::DecodeId, internal::FromProto, internal::UnaryCall;
using GroupStub = v1::GroupService::Stub;

}  // namespace

absl::StatusOr<GroupWrite> Client::CreateGroup(const CharterInput& charter,
                                               const WriteOptions& write) {
  v1::CreateGroupRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(internal::ToProto(charter, request.mutable_charter()));
  return UnaryCall<GroupWrite>(*core_, "CreateGroup", &GroupStub::CreateGroup, std::move(request),
                               write, FromProto);
}

absl::StatusOr<Group> Client::GetGroup(std::string_view group_id) {
  v1::GetGroupRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  return UnaryCall<Group>(*core_, "GetGroup", &GroupStub::GetGroup, request, FromProto);
}

absl::StatusOr<std::vector<Group>> Client::ListGroups() {
  return internal::DrainPages<Group>(*core_, "ListGroups", &GroupStub::ListGroups,
                                     v1::ListGroupsRequest(), FromProto);
}

absl::StatusOr<Page<Group>> Client::ListGroupsPage(const PageOptions& page) {
  return internal::PageCall<Group>(*core_, "ListGroups", &GroupStub::ListGroups,
                                   v1::ListGroupsRequest(), page, FromProto);
}

absl::StatusOr<GroupEventStream> Client::GroupEvents(std::string_view group_id,
                                                     uint64_t after_position) {
  v1::StreamEventsRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  request.set_after_position(after_position);
  return GroupEventStream(internal::OpenStream<GroupEventEntry>(
      core_, "StreamEvents", &GroupStub::StreamEvents, std::move(request),
      [](const v1::StreamEventsResponse& response) { return FromProto(response); },
      // after_position advances with every entry read, so a reopen resumes where it stopped.
      [](const v1::StreamEventsResponse& response, v1::StreamEventsRequest* request) {
        request->set_after_position(response.position());
        return true;
      }));
}

}  // namespace constellation
