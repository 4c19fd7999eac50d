// tests/unit/cli_output_test.cc: tables line up, CSV quotes per RFC 4180, JSON is valid and
// carries amounts both as minor units and decimals, control characters and terminal escapes
// never reach the terminal raw, and a list printed page by page is the same text as whole.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <absl/strings/str_split.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli/fundraising/render.h"
#include "cli/output.h"
#include "cli/progress.h"
#include "cli/render.h"

namespace constellation::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines = absl::StrSplit(text, '\n');
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

TEST(CliProgressTest, LineShowsABarAgainstAKnownTotalAndACountOtherwise) {
  EXPECT_EQ(Progress::Line(0, 10, "events"), "[..............................] 0/10 events");
  EXPECT_EQ(Progress::Line(5, 10, "events"), "[###############...............] 5/10 events");
  EXPECT_EQ(Progress::Line(12, 10, "events"), "[##############################] 12/10 events");
  EXPECT_EQ(Progress::Line(42, 0, "events"), "42 events");
}

TEST(CliProgressTest, DrawsNothingWhenDisabledAndErasesWhatItDrew) {
  std::ostringstream quiet;
  {
    Progress progress(quiet, /*enabled=*/false, "events", 10);
    progress.Update(3);
  }
  EXPECT_EQ(quiet.str(), "");
  std::ostringstream shown;
  {
    Progress progress(shown, /*enabled=*/true, "events", 10);
    progress.Update(3);
  }
  EXPECT_EQ(shown.str(), "\r" + Progress::Line(3, 10, "events") + "\033[K\r\033[K");
}

// `peer sync` is one call that reports only at its end; RunWithProgress polls a count while it
// runs. The call here blocks until the count was polled six times (50 ms apart), so the line
// is drawn at once (0) and redrawn with a later count, then erased; the call's result passes.
TEST(CliProgressTest, RunWithProgressPollsWhileTheCallRunsAndPassesItsResult) {
  std::atomic<int> polls{0};
  std::ostringstream err;
  absl::StatusOr<int> result;
  {
    Progress progress(err, /*enabled=*/true, "events new here", 0);
    result = RunWithProgress<int>(
        progress,
        [&]() -> absl::StatusOr<int> {
          while (polls.load() < 6) std::this_thread::sleep_for(std::chrono::milliseconds(5));
          return 42;
        },
        [&]() -> uint64_t { return static_cast<uint64_t>(10 * polls.fetch_add(1)); },
        absl::Milliseconds(50));
    EXPECT_THAT(err.str(), HasSubstr("\r0 events new here\033[K"));
    EXPECT_THAT(err.str(), ::testing::ContainsRegex("\r[1-9]0 events new here"));
    EXPECT_THAT(err.str(), ::testing::EndsWith("\r\033[K")) << "erased before the result";
  }
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(*result, 42);

  // An error of the call is returned as it was.
  std::ostringstream quiet;
  Progress off(quiet, /*enabled=*/false, "events", 0);
  absl::StatusOr<int> failed = RunWithProgress<int>(
      off, [] { return absl::StatusOr<int>(absl::UnavailableError("peer down")); },
      [] { return uint64_t{0}; }, absl::Milliseconds(1));
  EXPECT_EQ(failed.status(), absl::UnavailableError("peer down"));
  EXPECT_EQ(quiet.str(), "");
}

TEST(CliOutputTest, TableColumnsLineUp) {
  Table table{{{"id"}, {"name"}, {"amount", true}}, {}};
  table.rows.push_back({"a1", "Short", "5.00"});
  table.rows.push_back({"b22", "A much longer name", "1250.50"});
  EXPECT_THAT(Lines(RenderTable(table)),
              ElementsAre("ID   NAME                 AMOUNT", "a1   Short                  5.00",
                          "b22  A much longer name  1250.50"));
}

TEST(CliOutputTest, OrgKeyCellsShowShortKeysWithNamesOnePerKey) {
  const std::string a(64, 'a'), b(64, 'b');
  Table table{{{"org", false, CellKind::kOrgKey}, {"leads", false, CellKind::kOrgKey}}, {}};
  table.rows.push_back({a, a + " " + b});
  table.rows.push_back({"", ""});
  const OrgNames names = {{a, "Harbour Trust"}};
  EXPECT_THAT(
      Lines(RenderTable(table, names)),
      ElementsAre("ORG                           LEADS",
                  "aaaaaaaaaaaa (Harbour Trust)  aaaaaaaaaaaa (Harbour Trust), bbbbbbbbbbbb", ""));
}

