#include "server/app/verify.h"

#include <absl/strings/str_format.h>

#include "server/app/keyfile.h"
#include "server/base/status_macros.h"
#include "server/storage/event_store.h"
#include "server/storage/rocks_store.h"

namespace constellation::app {

absl::StatusOr<std::unique_ptr<core::NodeState>> LoadNodeState(
    const storage::Store& store, core::SigningKey key, storage::StoredSignatures signatures) {
  auto state = std::make_unique<core::NodeState>(std::move(key));
  // Each group's size first, so that the fold copies its checkpoints near the end of the load
  // only, not every interval of a growing group (docs/PERFORMANCE.md, restart).
  CONSTELLATION_ASSIGN_OR_RETURN(auto counts, storage::StoredEventCounts(store));
  for (const auto& [group, events] : counts) state->ExpectGroupSize(group, events);
  CONSTELLATION_RETURN_IF_ERROR(
      storage::LoadEvents(store, signatures, [&](core::VerifiedEvent e) -> absl::Status {
        const std::string id = e.id.Hex();
        absl::StatusOr<core::InsertResult> r = state->Ingest(std::move(e));
        if (!r.ok()) {
          return absl::DataLossError(
              absl::StrFormat("stored event %s does not fit its group (%s); restore from a backup",
                              id, std::string(r.status().message())));
        }
        if (r->admission != core::Admission::kReady) {
          return absl::DataLossError(absl::StrFormat(
              "stored event %s does not fit its group's chain; restore from a backup", id));
        }
        return absl::OkStatus();
      }));
  // Freezes learned from proofs alone (gossip) survive a restart (DESIGN §2).
  CONSTELLATION_RETURN_IF_ERROR(
      storage::LoadForkProofs(store, [&](v1::ForkProof proof) -> absl::Status {
        absl::StatusOr<core::GroupChanges> r = state->ReceiveForkProof(proof);
        if (!r.ok()) {
          return absl::DataLossError(absl::StrFormat(
              "a stored fork proof does not fit its group (%s); restore from a backup",
              std::string(r.status().message())));
        }
        return absl::OkStatus();
      }));
  return state;
}

absl::StatusOr<std::vector<VerifiedGroup>> VerifyDataDir(const std::string& data_dir) {
  CONSTELLATION_ASSIGN_OR_RETURN(core::SigningKey key, ReadKeyFile(data_dir + "/org.key"));
  CONSTELLATION_ASSIGN_OR_RETURN(
      std::unique_ptr<storage::RocksStore> store,
      storage::RocksStore::Open(data_dir + "/db", storage::RocksStoreOptions{}));
  // Another schema's layout would not decode as this one's (exit code 4, not a corruption).
  CONSTELLATION_ASSIGN_OR_RETURN(uint32_t schema, storage::ReadSchemaVersion(*store));
  CONSTELLATION_RETURN_IF_ERROR(storage::CheckSchemaVersion(schema, data_dir));
  CONSTELLATION_ASSIGN_OR_RETURN(std::unique_ptr<core::NodeState> state,
                                 LoadNodeState(*store, std::move(key),
                                               storage::StoredSignatures::kVerify));
  std::vector<VerifiedGroup> groups;
  for (const auto& [id, group] : state->groups()) {
    groups.push_back(
        VerifiedGroup{.group_id_hex = id.Hex(),
                      .event_count = group->size(),
                      .state_hash_hex = core::EventId::FromArray(group->StateHash()).Hex()});
  }
  return groups;
}

}  // namespace constellation::app
