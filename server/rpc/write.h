// server/rpc/write.h
//
// The one write template of the client API: request -> event body -> validated (in the
// reaction, once, before anything is posted: the group id, the request_id and
// core::ValidateBody) -> appended on the apply loop (idempotent by request_id, durable before
// the answer, backend.h) -> the id of the record the write concerns -> that record's view.
// BoundService::Write (service.h) is the template's form for a client RPC; a write RPC says
// which record its request makes and which view answers it:
//
//   return Write(ctx, req, resp, BodyFrom(*req, &v1::Event::mutable_pledge_cancellation),
//                req->pledge_id(), PledgeViewOf);
//
// Thread safety: BodyFrom and PrepareWrite run in any thread; AnswerWrite on the apply loop.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <absl/status/status.h>
#include <absl/status/statusor.h>
#include <google/protobuf/message.h>

#include "constellation/v1/client.pb.h"
#include "server/base/status_macros.h"
#include "server/core/codec.h"
#include "server/core/group.h"
#include "server/rpc/backend.h"

namespace constellation::rpc {

v1::EventRef ToEventRef(const core::VerifiedEvent& e);

// Copies a client request into `record`, the body record `record_field` of v1::Event names:
// the request's field of that name when it holds the whole record (OpenCampaignRequest's
// `campaign`), else each field of the record from the request's field of the same name (the
// write requests mirror their records, client.proto: CancelPledgeRequest's pledge_id and
// reason are PledgeCancellation's). A record field the request lacks, or holds with another
// type, is a programmer error (CONSTELLATION_CHECK).
void CopyRecord(const google::protobuf::Message& request, std::string_view record_field,
                google::protobuf::Message* record);

// The event body whose record is `request`'s (CopyRecord): `mutable_record` is the accessor
// of the record in v1::Event, e.g. &v1::Event::mutable_pledge_cancellation.
template <typename Record>
v1::Event BodyFrom(const google::protobuf::Message& request,
                   Record* (v1::Event::*mutable_record)()) {
  v1::Event body;
  Record* record = (body.*mutable_record)();
  CopyRecord(request, v1::Event::descriptor()->FindFieldByNumber(body.body_case())->name(), record);
  return body;
}

// A write validated off the loop: its group (none for a genesis, which founds one) and its
// body, which carries the request_id.
struct PreparedWrite {
  std::optional<core::GroupId> group;
  v1::Event body;
};

// Validates a write of `body` to the group `group_id` names (nullptr for a genesis): the
// group id, the request_id (CheckRequestId) and the body (core::ValidateBody). Pure; every
// error is kInvalidArgument.
absl::StatusOr<PreparedWrite> PrepareWrite(const std::string* group_id, v1::Event body);

// Appends `write` as an own event, on the apply loop. kNotFound for a group this node does not
// hold. A retry (same request_id, same write) returns the original event and appends nothing;
// the same request_id for a different write is kAlreadyExists. An event that was stored but
// had no effect (possible once events from other nodes reorder the fold) is
// kFailedPrecondition with the reason. Otherwise the errors of ApplyContext::AppendOwn.
absl::StatusOr<const core::VerifiedEvent*> AppendPrepared(ApplyContext& apply,
                                                          const PreparedWrite& write);

// The view of record `id` of `group` as of `as_of_ms`: a group, member (by org key), campaign,
// pledge or proposal (by event id). What a read of one record returns and a write answers
// with. Errors: kInvalidArgument for a malformed id, kNotFound. Pure.
template <typename View>
using RecordView = absl::StatusOr<View> (*)(const core::Group& group, const std::string& id,
                                            uint64_t as_of_ms);

// Sets the field of `response` whose type is `view`'s to `view`: a write response holds the
// appended event and one view of the record the write concerns (client.proto).
void SetViewField(const google::protobuf::Message& view, google::protobuf::Message* response);

// Appends `write` (AppendPrepared) and answers with the appended event and the view of
// `subject`, the id of the record the write concerns (empty: the record the appended event
// creates), as it is after the append. On the apply loop.
template <typename Response, typename View>
absl::Status AnswerWrite(ApplyContext& apply, const PreparedWrite& write,
                         const std::string& subject, RecordView<View> view, Response* out) {
  CONSTELLATION_ASSIGN_OR_RETURN(const core::VerifiedEvent* e, AppendPrepared(apply, write));
  *out->mutable_event() = ToEventRef(*e);
  CONSTELLATION_ASSIGN_OR_RETURN(const View record,
                                 view(*apply.state().FindGroup(e->group),
                                      subject.empty() ? e->id.Bytes() : subject, apply.NowMs()));
  SetViewField(record, out);
  return absl::OkStatus();
}

}  // namespace constellation::rpc
