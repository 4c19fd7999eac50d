// server/rpc/peer_sync.h
//
// The two halves of an anti-entropy round with one peer (DESIGN §4, docs/PROTOCOL.md §8), used
// by PeerService.SyncGroup, MembershipService.JoinGroup and the node's replication worker:
// pull what the peer holds beyond this node's frontier, and push what the peer's frontier
// lacks. Rounds are stateless: each starts from the frontiers as they are. Pushes received by
// FederationService take the same two steps as pulls: VerifyEvents off the apply loop, then
// IngestVerified on it.
// The rounds block (peer calls and the apply loop): call them only from a background or
// replication worker, never from the apply loop or a gRPC reaction.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <absl/status/status.h>
#include <absl/strings/str_format.h>

#include "constellation/v1/client.pb.h"
#include "constellation/v1/federation.pb.h"
#include "server/base/status_macros.h"
#include "server/core/ids.h"
#include "server/rpc/backend.h"
#include "server/rpc/peer_client.h"

namespace constellation::rpc {

// Events of a batch, each verified or with the error its verification gave.
using VerifiedBatch = std::vector<absl::StatusOr<core::VerifiedEvent>>;

// Verifies the signature of each of `events` (core::VerifySignedEvent). Call it off the apply
// loop (on a worker, in a reaction): verification is most of an ingest's cost
// (docs/PERFORMANCE.md), and the events stay unchanged, so where they are checked does not
// matter.
template <typename Events>
VerifiedBatch VerifyEvents(const Events& events) {
  VerifiedBatch verified;
  verified.reserve(events.size());
  for (const v1::SignedEvent& e : events) verified.push_back(core::VerifySignedEvent(e));
  return verified;
}

// Receives `batch` (all of group `group`) on the apply loop, in order, adding to `out`:
// accepted = inserted here (with the pending events each released), pending = waiting for
// parents or held, duplicate = nothing new. Stops at the first invalid event with its error,
// which names its index in the batch; the events before it stay received.
absl::Status IngestVerified(ApplyContext& apply, const core::GroupId& group, VerifiedBatch batch,
                            v1::PushEventsResponse* out);

// Pulls `group` from `peer` in rounds of limits::kFederationPullEventsMax events until the
// peer has nothing new, storing what is new; adds to out's received/inserted/duplicate/rounds
// and sets waiting. A node that does not hold the group yet receives it from its genesis.
// Errors: the peer's (kUnavailable, kPermissionDenied, kNotFound), or kInvalidArgument for an
// invalid event (nothing after it is stored).
// `cancelled`, when set, is asked before every round; true ends the pull with kUnavailable
// (e.g. the node is shutting down during a long catch-up).
absl::Status PullFromPeer(Backend& backend, PeerClient& peer, const core::GroupId& group,
                          v1::SyncGroupResponse* out,
                          const std::function<bool()>& cancelled = nullptr);

// Sends `peer` the events of `group` its frontier lacks, in rounds, until it lacks nothing or
// takes nothing more; adds to out->sent. Errors: the peer's. `cancelled` as for PullFromPeer.
absl::Status PushToPeer(Backend& backend, PeerClient& peer, const core::GroupId& group,
                        v1::SyncGroupResponse* out,
                        const std::function<bool()>& cancelled = nullptr);

// Sets out->state_hash to this node's state hash of `group` (unset if it does not hold it).
absl::Status FillStateHash(Backend& backend, const core::GroupId& group,
                           v1::SyncGroupResponse* out);

// Pulls `group` from the node at `endpoint` (PullFromPeer), then sets out->state_hash to this
// node's state hash of the group (unset if it does not hold it). Errors: PullFromPeer's, or
// kUnavailable when the node is shutting down.
absl::Status SyncFromPeer(Backend& backend, const std::string& endpoint, const core::GroupId& group,
                          v1::SyncGroupResponse* out);

}  // namespace constellation::rpc
