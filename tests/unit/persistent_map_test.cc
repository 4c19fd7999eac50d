// tests/unit/persistent_map_test.cc
//
// PersistentMap (server/core/persistent_map.h): copies share nodes and values until one
// writes, a write through one copy is never seen by another, and reads behave as a const
// std::map's, at every size (one leaf, and trees several levels deep).
#include "server/core/persistent_map.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace constellation::core {
namespace {

using Map = PersistentMap<int, std::string>;

Map ThreeEntries() {
  Map m;
  EXPECT_TRUE(m.Emplace(2, "two").second);
  EXPECT_TRUE(m.Emplace(1, "one").second);
  EXPECT_TRUE(m.Emplace(3, "three").second);
  return m;
}

TEST(PersistentMapTest, ReadsLikeAnOrderedMap) {
  const Map m = ThreeEntries();
  EXPECT_EQ(m.size(), 3u);
  EXPECT_FALSE(m.empty());
  EXPECT_EQ(m.at(2), "two");
  EXPECT_EQ(m.count(4), 0u);
  EXPECT_TRUE(m.contains(3));
  EXPECT_EQ(m.find(4), m.end());
  EXPECT_EQ(m.find(1)->second, "one");
  EXPECT_EQ(m.lower_bound(2)->first, 2);
  std::vector<std::string> in_order;
  for (const auto& [key, value] : m) in_order.push_back(std::to_string(key) + "=" + value);
  EXPECT_EQ(in_order, (std::vector<std::string>{"1=one", "2=two", "3=three"}));
  // A standard algorithm over the range (ListPage::Fill bisects with partition_point).
  auto it = std::partition_point(m.begin(), m.end(), [](const auto& e) { return e.first < 3; });
  EXPECT_EQ((*it).second, "three");
}

TEST(PersistentMapTest, ACopySharesItsValuesUntilOneCopyWrites) {
  Map original = ThreeEntries();
  const Map copy = original;
  EXPECT_EQ(&copy.at(1), &original.at(1));  // shared, not copied
  original.Mutable(1) = "uno";
  EXPECT_EQ(original.at(1), "uno");
  EXPECT_EQ(copy.at(1), "one");             // the copy does not see the write
  EXPECT_NE(&copy.at(1), &original.at(1));  // the writer cloned it first
  EXPECT_EQ(&copy.at(2), &original.at(2));  // the others stay shared
  // A value no other copy shares is written in place.
  std::string* before = &original.Mutable(1);
  original.Mutable(1) += "!";
  EXPECT_EQ(&original.at(1), before);
  EXPECT_EQ(original.at(1), "uno!");
}

TEST(PersistentMapTest, EmplaceOfAPresentKeyKeepsTheValueAndUnsharesIt) {
  Map original = ThreeEntries();
  const Map copy = original;
  auto [value, inserted] = original.Emplace(2, "deux");
  EXPECT_FALSE(inserted);
  EXPECT_EQ(*value, "two");
  *value = "zwei";
  EXPECT_EQ(original.at(2), "zwei");
  EXPECT_EQ(copy.at(2), "two");
  original.Emplace(4, "four");
  EXPECT_EQ(original.size(), 4u);
  EXPECT_EQ(copy.size(), 3u);
}

TEST(PersistentMapTest, AnEmptyMapHasNoEntries) {
  const Map m;
  EXPECT_TRUE(m.empty());
  EXPECT_EQ(m.begin(), m.end());
  EXPECT_EQ(m.find(1), m.end());
  EXPECT_EQ(m.lower_bound(1), m.end());
  EXPECT_FALSE(m.contains(1));
}

// Keys inserted in ascending, descending and shuffled order read back in order, with
// lower_bound between and past them, in a map deep enough to split leaves and inner nodes.
TEST(PersistentMapTest, ReadsInOrderAtEverySize) {
  constexpr int kKeys = 40'000;  // more than kMaxEntries^2 leaves' worth: three levels
  std::vector<int> keys(kKeys);
  for (int i = 0; i < kKeys; ++i)
    keys[i] = 2 * i;  // even keys: lower_bound of odd ones falls between
  std::vector<int> descending(keys.rbegin(), keys.rend());
  std::vector<int> shuffled = keys;
  std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937(7));
  for (const std::vector<int>* order : {&keys, &descending, &shuffled}) {
    Map m;
    for (int k : *order) ASSERT_TRUE(m.Emplace(k, std::to_string(k)).second);
    ASSERT_EQ(m.size(), static_cast<size_t>(kKeys));
    int expected = 0;
    for (const auto& [key, value] : m) {
      ASSERT_EQ(key, expected);
      ASSERT_EQ(value, std::to_string(expected));
      expected += 2;
    }
    EXPECT_EQ(expected, 2 * kKeys);
    for (int probe : {-1, 0, 1, 63, 64, 65, 2 * kKeys - 3, 2 * kKeys - 2}) {
      auto it = m.lower_bound(probe);
      ASSERT_NE(it, m.end()) << probe;
      EXPECT_EQ((*it).first, probe <= 0 ? 0 : probe + probe % 2) << probe;
    }
    EXPECT_EQ(m.lower_bound(2 * kKeys - 1), m.end());
    EXPECT_EQ(m.find(3), m.end());
    EXPECT_EQ(m.at(2 * kKeys - 2), std::to_string(2 * kKeys - 2));
  }
}