TEST(CliOutputTest, TableHasNoTrailingSpacesAndOnlyAHeaderWhenEmpty) {
  Table table{{{"id"}, {"note"}}, {}};
  EXPECT_EQ(RenderTable(table), "ID  NOTE\n");
  table.rows.push_back({"x", ""});
  for (const std::string& line : Lines(RenderTable(table))) {
    EXPECT_FALSE(!line.empty() && line.back() == ' ') << "'" << line << "'";
  }
}

TEST(CliOutputTest, TableCountsCodePointsAndFlattensNewlines) {
  Table table{{{"name"}, {"kind"}}, {}};
  table.rows.push_back({"Société", "x"});
  table.rows.push_back({"two\nlines", "y"});
  const std::vector<std::string> lines = Lines(RenderTable(table));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[1], "Société    x");
  EXPECT_EQ(lines[2], "two lines  y");
  EXPECT_EQ(DisplayWidth("Société"), 7u);
}

TEST(CliOutputTest, CsvQuotesOnlyWhatNeedsIt) {
  EXPECT_EQ(CsvField("plain"), "plain");
  EXPECT_EQ(CsvField(""), "");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(CsvField("cr\r"), "\"cr\r\"");

  Table table{{{"pledge_id"}, {"note"}, {"amount", true}}, {}};
  table.rows.push_back({"p1", "Rivers, Inc.", "250.00"});
  table.rows.push_back({"p2", "", "0.00"});
  EXPECT_EQ(RenderCsv(table),
            "pledge_id,note,amount\n"
            "p1,\"Rivers, Inc.\",250.00\n"
            "p2,,0.00\n");
}

TEST(CliOutputTest, KeyValuesAlign) {
  EXPECT_EQ(RenderKeyValues({{"pledge_id", "abc"}, {"status", "pending"}, {"note", ""}}),
            "pledge_id  abc\n"
            "status     pending\n"
            "note\n");
  EXPECT_EQ(RenderKeyValuesCsv({{"a", "x,y"}}), "key,value\na,\"x,y\"\n");
}

Pledge SamplePledge() {
  Pledge pledge;
  pledge.pledge_id = std::string(64, 'c');
  pledge.group_id = std::string(64, 'a');
  pledge.campaign_id = std::string(64, 'b');
  pledge.pledger = std::string(64, 'd');
  pledge.terms.amount = Money{25050, "EUR"};
  pledge.terms.installments = {{1'801'353'600'000, 10000}, {1'814'400'000'000, 15050}};
  pledge.terms.condition = PledgeCondition{"matching \"funds\"", "donor may withdraw"};
  pledge.terms.note = "line one\nline two, with comma";
  pledge.terms.donor_name = "Fondation Société";
  pledge.version = 2;
  pledge.status = "in_progress";
  pledge.received_minor = 10000;
  pledge.outstanding_minor = 15050;
  pledge.created_hlc = Hlc{1'795'132'800'000, 0};
  return pledge;
}

TEST(CliOutputTest, PledgeJsonIsValidWithAmountsInBothForms) {
  const std::string text = ToJson(SamplePledge()).dump(2);
  const nlohmann::json json = nlohmann::json::parse(text);  // throws if invalid
  EXPECT_EQ(json["pledge_id"], std::string(64, 'c'));
  EXPECT_EQ(json["status"], "in_progress");
  EXPECT_EQ(json["currency"], "EUR");
  EXPECT_EQ(json["amount_minor"], 25050);
  EXPECT_EQ(json["amount"], "250.50");
  EXPECT_EQ(json["received_minor"], 10000);
  EXPECT_EQ(json["received"], "100.00");
  EXPECT_EQ(json["outstanding"], "150.50");
  EXPECT_EQ(json["terms"]["installments"][0]["due"], "2027-01-31");
  EXPECT_EQ(json["terms"]["installments"][1]["amount"], "150.50");
  EXPECT_EQ(json["terms"]["condition"]["barrier"], "matching \"funds\"");
  EXPECT_EQ(json["terms"]["restriction"], nullptr);
  EXPECT_EQ(json["created"], "2026-11-20");
  EXPECT_EQ(json["created_hlc"]["wall_ms"], 1'795'132'800'000u);
}

