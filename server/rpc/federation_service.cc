#include "server/rpc/federation_service.h"

#include <future>

#include <absl/strings/str_format.h>

#include "constellation/v1/client.grpc.pb.h"
#include "constellation/v1/federation.grpc.pb.h"
#include "server/base/limits.h"
#include "server/base/status_macros.h"
#include "server/core/sync.h"
#include "server/rpc/peer_client.h"
#include "server/rpc/reactors.h"
#include "server/rpc/views.h"

namespace constellation::rpc {
namespace {

constexpr char kGetFrontier[] = "/constellation.v1.FederationService/GetFrontier";
constexpr char kPullEvents[] = "/constellation.v1.FederationService/PullEvents";
constexpr char kPushEvents[] = "/constellation.v1.FederationService/PushEvents";

std::string_view Metadata(const grpc::CallbackServerContext* ctx, const char* key) {
  auto it = ctx->client_metadata().find(key);
  if (it == ctx->client_metadata().end()) return {};
  return std::string_view(it->second.data(), it->second.size());
}

// The calling peer's org, once its signature over this method and request checks out.
absl::StatusOr<core::OrgKey> AuthenticatePeer(const grpc::CallbackServerContext* ctx,
                                              Backend* backend, std::string_view method,
                                              const google::protobuf::Message& request) {
  CONSTELLATION_ASSIGN_OR_RETURN(
      core::CallCredentials credentials,
      core::ParseCallCredentials(Metadata(ctx, core::kFederationOrgHeader),
                                 Metadata(ctx, core::kFederationTimestampHeader),
                                 Metadata(ctx, core::kFederationNonceHeader),
                                 Metadata(ctx, core::kFederationSignatureHeader)));
  CONSTELLATION_RETURN_IF_ERROR(
      backend->AuthenticatePeer(credentials, method, CanonicalBytes(request)));
  return credentials.caller;
}

// The group, if `caller` may read it: a member or observer in this node's view of the group.
absl::StatusOr<const core::Group*> GroupForPeer(const ApplyContext& apply,
                                                const core::OrgKey& caller,
                                                const std::string& group_bytes) {
  CONSTELLATION_ASSIGN_OR_RETURN(core::GroupId id, ParseGroupId(group_bytes, "group_id"));
  const core::Group* g = apply.state().FindGroup(id);
  if (g == nullptr) {
    return absl::NotFoundError(absl::StrFormat("group %s not found on this node", id.Hex()));
  }
  if (!g->state().members().contains(caller)) {
    return absl::PermissionDeniedError(absl::StrFormat(
        "org %s is not a member or observer of group %s here", caller.ShortHex(), id.ShortHex()));
  }
  return g;
}

class FederationServiceImpl final : public v1::FederationService::CallbackService {
 public:
  explicit FederationServiceImpl(Backend* backend) : backend_(backend) {}

  grpc::ServerUnaryReactor* GetFrontier(grpc::CallbackServerContext* ctx,
                                        const v1::GetFrontierRequest* req,
                                        v1::Frontier* resp) override {
    return RunUnary(backend_, ctx, req, resp, AuthenticatePeer(ctx, backend_, kGetFrontier, *req),
                    [](ApplyContext& apply, const core::OrgKey& caller,
                       const v1::GetFrontierRequest& r, v1::Frontier* out) -> absl::Status {
                      CONSTELLATION_ASSIGN_OR_RETURN(const core::Group* g,
                                                     GroupForPeer(apply, caller, r.group_id()));
                      *out = g->Frontier();
                      return absl::OkStatus();
                    });
  }

