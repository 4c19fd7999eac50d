// tests/unit/backup_test.cc
//
// Online backup (server/storage/backup.h) and the schema and restored marks
// (server/storage/event_store.h), against real RocksDB stores in temporary directories. The
// backup runs while another thread keeps writing synced batches to the source, as a running
// node does: the copy must hold every batch acknowledged before the backup started, and never
// half of a batch.
#include "server/storage/backup.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <absl/strings/str_cat.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "server/storage/event_store.h"
#include "server/storage/key_codec.h"
#include "server/storage/rocks_store.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace constellation::storage {
namespace {

using ::constellation::testing::StatusIs;
using ::constellation::testing::TempDir;
using ::testing::HasSubstr;

// An events key of batch `i`: a 32-byte group (two groups, by parity) and the index.
std::string EventKey(uint64_t i) {
  std::string key(32, static_cast<char>('a' + i % 2));
  AppendU64(&key, i);
  return key;
}

std::unique_ptr<RocksStore> OpenWithSchema(const std::string& dir) {
  absl::StatusOr<std::unique_ptr<RocksStore>> store = RocksStore::Open(dir, RocksStoreOptions{});
  EXPECT_TRUE(store.ok()) << store.status();
  EXPECT_TRUE(InitSchema(**store).ok());
  return *std::move(store);
}

void WriteSchema(Store& store, uint32_t version) {
  WriteBatch batch;
  std::string value;
  AppendU32(&value, version);
  batch.Put(Column::kMeta, "schema_version", value);
  ASSERT_TRUE(store.Write(batch, WriteOptions{.sync = true}).ok());
}

TEST(BackupTest, CopiesAConsistentCutWhileWritesContinue) {
  TempDir temp;
  std::unique_ptr<RocksStore> source = OpenWithSchema(temp.Sub("source"));
  // Each batch writes the same key to events and order, and the batch count to meta: a copy
  // with half a batch would show an events key without its order key, or a count that does
  // not match the keys.
  std::atomic<uint64_t> acknowledged{0};
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    for (uint64_t i = 0; !stop.load(); ++i) {
      WriteBatch batch;
      batch.Put(Column::kEvents, EventKey(i), "event");
      batch.Put(Column::kOrder, EventKey(i), "order");
      std::string count;
      AppendU64(&count, i + 1);
      batch.Put(Column::kMeta, "count", count);
      ASSERT_TRUE(source->Write(batch, WriteOptions{.sync = true}).ok());
      acknowledged.store(i + 1);
    }
  });
  while (acknowledged.load() < 50) std::this_thread::yield();
  const uint64_t acknowledged_before = acknowledged.load();
  absl::StatusOr<BackupSummary> summary = BackupDatabase(temp.Sub("source"), temp.Sub("backup"));
  // The writer goes on during the backup; it stops only after it.
  while (acknowledged.load() < acknowledged_before + 10) std::this_thread::yield();
  stop.store(true);
  writer.join();
  ASSERT_TRUE(summary.ok()) << summary.status();

  std::unique_ptr<RocksStore> backup = OpenWithSchema(temp.Sub("backup"));
  absl::StatusOr<std::string> count_value = backup->Get(Column::kMeta, "count");
  ASSERT_TRUE(count_value.ok()) << count_value.status();
  std::string_view in = *count_value;
  const uint64_t count = *ReadU64(&in);
  EXPECT_GE(count, acknowledged_before);
  uint64_t events = 0, orders = 0;
  ASSERT_TRUE(backup->Scan(Column::kEvents, "", "", [&](std::string_view, std::string_view) {
    ++events;
    return true;
  }).ok());
  ASSERT_TRUE(backup->Scan(Column::kOrder, "", "", [&](std::string_view, std::string_view) {
    ++orders;
    return true;
  }).ok());
  EXPECT_EQ(events, count);
  EXPECT_EQ(orders, count);
  for (uint64_t i = 0; i < count; ++i) {
    EXPECT_TRUE(backup->Get(Column::kEvents, EventKey(i)).ok()) << i;
    EXPECT_TRUE(backup->Get(Column::kOrder, EventKey(i)).ok()) << i;
  }
  EXPECT_EQ(summary->events, count);
  EXPECT_EQ(summary->groups, 2u);
  EXPECT_EQ(summary->schema_version, kSchemaVersion);
  EXPECT_EQ(summary->entries, 2 * count + 2);  // events, order, meta count and schema
}

