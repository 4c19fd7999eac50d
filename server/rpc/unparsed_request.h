// server/rpc/unparsed_request.h
//
// Answers a request whose bytes do not parse as the method's request message with
// INVALID_ARGUMENT and a message that names the message type (docs/PROTOCOL.md §6.1).
//
// Why an interceptor: gRPC 1.51's callback handlers (grpcpp/impl/codegen/
// server_callback_handlers.h, CallbackUnaryHandler::RunHandler and the streaming ones) never
// call the service when the request fails to deserialize: they finish the call themselves with
// UNIMPLEMENTED and an empty message, and the deserialization status is dropped. Neither the
// services nor SerializationTraits can change that. A server interceptor sees both ends of the
// call: at POST_RECV_MESSAGE the received message is null when it did not parse, and at
// PRE_SEND_STATUS it may replace the status gRPC is about to send. Only that case is rewritten
// (a request that did not parse and a status of UNIMPLEMENTED with an empty message); every
// other call passes through untouched.
// Thread safety: the factory is thread-safe; one interceptor per call, used by gRPC serially.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <grpcpp/support/server_interceptor.h>

namespace constellation::rpc {

// The message for a request to `method` ("/constellation.v1.FundraisingService/ListPledges")
// that did not parse: names the request type the method takes, from the generated descriptors.
std::string UnparsedRequestMessage(std::string_view method);

// The interceptor factory to register with the server builder (RegisterServices does).
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
MakeUnparsedRequestInterceptorFactory();

}  // namespace constellation::rpc
