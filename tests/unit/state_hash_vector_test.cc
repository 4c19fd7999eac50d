// tests/unit/state_hash_vector_test.cc
//
// State-hash test vectors (docs/PROTOCOL.md §4): a fixed history that touches every record
// type the fold handles (charter, admission, stances, acknowledgements, acceptance, a campaign,
// pledges, an amendment, a payment, a cancellation, an unapplied receipt, an expulsion with a
// removal cut, a rejected record) must give exactly the recorded state hash. The fundraising
// part's layout is docs/PROTOCOL.md §5.12. The hash is part of the wire contract:
// two implementations (or two versions of this one) that fold the same events must agree, so a
// change of this value is a protocol change, never a refactoring detail.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "server/core/group.h"
#include "tests/testing/event_factory.h"

namespace constellation::core {
namespace {

using ::constellation::testing::AcceptanceBody;
using ::constellation::testing::AcknowledgementBody;
using ::constellation::testing::AdmitBody;
using ::constellation::testing::AmendmentBody;
using ::constellation::testing::CampaignBody;
using ::constellation::testing::CancellationBody;
using ::constellation::testing::ExpelBody;
using ::constellation::testing::HashHex;
using ::constellation::testing::HistoryBuilder;
using ::constellation::testing::PaymentBody;
using ::constellation::testing::PledgeBody;
using ::constellation::testing::StanceBody;
using ::constellation::testing::TestCampaign;
using ::constellation::testing::TestCharter;
using ::constellation::testing::TestKey;
using ::constellation::testing::TestTerms;
using ::constellation::testing::UnappliedPaymentBody;

constexpr v1::StanceChoice kAgree = v1::STANCE_CHOICE_AGREE;

// Builds the vector history: founder a admits b and c, a opens a campaign, b and c pledge,
// b amends and is paid, c cancels and a records money for it as unapplied, a pledge of c concurrent with c's expulsion is cut, and c's
// campaign after the expulsion is rejected.
HistoryBuilder VectorHistory() {
  const SigningKey a = TestKey('a'), b = TestKey('b'), c = TestKey('c');
  HistoryBuilder h(a, TestCharter());
  auto admit = [&](const SigningKey& invitee, const std::vector<const SigningKey*>& voters) {
    const EventId p = h.Append(a, AdmitBody(invitee.public_key())).id;
    for (const SigningKey* v : voters) h.Append(*v, StanceBody(p, kAgree));
    for (const SigningKey* v : voters) h.Append(*v, AcknowledgementBody({p}));
    h.Append(invitee, AcceptanceBody(p));
  };
  admit(b, {&a});
  admit(c, {&a, &b});
  const EventId campaign = h.Append(a, CampaignBody(TestCampaign(1'000'000))).id;
  const EventId pb = h.Append(b, PledgeBody(campaign, TestTerms(40'000))).id;
  const EventId pc = h.Append(c, PledgeBody(campaign, TestTerms(25'000))).id;
  h.Append(b, AmendmentBody(pb, TestTerms(45'000)));
  h.Append(a, PaymentBody(pb, 10'000));
  h.Append(c, CancellationBody(pc));
  h.Append(a, UnappliedPaymentBody(pc, 5'000));  // money after the cancellation: unapplied
  const EventId x = h.Append(a, ExpelBody(c.public_key())).id;
  // c has not seen its expulsion proposal: this pledge is concurrent with it (cut).
  h.AppendWithDeps(c, PledgeBody(campaign, TestTerms(700)), {campaign});
  h.Append(a, StanceBody(x, kAgree));
  h.Append(b, StanceBody(x, kAgree));
  h.Append(a, AcknowledgementBody({x}));
  h.Append(b, AcknowledgementBody({x}));
  h.Append(c, CampaignBody(TestCampaign(5'000)));  // after the expulsion: rejected
  return h;
}

TEST(StateHashVectorTest, FixedHistoryHasTheRecordedHash) {
  HistoryBuilder h = VectorHistory();
  Group group(h.group());
  for (const VerifiedEvent& e : h.events()) ASSERT_TRUE(group.Insert(e).ok());
  EXPECT_EQ(group.state().removal_cuts().size(), 1u);
  EXPECT_EQ(group.state().rejected_events().size(), 2u);
  EXPECT_EQ(HashHex(group.StateHash()), "47a40f910739721cfd4447816971112a68bd6bba19d428920271716eb186ef9f");
}

}  // namespace
}  // namespace constellation::core
