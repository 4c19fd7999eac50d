// server/rpc/write.h
//
// The one write template of the client API: request -> event body -> validated (in the
// reaction, once, before anything is posted: the group id, the request_id and
// core::ValidateBody) -> appended on the apply loop (idempotent by request_id, durable before
// the answer, backend.h) -> the id of the record the write concerns -> that record's view. A
// write RPC says how to build its body from the request and which view answers it:
//
//   v1::Event body;
//   body.mutable_pledge_cancellation()->set_pledge_id(req->pledge_id());
//   return Write(backend_, ctx, req, resp, Access::kWrite, std::move(body), req->pledge_id(),
//                PledgeAnswer);
//
// Thread safety: Write and PrepareWrite run in any thread; AnswerWrite on the apply loop.
#pragma once

#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include <absl/status/status.h>
#include <absl/status/statusor.h>
#include <grpcpp/grpcpp.h>

#include "constellation/v1/client.pb.h"
#include "server/base/status_macros.h"
#include "server/core/codec.h"
#include "server/core/group.h"
#include "server/rpc/backend.h"
#include "server/rpc/reactors.h"

namespace constellation::rpc {

v1::EventRef ToEventRef(const core::VerifiedEvent& e);

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

// How a write answers: fills `out` with the view of `subject` (the id of the record the write
// concerns: a pledge, a proposal, a member's key; the appended event's own id when the write
// creates the record) in `group` as it is after the append. Runs on the apply loop.
template <typename Response>
using WriteView = absl::Status (*)(const ApplyContext& apply, const core::Group& group,
                                   const std::string& subject, Response* out);

// Appends `write` (AppendPrepared) and answers with the appended event and the view of
// `subject` (empty: the appended event). On the apply loop.
template <typename Response>
absl::Status AnswerWrite(ApplyContext& apply, const PreparedWrite& write,
                         const std::string& subject,
                         std::type_identity_t<WriteView<Response>> view, Response* out) {
  CONSTELLATION_ASSIGN_OR_RETURN(const core::VerifiedEvent* e, AppendPrepared(apply, write));
  *out->mutable_event() = ToEventRef(*e);
  return view(apply, *apply.state().FindGroup(e->group), subject.empty() ? e->id.Bytes() : subject,
              out);
}

// The write template: a client RPC of kind `access` that appends `body` (its request_id set
// from the request's) to the group of `request.group_id()` (a request without one founds a
// group) and answers with `view` of `subject` (AnswerWrite). Errors, in this order:
// kUnauthenticated, kPermissionDenied, kInvalidArgument (PrepareWrite), then AppendPrepared's
// and the view's.
template <typename Request, typename Response>
grpc::ServerUnaryReactor* Write(Backend* backend, grpc::CallbackServerContext* ctx,
                                const Request* request, Response* response, Access access,
                                v1::Event body, std::string subject,
                                std::type_identity_t<WriteView<Response>> view) {
  body.set_request_id(request->request_id());
  const std::string* group_id = nullptr;
  if constexpr (requires { request->group_id(); }) group_id = &request->group_id();
  return RunUnary(
      backend, ctx, request, response, AuthenticateClient(ctx, *backend, access),
      [group_id, &body](const Request&) { return PrepareWrite(group_id, std::move(body)); },
      [subject = std::move(subject), view](ApplyContext& apply, const Principal&, const Request&,
                                           const PreparedWrite& write, Response* out) {
        return AnswerWrite<Response>(apply, write, subject, view, out);
      });
}

}  // namespace constellation::rpc
