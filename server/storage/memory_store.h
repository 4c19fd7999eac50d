// server/storage/memory_store.h
//
// MemoryStore: the in-memory implementation of the storage port (store.h), for unit tests and
// the deterministic simulator (DESIGN §5). One std::map per Column, so keys compare bytewise
// as unsigned bytes, like RocksDB's default comparator.
//
// Crash model. Besides the visible state, the store keeps a "durable image": the state as of
// the last Write with `sync = true`. Such a Write makes everything written so far durable (the
// batch itself and all earlier unsynced batches), like an fsync of RocksDB's WAL.
// CrashAndLoseUnsyncedWrites() reverts the visible state to the durable image, i.e. it loses
// every batch written with `sync = false` since the last synced Write. This is the worst case
// a real crash allows; batches are atomic either way (never half applied).
//
// Invariants: durable_ + unsynced_batches_ (applied in order) == visible_.
// Thread safety: all methods are safe to call concurrently. Scan copies the requested range
// under the lock and calls `fn` after releasing it, so `fn` may call Get or Write on this
// store; the copy is the scan's consistent snapshot (its cost is linear in the range size).
#pragma once

#include <array>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <absl/base/thread_annotations.h>
#include <absl/status/status.h>
#include <absl/status/statusor.h>
#include <absl/synchronization/mutex.h>

#include "server/storage/store.h"

namespace constellation::storage {

class MemoryStore final : public Store {
 public:
  MemoryStore() = default;
  MemoryStore(const MemoryStore&) = delete;
  MemoryStore& operator=(const MemoryStore&) = delete;

  // Store. Never fails with an I/O error: Write and Scan always return OK.
  absl::Status Write(const WriteBatch& batch, WriteOptions options) override;
  absl::StatusOr<std::string> Get(Column column, std::string_view key) const override;
  absl::Status Scan(Column column, std::string_view begin, std::string_view end,
                    const ScanFn& fn) const override;
  absl::StatusOr<SizeBytes> Size() const override;

  // Simulates a process crash and restart: the visible state becomes the durable image (see
  // the header comment); writes made with `sync = false` since the last synced Write are lost.
  void CrashAndLoseUnsyncedWrites();

 private:
  // std::less<> allows lookups by std::string_view without building a std::string.
  using Table = std::map<std::string, std::string, std::less<>>;
  using Tables = std::array<Table, kColumnCount>;

  static void Apply(const WriteBatch& batch, Tables* tables);

  mutable absl::Mutex mu_;
  Tables visible_ ABSL_GUARDED_BY(mu_);
  Tables durable_ ABSL_GUARDED_BY(mu_);
  // Batches written with sync = false since the last synced Write, oldest first.
  std::vector<WriteBatch> unsynced_batches_ ABSL_GUARDED_BY(mu_);
};

}  // namespace constellation::storage
