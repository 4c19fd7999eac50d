// tests/unit/store_contract_test.cc
//
// The storage port's contract (store.h), one suite run against every implementation:
// MemoryStore and RocksStore (a fresh temporary directory per test). A new implementation
// joins by adding a factory to kStoreFactories.
#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <absl/status/statusor.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "server/storage/memory_store.h"
#include "server/storage/rocks_store.h"
#include "server/storage/store.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace constellation::storage {
namespace {

using ::constellation::testing::StatusIs;
using ::constellation::testing::TempDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;

using Entries = std::vector<std::pair<std::string, std::string>>;

struct StoreFactory {
  std::string name;
  // Makes an empty store; `dir` is a fresh directory the store may use.
  std::function<absl::StatusOr<std::unique_ptr<Store>>(const std::string& dir)> make;
};

const StoreFactory kStoreFactories[] = {
    {"Memory",
     [](const std::string&) -> absl::StatusOr<std::unique_ptr<Store>> {
       return std::make_unique<MemoryStore>();
     }},
    {"Rocks",
     [](const std::string& dir) -> absl::StatusOr<std::unique_ptr<Store>> {
       absl::StatusOr<std::unique_ptr<RocksStore>> store =
           RocksStore::Open(dir + "/db", RocksStoreOptions{});
       if (!store.ok()) return store.status();
       return std::unique_ptr<Store>(std::move(store).value());
     }},
};

class StoreContractTest : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override { ASSERT_OK_AND_ASSIGN(store_, GetParam().make(temp_dir_.path())); }

  absl::Status Put(Column column, std::string_view key, std::string_view value) {
    WriteBatch batch;
    batch.Put(column, key, value);
    return store_->Write(batch, WriteOptions{});
  }

  // All entries of `column` with begin <= key < end ("" end: unbounded).
  Entries ScanAll(Column column, std::string_view begin, std::string_view end) {
    Entries entries;
    EXPECT_OK(store_->Scan(column, begin, end, [&](std::string_view key, std::string_view value) {
      entries.emplace_back(key, value);
      return true;
    }));
    return entries;
  }

  Entries ScanPrefixAll(Column column, std::string_view prefix) {
    Entries entries;
    EXPECT_OK(store_->ScanPrefix(column, prefix, [&](std::string_view key, std::string_view value) {
      entries.emplace_back(key, value);
      return true;
    }));
    return entries;
  }

  TempDir temp_dir_;  // declared first: outlives store_
  std::unique_ptr<Store> store_;
};

TEST_P(StoreContractTest, PutThenGetReturnsTheValue) {
  ASSERT_OK(Put(Column::kEvents, "k", "v"));
  ASSERT_OK_AND_ASSIGN(std::string value, store_->Get(Column::kEvents, "k"));
  EXPECT_EQ(value, "v");
}

TEST_P(StoreContractTest, SizeGrowsWithWrites) {
  ASSERT_OK_AND_ASSIGN(Store::SizeBytes before, store_->Size());
  ASSERT_OK(Put(Column::kEvents, "k", std::string(1000, 'v')));
  ASSERT_OK_AND_ASSIGN(Store::SizeBytes after, store_->Size());
  // RocksStore: in the WAL until a flush; MemoryStore: counted as held.
  EXPECT_GE(after.sst_bytes + after.wal_bytes, before.sst_bytes + before.wal_bytes + 1000);
}

TEST_P(StoreContractTest, PutOverwrites) {
  ASSERT_OK(Put(Column::kEvents, "k", "v1"));
  ASSERT_OK(Put(Column::kEvents, "k", "v2"));
  ASSERT_OK_AND_ASSIGN(std::string value, store_->Get(Column::kEvents, "k"));
  EXPECT_EQ(value, "v2");
}

TEST_P(StoreContractTest, GetOfMissingKeyIsNotFound) {
  EXPECT_THAT(store_->Get(Column::kMeta, "absent"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("meta")));
}

