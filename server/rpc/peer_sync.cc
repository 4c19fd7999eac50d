#include "server/rpc/peer_sync.h"

#include "server/base/limits.h"
#include "server/base/status_macros.h"
#include "server/core/sync.h"

namespace constellation::rpc {
namespace {

// This node's frontier of `group` (empty heads when it does not hold the group).
absl::StatusOr<v1::Frontier> LocalFrontier(Backend& backend, const core::GroupId& group) {
  return RunOnLoop<v1::Frontier>(backend, [&group](ApplyContext& a) -> absl::StatusOr<v1::Frontier> {
    const core::Group* g = a.state().FindGroup(group);
    v1::Frontier f;
    if (g != nullptr) f = g->Frontier();
    f.set_group_id(group.Bytes());
    return f;
  });
}

}  // namespace

absl::Status PullFromPeer(Backend& backend, PeerClient& peer, const core::GroupId& group,
                          v1::SyncGroupResponse* out) {
  while (true) {
    out->set_rounds(out->rounds() + 1);
    CONSTELLATION_ASSIGN_OR_RETURN(v1::Frontier mine, LocalFrontier(backend, group));
    CONSTELLATION_ASSIGN_OR_RETURN(std::vector<v1::SignedEvent> events,
                                   peer.Pull(mine, limits::kFederationPullEventsMax));
    out->set_received(out->received() + events.size());
    CONSTELLATION_ASSIGN_OR_RETURN(
        v1::PushEventsResponse counts,
        RunOnLoop<v1::PushEventsResponse>(
            backend, [&](ApplyContext& a) -> absl::StatusOr<v1::PushEventsResponse> {
              v1::PushEventsResponse c;
              CONSTELLATION_RETURN_IF_ERROR(IngestEvents(a, group, events, &c));
              return c;
            }));
    out->set_inserted(out->inserted() + counts.accepted());
    out->set_duplicate(out->duplicate() + counts.duplicate());
    out->set_waiting(counts.pending());
    if (events.size() < limits::kFederationPullEventsMax || counts.accepted() == 0) {
      return absl::OkStatus();
    }
  }
}

absl::Status PushToPeer(Backend& backend, PeerClient& peer, const core::GroupId& group,
                        v1::SyncGroupResponse* out) {
  while (true) {
    CONSTELLATION_ASSIGN_OR_RETURN(v1::Frontier theirs, peer.GetFrontier(group));
    CONSTELLATION_ASSIGN_OR_RETURN(
        std::vector<v1::SignedEvent> events,
        RunOnLoop<std::vector<v1::SignedEvent>>(
            backend, [&](ApplyContext& a) -> absl::StatusOr<std::vector<v1::SignedEvent>> {
              std::vector<v1::SignedEvent> lacking;
              const core::Group* g = a.state().FindGroup(group);
              if (g == nullptr) return lacking;
              CONSTELLATION_ASSIGN_OR_RETURN(
                  core::SyncPlan plan, core::Diff(*g, theirs, limits::kFederationPullEventsMax));
              for (const core::VerifiedEvent* e : plan.events) lacking.push_back(e->ToSignedEvent());
              return lacking;
            }));
    if (events.empty()) return absl::OkStatus();
    CONSTELLATION_ASSIGN_OR_RETURN(v1::PushEventsResponse counts, peer.Push(group, events));
    out->set_sent(out->sent() + events.size());
    if (events.size() < limits::kFederationPullEventsMax || counts.accepted() == 0) {
      return absl::OkStatus();
    }
  }
}

absl::Status FillStateHash(Backend& backend, const core::GroupId& group,
                           v1::SyncGroupResponse* out) {
  return RunOnLoop<bool>(backend,
                         [&](ApplyContext& a) -> absl::StatusOr<bool> {
                           const core::Group* g = a.state().FindGroup(group);
                           if (g != nullptr) {
                             const auto hash = g->StateHash();
                             out->set_state_hash(std::string(
                                 reinterpret_cast<const char*>(hash.data()), hash.size()));
                           }
                           return true;
                         })
      .status();
}

}  // namespace constellation::rpc
