// tests/unit/copy_on_write_map_test.cc
//
// CopyOnWriteMap (server/core/copy_on_write_map.h): copies share values until one writes, and
// a write through one copy is never seen by another; reads behave as a const std::map's.
#include "server/core/copy_on_write_map.h"

#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace constellation::core {
namespace {

using Map = CopyOnWriteMap<int, std::string>;

Map ThreeEntries() {
  Map m;
  EXPECT_TRUE(m.Emplace(2, "two").second);
  EXPECT_TRUE(m.Emplace(1, "one").second);
  EXPECT_TRUE(m.Emplace(3, "three").second);
  return m;
}

TEST(CopyOnWriteMapTest, ReadsLikeAnOrderedMap) {
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

TEST(CopyOnWriteMapTest, ACopySharesItsValuesUntilOneCopyWrites) {
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

TEST(CopyOnWriteMapTest, EmplaceOfAPresentKeyKeepsTheValueAndUnsharesIt) {
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

TEST(CopyOnWriteMapTest, EraseInOneCopyLeavesTheOther) {
  Map original = ThreeEntries();
  const Map copy = original;
  EXPECT_EQ(original.erase(2), 1u);
  EXPECT_EQ(original.erase(2), 0u);
  EXPECT_FALSE(original.contains(2));
  EXPECT_EQ(copy.at(2), "two");
}

}  // namespace
}  // namespace constellation::core
