#include "server/app/backup.h"

#include <sys/stat.h>

#include <filesystem>
#include <system_error>

#include <absl/strings/str_format.h>

#include "server/app/config.h"
#include "server/base/status_macros.h"
#include "server/storage/event_store.h"
#include "server/storage/rocks_store.h"

namespace constellation::app {
namespace {

namespace fs = std::filesystem;

constexpr char kKeyFileName[] = "org.key";
constexpr char kDbDirName[] = "db";

// Whether `dir` is missing or an empty directory.
absl::StatusOr<bool> MissingOrEmpty(const std::string& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) return true;
  if (!fs::is_directory(dir, ec)) return false;
  const bool empty = fs::is_empty(dir, ec);
  if (ec) return absl::UnavailableError(absl::StrFormat("cannot read %s: %s", dir, ec.message()));
  return empty;
}

absl::Status MakeDir(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return absl::UnavailableError(absl::StrFormat("cannot create %s: %s", dir, ec.message()));
  ::chmod(dir.c_str(), 0700);
  return absl::OkStatus();
}

// Copies org.key (mode 0600) and, when present, the config file from `from` to `to`.
absl::Status CopyNodeFiles(const std::string& from, const std::string& to) {
  std::error_code ec;
  const fs::path key_to = fs::path(to) / kKeyFileName;
  fs::copy_file(fs::path(from) / kKeyFileName, key_to, ec);
  if (ec) {
    return absl::UnavailableError(
        absl::StrFormat("cannot copy %s/%s: %s", from, kKeyFileName, ec.message()));
  }
  fs::permissions(key_to, fs::perms::owner_read | fs::perms::owner_write, ec);
  const fs::path config = fs::path(from) / kConfigFileName;
  if (fs::exists(config, ec)) {
    fs::copy_file(config, fs::path(to) / kConfigFileName, ec);
    if (ec) {
      return absl::UnavailableError(
          absl::StrFormat("cannot copy %s: %s", config.string(), ec.message()));
    }
  }
  return absl::OkStatus();
}

// Removes what CopyNodeFiles and BackupDatabase put into `dir` after a failure.
void RemoveNodeFiles(const std::string& dir) {
  std::error_code ec;
  fs::remove_all(fs::path(dir) / kDbDirName, ec);
  fs::remove(fs::path(dir) / kKeyFileName, ec);
  fs::remove(fs::path(dir) / kConfigFileName, ec);
}

absl::Status RequireNodeFiles(const std::string& dir, const std::string& what) {
  std::error_code ec;
  if (!fs::exists(fs::path(dir) / kKeyFileName, ec) ||
      !fs::exists(fs::path(dir) / kDbDirName / "CURRENT", ec)) {
    return absl::NotFoundError(
        absl::StrFormat("%s is not %s (it needs %s and %s/)", dir, what, kKeyFileName, kDbDirName));
  }
  return absl::OkStatus();
}

// Copies the node files and the database from `from` into `to` (empty or missing).
absl::StatusOr<storage::BackupSummary> CopyAll(const std::string& from, const std::string& to,
                                               const storage::BackupProgress& progress) {
  CONSTELLATION_RETURN_IF_ERROR(MakeDir(to));
  absl::StatusOr<storage::BackupSummary> summary = [&]() -> absl::StatusOr<storage::BackupSummary> {
    CONSTELLATION_RETURN_IF_ERROR(CopyNodeFiles(from, to));
    return storage::BackupDatabase(from + "/" + kDbDirName, to + "/" + kDbDirName, progress);
  }();
  if (!summary.ok()) RemoveNodeFiles(to);
  return summary;
}

}  // namespace

absl::StatusOr<storage::BackupSummary> BackupDataDir(const std::string& data_dir,
                                                     const std::string& to,
                                                     const storage::BackupProgress& progress) {
  CONSTELLATION_RETURN_IF_ERROR(RequireNodeFiles(data_dir, "a node's data directory"));
  CONSTELLATION_ASSIGN_OR_RETURN(bool empty, MissingOrEmpty(to));
  if (!empty) {
    return absl::AlreadyExistsError(absl::StrFormat(
        "the backup directory %s exists and is not empty; name a new or empty directory", to));
  }
  return CopyAll(data_dir, to, progress);
}

absl::StatusOr<storage::BackupSummary> RestoreDataDir(const RestoreOptions& options) {
  const std::string& dir = options.data_dir;
  CONSTELLATION_RETURN_IF_ERROR(RequireNodeFiles(options.from, "a backup directory"));
  // Before anything in `dir` is touched.
  CONSTELLATION_RETURN_IF_ERROR(
      storage::CheckDatabaseSchema(options.from + "/" + kDbDirName).status());
  CONSTELLATION_ASSIGN_OR_RETURN(bool empty, MissingOrEmpty(dir));
  if (!empty && !options.force) {
    return absl::AlreadyExistsError(absl::StrFormat(
        "the data directory %s is not empty; restore into a new or empty directory, or add "
        "--force to replace its contents (stop the node first)",
        dir));
  }
  if (!empty) {
    std::error_code ec;
    if (fs::exists(fs::path(dir) / kDbDirName / "CURRENT", ec)) {
      // Opening it takes RocksDB's LOCK: refused while a node runs on it.
      absl::StatusOr<std::unique_ptr<storage::RocksStore>> running =
          storage::RocksStore::Open(dir + "/" + kDbDirName, storage::RocksStoreOptions{});
      if (!running.ok() && absl::IsFailedPrecondition(running.status())) {
        return running.status();
      }
    }
    for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec)) {
      fs::remove_all(entry.path(), ec);
      if (ec) {
        return absl::UnavailableError(
            absl::StrFormat("cannot remove %s: %s", entry.path().string(), ec.message()));
      }
    }
  }
  CONSTELLATION_ASSIGN_OR_RETURN(storage::BackupSummary summary,
                                 CopyAll(options.from, dir, options.progress));
  CONSTELLATION_ASSIGN_OR_RETURN(
      std::unique_ptr<storage::RocksStore> store,
      storage::RocksStore::Open(dir + "/" + kDbDirName, storage::RocksStoreOptions{}));
  CONSTELLATION_RETURN_IF_ERROR(storage::MarkRestored(*store, options.now_ms));
  return summary;
}

}  // namespace constellation::app