  // Streams, in canonical order (parents first), the events beyond the caller's frontier.
  grpc::ServerWriteReactor<v1::PullEventsResponse>* PullEvents(
      grpc::CallbackServerContext* ctx, const v1::PullEventsRequest* req) override {
    return RunPaged<core::OrgKey, v1::PullEventsRequest, v1::PullEventsResponse>(
        backend_, req, AuthenticatePeer(ctx, backend_, kPullEvents, *req),
        [](ApplyContext& apply, const core::OrgKey& caller, const v1::PullEventsRequest& r,
           uint64_t skip, std::vector<v1::PullEventsResponse>* out, bool* more) -> absl::Status {
          CONSTELLATION_ASSIGN_OR_RETURN(const core::Group* g,
                                         GroupForPeer(apply, caller, r.frontier().group_id()));
          const uint64_t max_events = std::min<uint64_t>(
              r.max_events() == 0 ? limits::kFederationPullEventsMax : r.max_events(),
              limits::kFederationPullEventsMax);
          // One response message per pull; `skip` counts messages already sent.
          if (skip > 0) return absl::OkStatus();
          CONSTELLATION_ASSIGN_OR_RETURN(core::SyncPlan plan,
                                         core::Diff(*g, r.frontier(), max_events));
          v1::PullEventsResponse& response = out->emplace_back();
          for (const core::VerifiedEvent* e : plan.events)
            *response.add_events() = e->ToSignedEvent();
          *more = false;
          return absl::OkStatus();
        });
  }

  grpc::ServerUnaryReactor* PushEvents(grpc::CallbackServerContext* ctx,
                                       const v1::PushEventsRequest* req,
                                       v1::PushEventsResponse* resp) override {
    return RunUnary(
        backend_, ctx, req, resp, AuthenticatePeer(ctx, backend_, kPushEvents, *req),
        [](ApplyContext& apply, const core::OrgKey& caller, const v1::PushEventsRequest& r,
           v1::PushEventsResponse* out) -> absl::Status {
          CONSTELLATION_RETURN_IF_ERROR(GroupForPeer(apply, caller, r.group_id()).status());
          if (static_cast<size_t>(r.events_size()) > limits::kFederationPullEventsMax) {
            return absl::InvalidArgumentError(
                absl::StrFormat("push of %d events; the limit kFederationPullEventsMax is %d",
                                r.events_size(), limits::kFederationPullEventsMax));
          }
          return IngestAll(apply, r.group_id(), r.events(), out);
        });
  }

  // Verifies and inserts `events` (all of group `group_bytes`); stops at the first invalid one.
  template <typename Events>
  static absl::Status IngestAll(ApplyContext& apply, const std::string& group_bytes,
                                const Events& events, v1::PushEventsResponse* out) {
    int index = 0;
    for (const v1::SignedEvent& signed_event : events) {
      absl::StatusOr<core::VerifiedEvent> e = core::VerifySignedEvent(signed_event);
      if (e.ok() && e->group.Bytes() != group_bytes) {
        e = absl::InvalidArgumentError("the event belongs to another group");
      }
      absl::StatusOr<core::ReceiveResult> r = e.ok()
                                                  ? apply.IngestRemote(*std::move(e))
                                                  : absl::StatusOr<core::ReceiveResult>(e.status());
      if (!r.ok()) {
        return absl::Status(r.status().code(), absl::StrFormat("event %d of the batch: %s", index,
                                                               std::string(r.status().message())));
      }
      switch (r->outcome) {
        case core::ReceiveOutcome::kInserted:
          out->set_accepted(out->accepted() + r->changes.inserted.size());
          break;
        case core::ReceiveOutcome::kPending:
        case core::ReceiveOutcome::kHeld:
          out->set_pending(out->pending() + 1);
          break;
        default:  // duplicate, evicted, fork branch: nothing new here (PROTOCOL.md §8)
          out->set_duplicate(out->duplicate() + 1);
          break;
      }
      ++index;
    }
    return absl::OkStatus();
  }

 private:
  Backend* backend_;
};

class PeerServiceImpl final : public v1::PeerService::CallbackService {
 public:
  explicit PeerServiceImpl(Backend* backend) : backend_(backend) {}

  grpc::ServerUnaryReactor* SyncGroup(grpc::CallbackServerContext* ctx,
                                      const v1::SyncGroupRequest* req,
                                      v1::SyncGroupResponse* resp) override {
    grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
    absl::Status ok = CheckAdmin(ctx);
    if (ok.ok()) ok = Validate(*req);
    if (ok.ok()) {
      ok = backend_->RunInBackground(
          [this, reactor, req, resp] { reactor->Finish(ToGrpcStatus(Sync(*req, resp))); });
    }
    if (!ok.ok()) reactor->Finish(ToGrpcStatus(ok));
    return reactor;
  }

