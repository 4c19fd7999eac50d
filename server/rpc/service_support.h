// server/rpc/service_support.h
//
// What the client services (services.cc, governance_services.cc) share: role checks, request
// ids and idempotent appends, group/record lookups that answer NOT_FOUND the same way, and
// the two handler shapes bound to a bearer-token caller. Functions taking an ApplyContext run
// on the apply loop.
#pragma once

#include <optional>
#include <string>

#include <absl/status/status.h>
#include <absl/status/statusor.h>

#include "constellation/v1/client.pb.h"
#include "server/base/limits.h"
#include "server/core/codec.h"
#include "server/core/group.h"
#include "server/core/fundraising/fundraising_ledger.h"
#include "server/rpc/backend.h"
#include "server/rpc/reactors.h"

namespace constellation::rpc {

enum class Access { kRead, kWrite, kAdmin };

// kPermissionDenied when `p` may not make a call of kind `access`.
absl::Status CheckAccess(const Principal& p, Access access);

// kInvalidArgument unless `id` is a valid request_id (client.proto: required, 1..128
// printable ASCII characters without spaces).
absl::Status CheckRequestId(const std::string& id);

// The group `id` if it exists and `p` may read it; kNotFound otherwise (an auditor out of
// scope learns nothing about the group's existence).
absl::StatusOr<const core::Group*> ReadableGroup(const ApplyContext& ctx, const Principal& p,
                                                 const std::string& id_bytes);

// A pledge or campaign of `g` by id; kInvalidArgument for a malformed id, kNotFound.
absl::StatusOr<const core::PledgeState*> FindPledge(const core::Group& g,
                                                    const std::string& id_bytes);
absl::StatusOr<const core::CampaignState*> FindCampaign(const core::Group& g,
                                                        const std::string& id_bytes);

// Appends an own event for `body`, which must carry a request_id. A retry (same request_id,
// same write) returns the original event and appends nothing; the same request_id for a
// different write is kAlreadyExists. An event that was stored but had no effect (possible
// once events from other nodes can reorder the fold) is kFailedPrecondition with the reason.
absl::StatusOr<const core::VerifiedEvent*> Append(ApplyContext& ctx,
                                                  const std::optional<core::GroupId>& group,
                                                  v1::Event body);

// `requested_ms`, or now when it is 0.
uint64_t AsOf(const ApplyContext& ctx, uint64_t requested_ms);

// Authenticates the bearer token, checks `access`, runs `body` on the apply loop and finishes
// the unary RPC after the commit.
template <typename Request, typename Response, typename Body>
grpc::ServerUnaryReactor* Unary(Backend* backend, grpc::CallbackServerContext* ctx,
                                const Request* request, Response* response, Access access,
                                Body body) {
  absl::StatusOr<Principal> principal = AuthenticateBearer(ctx, *backend);
  if (principal.ok()) {
    if (absl::Status s = CheckAccess(*principal, access); !s.ok()) principal = s;
  }
  return RunUnary(backend, ctx, request, response, std::move(principal), std::move(body));
}

template <typename Request, typename Response>
grpc::ServerWriteReactor<Response>* Streaming(Backend* backend, grpc::CallbackServerContext* ctx,
                                              const Request* request,
                                              PageFn<Principal, Request, Response> page) {
  return RunPaged(backend, request, AuthenticateBearer(ctx, *backend), std::move(page));
}

// Collects items `skip` + 1 .. `skip` + kStreamPageSizeMax of a sequence visited by `each`;
// `emit(item)` returns false to stop the visit early.
class PageCollector {
 public:
  explicit PageCollector(uint64_t skip) : skip_(skip) {}
  // Whether the item at the current index belongs to the page; advances the index. Sets more()
  // when an item past the page exists (the visit can stop then).
  bool Take() {
    const uint64_t index = index_++;
    if (index < skip_) return false;
    if (index >= skip_ + limits::kStreamPageSizeMax) {
      more_ = true;
      return false;
    }
    return true;
  }
  bool more() const { return more_; }

 private:
  uint64_t skip_;
  uint64_t index_ = 0;
  bool more_ = false;
};

}  // namespace constellation::rpc
