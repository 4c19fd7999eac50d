// FederationService (DESIGN §4, federation.proto): answers peers' signed calls (frontier, pull,
// push, fork-proof gossip). Calls are authenticated by the caller's org signature
// (auth.h AuthenticatePeer); a group's events are served only to its members and observers.
#include <absl/strings/str_format.h>

#include "constellation/v1/federation.grpc.pb.h"
#include "server/base/limits.h"
#include "server/base/status_macros.h"
#include "server/core/governance/governance_ledger.h"
#include "server/core/sync.h"
#include "server/rpc/peer_sync.h"
#include "server/rpc/service.h"
#include "server/rpc/services.h"

namespace constellation::rpc {
namespace {

// The group, if `caller` may replicate it (DESIGN §4: a group's events go only to its members
// and observers): a member that has not left or been expelled, or the invitee of a final,
// passed admission that has not joined yet (it fetches the group to accept, and pushes its
// acceptance).
absl::StatusOr<const core::Group*> GroupForPeer(const ApplyContext& apply,
                                                const core::OrgKey& caller,
                                                const std::string& group_bytes) {
  CONSTELLATION_ASSIGN_OR_RETURN(core::GroupId id, ParseGroupId(group_bytes, "group_id"));
  CONSTELLATION_ASSIGN_OR_RETURN(const core::Group* g, HeldGroup(apply, id));
  const core::GroupState& s = g->state();
  const core::MemberState* m = s.roster().Find(caller);
  if (m != nullptr &&
      (m->status == core::MemberStatus::kActive || m->status == core::MemberStatus::kNoticeGiven)) {
    return g;
  }
  if (core::Governance(s).IsAdmittedInvitee(caller)) return g;
  return absl::PermissionDeniedError(absl::StrFormat(
      "org %s is not a member or observer of group %s here, nor an admitted invitee",
      caller.ShortHex(), id.ShortHex()));
}

class FederationServiceImpl final : public BoundService<v1::FederationService> {
  UnaryReactor* GetFrontier(CallContext* ctx, const v1::GetFrontierRequest* req,
                            v1::Frontier* resp) override {
    return RunUnary(backend_, ctx, req, resp, AuthenticatePeer(ctx, *backend_, "GetFrontier", *req),
                    [](ApplyContext& apply, const core::OrgKey& caller,
                       const v1::GetFrontierRequest& r, v1::Frontier* out) -> absl::Status {
                      CONSTELLATION_ASSIGN_OR_RETURN(const core::Group* g,
                                                     GroupForPeer(apply, caller, r.group_id()));
                      // The chains held (PROTOCOL §8.1): a peer's restore guard and its push
                      // diff rely on them; the stated frontier is for this node's own pulls.
                      *out = g->Frontier();
                      return absl::OkStatus();
                    });
  }

  // Streams, in canonical order (parents first), the events beyond the caller's frontier.
  StreamReactor<v1::PullEventsResponse>* PullEvents(CallContext* ctx,
                                                    const v1::PullEventsRequest* req) override {
    return RunPaged<core::OrgKey, v1::PullEventsRequest, v1::PullEventsResponse>(
        backend_, req, AuthenticatePeer(ctx, *backend_, "PullEvents", *req),
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
          for (const core::VerifiedEvent* e : plan.events) {
            *response.add_events() = e->ToSignedEvent();
          }
          *more = false;
          return absl::OkStatus();
        });
  }

  // Signatures are verified in the reaction, off the apply loop (as pulls are on the
  // replication worker, peer_sync.h); the loop only receives verified events, and reports the
  // first invalid one in batch order after the caller's right to the group, as before.
  UnaryReactor* PushEvents(CallContext* ctx, const v1::PushEventsRequest* req,
                           v1::PushEventsResponse* resp) override {
    return RunUnary(
        backend_, ctx, req, resp, AuthenticatePeer(ctx, *backend_, "PushEvents", *req),
        [](const v1::PushEventsRequest& r) -> absl::StatusOr<VerifiedBatch> {
          // A push over the limit is refused on the loop; nothing of it is verified.
          if (static_cast<size_t>(r.events_size()) > limits::kFederationPullEventsMax) {
            return VerifiedBatch();
          }
          return VerifyEvents(r.events());
        },
        [](ApplyContext& apply, const core::OrgKey& caller, const v1::PushEventsRequest& r,
           VerifiedBatch& verified, v1::PushEventsResponse* out) -> absl::Status {
          CONSTELLATION_ASSIGN_OR_RETURN(const core::Group* g,
                                         GroupForPeer(apply, caller, r.group_id()));
          if (static_cast<size_t>(r.events_size()) > limits::kFederationPullEventsMax) {
            return absl::InvalidArgumentError(
                absl::StrFormat("push of %d events; the limit kFederationPullEventsMax is %d",
                                r.events_size(), limits::kFederationPullEventsMax));
          }
          CONSTELLATION_RETURN_IF_ERROR(IngestVerified(apply, g->id(), std::move(verified), out));
          apply.RecordPushReceived(caller, out->accepted());
          return absl::OkStatus();
        });
  }

  // Verifies the proof on its own and freezes the author here; gossiped onward when it changed
  // the freeze (ApplyContext::IngestForkProof).
  UnaryReactor* GossipForkProof(CallContext* ctx, const v1::GossipForkProofRequest* req,
                                v1::GossipForkProofResponse* resp) override {
    return RunUnary(
        backend_, ctx, req, resp, AuthenticatePeer(ctx, *backend_, "GossipForkProof", *req),
        [](ApplyContext& apply, const core::OrgKey& caller, const v1::GossipForkProofRequest& r,
           v1::GossipForkProofResponse* out) -> absl::Status {
          CONSTELLATION_ASSIGN_OR_RETURN(const core::Group* g,
                                         GroupForPeer(apply, caller, r.group_id()));
          CONSTELLATION_ASSIGN_OR_RETURN(core::VerifiedForkProof proof,
                                         core::VerifyForkProof(r.proof()));
          if (proof.group != g->id()) {
            return absl::InvalidArgumentError(
                absl::StrFormat("the fork proof is of group %s, not %s", proof.group.ShortHex(),
                                g->id().ShortHex()));
          }
          CONSTELLATION_ASSIGN_OR_RETURN(core::GroupChanges changes,
                                         apply.IngestForkProof(r.proof()));
          out->set_changed(!changes.new_fork_proofs.empty());
          return absl::OkStatus();
        });
  }
};

}  // namespace

Services MakeFederationServices(Backend* backend) {
  return MakeServices<FederationServiceImpl>(backend);
}

}  // namespace constellation::rpc
