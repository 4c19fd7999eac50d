// server/app/backup.h
//
// `constellationd backup` and `constellationd restore` (docs/OPERATIONS.md, "Backup and
// restore"). A backup directory holds what a data directory holds: org.key (mode 0600: it is
// the org's signing key, keep the backup as safe as the node), constellationd.toml when the
// data directory has one, and db/, a copy of the node's database made while the node runs
// (storage/backup.h says why that copy is consistent).
// A restored data directory is marked (storage::MarkRestored): the node started on it refuses
// writes of its own org's records until its peers returned its latest events (node.h).
// Thread safety: free functions, for the main thread of the constellationd process.
#pragma once

#include <cstdint>
#include <string>

#include <absl/status/statusor.h>

#include "server/storage/backup.h"

namespace constellation::app {

// Copies the data directory `data_dir` (of a running or stopped node) into `to`, which must not
// exist or be an empty directory. Errors: kAlreadyExists when `to` is not empty (nothing is
// touched), kNotFound when `data_dir` is not a node's data directory, storage::BackupDatabase's
// errors (a schema mismatch is storage::IsSchemaMismatch). On an error after `to` was
// created, what was copied into it is removed.
// `progress` as storage::BackupDatabase's.
absl::StatusOr<storage::BackupSummary> BackupDataDir(
    const std::string& data_dir, const std::string& to,
    const storage::BackupProgress& progress = nullptr);

struct RestoreOptions {
  std::string from;      // a directory written by BackupDataDir
  std::string data_dir;  // where the node will run
  // Replace the contents of a non-empty `data_dir` (refused while a node runs on it).
  bool force = false;
  uint64_t now_ms = 0;  // recorded in the restored mark
  storage::BackupProgress progress;  // optional, as storage::BackupDatabase's
};

// Copies the backup `from` into `data_dir` and marks it restored. Errors: kAlreadyExists when
// `data_dir` is not empty and `force` is false (nothing is touched); kFailedPrecondition when
// a node runs on `data_dir` (RocksDB's LOCK) or the backup's schema is not this binary's
// (storage::IsSchemaMismatch; checked before `data_dir` is touched); kNotFound when `from` is
// not a backup.
absl::StatusOr<storage::BackupSummary> RestoreDataDir(const RestoreOptions& options);

}  // namespace constellation::app