// A copy of a map several levels deep stays as it was, entry by entry and at the same
// addresses, while the original rewrites every entry and grows.
TEST(PersistentMapTest, ACopyOfADeepMapKeepsEveryEntryWhileTheOriginalRewritesThemAll) {
  constexpr int kKeys = 2'000;
  Map original;
  for (int k = 0; k < kKeys; ++k) original.Emplace(k, std::to_string(k));
  const Map copy = original;
  std::vector<const std::string*> addresses;
  for (int k = 0; k < kKeys; ++k) addresses.push_back(&copy.at(k));
  for (int k = 0; k < kKeys; ++k) original.Mutable(k) += "!";
  for (int k = kKeys; k < 2 * kKeys; ++k) original.Emplace(k, std::to_string(k));
  ASSERT_EQ(copy.size(), static_cast<size_t>(kKeys));
  int expected = 0;
  for (const auto& [key, value] : copy) {
    ASSERT_EQ(key, expected);
    ASSERT_EQ(value, std::to_string(expected));
    ASSERT_EQ(&value, addresses[expected]);
    ++expected;
  }
  EXPECT_EQ(expected, kKeys);
  EXPECT_EQ(original.size(), static_cast<size_t>(2 * kKeys));
  EXPECT_EQ(original.at(kKeys - 1), std::to_string(kKeys - 1) + "!");
}

// Many versions of one map, each a copy of another taken at random moments and then written
// on its own, against a std::map per version: no version ever sees another's writes.
TEST(PersistentMapTest, CopiesWrittenApartMatchTheirOwnModels) {
  std::mt19937 random(20261206);
  std::vector<Map> maps(1);
  std::vector<std::map<int, std::string>> models(1);
  for (int step = 0; step < 30'000; ++step) {
    const size_t v = random() % maps.size();
    const uint32_t op = random() % 100;
    const int key = static_cast<int>(random() % 5'000);
    if (op < 2 && maps.size() < 12) {  // a checkpoint: a copy that lives on
      maps.push_back(maps[v]);
      models.push_back(models[v]);
    } else if (op < 4) {  // a later checkpoint replaces an older one
      const size_t from = random() % maps.size();
      maps[v] = maps[from];
      models[v] = models[from];
    } else if (op < 60) {
      const std::string value = "v" + std::to_string(step);
      auto [stored, inserted] = maps[v].Emplace(key, value);
      auto [model_it, model_inserted] = models[v].try_emplace(key, value);
      ASSERT_EQ(inserted, model_inserted);
      ASSERT_EQ(*stored, model_it->second);
    } else if (models[v].contains(key)) {
      maps[v].Mutable(key) += "+";
      models[v][key] += "+";
    }
    if (step % 1'000 == 999) {
      for (size_t i = 0; i < maps.size(); ++i) {
        ASSERT_EQ(maps[i].size(), models[i].size()) << i;
        auto it = maps[i].begin();
        for (const auto& [k, value] : models[i]) {
          ASSERT_NE(it, maps[i].end());
          ASSERT_EQ((*it).first, k) << i;
          ASSERT_EQ((*it).second, value) << i;
          ++it;
        }
        ASSERT_EQ(it, maps[i].end());
        for (int probe = 0; probe < 5'000; probe += 97) {
          auto found = models[i].lower_bound(probe);
          auto got = maps[i].lower_bound(probe);
          if (found == models[i].end()) {
            ASSERT_EQ(got, maps[i].end());
          } else {
            ASSERT_EQ((*got).first, found->first);
          }
          ASSERT_EQ(maps[i].contains(probe), models[i].contains(probe));
        }
      }
    }
  }
  EXPECT_GT(maps.size(), 5u);  // the seed took several copies
}
}  // namespace
}  // namespace constellation::core