TEST(CliOutputTest, JsonSurvivesInvalidUtf8FromTheWire) {
  Pledge pledge = SamplePledge();
  pledge.terms.note = std::string("bad \xff byte");
  Json json = ToJson(pledge);
  const std::string text = json.dump(2, ' ', false, Json::error_handler_t::replace);
  EXPECT_NO_THROW(nlohmann::json::parse(text));
}

TEST(CliOutputTest, PledgeTablesAndDetails) {
  const Table table = PledgesTable({SamplePledge()});
  const std::string csv = RenderCsv(table);
  EXPECT_THAT(csv, HasSubstr("pledge_id,campaign,pledger,status,currency,amount"));
  // CSV never truncates ids (issue 12): the campaign and the pledger's key are whole.
  EXPECT_THAT(csv, HasSubstr(std::string(64, 'c') + "," + std::string(64, 'b') + "," +
                             std::string(64, 'd') +
                             ",in_progress,EUR,250.50,100.00,150.50,2,Fondation Société"));
  const std::vector<std::string> lines = Lines(RenderTable(table));
  ASSERT_EQ(lines.size(), 2u);
  // Right-aligned amounts end in the same column as their header.
  EXPECT_EQ(lines[0].find("AMOUNT") + 6, lines[1].find("250.50") + 6);
  // The table shows short ids, and the org's name beside its key when it is known.
  EXPECT_THAT(lines[1], ::testing::StartsWith("cccccccccccc  bbbbbbbbbbbb  dddddddddddd  "));
  const std::vector<std::string> named =
      Lines(RenderTable(table, {{std::string(64, 'd'), "Riverside"}}));
  EXPECT_THAT(named[1], HasSubstr("  dddddddddddd (Riverside)  in_progress"));

  const std::string details = RenderKeyValues(PledgeDetails(SamplePledge()));
  EXPECT_THAT(details, HasSubstr("amount       250.50 EUR"));
  EXPECT_THAT(details, HasSubstr("note         line one line two, with comma"));
}

TEST(CliOutputTest, CampaignAndHistoryJson) {
  Campaign campaign;
  campaign.campaign_id = std::string(64, 'b');
  campaign.definition.name = "Wells";
  campaign.definition.goal = Money{100000, "JPY"};
  campaign.definition.restriction = Restriction{"purpose", "wells", 0};
  campaign.pledged_minor = 2500;
  const nlohmann::json json = nlohmann::json::parse(ToJson(campaign).dump());
  EXPECT_EQ(json["goal_minor"], 100000);
  EXPECT_EQ(json["goal"], "100000");
  EXPECT_EQ(json["pledged"], "2500");
  EXPECT_EQ(json["restriction"]["kind"], "purpose");
  EXPECT_EQ(json["deadline"], nullptr);
  EXPECT_EQ(json["assurance"], nullptr);

  PledgeVersionEntry payment;
  payment.pledge_id = std::string(64, 'c');
  payment.version.kind = "payment";
  payment.version.amount = Money{1234, "KWD"};
  payment.version.external_ref = "SEPA-1";
  const nlohmann::json history = nlohmann::json::parse(ToJson(payment).dump());
  EXPECT_EQ(history["amount"]["amount"], "1.234");
  EXPECT_EQ(history["terms"], nullptr);
  EXPECT_THAT(RenderTable(PledgeHistoryTable({payment})), HasSubstr("ref SEPA-1"));
}

// A record for the property table test: one field of every kind a Value has.
struct Sample {
  std::string id;
  uint32_t count = 0;
  bool open = false;
  std::vector<std::string> tags;
  uint64_t due_ms = 0;
  Money amount;
  Hlc hlc;
  std::string note;
};

constexpr Property<Sample> kSampleProperties[] = {
    {"id", Of<&Sample::id>},
    {"count", Of<&Sample::count>, Shown::kBoth, "n"},
    {"open", Of<&Sample::open>},
    {"tags", Of<&Sample::tags>, Shown::kJsonOnly},
    {"due", TimeOf<&Sample::due_ms>},
    {"amount",
     [](const Sample& sample) {
       return Value::Amount(sample.amount.amount_minor, sample.amount.currency);
     }},
    {"currency", Of<&Sample::amount, &Money::currency>, Shown::kTextOnly},
    {"time", Of<&Sample::hlc>},
    {"note", Of<&Sample::note>, Shown::kBothTextWhenSet},
};

