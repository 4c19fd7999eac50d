// server/storage/backup.cc: see backup.h for the mechanism and why its copy is consistent.
#include "server/storage/backup.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string_view>
#include <system_error>
#include <vector>

#include <absl/status/status.h>
#include <absl/strings/match.h>
#include <absl/strings/str_format.h>
#include <rocksdb/db.h>
#include <rocksdb/iterator.h>
#include <rocksdb/options.h>
#include <rocksdb/status.h>

#include "server/base/check.h"
#include "server/base/status_macros.h"
#include "server/storage/event_store.h"
#include "server/storage/key_codec.h"
#include "server/storage/rocks_store.h"

namespace constellation::storage {
namespace {

// A batch of the copy is written once it holds this many key and value bytes.
constexpr size_t kCopyBatchBytesMax = 1 << 20;
// Group ids are the first 32 bytes of an events key (event_store.h).
constexpr size_t kGroupIdBytes = 32;

// A scratch directory for the secondary instance's own LOG (it writes nothing else), removed
// with its contents when destroyed.
class ScratchDir {
 public:
  ScratchDir() {
    std::error_code ec;
    std::string pattern =
        (std::filesystem::temp_directory_path(ec) / "constellationd-backup-XXXXXX").string();
    if (!ec && ::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return path_; }  // empty if it could not be made

 private:
  std::string path_;
};

// A secondary instance of a database with our column families, closed when destroyed.
class Secondary {
 public:
  ~Secondary() {
    for (rocksdb::ColumnFamilyHandle* handle : handles_) {
      db_->DestroyColumnFamilyHandle(handle).PermitUncheckedError();
    }
    if (db_ != nullptr) db_->Close().PermitUncheckedError();
    delete db_;
  }

  absl::Status Open(const std::string& source_dir, const std::string& scratch_dir) {
    rocksdb::DBOptions options;
    // Required for a secondary (db.h): files the primary deletes stay readable.
    options.max_open_files = -1;
    std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
    descriptors.emplace_back(rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions());
    for (int i = 0; i < kColumnCount; ++i) {
      descriptors.emplace_back(std::string(ColumnName(static_cast<Column>(i))),
                               rocksdb::ColumnFamilyOptions());
    }
    rocksdb::Status status = rocksdb::DB::OpenAsSecondary(options, source_dir, scratch_dir,
                                                          descriptors, &handles_, &db_);
    if (!status.ok()) return FromRocksStatus(status);
    CONSTELLATION_CHECK(handles_.size() == descriptors.size());
    // Opening replayed the WAL up to the open; one catch-up takes what came meanwhile. The
    // view is frozen from here on: nothing else calls TryCatchUpWithPrimary.
    return FromRocksStatus(db_->TryCatchUpWithPrimary());
  }

  rocksdb::DB* db() const { return db_; }
  rocksdb::ColumnFamilyHandle* Handle(Column column) const {
    return handles_[static_cast<size_t>(column) + 1];  // [0] is "default"
  }

 private:
  rocksdb::DB* db_ = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
};

// fsyncs every WAL file (*.log) of the database in `dir` (step 2 in backup.h). A WAL file the
// primary deleted meanwhile was flushed into SST files first, which RocksDB syncs itself.
absl::Status SyncWalFiles(const std::string& dir) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() != ".log") continue;
    const int fd = ::open(entry.path().c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      if (errno == ENOENT) continue;
      return absl::UnavailableError(absl::StrFormat("cannot open %s to sync it: %s",
                                                    entry.path().string(), std::strerror(errno)));
    }
    const int synced = ::fsync(fd);
    const int error = errno;
    ::close(fd);
    if (synced != 0) {
      return absl::UnavailableError(
          absl::StrFormat("cannot sync %s: %s", entry.path().string(), std::strerror(error)));
    }
  }
  if (ec) {
    return absl::UnavailableError(absl::StrFormat("cannot list %s: %s", dir, ec.message()));
  }
  return absl::OkStatus();
}

