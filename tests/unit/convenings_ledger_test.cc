// tests/unit/convenings_ledger_test.cc
//
// The convenings ledger (server/core/convenings/convenings_ledger.h, docs/PROTOCOL.md §5.13):
// every rule and refusal of convenings, attendance, minutes, action items and completions; a
// refused record leaves the convenings state (its part of the state hash) unchanged; two
// completions that did not see each other both take effect and the first in canonical order
// counts, in either arrival order.
#include "server/core/convenings/convenings_ledger.h"

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "server/core/fold/group_state.h"
#include "server/core/governance/governance_ledger.h"
#include "server/core/group.h"
#include "tests/testing/convening_events.h"
#include "tests/testing/event_factory.h"
#include "tests/testing/ledger_test.h"
#include "tests/testing/status_matchers.h"

namespace constellation::core {
namespace {

using ::constellation::testing::ActionBody;
using ::constellation::testing::AttendanceBody;
using ::constellation::testing::CompletionBody;
using ::constellation::testing::ConveningBody;
using ::constellation::testing::HashHex;
using ::constellation::testing::LedgerTest;
using ::constellation::testing::MakeDecisionRule;
using ::constellation::testing::MinutesBody;
using ::constellation::testing::ProposalBody;
using ::constellation::testing::StatusIs;
using ::constellation::testing::TestCharter;
using ::constellation::testing::WithdrawalBody;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string ConveningsHash(const GroupState& state) {
  StateHasher h;
  Convenings(state).HashInto(h);
  return HashHex(h.Finish());
}

v1::Charter ConveningCharter() {
  v1::Charter c = TestCharter();
  *c.add_decision_rules() = MakeDecisionRule(v1::DECISION_TYPE_ADMIT, v1::DECISION_PROCESS_CONSENT);
  return c;
}

class ConveningsLedgerTest : public LedgerTest {
 protected:
  ConveningsLedgerTest() : LedgerTest(ConveningCharter(), ConveningsHash) {
    Admit(bea_);
    Admit(cal_);
  }

  const ConveningsLedger& ledger() const { return Convenings(state()); }
};

TEST_F(ConveningsLedgerTest, AnEmptyLedgerAddsNothingToTheStateHash) {
  EXPECT_EQ(ConveningsHash(state()), HashHex(StateHasher().Finish()));
}

TEST_F(ConveningsLedgerTest, AMemberConvenesWithAnAgendaOfItemsAndProposals) {
  const EventId p = Ok(bea_, ProposalBody(v1::DECISION_TYPE_ADOPT_STRATEGY));
  const EventId c =
      Ok(founder_, ConveningBody(1'900'000'000'000, {p}, {cal_.public_key(), bea_.public_key()}));
  const ConveningState& s = ledger().convenings().at(c);
  EXPECT_EQ(s.convener, founder_.public_key());
  EXPECT_EQ(s.scheduled_ms, 1'900'000'000'000u);
  EXPECT_THAT(s.agenda_proposals, ElementsAre(p));
  // Invitees are kept ascending by key, whatever the record's order.
  EXPECT_TRUE(std::is_sorted(s.invitees.begin(), s.invitees.end()));
  EXPECT_EQ(s.invitees.size(), 2u);
  EXPECT_NE(ConveningsHash(state()), HashHex(StateHasher().Finish()));
}

TEST_F(ConveningsLedgerTest, StatelessRulesRefuseBadConvenings) {
  v1::Event untitled = ConveningBody();
  untitled.mutable_convening()->clear_title();
  EXPECT_THAT(Write(bea_, untitled),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("convening.title")));
  v1::Event untimed = ConveningBody();
  untimed.mutable_convening()->set_scheduled_ms(0);
  EXPECT_THAT(Write(bea_, untimed),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("scheduled_ms")));
  v1::Event far = ConveningBody(UINT64_MAX);
  EXPECT_THAT(Write(bea_, far), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("9999")));
  v1::Event twice = ConveningBody(1, {}, {cal_.public_key(), cal_.public_key()});
  EXPECT_THAT(Write(bea_, twice),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("same id twice")));
  v1::Event legacy = ConveningBody();
  legacy.mutable_convening()->set_minutes("inline minutes");
  EXPECT_THAT(Write(bea_, legacy),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("their own records")));
  v1::Event escape = ConveningBody();
  escape.mutable_convening()->add_agenda_items("\x1b[31mred");
  EXPECT_THAT(Write(bea_, escape),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("control character")));
  EXPECT_TRUE(ledger().convenings().empty());
}

TEST_F(ConveningsLedgerTest, AgendaProposalsAndInviteesMustBeTheGroups) {
  EXPECT_THAT(Write(bea_, ConveningBody(1, {EventId::FromBytes(std::string(32, 'p')).value()})),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("proposal")));
  EXPECT_THAT(Write(bea_, ConveningBody(1, {}, {outsider_.public_key()})),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("invite members only")));
  EXPECT_THAT(Write(outsider_, ConveningBody()), StatusIs(absl::StatusCode::kPermissionDenied));
}

TEST_F(ConveningsLedgerTest, InviteesAttendOnceAndOthersAreRefused) {
  const EventId c = Ok(founder_, ConveningBody(1, {}, {bea_.public_key()}));
  Ok(bea_, AttendanceBody(c));
  EXPECT_THAT(Write(bea_, AttendanceBody(c)),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("already recorded")));
  EXPECT_THAT(Write(cal_, AttendanceBody(c)),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("not invited")));
  EXPECT_THAT(Write(cal_, AttendanceBody(EventId::FromBytes(std::string(32, 'z')).value())),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("convening")));
  EXPECT_EQ(ledger().convenings().at(c).attendance.size(), 1u);
}

