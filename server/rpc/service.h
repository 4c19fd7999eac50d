// server/rpc/service.h
//
// BoundService: the base of every service implementation here. It holds the Backend the
// service posts to and binds the handler forms to it, so that a handler says only what is its
// own: who may call, what it reads, or which record it writes and which view answers.
//   Unary       - a client call of a kind (read, write, admin): RunUnary with the caller's
//                 Principal (auth.h);
//   ReadGroup   - a client read of one group the caller may read;
//   GetRecord   - a client read of one record's view (write.h RecordView);
//   StreamGroup - a client stream of one group's items, page by page (RunPaged);
//   Write       - the write template (write.h).
// Thread safety: the services are stateless apart from the Backend pointer; gRPC may call
// their handlers from any thread, and the bodies run on the apply loop.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <absl/status/status.h>
#include <grpcpp/grpcpp.h>

#include "constellation/v1/event.pb.h"
#include "server/base/check.h"
#include "server/base/status_macros.h"
#include "server/rpc/auth.h"
#include "server/rpc/backend.h"
#include "server/rpc/reactors.h"
#include "server/rpc/request.h"
#include "server/rpc/services.h"
#include "server/rpc/write.h"

namespace constellation::rpc {

// The callback API's types, short for handler signatures.
using CallContext = grpc::CallbackServerContext;
using UnaryReactor = grpc::ServerUnaryReactor;
template <typename Response>
using StreamReactor = grpc::ServerWriteReactor<Response>;

// The handlers of a service implementation are private: gRPC calls them through the generated
// service's public virtual methods, and nothing else should.
template <typename Service>
class BoundService : public Service::CallbackService {
 public:
  // Binds the service to `backend`, once, before it is registered (MakeServices). `backend`
  // must outlive the service.
  void Bind(Backend* backend) {
    CONSTELLATION_CHECK(backend_ == nullptr && backend != nullptr);
    backend_ = backend;
  }

 protected:
  // A client call of kind `access`: `body(apply, principal, request, response)` on the loop.
  template <typename Request, typename Response, typename Body>
  UnaryReactor* Unary(CallContext* ctx, const Request* request, Response* response, Access access,
                      Body body) {
    return RunUnary(backend_, ctx, request, response, AuthenticateClient(ctx, *backend_, access),
                    std::move(body));
  }

  // A client read of the group `request.group_id()` names: `body(apply, group, request,
  // response)` with the group, if the caller may read it (ReadableGroup: kNotFound otherwise).
  template <typename Request, typename Response, typename Body>
  UnaryReactor* ReadGroup(CallContext* ctx, const Request* request, Response* response, Body body) {
    return Unary(ctx, request, response, Access::kRead,
                 [body](ApplyContext& apply, const Principal& p, const Request& r,
                        Response* out) -> absl::Status {
                   CONSTELLATION_ASSIGN_OR_RETURN(const core::Group* g,
                                                  ReadableGroup(apply, p, r.group_id()));
                   return body(static_cast<const ApplyContext&>(apply), *g, r, out);
                 });
  }

  // A client stream of the items of the group `request.group_id()` names, read page by page:
  // `page(apply, group, request, skip, out, more)` as PageFn, with the group (ReadableGroup).
  template <typename Response, typename Request, typename Page>
  StreamReactor<Response>* StreamGroup(CallContext* ctx, const Request* request, Page page) {
    return RunPaged<Principal, Request, Response>(
        backend_, request, AuthenticateClient(ctx, *backend_, Access::kRead),
        [page](ApplyContext& apply, const Principal& p, const Request& r, uint64_t skip,
               std::vector<Response>* out, bool* more) -> absl::Status {
          CONSTELLATION_ASSIGN_OR_RETURN(const core::Group* g,
                                         ReadableGroup(apply, p, r.group_id()));
          return page(static_cast<const ApplyContext&>(apply), *g, r, skip, out, more);
        });
  }

  // A client read of the record `id` of the group `request.group_id()` names: its view
  // (RecordView) as of the request's as_of_ms when it has one, else now. Errors: ReadGroup's,
  // then the view's.
  template <typename Request, typename View>
  UnaryReactor* GetRecord(CallContext* ctx, const Request* request, View* response, std::string id,
                          std::type_identity_t<RecordView<View>> view) {
    return ReadGroup(ctx, request, response,
                     [id = std::move(id), view](const ApplyContext& apply, const core::Group& g,
                                                const Request& r, View* out) -> absl::Status {
                       uint64_t as_of_ms = 0;
                       if constexpr (requires { r.as_of_ms(); }) as_of_ms = r.as_of_ms();
                       CONSTELLATION_ASSIGN_OR_RETURN(*out, view(g, id, AsOf(apply, as_of_ms)));
                       return absl::OkStatus();
                     });
  }

  // The write template (write.h): a client call of kind `access` that appends `body` (its
  // request_id set from the request's) to the group of `request.group_id()` (a request
  // without one founds a group) and answers with the event and `view` of `subject`
  // (AnswerWrite; empty: the record the event creates). Errors, in this order:
  // kUnauthenticated, kPermissionDenied, kInvalidArgument (PrepareWrite, in the reaction), then
  // AppendPrepared's and the view's.
  template <typename Request, typename Response, typename View>
  UnaryReactor* Write(CallContext* ctx, const Request* request, Response* response, v1::Event body,
                      std::string subject, RecordView<View> view, Access access = Access::kWrite) {
    body.set_request_id(request->request_id());
    const std::string* group_id = nullptr;
    if constexpr (requires { request->group_id(); }) group_id = &request->group_id();
    return RunUnary(
        backend_, ctx, request, response, AuthenticateClient(ctx, *backend_, access),
        [group_id, &body](const Request&) { return PrepareWrite(group_id, std::move(body)); },
        [subject = std::move(subject), view](ApplyContext& apply, const Principal&, const Request&,
                                             const PreparedWrite& write, Response* out) {
          return AnswerWrite(apply, write, subject, view, out);
        });
  }

  Backend* backend_ = nullptr;
};

// A service implementation `Impl` (a BoundService) bound to `backend`.
template <typename Impl>
std::unique_ptr<grpc::Service> MakeBound(Backend* backend) {
  auto service = std::make_unique<Impl>();
  service->Bind(backend);
  return service;
}

// One of each service implementation `Impl`, bound to `backend`.
template <typename... Impl>
Services MakeServices(Backend* backend) {
  Services services;
  (services.push_back(MakeBound<Impl>(backend)), ...);
  return services;
}

}  // namespace constellation::rpc
