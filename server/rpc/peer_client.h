// server/rpc/peer_client.h
//
// PeerClient: this node calling another node's FederationService, every call signed as this
// node's org (federation_auth.h) with a deadline. Blocking: use it only from a background
// worker (Backend::RunInBackground), never from the apply loop or a gRPC reaction.
// Thread safety: thread-compatible (one PeerClient per worker).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <absl/status/statusor.h>

#include "constellation/v1/federation.grpc.pb.h"
#include "server/rpc/backend.h"

namespace constellation::rpc {

class PeerClient {
 public:
  // The channel is secured as backend->PeerChannelCredentials() says (TLS or plaintext).
  PeerClient(std::string endpoint, Backend* backend);

  // The peer's frontier of `group`. Errors: the peer's status (kPermissionDenied when it does
  // not count this org as a member, kNotFound for a group it does not hold, kUnavailable).
  absl::StatusOr<v1::Frontier> GetFrontier(const core::GroupId& group);

  // The events the peer holds beyond `frontier`, in an order they can be inserted (at most
  // `max_events`).
  absl::StatusOr<std::vector<v1::SignedEvent>> Pull(const v1::Frontier& frontier,
                                                    uint32_t max_events);

  // Sends events of `group` (at most limits::kFederationPullEventsMax, in an insertable
  // order). Returns the peer's counts. Errors: the peer's status (kInvalidArgument naming the
  // first event it refused, kPermissionDenied, kUnavailable).
  absl::StatusOr<v1::PushEventsResponse> Push(const core::GroupId& group,
                                              const std::vector<v1::SignedEvent>& events);

  // Sends a fork proof of `group`; true when it changed the peer's freeze.
  absl::StatusOr<bool> GossipForkProof(const core::GroupId& group, const v1::ForkProof& proof);

  const std::string& endpoint() const { return endpoint_; }

 private:
  template <typename Request>
  void Sign(grpc::ClientContext* ctx, std::string_view method, const Request& request);
  // One signed unary federation call: `rpc` is the stub's method named `method`.
  template <typename Request, typename Response>
  absl::StatusOr<Response> Call(std::string_view method, const Request& request,
                                grpc::Status (v1::FederationService::Stub::*rpc)(
                                    grpc::ClientContext*, const Request&, Response*));

  std::string endpoint_;
  Backend* backend_;
  std::unique_ptr<v1::FederationService::Stub> stub_;
};

// Canonical proto3 encoding of `message` (deterministic serialization): the bytes a federation
// signature's request hash covers.
std::string CanonicalBytes(const google::protobuf::Message& message);

}  // namespace constellation::rpc
