// tests/unit/audit_bundle_test.cc
//
// Audit bundles (docs/PROTOCOL.md §10; cli/audit/): the line format round-trips, and the
// offline verifier agrees with the protocol's normative test vectors (tests/vectors/*.json,
// written independently of it): each vector's events, in its canonical order, with its fork
// proofs and its state hash, verify, and the recomputed campaign totals and fund balances are
// the vector's. Changed bundles are refused naming the line.
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <absl/strings/escaping.h>
#include <absl/strings/str_format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli/audit/bundle.h"
#include "cli/audit/verify.h"
#include "cli/commands.h"
#include "cli/exit_code.h"
#include "tests/testing/temp_dir.h"

namespace constellation::cli {
namespace {

using nlohmann::json;

std::string Bytes(const json& hex) { return absl::HexStringToBytes(hex.get<std::string>()); }

// A vector file as a bundle: its last point's canonical order, fork proofs for the events the
// file receives as forks (with the held event of the same author and seq), and a statement of
// the point's state hash (totals are compared by the test, not stated: the vectors hold only
// goal-currency totals).
struct VectorBundle {
  std::vector<std::string> lines;
  json point;
};

VectorBundle FromVector(const json& document) {
  const json& point = document["points"].back();
  const uint64_t after = point["after"].get<uint64_t>();
  std::map<std::string, const json*> by_id;
  std::vector<const json*> forks;
  for (uint64_t i = 0; i < after; ++i) {
    const json& e = document["events"][i];
    if (e["receive"] == "fork") {
      forks.push_back(&e);
    } else {
      by_id[e["id"].get<std::string>()] = &e;
    }
  }
  VectorBundle bundle;
  bundle.point = point;
  BundleHeader header;
  header.group_id = document["group_id"].get<std::string>();
  header.group_name = document["name"].get<std::string>();
  bundle.lines.push_back(HeaderLine(header));
  uint64_t position = 0;
  for (const json& id : point["canonical_order"]) {
    const json& e = *by_id.at(id.get<std::string>());
    bundle.lines.push_back(
        EventLine({++position, id.get<std::string>(), Bytes(e["event"]), Bytes(e["signature"])}));
  }
  for (const json* fork : forks) {
    for (const auto& [id, held] : by_id) {
      if ((*held)["author"] == (*fork)["author"] && (*held)["seq"] == (*fork)["seq"]) {
        bundle.lines.push_back(
            ForkProofLine({{0, "", Bytes((*held)["event"]), Bytes((*held)["signature"])},
                           {0, "", Bytes((*fork)["event"]), Bytes((*fork)["signature"])}}));
      }
    }
  }
  BundleStatement statement;
  statement.event_count = position;
  statement.last_event_id = point["canonical_order"].back().get<std::string>();
  statement.state_hash = point["state_hash"].get<std::string>();
  bundle.lines.push_back(StatementLine(statement));
  return bundle;
}

absl::StatusOr<VerifyReport> Verify(const std::vector<std::string>& lines) {
  BundleVerifier verifier;
  for (const std::string& line : lines) {
    if (absl::Status added = verifier.AddLine(line); !added.ok()) return added;
  }
  return verifier.Finish();
}

std::vector<json> Vectors() {
  std::vector<json> out;
  for (const auto& entry : std::filesystem::directory_iterator(CONSTELLATION_VECTORS_DIR)) {
    if (entry.path().extension() != ".json") continue;
    std::ifstream in(entry.path());
    out.push_back(json::parse(in));
  }
  return out;
}

TEST(AuditBundleTest, EveryProtocolVectorVerifiesWithItsStateHashAndTotals) {
  int files = 0;
  int with_forks = 0;
  for (const json& document : Vectors()) {
    SCOPED_TRACE(document["name"].get<std::string>());
    ++files;
    const VectorBundle bundle = FromVector(document);
    absl::StatusOr<VerifyReport> report = Verify(bundle.lines);
    ASSERT_TRUE(report.ok()) << report.status();
    EXPECT_EQ(report->state_hash, bundle.point["state_hash"]);
    EXPECT_EQ(report->event_count, bundle.point["canonical_order"].size());
    EXPECT_EQ(report->rejected_count, bundle.point["state"]["rejected_events"].size());
    std::vector<std::string> frozen;
    for (const json& f : bundle.point["frozen_authors"]) frozen.push_back(f["author"]);
    EXPECT_EQ(report->frozen_authors, frozen);
    if (!frozen.empty()) ++with_forks;
    EXPECT_FALSE(report->totals_stated);

    const json& campaigns = bundle.point["totals"]["campaigns"];
    ASSERT_EQ(report->campaigns.size(), campaigns.size());
    for (size_t i = 0; i < campaigns.size(); ++i) {
      const json& want = campaigns[i];
      const VerifiedCampaign& got = report->campaigns[i];
      EXPECT_EQ(got.campaign_id, want["id"]);
      ASSERT_FALSE(got.totals.empty());
      const CampaignTotals& t = got.totals[0];  // the goal currency's
      EXPECT_EQ(t.currency, want["currency"]);
      EXPECT_EQ(t.pledge_count, want["pledge_count"]);
      EXPECT_EQ(t.pledged_minor, want["pledged_minor"]);
      EXPECT_EQ(t.received_minor, want["received_minor"]);
      EXPECT_EQ(t.written_off_minor, want["written_off_minor"]);
      EXPECT_EQ(t.outstanding_minor, want["outstanding_minor"]);
      EXPECT_EQ(t.conditional_minor, want["conditional_minor"]);
      EXPECT_EQ(t.cancelled_minor, want["cancelled_minor"]);
      EXPECT_EQ(t.lapsed_minor, want["lapsed_minor"]);
      EXPECT_EQ(t.unapplied_minor, want["unapplied_minor"]);
    }
    const json& funds = bundle.point["totals"]["funds"];
    ASSERT_EQ(report->funds.size(), funds.size());
    for (size_t i = 0; i < funds.size(); ++i) {
      EXPECT_EQ(report->funds[i].fund_id, funds[i]["id"]);
      EXPECT_EQ(report->funds[i].balances.balance_minor, funds[i]["balance_minor"]);
    }
  }
  EXPECT_GE(files, 6);
  EXPECT_GE(with_forks, 1) << "the fork vector exercises fork-proof lines";
}

// The vector with campaigns, as a bundle whose statement carries the totals the verifier
// derives: it verifies; any total changed by one minor unit does not.
TEST(AuditBundleTest, StatedTotalsAreComparedToTheUnit) {
  for (const json& document : Vectors()) {
    const VectorBundle vector = FromVector(document);
    absl::StatusOr<VerifyReport> report = Verify(vector.lines);
    ASSERT_TRUE(report.ok()) << report.status();
    if (report->campaigns.empty() || report->campaigns[0].member_totals.empty()) continue;
    SCOPED_TRACE(document["name"].get<std::string>());

    absl::StatusOr<BundleLine> parsed = ParseBundleLine(vector.lines.back());
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    BundleStatement statement = std::get<BundleStatement>(*parsed);
    BundleTotals totals;
    for (const VerifiedCampaign& c : report->campaigns) {
      totals.campaigns.push_back({c.campaign_id, c.totals, c.member_totals});
    }
    for (const VerifiedFund& f : report->funds) totals.funds.push_back(f.balances);
    statement.totals = totals;
    std::vector<std::string> lines = vector.lines;
    lines.back() = StatementLine(statement);
    absl::StatusOr<VerifyReport> stated = Verify(lines);
    ASSERT_TRUE(stated.ok()) << stated.status();
    EXPECT_TRUE(stated->totals_stated);

    statement.totals->campaigns[0].member_totals[0].received_minor += 1;
    lines.back() = StatementLine(statement);
    absl::StatusOr<VerifyReport> changed = Verify(lines);
    ASSERT_FALSE(changed.ok());
    EXPECT_EQ(ExitCodeOf(changed.status()), ExitCode::kNotVerified);
    EXPECT_NE(changed.status().message().find("member_totals[0] received_minor"), std::string::npos)
        << changed.status();

    statement.totals->campaigns[0].member_totals[0].received_minor -= 1;
    statement.totals->campaigns.pop_back();
    lines.back() = StatementLine(statement);
    EXPECT_EQ(ExitCodeOf(Verify(lines).status()), ExitCode::kNotVerified);
    return;
  }
  FAIL() << "no vector has a campaign with pledges";
}

TEST(AuditBundleTest, ChangedBundlesAreRefusedNamingTheLine) {
  std::vector<std::string> lines;
  for (const json& document : Vectors()) {
    if (document["name"] == "membership_fundraising") lines = FromVector(document).lines;
  }
  ASSERT_GT(lines.size(), 6u);
  const auto refused = [](const std::vector<std::string>& bundle, const std::string& text) {
    absl::StatusOr<VerifyReport> report = Verify(bundle);
    ASSERT_FALSE(report.ok()) << "verified: " << text;
    EXPECT_EQ(ExitCodeOf(report.status()), ExitCode::kNotVerified) << report.status();
    EXPECT_NE(report.status().message().find(text), std::string::npos) << report.status();
  };
  {  // the events of lines 3 and 4 swapped: positions out of order
    std::vector<std::string> b = lines;
    std::swap(b[2], b[3]);
    refused(b, "line 3: event at position 3, where position 2 comes next");
  }
  {  // the founder's second event removed, positions renumbered: its next event's prev is gone
    std::vector<std::string> b = lines;
    b.erase(b.begin() + 2);
    for (size_t i = 2; i + 1 < b.size(); ++i) {
      BundleEvent e = std::get<BundleEvent>(*ParseBundleLine(b[i]));
      e.position = i;
      b[i] = EventLine(e);
    }
    refused(b, "names a prev or dep that no earlier line holds");
  }
  {  // the genesis twice
    std::vector<std::string> b = lines;
    BundleEvent e = std::get<BundleEvent>(*ParseBundleLine(b[1]));
    e.position = 2;
    b.insert(b.begin() + 2, EventLine(e));
    refused(b, "line 3: the event at position 2 (" + e.event_id + ") is in the bundle twice");
  }
  {  // a stated id that is not the event's
    std::vector<std::string> b = lines;
    BundleEvent e = std::get<BundleEvent>(*ParseBundleLine(b[2]));
    e.event_id = std::string(64, 'a');
    b[2] = EventLine(e);
    refused(b, "line 3: the event at position 2 has id");
  }
  {  // one byte of an event changed: its signature no longer verifies
    std::vector<std::string> b = lines;
    BundleEvent e = std::get<BundleEvent>(*ParseBundleLine(b[2]));
    e.event_bytes.back() ^= 1;
    b[2] = EventLine(e);
    refused(b, "line 3: the event at position 2 does not verify");
  }
  {  // no header
    std::vector<std::string> b(lines.begin() + 1, lines.end());
    refused(b, "line 1: the bundle does not start with a header");
  }
  {  // a line after the statement
    std::vector<std::string> b = lines;
    b.push_back(lines[1]);
    refused(b, "a line after the statement");
  }
  {  // truncated
    std::vector<std::string> b(lines.begin(), lines.end() - 1);
    refused(b, "without its statement: it is truncated");
  }
  {  // another group's header
    std::vector<std::string> b = lines;
    BundleHeader h = std::get<BundleHeader>(*ParseBundleLine(b[0]));
    h.group_id = std::string(64, 'b');
    b[0] = HeaderLine(h);
    refused(b, "line 2: the first event is not the genesis of group bbbb");
  }
  refused({}, "the bundle is empty");
}

std::vector<std::string> VectorLines(const std::string& name) {
  for (const json& document : Vectors()) {
    if (document["name"] == name) return FromVector(document).lines;
  }
  ADD_FAILURE() << "no vector " << name;
  return {};
}

void ExpectRefused(const std::vector<std::string>& bundle, const std::string& text) {
  absl::StatusOr<VerifyReport> report = Verify(bundle);
  ASSERT_FALSE(report.ok()) << "verified: " << text;
  EXPECT_EQ(ExitCodeOf(report.status()), ExitCode::kNotVerified) << report.status();
  EXPECT_NE(report.status().message().find(text), std::string::npos) << report.status();
}

// Fork proofs, the canonical order, a statement's hash and fund balances: each changed alone.
TEST(AuditBundleTest, ForkProofsOrderHashAndFundsAreChecked) {
  const std::vector<std::string> fork = VectorLines("fork");
  ASSERT_GT(fork.size(), 3u);
  size_t proof_line = 0;
  for (size_t i = 0; i < fork.size(); ++i) {
    if (std::holds_alternative<BundleForkProof>(*ParseBundleLine(fork[i]))) proof_line = i;
  }
  ASSERT_NE(proof_line, 0u) << "the fork vector's bundle has a fork-proof line";
  {  // a fork proof whose second event lost a byte: its signature fails
    std::vector<std::string> b = fork;
    BundleForkProof p = std::get<BundleForkProof>(*ParseBundleLine(b[proof_line]));
    p.second.event_bytes.back() ^= 1;
    b[proof_line] = ForkProofLine(p);
    ExpectRefused(b, absl::StrFormat("line %d: the fork proof does not verify", proof_line + 1));
  }
  {  // without the fork proof, the frozen author's freeze is gone: another state hash
    std::vector<std::string> b = fork;
    b.erase(b.begin() + static_cast<ptrdiff_t>(proof_line));
    ExpectRefused(b, "the statement gives the state hash");
  }
  {  // an event after the fork proofs
    std::vector<std::string> b = fork;
    b.insert(b.begin() + static_cast<ptrdiff_t>(proof_line) + 1, fork[1]);
    ExpectRefused(b, "an event after the fork proofs");
  }
  {  // a fork proof of another group (the membership vector's events, paired)
    const std::vector<std::string> other = VectorLines("membership_fundraising");
    BundleForkProof p;
    p.first = std::get<BundleEvent>(*ParseBundleLine(other[2]));
    p.second = std::get<BundleEvent>(*ParseBundleLine(other[3]));
    std::vector<std::string> b = fork;
    b[proof_line] = ForkProofLine(p);
    ExpectRefused(b, "the fork proof does not verify");
  }

  const std::vector<std::string> pooled = VectorLines("pooled");
  ASSERT_GT(pooled.size(), 4u);
  {  // two concurrent neighbours swapped, positions kept in sequence: not canonical
    bool found = false;
    for (const json& document : Vectors()) {
      const std::vector<std::string> lines = FromVector(document).lines;
      for (size_t i = 2; i + 2 < lines.size() && !found; ++i) {
        std::vector<std::string> b = lines;
        BundleEvent e1 = std::get<BundleEvent>(*ParseBundleLine(b[i]));
        BundleEvent e2 = std::get<BundleEvent>(*ParseBundleLine(b[i + 1]));
        std::swap(e1.position, e2.position);
        b[i] = EventLine(e2);
        b[i + 1] = EventLine(e1);
        absl::StatusOr<VerifyReport> report = Verify(b);
        ASSERT_FALSE(report.ok()) << "a swap at line " << i + 1 << " verified";
        found = report.status().message().find("not in canonical order") != std::string::npos;
      }
    }
    EXPECT_TRUE(found) << "no vector has concurrent neighbours (strategy and teams have)";
  }
  {  // a fund balance stated one minor unit higher
    absl::StatusOr<VerifyReport> report = Verify(pooled);
    ASSERT_TRUE(report.ok()) << report.status();
    ASSERT_FALSE(report->funds.empty());
    BundleStatement statement = std::get<BundleStatement>(*ParseBundleLine(pooled.back()));
    BundleTotals totals;
    for (const VerifiedCampaign& c : report->campaigns) {
      totals.campaigns.push_back({c.campaign_id, c.totals, c.member_totals});
    }
    for (const VerifiedFund& f : report->funds) totals.funds.push_back(f.balances);
    totals.funds[0].balance_minor += 1;
    statement.totals = totals;
    std::vector<std::string> b = pooled;
    b.back() = StatementLine(statement);
    ExpectRefused(b, "fund " + report->funds[0].fund_id);
  }
}

// `constellation audit verify FILE` as a user runs it (RunCli, no node anywhere): exit 0 and
// the recomputed hash; progress on a terminal only, erased at the end; exit 17 for a changed
// file, 4 for a missing one.
TEST(AuditBundleTest, TheCliVerifiesAFileOfflineWithProgressOnATerminal) {
  std::vector<std::string> lines;
  std::string hash;
  for (const json& document : Vectors()) {
    if (document["name"] != "membership_fundraising") continue;
    const VectorBundle bundle = FromVector(document);
    lines = bundle.lines;
    hash = bundle.point["state_hash"];
  }
  ASSERT_FALSE(lines.empty());
  constellation::testing::TempDir temp;
  const std::filesystem::path dir = temp.path();
  const auto write = [&](const std::string& name, const std::vector<std::string>& content) {
    std::ofstream file(dir / name, std::ios::binary);
    for (const std::string& line : content) file << line << "\n";
    return (dir / name).string();
  };
  const std::string good = write("good.bundle", lines);
  std::vector<std::string> changed = lines;
  changed.erase(changed.end() - 2);  // the last event
  const std::string bad = write("bad.bundle", changed);

  // Nothing to connect to: an endpoint where no node listens, and no token.
  const EnvLookup env = [](const std::string& name) -> std::optional<std::string> {
    if (name == "CONSTELLATION_ENDPOINT") return "127.0.0.1:1";
    return std::nullopt;
  };
  std::ostringstream out;
  std::ostringstream err;
  ASSERT_EQ(RunCli({"audit", "verify", good, "-o", "json"}, env, out, err, false, true), 0)
      << err.str();
  const json result = json::parse(out.str());
  EXPECT_EQ(result["verified"], true);
  EXPECT_EQ(result["state_hash"], hash);
  EXPECT_NE(err.str().find(" KiB\033[K"), std::string::npos) << err.str();
  EXPECT_TRUE(err.str().ends_with("\r\033[K")) << "the line is erased: " << err.str();

  std::ostringstream piped_out;
  std::ostringstream piped_err;
  ASSERT_EQ(RunCli({"audit", "verify", good}, env, piped_out, piped_err), 0);
  EXPECT_EQ(piped_err.str(), "");
  EXPECT_NE(piped_out.str().find("result      verified"), std::string::npos) << piped_out.str();

  std::ostringstream bad_out;
  std::ostringstream bad_err;
  EXPECT_EQ(RunCli({"audit", "verify", bad}, env, bad_out, bad_err), 17);
  EXPECT_EQ(bad_out.str(), "");
  EXPECT_NE(bad_err.str().find("error: bundle '" + bad + "' does not verify: line " +
                               std::to_string(changed.size()) + ": the statement counts"),
            std::string::npos)
      << bad_err.str();

  // A line longer than the reader's 1 MiB block (a header with a 1.5 MiB group name, which
  // nothing checks): read whole across blocks.
  std::vector<std::string> long_lines = lines;
  BundleHeader header = std::get<BundleHeader>(*ParseBundleLine(lines[0]));
  header.group_name = std::string(1536 * 1024, 'n');
  long_lines[0] = HeaderLine(header);
  const std::string long_header = write("long.bundle", long_lines);
  std::ostringstream long_out;
  std::ostringstream long_err;
  EXPECT_EQ(RunCli({"audit", "verify", long_header, "-o", "json"}, env, long_out, long_err), 0)
      << long_err.str();

  std::ostringstream missing_err;
  EXPECT_EQ(RunCli({"audit", "verify", (dir / "missing.bundle").string()}, env, out, missing_err),
            4);
  EXPECT_NE(missing_err.str().find("cannot be read"), std::string::npos) << missing_err.str();
}

TEST(AuditBundleTest, LinesRoundTripAndMalformedLinesSayWhatIsWrong) {
  BundleEvent e{7, std::string(64, 'c'), std::string("\x00\x01\xff", 3), std::string(64, 's')};
  absl::StatusOr<BundleLine> line = ParseBundleLine(EventLine(e));
  ASSERT_TRUE(line.ok()) << line.status();
  const BundleEvent& back = std::get<BundleEvent>(*line);
  EXPECT_EQ(back.position, 7u);
  EXPECT_EQ(back.event_bytes, e.event_bytes);
  EXPECT_EQ(back.signature, e.signature);

  BundleStatement s;
  s.event_count = 3;
  s.state_hash = std::string(64, 'd');
  s.last_event_id = std::string(64, 'e');
  CampaignTotals t;
  t.currency = "EUR";
  t.pledged_minor = -5;  // read back as written, whatever the sign
  s.totals =
      BundleTotals{{{std::string(64, 'f'), {t}, {}}}, {{std::string(64, '1'), "EUR", 9, 4, 5}}};
  line = ParseBundleLine(StatementLine(s));
  ASSERT_TRUE(line.ok()) << line.status();
  const BundleStatement& sb = std::get<BundleStatement>(*line);
  ASSERT_TRUE(sb.totals.has_value());
  EXPECT_EQ(sb.totals->campaigns[0].totals[0].pledged_minor, -5);
  EXPECT_EQ(sb.totals->funds[0].balance_minor, 5);

  const std::pair<std::string, std::string> bad[] = {
      {"", "not a JSON object"},
      {"[1]", "not a JSON object"},
      {R"({"hello": 1})", "none of a bundle's lines"},
      {R"({"format": "constellation-audit-bundle/9"})", "this version reads"},
      {R"({"position": 1, "event_id": "ab", "event": "!!", "signature": ""})",
       "\"event\" that is not base64"},
      {R"({"position": -1, "event_id": "ab", "event": "", "signature": ""})",
       "\"position\" that is not a number >= 0"},
      {R"({"position": 1, "event": "", "signature": ""})", "has no \"event_id\""},
      {R"({"fork_proof": {"first": {"event": "", "signature": ""}}})", "has no \"second\""},
      {R"({"statement": {"event_count": 1, "last_event_id": "", "state_hash": "",
           "totals": {"campaigns": [{"campaign_id": "", "totals": [{"currency": "EUR"}],
           "member_totals": []}], "funds": []}}})",
       "campaigns[0].totals[0] has no \"member\""},
      {R"({"statement": {"event_count": 1, "last_event_id": "", "state_hash": "",
           "totals": {"campaigns": [], "funds": [{"fund_id": "", "currency": "EUR",
           "received_minor": 9223372036854775808, "disbursed_minor": 0, "balance_minor": 0}]}}})",
       "\"received_minor\" that is not an integer of 64 bits"},
  };
  for (const auto& [text, want] : bad) {
    absl::StatusOr<BundleLine> parsed = ParseBundleLine(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(parsed.status().message().find(want), std::string::npos) << parsed.status();
  }
}

}  // namespace
}  // namespace constellation::cli
