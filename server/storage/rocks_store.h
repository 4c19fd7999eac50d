// server/storage/rocks_store.h
//
// RocksStore: the RocksDB implementation of the storage port (store.h, DESIGN §5). One column
// family per Column, named by ColumnName(), plus RocksDB's mandatory "default" family (unused).
// Keys use RocksDB's default bytewise comparator; there is no prefix extractor: scans are
// bounded with `iterate_upper_bound` instead, which is correct for every key layout.
//
// Errors: RocksDB statuses are converted to absl::Status in rocks_store.cc only (STYLE.md):
// IOError with subcode NoSpace -> kUnavailable "disk full: rocksdb: ..." (storage::IsDiskFull),
// other IOError/Busy/TimedOut/TryAgain -> kUnavailable, Corruption -> kDataLoss, NotFound ->
// kNotFound, InvalidArgument -> kInvalidArgument, anything else -> kInternal; messages start
// with "rocksdb: ".
//
// RocksDB's own diagnostic log is the LOG file in the database directory (the previous run's is
// LOG.old). It is written by a logger of ours that ignores write errors: RocksDB's file logger
// asserts (`sync_without_flush_called_`, an abort in Debian's build) when it logs again after a
// failed write, which is exactly what a full disk causes.
// Thread safety: all methods are safe to call concurrently (RocksDB's DB is thread-safe and
// the column family handles are immutable between Open and destruction).
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include <absl/status/status.h>
#include <absl/status/statusor.h>

#include "server/storage/store.h"

namespace rocksdb {
class ColumnFamilyHandle;
class DB;
class Env;
class FileSystem;
class Status;
}  // namespace rocksdb

namespace constellation::storage {

struct RocksStoreOptions {
  // Size of the LRU block cache shared by all column families. Modest by default: the node's
  // hot data (frontiers, recent events) is small, and the OS page cache holds the rest.
  size_t block_cache_size_bytes = 64 * 1024 * 1024;
  // The file system RocksDB writes through; null = the default (POSIX) one. A seam for fault
  // injection (like LevelDB's Env): tests pass a wrapper whose writes fail with NoSpace
  // (tests/testing/full_disk.h).
  std::shared_ptr<rocksdb::FileSystem> file_system;
};

class RocksStore final : public Store {
 public:
  // Opens the database in `dir`, creating the directory (its parent must exist), the database
  // and any missing column family. Errors:
  //   kFailedPrecondition: another process or RocksStore holds `dir` open (RocksDB's LOCK
  //     file); do not retry until it is stopped. The message names `dir`.
  //   kDataLoss: the database is corrupt; restore from a backup.
  //   kUnavailable: an I/O error (permissions, missing parent directory); a full disk is
  //     kUnavailable "disk full: cannot open database in <dir>: no space left on device ..."
  //     (IsDiskFull).
  //   kInvalidArgument: `dir` is empty, or the database has a column family this version does
  //     not know.
  static absl::StatusOr<std::unique_ptr<RocksStore>> Open(const std::string& dir,
                                                          RocksStoreOptions options);

  // Releases the column family handles and closes the database (waiting for background work).
  // Writes made with `sync = false` are in the WAL in the OS page cache: they survive the
  // process exiting but not a power loss.
  ~RocksStore() override;

  RocksStore(const RocksStore&) = delete;
  RocksStore& operator=(const RocksStore&) = delete;

  // Store.
  absl::Status Write(const WriteBatch& batch, WriteOptions options) override;
  absl::StatusOr<std::string> Get(Column column, std::string_view key) const override;
  absl::Status Scan(Column column, std::string_view begin, std::string_view end,
                    const ScanFn& fn) const override;
  // rocksdb.live-sst-files-size summed over the column families, and the sizes of the live WAL
  // files (DB::GetSortedWalFiles).
  absl::StatusOr<SizeBytes> Size() const override;

  // Writes an openable copy of the database into `dir` (RocksDB Checkpoint: hard links to the
  // SST files where possible, after flushing the memtables). `dir` must not exist; its parent
  // must. Safe to call while writes continue; the copy is one consistent point in time.
  // Errors: kAlreadyExists if `dir` exists; kUnavailable on I/O errors.
  absl::Status CreateCheckpoint(const std::string& dir);

  // The directory this store was opened in.
  const std::string& dir() const { return dir_; }

 private:
  RocksStore(std::string dir, std::unique_ptr<rocksdb::Env> env, rocksdb::DB* db,
             std::array<rocksdb::ColumnFamilyHandle*, kColumnCount> columns,
             rocksdb::ColumnFamilyHandle* default_column);

  rocksdb::ColumnFamilyHandle* Handle(Column column) const;

  const std::string dir_;
  const std::unique_ptr<rocksdb::Env> env_;  // null, or the Env over options.file_system
  rocksdb::DB* const db_;  // owned; deleted in the destructor after the handles
  const std::array<rocksdb::ColumnFamilyHandle*, kColumnCount> columns_;  // owned
  rocksdb::ColumnFamilyHandle* const default_column_;                     // owned
};

// The absl::Status of a RocksDB status, by the table at the top of this file (also used by
// backup.cc, the other code that talks to RocksDB directly).
absl::Status FromRocksStatus(const rocksdb::Status& status);

}  // namespace constellation::storage
