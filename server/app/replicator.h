// server/app/replicator.h
//
// Replicator: a node's replication worker (DESIGN §4). One thread that
//   - pushes the node's new events of a group to every member node right after they are
//     committed (Push, called by the apply loop after the commit);
//   - gossips fork proofs that changed a group's freeze (Gossip);
//   - runs stateless anti-entropy rounds with every member node of every group: at start, every
//     `anti_entropy_interval_ms`, as soon as a failing peer answers again, and on request
//     (SyncNow). A round with one peer pulls what the peer holds beyond this node's frontier
//     and pushes what the peer's frontier lacks (rpc/peer_sync.h).
// Unreachable peers are skipped with exponential backoff (backoff_initial_ms doubling up to
// backoff_max_ms); what a skipped push would have carried comes with the next round. Per-peer
// state (PeerStats) is a hint for operators and for backoff, never needed for correctness.
// Thread safety: Push, Gossip, SyncNow and Stats are thread-safe and never block on the
// network; the worker blocks on peers and on the apply loop (RunOnLoop), never the reverse.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <absl/base/thread_annotations.h>
#include <absl/synchronization/mutex.h>

#include "constellation/v1/client.pb.h"
#include "server/core/group.h"
#include "server/core/ids.h"
#include "server/rpc/backend.h"
#include "server/rpc/peer_client.h"

namespace constellation::app {

// One endpoint of a member node that a group's events go to.
struct PeerTarget {
  core::OrgKey org;
  std::string name;
  std::string endpoint;
};

// The member nodes `group`'s events go to, as `self` sees the group at `now_ms`: every
// endpoint of every other member that has not left (active, or notice given and not yet
// effective) or been expelled, ordered by org, each member's endpoints in the order of its
// profile (its preferred endpoint first). Empty when `self` itself is not
// such a member (a node replicates only the groups its org belongs to).
std::vector<PeerTarget> PeerTargets(const core::Group& group, const core::OrgKey& self,
                                    uint64_t now_ms);

struct PeerStats {
  uint64_t last_success_ms = 0;
  uint64_t last_attempt_ms = 0;
  std::string last_error;
  uint32_t consecutive_failures = 0;
  uint64_t next_attempt_ms = 0;  // while failing: no call before this
  uint64_t events_sent = 0;
  uint64_t events_received = 0;
  // Replication lag in events (docs/OPERATIONS.md, Monitoring): per group, how far apart this
  // node's and the peer's frontiers were when the last successful anti-entropy round with the
  // peer started: the events pulled that were new here plus the events pushed that the peer
  // lacked. Pushes between rounds do not change it.
  std::map<core::GroupId, uint64_t> round_difference_events;
};

// What an operator sees of one peer endpoint (client.proto PeerView): `target` with the
// replicator's `stats` of its endpoint (nullptr: not contacted yet, status "unknown") and the
// events its org pushed to this node that were new here. Group ids are the caller's to add.
v1::PeerView ToPeerView(const PeerTarget& target, const PeerStats* stats, uint64_t pushed_received);

struct ReplicatorOptions {
  uint64_t anti_entropy_interval_ms = 5'000;
  uint64_t backoff_initial_ms = 500;
  uint64_t backoff_max_ms = 30'000;
  std::function<uint64_t()> now_ms;
  // Restored from a backup (node.h): while `restored` returns true, each successful pull from
  // a member is followed by a GetFrontier call to it, handed to `peer_frontier` (group, the
  // member's org, its frontier). Both unset: nothing extra.
  std::function<bool()> restored;
  std::function<void(const core::GroupId&, const core::OrgKey&, v1::Frontier)> peer_frontier;
};

class Replicator {
 public:
  using SyncDone = std::function<void(absl::StatusOr<v1::SyncGroupResponse>)>;

  // `backend` (the node) must outlive the replicator.
  Replicator(rpc::Backend* backend, ReplicatorOptions options);
  ~Replicator();

  // Starts the worker; the first anti-entropy round runs at once (catch-up after a restart).
  void Start();
  // Stops the worker and waits for it. Queued pushes are dropped (the next round after a
  // restart brings them); queued SyncNow requests get kUnavailable. Idempotent.
  void Stop();

  // Queues `events` (this node's new events of `group`, in chain order) for `targets`.
  void Push(const core::GroupId& group, std::vector<v1::SignedEvent> events,
            std::vector<PeerTarget> targets);
  // Queues a fork proof of `group` for `targets`.
  void Gossip(const core::GroupId& group, v1::ForkProof proof, std::vector<PeerTarget> targets);
  // Queues a round for `group` with every member node; `done` gets the summary (summed counts,
  // one PeerView per endpoint tried, the state hash afterwards). kUnavailable when stopped
  // (then `done` is not called).
  absl::Status SyncNow(const core::GroupId& group, SyncDone done);

  // Per endpoint.
  std::map<std::string, PeerStats> Stats() const;
  // Counts `accepted` events (new here) that `org`'s node pushed to this one. Thread-safe.
  void RecordPushReceived(const core::OrgKey& org, uint64_t accepted);
  // ToPeerView of `target` with what this replicator knows of it. Thread-safe.
  v1::PeerView PeerViewOf(const PeerTarget& target) const;
  // When Start ran (options.now_ms), 0 before: the lag of a peer never reached counts from it.
  uint64_t started_ms() const;

 private:
  struct Job {
    core::GroupId group;
    std::vector<v1::SignedEvent> events;  // push
    std::optional<v1::ForkProof> proof;   // gossip
    std::vector<PeerTarget> targets;
    SyncDone done;                        // sync now
  };

  void Loop();
  void RunJob(Job& job);
  // An anti-entropy round for every group with every member node not in backoff.
  void RoundAll();
  // One round with one peer: pull then push. Adds to `out`; records success or failure.
  absl::Status RoundWith(const core::GroupId& group, const PeerTarget& target,
                         v1::SyncGroupResponse* out);
  // Groups and their targets, read on the apply loop.
  absl::StatusOr<std::map<core::GroupId, std::vector<PeerTarget>>> AllTargets(
      std::optional<core::GroupId> only);
  bool Ready(const std::string& endpoint) const;
  void RecordSuccess(const std::string& endpoint, uint64_t sent, uint64_t received);
  void RecordRoundDifference(const std::string& endpoint, const core::GroupId& group,
                             uint64_t events);
  void RecordFailure(const std::string& endpoint, const absl::Status& error);
  rpc::PeerClient& ClientFor(const std::string& endpoint);  // worker only

  rpc::Backend* backend_;
  ReplicatorOptions options_;

  mutable absl::Mutex mu_;
  std::deque<Job> jobs_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool started_ ABSL_GUARDED_BY(mu_) = false;
  uint64_t next_round_ms_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t started_ms_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<std::string, PeerStats> stats_ ABSL_GUARDED_BY(mu_);
  std::map<core::OrgKey, uint64_t> pushed_received_ ABSL_GUARDED_BY(mu_);  // by org
  std::thread thread_;

  std::map<std::string, std::unique_ptr<rpc::PeerClient>> clients_;  // worker only
};

}  // namespace constellation::app
