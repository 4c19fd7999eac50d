// server/storage/memory_store.cc
#include "server/storage/memory_store.h"

#include <utility>

#include "server/base/check.h"

namespace constellation::storage {
namespace {

size_t ColumnIndex(Column column) {
  const int index = static_cast<int>(column);
  CONSTELLATION_CHECK(index >= 0 && index < kColumnCount);
  return static_cast<size_t>(index);
}

}  // namespace

void MemoryStore::Apply(const WriteBatch& batch, Tables* tables) {
  for (const WriteBatch::Op& op : batch.ops()) {
    Table& table = (*tables)[ColumnIndex(op.column)];
    switch (op.kind) {
      case WriteBatch::OpKind::kPut:
        table.insert_or_assign(op.key, op.value);
        break;
      case WriteBatch::OpKind::kDelete:
        table.erase(op.key);
        break;
    }
  }
}

absl::Status MemoryStore::Write(const WriteBatch& batch, WriteOptions options) {
  absl::MutexLock lock(&mu_);
  // Applying under one lock hold makes the batch atomic for concurrent readers.
  Apply(batch, &visible_);
  if (options.sync) {
    // Everything written so far becomes durable, in the order it was written.
    for (const WriteBatch& unsynced : unsynced_batches_) {
      Apply(unsynced, &durable_);
    }
    unsynced_batches_.clear();
    Apply(batch, &durable_);
  } else {
    unsynced_batches_.push_back(batch);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> MemoryStore::Get(Column column, std::string_view key) const {
  absl::ReaderMutexLock lock(&mu_);
  const Table& table = visible_[ColumnIndex(column)];
  auto it = table.find(key);
  if (it == table.end()) {
    return KeyNotFoundError(column, key);
  }
  return it->second;
}

absl::StatusOr<Store::SizeBytes> MemoryStore::Size() const {
  absl::ReaderMutexLock lock(&mu_);
  SizeBytes size;
  for (const Table& table : visible_) {
    for (const auto& [key, value] : table) size.sst_bytes += key.size() + value.size();
  }
  return size;
}

absl::Status MemoryStore::Scan(Column column, std::string_view begin, std::string_view end,
                               const ScanFn& fn) const {
  // Copy the range under the lock, then call `fn` without it (see the header comment).
  std::vector<std::pair<std::string, std::string>> entries;
  {
    absl::ReaderMutexLock lock(&mu_);
    const Table& table = visible_[ColumnIndex(column)];
    for (auto it = table.lower_bound(begin); it != table.end(); ++it) {
      if (!end.empty() && it->first >= end) break;
      entries.emplace_back(it->first, it->second);
    }
  }
  for (const auto& [key, value] : entries) {
    if (!fn(key, value)) break;
  }
  return absl::OkStatus();
}

void MemoryStore::CrashAndLoseUnsyncedWrites() {
  absl::MutexLock lock(&mu_);
  visible_ = durable_;
  unsynced_batches_.clear();
}

}  // namespace constellation::storage