TEST(CliOutputTest, OnePropertyTableGivesJsonDetailsAndColumns) {
  const Sample sample{
      "s1", 3, true, {"a", "b"}, 1'801'353'600'000, {25050, "EUR"}, {1'795'132'800'000, 2}, ""};
  const Json json = PropertiesJson<Sample>(kSampleProperties, sample);
  EXPECT_EQ(DumpJson(json), DumpJson(JsonObject({{"id", "s1"},
                                                 {"count", 3},
                                                 {"open", true},
                                                 {"tags", std::vector<std::string>{"a", "b"}},
                                                 TimeMembers("due", 1'801'353'600'000),
                                                 AmountMembers("amount", 25050, "EUR"),
                                                 HlcMembers("time", Hlc{1'795'132'800'000, 2}),
                                                 {"note", ""}})));

  // Text keys where given; no note while it is empty; JSON-only tags left out.
  EXPECT_THAT(PropertiesDetails<Sample>(kSampleProperties, sample),
              ElementsAre(std::pair<std::string, std::string>{"id", "s1"},
                          std::pair<std::string, std::string>{"n", "3"},
                          std::pair<std::string, std::string>{"open", "yes"},
                          std::pair<std::string, std::string>{"due", "2027-01-31"},
                          std::pair<std::string, std::string>{"amount", "250.50 EUR"},
                          std::pair<std::string, std::string>{"currency", "EUR"},
                          std::pair<std::string, std::string>{"time", "2026-11-20"}));

  Sample noted = sample;
  noted.note = "x";
  EXPECT_EQ(PropertiesDetails<Sample>(kSampleProperties, noted).back().first, "note");

  // Every column shown as text, even when empty; numbers right-aligned.
  const Table table = PropertiesTable<Sample>(kSampleProperties, {sample, noted});
  EXPECT_EQ(Lines(RenderCsv(table))[0], "id,n,open,due,amount,currency,time,note");
  EXPECT_THAT(table.rows[0],
              ElementsAre("s1", "3", "yes", "2027-01-31", "250.50 EUR", "EUR", "2026-11-20", ""));
  EXPECT_TRUE(table.columns[1].right_aligned);
  EXPECT_FALSE(table.columns[0].right_aligned);

  // A RecordFormat of the table alone prints all three formats from it.
  const RecordFormat<Sample> format = {kSampleProperties};
  EXPECT_EQ(DumpJson(format(std::vector<Sample>{sample}).json[0]), DumpJson(json));
  EXPECT_EQ(format(sample).values, PropertiesDetails<Sample>(kSampleProperties, sample));
}

TEST(CliOutputTest, HelpersFormatIdsAndMoney) {
  EXPECT_EQ(ShortId(std::string(64, 'f')), "ffffffffffff");
  EXPECT_EQ(ShortId(""), "");
  EXPECT_EQ(MoneyText(25050, "EUR"), "250.50 EUR");
  EXPECT_EQ(MoneyText(7, "JPY"), "7 JPY");
}

// Issue 11: names from hostile or old data carried terminal escapes that the CLI printed raw.
// Every control character shows as text in tables, key/value lines, CSV and plain text, and as
// a JSON escape in JSON; no ESC (0x1b), CSI (0x9b, raw or as U+009B) or DEL byte is printed.
void ExpectNoRawControls(const std::string& printed, const std::string& where) {
  for (size_t i = 0; i < printed.size();) {
    const unsigned char c = static_cast<unsigned char>(printed[i]);
    if (c < 0x80) {
      EXPECT_FALSE(c < 0x20 && c != '\n' && c != '\t')
          << where << ": byte " << int{c} << " at " << i;
      EXPECT_NE(c, 0x7f) << where << ": DEL at " << i;
      ++i;
      continue;
    }
    // Only whole UTF-8 sequences, and none of them a C1 control (U+0080..U+009F).
    const size_t length = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
    ASSERT_NE(length, 0u) << where << ": stray byte " << int{c} << " at " << i;
    ASSERT_LE(i + length, printed.size()) << where << ": cut sequence at " << i;
    for (size_t k = 1; k < length; ++k) {
      ASSERT_EQ(static_cast<unsigned char>(printed[i + k]) & 0xc0, 0x80) << where << " at " << i;
    }
    EXPECT_FALSE(c == 0xc2 && static_cast<unsigned char>(printed[i + 1]) < 0xa0)
        << where << ": C1 control at " << i;
    i += length;
  }
}

