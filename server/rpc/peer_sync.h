// server/rpc/peer_sync.h
//
// The two halves of an anti-entropy round with one peer (DESIGN §4, docs/PROTOCOL.md §8), used
// by PeerService.SyncGroup, MembershipService.JoinGroup and the node's replication worker:
// pull what the peer holds beyond this node's frontier, and push what the peer's frontier
// lacks. Rounds are stateless: each starts from the frontiers as they are.
// Blocking (peer calls and the apply loop): call only from a background or replication
// worker, never from the apply loop or a gRPC reaction.
#pragma once

#include <functional>

#include <absl/status/status.h>
#include <absl/strings/str_format.h>

#include "constellation/v1/client.pb.h"
#include "constellation/v1/federation.pb.h"
#include "server/core/ids.h"
#include "server/base/status_macros.h"
#include "server/rpc/backend.h"
#include "server/rpc/peer_client.h"

namespace constellation::rpc {

// Receives event number `index` of a batch of group `group` (already verified, or the error
// its verification gave) on the apply loop, adding to `out`: accepted = inserted here (with
// the pending events it released), pending = waiting for parents or held, duplicate = nothing
// new. An error names the event's index in the batch.
absl::Status IngestOne(ApplyContext& apply, const core::GroupId& group,
                       absl::StatusOr<core::VerifiedEvent> e, int index,
                       v1::PushEventsResponse* out);

// Verifies and receives `events` (all of group `group`) on the apply loop (IngestOne each).
// Stops at the first invalid event with its error; the events before it stay received.
template <typename Events>
absl::Status IngestEvents(ApplyContext& apply, const core::GroupId& group, const Events& events,
                          v1::PushEventsResponse* out) {
  int index = 0;
  for (const v1::SignedEvent& signed_event : events) {
    CONSTELLATION_RETURN_IF_ERROR(
        IngestOne(apply, group, core::VerifySignedEvent(signed_event), index++, out));
  }
  return absl::OkStatus();
}

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

}  // namespace constellation::rpc
