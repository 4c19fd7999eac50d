// tests/sim/simulator.h
//
// Simulator: the deterministic simulation of DESIGN §5. It drives 3-5 SimNodes (the real core
// and in-memory store) over a SimNetwork, with everything drawn from one seed: no threads,
// sockets, clock reads or system randomness, so a seed replays a run exactly. What happens in
// a run comes from the record domains (domains/sim_domain.h, one registry line each): their
// weighted action tables, their reactions and their invariants. The Simulator is the
// mechanism: time, message delivery, crashes and restarts, partitions, clocks, writes, and
// the checks.
//
// A run has two phases.
//  * Workload (options.workload_steps steps). Each step advances the global simulated time;
//    ends the faults that are due (heals a partition, restarts crashed nodes, brings a clock
//    that ran far ahead back); delivers the messages that are due; lets every node that is up
//    release held events and write what it writes by itself (every domain's reaction: node 0
//    founds the first group, acknowledgements of closed proposals, the acceptance of a final
//    admission of its org); and runs one action drawn by weight from the union of the domains'
//    tables (a member's write, an anti-entropy round, a partition, a crash, clock skew, ...).
//  * Settle. The network heals, faults stop, every node restarts, the clock jumps past every
//    voting window, and nodes run anti-entropy rounds with every peer. Within
//    options.settle_rounds_max rounds every node holding a group must hold the same events
//    and state hash (liveness), and then the domains' kSettled invariants must hold (e.g.
//    every proposal whose proposer and deciding electorate are all active members is final).
// After every step (and settle round) the Simulator checks every ledger's own invariants
// (GroupState::CheckInvariants) of every group on every node that is up, then every domain's
// kEveryStep invariants.
//
// Fork scenario (options.restore_from_old_backup): every node is backed up early in the run;
// later one member that wrote since is restored from its backup and writes again, forking its
// chain like a node restored from an old backup (DESIGN §5). It is then dishonest: the
// invariants about honest forks and lost writes skip it, and at the end every honest node
// must have frozen it at the same seq, with the same state hash.
//
// A failure is kInternal and names the seed, the step and the invariant, with the last
// actions of the run; rerunning the seed replays it exactly. A CONSTELLATION_CHECK that fails
// during Run() (in the core, or in GroupState::CheckInvariants) aborts the process; the
// Simulator prints the seed, the step and the last actions to stderr first.
// Thread safety: not thread-safe; one Run() at a time per process (the abort report).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <absl/status/status.h>

#include "constellation/v1/event.pb.h"
#include "server/core/group.h"
#include "server/core/ids.h"
#include "tests/sim/domains/sim_domain.h"
#include "tests/sim/sim_network.h"
#include "tests/sim/sim_node.h"
#include "tests/sim/sim_random.h"
#include "tests/sim/sim_world.h"

namespace constellation::sim {

struct SimOptions {
  uint64_t seed = 1;
  int workload_steps = 600;
  int settle_rounds_max = 40;
  bool restore_from_old_backup = false;
  // Fail on the known core issues too (those a domain records, e.g. governance's A and B)
  // instead of counting them.
  bool strict = false;
  // Send fork proofs only on a fork hint, as PROTOCOL §8.4 says, not also to peers holding a
  // frozen author's chain beyond its fork seq (see Simulator::ServePull).
  bool proofs_on_hint_only = false;
  // Print every trace line to stderr as it happens (not only the last actions of a failure),
  // after a line naming each node's org key: for diagnosing a seed.
  bool trace_all = false;
};

class Simulator final : private SimWorld {
 public:
  explicit Simulator(SimOptions options);

  // Runs both phases. OK, or kInternal describing the first violation (see the header).
  absl::Status Run();

  const SimStats& stats() const { return stats_; }
  std::string StatsLine() const;
  // The groups founded in this run, in founding order.
  const std::vector<core::GroupId>& groups() const override { return groups_; }
  const SimNode& node(int i) const override { return *nodes_[i]; }
  int node_count() const override { return node_count_; }
  bool MustConverge(int i, const core::GroupId& g) const override;
  // Node i's acknowledged own events (SimWorld::acknowledged), for the tests' checks.
  const AcknowledgedWrites& AcknowledgedOf(int i) const { return acknowledged_[i]; }

