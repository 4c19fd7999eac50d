// tests/unit/replication_config_test.cc
//
// Replication's inputs in server/app: PeerTargets (replicator.h), the member nodes a group's
// events go to as one node sees the group at a query time; and the [replication] section of
// constellationd's config (config.h): anti_entropy_interval_ms parsed, range-checked, written
// and read back.
#include <algorithm>
#include <cstdint>
#include <fstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "server/app/config.h"
#include "server/app/replicator.h"
#include "server/core/governance/decisions.h"
#include "server/core/group.h"
#include "tests/testing/event_factory.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace constellation::app {
namespace {

using ::constellation::testing::AcceptanceBody;
using ::constellation::testing::AcknowledgementBody;
using ::constellation::testing::AdmitBody;
using ::constellation::testing::HistoryBuilder;
using ::constellation::testing::NoticeBody;
using ::constellation::testing::StanceBody;
using ::constellation::testing::StatusIs;
using ::constellation::testing::TempDir;
using ::constellation::testing::TestCharter;
using ::constellation::testing::TestKey;
using ::constellation::testing::WithdrawalBody;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr uint32_t kNoticeDays = 30;

// ---------------------------------------------------------------------------------------------
// PeerTargets

v1::Charter PeerCharter() {
  v1::Charter c = TestCharter("Coastal Resilience Partnership", "Harbour Trust");
  c.set_withdrawal_notice_days(kNoticeDays);
  c.mutable_founder()->add_endpoints("harbour.example:7400");
  return c;
}

// A group of the founder (a) and bea, cal and dee, each admitted by every member before it,
// with its own endpoints. The events are folded by a core::Group.
class PeerTargetsTest : public ::testing::Test {
 protected:
  PeerTargetsTest() : history_(founder_, PeerCharter()), group_(history_.group()) {
    Put(history_.genesis());
    members_.push_back(&founder_);
    Admit(bea_, "Tide Lab", {"tide-a.example:7400", "tide-b.example:7400"});
    Admit(cal_, "Cove Co-op", {"cove.example:7400"});
    Admit(dee_, "Dune Fund", {"dune.example:7400"});
  }

  void Put(const core::VerifiedEvent& e) {
    absl::StatusOr<core::InsertResult> r = group_.Insert(e);
    ASSERT_TRUE(r.ok()) << r.status();
    ASSERT_EQ(r->admission, core::Admission::kReady);
    ASSERT_FALSE(group_.state().rejected_events().contains(e.id))
        << group_.state().rejected_events().at(e.id);
  }
  core::VerifiedEvent Write(const core::SigningKey& author, const v1::Event& body) {
    core::VerifiedEvent e = history_.Append(author, body);
    Put(e);
    return e;
  }

  void Admit(const core::SigningKey& invitee, const std::string& name,
             const std::vector<std::string>& endpoints) {
    const core::EventId p = Write(founder_, AdmitBody(invitee.public_key())).id;
    for (const core::SigningKey* m : members_) Write(*m, StanceBody(p, v1::STANCE_CHOICE_AGREE));
    for (const core::SigningKey* m : members_) Write(*m, AcknowledgementBody({p}));
    v1::Event accept = AcceptanceBody(p, name);
    v1::MemberProfile* profile = accept.mutable_membership_acceptance()->mutable_profile();
    profile->clear_endpoints();
    for (const std::string& endpoint : endpoints) profile->add_endpoints(endpoint);
    Write(invitee, accept);
    members_.push_back(&invitee);
  }

  // (org, name, endpoint) of each target, for readable comparisons.
  using Row = std::tuple<std::string, std::string, std::string>;
  static std::vector<Row> Rows(const std::vector<PeerTarget>& targets) {
    std::vector<Row> rows;
    for (const PeerTarget& t : targets) rows.emplace_back(t.org.Hex(), t.name, t.endpoint);
    return rows;
  }
  // The rows of `members`' endpoints ordered by org then endpoint.
  std::vector<Row> Expected(std::vector<std::pair<const core::SigningKey*, Row>> rows) const {
    std::sort(rows.begin(), rows.end(), [](const auto& x, const auto& y) {
      if (x.first->public_key() != y.first->public_key()) {
        return x.first->public_key() < y.first->public_key();
      }
      return std::get<2>(x.second) < std::get<2>(y.second);
    });
    std::vector<Row> out;
    for (const auto& [key, row] : rows) out.push_back(row);
    return out;
  }
  Row RowOf(const core::SigningKey& key, const std::string& name,
            const std::string& endpoint) const {
    return Row{key.public_key().Hex(), name, endpoint};
  }

