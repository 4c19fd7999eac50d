// server/storage/store.h
//
// The storage port (DESIGN §5): an ordered key-value store split into column families, with
// atomic multi-key batches. Two implementations: RocksStore (RocksDB, one column family per
// Column) and MemoryStore (tests and the deterministic simulator). Both must pass the same
// contract suite (tests/unit/store_contract_test.cc).
//
// Keys compare bytewise (unsigned), as RocksDB's default comparator does. Integers inside keys
// are big-endian (see key_codec.h) so that byte order is numeric order.
//
// Durability: Write(batch, {.sync = true}) returns only after the batch is on stable storage.
// A batch is atomic: after a crash either all of it is visible or none of it.
// Thread safety: all methods are safe to call concurrently.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <absl/status/status.h>
#include <absl/status/statusor.h>

namespace constellation::storage {

// Data classes (DESIGN §5). Derived families (`order`, `state`, `history`, `checkpoints`) can
// be rebuilt from `events`.
enum class Column : int {
  kEvents = 0,   // group | author | seq_be  -> SignedEvent bytes
  kById,         // event id                 -> group | author | seq_be
  kFrontier,     // group | author           -> seq_be | head id
  kPending,      // group | event id         -> SignedEvent bytes (deps missing)
  kForks,        // group | author | seq_be  -> ForkProof bytes
  kOrder,        // group | depth_be | id    -> author | seq_be (canonical order)
  kState,        // group                    -> derived state
  kHistory,      // secondary indexes for history queries
  kCheckpoints,  // group | position_be      -> fold checkpoint
  kMeta,         // node metadata: tokens, schema version, ...
};
inline constexpr int kColumnCount = 10;

// The RocksDB column-family name of a column ("events", "by_id", ...).
std::string_view ColumnName(Column column);

// An ordered list of puts and deletes applied atomically by Store::Write.
class WriteBatch {
 public:
  enum class OpKind { kPut, kDelete };
  struct Op {
    OpKind kind;
    Column column;
    std::string key;
    std::string value;  // empty for deletes
  };

  void Put(Column column, std::string_view key, std::string_view value);
  void Delete(Column column, std::string_view key);

  const std::vector<Op>& ops() const { return ops_; }
  size_t size() const { return ops_.size(); }
  bool empty() const { return ops_.empty(); }
  size_t ByteSize() const { return byte_size_; }
  void Clear();

 private:
  std::vector<Op> ops_;
  size_t byte_size_ = 0;
};

struct WriteOptions {
  // When true, Write returns only after the batch is durable (fsync of the WAL).
  bool sync = true;
};

// Called for each entry in key order; return false to stop the scan early.
using ScanFn = std::function<bool(std::string_view key, std::string_view value)>;

class Store {
 public:
  virtual ~Store() = default;

  // Applies every op of `batch` atomically, in order (a later op on the same key wins).
  // kUnavailable / kInternal on I/O errors (nothing of the batch is visible then); a full disk
  // is kUnavailable with the "disk full: " prefix (IsDiskFull).
  virtual absl::Status Write(const WriteBatch& batch, WriteOptions options) = 0;

  // The value at `key`, or kNotFound.
  virtual absl::StatusOr<std::string> Get(Column column, std::string_view key) const = 0;

  // Calls `fn` for each entry with begin <= key < end, in ascending key order. An empty `end`
  // means no upper bound. The scan sees one consistent snapshot of the store.
  virtual absl::Status Scan(Column column, std::string_view begin, std::string_view end,
                            const ScanFn& fn) const = 0;

  // The space the store takes (docs/OPERATIONS.md, Monitoring): for RocksStore the live SST
  // files of every column family and the write-ahead log files, in bytes; for MemoryStore the
  // keys and values it holds (wal_bytes 0). kUnavailable on I/O errors.
  struct SizeBytes {
    uint64_t sst_bytes = 0;
    uint64_t wal_bytes = 0;
  };
  virtual absl::StatusOr<SizeBytes> Size() const = 0;

  // Calls `fn` for each entry whose key starts with `prefix`, in ascending key order.
  absl::Status ScanPrefix(Column column, std::string_view prefix, const ScanFn& fn) const;
};

// The kNotFound status both stores return from Get for a missing key; the message names the
// column and the key (C-escaped), so that both implementations report it identically.
absl::Status KeyNotFoundError(Column column, std::string_view key);

// Disk full (docs/RELIABILITY.md, "Disk full"): a store that could not write because the disk
// holding it has no space left reports kUnavailable with a message that starts with
// "disk full: ", so that callers can tell it from other I/O errors (which may not pass by
// themselves) without knowing the store's implementation.
absl::Status DiskFullError(std::string_view detail);
bool IsDiskFull(const absl::Status& status);

// The smallest key greater than every key that starts with `prefix` ("" if none exists, i.e.
// the prefix is all 0xff bytes): the exclusive upper bound of a prefix scan.
std::string PrefixUpperBound(std::string_view prefix);

}  // namespace constellation::storage
