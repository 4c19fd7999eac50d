// tests/unit/sdk_org_card_test.cc: the text form of an org card (sdk org_card.h): what
// `constellation org card --out FILE` writes and `proposal admit --card FILE` reads on another
// coordinator's machine. Round trips, the exact layout, tolerance (case, whitespace, unknown
// keys) and clear errors for everything else.
#include <cctype>
#include <string>

#include <constellation/org_card.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/testing/status_matchers.h"

namespace constellation {
namespace {

using ::constellation::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const std::string kKey = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

OrgCard Card() {
  OrgCard card;
  card.key = kKey;
  card.name = "River Trust";
  card.endpoints = {"10.0.0.7:7400", "river.example.org:7400"};
  return card;
}

TEST(SdkOrgCardTest, WritesTheDocumentedLayout) {
  EXPECT_EQ(OrgCardToJson(Card()),
            "{\n"
            "  \"key\": \"" +
                kKey +
                "\",\n"
                "  \"name\": \"River Trust\",\n"
                "  \"endpoints\": [\n"
                "    \"10.0.0.7:7400\",\n"
                "    \"river.example.org:7400\"\n"
                "  ]\n"
                "}");
  OrgCard bare;
  bare.key = kKey;
  EXPECT_EQ(OrgCardToJson(bare),
            "{\n  \"key\": \"" + kKey + "\",\n  \"name\": \"\",\n  \"endpoints\": []\n}");
}

TEST(SdkOrgCardTest, RoundTrips) {
  ASSERT_OK_AND_ASSIGN(OrgCard back, OrgCardFromJson(OrgCardToJson(Card())));
  EXPECT_EQ(back.key, kKey);
  EXPECT_EQ(back.name, "River Trust");
  EXPECT_THAT(back.endpoints, ElementsAre("10.0.0.7:7400", "river.example.org:7400"));

  OrgCard odd;
  odd.key = kKey;
  odd.name = "Société \"Quote\" \\ back\nslash\ttab\x01 \xF0\x9F\x8C\x8A";
  ASSERT_OK_AND_ASSIGN(OrgCard odd_back, OrgCardFromJson(OrgCardToJson(odd)));
  EXPECT_EQ(odd_back.name, odd.name);
  EXPECT_THAT(odd_back.endpoints, IsEmpty());
  EXPECT_THAT(OrgCardToJson(odd), HasSubstr("\\u0001"));
  EXPECT_THAT(OrgCardToJson(odd), HasSubstr("\\\"Quote\\\""));
}

TEST(SdkOrgCardTest, ReadsWhatOtherToolsWrite) {
  // Upper-case key, compact layout, escapes, unknown keys (a later version's), no endpoints.
  std::string upper = kKey;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  ASSERT_OK_AND_ASSIGN(
      OrgCard card,
      OrgCardFromJson("{\"version\":2,\"key\":\"" + upper +
                      "\",\"name\":\"Soci\\u00e9t\\u00e9 \\ud83c\\udf0a\",\"extra\":{\"a\":[1,"
                      "2.5e3,true,null]}}\n"));
  EXPECT_EQ(card.key, kKey);
  EXPECT_EQ(card.name, "Société \xF0\x9F\x8C\x8A");
  EXPECT_THAT(card.endpoints, IsEmpty());

  ASSERT_OK_AND_ASSIGN(OrgCard minimal, OrgCardFromJson("  {\"key\": \"" + kKey + "\"}  "));
  EXPECT_EQ(minimal.name, "");
}

TEST(SdkOrgCardTest, BadTextIsInvalidArgumentSayingWhatIsWrong) {
  const auto fails = [](const std::string& text, const std::string& what) {
    EXPECT_THAT(OrgCardFromJson(text),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(what)))
        << text;
  };
  fails("", "org card is not valid JSON: unexpected end of text at byte 0");
  fails("key: abc", "not valid JSON: unexpected character 'k' at byte 0");
  fails("{\"key\": \"" + kKey + "\",}", "expected a quoted key");
  fails("{\"key\": \"" + kKey + "\"} trailing", "unexpected text after the JSON value");
  fails("{\"key\": \"" + kKey + "\"", "expected ',' or '}'");
  fails("{\"name\": \"unterminated}", "unterminated string");
  fails("{\"name\": \"\\ud83c\"}", "unpaired surrogate");
  fails("{\"name\": \"bad \\q escape\"}", "unknown escape");
  fails("{\"name\": \"\xC3\x28\"}", "not valid UTF-8");
  fails("{\"key\": 1.}", "malformed number");
  fails("{\"key\": -}", "malformed number");
  fails("[\"" + kKey + "\"]", "org card must be a JSON object");
  fails("{\"name\": \"River Trust\"}", "org card has no \"key\"");
  fails("{\"key\": 12}", "\"key\" must be a string of 64 hex characters, got a number");
  fails("{\"key\": \"abc\"}", "64 hex characters");
  fails("{\"key\": \"" + kKey + "\", \"key\": \"" + kKey + "\"}", "duplicate key \"key\"");
  fails("{\"key\": \"" + kKey + "\", \"name\": 7}", "\"name\" must be a string, got a number");
  fails("{\"key\": \"" + kKey + "\", \"endpoints\": \"a:1\"}",
        "\"endpoints\" must be an array of \"host:port\" strings, got a string");
  fails("{\"key\": \"" + kKey + "\", \"endpoints\": [\"a:1\", 2]}",
        "\"endpoints\" must hold \"host:port\" strings, got a number");
  fails(std::string(40, '[') + std::string(40, ']'), "nesting too deep");
  fails("{\"name\": \"" + std::string(kOrgCardJsonSizeBytesMax, 'x') + "\"}",
        "kOrgCardJsonSizeBytesMax");
}

}  // namespace
}  // namespace constellation
