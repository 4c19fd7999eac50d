// tests/unit/ids_test.cc
//
// Strong 32-byte ids (server/core/ids.h): raw and hex forms, errors, ordering, hashing.
#include "server/core/ids.h"

#include <string>

#include <absl/container/flat_hash_set.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/testing/status_matchers.h"

namespace constellation::core {
namespace {

using ::constellation::testing::StatusIs;
using ::testing::HasSubstr;

constexpr char kHex[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

EventId IdWithFirstByte(uint8_t first) {
  std::array<uint8_t, 32> a{};
  a[0] = first;
  return EventId::FromArray(a);
}

TEST(IdsTest, HexRoundTrip) {
  ASSERT_OK_AND_ASSIGN(EventId id, EventId::FromHex(kHex));
  EXPECT_EQ(id.Hex(), kHex);
  EXPECT_EQ(id.data()[0], 0x00);
  EXPECT_EQ(id.data()[31], 0x1f);
  EXPECT_EQ(id.ShortHex(), "000102030405");
}

TEST(IdsTest, UppercaseHexIsAcceptedAndPrintsLowercase) {
  const std::string upper = "ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789";
  ASSERT_OK_AND_ASSIGN(OrgKey key, OrgKey::FromHex(upper));
  EXPECT_EQ(key.Hex(), "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789");
}

TEST(IdsTest, BytesRoundTrip) {
  std::string raw(32, '\0');
  for (int i = 0; i < 32; ++i) raw[i] = static_cast<char>(0xff - i);
  ASSERT_OK_AND_ASSIGN(GroupId id, GroupId::FromBytes(raw));
  EXPECT_EQ(id.Bytes(), raw);
  EXPECT_EQ(id.Hex().substr(0, 4), "fffe");
}

TEST(IdsTest, WrongByteLengthIsInvalidArgumentNamingTheField) {
  EXPECT_THAT(
      EventId::FromBytes(std::string(31, 'x')),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("event id must be 32 bytes, got 31")));
  EXPECT_THAT(OrgKey::FromBytes(std::string(33, 'x')),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("org key")));
  EXPECT_THAT(EventId::FromBytes("", "pledge.campaign_id"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("pledge.campaign_id must be 32 bytes, got 0")));
}

TEST(IdsTest, WrongHexLengthIsInvalidArgument) {
  EXPECT_THAT(GroupId::FromHex(std::string(kHex).substr(0, 62)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("group id must be 64 hex characters, got 62")));
  EXPECT_THAT(GroupId::FromHex(std::string(kHex) + "00"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("got 66")));
}

TEST(IdsTest, NonHexCharacterIsInvalidArgument) {
  std::string bad = kHex;
  bad[40] = 'g';
  EXPECT_THAT(EventId::FromHex(bad),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("is not hex")));
  bad = kHex;
  bad[63] = ' ';
  EXPECT_THAT(EventId::FromHex(bad), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(IdsTest, DefaultIsZero) {
  EventId zero;
  EXPECT_TRUE(zero.IsZero());
  EXPECT_EQ(zero.Hex(), std::string(64, '0'));
  EXPECT_FALSE(IdWithFirstByte(1).IsZero());
  std::array<uint8_t, 32> last{};
  last[31] = 1;
  EXPECT_FALSE(EventId::FromArray(last).IsZero());
}

TEST(IdsTest, OrderIsBytewiseUnsigned) {
  // 0x80 must sort after 0x7f: ids are compared as unsigned bytes, like their hex form.
  EXPECT_LT(IdWithFirstByte(0x00), IdWithFirstByte(0x01));
  EXPECT_LT(IdWithFirstByte(0x7f), IdWithFirstByte(0x80));
  EXPECT_LT(IdWithFirstByte(0x80), IdWithFirstByte(0xff));
  EXPECT_EQ(IdWithFirstByte(0x42), IdWithFirstByte(0x42));
  EXPECT_NE(IdWithFirstByte(0x42), IdWithFirstByte(0x43));
  // The first byte decides before later ones.
  std::array<uint8_t, 32> a{};
  a[0] = 1;
  a[31] = 0;
  std::array<uint8_t, 32> b{};
  b[0] = 0;
  b[31] = 0xff;
  EXPECT_GT(EventId::FromArray(a), EventId::FromArray(b));
  // Hex strings order the same way as ids.
  EXPECT_LT(IdWithFirstByte(0x7f).Hex(), IdWithFirstByte(0x80).Hex());
}

TEST(IdsTest, HashableAndEqualIdsHashEqual) {
  absl::flat_hash_set<EventId> set;
  set.insert(IdWithFirstByte(1));
  set.insert(IdWithFirstByte(2));
  set.insert(IdWithFirstByte(1));
  EXPECT_EQ(set.size(), 2u);
  EXPECT_TRUE(set.contains(IdWithFirstByte(2)));
  EXPECT_FALSE(set.contains(IdWithFirstByte(3)));
}

TEST(IdsTest, GroupIdOfIsTheGenesisEventId) {
  ASSERT_OK_AND_ASSIGN(EventId genesis, EventId::FromHex(kHex));
  GroupId group = GroupIdOf(genesis);
  EXPECT_EQ(group.Hex(), kHex);
  EXPECT_EQ(group.Bytes(), genesis.Bytes());
  EXPECT_EQ(GenesisIdOf(group), genesis);
}

}  // namespace
}  // namespace constellation::core