TEST_F(ConveningsLedgerTest, WithoutInviteesEveryMemberMayAttend) {
  const EventId c = Ok(founder_, ConveningBody());
  Ok(bea_, AttendanceBody(c));
  Ok(cal_, AttendanceBody(c));
  EXPECT_EQ(ledger().convenings().at(c).attendance.size(), 2u);
}

TEST_F(ConveningsLedgerTest, OnlyTheConvenerRecordsMinutesAndTheLastCounts) {
  const EventId c = Ok(founder_, ConveningBody());
  EXPECT_THAT(Write(bea_, MinutesBody(c)),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("only the convener")));
  const EventId first = Ok(founder_, MinutesBody(c, "draft"));
  const EventId second = Ok(founder_, MinutesBody(c, "final"));
  EXPECT_THAT(ledger().convenings().at(c).minutes, ElementsAre(first, second));
  v1::Event empty = MinutesBody(c, "");
  EXPECT_THAT(Write(founder_, empty), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(ConveningsLedgerTest, TheConvenerOrAnAttendeeRecordsActionItemsOwnedByMembers) {
  const EventId c = Ok(founder_, ConveningBody());
  EXPECT_THAT(Write(bea_, ActionBody(c, bea_.public_key())),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("neither convened")));
  Ok(bea_, AttendanceBody(c));
  const EventId a = Ok(bea_, ActionBody(c, cal_.public_key(), 1'234));
  const ActionItemState& item = ledger().actions().at(a);
  EXPECT_EQ(item.owner, cal_.public_key());
  EXPECT_EQ(item.recorded_by, bea_.public_key());
  EXPECT_EQ(item.due_ms, 1'234u);
  EXPECT_FALSE(item.done());
  EXPECT_THAT(ledger().convenings().at(c).actions, ElementsAre(a));
  EXPECT_THAT(Write(founder_, ActionBody(c, outsider_.public_key())),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("owned by a member")));
  v1::Event undated = ActionBody(c, cal_.public_key());
  undated.mutable_convening_action()->mutable_item()->set_due_ms(0);
  EXPECT_THAT(Write(founder_, undated),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("item.due_ms")));
}

TEST_F(ConveningsLedgerTest, AnOwnerWhoWithdrewCannotBeGivenNewItems) {
  const EventId c = Ok(founder_, ConveningBody());
  Ok(cal_, WithdrawalBody());
  EXPECT_THAT(Write(founder_, ActionBody(c, cal_.public_key())),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("not a member")));
}

TEST_F(ConveningsLedgerTest, TheOwnerOrTheConvenerMarksAnItemDoneOnce) {
  const EventId c = Ok(founder_, ConveningBody());
  const EventId a = Ok(founder_, ActionBody(c, bea_.public_key()));
  EXPECT_THAT(Write(cal_, CompletionBody(a)),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("only its owner")));
  const EventId done = Ok(bea_, CompletionBody(a, "sent"));
  EXPECT_THAT(ledger().actions().at(a).completions, ElementsAre(done));
  EXPECT_THAT(Write(founder_, CompletionBody(a)),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("already done")));
  EXPECT_THAT(Write(bea_, CompletionBody(EventId::FromBytes(std::string(32, 'q')).value())),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("action item")));
}

TEST_F(ConveningsLedgerTest, RecordsNotInTheAuthorsCausalPastAreRefused) {
  const EventId c = Ok(founder_, ConveningBody());
  // bea writes without having seen the convening: no deps, its own chain predates it.
  EXPECT_THAT(Put(history_.AppendWithDeps(bea_, AttendanceBody(c), {})),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("causal past")));
}

// Two completions that did not see each other: both take effect, the first in canonical order
// counts, and the state is the same whichever arrives first.
TEST_F(ConveningsLedgerTest, ConcurrentCompletionsBothStandAndTheFirstInCanonicalOrderCounts) {
  const EventId c = Ok(founder_, ConveningBody());
  const EventId a = Ok(founder_, ActionBody(c, bea_.public_key()));
  Ok(bea_, AttendanceBody(c));  // bea has seen the item
  const VerifiedEvent by_owner = history_.AppendWithDeps(bea_, CompletionBody(a, "owner"), {a});
  const VerifiedEvent by_convener =
      history_.AppendWithDeps(founder_, CompletionBody(a, "convener"), {});
  // Another node receives them in the other order.
  Group other(history_.group());
  for (const VerifiedEvent& e : history_.events()) {
    if (e.id != by_owner.id && e.id != by_convener.id) {
      ASSERT_OK(other.Insert(e).status());
    }
  }
  ASSERT_OK(other.Insert(by_convener).status());
  ASSERT_OK(other.Insert(by_owner).status());
  EXPECT_OK(Put(by_owner));
  EXPECT_OK(Put(by_convener));
  ASSERT_FALSE(state().HappenedBefore(by_owner.id, by_convener.id));
  ASSERT_FALSE(state().HappenedBefore(by_convener.id, by_owner.id));
  const ActionItemState& item = ledger().actions().at(a);
  ASSERT_EQ(item.completions.size(), 2u);
  EXPECT_EQ(Convenings(other.state()).actions().at(a).completions, item.completions);
  EXPECT_EQ(other.state().Hash(), state().Hash());
}

}  // namespace
}  // namespace constellation::core
