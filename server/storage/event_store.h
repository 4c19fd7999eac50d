// server/storage/event_store.h
//
// The node's typed layout over the storage port (DESIGN §5). Keys (big-endian integers):
//   events   group | author | seq        -> SignedEvent bytes (exactly as signed)
//   by_id    event id                    -> group | author | seq
//   frontier group | author              -> seq | head id
//   order    group | depth | event id    -> author | seq          (canonical order)
//   meta     "schema_version"            -> u32
//            "restored_from_backup"      -> u64 ms (set by `constellationd restore`, deleted when
//                                           the node's peers returned its latest events)
//            "token/" sha256(token) hex  -> v1::TokenInfo bytes   (tokens stored hashed)
//   forks    group | author | seq        -> v1::ForkProof bytes    (DESIGN §2: freezes survive
//                                                                    a restart)
// `events` is the source of truth; `by_id`, `frontier` and `order` are derived from it.
// Thread safety: stateless functions; the Store is thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

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

// Checks or records the schema version: an empty store gets kSchemaVersion; a store that holds
// another version (older or newer) is refused with SchemaMismatchError (exact match: this
// binary reads only the layout it writes; docs/OPERATIONS.md, "Schema upgrades").
absl::Status InitSchema(Store& store);

// The schema version a store records; kNotFound when it records none (a new store).
absl::StatusOr<uint32_t> ReadSchemaVersion(const Store& store);
// OK when `found` == kSchemaVersion, else SchemaMismatchError naming both versions and what to
// do. `where` names the data (a directory) in the message.
absl::Status CheckSchemaVersion(uint32_t found, std::string_view where);
// kFailedPrecondition whose message starts with "schema mismatch: " (IsSchemaMismatch), so that
// constellationd can give it its own exit code.
absl::Status SchemaMismatchError(std::string_view detail);
bool IsSchemaMismatch(const absl::Status& status);

// Restored from a backup (docs/OPERATIONS.md, "Backup and restore"): `constellationd restore`
// marks the store; the node refuses its own writes while the mark is there and deletes it
// (StageClearRestored) once its peers returned its latest events.
absl::Status MarkRestored(Store& store, uint64_t now_ms);
// The mark's time (ms since the Unix epoch), or nullopt when the store is not marked.
absl::StatusOr<std::optional<uint64_t>> RestoredMark(const Store& store);
void StageClearRestored(WriteBatch* batch);

// Whether LoadEvents re-verifies each stored event's signature (`constellationd verify`, an
// offline audit of the store) or trusts what the node verified before storing it (start).
enum class StoredSignatures { kVerify, kTrust };

// Calls `fn` for every stored event, group by group in canonical order (so each event's
// parents come before it), after decoding and checking it (core::DecodeSignedEvent, or
// core::DecodeStoredEvent with kTrust). kDataLoss when an entry is missing, does not decode or
// verify, or does not match its key. Stops at the first error `fn` returns.
absl::Status LoadEvents(const Store& store, StoredSignatures signatures,
                        const std::function<absl::Status(core::VerifiedEvent)>& fn);

// How many events each group holds, from the frontier (the sum of its authors' last seqs; one
// entry per author, so cheap beside LoadEvents): the hint core::NodeState::ExpectGroupSize
// takes before a load. kDataLoss when a frontier entry has the wrong size.
absl::StatusOr<std::map<core::GroupId, uint64_t>> StoredEventCounts(const Store& store);

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
