// server/storage/rocks_store.cc
//
// The one place where rocksdb::Status becomes absl::Status (STYLE.md, "convert once per edge").
#include "server/storage/rocks_store.h"

#include <cstdarg>
#include <cstdio>
#include <filesystem>
#include <system_error>
#include <utility>
#include <vector>

#include <absl/status/status.h>
#include <absl/strings/match.h>
#include <absl/strings/str_format.h>
#include <absl/synchronization/mutex.h>
#include <absl/time/clock.h>
#include <absl/time/time.h>
#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/env.h>
#include <rocksdb/file_system.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/iterator.h>
#include <rocksdb/options.h>
#include <rocksdb/snapshot.h>
#include <rocksdb/status.h>
#include <rocksdb/table.h>
#include <rocksdb/transaction_log.h>
#include <rocksdb/utilities/checkpoint.h>
#include <rocksdb/write_batch.h>

#include "server/base/check.h"

namespace constellation::storage {
namespace {

// The code is chosen by what the caller should do (STYLE.md): I/O trouble and contention may
// pass, so retry (kUnavailable); corruption means restore from a backup (kDataLoss).
absl::Status FromRocks(const rocksdb::Status& status) {
  if (status.ok()) return absl::OkStatus();
  std::string message = absl::StrFormat("rocksdb: %s", status.ToString());
  // A full disk passes once space is freed; the node tells it from other I/O errors
  // (docs/RELIABILITY.md, "Disk full").
  if (status.IsNoSpace()) return DiskFullError(message);
  switch (status.code()) {
    case rocksdb::Status::kIOError:
    case rocksdb::Status::kBusy:
    case rocksdb::Status::kTimedOut:
    case rocksdb::Status::kTryAgain:
      return absl::UnavailableError(message);
    case rocksdb::Status::kCorruption:
      return absl::DataLossError(message);
    case rocksdb::Status::kNotFound:
      return absl::NotFoundError(message);
    case rocksdb::Status::kInvalidArgument:
      return absl::InvalidArgumentError(message);
    default:
      return absl::InternalError(message);
  }
}

// Converts a failed DB::Open into a status that names `dir` and says what to do.
absl::Status OpenError(const std::string& dir, const rocksdb::Status& rocks_status) {
  const absl::Status status = FromRocks(rocks_status);
  if (IsDiskFull(status)) {
    return DiskFullError(absl::StrFormat(
        "cannot open database in %s: no space left on device; free space on that disk, then "
        "start the node again (rocksdb: %s)",
        dir, rocks_status.ToString()));
  }
  // RocksDB reports a held LOCK file as an IOError whose message names ".../LOCK", both for
  // another process ("While lock file") and for this process ("lock hold by current
  // process"). Retrying will not help until that holder stops, hence kFailedPrecondition.
  if (rocks_status.IsIOError() && absl::StrContains(rocks_status.ToString(), "/LOCK")) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "another constellationd holds %s; stop it first (%s)", dir, status.message()));
  }
  std::string advice;
  switch (status.code()) {
    case absl::StatusCode::kDataLoss:
      advice = "the database is corrupt; restore it from a backup";
      break;
    case absl::StatusCode::kUnavailable:
      advice = "check that the parent directory exists, is writable and the disk has space";
      break;
    case absl::StatusCode::kInvalidArgument:
      advice = "check that it holds a database written by this version of constellationd";
      break;
    default:
      advice = "see the RocksDB LOG file in that directory";
      break;
  }
  return absl::Status(status.code(), absl::StrFormat("cannot open database in %s: %s (%s)", dir,
                                                     advice, status.message()));
}

// RocksDB's diagnostic LOG, written with stdio. Write errors are ignored: a line lost on a full
// disk is better than RocksDB's own file logger, which asserts when it writes again after a
// failed write (see rocks_store.h). Thread-safe: RocksDB logs from several threads.
class InfoLog final : public rocksdb::Logger {
 public:
  // Opens `path` for appending; without it (the disk may be full) lines are dropped.
  explicit InfoLog(const std::string& path) : file_(std::fopen(path.c_str(), "a")) {}
  ~InfoLog() override {
    if (file_ != nullptr) std::fclose(file_);
  }