// The schema version the database records, checked against this binary's.
absl::StatusOr<uint32_t> SchemaVersionOf(const Secondary& secondary, const std::string& dir) {
  std::string value;
  const rocksdb::Status got = secondary.db()->Get(
      rocksdb::ReadOptions(), secondary.Handle(Column::kMeta), "schema_version", &value);
  if (!got.ok()) {
    return absl::FailedPreconditionError(
        absl::StrFormat("%s records no schema version (%s); it is not a constellationd database",
                        dir, got.ToString()));
  }
  std::string_view in = value;
  CONSTELLATION_ASSIGN_OR_RETURN(uint32_t version, ReadU32(&in));
  CONSTELLATION_RETURN_IF_ERROR(CheckSchemaVersion(version, dir));
  return version;
}

// Opens `dir` as a secondary with its LOG in `scratch`.
absl::Status OpenSecondary(const std::string& dir, const ScratchDir& scratch,
                           Secondary* secondary) {
  std::error_code ec;
  if (!std::filesystem::exists(dir + "/CURRENT", ec)) {
    return absl::NotFoundError(absl::StrFormat(
        "%s holds no database; name the data directory of a node (the one with org.key)", dir));
  }
  if (scratch.path().empty()) {
    return absl::UnavailableError(
        "cannot create a scratch directory under the temporary directory ($TMPDIR)");
  }
  if (absl::Status opened = secondary->Open(dir, scratch.path()); !opened.ok()) {
    return absl::Status(opened.code(), absl::StrFormat("cannot read the database in %s: %s", dir,
                                                       opened.message()));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<uint32_t> CheckDatabaseSchema(const std::string& db_dir) {
  ScratchDir scratch;
  Secondary secondary;
  CONSTELLATION_RETURN_IF_ERROR(OpenSecondary(db_dir, scratch, &secondary));
  return SchemaVersionOf(secondary, db_dir);
}

absl::StatusOr<BackupSummary> BackupDatabase(const std::string& source_dir,
                                             const std::string& target_dir,
                                             const BackupProgress& progress) {
  std::error_code ec;
  if (std::filesystem::exists(target_dir + "/CURRENT", ec)) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "%s already holds a database; choose a new or empty directory", target_dir));
  }
  ScratchDir scratch;
  Secondary secondary;
  CONSTELLATION_RETURN_IF_ERROR(OpenSecondary(source_dir, scratch, &secondary));
  CONSTELLATION_RETURN_IF_ERROR(SyncWalFiles(source_dir));

  BackupSummary summary;
  CONSTELLATION_ASSIGN_OR_RETURN(summary.schema_version, SchemaVersionOf(secondary, source_dir));

  CONSTELLATION_ASSIGN_OR_RETURN(std::unique_ptr<RocksStore> target,
                                 RocksStore::Open(target_dir, RocksStoreOptions{}));
  WriteBatch batch;
  std::string last_group;
  for (int i = 0; i < kColumnCount; ++i) {
    const Column column = static_cast<Column>(i);
    const std::unique_ptr<rocksdb::Iterator> it(
        secondary.db()->NewIterator(rocksdb::ReadOptions(), secondary.Handle(column)));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      const std::string_view key = it->key().ToStringView();
      batch.Put(column, key, it->value().ToStringView());
      ++summary.entries;
      summary.bytes += key.size() + it->value().size();
      if (column == Column::kEvents) {
        ++summary.events;
        const std::string_view group = key.substr(0, kGroupIdBytes);
        if (group != last_group) {
          ++summary.groups;
          last_group = std::string(group);
        }
      }
      if (batch.ByteSize() >= kCopyBatchBytesMax) {
        CONSTELLATION_RETURN_IF_ERROR(target->Write(batch, WriteOptions{.sync = false}));
        batch.Clear();
        if (progress) progress(summary);
      }
    }
    CONSTELLATION_RETURN_IF_ERROR(FromRocksStatus(it->status()));
  }
  // The last write is synced: it makes the whole copy's WAL durable. It rewrites the schema
  // version (the same value), so that it is never empty.
  std::string version;
  AppendU32(&version, summary.schema_version);
  batch.Put(Column::kMeta, "schema_version", version);
  CONSTELLATION_RETURN_IF_ERROR(target->Write(batch, WriteOptions{.sync = true}));
  return summary;
}

}  // namespace constellation::storage
