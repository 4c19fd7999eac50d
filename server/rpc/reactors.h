// server/rpc/reactors.h
//
// The shapes every handler takes (STYLE.md: reactions never block):
//   RunUnary    - a unary call: authenticated and validated in the reaction, its body run on the
//                 apply loop, finished from the loop after the commit;
//   RunDetached - a unary call whose work waits on other nodes, handed to a worker;
//   RunPaged    - a server stream that reads its items from the apply loop one page at a time.
// Each takes a place of the node's call caps (call_limits.h) once the caller is known, and holds
// it until the call ends, however it ends (the place goes with the last task or callback of
// the call, or with the stream reactor in OnDone). Each maps its absl::Status to gRPC once
// (ToGrpcStatus). `Caller` is who is calling: a client
// Principal or a peer's org key. The client forms (service.h BoundService: Unary, ReadGroup,
// GetRecord, StreamGroup, Write) bind the caller to a bearer token.
// Thread safety: gRPC may call these from any thread; bodies run on the loop.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

#include <absl/status/status.h>
#include <absl/status/statusor.h>
#include <grpcpp/grpcpp.h>

#include "server/rpc/backend.h"
#include "server/rpc/call_limits.h"
#include "server/rpc/status_map.h"

namespace constellation::rpc {

// Takes a place of the node's call caps (call_limits.h) for a call of `kind` by `caller` into
// `*slot`; kResourceExhausted naming the cap when there is none.
template <typename Caller>
absl::Status TakePlace(Backend& backend, CallKind kind, const Caller& caller,
                       std::shared_ptr<CallSlot>* slot) {
  absl::StatusOr<std::shared_ptr<CallSlot>> taken =
      backend.calls().Acquire(kind, CallerIdOf(caller));
  if (!taken.ok()) return taken.status();
  *slot = *std::move(taken);
  return absl::OkStatus();
}

// The one shape of a unary RPC. In the reaction: `caller` (who calls, or the error
// authentication gave), then `prepare(request)`, which validates the request without state
// and returns what the body needs (absl::StatusOr<T>); then, on the apply loop,
// `body(apply, caller, request, prepared, response)`. The RPC finishes from the loop after the
// commit with the body's status; at once with the first error before it, or with Post's
// (kUnavailable, kResourceExhausted) if the loop refuses the task. Over a call cap
// (kInFlightRequestsPer{Token,Node}Max): kResourceExhausted after authentication, before
// `prepare`.
template <typename Caller, typename Request, typename Response, typename Prepare, typename Body>
grpc::ServerUnaryReactor* RunUnary(Backend* backend, grpc::CallbackServerContext* ctx,
                                   const Request* request, Response* response,
                                   absl::StatusOr<Caller> caller, Prepare prepare, Body body) {
  using Prepared = typename std::invoke_result_t<Prepare, const Request&>::value_type;
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  absl::Status status = caller.status();
  std::shared_ptr<Prepared> prepared;
  std::shared_ptr<CallSlot> slot;
  if (status.ok()) status = TakePlace(*backend, CallKind::kUnary, *caller, &slot);
  if (status.ok()) {
    absl::StatusOr<Prepared> p = prepare(*request);
    status = p.status();
    if (p.ok()) prepared = std::make_shared<Prepared>(*std::move(p));
  }
  if (status.ok()) {
    status = backend->Post([reactor, request, response, prepared, c = *std::move(caller), body,
                            slot](ApplyContext& apply) -> Reply {
      absl::Status result = body(apply, c, *request, *prepared, response);
      return [reactor, result, slot](const absl::Status& commit) {
        reactor->Finish(ToGrpcStatus(commit.ok() ? result : commit));
      };
    });
  }
  if (!status.ok()) reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

// RunUnary for a request with nothing to prepare: `body(apply, caller, request, response)`.
template <typename Caller, typename Request, typename Response, typename Body>
grpc::ServerUnaryReactor* RunUnary(Backend* backend, grpc::CallbackServerContext* ctx,
                                   const Request* request, Response* response,
                                   absl::StatusOr<Caller> caller, Body body) {
  struct Nothing {};
  return RunUnary(
      backend, ctx, request, response, std::move(caller),
      [](const Request&) { return absl::StatusOr<Nothing>(Nothing{}); },
      [body](ApplyContext& apply, const Caller& c, const Request& r, Nothing&, Response* out) {
        return body(apply, c, r, out);
      });
}

// Finishes a detached call once, from the worker that did its work.
using Finish = std::function<void(const absl::Status&)>;

// A unary RPC whose work waits on other nodes, so that it runs on a worker, never in the
// reaction or on the loop. In the reaction: `caller` (who calls, or the error authentication
// gave), then `checked` (validation; the RPC finishes with the first error at once), then a
// place of the call caps as RunUnary takes, then `start(finish)`, which hands the work to a
// worker (Backend::RunInBackground, SyncWithMembers) and returns that hand-over's status. The
// worker calls `finish` once; if `start` fails, the RPC finishes with its error at once. The
// place is held until the worker lets go of `finish`.
template <typename Caller, typename Start>
grpc::ServerUnaryReactor* RunDetached(Backend* backend, grpc::CallbackServerContext* ctx,
                                      const absl::StatusOr<Caller>& caller, absl::Status checked,
                                      Start start) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  if (!caller.ok()) checked = caller.status();
  std::shared_ptr<CallSlot> slot;
  if (checked.ok()) checked = TakePlace(*backend, CallKind::kUnary, *caller, &slot);
  if (checked.ok()) {
    checked =
        start(Finish([reactor, slot](const absl::Status& s) { reactor->Finish(ToGrpcStatus(s)); }));
  }
  if (!checked.ok()) reactor->Finish(ToGrpcStatus(checked));
  return reactor;
}

// Fills `out` with the stream's items number `skip` + 1 onwards until the page is full
// (request.h PageFull: kStreamPageSizeMax items or kStreamPageSizeBytesMax bytes), and sets
// `*more` when items remain after those.
template <typename Caller, typename Request, typename Response>
using PageFn = std::function<absl::Status(ApplyContext&, const Caller&, const Request&,
                                          uint64_t skip, std::vector<Response>* out, bool* more)>;

// A server-streaming reactor that reads its items from the apply loop one page at a time
// (so a long history neither stalls the loop nor sits in memory whole) and writes them one
// by one. Each page is a consistent read; the stream as a whole is not a snapshot. The stream
// holds a place of the call caps (kStreamsPer{Token,Node}Max) from Begin until OnDone, so a
// stream that the client neither reads nor closes keeps its place; over a cap it finishes at
// once with kResourceExhausted.
template <typename Caller, typename Request, typename Response>
class PagedWriter : public grpc::ServerWriteReactor<Response> {
 public:
  PagedWriter(Backend* backend, const Request* request, PageFn<Caller, Request, Response> page)
      : backend_(backend), request_(request), page_(std::move(page)) {}