  std::vector<Row> TargetsOf(const core::SigningKey& self, uint64_t now_ms) const {
    return Rows(PeerTargets(group_, self.public_key(), now_ms));
  }

  const core::SigningKey founder_ = TestKey('a');
  const core::SigningKey bea_ = TestKey('b');
  const core::SigningKey cal_ = TestKey('c');
  const core::SigningKey dee_ = TestKey('d');
  const core::SigningKey eve_ = TestKey('e');
  const core::SigningKey outsider_ = TestKey('x');
  HistoryBuilder history_;
  core::Group group_;
  std::vector<const core::SigningKey*> members_;
};

constexpr uint64_t kNowMs = 1'000'000;

TEST_F(PeerTargetsTest, OtherMembersEndpointsOrderedByOrgThenEndpoint) {
  EXPECT_EQ(TargetsOf(founder_, kNowMs),
            Expected({{&bea_, RowOf(bea_, "Tide Lab", "tide-a.example:7400")},
                      {&bea_, RowOf(bea_, "Tide Lab", "tide-b.example:7400")},
                      {&cal_, RowOf(cal_, "Cove Co-op", "cove.example:7400")},
                      {&dee_, RowOf(dee_, "Dune Fund", "dune.example:7400")}}));
  EXPECT_EQ(TargetsOf(cal_, kNowMs),
            Expected({{&founder_, RowOf(founder_, "Harbour Trust", "harbour.example:7400")},
                      {&bea_, RowOf(bea_, "Tide Lab", "tide-a.example:7400")},
                      {&bea_, RowOf(bea_, "Tide Lab", "tide-b.example:7400")},
                      {&dee_, RowOf(dee_, "Dune Fund", "dune.example:7400")}}));
}

// A member's endpoints keep the order of its profile: the first is its preferred one.
TEST_F(PeerTargetsTest, EndpointsOfOneMemberKeepTheProfileOrder) {
  Admit(eve_, "Estuary Watch", {"watch-z.example:7400", "watch-m.example:7400"});
  std::vector<Row> targets = TargetsOf(founder_, kNowMs);
  std::vector<Row> eve_rows;
  for (const Row& row : targets) {
    if (std::get<0>(row) == eve_.public_key().Hex()) eve_rows.push_back(row);
  }
  EXPECT_EQ(eve_rows, (std::vector<Row>{RowOf(eve_, "Estuary Watch", "watch-z.example:7400"),
                                        RowOf(eve_, "Estuary Watch", "watch-m.example:7400")}));
}

TEST_F(PeerTargetsTest, EmptyWhenSelfIsNotAMember) {
  EXPECT_THAT(TargetsOf(outsider_, kNowMs), IsEmpty());
}

TEST_F(PeerTargetsTest, WithdrawnMembersAreNeitherTargetsNorSenders) {
  Write(dee_, WithdrawalBody());
  EXPECT_EQ(TargetsOf(founder_, kNowMs),
            Expected({{&bea_, RowOf(bea_, "Tide Lab", "tide-a.example:7400")},
                      {&bea_, RowOf(bea_, "Tide Lab", "tide-b.example:7400")},
                      {&cal_, RowOf(cal_, "Cove Co-op", "cove.example:7400")}}));
  EXPECT_THAT(TargetsOf(dee_, kNowMs), IsEmpty());
}

TEST_F(PeerTargetsTest, NoticeStopsReplicationOnceItTakesEffect) {
  const core::VerifiedEvent notice = Write(cal_, NoticeBody());
  const uint64_t effective_ms = group_.state().roster().members().at(cal_.public_key()).notice_effective_ms;
  ASSERT_EQ(effective_ms, notice.hlc.wall_ms + kNoticeDays * core::kDayMs);
  const std::vector<Row> without_cal =
      Expected({{&bea_, RowOf(bea_, "Tide Lab", "tide-a.example:7400")},
                {&bea_, RowOf(bea_, "Tide Lab", "tide-b.example:7400")},
                {&dee_, RowOf(dee_, "Dune Fund", "dune.example:7400")}});
  // Notice given but not yet effective: still a member node.
  std::vector<Row> before = TargetsOf(founder_, effective_ms - 1);
  EXPECT_EQ(before.size(), without_cal.size() + 1);
  EXPECT_NE(std::find(before.begin(), before.end(), RowOf(cal_, "Cove Co-op", "cove.example:7400")),
            before.end());
  EXPECT_EQ(TargetsOf(cal_, effective_ms - 1).size(), 4u);
  // From the effective time on: neither a target nor a sender.
  EXPECT_EQ(TargetsOf(founder_, effective_ms), without_cal);
  EXPECT_THAT(TargetsOf(cal_, effective_ms), IsEmpty());
}

// ---------------------------------------------------------------------------------------------
// Config: [replication] anti_entropy_interval_ms

class ReplicationConfigTest : public ::testing::Test {
 protected:
  // Writes `text` as a config file and returns its path.
  std::string ConfigWith(const std::string& text) {
    const std::string path = dir_.Sub(kConfigFileName);
    std::ofstream out(path, std::ios::trunc);
    out << text;
    out.close();
    EXPECT_TRUE(out) << "cannot write " << path;
    return path;
  }