// The progress callback (an operator's progress line) sees the counts grow batch by batch, and
// never more than the copy's summary.
TEST(BackupTest, ReportsProgressAfterEveryBatch) {
  TempDir temp;
  std::unique_ptr<RocksStore> source = OpenWithSchema(temp.Sub("source"));
  // About 3 MiB of events: three or more copy batches of 1 MiB.
  const std::string value(4096, 'e');
  for (uint64_t i = 0; i < 800; ++i) {
    WriteBatch batch;
    batch.Put(Column::kEvents, EventKey(i), value);
    ASSERT_TRUE(source->Write(batch, WriteOptions{.sync = false}).ok());
  }
  source.reset();
  std::vector<BackupSummary> reports;
  absl::StatusOr<BackupSummary> summary =
      BackupDatabase(temp.Sub("source"), temp.Sub("backup"),
                     [&reports](const BackupSummary& so_far) { reports.push_back(so_far); });
  ASSERT_TRUE(summary.ok()) << summary.status();
  ASSERT_GE(reports.size(), 2u);
  for (size_t i = 1; i < reports.size(); ++i) {
    EXPECT_GT(reports[i].entries, reports[i - 1].entries);
    EXPECT_GT(reports[i].bytes, reports[i - 1].bytes);
  }
  EXPECT_LE(reports.back().entries, summary->entries);
  EXPECT_EQ(summary->events, 800u);
}

TEST(BackupTest, RefusesATargetThatHoldsADatabase) {
  TempDir temp;
  std::unique_ptr<RocksStore> source = OpenWithSchema(temp.Sub("source"));
  OpenWithSchema(temp.Sub("backup"));
  EXPECT_THAT(BackupDatabase(temp.Sub("source"), temp.Sub("backup")),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("already holds")));
  EXPECT_THAT(BackupDatabase(temp.Sub("missing"), temp.Sub("other")),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("holds no database")));
}

TEST(SchemaTest, OnlyTheExactVersionOpens) {
  TempDir temp;
  for (const uint32_t version : {kSchemaVersion - 1, kSchemaVersion + 1}) {
    const std::string dir = temp.Sub(absl::StrCat("v", version));
    {
      absl::StatusOr<std::unique_ptr<RocksStore>> store = RocksStore::Open(dir, {});
      ASSERT_TRUE(store.ok());
      WriteSchema(**store, version);
      const absl::Status refused = InitSchema(**store);
      EXPECT_TRUE(IsSchemaMismatch(refused)) << refused;
      EXPECT_THAT(refused, StatusIs(absl::StatusCode::kFailedPrecondition,
                                    HasSubstr(absl::StrCat("schema ", version))));
      EXPECT_THAT(refused, StatusIs(absl::StatusCode::kFailedPrecondition,
                                    HasSubstr(absl::StrCat("schema ", kSchemaVersion, " only"))));
    }
    // A backup of it is refused too, and so is reading its version for a restore.
    EXPECT_TRUE(IsSchemaMismatch(BackupDatabase(dir, dir + "-backup").status()));
    EXPECT_TRUE(IsSchemaMismatch(CheckDatabaseSchema(dir).status()));
  }
  std::unique_ptr<RocksStore> current = OpenWithSchema(temp.Sub("current"));
  EXPECT_TRUE(InitSchema(*current).ok());
  EXPECT_FALSE(IsSchemaMismatch(absl::FailedPreconditionError("another precondition")));
}

TEST(RestoredMarkTest, IsSetAndCleared) {
  TempDir temp;
  std::unique_ptr<RocksStore> store = OpenWithSchema(temp.Sub("db"));
  EXPECT_EQ(*RestoredMark(*store), std::nullopt);
  ASSERT_TRUE(MarkRestored(*store, 1234).ok());
  EXPECT_EQ(*RestoredMark(*store), std::optional<uint64_t>(1234));
  WriteBatch clear;
  StageClearRestored(&clear);
  ASSERT_TRUE(store->Write(clear, WriteOptions{.sync = true}).ok());
  EXPECT_EQ(*RestoredMark(*store), std::nullopt);
}

}  // namespace
}  // namespace constellation::storage
