// server/app/rpc_observer.h
//
// RpcObserver: a gRPC server interceptor (grpc::experimental, gRPC 1.51) that sees every RPC
// the node serves, client and peer services alike, in one place (docs/OPERATIONS.md, Logs and
// Monitoring):
//   - a request id per call: the client's `x-request-id` metadata when it is sane (1 to 64
//     characters of [A-Za-z0-9._:-]), else 16 hex characters the node draws; echoed in the
//     response's initial metadata as `x-request-id`;
//   - one info line per call when its status is sent: `rpc` with request_id, method, code,
//     latency_ms, peer (the client's address) and, for a failed call, its error message;
//   - lines logged while the call's handler runs on the gRPC thread carry its request_id and
//     method (ScopedLogContext);
//   - constellation_rpc_total{method,code} and constellation_rpc_seconds{method,code}.
// Registered after rpc/unparsed_request.h's interceptor (RegisterServices), so it sees the
// status as sent. It lives in server/app, not server/rpc: it writes the node's log
// (app/log.h), and rpc must not depend on app (STYLE.md, dependency direction).
// Thread safety: the factory is called by gRPC from any thread; one call's hooks run one at a
// time or on ordered batches (gRPC's contract); the metric families are thread-safe.
#pragma once

#include <string>
#include <string_view>

#include <grpcpp/support/server_interceptor.h>

#include "server/metrics/registry.h"

namespace constellation::app {

// The metadata key of the request id, in requests and responses.
inline constexpr char kRequestIdMetadataKey[] = "x-request-id";

// True when `id` may serve as a request id as the client sent it: 1 to 64 characters of
// [A-Za-z0-9._:-] (anything else could forge log fields or flood the log).
bool IsSaneRequestId(std::string_view id);

// The name of a gRPC status code as in the gRPC spec ("OK", "NOT_FOUND", ...).
std::string_view GrpcCodeName(int code);

class RpcObserverFactory final : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  // Adds the RPC families to `registry`, which must outlive the server.
  explicit RpcObserverFactory(metrics::Registry* registry);

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  metrics::CounterFamily& calls_;
  metrics::HistogramFamily& seconds_;
};

}  // namespace constellation::app
