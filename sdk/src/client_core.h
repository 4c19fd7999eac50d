// sdk/src/client_core.h
//
// ClientCore: what a Client and its streams share: the options, the gRPC channel and stubs,
// and the call policy (deadline, bearer token, retries of UNAVAILABLE with backoff). Held by
// shared_ptr so that a stream keeps its channel alive after the Client is gone.
// Thread safety: immutable after construction; gRPC stubs are thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <absl/status/status.h>
#include <absl/time/time.h>
#include <constellation/client.h>
#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>

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
  explicit ClientCore(const ClientOptions& options);

  const ClientOptions& options() const { return options_; }
  v1::NodeService::Stub& node() { return *node_; }
  v1::TokenService::Stub& tokens() { return *tokens_; }
  v1::GroupService::Stub& groups() { return *groups_; }
  v1::FundraisingService::Stub& fundraising() { return *fundraising_; }
  v1::GovernanceService::Stub& governance() { return *governance_; }
  v1::MembershipService::Stub& membership() { return *membership_; }
  v1::PeerService::Stub& peers() { return *peers_; }

  // Runs `attempt(context)` (one RPC on a fresh context with the call deadline and the token)
  // until it succeeds, fails with a code other than UNAVAILABLE, max_attempts is reached, or
  // the next wait would pass the deadline. Returns the last status, converted to absl.
  template <typename Attempt>
  absl::Status Call(std::string_view method, Attempt&& attempt) {
    const absl::Time deadline = absl::Now() + options_.deadline;
    absl::Duration backoff = options_.initial_backoff;
    grpc::Status status;
    int attempts = 0;
    while (true) {
      grpc::ClientContext context;
      PrepareContext(&context, deadline);
      status = attempt(&context);
      ++attempts;
      if (status.ok() || status.error_code() != grpc::StatusCode::UNAVAILABLE ||
          attempts >= options_.max_attempts) {
        break;
      }
      const absl::Duration wait = Jittered(backoff);
      if (absl::Now() + wait >= deadline) break;
      absl::SleepFor(wait);
      backoff = NextBackoff(backoff);
    }
    return Failure(method, status, attempts);
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
};

}  // namespace constellation::internal
