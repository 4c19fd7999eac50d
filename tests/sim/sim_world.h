// tests/sim/sim_world.h
//
// SimWorld: a running simulation as the record domains' actions and invariants see it
// (domains/sim_domain.h). The Simulator (simulator.h) implements it; a domain reads the nodes
// and the run's bookkeeping through it, draws from its SimRandom, writes through Write() (which
// records, acknowledges and pushes like a client write) and injects faults through the fault
// mechanisms, whose policy (rates, durations) the network domain's table holds.
// Every call is deterministic for a seed: nothing here reads a clock or system randomness.
// Thread safety: not thread-safe; owned by the Simulator, used from its one thread.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "constellation/v1/event.pb.h"
#include "server/core/group.h"
#include "server/core/ids.h"
#include "tests/sim/sim_network.h"
#include "tests/sim/sim_node.h"
#include "tests/sim/sim_random.h"

namespace constellation::sim {

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
  // Proposals (or other records) hit by a known core issue, by the label its domain gives it
  // (SimDomain::known_issues): recorded instead of failing unless the run is strict.
  std::map<std::string, uint64_t> known_issues;
  int settle_rounds = 0;
  std::optional<int> forked_node;  // fork scenario: the node restored from a backup
  uint64_t fork_seq = 0;
  NetworkStats network;
};

// Acknowledged own events of one node, per group, by seq. An honest node has one per seq; a
// node restored from an old backup may acknowledge a second one (a fork).
using AcknowledgedWrites = std::map<core::GroupId, std::map<uint64_t, std::vector<core::EventId>>>;

class SimWorld {
 public:
  virtual ~SimWorld() = default;

  // ---- The run ----
  virtual uint64_t step() const = 0;
  // Known core issues fail the run instead of being recorded (SimOptions::strict).
  virtual bool strict() const = 0;
  virtual SimRandom& random() = 0;
  virtual SimStats& mutable_stats() = 0;
  // Adds a line to the last actions a failure prints.
  virtual void Trace(std::string line) = 0;

  // ---- Nodes ----
  virtual int node_count() const = 0;
  virtual const SimNode& node(int i) const = 0;
  // False for a node restored from an old backup (the fork scenario): it may fork and lose
  // acknowledged writes, and what it shows is not checked.
  virtual bool honest(int i) const = 0;
  // How often node i crashed (or was restored from a backup) so far: what it showed before may
  // be unknown to it since (received events that were not synced).
  virtual uint64_t crash_count(int i) const = 0;
  // Node i's clock: the simulated time plus its skew.
  virtual uint64_t NowMs(int i) const = 0;
  // Node i's acknowledged own events (every successful Write).
  virtual const AcknowledgedWrites& acknowledged(int i) const = 0;
  // The groups founded in this run, in founding order.
  virtual const std::vector<core::GroupId>& groups() const = 0;
  // The most informed honest view of `g`: knowing the most forks, then holding the most events
  // (nullptr when no honest node holds it).
  virtual const core::Group* ReferenceView(const core::GroupId& g) const = 0;
  // Whether node i is one the run must settle on for `g`: the reference view serves it. A node
  // that holds a copy nobody serves any more (e.g. the invitee of an ADMIT on a branch of a
  // forked author that the others never saw: docs/PROTOCOL.md §8.6) is not.
  virtual bool MustConverge(int i, const core::GroupId& g) const = 0;

  // ---- Writes ----
  // Appends `body` as node i's own event (founding a group when `group` is nullopt), records it
  // as acknowledged and pushes it to the group's members. False when the core refused it
  // (counted and traced with `what`).
  virtual bool Write(int i, const std::optional<core::GroupId>& group, const v1::Event& body,
                     const std::string& what) = 0;

  // ---- Faults and replication (policy in domains/network_domain.cc) ----
  virtual bool partitioned() const = 0;
  // Splits the nodes (side_of_node[i] is node i's side) for `steps` steps, then heals. Nothing
  // happens when every node is on one side.
  virtual void Partition(const std::vector<int>& side_of_node, uint64_t steps) = 0;
  // Node i (up) crashes: it loses its unsynced writes and restarts from its store after
  // `down_steps` steps.
  virtual void Crash(int i, uint64_t down_steps) = 0;
  // The node whose clock is far ahead, if any.
  virtual std::optional<int> far_ahead_node() const = 0;
  // Sets node i's clock skew (a few seconds either way).
  virtual void SetSkew(int i, int64_t skew_ms) = 0;
  // Puts node i's clock `ahead_ms` ahead for `steps` steps (others hold its events).
  virtual void SetFarAhead(int i, uint64_t ahead_ms, uint64_t steps) = 0;
  // An anti-entropy round: node `from` sends its frontier of every group to node `to`.
  virtual void SendPull(int from, int to) = 0;
};

}  // namespace constellation::sim