 private:
  absl::Status CheckAdmin(const grpc::CallbackServerContext* ctx) {
    CONSTELLATION_ASSIGN_OR_RETURN(Principal p, AuthenticateBearer(ctx, *backend_));
    if (p.role != Role::kAdmin) {
      return absl::PermissionDeniedError("syncing a group from a peer needs an admin token");
    }
    return absl::OkStatus();
  }

  static absl::Status Validate(const v1::SyncGroupRequest& r) {
    if (r.peer_endpoint().empty()) {
      return absl::InvalidArgumentError("peer_endpoint is required (host:port of the peer)");
    }
    return ParseGroupId(r.group_id(), "group_id").status();
  }

  // Runs on a background worker: may block on the peer and on the apply loop.
  absl::Status Sync(const v1::SyncGroupRequest& r, v1::SyncGroupResponse* out) {
    PeerClient peer(r.peer_endpoint(), backend_);
    const core::GroupId group = *ParseGroupId(r.group_id(), "group_id");
    for (uint32_t round = 1;; ++round) {
      out->set_rounds(round);
      CONSTELLATION_ASSIGN_OR_RETURN(v1::Frontier mine, OnLoop<v1::Frontier>([&](ApplyContext& a) {
                                       const core::Group* g = a.state().FindGroup(group);
                                       v1::Frontier f;
                                       if (g != nullptr) f = g->Frontier();
                                       f.set_group_id(group.Bytes());
                                       return absl::StatusOr<v1::Frontier>(f);
                                     }));
      CONSTELLATION_ASSIGN_OR_RETURN(std::vector<v1::SignedEvent> events,
                                     peer.Pull(mine, limits::kFederationPullEventsMax));
      out->set_received(out->received() + events.size());
      CONSTELLATION_ASSIGN_OR_RETURN(
          v1::PushEventsResponse counts, OnLoop<v1::PushEventsResponse>([&](ApplyContext& a) {
            v1::PushEventsResponse c;
            absl::Status s = FederationServiceImpl::IngestAll(a, group.Bytes(), events, &c);
            if (!s.ok()) return absl::StatusOr<v1::PushEventsResponse>(s);
            return absl::StatusOr<v1::PushEventsResponse>(c);
          }));
      out->set_inserted(out->inserted() + counts.accepted());
      out->set_duplicate(out->duplicate() + counts.duplicate());
      out->set_waiting(counts.pending());
      if (events.size() < limits::kFederationPullEventsMax || counts.accepted() == 0) break;
    }
    return OnLoop<bool>([&](ApplyContext& a) {
             const core::Group* g = a.state().FindGroup(group);
             if (g != nullptr) {
               const auto hash = g->StateHash();
               out->set_state_hash(
                   std::string(reinterpret_cast<const char*>(hash.data()), hash.size()));
             }
             return absl::StatusOr<bool>(true);
           })
        .status();
  }

  // Runs `fn` on the apply loop and waits for it (and for its commit). Background workers only.
  template <typename T>
  absl::StatusOr<T> OnLoop(std::function<absl::StatusOr<T>(ApplyContext&)> fn) {
    auto done = std::make_shared<std::promise<absl::StatusOr<T>>>();
    std::future<absl::StatusOr<T>> result = done->get_future();
    CONSTELLATION_RETURN_IF_ERROR(backend_->Post([fn, done](ApplyContext& apply) -> Reply {
      auto value = std::make_shared<absl::StatusOr<T>>(fn(apply));
      return [done, value] { done->set_value(std::move(*value)); };
    }));
    return result.get();
  }

  Backend* backend_;
};

}  // namespace

std::vector<std::unique_ptr<grpc::Service>> MakePeerServices(Backend* backend) {
  std::vector<std::unique_ptr<grpc::Service>> services;
  services.push_back(std::make_unique<FederationServiceImpl>(backend));
  services.push_back(std::make_unique<PeerServiceImpl>(backend));
  return services;
}

}  // namespace constellation::rpc