  TempDir dir_;
};

TEST_F(ReplicationConfigTest, IntervalIsParsed) {
  ASSERT_OK_AND_ASSIGN(Config c, LoadConfig(ConfigWith("[org]\nname = \"Riverside Food Bank\"\n"
                                                       "[replication]\n"
                                                       "anti_entropy_interval_ms = 250\n")));
  EXPECT_EQ(c.anti_entropy_interval_ms, 250u);
  EXPECT_EQ(c.org_name, "Riverside Food Bank");
}

TEST_F(ReplicationConfigTest, IntervalDefaultsWhenAbsent) {
  ASSERT_OK_AND_ASSIGN(Config c, LoadConfig(ConfigWith("[org]\nname = \"Riverside\"\n")));
  EXPECT_EQ(c.anti_entropy_interval_ms, 5'000u);
  ASSERT_OK_AND_ASSIGN(Config empty_section, LoadConfig(ConfigWith("[replication]\n")));
  EXPECT_EQ(empty_section.anti_entropy_interval_ms, 5'000u);
}

TEST_F(ReplicationConfigTest, IntervalBoundsAreInclusive) {
  ASSERT_OK_AND_ASSIGN(Config low,
                       LoadConfig(ConfigWith("[replication]\nanti_entropy_interval_ms = 100\n")));
  EXPECT_EQ(low.anti_entropy_interval_ms, 100u);
  ASSERT_OK_AND_ASSIGN(
      Config high, LoadConfig(ConfigWith("[replication]\nanti_entropy_interval_ms = 3600000\n")));
  EXPECT_EQ(high.anti_entropy_interval_ms, 3'600'000u);
}

TEST_F(ReplicationConfigTest, OutOfRangeOrMistypedIntervalIsInvalidArgumentNamingTheKey) {
  for (const std::string value : {"99", "0", "-5", "3600001", "\"5000\"", "2.5", "true"}) {
    SCOPED_TRACE(value);
    EXPECT_THAT(LoadConfig(ConfigWith("[replication]\nanti_entropy_interval_ms = " + value + "\n")),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         HasSubstr("replication.anti_entropy_interval_ms")));
  }
}

TEST_F(ReplicationConfigTest, WrittenConfigReadsBack) {
  Config c;
  c.data_dir = dir_.Sub("data");
  c.listen = "127.0.0.1:0";
  c.advertise = {"node.example.org:7400"};
  c.org_name = "Riverside Food Bank";
  c.anti_entropy_interval_ms = 1'234;
  const std::string path = dir_.Sub(kConfigFileName);
  ASSERT_OK(WriteConfig(c, path));
  ASSERT_OK_AND_ASSIGN(Config back, LoadConfig(path));
  EXPECT_EQ(back.anti_entropy_interval_ms, 1'234u);
  EXPECT_EQ(back.data_dir, c.data_dir);
  EXPECT_EQ(back.listen, c.listen);
  EXPECT_EQ(back.advertise, c.advertise);
  EXPECT_EQ(back.org_name, c.org_name);
  // The default interval round-trips too.
  ASSERT_OK(WriteConfig(Config{}, path));
  ASSERT_OK_AND_ASSIGN(Config defaults, LoadConfig(path));
  EXPECT_EQ(defaults.anti_entropy_interval_ms, Config{}.anti_entropy_interval_ms);
}

}  // namespace
}  // namespace constellation::app