  using rocksdb::Logger::Logv;
  void Logv(const char* format, va_list ap) override {
    if (file_ == nullptr) return;
    const std::string time = absl::FormatTime("%Y/%m/%d-%H:%M:%E6S ", absl::Now(),
                                              absl::UTCTimeZone());
    absl::MutexLock lock(&mu_);
    std::fputs(time.c_str(), file_);
    std::vfprintf(file_, format, ap);
    std::fputc('\n', file_);
    std::fflush(file_);
  }

 private:
  absl::Mutex mu_;
  std::FILE* const file_;
};

// The LOG in `dir` (created if missing; its parent must exist), appended to across runs. Once
// it exceeds kInfoLogSizeBytesMax at an open it becomes LOG.old (replacing the one before), so
// the two stay bounded.
constexpr uintmax_t kInfoLogSizeBytesMax = 16 * 1024 * 1024;
std::shared_ptr<rocksdb::Logger> NewInfoLog(const std::string& dir) {
  std::error_code error;
  std::filesystem::create_directory(dir, error);
  const std::string path = dir + "/LOG";
  const uintmax_t size = std::filesystem::file_size(path, error);
  if (!error && size > kInfoLogSizeBytesMax) {
    std::filesystem::rename(path, dir + "/LOG.old", error);
  }
  return std::make_shared<InfoLog>(path);
}

rocksdb::ColumnFamilyOptions MakeColumnFamilyOptions(const RocksStoreOptions& options) {
  rocksdb::BlockBasedTableOptions table_options;
  // One cache shared by all column families, so its size is a bound for the whole store.
  table_options.block_cache = rocksdb::NewLRUCache(options.block_cache_size_bytes);
  // Bloom filters make point lookups of absent keys (by_id dedupe, pending checks) skip SST
  // files. Whole-key filtering only: there is no prefix extractor (DESIGN §5).
  table_options.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  rocksdb::ColumnFamilyOptions column_options;
  column_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table_options));
  return column_options;
}

}  // namespace

absl::Status FromRocksStatus(const rocksdb::Status& status) { return FromRocks(status); }

absl::StatusOr<std::unique_ptr<RocksStore>> RocksStore::Open(const std::string& dir,
                                                             RocksStoreOptions options) {
  if (dir.empty()) {
    return absl::InvalidArgumentError("database directory is empty; set a data directory");
  }
  rocksdb::DBOptions db_options;
  db_options.create_if_missing = true;
  // A new version may add a Column: create its family in an existing database.
  db_options.create_missing_column_families = true;
  db_options.info_log = NewInfoLog(dir);
  std::unique_ptr<rocksdb::Env> env;
  if (options.file_system != nullptr) {
    env = rocksdb::NewCompositeEnv(options.file_system);
    db_options.env = env.get();
  }

  // RocksDB requires every existing family to be opened, "default" included.
  const rocksdb::ColumnFamilyOptions column_options = MakeColumnFamilyOptions(options);
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  descriptors.emplace_back(rocksdb::kDefaultColumnFamilyName, column_options);
  for (int i = 0; i < kColumnCount; ++i) {
    descriptors.emplace_back(std::string(ColumnName(static_cast<Column>(i))), column_options);
  }

  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  const rocksdb::Status status = rocksdb::DB::Open(db_options, dir, descriptors, &handles, &db);
  if (!status.ok()) {
    return OpenError(dir, status);
  }
  CONSTELLATION_CHECK(handles.size() == descriptors.size());
  std::array<rocksdb::ColumnFamilyHandle*, kColumnCount> columns;
  for (int i = 0; i < kColumnCount; ++i) {
    columns[i] = handles[i + 1];  // handles[0] is "default"
  }
  return std::unique_ptr<RocksStore>(
      new RocksStore(dir, std::move(env), db, columns, handles[0]));
}

RocksStore::RocksStore(std::string dir, std::unique_ptr<rocksdb::Env> env, rocksdb::DB* db,
                       std::array<rocksdb::ColumnFamilyHandle*, kColumnCount> columns,
                       rocksdb::ColumnFamilyHandle* default_column)
    : dir_(std::move(dir)),
      env_(std::move(env)),
      db_(db),
      columns_(columns),
      default_column_(default_column) {}

