// tests/sim/sim_network.h
//
// SimNetwork: the simulated network between node cores (DESIGN §4-5). Messages carry what the
// federation calls carry (docs/PROTOCOL.md §8): pushed events, anti-entropy pull requests
// (a frontier) and responses (the events the requester lacks), and fork-proof gossip. Events
// travel as serialized SignedEvent bytes, so every receiver decodes and verifies them.
// Faults, all drawn from the simulation's SimRandom: a message is dropped, duplicated, or
// delayed by a random time (so messages overtake each other: reordering); a partition splits
// the nodes into sides, and a message whose ends are on different sides when it is due is
// dropped. Delivery order is (due time, send order): deterministic for a seed.
// Thread safety: not thread-safe; owned by the Simulator.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "constellation/v1/federation.pb.h"
#include "server/core/ids.h"
#include "tests/sim/sim_random.h"

namespace constellation::sim {

enum class MessageKind {
  kPush,          // events the sender appended (signed_events)
  kPullRequest,   // the sender's frontier of `group` (empty heads when it holds nothing)
  kPullResponse,  // events the requester lacks, in canonical order; `truncated` if capped
  kForkProof,     // a fork proof of `group` (gossip)
};
std::string_view MessageKindName(MessageKind kind);

struct Message {
  MessageKind kind = MessageKind::kPush;
  int from = 0;
  int to = 0;
  core::GroupId group;
  std::vector<std::string> signed_events;  // kPush, kPullResponse
  bool truncated = false;                  // kPullResponse
  v1::Frontier frontier;                   // kPullRequest
  v1::ForkProof proof;                     // kForkProof

  // A message with its header set and an empty payload.
  static Message To(MessageKind kind, int from, int to, const core::GroupId& group) {
    Message m;
    m.kind = kind;
    m.from = from;
    m.to = to;
    m.group = group;
    return m;
  }
};

// Fault rates of the network; per mille, delays in simulated milliseconds.
struct NetworkFaults {
  uint32_t drop_per_mille = 0;
  uint32_t duplicate_per_mille = 0;
  uint64_t delay_ms_max = 0;  // each copy is delayed by a uniform [0, delay_ms_max]
};

struct NetworkStats {
  uint64_t sent = 0;
  uint64_t dropped = 0;  // by the drop rate
  uint64_t duplicated = 0;
  uint64_t partitioned = 0;  // dropped because the ends were on different sides
  uint64_t delivered = 0;
};

class SimNetwork {
 public:
  SimNetwork(int node_count, SimRandom* random) : side_of_node_(node_count, 0), random_(random) {}

  void set_faults(const NetworkFaults& faults) { faults_ = faults; }

  // Queues `message` at simulated time `now_ms`, applying drop, duplicate and delay.
  void Send(Message message, uint64_t now_ms);

  // Removes and returns the messages due at `now_ms` (all queued messages when `now_ms` is
  // UINT64_MAX), in (due time, send order), except those whose ends are on different sides of
  // the partition at that moment, which are dropped.
  std::vector<Message> TakeDue(uint64_t now_ms);

  // Splits the nodes: side_of_node[i] is node i's side. Heal() puts every node on one side.
  void Partition(std::vector<int> side_of_node);
  void Heal();
  bool Connected(int a, int b) const { return side_of_node_[a] == side_of_node_[b]; }
  bool partitioned() const;

  size_t in_flight() const { return queue_.size(); }
  const NetworkStats& stats() const { return stats_; }

 private:
  void Enqueue(Message message, uint64_t now_ms);

  std::vector<int> side_of_node_;
  SimRandom* random_;
  NetworkFaults faults_;
  // Keyed by (due time, send serial): a deterministic delivery order.
  std::map<std::pair<uint64_t, uint64_t>, Message> queue_;
  uint64_t serial_ = 0;
  NetworkStats stats_;
};

}  // namespace constellation::sim
