// server/app/verify.h
//
// Loading a node's stored events into a fresh NodeState, and `constellationd verify`: the
// offline check of a data directory (docs/RELIABILITY.md, crash harness). Loading re-verifies
// every stored event (its id, its Ed25519 signature, that it matches its key in the store),
// inserts each into its group in the stored canonical order, which checks its author's chain
// (seq = previous + 1, prev = the previous event's id) and the fold's rules, and so refolds
// every group from its genesis; then it applies the stored fork proofs. The node runs the same
// load at every start.
// Thread safety: free functions over a store the caller owns; no shared state.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <absl/status/statusor.h>

#include "server/core/crypto.h"
#include "server/core/node_state.h"
#include "server/storage/event_store.h"
#include "server/storage/store.h"

namespace constellation::app {

// Loads every stored event and fork proof into a new NodeState owned by `key`'s org; events'
// signatures are re-verified or trusted as `signatures` says (storage::LoadEvents).
// kDataLoss (with the event id where known and "restore from a backup") when a stored event or
// proof does not verify or does not fit its group; the store's errors otherwise.
absl::StatusOr<std::unique_ptr<core::NodeState>> LoadNodeState(
    const storage::Store& store, core::SigningKey key, storage::StoredSignatures signatures);

// One group as the offline refold derived it.
struct VerifiedGroup {
  std::string group_id_hex;
  uint64_t event_count = 0;  // events held (the canonical order's length)
  std::string state_hash_hex;
};

// Opens the data directory of a stopped node (`constellationd init` made it) and loads it with
// LoadNodeState. Returns every group ordered by id. kFailedPrecondition when a running node
// holds the store (stop it first); kNotFound without a key file; kDataLoss as LoadNodeState.
absl::StatusOr<std::vector<VerifiedGroup>> VerifyDataDir(const std::string& data_dir);

}  // namespace constellation::app
