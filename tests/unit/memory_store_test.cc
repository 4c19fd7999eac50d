// tests/unit/memory_store_test.cc
//
// MemoryStore's crash model (memory_store.h); the Store contract itself is covered by
// store_contract_test.cc.
#include "server/storage/memory_store.h"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/testing/status_matchers.h"

namespace constellation::storage {
namespace {

using ::constellation::testing::StatusIs;

absl::Status Put(MemoryStore& store, std::string_view key, std::string_view value, bool sync) {
  WriteBatch batch;
  batch.Put(Column::kEvents, key, value);
  return store.Write(batch, WriteOptions{.sync = sync});
}

std::string GetOr(const MemoryStore& store, std::string_view key, std::string missing) {
  absl::StatusOr<std::string> value = store.Get(Column::kEvents, key);
  return value.ok() ? *value : missing;
}

TEST(MemoryStoreTest, CrashDropsUnsyncedWritesAndKeepsSyncedOnes) {
  MemoryStore store;
  ASSERT_OK(Put(store, "synced", "1", /*sync=*/true));
  ASSERT_OK(Put(store, "unsynced", "2", /*sync=*/false));
  ASSERT_OK(Put(store, "synced", "overwritten", /*sync=*/false));
  WriteBatch delete_batch;
  delete_batch.Delete(Column::kEvents, "synced");
  ASSERT_OK(store.Write(delete_batch, WriteOptions{.sync = false}));
  // Before the crash every write is visible.
  EXPECT_THAT(store.Get(Column::kEvents, "synced"), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_EQ(GetOr(store, "unsynced", "missing"), "2");

  store.CrashAndLoseUnsyncedWrites();

  EXPECT_EQ(GetOr(store, "synced", "missing"), "1");
  EXPECT_THAT(store.Get(Column::kEvents, "unsynced"), StatusIs(absl::StatusCode::kNotFound));
}

TEST(MemoryStoreTest, SyncedWriteMakesEarlierUnsyncedWritesDurable) {
  MemoryStore store;
  ASSERT_OK(Put(store, "a", "1", /*sync=*/false));
  ASSERT_OK(Put(store, "a", "2", /*sync=*/false));
  ASSERT_OK(Put(store, "b", "1", /*sync=*/true));
  ASSERT_OK(Put(store, "c", "1", /*sync=*/false));

  store.CrashAndLoseUnsyncedWrites();

  EXPECT_EQ(GetOr(store, "a", "missing"), "2");
  EXPECT_EQ(GetOr(store, "b", "missing"), "1");
  EXPECT_EQ(GetOr(store, "c", "missing"), "missing");
}

TEST(MemoryStoreTest, StoreKeepsWorkingAfterCrashes) {
  MemoryStore store;
  store.CrashAndLoseUnsyncedWrites();  // a crash with nothing written is a no-op
  ASSERT_OK(Put(store, "a", "1", /*sync=*/false));
  store.CrashAndLoseUnsyncedWrites();
  EXPECT_EQ(GetOr(store, "a", "missing"), "missing");
  ASSERT_OK(Put(store, "a", "2", /*sync=*/true));
  store.CrashAndLoseUnsyncedWrites();
  store.CrashAndLoseUnsyncedWrites();
  EXPECT_EQ(GetOr(store, "a", "missing"), "2");
}

TEST(MemoryStoreTest, CrashRevertsEveryColumn) {
  MemoryStore store;
  WriteBatch batch;
  for (int i = 0; i < kColumnCount; ++i) batch.Put(static_cast<Column>(i), "k", "v");
  ASSERT_OK(store.Write(batch, WriteOptions{.sync = false}));
  store.CrashAndLoseUnsyncedWrites();
  for (int i = 0; i < kColumnCount; ++i) {
    EXPECT_THAT(store.Get(static_cast<Column>(i), "k"), StatusIs(absl::StatusCode::kNotFound));
  }
}

}  // namespace
}  // namespace constellation::storage
