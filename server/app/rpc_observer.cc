#include "server/app/rpc_observer.h"

#include <sodium.h>

#include <atomic>
#include <chrono>

#include <absl/strings/str_format.h>
#include <google/protobuf/descriptor.h>
#include <grpcpp/server_context.h>

#include "server/app/log.h"
#include "server/base/enum_names.h"

namespace constellation::app {
namespace {

using grpc::experimental::InterceptionHookPoints;

// Indexed by grpc::StatusCode.
constexpr std::string_view kCodeNames[] = {
    "OK",
    "CANCELLED",
    "UNKNOWN",
    "INVALID_ARGUMENT",
    "DEADLINE_EXCEEDED",
    "NOT_FOUND",
    "ALREADY_EXISTS",
    "PERMISSION_DENIED",
    "RESOURCE_EXHAUSTED",
    "FAILED_PRECONDITION",
    "ABORTED",
    "OUT_OF_RANGE",
    "UNIMPLEMENTED",
    "INTERNAL",
    "UNAVAILABLE",
    "DATA_LOSS",
    "UNAUTHENTICATED",
};

// The method label of a call to `path` ("/package.Service/Method"): the path when it names a
// method this binary knows (a generated service, or gRPC's health service, which is not in the
// protobuf pool), else "unknown". A client can send any path; labelling by it would grow the
// registry by one series per name, unauthenticated.
std::string MethodLabel(const char* path) {
  if (path == nullptr) return "unknown";
  const std::string_view full(path);
  if (full == "/grpc.health.v1.Health/Check" || full == "/grpc.health.v1.Health/Watch") {
    return std::string(full);
  }
  const size_t slash = full.rfind('/');
  if (full.size() < 2 || full[0] != '/' || slash == 0 || slash + 1 >= full.size()) {
    return "unknown";
  }
  std::string dotted(full.substr(1));
  dotted[slash - 1] = '.';
  return google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(dotted) != nullptr
             ? std::string(full)
             : "unknown";
}

std::string NewRequestId() {
  unsigned char random[8];
  randombytes_buf(random, sizeof random);
  char hex[2 * sizeof random + 1];
  sodium_bin2hex(hex, sizeof hex, random, sizeof random);
  return std::string(hex, 2 * sizeof random);
}

class RpcObserver final : public grpc::experimental::Interceptor {
 public:
  RpcObserver(grpc::experimental::ServerRpcInfo* info, metrics::CounterFamily* calls,
              metrics::HistogramFamily* seconds)
      : info_(info),
        method_(MethodLabel(info->method())),
        calls_(calls),
        seconds_(seconds),
        start_(std::chrono::steady_clock::now()),
        request_id_(NewRequestId()) {}

  ~RpcObserver() override {
    // A call that ended without sending a status (the client went away first).
    if (!finished_.load()) Finish(grpc::StatusCode::CANCELLED, "the call ended without a status");
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      ReadRequestId(*methods->GetRecvInitialMetadata());
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      methods->GetSendInitialMetadata()->emplace(kRequestIdMetadataKey, request_id_);
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::Status status = methods->GetSendStatus();
      Finish(status.error_code(), status.error_message());
    }
    // For a unary call the handler runs inside Proceed, on this thread: what it logs carries
    // this call's request id and method.
    ScopedLogContext context(request_id_, method_);
    methods->Proceed();
  }

 private:
  // The first hook of a call: before it no other hook reads request_id_ or peer_.
  void ReadRequestId(const std::multimap<grpc::string_ref, grpc::string_ref>& metadata) {
    if (info_->server_context() != nullptr) peer_ = info_->server_context()->peer();
    auto it = metadata.find(kRequestIdMetadataKey);
    if (it != metadata.end()) {
      const std::string_view id(it->second.data(), it->second.size());
      if (IsSaneRequestId(id)) request_id_ = std::string(id);
    }
  }

  void Finish(grpc::StatusCode code, const std::string& error) {
    if (finished_.exchange(true)) return;
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const std::string code_name(GrpcCodeName(static_cast<int>(code)));
    calls_->WithLabels({method_, code_name}).Increment();
    seconds_->WithLabels({method_, code_name}).Observe(seconds);
    ScopedLogContext context(request_id_, method_);
    const std::string latency_ms = absl::StrFormat("%.3f", seconds * 1e3);
    if (code == grpc::StatusCode::OK) {
      LogInfo("rpc", {{"code", code_name}, {"latency_ms", latency_ms}, {"peer", peer_}});
    } else {
      LogInfo("rpc",
              {{"code", code_name}, {"latency_ms", latency_ms}, {"peer", peer_}, {"error", error}});
    }
  }

  grpc::experimental::ServerRpcInfo* const info_;
  const std::string method_;
  metrics::CounterFamily* const calls_;
  metrics::HistogramFamily* const seconds_;
  const std::chrono::steady_clock::time_point start_;
  // Drawn at creation; replaced by the client's sane x-request-id in the first hook.
  std::string request_id_;
  std::string peer_;  // the client's address, read in the first hook
  std::atomic<bool> finished_{false};
};

}  // namespace

bool IsSaneRequestId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string_view GrpcCodeName(int code) { return EnumName(code, kCodeNames); }

RpcObserverFactory::RpcObserverFactory(metrics::Registry* registry)
    : calls_(registry->AddCounter("constellation_rpc_total",
                                  "RPCs served, by full method name and gRPC status code.",
                                  {"method", "code"})),
      seconds_(registry->AddHistogram(
          "constellation_rpc_seconds",
          "Time from a call's arrival to its status being sent, by method and code.",
          metrics::LatencySecondsBuckets(), {"method", "code"})) {}

grpc::experimental::Interceptor* RpcObserverFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new RpcObserver(info, &calls_, &seconds_);
}

}  // namespace constellation::app
