// sdk/src/client_core.cc
#include "sdk/src/client_core.h"

#include <algorithm>
#include <string>

#include <absl/random/random.h>
#include <absl/strings/str_format.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/channel_arguments.h>

#include "sdk/src/status.h"

namespace constellation::internal {
namespace {

int ToMillisInt(absl::Duration d) {
  return static_cast<int>(std::clamp<int64_t>(absl::ToInt64Milliseconds(d), 1, 3'600'000));
}

}  // namespace

ClientCore::ClientCore(const ClientOptions& options,
                       std::shared_ptr<grpc::ChannelCredentials> credentials)
    : options_(options) {
  if (credentials == nullptr) credentials = grpc::InsecureChannelCredentials();
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(kReceiveMessageSizeBytesMax);
  // Reconnect on the SDK's own schedule: with gRPC's default (1 s, growing) a retry after a
  // short backoff would find the channel still waiting and fail without trying.
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, ToMillisInt(options_.initial_backoff));
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, ToMillisInt(kBackoffMax));
  // gRPC 1.51 also takes GRPC_ARG_MIN_RECONNECT_BACKOFF_MS as the minimum connect timeout (an
  // attempt gets the larger of it and the current backoff for its TCP and HTTP/2 handshake).
  // Set to the initial backoff (100 ms), it made every node with a slower handshake (another
  // continent, a VPN) unreachable whatever the deadline. Keep gRPC's default, 20 s, rather than
  // the call deadline: an attempt serves every call on the channel and may outlive the call
  // that started it, each call is bounded by its own deadline anyway, and a refused or reset
  // connection still fails at once and is retried after the short backoff above.
  constexpr int kConnectTimeoutMsMin = 20'000;
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, kConnectTimeoutMsMin);
  args.SetUserAgentPrefix(absl::StrFormat("constellation-sdk/%s", SdkVersion()));
  channel_ = grpc::CreateCustomChannel(options_.endpoint, credentials, args);
  node_ = v1::NodeService::NewStub(channel_);
  tokens_ = v1::TokenService::NewStub(channel_);
  groups_ = v1::GroupService::NewStub(channel_);
  fundraising_ = v1::FundraisingService::NewStub(channel_);
  governance_ = v1::GovernanceService::NewStub(channel_);
  membership_ = v1::MembershipService::NewStub(channel_);
  peers_ = v1::PeerService::NewStub(channel_);
  pooled_ = v1::PooledService::NewStub(channel_);
  convenings_ = v1::ConveningService::NewStub(channel_);
  health_ = v1::HealthService::NewStub(channel_);
  strategy_ = v1::StrategyService::NewStub(channel_);
  measurement_ = v1::MeasurementService::NewStub(channel_);
  teams_ = v1::TeamService::NewStub(channel_);
}

void ClientCore::PrepareContext(grpc::ClientContext* context, absl::Time deadline) const {
  context->set_deadline(absl::ToChronoTime(deadline));
  if (!options_.token.empty()) {
    context->AddMetadata("authorization", "Bearer " + options_.token);
  }
}

absl::Status ClientCore::Failure(std::string_view method, const grpc::Status& status,
                                 int attempts) const {
  absl::Status out = FromGrpcStatus(status);
  if (out.code() == absl::StatusCode::kUnavailable) {
    absl::Status annotated(
        out.code(), absl::StrFormat("%s (%s to %s, %d attempt%s)", std::string(out.message()),
                                    std::string(method), options_.endpoint, attempts,
                                    attempts == 1 ? "" : "s"));
    out.ForEachPayload([&annotated](absl::string_view url, const absl::Cord& payload) {
      annotated.SetPayload(url, payload);
    });
    return annotated;
  }
  return out;
}

absl::Duration ClientCore::Jittered(absl::Duration backoff) {
  thread_local absl::BitGen bits;
  return backoff * absl::Uniform(bits, 0.5, 1.0);
}

absl::Duration ClientCore::NextBackoff(absl::Duration backoff) {
  return std::min(backoff * 2, kBackoffMax);
}

}  // namespace constellation::internal
