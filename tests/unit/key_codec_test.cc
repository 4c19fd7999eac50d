// tests/unit/key_codec_test.cc
#include "server/storage/key_codec.h"

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/testing/status_matchers.h"

namespace constellation::storage {
namespace {

using ::constellation::testing::StatusIs;
using ::testing::HasSubstr;

TEST(KeyCodecTest, U64RoundTrips) {
  for (uint64_t v : {uint64_t{0}, uint64_t{1}, uint64_t{255}, uint64_t{256},
                     uint64_t{0x0102030405060708}, std::numeric_limits<uint64_t>::max()}) {
    std::string encoded;
    AppendU64(&encoded, v);
    ASSERT_EQ(encoded.size(), 8u);
    std::string_view in = encoded;
    ASSERT_OK_AND_ASSIGN(uint64_t decoded, ReadU64(&in));
    EXPECT_EQ(decoded, v);
    EXPECT_TRUE(in.empty());
  }
}

TEST(KeyCodecTest, U32RoundTrips) {
  for (uint32_t v :
       {uint32_t{0}, uint32_t{1}, uint32_t{0x01020304}, std::numeric_limits<uint32_t>::max()}) {
    std::string encoded;
    AppendU32(&encoded, v);
    ASSERT_EQ(encoded.size(), 4u);
    std::string_view in = encoded;
    ASSERT_OK_AND_ASSIGN(uint32_t decoded, ReadU32(&in));
    EXPECT_EQ(decoded, v);
    EXPECT_TRUE(in.empty());
  }
}

TEST(KeyCodecTest, EncodingIsBigEndian) {
  std::string encoded;
  AppendU64(&encoded, 0x0102030405060708);
  AppendU32(&encoded, 0x0a0b0c0d);
  EXPECT_EQ(encoded, std::string("\x01\x02\x03\x04\x05\x06\x07\x08\x0a\x0b\x0c\x0d", 12));
}

TEST(KeyCodecTest, ByteOrderEqualsNumericOrder) {
  const std::vector<uint64_t> values = {0,          1,          255,        256,
                                        65535,      65536,      0x7fffffff, 0x80000000,
                                        0xffffffff, 1ull << 32, 1ull << 63, ~0ull};
  for (uint64_t a : values) {
    for (uint64_t b : values) {
      std::string ka, kb;
      AppendU64(&ka, a);
      AppendU64(&kb, b);
      // std::string compares as unsigned char, like RocksDB's bytewise comparator.
      EXPECT_EQ(ka < kb, a < b) << a << " vs " << b;
      if (a <= 0xffffffff && b <= 0xffffffff) {
        std::string ka32, kb32;
        AppendU32(&ka32, static_cast<uint32_t>(a));
        AppendU32(&kb32, static_cast<uint32_t>(b));
        EXPECT_EQ(ka32 < kb32, a < b) << a << " vs " << b;
      }
    }
  }
}

TEST(KeyCodecTest, ReadsAFieldSequence) {
  std::string key = "group";
  AppendU64(&key, 42);
  AppendU32(&key, 7);
  key += "tail";
  std::string_view in = key;
  ASSERT_OK_AND_ASSIGN(std::string_view group, ReadBytes(&in, 5));
  ASSERT_OK_AND_ASSIGN(uint64_t seq, ReadU64(&in));
  ASSERT_OK_AND_ASSIGN(uint32_t small, ReadU32(&in));
  ASSERT_OK_AND_ASSIGN(std::string_view tail, ReadBytes(&in, 4));
  EXPECT_EQ(group, "group");
  EXPECT_EQ(seq, 42u);
  EXPECT_EQ(small, 7u);
  EXPECT_EQ(tail, "tail");
  EXPECT_TRUE(in.empty());
  ASSERT_OK_AND_ASSIGN(std::string_view nothing, ReadBytes(&in, 0));
  EXPECT_TRUE(nothing.empty());
}

TEST(KeyCodecTest, ShortInputIsDataLossAndConsumesNothing) {
  const std::string seven(7, '\x01');
  std::string_view in = seven;
  EXPECT_THAT(ReadU64(&in), StatusIs(absl::StatusCode::kDataLoss, HasSubstr("need 8 bytes")));
  EXPECT_EQ(in.size(), 7u);

  std::string_view three = std::string_view(seven).substr(0, 3);
  EXPECT_THAT(ReadU32(&three), StatusIs(absl::StatusCode::kDataLoss, HasSubstr("need 4 bytes")));
  EXPECT_EQ(three.size(), 3u);

  EXPECT_THAT(ReadBytes(&in, 8), StatusIs(absl::StatusCode::kDataLoss, HasSubstr("need 8 bytes")));
  EXPECT_EQ(in.size(), 7u);

  std::string_view empty;
  EXPECT_THAT(ReadU64(&empty), StatusIs(absl::StatusCode::kDataLoss));
}

}  // namespace
}  // namespace constellation::storage
