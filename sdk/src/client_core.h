// sdk/src/client_core.h
//
// ClientCore: what a Client and its streams share: the options, the gRPC channel and stubs,
// and the pieces of the call policy (deadline and bearer token on each context, backoff, the
// absl form of a failure) that unary calls (unary_call.h) and streams (streams.h) apply. Held by
// shared_ptr so that a stream keeps its channel alive after the Client is gone.
// Thread safety: immutable after construction; gRPC stubs are thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <tuple>

#include <absl/status/status.h>
#include <absl/time/time.h>
#include <constellation/client.h>
#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>
#include <grpcpp/security/credentials.h>

#include "constellation/v1/client.grpc.pb.h"

namespace constellation::internal {

// Largest message the SDK accepts from a node: above the node's own 4 MiB message limit so that
// a maximal list response always fits.
inline constexpr int kReceiveMessageSizeBytesMax = 8 * 1024 * 1024;
// Upper bound of the wait between two attempts.
inline constexpr absl::Duration kBackoffMax = absl::Seconds(5);

class ClientCore {
 public:
  // `options` must have been validated (Client::Connect does).
  // `credentials` secure the channel (plaintext when null).
  ClientCore(const ClientOptions& options, std::shared_ptr<grpc::ChannelCredentials> credentials);

  const ClientOptions& options() const { return options_; }
  // The stub of one service of client.proto, e.g. stub<v1::GroupService::Stub>().
  template <typename Stub>
  Stub& stub() {
    return *std::get<std::unique_ptr<Stub>&>(
        std::tie(node_, tokens_, groups_, fundraising_, governance_, membership_, peers_, pooled_,
                 convenings_, health_, strategy_, measurement_, teams_));
  }

  // Sets the deadline and the authorization metadata on a fresh context.
  void PrepareContext(grpc::ClientContext* context, absl::Time deadline) const;

  // The absl form of `status`; UNAVAILABLE messages also name the endpoint and attempts.
  absl::Status Failure(std::string_view method, const grpc::Status& status, int attempts) const;

  // A wait of between half and all of `backoff` (jitter spreads clients that retry together).
  static absl::Duration Jittered(absl::Duration backoff);
  static absl::Duration NextBackoff(absl::Duration backoff);

 private:
  const ClientOptions options_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::NodeService::Stub> node_;
  std::unique_ptr<v1::TokenService::Stub> tokens_;
  std::unique_ptr<v1::GroupService::Stub> groups_;
  std::unique_ptr<v1::FundraisingService::Stub> fundraising_;
  std::unique_ptr<v1::GovernanceService::Stub> governance_;
  std::unique_ptr<v1::MembershipService::Stub> membership_;
  std::unique_ptr<v1::PeerService::Stub> peers_;
  std::unique_ptr<v1::PooledService::Stub> pooled_;
  std::unique_ptr<v1::ConveningService::Stub> convenings_;
  std::unique_ptr<v1::HealthService::Stub> health_;
  std::unique_ptr<v1::StrategyService::Stub> strategy_;
  std::unique_ptr<v1::MeasurementService::Stub> measurement_;
  std::unique_ptr<v1::TeamService::Stub> teams_;
};

}  // namespace constellation::internal
