// tests/sim/sim_node.h
//
// SimNode: one simulated node: an org key, the real pure core (core::NodeState) and the real
// in-memory store (storage::MemoryStore), wired the way server/app/node.cc wires them, minus
// threads and sockets (DESIGN §5). Every event the core inserts (own or received) and every
// new fork proof is staged into one WriteBatch per call and written before the call returns:
// own writes with sync = true (they are acknowledged afterwards), received ones with the sync
// flag the simulator chooses, so that a crash can lose them and anti-entropy must bring them
// back.
// Crash() loses the writes made with sync = false since the last synced one and drops the
// core; Restart() rebuilds a fresh NodeState from the store exactly as Node::Load does
// (LoadEvents -> Ingest, then LoadForkProofs -> ReceiveForkProof).
// Thread safety: not thread-safe; owned by the Simulator.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <absl/status/status.h>
#include <absl/status/statusor.h>

#include "constellation/v1/event.pb.h"
#include "server/core/crypto.h"
#include "server/core/node_state.h"
#include "server/storage/memory_store.h"

namespace constellation::sim {

class SimNode {
 public:
  // A node with an empty store. CHECK-fails if the schema cannot be initialised (a bug).
  SimNode(int index, core::SigningKey key);

  int index() const { return index_; }
  const core::OrgKey& org() const { return key_.public_key(); }
  const core::SigningKey& key() const { return key_; }
  bool up() const { return state_ != nullptr; }
  // The core; only while up().
  const core::NodeState& state() const { return *state_; }

  // NodeState::AppendOwn, then the event is written with sync = true: once this returns OK
  // the write is durable (the caller may acknowledge it). Errors: those of AppendOwn (nothing
  // changed), or the store's.
  absl::StatusOr<const core::VerifiedEvent*> AppendOwn(const std::optional<core::GroupId>& group,
                                                       const v1::Event& body, uint64_t now_ms);

  // Decodes and verifies `signed_event` (SignedEvent bytes from a peer), NodeState::Receive,
  // then writes what it inserted and its new fork proofs with `sync`. Errors: the codec's
  // kInvalidArgument, those of Receive (e.g. kNotFound for an event of a group not held).
  absl::StatusOr<core::ReceiveResult> Receive(const std::string& signed_event, uint64_t now_ms,
                                              bool sync);

  // NodeState::ReleaseHeld, then writes what it inserted with `sync`.
  absl::StatusOr<std::vector<core::GroupChanges>> ReleaseHeld(uint64_t now_ms, bool sync);

  // NodeState::ReceiveForkProof, then writes the proof when it changed the freeze.
  absl::StatusOr<core::GroupChanges> ReceiveForkProof(const v1::ForkProof& proof, bool sync);

  // Simulates a process crash: the store loses its unsynced writes; the core is dropped (the
  // node is down until Restart).
  void Crash();
  // Rebuilds the core from the store. kDataLoss when a stored event does not fit.
  absl::Status Restart();

  // A backup: every stored event (SignedEvent bytes) in load order.
  std::vector<std::string> Backup() const;
  // Replaces the store with one holding only `backup` and restarts from it: a node restored
  // from an old backup, whose next own writes fork its chain (DESIGN §5).
  absl::Status RestoreFromBackup(const std::vector<std::string>& backup);

 private:
  // Stages the inserted events and new proofs of `changes` and writes them with `sync`.
  absl::Status Persist(const core::GroupChanges& changes, bool sync);

  int index_;
  core::SigningKey key_;
  std::unique_ptr<storage::MemoryStore> store_;
  std::unique_ptr<core::NodeState> state_;
};

}  // namespace constellation::sim