  void Begin(absl::StatusOr<Caller> caller) {
    if (!caller.ok()) {
      this->Finish(ToGrpcStatus(caller.status()));
      return;
    }
    if (absl::Status taken = TakePlace(*backend_, CallKind::kStream, *caller, &slot_);
        !taken.ok()) {
      this->Finish(ToGrpcStatus(taken));
      return;
    }
    caller_ = *std::move(caller);
    FetchPage();
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      this->Finish(grpc::Status(grpc::StatusCode::CANCELLED, "stream cancelled by the client"));
      return;
    }
    WriteNext();
  }
  // The last callback of the stream, however it ended: the place (slot_) goes with it.
  void OnDone() override { delete this; }

 private:
  void FetchPage() {
    absl::Status posted = backend_->Post([this](ApplyContext& apply) -> Reply {
      auto page = std::make_shared<std::vector<Response>>();
      bool more = false;
      absl::Status result = page_(apply, caller_, *request_, sent_, page.get(), &more);
      return [this, result, page, more](const absl::Status& commit) {
        if (!commit.ok() || !result.ok()) {
          this->Finish(ToGrpcStatus(commit.ok() ? result : commit));
          return;
        }
        page_items_ = std::move(*page);
        next_ = 0;
        more_ = more;
        WriteNext();
      };
    });
    if (!posted.ok()) this->Finish(ToGrpcStatus(posted));
  }

  void WriteNext() {
    if (next_ < page_items_.size()) {
      ++sent_;
      this->StartWrite(&page_items_[next_++]);
    } else if (more_) {
      FetchPage();
    } else {
      this->Finish(grpc::Status::OK);
    }
  }

  Backend* backend_;
  const Request* request_;
  PageFn<Caller, Request, Response> page_;
  Caller caller_{};
  std::shared_ptr<CallSlot> slot_;
  std::vector<Response> page_items_;
  size_t next_ = 0;
  uint64_t sent_ = 0;
  bool more_ = false;
};

// Streams the pages `page` produces on the apply loop (see PagedWriter).
template <typename Caller, typename Request, typename Response>
grpc::ServerWriteReactor<Response>* RunPaged(Backend* backend, const Request* request,
                                             absl::StatusOr<Caller> caller,
                                             PageFn<Caller, Request, Response> page) {
  auto* writer = new PagedWriter<Caller, Request, Response>(backend, request, std::move(page));
  writer->Begin(std::move(caller));
  return writer;
}

}  // namespace constellation::rpc
