#include "server/rpc/federation_service.h"

#include <absl/strings/str_format.h>

#include "constellation/v1/client.grpc.pb.h"
#include "constellation/v1/federation.grpc.pb.h"
#include "server/base/limits.h"
#include "server/base/status_macros.h"
#include "server/core/governance/governance_ledger.h"
#include "server/core/sync.h"
#include "server/rpc/peer_client.h"
#include "server/rpc/peer_sync.h"
#include "server/rpc/reactors.h"
#include "server/rpc/views.h"

namespace constellation::rpc {
namespace {

constexpr char kGetFrontier[] = "/constellation.v1.FederationService/GetFrontier";
constexpr char kPullEvents[] = "/constellation.v1.FederationService/PullEvents";
constexpr char kPushEvents[] = "/constellation.v1.FederationService/PushEvents";
constexpr char kGossipForkProof[] = "/constellation.v1.FederationService/GossipForkProof";

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

// The group, if `caller` may replicate it (DESIGN §4: a group's events go only to its members
// and observers): a member that has not left or been expelled, or the invitee of a final,
// passed admission that has not joined yet (it fetches the group to accept, and pushes its
// acceptance).
absl::StatusOr<const core::Group*> GroupForPeer(const ApplyContext& apply,
                                                const core::OrgKey& caller,
                                                const std::string& group_bytes) {
  CONSTELLATION_ASSIGN_OR_RETURN(core::GroupId id, ParseGroupId(group_bytes, "group_id"));
  const core::Group* g = apply.state().FindGroup(id);
  if (g == nullptr) {
    return absl::NotFoundError(absl::StrFormat("group %s not found on this node", id.Hex()));
  }
  const core::GroupState& s = g->state();
  const core::MemberState* m = s.roster().Find(caller);
  if (m != nullptr && (m->status == core::MemberStatus::kActive ||
                       m->status == core::MemberStatus::kNoticeGiven)) {
    return g;
  }
  if (core::Governance(s).IsAdmittedInvitee(caller)) return g;
  return absl::PermissionDeniedError(absl::StrFormat(
      "org %s is not a member or observer of group %s here, nor an admitted invitee",
      caller.ShortHex(), id.ShortHex()));
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
          return IngestEvents(apply, *core::GroupId::FromBytes(r.group_id()), r.events(), out);
        });
  }

  // Verifies the proof on its own and freezes the author here; gossiped onward when it changed
  // the freeze (ApplyContext::IngestForkProof).
  grpc::ServerUnaryReactor* GossipForkProof(grpc::CallbackServerContext* ctx,
                                            const v1::GossipForkProofRequest* req,
                                            v1::GossipForkProofResponse* resp) override {
    return RunUnary(
        backend_, ctx, req, resp, AuthenticatePeer(ctx, backend_, kGossipForkProof, *req),
        [](ApplyContext& apply, const core::OrgKey& caller, const v1::GossipForkProofRequest& r,
           v1::GossipForkProofResponse* out) -> absl::Status {
          CONSTELLATION_ASSIGN_OR_RETURN(const core::Group* g,
                                         GroupForPeer(apply, caller, r.group_id()));
          CONSTELLATION_ASSIGN_OR_RETURN(core::VerifiedForkProof proof,
                                         core::VerifyForkProof(r.proof()));
          if (proof.group != g->id()) {
            return absl::InvalidArgumentError(absl::StrFormat(
                "the fork proof is of group %s, not %s", proof.group.ShortHex(),
                g->id().ShortHex()));
          }
          CONSTELLATION_ASSIGN_OR_RETURN(core::GroupChanges changes,
                                         apply.IngestForkProof(r.proof()));
          out->set_changed(!changes.new_fork_proofs.empty());
          return absl::OkStatus();
        });
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
    if (ok.ok()) ok = ParseGroupId(req->group_id(), "group_id").status();
    if (ok.ok() && req->peer_endpoint().empty()) {
      // A round with every member now, on the replication worker.
      ok = backend_->SyncWithMembers(
          *core::GroupId::FromBytes(req->group_id()),
          [reactor, resp](absl::StatusOr<v1::SyncGroupResponse> result) {
            if (result.ok()) *resp = *std::move(result);
            reactor->Finish(ToGrpcStatus(result.status()));
          });
    } else if (ok.ok()) {
      ok = backend_->RunInBackground([this, reactor, req, resp] {
        const core::GroupId group = *core::GroupId::FromBytes(req->group_id());
        PeerClient peer(req->peer_endpoint(), backend_);
        absl::Status s = PullFromPeer(*backend_, peer, group, resp);
        if (s.ok()) s = FillStateHash(*backend_, group, resp);
        reactor->Finish(ToGrpcStatus(s));
      });
    }
    if (!ok.ok()) reactor->Finish(ToGrpcStatus(ok));
    return reactor;
  }

  grpc::ServerUnaryReactor* ListPeers(grpc::CallbackServerContext* ctx,
                                      const v1::ListPeersRequest* req,
                                      v1::ListPeersResponse* resp) override {
    absl::StatusOr<Principal> caller = AuthenticateBearer(ctx, *backend_);
    if (caller.ok() && !caller->CanWrite()) {
      caller = absl::PermissionDeniedError("listing peers needs an admin or member token");
    }
    return RunUnary(backend_, ctx, req, resp, std::move(caller),
                    [](ApplyContext& apply, const Principal&, const v1::ListPeersRequest& r,
                       v1::ListPeersResponse* out) -> absl::Status {
                      std::optional<core::GroupId> group;
                      if (!r.group_id().empty()) {
                        CONSTELLATION_ASSIGN_OR_RETURN(group, ParseGroupId(r.group_id(), "group_id"));
                        if (apply.state().FindGroup(*group) == nullptr) {
                          return absl::NotFoundError(absl::StrFormat(
                              "group %s not found on this node", group->Hex()));
                        }
                      }
                      for (v1::PeerView& p : apply.Peers(group)) *out->add_peers() = std::move(p);
                      return absl::OkStatus();
                    });
  }

 private:
  absl::Status CheckAdmin(const grpc::CallbackServerContext* ctx) {
    CONSTELLATION_ASSIGN_OR_RETURN(Principal p, AuthenticateBearer(ctx, *backend_));
    if (p.role != Role::kAdmin) {
      return absl::PermissionDeniedError("syncing a group with peers needs an admin token");
    }
    return absl::OkStatus();
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
