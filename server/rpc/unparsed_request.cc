#include "server/rpc/unparsed_request.h"

#include <absl/strings/str_format.h>
#include <absl/strings/str_replace.h>
#include <google/protobuf/descriptor.h>

namespace constellation::rpc {
namespace {

class UnparsedRequestInterceptor final : public grpc::experimental::Interceptor {
 public:
  explicit UnparsedRequestInterceptor(std::string method) : method_(std::move(method)) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    using grpc::experimental::InterceptionHookPoints;
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE) &&
        methods->GetRecvMessage() == nullptr) {
      unparsed_ = true;
    }
    if (unparsed_ && methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::Status sent = methods->GetSendStatus();
      if (sent.error_code() == grpc::StatusCode::UNIMPLEMENTED && sent.error_message().empty()) {
        methods->ModifySendStatus(
            grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, UnparsedRequestMessage(method_)));
      }
    }
    methods->Proceed();
  }

 private:
  const std::string method_;
  bool unparsed_ = false;
};

class UnparsedRequestInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new UnparsedRequestInterceptor(info->method());
  }
};

}  // namespace

std::string UnparsedRequestMessage(std::string_view method) {
  // "/pkg.Service/Method" -> "pkg.Service.Method".
  std::string full(method.substr(method.empty() || method[0] != '/' ? 0 : 1));
  full = absl::StrReplaceAll(full, {{"/", "."}});
  const google::protobuf::MethodDescriptor* descriptor =
      google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(full);
  const std::string type =
      descriptor != nullptr ? descriptor->input_type()->full_name() : "the method's request";
  return absl::StrFormat(
      "request bytes do not parse as %s (method %s); send that message serialized as protobuf "
      "(regenerate the client from proto/constellation/v1 if its copy is stale)",
      type, std::string(method));
}

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
MakeUnparsedRequestInterceptorFactory() {
  return std::make_unique<UnparsedRequestInterceptorFactory>();
}

}  // namespace constellation::rpc
