// server/storage/event_store.h
//
// The node's typed layout over the storage port (DESIGN §5). Keys (big-endian integers):
//   events   group | author | seq        -> SignedEvent bytes (exactly as signed)
//   by_id    event id                    -> group | author | seq
//   frontier group | author              -> seq | head id
//   order    group | depth | event id    -> author | seq          (canonical order)
//   meta     "schema_version"            -> u32
//            "token/" sha256(token) hex  -> v1::TokenInfo bytes   (tokens stored hashed)
//   forks    group | author | seq        -> v1::ForkProof bytes    (DESIGN §2: freezes survive
//                                                                    a restart)
// `events` is the source of truth; `by_id`, `frontier` and `order` are derived from it.
// Thread safety: stateless functions; the Store is thread-safe.
#pragma once

#include <functional>
#include <string>

#include <absl/status/status.h>

#include "constellation/v1/client.pb.h"
#include "server/core/codec.h"
#include "server/core/dag.h"
#include "server/core/group.h"
#include "server/storage/store.h"

namespace constellation::storage {

inline constexpr uint32_t kSchemaVersion = 1;

// Stages `e` (inserted at `key` in its group's canonical order) into `batch`.
void StageEvent(WriteBatch* batch, const core::VerifiedEvent& e, const core::OrderKey& key);

// Checks or records the schema version. kFailedPrecondition when the store was written by a
// newer schema.
absl::Status InitSchema(Store& store);

// Whether LoadEvents re-verifies each stored event's signature (`constellationd verify`, an
// offline audit of the store) or trusts what the node verified before storing it (start).
enum class StoredSignatures { kVerify, kTrust };

// Calls `fn` for every stored event, group by group in canonical order (so each event's
// parents come before it), after decoding and checking it (core::DecodeSignedEvent, or
// core::DecodeStoredEvent with kTrust). kDataLoss when an entry is missing, does not decode or
// verify, or does not match its key. Stops at the first error `fn` returns.
absl::Status LoadEvents(const Store& store, StoredSignatures signatures,
                        const std::function<absl::Status(core::VerifiedEvent)>& fn);

// Fork proofs (canonical, core::VerifyForkProof), one per (group, author, fork seq).
void StageForkProof(WriteBatch* batch, const core::VerifiedForkProof& proof);
// Calls `fn` for every stored proof in key order. kDataLoss when one does not parse.
absl::Status LoadForkProofs(const Store& store,
                            const std::function<absl::Status(v1::ForkProof)>& fn);

// Tokens: stored under the SHA-256 (hex) of the secret.
void StageToken(WriteBatch* batch, const std::string& secret_hash_hex, const v1::TokenInfo& info);
absl::Status LoadTokens(
    const Store& store,
    const std::function<void(const std::string& secret_hash_hex, v1::TokenInfo)>& fn);

}  // namespace constellation::storage
