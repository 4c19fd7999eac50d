#include "server/storage/event_store.h"

#include <absl/strings/match.h>
#include <absl/strings/str_cat.h>
#include <absl/strings/str_format.h>

#include "server/base/check.h"
#include "server/base/status_macros.h"
#include "server/storage/key_codec.h"

namespace constellation::storage {
namespace {

constexpr std::string_view kSchemaKey = "schema_version";
constexpr std::string_view kTokenPrefix = "token/";
constexpr std::string_view kRestoredKey = "restored_from_backup";
constexpr char kSchemaMismatchPrefix[] = "schema mismatch: ";

std::string EventKey(const core::GroupId& group, const core::OrgKey& author, uint64_t seq) {
  std::string key = group.Bytes() + author.Bytes();
  AppendU64(&key, seq);
  return key;
}

absl::Status Corrupt(const std::string& what) {
  return absl::DataLossError(absl::StrFormat(
      "store is inconsistent: %s; restore from a backup or resync from peers", what));
}

}  // namespace

void StageEvent(WriteBatch* batch, const core::VerifiedEvent& e, const core::OrderKey& key) {
  const std::string event_key = EventKey(e.group, e.author, e.seq);
  batch->Put(Column::kEvents, event_key, e.SerializeSigned());
  batch->Put(Column::kById, e.id.Bytes(), event_key);

  std::string frontier_value;
  AppendU64(&frontier_value, e.seq);
  frontier_value += e.id.Bytes();
  batch->Put(Column::kFrontier, e.group.Bytes() + e.author.Bytes(), frontier_value);

  std::string order_key = e.group.Bytes();
  AppendU64(&order_key, key.depth);
  order_key += key.id.Bytes();
  std::string order_value = e.author.Bytes();
  AppendU64(&order_value, e.seq);
  batch->Put(Column::kOrder, order_key, order_value);
}

absl::StatusOr<uint32_t> ReadSchemaVersion(const Store& store) {
  CONSTELLATION_ASSIGN_OR_RETURN(std::string value, store.Get(Column::kMeta, kSchemaKey));
  std::string_view in = value;
  return ReadU32(&in);
}

absl::Status SchemaMismatchError(std::string_view detail) {
  return absl::FailedPreconditionError(absl::StrCat(kSchemaMismatchPrefix, std::string(detail)));
}

bool IsSchemaMismatch(const absl::Status& status) {
  return status.code() == absl::StatusCode::kFailedPrecondition &&
         absl::StartsWith(status.message(), kSchemaMismatchPrefix);
}

absl::Status CheckSchemaVersion(uint32_t found, std::string_view where) {
  if (found == kSchemaVersion) return absl::OkStatus();
  const std::string advice =
      found > kSchemaVersion
          ? "it was written by a newer constellationd: run that version (or newer) on it"
          : "it was written by an older constellationd and this one has no migration from it: "
            "run the version that wrote it (docs/OPERATIONS.md, \"Schema upgrades\")";
  return SchemaMismatchError(absl::StrFormat(
      "%s holds data-directory schema %d; this constellationd reads and writes schema %d only; "
      "%s",
      std::string(where), found, kSchemaVersion, advice));
}

absl::Status InitSchema(Store& store) {
  absl::StatusOr<uint32_t> version = ReadSchemaVersion(store);
  if (version.ok()) return CheckSchemaVersion(*version, "the data directory");
  if (!absl::IsNotFound(version.status())) return version.status();
  WriteBatch batch;
  std::string value;
  AppendU32(&value, kSchemaVersion);
  batch.Put(Column::kMeta, kSchemaKey, value);
  return store.Write(batch, WriteOptions{.sync = true});
}

absl::Status MarkRestored(Store& store, uint64_t now_ms) {
  WriteBatch batch;
  std::string value;
  AppendU64(&value, now_ms);
  batch.Put(Column::kMeta, kRestoredKey, value);
  return store.Write(batch, WriteOptions{.sync = true});
}

absl::StatusOr<std::optional<uint64_t>> RestoredMark(const Store& store) {
  absl::StatusOr<std::string> value = store.Get(Column::kMeta, kRestoredKey);
  if (absl::IsNotFound(value.status())) return std::nullopt;
  if (!value.ok()) return value.status();
  std::string_view in = *value;
  CONSTELLATION_ASSIGN_OR_RETURN(uint64_t ms, ReadU64(&in));
  return ms;
}

void StageClearRestored(WriteBatch* batch) { batch->Delete(Column::kMeta, kRestoredKey); }

absl::Status LoadEvents(const Store& store, StoredSignatures signatures,
                        const std::function<absl::Status(core::VerifiedEvent)>& fn) {
  absl::Status inner = absl::OkStatus();
  CONSTELLATION_RETURN_IF_ERROR(
      store.Scan(Column::kOrder, "", "", [&](std::string_view key, std::string_view value) {
        if (key.size() != 32 + 8 + 32 || value.size() != 32 + 8) {
          inner = Corrupt("an order entry has the wrong size");
          return false;
        }
        const std::string group_bytes(key.substr(0, 32));
        const std::string id_bytes(key.substr(40, 32));
        const std::string event_key = group_bytes + std::string(value);
        absl::StatusOr<std::string> signed_bytes = store.Get(Column::kEvents, event_key);
        if (!signed_bytes.ok()) {
          inner = absl::IsNotFound(signed_bytes.status())
                      ? Corrupt("an event listed in the canonical order is missing")
                      : signed_bytes.status();
          return false;
        }
        absl::StatusOr<core::VerifiedEvent> e = signatures == StoredSignatures::kVerify
                                                    ? core::DecodeSignedEvent(*signed_bytes)
                                                    : core::DecodeStoredEvent(*signed_bytes);
        if (!e.ok()) {
          inner = Corrupt(absl::StrFormat("a stored event does not verify: %s",
                                          std::string(e.status().message())));
          return false;
        }
        if (e->id.Bytes() != id_bytes || e->group.Bytes() != group_bytes) {
          inner = Corrupt("a stored event does not match its key");
          return false;
        }
        inner = fn(*std::move(e));
        return inner.ok();
      }));
  return inner;
}

absl::StatusOr<std::map<core::GroupId, uint64_t>> StoredEventCounts(const Store& store) {
  std::map<core::GroupId, uint64_t> counts;
  absl::Status inner = absl::OkStatus();
  CONSTELLATION_RETURN_IF_ERROR(
      store.Scan(Column::kFrontier, "", "", [&](std::string_view key, std::string_view value) {
        if (key.size() != 32 + 32 || value.size() != 8 + 32) {
          inner = Corrupt("a frontier entry has the wrong size");
          return false;
        }
        absl::StatusOr<uint64_t> seq = ReadU64(&value);
        CONSTELLATION_CHECK(seq.ok());  // the size was checked
        counts[*core::GroupId::FromBytes(key.substr(0, 32))] += *seq;
        return true;
      }));
  CONSTELLATION_RETURN_IF_ERROR(inner);
  return counts;
}

void StageForkProof(WriteBatch* batch, const core::VerifiedForkProof& proof) {
  const std::string key = EventKey(proof.group, proof.author, proof.seq);
  batch->Put(Column::kForks, key, proof.proof.SerializeAsString());
}

absl::Status LoadForkProofs(const Store& store,
                            const std::function<absl::Status(v1::ForkProof)>& fn) {
  absl::Status inner = absl::OkStatus();
  CONSTELLATION_RETURN_IF_ERROR(
      store.Scan(Column::kForks, "", "", [&](std::string_view, std::string_view value) {
        v1::ForkProof proof;
        if (!proof.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          inner = Corrupt("a fork proof does not parse");
          return false;
        }
        inner = fn(std::move(proof));
        return inner.ok();
      }));
  return inner;
}

void StageToken(WriteBatch* batch, const std::string& secret_hash_hex, const v1::TokenInfo& info) {
  batch->Put(Column::kMeta, std::string(kTokenPrefix) + secret_hash_hex, info.SerializeAsString());
}

absl::Status LoadTokens(
    const Store& store,
    const std::function<void(const std::string& secret_hash_hex, v1::TokenInfo)>& fn) {
  absl::Status inner = absl::OkStatus();
  CONSTELLATION_RETURN_IF_ERROR(store.ScanPrefix(
      Column::kMeta, kTokenPrefix, [&](std::string_view key, std::string_view value) {
        v1::TokenInfo info;
        if (!info.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          inner = Corrupt("a token record does not parse");
          return false;
        }
        fn(std::string(key.substr(kTokenPrefix.size())), std::move(info));
        return true;
      }));
  return inner;
}

}  // namespace constellation::storage