 private:
  // SimWorld (sim_world.h), for the domains.
  uint64_t step() const override { return step_; }
  bool strict() const override { return options_.strict; }
  SimRandom& random() override { return random_; }
  SimStats& mutable_stats() override { return stats_; }
  void Trace(std::string line) override;
  // Every node but the one restored from a backup (fork scenario).
  bool honest(int i) const override { return !stats_.forked_node || *stats_.forked_node != i; }
  uint64_t crash_count(int i) const override { return crash_counts_[i]; }
  uint64_t NowMs(int i) const override;
  const AcknowledgedWrites& acknowledged(int i) const override { return acknowledged_[i]; }
  const core::Group* ReferenceView(const core::GroupId& g) const override;
  bool Write(int i, const std::optional<core::GroupId>& group, const v1::Event& body,
             const std::string& what) override;
  bool partitioned() const override { return network_.partitioned(); }
  void Partition(const std::vector<int>& side_of_node, uint64_t steps) override;
  void Crash(int i, uint64_t down_steps) override;
  std::optional<int> far_ahead_node() const override { return far_ahead_node_; }
  void SetSkew(int i, int64_t skew_ms) override { skew_ms_[i] = skew_ms; }
  void SetFarAhead(int i, uint64_t ahead_ms, uint64_t steps) override;
  // The frontier node `i` states for group `g` (core::StatedFrontier).
  v1::Frontier StatedFrontier(int i, const core::GroupId& g) const;
  void SendPull(int from, int to) override;

  // One workload step; the settle phase.
  void Step();
  absl::Status Settle();

  // Ends the faults that are due: heals the partition, restarts nodes, ends a far-ahead clock.
  void EndDueFaults();
  void RestartDueNodes(bool all);
  // Every node that is up releases held events and runs every domain's reaction.
  void ReleaseAndReact();
  // Runs one action drawn by weight from every domain's table.
  void RunAction();

  // Messages.
  void Deliver(std::vector<Message> messages);
  void ReceiveEvents(int node, const Message& m);
  void ServePull(int node, const Message& m);
  void ReceiveProof(int node, const Message& m);
  // Whether a node serves `group` to `requester` (DESIGN §4): to its members, whatever their
  // status, and (to join) to the invitees of its ADMIT proposals.
  static bool Served(const core::Group& group, const core::OrgKey& requester);
  void Gossip(int from, const core::GroupChanges& changes);
  void Push(int from, const core::VerifiedEvent& e);

  // Fork scenario.
  void MaybeBackupOrRestore();

  // Checks and failure reporting.
  void Fail(const absl::Status& violation);
  // The domains' invariants of `when`; with kEveryStep, first the fold's own.
  void CheckInvariants(SimInvariant::When when);
  void CheckFoldInvariants() const;
  // Whether every holder of every group agrees; `why` says what does not.
  bool Converged(std::string* why) const;
  // Writes the seed, step and last actions to stderr with async-signal-safe calls only (the
  // abort report; see the header).
  void WriteAbortReport() const;
  static void OnAbort(int signal);

  SimOptions options_;
  SimRandom random_;
  int node_count_;  // drawn from the seed; declared before the members sized by it
  std::vector<std::unique_ptr<SimNode>> nodes_;
  SimNetwork network_;
  SimStats stats_;
  std::vector<SimDomain> domains_;  // in registry order
  uint64_t action_weight_total_ = 0;

  uint64_t global_ms_;
  uint64_t step_ = 0;
  std::vector<int64_t> skew_ms_;
  std::vector<uint64_t> down_until_step_;  // for nodes that are down
  std::vector<uint64_t> crash_counts_;
  std::vector<AcknowledgedWrites> acknowledged_;  // per node
  uint64_t heal_at_step_ = 0;                     // while partitioned
  std::optional<int> far_ahead_node_;
  uint64_t far_ahead_until_step_ = 0;
  std::vector<core::GroupId> groups_;
  std::map<int, std::vector<std::string>> backups_;  // fork scenario
  bool settling_ = false;
  absl::Status violation_;
  std::deque<std::string> trace_;
};

}  // namespace constellation::sim
