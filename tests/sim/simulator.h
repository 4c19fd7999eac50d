// tests/sim/simulator.h
//
// Simulator: the deterministic simulation of DESIGN §5. It drives 3-5 SimNodes (the real core
// and in-memory store) over a SimNetwork, with everything drawn from one seed: no threads,
// sockets, clock reads or system randomness, so a seed replays a run exactly.
//
// A run has two phases.
//  * Workload (options.workload_steps steps). Each step advances the global simulated time;
//    schedules faults (partitions that heal later, crashes that lose unsynced writes and
//    restart from the store some steps later, clock skew of a few seconds and now and then one
//    node minutes ahead, so that others hold its events); delivers the messages that are due;
//    lets every node release held events and write what a node writes by itself
//    (acknowledgements of closed proposals, the acceptance of a final admission of its org);
//    lets one random node do one thing a member does (found a group, propose admissions,
//    expulsions and other decisions, take stances with reasons, close, open campaigns, pledge,
//    amend, cancel, record payments as fiscal host, give notice, withdraw, or write something
//    the core must refuse); and lets a node run an anti-entropy round with a peer.
//  * Settle. The network heals, faults stop, every node restarts, the clock jumps past every
//    voting window, and nodes run anti-entropy rounds with every peer. Within
//    options.settle_rounds_max rounds every node holding a group must hold the same events
//    and state hash (liveness), and every proposal whose proposer and deciding electorate are
//    all active members must be final.
// After every step the InvariantChecker checks the safety invariants (sim_invariants.h).
//
// Fork scenario (options.restore_from_old_backup): every node is backed up early in the run;
// later one member that wrote since is restored from its backup and writes again, forking its
// chain like a node restored from an old backup (DESIGN §5). It is then dishonest: the
// invariants about honest forks and lost writes skip it, and at the end every honest node
// must have frozen it at the same seq, with the same state hash.
//
// A failure is kInternal and names the seed, the step and the invariant, with the last
// actions of the run; rerunning the seed replays it exactly.
// Thread safety: not thread-safe.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <absl/status/status.h>
#include <absl/strings/str_format.h>

#include "constellation/v1/event.pb.h"
#include "server/core/group.h"
#include "server/core/ids.h"
#include "tests/sim/sim_invariants.h"
#include "tests/sim/sim_network.h"
#include "tests/sim/sim_node.h"
#include "tests/sim/sim_random.h"

namespace constellation::sim {

struct SimOptions {
  uint64_t seed = 1;
  int workload_steps = 600;
  int settle_rounds_max = 40;
  bool restore_from_old_backup = false;
  // Fail on the known core issues of invariant 4 too (sim_invariants.h) instead of counting
  // them.
  bool strict = false;
  // Send fork proofs only on a fork hint, as PROTOCOL §8.4 says, not also to peers holding a
  // frozen author's chain beyond its fork seq (see Simulator::ServePull).
  bool proofs_on_hint_only = false;
};

// What a run did, to show that a seed exercised something.
struct SimStats {
  int node_count = 0;
  uint64_t steps = 0;
  uint64_t own_writes = 0;
  uint64_t own_writes_refused = 0;  // the core refused the write (invalid or not allowed)
  uint64_t received_inserted = 0;
  uint64_t received_pending = 0;
  uint64_t received_held = 0;
  uint64_t received_duplicate = 0;
  uint64_t received_refused = 0;  // e.g. an event of a group the node does not hold
  uint64_t crashes = 0;
  uint64_t partitions = 0;
  uint64_t pulls_refused = 0;    // a pull for a group the requester may not read
  uint64_t admissions = 0;       // acceptances written
  uint64_t forks_detected = 0;   // fork proofs that changed a node's freeze
  uint64_t final_proposals = 0;  // at the end, in the reference view of each group
  uint64_t known_issue_a = 0;    // proposals hit by known issue A (sim_invariants.h)
  uint64_t known_issue_b = 0;    // proposals hit by known issue B
  uint64_t known_issue_d = 0;    // proposals hit by known issue D (fork scenario)
  int settle_rounds = 0;
  std::optional<int> forked_node;  // fork scenario: the node restored from a backup
  uint64_t fork_seq = 0;
  NetworkStats network;
};

class Simulator {
 public:
  explicit Simulator(SimOptions options);

  // Runs both phases. OK, or kInternal describing the first violation (see the header).
  absl::Status Run();

  const SimStats& stats() const { return stats_; }
  std::string StatsLine() const;
  // The groups founded in this run, in founding order.
  const std::vector<core::GroupId>& groups() const { return groups_; }
  const SimNode& node(int i) const { return *nodes_[i]; }
  int node_count() const { return node_count_; }

 private:
  // One workload step; the settle phase.
  void Step();
  absl::Status Settle();

  void ScheduleFaults();
  void RestartDueNodes(bool all);
  uint64_t NowMs(int node) const;

  // Messages.
  void Deliver(std::vector<Message> messages);
  void ReceiveEvents(int node, const Message& m);
  void ServePull(int node, const Message& m);
  void ReceiveProof(int node, const Message& m);
  // Whether a node serves `group` to `requester` (DESIGN §4): to its members, whatever their
  // status, and (to join) to the invitees of its ADMIT proposals.
  static bool Served(const core::Group& group, const core::OrgKey& requester);
  void SendPull(int from, int to);
  void Gossip(int from, const core::GroupChanges& changes);
  void Push(int from, const core::VerifiedEvent& e);

  // Writes.
  // Appends `body` as node `i`'s own event, records it as acknowledged and pushes it. Returns
  // false when the core refused it.
  bool Write(int i, const std::optional<core::GroupId>& group, const v1::Event& body,
             const std::string& what);
  // What a node writes by itself: acknowledgements and acceptances. Returns the writes made.
  int AutomaticWrites(int i);
  void UserAction(int i);

  // Fork scenario.
  void MaybeBackupOrRestore();

  // Checks and failure reporting.
  void Fail(const absl::Status& violation);
  void CheckInvariants();
  // Whether every holder of every group agrees; `why` says what does not.
  bool Converged(std::string* why) const;
  // The honest node's view of `g` with the most events (nullptr when no honest node holds it).
  const core::Group* ReferenceView(const core::GroupId& g) const;
  absl::Status CheckSettledOutcomes();
  void Trace(std::string line);
  std::vector<const SimNode*> Nodes() const;

  SimOptions options_;
  SimRandom random_;
  int node_count_;  // drawn from the seed; declared before the members sized by it
  std::vector<std::unique_ptr<SimNode>> nodes_;
  SimNetwork network_;
  InvariantChecker checker_;
  SimStats stats_;

  uint64_t global_ms_;
  uint64_t step_ = 0;
  std::vector<int64_t> skew_ms_;
  std::vector<uint64_t> down_until_step_;  // for nodes that are down
  uint64_t heal_at_step_ = 0;              // while partitioned
  std::optional<int> far_ahead_node_;
  uint64_t far_ahead_until_step_ = 0;
  std::vector<core::GroupId> groups_;
  std::set<std::pair<int, core::EventId>> acceptances_tried_;  // (node, ADMIT proposal)
  std::map<int, std::vector<std::string>> backups_;            // fork scenario
  bool settling_ = false;
  absl::Status violation_;
  std::deque<std::string> trace_;
};

}  // namespace constellation::sim
