// sdk/src/group/group_client.cc: the group domain's Client methods (GroupService): found a
// group, read groups, stream a group's signed events.
#include <climits>
#include <memory>
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

absl::StatusOr<StateHashAt> Client::GetStateHash(std::string_view group_id,
                                                 uint64_t event_count) {
  v1::GetStateHashRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  request.set_event_count(event_count);
  return UnaryCall<StateHashAt>(*core_, "GetStateHash", &GroupStub::GetStateHash, request,
                                FromProto);
}

absl::StatusOr<std::vector<ForkProofEntry>> Client::ListForkProofs(std::string_view group_id) {
  v1::ListForkProofsRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  absl::StatusOr<std::vector<v1::ForkProofView>> views =
      internal::DrainPages<v1::ForkProofView>(
          *core_, "ListForkProofs", &GroupStub::ListForkProofs, std::move(request),
          +[](const v1::ListForkProofsResponse& response) {
            return std::vector<v1::ForkProofView>(response.fork_proofs().begin(),
                                                  response.fork_proofs().end());
          });
  if (!views.ok()) return views.status();
  std::vector<ForkProofEntry> proofs;
  for (const v1::ForkProofView& view : *views) {
    absl::StatusOr<ForkProofEntry> proof = FromProto(view);
    if (!proof.ok()) return proof.status();
    proofs.push_back(*std::move(proof));
  }
  return proofs;
}

absl::StatusOr<WatchStream> Client::Watch(std::string_view group_id, const WatchOptions& options) {
  v1::WatchEventsRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  for (const auto& [author, seq] : options.after.seqs) {
    v1::WatchRevision::AuthorSeq* entry = request.mutable_after()->add_seqs();
    CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(author, "after author", entry->mutable_author()));
    entry->set_seq(seq);
  }
  auto revision = std::make_shared<WatchRevision>(options.after);
  // No deadline, and reopens until cancelled: a watch outlives restarts of the node.
  const internal::StreamPolicy policy{absl::InfiniteDuration(), INT_MAX};
  return WatchStream(
      internal::OpenStream<GroupEventEntry>(
          core_, "WatchEvents", &GroupStub::WatchEvents, std::move(request),
          [](const v1::WatchEventsResponse& response) {
            v1::StreamEventsResponse entry;
            entry.set_event_id(response.event_id());
            *entry.mutable_signed_event() = response.signed_event();
            return FromProto(entry);
          },
          // The revision advances with every entry read, so a reopen asks for exactly the
          // events not delivered yet (client.proto WatchEvents).
          [revision](const v1::WatchEventsResponse& response, v1::WatchEventsRequest* request) {
            revision->Advance(internal::HexEncode(response.author()), response.seq());
            v1::WatchRevision::AuthorSeq* entry = nullptr;
            for (v1::WatchRevision::AuthorSeq& e : *request->mutable_after()->mutable_seqs()) {
              if (e.author() == response.author()) entry = &e;
            }
            if (entry == nullptr) {
              entry = request->mutable_after()->add_seqs();
              entry->set_author(response.author());
            }
            entry->set_seq(response.seq());
            return true;
          },
          policy),
      revision);
}

}  // namespace constellation
