#include "server/rpc/peer_sync.h"

#include "server/base/limits.h"
#include "server/base/status_macros.h"
#include "server/core/sync.h"

namespace constellation::rpc {
namespace {

// Runs `read(group)` on the apply loop with the group `id` (nullptr when this node does not
// hold it) and waits for its result.
template <typename T, typename Read>
absl::StatusOr<T> ReadGroupOnLoop(Backend& backend, const core::GroupId& id, Read read) {
  return RunOnLoop<T>(backend, [&id, &read](ApplyContext& a) -> absl::StatusOr<T> {
    return read(a.state().FindGroup(id));
  });
}

// The frontier this node states for `group` (core::StatedFrontier; empty heads when it does not
// hold the group).
absl::StatusOr<v1::Frontier> LocalFrontier(Backend& backend, const core::GroupId& group) {
  return RunOnLoop<v1::Frontier>(
      backend, [&group](ApplyContext& a) -> absl::StatusOr<v1::Frontier> {
        v1::Frontier f;
        if (const core::Group* g = a.state().FindGroup(group); g != nullptr) {
          f = core::StatedFrontier(*g, a.state().FindPending(group));
        }
        f.set_group_id(group.Bytes());
        return f;
      });
}

// Sends `peer` the proof of every fork this node knows whose author the peer's frontier holds
// at or beyond the fork seq (PROTOCOL §8.4): the peer may hold one branch only and, if the
// proof's gossip was lost, would otherwise never learn of the fork, because a diff by a node
// that knows the fork sends no probe. A peer that knows the proof answers changed = false.
absl::Status SendForkProofs(Backend& backend, PeerClient& peer, const core::GroupId& group,
                            const v1::Frontier& theirs) {
  CONSTELLATION_ASSIGN_OR_RETURN(
      std::vector<v1::ForkProof> proofs,
      ReadGroupOnLoop<std::vector<v1::ForkProof>>(backend, group, [&](const core::Group* g) {
        std::vector<v1::ForkProof> out;
        for (const v1::ChainHead& head : theirs.heads()) {
          absl::StatusOr<core::OrgKey> author = core::OrgKey::FromBytes(head.author());
          if (g == nullptr || !author.ok()) continue;
          auto fork = g->forks().find(*author);
          if (fork != g->forks().end() && head.seq() >= fork->second.seq) {
            out.push_back(fork->second.proof);
          }
        }
        return out;
      }));
  for (const v1::ForkProof& proof : proofs) {
    CONSTELLATION_RETURN_IF_ERROR(peer.GossipForkProof(group, proof).status());
  }
  return absl::OkStatus();
}

absl::Status CheckCancelled(const std::function<bool()>& cancelled) {
  if (cancelled && cancelled()) {
    return absl::UnavailableError("the node is shutting down; the next round continues");
  }
  return absl::OkStatus();
}

// Receives event number `index` of a batch of group `group` (IngestVerified).
absl::Status IngestOne(ApplyContext& apply, const core::GroupId& group,
                       absl::StatusOr<core::VerifiedEvent> e, int index,
                       v1::PushEventsResponse* out) {
  if (e.ok() && e->group != group) {
    e = absl::InvalidArgumentError("the event belongs to another group");
  }
  absl::StatusOr<core::ReceiveResult> r =
      e.ok() ? apply.IngestRemote(*std::move(e)) : absl::StatusOr<core::ReceiveResult>(e.status());
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
    case core::ReceiveOutcome::kDuplicate:
      out->set_duplicate(out->duplicate() + 1);
      break;
    case core::ReceiveOutcome::kEvicted:
    case core::ReceiveOutcome::kFork:  // not kept (PROTOCOL.md §8.3)
      out->set_dropped(out->dropped() + 1);
      break;
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status IngestVerified(ApplyContext& apply, const core::GroupId& group, VerifiedBatch batch,
                            v1::PushEventsResponse* out) {
  for (size_t i = 0; i < batch.size(); ++i) {
    CONSTELLATION_RETURN_IF_ERROR(
        IngestOne(apply, group, std::move(batch[i]), static_cast<int>(i), out));
  }
  return absl::OkStatus();
}

absl::Status PullFromPeer(Backend& backend, PeerClient& peer, const core::GroupId& group,
                          v1::SyncGroupResponse* out, const std::function<bool()>& cancelled) {
  CONSTELLATION_ASSIGN_OR_RETURN(v1::Frontier mine, LocalFrontier(backend, group));
  while (true) {
    CONSTELLATION_RETURN_IF_ERROR(CheckCancelled(cancelled));
    out->set_rounds(out->rounds() + 1);
    CONSTELLATION_ASSIGN_OR_RETURN(std::vector<v1::SignedEvent> events,
                                   peer.Pull(mine, limits::kFederationPullEventsMax));
    out->set_received(out->received() + events.size());
    // Verified here, on the calling worker, so that the apply loop spends its time on
    // inserting and folding.
    VerifiedBatch verified = VerifyEvents(events);
    CONSTELLATION_ASSIGN_OR_RETURN(
        v1::PushEventsResponse counts,
        RunOnLoop<v1::PushEventsResponse>(
            backend, [&](ApplyContext& a) -> absl::StatusOr<v1::PushEventsResponse> {
              v1::PushEventsResponse c;
              CONSTELLATION_RETURN_IF_ERROR(IngestVerified(a, group, std::move(verified), &c));
              return c;
            }));
    out->set_inserted(out->inserted() + counts.accepted());
    out->set_duplicate(out->duplicate() + counts.duplicate());
    out->set_dropped(out->dropped() + counts.dropped());
    out->set_waiting(counts.pending());
    CONSTELLATION_ASSIGN_OR_RETURN(v1::Frontier next, LocalFrontier(backend, group));
    const bool more = events.size() == limits::kFederationPullEventsMax && counts.accepted() > 0;
    if (!more && !core::WalksDown(mine, next)) return absl::OkStatus();
    mine = std::move(next);
  }
}

absl::Status PushToPeer(Backend& backend, PeerClient& peer, const core::GroupId& group,
                        v1::SyncGroupResponse* out, const std::function<bool()>& cancelled) {
  for (bool first = true;; first = false) {
    CONSTELLATION_RETURN_IF_ERROR(CheckCancelled(cancelled));
    CONSTELLATION_ASSIGN_OR_RETURN(v1::Frontier theirs, peer.GetFrontier(group));
    if (first) CONSTELLATION_RETURN_IF_ERROR(SendForkProofs(backend, peer, group, theirs));
    CONSTELLATION_ASSIGN_OR_RETURN(
        std::vector<v1::SignedEvent> events,
        ReadGroupOnLoop<std::vector<v1::SignedEvent>>(
            backend, group,
            [&](const core::Group* g) -> absl::StatusOr<std::vector<v1::SignedEvent>> {
              std::vector<v1::SignedEvent> lacking;
              if (g == nullptr) return lacking;
              CONSTELLATION_ASSIGN_OR_RETURN(
                  core::SyncPlan plan, core::Diff(*g, theirs, limits::kFederationPullEventsMax));
              for (const core::VerifiedEvent* e : plan.events)
                lacking.push_back(e->ToSignedEvent());
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
  return ReadGroupOnLoop<bool>(backend, group,
                               [out](const core::Group* g) {
                                 if (g != nullptr) {
                                   const auto hash = g->StateHash();
                                   out->set_state_hash(std::string(
                                       reinterpret_cast<const char*>(hash.data()), hash.size()));
                                 }
                                 return true;
                               })
      .status();
}

absl::Status SyncFromPeer(Backend& backend, const std::string& endpoint, const core::GroupId& group,
                          v1::SyncGroupResponse* out) {
  PeerClient peer(endpoint, &backend);
  CONSTELLATION_RETURN_IF_ERROR(PullFromPeer(backend, peer, group, out));
  return FillStateHash(backend, group, out);
}

}  // namespace constellation::rpc