TEST_P(StoreContractTest, DeleteRemovesTheKey) {
  ASSERT_OK(Put(Column::kById, "k", "v"));
  WriteBatch batch;
  batch.Delete(Column::kById, "k");
  ASSERT_OK(store_->Write(batch, WriteOptions{}));
  EXPECT_THAT(store_->Get(Column::kById, "k"), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(ScanAll(Column::kById, "", ""), IsEmpty());
}

TEST_P(StoreContractTest, DeleteOfMissingKeyIsOk) {
  WriteBatch batch;
  batch.Delete(Column::kById, "never-written");
  EXPECT_OK(store_->Write(batch, WriteOptions{}));
}

TEST_P(StoreContractTest, EmptyValueIsStoredAndDistinctFromMissing) {
  ASSERT_OK(Put(Column::kOrder, "k", ""));
  ASSERT_OK_AND_ASSIGN(std::string value, store_->Get(Column::kOrder, "k"));
  EXPECT_EQ(value, "");
}

TEST_P(StoreContractTest, BatchAppliesAllOpsInOrder) {
  ASSERT_OK(Put(Column::kEvents, "gone", "old"));
  WriteBatch batch;
  batch.Put(Column::kEvents, "a", "1");
  batch.Put(Column::kEvents, "b", "first");
  batch.Put(Column::kEvents, "b", "second");  // a later op on the same key wins
  batch.Put(Column::kEvents, "c", "doomed");
  batch.Delete(Column::kEvents, "c");  // put then delete: absent
  batch.Delete(Column::kEvents, "d");
  batch.Put(Column::kEvents, "d", "revived");  // delete then put: present
  batch.Delete(Column::kEvents, "gone");
  batch.Put(Column::kFrontier, "f", "x");
  ASSERT_OK(store_->Write(batch, WriteOptions{}));
  EXPECT_THAT(ScanAll(Column::kEvents, "", ""),
              ElementsAre(Pair("a", "1"), Pair("b", "second"), Pair("d", "revived")));
  EXPECT_THAT(ScanAll(Column::kFrontier, "", ""), ElementsAre(Pair("f", "x")));
}

TEST_P(StoreContractTest, BatchIsAtomicForConcurrentScans) {
  // Every batch rewrites all keys with one generation number; a scan must never see a mix.
  constexpr int kKeyCount = 20;
  constexpr int kGenerationCount = 50;
  std::atomic<bool> done = false;
  std::thread writer([&] {
    for (int generation = 0; generation < kGenerationCount; ++generation) {
      WriteBatch batch;
      for (int i = 0; i < kKeyCount; ++i) {
        batch.Put(Column::kState, "key" + std::to_string(100 + i), std::to_string(generation));
      }
      EXPECT_OK(store_->Write(batch, WriteOptions{.sync = false}));
    }
    done = true;
  });
  int scan_count = 0;
  while (!done || scan_count == 0) {
    Entries entries = ScanAll(Column::kState, "", "");
    ++scan_count;
    if (entries.empty()) continue;
    ASSERT_EQ(entries.size(), static_cast<size_t>(kKeyCount));
    for (const auto& [key, value] : entries) {
      ASSERT_EQ(value, entries.front().second) << "scan saw a partly applied batch at " << key;
    }
  }
  writer.join();
}

TEST_P(StoreContractTest, EmptyBatchIsOk) {
  WriteBatch batch;
  EXPECT_TRUE(batch.empty());
  EXPECT_OK(store_->Write(batch, WriteOptions{.sync = true}));
  EXPECT_OK(store_->Write(batch, WriteOptions{.sync = false}));
  EXPECT_THAT(ScanAll(Column::kEvents, "", ""), IsEmpty());
}

TEST_P(StoreContractTest, ColumnsAreIsolated) {
  for (int i = 0; i < kColumnCount; ++i) {
    const Column column = static_cast<Column>(i);
    ASSERT_OK(Put(column, "same-key", std::string(ColumnName(column))));
  }
  for (int i = 0; i < kColumnCount; ++i) {
    const Column column = static_cast<Column>(i);
    ASSERT_OK_AND_ASSIGN(std::string value, store_->Get(column, "same-key"));
    EXPECT_EQ(value, ColumnName(column));
    EXPECT_THAT(ScanAll(column, "", ""), ElementsAre(Pair("same-key", ColumnName(column))));
  }
  WriteBatch batch;
  batch.Delete(Column::kEvents, "same-key");
  ASSERT_OK(store_->Write(batch, WriteOptions{}));
  EXPECT_THAT(store_->Get(Column::kEvents, "same-key"), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_OK(store_->Get(Column::kById, "same-key"));
}

TEST_P(StoreContractTest, KeysOrderBytewiseUnsigned) {
  using std::string_literals::operator""s;
  // Inserted out of order; 0x80 and 0xff must sort after 0x7f (unsigned), and a key sorts
  // before its extensions.
  const std::vector<std::string> keys = {"\xff"s,     "\x00"s, "a"s,        "\x80"s, "\x7f"s,
                                         "\xff\x00"s, "\x01"s, "\x00\x00"s, ""s,     "\xff\xff"s};
  for (const std::string& key : keys) {
    ASSERT_OK(Put(Column::kHistory, key, "v"));
  }
  std::vector<std::string> scanned;
  for (const auto& entry : ScanAll(Column::kHistory, "", "")) scanned.push_back(entry.first);
  EXPECT_THAT(scanned, ElementsAre(""s, "\x00"s, "\x00\x00"s, "\x01"s, "a"s, "\x7f"s, "\x80"s,
                                   "\xff"s, "\xff\x00"s, "\xff\xff"s));
  ASSERT_OK_AND_ASSIGN(std::string value, store_->Get(Column::kHistory, "\x00\x00"s));
  EXPECT_EQ(value, "v");
}

TEST_P(StoreContractTest, ScanIsHalfOpenAndEmptyEndIsUnbounded) {
  for (std::string key : {"a", "b", "c", "d", "e"}) {
    ASSERT_OK(Put(Column::kPending, key, "v" + key));
  }
  EXPECT_THAT(ScanAll(Column::kPending, "b", "d"), ElementsAre(Pair("b", "vb"), Pair("c", "vc")));
  EXPECT_THAT(ScanAll(Column::kPending, "bb", "dd"), ElementsAre(Pair("c", "vc"), Pair("d", "vd")));
  EXPECT_THAT(ScanAll(Column::kPending, "c", ""),
              ElementsAre(Pair("c", "vc"), Pair("d", "vd"), Pair("e", "ve")));
  EXPECT_THAT(ScanAll(Column::kPending, "", "b"), ElementsAre(Pair("a", "va")));
  EXPECT_THAT(ScanAll(Column::kPending, "c", "c"), IsEmpty());
  EXPECT_THAT(ScanAll(Column::kPending, "d", "b"), IsEmpty());  // begin > end
  EXPECT_THAT(ScanAll(Column::kPending, "f", ""), IsEmpty());
  EXPECT_THAT(ScanAll(Column::kForks, "", ""), IsEmpty());
}

TEST_P(StoreContractTest, ScanStopsWhenFnReturnsFalse) {
  for (std::string key : {"a", "b", "c", "d"}) {
    ASSERT_OK(Put(Column::kCheckpoints, key, "v"));
  }
  std::vector<std::string> seen;
  ASSERT_OK(store_->Scan(Column::kCheckpoints, "", "", [&](std::string_view key, std::string_view) {
    seen.emplace_back(key);
    return seen.size() < 2;
  }));
  EXPECT_THAT(seen, ElementsAre("a", "b"));
}

TEST_P(StoreContractTest, ScanPrefixVisitsExactlyThePrefix) {
  using std::string_literals::operator""s;
  for (const std::string& key :
       {"g1"s, "g1/a"s, "g1/b"s, "g10"s, "g1\xff"s, "g1\xff\xff"s, "g2"s, "g0\xff"s, "g"s}) {
    ASSERT_OK(Put(Column::kEvents, key, "v"));
  }
  std::vector<std::string> scanned;
  for (const auto& entry : ScanPrefixAll(Column::kEvents, "g1")) scanned.push_back(entry.first);
  EXPECT_THAT(scanned, ElementsAre("g1"s, "g1/a"s, "g1/b"s, "g10"s, "g1\xff"s, "g1\xff\xff"s));

  scanned.clear();
  for (const auto& entry : ScanPrefixAll(Column::kEvents, "g1/")) scanned.push_back(entry.first);
  EXPECT_THAT(scanned, ElementsAre("g1/a"s, "g1/b"s));

  EXPECT_THAT(ScanPrefixAll(Column::kEvents, "h"), IsEmpty());
  EXPECT_EQ(ScanPrefixAll(Column::kEvents, "").size(), 9u);
}

TEST_P(StoreContractTest, ScanPrefixOfAllFfBytesHasNoUpperBound) {
  using std::string_literals::operator""s;
  for (const std::string& key :
       {"\xfe\xff"s, "\xff"s, "\xff\xfe"s, "\xff\xff"s, "\xff\xff\x00"s, "\xff\xff\xff"s}) {
    ASSERT_OK(Put(Column::kMeta, key, "v"));
  }
  std::vector<std::string> scanned;
  for (const auto& entry : ScanPrefixAll(Column::kMeta, "\xff\xff"s)) {
    scanned.push_back(entry.first);
  }
  EXPECT_THAT(scanned, ElementsAre("\xff\xff"s, "\xff\xff\x00"s, "\xff\xff\xff"s));
}

TEST_P(StoreContractTest, ScanSeesOneSnapshotWhileFnWrites) {
  for (std::string key : {"a", "c", "e"}) {
    ASSERT_OK(Put(Column::kState, key, "old"));
  }
  Entries seen;
  ASSERT_OK(store_->Scan(Column::kState, "", "", [&](std::string_view key, std::string_view value) {
    seen.emplace_back(key, value);
    if (key == "a") {
      // Writes ahead of the cursor: a new key, an overwrite and a delete.
      WriteBatch batch;
      batch.Put(Column::kState, "b", "new");
      batch.Put(Column::kState, "c", "new");
      batch.Delete(Column::kState, "e");
      EXPECT_OK(store_->Write(batch, WriteOptions{.sync = false}));
      // The callback may read the store it is scanning (no deadlock) and sees the write.
      absl::StatusOr<std::string> c = store_->Get(Column::kState, "c");
      EXPECT_OK(c);
      EXPECT_EQ(c.value_or(""), "new");
    }
    return true;
  }));
  EXPECT_THAT(seen, ElementsAre(Pair("a", "old"), Pair("c", "old"), Pair("e", "old")));
  EXPECT_THAT(ScanAll(Column::kState, "", ""),
              ElementsAre(Pair("a", "old"), Pair("b", "new"), Pair("c", "new")));
}

TEST_P(StoreContractTest, LargeValuesRoundTrip) {
  constexpr size_t kValueSizeBytes = 1024 * 1024;
  std::string large(kValueSizeBytes, '\0');
  for (size_t i = 0; i < large.size(); ++i) large[i] = static_cast<char>(i * 131 + 7);
  WriteBatch batch;
  batch.Put(Column::kEvents, "big1", large);
  batch.Put(Column::kEvents, "big2", large + "x");
  ASSERT_OK(store_->Write(batch, WriteOptions{}));
  ASSERT_OK_AND_ASSIGN(std::string value, store_->Get(Column::kEvents, "big1"));
  EXPECT_TRUE(value == large) << "1 MiB value differs after the round trip";
  Entries entries = ScanAll(Column::kEvents, "", "");
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[1].second.size(), kValueSizeBytes + 1);
}

INSTANTIATE_TEST_SUITE_P(AllStores, StoreContractTest, ::testing::ValuesIn(kStoreFactories),
                         [](const ::testing::TestParamInfo<StoreFactory>& info) {
                           return info.param.name;
                         });

// Implementation-independent parts of store.h.

TEST(StorePortTest, ColumnNamesAreTheDesignNames) {
  std::vector<std::string_view> names;
  for (int i = 0; i < kColumnCount; ++i) names.push_back(ColumnName(static_cast<Column>(i)));
  EXPECT_THAT(names, ElementsAre("events", "by_id", "frontier", "pending", "forks", "order",
                                 "state", "history", "checkpoints", "meta"));
}

TEST(StorePortTest, WriteBatchCountsOpsAndBytes) {
  WriteBatch batch;
  EXPECT_TRUE(batch.empty());
  EXPECT_EQ(batch.ByteSize(), 0u);
  batch.Put(Column::kEvents, "key", "value");
  batch.Delete(Column::kById, "id");
  EXPECT_EQ(batch.size(), 2u);
  EXPECT_EQ(batch.ByteSize(), 3u + 5u + 2u);
  ASSERT_EQ(batch.ops().size(), 2u);
  EXPECT_EQ(batch.ops()[1].kind, WriteBatch::OpKind::kDelete);
  EXPECT_EQ(batch.ops()[1].column, Column::kById);
  EXPECT_EQ(batch.ops()[1].key, "id");
  batch.Clear();
  EXPECT_TRUE(batch.empty());
  EXPECT_EQ(batch.ByteSize(), 0u);
}

TEST(StorePortTest, PrefixUpperBound) {
  using std::string_literals::operator""s;
  EXPECT_EQ(PrefixUpperBound("abc"), "abd");
  EXPECT_EQ(PrefixUpperBound("a\xff"s), "b");
  EXPECT_EQ(PrefixUpperBound("a\xfe\xff\xff"s), "a\xff"s);
  EXPECT_EQ(PrefixUpperBound("\x00"s), "\x01"s);
  EXPECT_EQ(PrefixUpperBound("\xff\xff"s), "");
  EXPECT_EQ(PrefixUpperBound(""), "");
}

}  // namespace
}  // namespace constellation::storage
