#include "server/rpc/peer_client.h"

#include <chrono>

#include <absl/strings/str_format.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <grpcpp/grpcpp.h>

#include "server/base/limits.h"
#include "server/base/status_macros.h"
#include "server/rpc/status_map.h"

namespace constellation::rpc {
namespace {

constexpr char kGetFrontier[] = "/constellation.v1.FederationService/GetFrontier";
constexpr char kPullEvents[] = "/constellation.v1.FederationService/PullEvents";
constexpr char kPushEvents[] = "/constellation.v1.FederationService/PushEvents";
constexpr char kGossipForkProof[] = "/constellation.v1.FederationService/GossipForkProof";

absl::Status FromGrpc(const grpc::Status& s, const std::string& endpoint) {
  if (s.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(s.error_code()),
                      absl::StrFormat("peer %s: %s", endpoint, s.error_message()));
}

}  // namespace

std::string CanonicalBytes(const google::protobuf::Message& message) {
  std::string out;
  google::protobuf::io::StringOutputStream stream(&out);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.SetSerializationDeterministic(true);
  message.SerializeToCodedStream(&coded);
  coded.Trim();
  return out;
}

PeerClient::PeerClient(std::string endpoint, Backend* backend)
    : endpoint_(std::move(endpoint)), backend_(backend) {
  std::shared_ptr<grpc::ChannelCredentials> credentials = backend_->PeerChannelCredentials();
  if (credentials == nullptr) credentials = grpc::InsecureChannelCredentials();
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(static_cast<int>(limits::kRpcMessageSizeBytesMax) * 2);
  // The replicator keeps its own backoff per peer; the channel should reconnect promptly when
  // asked (gRPC's default grows to minutes), so that a peer back from a restart or a partition
  // is reached on the next round.
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
  // Not GRPC_ARG_MIN_RECONNECT_BACKOFF_MS = 100: gRPC 1.51 also takes it as the minimum connect
  // timeout, and no peer whose handshake took longer (another continent) could be reached
  // ("timed out before receiving SETTINGS frame"). gRPC's default, 20 s, not the call deadline:
  // a connection attempt serves every later call to the peer too, each call is bounded by its
  // own deadline anyway, and a refused or reset connection still fails at once.
  constexpr int kConnectTimeoutMsMin = 20'000;
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, kConnectTimeoutMsMin);
  // A connection whose peer stopped answering (black-holed, or garbage on the wire that left
  // the peer waiting for the rest of a frame) is closed by an unanswered ping instead of
  // failing every later call at its deadline (limits.h, kPeerKeepaliveTimeMs).
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, limits::kPeerKeepaliveTimeMs);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, limits::kPeerKeepaliveTimeoutMs);
  args.SetInt(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
  stub_ = v1::FederationService::NewStub(
      grpc::CreateCustomChannel(endpoint_, credentials, args));
}

template <typename Request>
void PeerClient::Sign(grpc::ClientContext* ctx, std::string_view method, const Request& request) {
  core::CallCredentials c = backend_->SignPeerCall(method, CanonicalBytes(request));
  ctx->AddMetadata(core::kFederationOrgHeader, c.caller.Hex());
  ctx->AddMetadata(core::kFederationTimestampHeader, absl::StrFormat("%d", c.timestamp_ms));
  ctx->AddMetadata(core::kFederationNonceHeader, c.nonce_hex);
  ctx->AddMetadata(core::kFederationSignatureHeader, c.signature_hex);
  ctx->set_deadline(std::chrono::system_clock::now() +
                    std::chrono::milliseconds(limits::kRpcDeadlineMsDefault));
}

template <typename Request, typename Response>
absl::StatusOr<Response> PeerClient::Call(std::string_view method, const Request& request,
                                          grpc::Status (v1::FederationService::Stub::*rpc)(
                                              grpc::ClientContext*, const Request&, Response*)) {
  grpc::ClientContext ctx;
  Sign(&ctx, method, request);
  Response response;
  grpc::Status s = (stub_.get()->*rpc)(&ctx, request, &response);
  if (!s.ok()) return FromGrpc(s, endpoint_);
  return response;
}

absl::StatusOr<v1::Frontier> PeerClient::GetFrontier(const core::GroupId& group) {
  v1::GetFrontierRequest request;
  request.set_group_id(group.Bytes());
  return Call(kGetFrontier, request, &v1::FederationService::Stub::GetFrontier);
}

absl::StatusOr<std::vector<v1::SignedEvent>> PeerClient::Pull(const v1::Frontier& frontier,
                                                              uint32_t max_events) {
  v1::PullEventsRequest request;
  *request.mutable_frontier() = frontier;
  request.set_max_events(max_events);
  grpc::ClientContext ctx;
  Sign(&ctx, kPullEvents, request);
  std::unique_ptr<grpc::ClientReader<v1::PullEventsResponse>> reader =
      stub_->PullEvents(&ctx, request);
  std::vector<v1::SignedEvent> events;
  v1::PullEventsResponse response;
  while (reader->Read(&response)) {
    for (v1::SignedEvent& e : *response.mutable_events()) events.push_back(std::move(e));
    if (events.size() > max_events) {
      ctx.TryCancel();
      return absl::InvalidArgumentError(
          absl::StrFormat("peer %s sent more than the %d events asked for", endpoint_, max_events));
    }
  }
  grpc::Status s = reader->Finish();
  if (!s.ok()) return FromGrpc(s, endpoint_);
  return events;
}

absl::StatusOr<v1::PushEventsResponse> PeerClient::Push(
    const core::GroupId& group, const std::vector<v1::SignedEvent>& events) {
  v1::PushEventsRequest request;
  request.set_group_id(group.Bytes());
  for (const v1::SignedEvent& e : events) *request.add_events() = e;
  return Call(kPushEvents, request, &v1::FederationService::Stub::PushEvents);
}

absl::StatusOr<bool> PeerClient::GossipForkProof(const core::GroupId& group,
                                                 const v1::ForkProof& proof) {
  v1::GossipForkProofRequest request;
  request.set_group_id(group.Bytes());
  *request.mutable_proof() = proof;
  CONSTELLATION_ASSIGN_OR_RETURN(
      v1::GossipForkProofResponse response,
      Call(kGossipForkProof, request, &v1::FederationService::Stub::GossipForkProof));
  return response.changed();
}

}  // namespace constellation::rpc
