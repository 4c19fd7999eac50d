// server/rpc/reactors.h
//
// The two shapes every handler takes (STYLE.md: handlers never block): a unary call whose
// body runs on the apply loop and finishes from there after the commit, and a server stream
// that reads pages from the apply loop. `Caller` is who is calling: a client Principal or a
// peer's org key. Thread safety: gRPC may call these from any thread; bodies run on the loop.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include <absl/status/status.h>
#include <absl/status/statusor.h>
#include <grpcpp/grpcpp.h>

#include "server/rpc/backend.h"
#include "server/rpc/status_map.h"

namespace constellation::rpc {

// The caller of a client RPC, from its `authorization: Bearer <token>` metadata.
// kUnauthenticated when missing, malformed, unknown or revoked.
inline absl::StatusOr<Principal> AuthenticateBearer(const grpc::CallbackServerContext* ctx,
                                                    const Backend& backend) {
  const auto& md = ctx->client_metadata();
  auto it = md.find("authorization");
  if (it == md.end()) {
    return absl::UnauthenticatedError(
        "missing bearer token: send 'authorization: Bearer <token>' (CLI: --token or "
        "CONSTELLATION_TOKEN)");
  }
  std::string_view value(it->second.data(), it->second.size());
  constexpr std::string_view kBearer = "Bearer ";
  if (value.substr(0, kBearer.size()) != kBearer) {
    return absl::UnauthenticatedError("authorization metadata must be 'Bearer <token>'");
  }
  return backend.Authenticate(value.substr(kBearer.size()));
}

// Runs `body(apply, caller, request, response)` on the apply loop and finishes the unary RPC
// from the loop after the commit; finishes at once with `caller`'s error if authentication
// failed, or with kUnavailable/kResourceExhausted if the loop refuses the task.
template <typename Caller, typename Request, typename Response, typename Body>
grpc::ServerUnaryReactor* RunUnary(Backend* backend, grpc::CallbackServerContext* ctx,
                                   const Request* request, Response* response,
                                   absl::StatusOr<Caller> caller, Body body) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  if (!caller.ok()) {
    reactor->Finish(ToGrpcStatus(caller.status()));
    return reactor;
  }
  absl::Status posted = backend->Post(
      [reactor, request, response, p = *std::move(caller), body](ApplyContext& apply) -> Reply {
        absl::Status result = body(apply, p, *request, response);
        return [reactor, result] { reactor->Finish(ToGrpcStatus(result)); };
      });
  if (!posted.ok()) reactor->Finish(ToGrpcStatus(posted));
  return reactor;
}

// Fills `out` with the stream's items number `skip` + 1 onwards, at most
// limits::kStreamPageSizeMax of them, and sets `*more` when items remain after those.
template <typename Caller, typename Request, typename Response>
using PageFn = std::function<absl::Status(ApplyContext&, const Caller&, const Request&,
                                          uint64_t skip, std::vector<Response>* out, bool* more)>;

// A server-streaming reactor that reads its items from the apply loop one page at a time
// (so a long history neither stalls the loop nor sits in memory whole) and writes them one
// by one. Each page is a consistent read; the stream as a whole is not a snapshot.
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
  void OnDone() override { delete this; }

 private:
  void FetchPage() {
    absl::Status posted = backend_->Post([this](ApplyContext& apply) -> Reply {
      auto page = std::make_shared<std::vector<Response>>();
      bool more = false;
      absl::Status result = page_(apply, caller_, *request_, sent_, page.get(), &more);
      return [this, result, page, more] {
        if (!result.ok()) {
          this->Finish(ToGrpcStatus(result));
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
