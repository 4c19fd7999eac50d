// sdk/src/unary_call.h
//
// UnaryCall: the one way the SDK makes a unary RPC (DESIGN §6), so that every Client method is
// "build the request, UnaryCall, done". It owns the call policy:
// - one deadline (ClientOptions::deadline) over all attempts of a call;
// - UNAVAILABLE retried with jittered exponential backoff (ClientCore::Jittered, NextBackoff),
//   up to ClientOptions::max_attempts and only while the next wait ends before the deadline;
//   every other code is final;
// - a write's request_id fixed once, before the first attempt (the caller's, validated, or a
//   fresh NewRequestId()), so that every attempt carries it and the node returns the original
//   event instead of writing twice;
// - the final gRPC status converted to absl once (ClientCore::Failure: an UNAVAILABLE message
//   names the method, endpoint and attempts);
// - the response decoded into the SDK type by the domain's FromProto.
// Thread safety: reentrant (ClientCore is immutable and its stubs are thread-safe).
#pragma once

#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include <absl/functional/function_ref.h>
#include <absl/status/status.h>
#include <absl/status/statusor.h>
#include <constellation/client.h>
#include <grpcpp/client_context.h>
#include <grpcpp/support/status.h>

#include "sdk/src/client_core.h"
#include "sdk/src/hex.h"
#include "sdk/src/status.h"

namespace constellation::internal {

// A unary method of a generated stub, e.g. &v1::GroupService::Stub::GetGroup.
template <typename Stub, typename Request, typename Response>
using UnaryMethod = grpc::Status (Stub::*)(grpc::ClientContext*, const Request&, Response*);

// The retry loop: runs `attempt` (one RPC on a fresh context that carries the call deadline and
// the token) until it succeeds, fails with a code other than UNAVAILABLE, max_attempts is
// reached, or the next wait would pass the deadline. Returns the last status, converted.
absl::Status RunWithRetries(ClientCore& core, std::string_view method,
                            absl::FunctionRef<grpc::Status(grpc::ClientContext*)> attempt);

// True if every character of `text` is printable ASCII (0x20..0x7e): what request ids and
// header values may hold.
bool IsPrintableAscii(std::string_view text);

// The request id a write sends: the caller's or, if empty, NewRequestId(). kInvalidArgument
// for one longer than 128 characters or with characters that are not printable ASCII.
absl::StatusOr<std::string> RequestIdFor(const WriteOptions& write);

// Calls `method` (named `name` in messages) with `request` under the call policy; returns the
// node's response, or the status of the last attempt.
template <typename Stub, typename Request, typename Response>
absl::StatusOr<Response> UnaryCall(ClientCore& core, std::string_view name,
                                   UnaryMethod<Stub, Request, Response> method,
                                   const Request& request) {
  Stub& stub = core.stub<Stub>();
  Response response;
  absl::Status status = RunWithRetries(core, name, [&](grpc::ClientContext* context) {
    return (stub.*method)(context, request, &response);
  });
  if (!status.ok()) return status;
  return response;
}

// As above, and decodes the response with `decode`: pass the overload set FromProto and name
// the result type, UnaryCall<Group>(core, "GetGroup", &Stub::GetGroup, request, FromProto).
template <typename Out, typename Stub, typename Request, typename Response>
absl::StatusOr<Out> UnaryCall(ClientCore& core, std::string_view name,
                              UnaryMethod<Stub, Request, Response> method, const Request& request,
                              Out (*decode)(const Response&)) {
  absl::StatusOr<Response> response = UnaryCall(core, name, method, request);
  if (!response.ok()) return response.status();
  return decode(*response);
}

// A write: sets the request id of `write` (RequestIdFor) on `request`, then calls and decodes
// as above.
template <typename Out, typename Stub, typename Request, typename Response>
absl::StatusOr<Out> UnaryCall(ClientCore& core, std::string_view name,
                              UnaryMethod<Stub, Request, Response> method, Request request,
                              const WriteOptions& write, Out (*decode)(const Response&)) {
  absl::StatusOr<std::string> request_id = RequestIdFor(write);
  if (!request_id.ok()) return request_id.status();
  request.set_request_id(*std::move(request_id));
  return UnaryCall<Out>(core, name, method, request, decode);
}

// A write of one record to a group (open a campaign, propose): decodes `group_id` into the
// request (kInvalidArgument naming group_id), converts `input` into the request's payload
// (`(request.*payload)()`) with `to_proto` (its error as is), then calls as the write above.
template <typename Out, typename Stub, typename Request, typename Response, typename Input,
          typename Payload>
absl::StatusOr<Out> GroupWriteCall(
    ClientCore& core, std::string_view name, UnaryMethod<Stub, Request, Response> method,
    std::string_view group_id, const Input& input, Payload* (Request::*payload)(),
    std::type_identity_t<absl::Status (*)(const Input&, Payload*)> to_proto,
    const WriteOptions& write, Out (*decode)(const Response&)) {
  Request request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  CONSTELLATION_SDK_RETURN_IF_ERROR(to_proto(input, (request.*payload)()));
  return UnaryCall<Out>(core, name, method, std::move(request), write, decode);
}

}  // namespace constellation::internal
