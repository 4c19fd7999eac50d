// tests/unit/rocks_store_test.cc
//
// RocksStore behaviour beyond the Store contract (store_contract_test.cc): persistence across
// reopen, exclusive opening of a directory, checkpoints.
#include "server/storage/rocks_store.h"

#include <filesystem>
#include <memory>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/testing/full_disk.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace constellation::storage {
namespace {

using ::constellation::testing::StatusIs;
using ::constellation::testing::TempDir;
using ::testing::HasSubstr;

WriteBatch OneOfEachColumn(std::string_view value) {
  WriteBatch batch;
  for (int i = 0; i < kColumnCount; ++i) batch.Put(static_cast<Column>(i), "key", value);
  return batch;
}

void ExpectOneOfEachColumn(const RocksStore& store, std::string_view value) {
  for (int i = 0; i < kColumnCount; ++i) {
    const Column column = static_cast<Column>(i);
    absl::StatusOr<std::string> got = store.Get(column, "key");
    ASSERT_OK(got) << ColumnName(column);
    EXPECT_EQ(*got, value) << ColumnName(column);
  }
}

TEST(RocksStoreTest, SyncedWritesSurviveCloseAndReopen) {
  TempDir temp_dir;
  const std::string dir = temp_dir.Sub("db");
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<RocksStore> store, RocksStore::Open(dir, {}));
    EXPECT_EQ(store->dir(), dir);
    ASSERT_OK(store->Write(OneOfEachColumn("v1"), WriteOptions{.sync = true}));
  }
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<RocksStore> store, RocksStore::Open(dir, {}));
    ExpectOneOfEachColumn(*store, "v1");
    WriteBatch batch;
    batch.Delete(Column::kMeta, "key");
    ASSERT_OK(store->Write(batch, WriteOptions{.sync = true}));
  }
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<RocksStore> store, RocksStore::Open(dir, {}));
  EXPECT_THAT(store->Get(Column::kMeta, "key"), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_OK(store->Get(Column::kEvents, "key"));
}

// A second open of a directory in use fails with kFailedPrecondition (not kUnavailable): the
// caller must stop the other holder first; retrying alone will not help.
TEST(RocksStoreTest, SecondOpenOfTheSameDirectoryFailsClearly) {
  TempDir temp_dir;
  const std::string dir = temp_dir.Sub("db");
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<RocksStore> store, RocksStore::Open(dir, {}));
  EXPECT_THAT(RocksStore::Open(dir, {}),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("another constellationd holds " + dir + "; stop it first")));
  // The failed open did not disturb the first one.
  ASSERT_OK(store->Write(OneOfEachColumn("v"), WriteOptions{}));
  ExpectOneOfEachColumn(*store, "v");
  // Once the holder is closed, the directory opens again.
  store.reset();
  EXPECT_OK(RocksStore::Open(dir, {}));
}

// Issue 11: on a full disk RocksDB's own file logger asserted (`sync_without_flush_called_`)
// on its next line after a failed write. A full disk must be a "disk full" status, repeatedly,
// and the store must open again once space returns, holding every synced write.
TEST(RocksStoreTest, DiskFullIsAStatusNotAnAbort) {
  TempDir temp_dir;
  const std::string dir = temp_dir.Sub("db");
  auto disk = std::make_shared<testing::FullDiskFileSystem>();
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<RocksStore> store,
                         RocksStore::Open(dir, {.file_system = disk}));
    ASSERT_OK(store->Write(OneOfEachColumn("v1"), WriteOptions{.sync = true}));
    disk->SetFull(true);
    for (int i = 0; i < 3; ++i) {
      const absl::Status failed = store->Write(OneOfEachColumn("v2"), WriteOptions{.sync = true});
      EXPECT_TRUE(IsDiskFull(failed)) << failed;
      EXPECT_THAT(failed, StatusIs(absl::StatusCode::kUnavailable, HasSubstr("disk full: ")));
    }
    ExpectOneOfEachColumn(*store, "v1");  // reads still work
  }
  EXPECT_THAT(RocksStore::Open(dir, {.file_system = disk}),
              StatusIs(absl::StatusCode::kUnavailable,
                       HasSubstr("disk full: cannot open database in " + dir +
                                 ": no space left on device")));
  disk->SetFull(false);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<RocksStore> store,
                       RocksStore::Open(dir, {.file_system = disk}));
  ExpectOneOfEachColumn(*store, "v1");
  ASSERT_OK(store->Write(OneOfEachColumn("v3"), WriteOptions{.sync = true}));
  ExpectOneOfEachColumn(*store, "v3");
}

// Other I/O errors are not "disk full".
TEST(RocksStoreTest, OnlyNoSpaceIsDiskFull) {
  EXPECT_TRUE(IsDiskFull(DiskFullError("x")));
  EXPECT_FALSE(IsDiskFull(absl::UnavailableError("rocksdb: IO error: x")));
  EXPECT_FALSE(IsDiskFull(absl::InternalError("disk full: x")));
}

TEST(RocksStoreTest, OpenErrorsNameTheDirectory) {
  TempDir temp_dir;
  const std::string dir = temp_dir.Sub("missing-parent/db");
  EXPECT_THAT(RocksStore::Open(dir, {}), StatusIs(absl::StatusCode::kUnavailable, HasSubstr(dir)));
  EXPECT_THAT(RocksStore::Open("", {}), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(RocksStoreTest, CheckpointIsAnOpenableCopy) {
  TempDir temp_dir;
  const std::string checkpoint_dir = temp_dir.Sub("checkpoint");
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<RocksStore> store, RocksStore::Open(temp_dir.Sub("db"), {}));
  // Unsynced on purpose: the checkpoint must still contain everything written before it.
  ASSERT_OK(store->Write(OneOfEachColumn("before"), WriteOptions{.sync = false}));
  ASSERT_OK(store->CreateCheckpoint(checkpoint_dir));
  ASSERT_OK(store->Write(OneOfEachColumn("after"), WriteOptions{}));

  // The copy opens while the original is still open, and holds the state at checkpoint time.
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<RocksStore> copy, RocksStore::Open(checkpoint_dir, {}));
  ExpectOneOfEachColumn(*copy, "before");
  ExpectOneOfEachColumn(*store, "after");

  EXPECT_THAT(store->CreateCheckpoint(checkpoint_dir),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr(checkpoint_dir)));
}

}  // namespace
}  // namespace constellation::storage
