// tests/unit/money_test.cc: decimal <-> minor units over the shared currency table.
#include <cstdint>
#include <limits>

#include <constellation/money.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/testing/status_matchers.h"

namespace constellation {
namespace {

using ::constellation::testing::StatusIs;
using ::testing::HasSubstr;

TEST(MoneyTest, KnowsCurrenciesOfTheSharedTable) {
  EXPECT_TRUE(IsKnownCurrency("EUR"));
  EXPECT_TRUE(IsKnownCurrency("JPY"));
  EXPECT_TRUE(IsKnownCurrency("KWD"));
  EXPECT_FALSE(IsKnownCurrency("eur"));  // codes are upper case on the wire
  EXPECT_FALSE(IsKnownCurrency("XXX"));
  EXPECT_FALSE(IsKnownCurrency(""));
  EXPECT_FALSE(IsKnownCurrency("EURO"));
}

TEST(MoneyTest, ExponentsFollowIso4217) {
  ASSERT_OK_AND_ASSIGN(int eur, CurrencyExponent("EUR"));
  EXPECT_EQ(eur, 2);
  ASSERT_OK_AND_ASSIGN(int jpy, CurrencyExponent("JPY"));
  EXPECT_EQ(jpy, 0);
  ASSERT_OK_AND_ASSIGN(int kwd, CurrencyExponent("KWD"));
  EXPECT_EQ(kwd, 3);
  EXPECT_THAT(CurrencyExponent("ABC"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("unknown currency 'ABC'")));
}

TEST(MoneyTest, ParsesTwoDecimalAmounts) {
  for (const char* text : {"250.50", "250.5"}) {
    ASSERT_OK_AND_ASSIGN(int64_t minor, ParseAmount(text, "EUR"));
    EXPECT_EQ(minor, 25050) << text;
  }
  ASSERT_OK_AND_ASSIGN(int64_t whole, ParseAmount("250", "EUR"));
  EXPECT_EQ(whole, 25000);
  ASSERT_OK_AND_ASSIGN(int64_t zero, ParseAmount("0", "EUR"));
  EXPECT_EQ(zero, 0);
  ASSERT_OK_AND_ASSIGN(int64_t cent, ParseAmount("0.01", "EUR"));
  EXPECT_EQ(cent, 1);
  ASSERT_OK_AND_ASSIGN(int64_t leading_zeros, ParseAmount("007.10", "EUR"));
  EXPECT_EQ(leading_zeros, 710);
}

TEST(MoneyTest, ParsesExponentZeroAndThreeCurrencies) {
  ASSERT_OK_AND_ASSIGN(int64_t yen, ParseAmount("1000", "JPY"));
  EXPECT_EQ(yen, 1000);
  EXPECT_THAT(ParseAmount("1000.5", "JPY"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("whole number")));
  EXPECT_THAT(ParseAmount("1000.0", "JPY"), StatusIs(absl::StatusCode::kInvalidArgument));

  ASSERT_OK_AND_ASSIGN(int64_t dinar, ParseAmount("1.234", "KWD"));
  EXPECT_EQ(dinar, 1234);
  ASSERT_OK_AND_ASSIGN(int64_t dinar_short, ParseAmount("1.2", "KWD"));
  EXPECT_EQ(dinar_short, 1200);
  EXPECT_THAT(ParseAmount("1.2345", "KWD"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("at most 3")));
}

TEST(MoneyTest, RejectsTooManyDecimalsSayingWhatIsAllowed) {
  EXPECT_THAT(ParseAmount("250.505", "EUR"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("'250.505' has 3 decimals, but EUR allows at most 2")));
}

TEST(MoneyTest, RejectsNegativeAmounts) {
  EXPECT_THAT(ParseAmount("-1.00", "EUR"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("negative")));
}

TEST(MoneyTest, RejectsGarbage) {
  for (const char* text : {"", "abc", "1,000.00", "1.", ".5", "1.2.3", "+1", " 1", "1 ", "1e3",
                           "0x10", "1.-2", "١٢"}) {
    EXPECT_THAT(ParseAmount(text, "EUR"), StatusIs(absl::StatusCode::kInvalidArgument))
        << "'" << text << "'";
  }
}

TEST(MoneyTest, RejectsUnknownCurrencyBeforeLookingAtTheAmount) {
  EXPECT_THAT(ParseAmount("1.00", "XYZ"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("unknown currency")));
  EXPECT_THAT(ParseAmount("1.00", "eur"), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(MoneyTest, DetectsOverflowOfInt64MinorUnits) {
  // INT64_MAX = 9223372036854775807.
  ASSERT_OK_AND_ASSIGN(int64_t max_yen, ParseAmount("9223372036854775807", "JPY"));
  EXPECT_EQ(max_yen, std::numeric_limits<int64_t>::max());
  ASSERT_OK_AND_ASSIGN(int64_t max_euro, ParseAmount("92233720368547758.07", "EUR"));
  EXPECT_EQ(max_euro, std::numeric_limits<int64_t>::max());

  EXPECT_THAT(ParseAmount("9223372036854775808", "JPY"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("too large")));
  EXPECT_THAT(ParseAmount("92233720368547758.08", "EUR"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("too large")));
  EXPECT_THAT(ParseAmount("92233720368547759", "EUR"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("too large")));
  EXPECT_THAT(ParseAmount("99999999999999999999999999", "EUR"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("too large")));
}

TEST(MoneyTest, FormatsWithTheCurrencyExponent) {
  EXPECT_EQ(FormatAmount(25050, "EUR"), "250.50");
  EXPECT_EQ(FormatAmount(25000, "EUR"), "250.00");
  EXPECT_EQ(FormatAmount(5, "EUR"), "0.05");
  EXPECT_EQ(FormatAmount(0, "EUR"), "0.00");
  EXPECT_EQ(FormatAmount(-5, "EUR"), "-0.05");
  EXPECT_EQ(FormatAmount(-12345, "EUR"), "-123.45");
  EXPECT_EQ(FormatAmount(1000, "JPY"), "1000");
  EXPECT_EQ(FormatAmount(1234, "KWD"), "1.234");
  EXPECT_EQ(FormatAmount(1, "KWD"), "0.001");
  EXPECT_EQ(FormatAmount(std::numeric_limits<int64_t>::max(), "EUR"), "92233720368547758.07");
  EXPECT_EQ(FormatAmount(std::numeric_limits<int64_t>::min(), "EUR"), "-92233720368547758.08");
  EXPECT_EQ(FormatAmount(150, "???"), "1.50");  // unknown: two decimals
}

TEST(MoneyTest, FormatThenParseRoundTrips) {
  for (const char* currency : {"EUR", "JPY", "KWD", "CLP", "BHD"}) {
    for (int64_t minor : {int64_t{0}, int64_t{1}, int64_t{9}, int64_t{10}, int64_t{999},
                          int64_t{1000}, int64_t{123456789}}) {
      ASSERT_OK_AND_ASSIGN(int64_t parsed, ParseAmount(FormatAmount(minor, currency), currency));
      EXPECT_EQ(parsed, minor) << currency;
    }
  }
}

}  // namespace
}  // namespace constellation
