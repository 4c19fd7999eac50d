// server/storage/backup.h
//
// Online backup of a RocksDB store (docs/OPERATIONS.md, "Backup and restore"): a second
// process copies the database that a running node holds open (and keeps writing) into a new
// database, without stopping or slowing the node's writes.
//
// Mechanism. RocksDB lets only one process open a database for writing (its LOCK file), and
// Checkpoint and BackupEngine need that writer's handle. A second process may open the same
// directory as a *secondary* instance (DB::OpenAsSecondary, RocksDB 7.8): it never writes into
// the primary's directory, replays the primary's MANIFEST and tails its WAL, and its view of
// the data changes only when it calls TryCatchUpWithPrimary. BackupDatabase
//   1. opens `source_dir` as a secondary (max_open_files = -1, so that SST files the primary
//      compacts away stay readable through the descriptors already open) and catches up once;
//   2. fsyncs every WAL file of `source_dir`, so that every WAL record the secondary read is
//      on stable storage (fsync flushes a file's dirty pages whichever descriptor asks);
//   3. copies every column family, entry by entry, from that one frozen view into a new
//      database in `target_dir` (a RocksStore), and ends with a synced write.
// Why the copy is a consistent cut of acknowledged data: the primary writes each of its
// WriteBatches as one WAL record, and the secondary replays only whole, checksummed records (a
// record the primary is still writing is not replayed), so the view holds a prefix of the
// primary's batches: never half of one. After step 2 that prefix is durable in `source_dir`:
// it is exactly the state the node would recover itself after a power cut at that moment,
// so nothing in the backup can later be lost by the node (a batch whose fsync was still
// running when step 1 read it may not have been acknowledged yet, but it can no longer be
// undone: the node will acknowledge it or, if it crashes first, recover it).
//
// Errors are absl::Status: kNotFound when `source_dir` holds no database, kFailedPrecondition
// for a database of another schema (event_store.h, IsSchemaMismatch) or a `target_dir` that
// already holds a database, kUnavailable / kDataLoss for I/O trouble and corruption.
// Thread safety: free functions; one call per target directory at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include <absl/status/statusor.h>

namespace constellation::storage {

struct BackupSummary {
  uint64_t entries = 0;  // key-value entries copied, all column families
  uint64_t bytes = 0;    // key and value bytes copied
  uint64_t events = 0;   // entries of the events column (signed events)
  uint64_t groups = 0;   // distinct groups among them
  uint32_t schema_version = 0;
};

// Copies the database in `source_dir` (open by a running node, or not) into a new database in
// `target_dir`, which must not hold a database yet (its parent must exist). The source must
// record this binary's schema version (event_store.h, CheckSchemaVersion).
// `progress` (optional) is called with the counts so far after every batch copied (about every
// few MiB), for an operator's progress line.
using BackupProgress = std::function<void(const BackupSummary& so_far)>;
absl::StatusOr<BackupSummary> BackupDatabase(const std::string& source_dir,
                                             const std::string& target_dir,
                                             const BackupProgress& progress = nullptr);

// The schema version the database in `db_dir` records (read through a secondary instance, so
// `db_dir` may be open by a node and is never written), when it is this binary's; else
// SchemaMismatchError (kFailedPrecondition), kNotFound when `db_dir` holds no database.
absl::StatusOr<uint32_t> CheckDatabaseSchema(const std::string& db_dir);

}  // namespace constellation::storage