RocksStore::~RocksStore() {
  // RocksDB requires the handles to be released before the DB is deleted.
  for (rocksdb::ColumnFamilyHandle* handle : columns_) {
    db_->DestroyColumnFamilyHandle(handle).PermitUncheckedError();
  }
  db_->DestroyColumnFamilyHandle(default_column_).PermitUncheckedError();
  // Close reports errors that `delete` would swallow, but a destructor cannot return them,
  // and the next Open recovers from the WAL anyway.
  db_->Close().PermitUncheckedError();
  delete db_;
}

rocksdb::ColumnFamilyHandle* RocksStore::Handle(Column column) const {
  const int index = static_cast<int>(column);
  CONSTELLATION_CHECK(index >= 0 && index < kColumnCount);
  return columns_[index];
}

absl::Status RocksStore::Write(const WriteBatch& batch, WriteOptions options) {
  rocksdb::WriteBatch rocks_batch;
  for (const WriteBatch::Op& op : batch.ops()) {
    rocksdb::Status status;
    switch (op.kind) {
      case WriteBatch::OpKind::kPut:
        status = rocks_batch.Put(Handle(op.column), op.key, op.value);
        break;
      case WriteBatch::OpKind::kDelete:
        status = rocks_batch.Delete(Handle(op.column), op.key);
        break;
    }
    if (!status.ok()) return FromRocks(status);
  }
  rocksdb::WriteOptions write_options;
  write_options.sync = options.sync;
  return FromRocks(db_->Write(write_options, &rocks_batch));
}

absl::StatusOr<std::string> RocksStore::Get(Column column, std::string_view key) const {
  std::string value;
  const rocksdb::Status status = db_->Get(rocksdb::ReadOptions(), Handle(column), key, &value);
  if (status.IsNotFound()) {
    return KeyNotFoundError(column, key);
  }
  if (!status.ok()) {
    return FromRocks(status);
  }
  return value;
}

absl::StatusOr<Store::SizeBytes> RocksStore::Size() const {
  SizeBytes size;
  auto add_sst = [&](rocksdb::ColumnFamilyHandle* handle) {
    uint64_t bytes = 0;
    if (db_->GetIntProperty(handle, rocksdb::DB::Properties::kLiveSstFilesSize, &bytes)) {
      size.sst_bytes += bytes;
    }
  };
  for (rocksdb::ColumnFamilyHandle* handle : columns_) add_sst(handle);
  add_sst(default_column_);
  rocksdb::VectorLogPtr wal_files;
  if (const rocksdb::Status status = db_->GetSortedWalFiles(wal_files); !status.ok()) {
    return FromRocks(status);
  }
  for (const std::unique_ptr<rocksdb::LogFile>& file : wal_files) {
    size.wal_bytes += file->SizeFileBytes();
  }
  return size;
}

absl::Status RocksStore::Scan(Column column, std::string_view begin, std::string_view end,
                              const ScanFn& fn) const {
  // An explicit snapshot documents (and guarantees) that the whole scan reads one point in
  // time, even while `fn` writes to this store. Declared before the iterator, so the iterator
  // is destroyed first.
  rocksdb::ManagedSnapshot snapshot(db_);
  rocksdb::ReadOptions read_options;
  read_options.snapshot = snapshot.snapshot();
  const rocksdb::Slice upper_bound(end);  // must outlive the iterator
  if (!end.empty()) {
    read_options.iterate_upper_bound = &upper_bound;
  }
  const std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read_options, Handle(column)));
  for (it->Seek(begin); it->Valid(); it->Next()) {
    if (!fn(it->key().ToStringView(), it->value().ToStringView())) break;
  }
  return FromRocks(it->status());
}

absl::Status RocksStore::CreateCheckpoint(const std::string& dir) {
  std::error_code error;
  if (std::filesystem::exists(dir, error)) {
    return absl::AlreadyExistsError(
        absl::StrFormat("checkpoint directory %s already exists; choose a new path", dir));
  }
  rocksdb::Checkpoint* raw_checkpoint = nullptr;
  rocksdb::Status status = rocksdb::Checkpoint::Create(db_, &raw_checkpoint);
  const std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw_checkpoint);
  if (status.ok()) {
    status = checkpoint->CreateCheckpoint(dir);
  }
  if (!status.ok()) {
    const absl::Status converted = FromRocks(status);
    return absl::Status(converted.code(), absl::StrFormat("cannot create checkpoint in %s: %s", dir,
                                                          converted.message()));
  }
  return absl::OkStatus();
}

}  // namespace constellation::storage