TEST(CliOutputTest, HostileNamesAreEscapedInTablesAndCsv) {
  const std::string hostile =
      "Evil\x1b[2J\x1b]0;pwned\x07 Org\x7f\xc2\x9b"
      "31m\x9b"
      "1m\tend\r";
  Table table{{{"name"}, {"amount", true}}, {}};
  table.rows.push_back({hostile, "5.00"});
  const std::string rendered = RenderTable(table);
  ExpectNoRawControls(rendered, "table");
  EXPECT_THAT(rendered, HasSubstr("Evil\\x1b[2J\\x1b]0;pwned\\x07 Org\\x7f\\u009b31m\\x9b1m end "));

  const std::string csv = RenderCsv(table);
  ExpectNoRawControls(csv, "csv");
  EXPECT_THAT(csv, HasSubstr("Evil\\x1b[2J\\x1b]0;pwned\\x07 Org\\x7f\\u009b31m\\x9b1m\tend\\x0d"));
  EXPECT_THAT(Lines(csv), ElementsAre("name,amount", ::testing::StartsWith("Evil")));

  const std::string details = RenderKeyValues({{"name", hostile}, {"ke\x1by", "v"}});
  ExpectNoRawControls(details, "key/value lines");
  EXPECT_THAT(details, HasSubstr("ke\\x1by"));
  ExpectNoRawControls(RenderKeyValuesCsv({{"name", hostile}}), "key/value csv");
  ExpectNoRawControls(RenderOutput(Output::Text(hostile + "\n"), OutputFormat::kTable), "text");

  const std::string json = DumpJson(Json{{"name", hostile}});
  ExpectNoRawControls(json, "json");
  EXPECT_THAT(json, HasSubstr("\\u001b[2J"));
  EXPECT_THAT(json, HasSubstr("\\u009b31m"));
  EXPECT_EQ(nlohmann::json::parse(json)["name"].get<std::string>().substr(0, 5), "Evil\x1b");
}

TEST(CliOutputTest, EscapingKeepsPrintableUtf8AndShowsBrokenBytes) {
  EXPECT_EQ(OneLine("Fondation Société 日本 €"), "Fondation Société 日本 €");
  EXPECT_EQ(OneLine("cut \xe2\x82"), "cut \\xe2\\x82");
  EXPECT_EQ(OneLine("overlong \xc0\xaf"), "overlong \\xc0\\xaf");
  EXPECT_EQ(EscapeControls("a\nb\tc\x01", EscapeStyle::kLines), "a\nb\tc\\x01");
}

// A list printed page by page (ListWriter) is byte for byte what the whole list prints.
TEST(CliOutputTest, ListPrintedPageByPageEqualsTheWholeList) {
  auto page = [](std::vector<int> ids) {
    Json json = Json::array();
    Table table{{{"id"}, {"name"}, {"n", true}}, {}};
    for (int id : ids) {
      json.push_back(
          Json{{"id", id}, {"name", "org " + std::to_string(id)}, {"nested", {{"a", 1}}}});
      table.rows.push_back({std::to_string(id), "org\x1b " + std::to_string(id), "7"});
    }
    return Output::List(std::move(json), std::move(table));
  };
  for (OutputFormat format : {OutputFormat::kJson, OutputFormat::kCsv, OutputFormat::kTable}) {
    for (const std::vector<std::vector<int>>& pages :
         std::vector<std::vector<std::vector<int>>>{{{1, 2}, {3}, {4, 5, 6}}, {{}}, {{1}, {}}}) {
      std::vector<int> all;
      for (const auto& p : pages) all.insert(all.end(), p.begin(), p.end());
      std::ostringstream streamed;
      ListWriter writer(streamed, format);
      for (const auto& p : pages) writer.Add(page(p));
      streamed << RenderOutput(writer.Finish(), format);
      EXPECT_EQ(streamed.str(), RenderOutput(page(all), format))
          << "format " << static_cast<int>(format) << ", " << pages.size() << " pages";
    }
  }
}

}  // namespace
}  // namespace constellation::cli
