// Unit tests of the write template's pure steps (server/rpc/write.h): the event body built
// from a client request (BodyFrom), the validation done in the reaction before anything is
// posted (PrepareWrite), and where a write's answer puts its view (SetViewField).
#include <string>

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include "constellation/v1/client.pb.h"
#include "server/rpc/write.h"
#include "tests/testing/status_matchers.h"

namespace constellation::rpc {
namespace {

using ::constellation::testing::StatusIs;
using ::google::protobuf::util::MessageDifferencer;
using ::testing::HasSubstr;

const std::string kId32(32, 'p');
const std::string kGroup32(32, 'g');

v1::Money Eur(int64_t amount_minor) {
  v1::Money m;
  m.set_amount_minor(amount_minor);
  m.set_currency("EUR");
  return m;
}

TEST(BodyFromTest, CopiesTheRecordFieldsOfTheSameNameAndNothingElse) {
  v1::RecordPaymentRequest r;
  r.set_request_id("req-1");
  r.set_group_id(kGroup32);
  r.set_pledge_id(kId32);
  *r.mutable_amount() = Eur(500);
  r.set_received_ms(1234);
  r.set_external_ref("bank-7");

  const v1::Event body = BodyFrom(r, &v1::Event::mutable_payment_receipt);

  v1::Event expected;
  v1::PaymentReceipt* receipt = expected.mutable_payment_receipt();
  receipt->set_pledge_id(kId32);
  *receipt->mutable_amount() = Eur(500);
  receipt->set_received_ms(1234);
  receipt->set_external_ref("bank-7");
  EXPECT_TRUE(MessageDifferencer::Equals(body, expected)) << body.DebugString();
}

TEST(BodyFromTest, CopiesEnumsAndSetsMessagesTheRequestLeavesUnset) {
  v1::CastStanceRequest stance;
  stance.set_proposal_id(kId32);
  stance.set_choice(v1::STANCE_CHOICE_BLOCK);
  stance.set_reason("not in our charter");
  const v1::Event cast = BodyFrom(stance, &v1::Event::mutable_stance);
  EXPECT_EQ(cast.stance().choice(), v1::STANCE_CHOICE_BLOCK);
  EXPECT_EQ(cast.stance().reason(), "not in our charter");

  // As `*body.mutable_pledge()->mutable_terms() = r.terms()` did: the terms are present.
  const v1::Event pledge = BodyFrom(v1::RecordPledgeRequest(), &v1::Event::mutable_pledge);
  EXPECT_EQ(pledge.body_case(), v1::Event::kPledge);
  EXPECT_TRUE(pledge.pledge().has_terms());
}

TEST(BodyFromTest, TakesTheWholeRecordWhenTheRequestHoldsIt) {
  v1::OpenCampaignRequest r;
  r.set_request_id("req-2");
  r.mutable_campaign()->set_name("Flood relief");
  *r.mutable_campaign()->mutable_goal() = Eur(100000);

  const v1::Event body = BodyFrom(r, &v1::Event::mutable_campaign);

  EXPECT_EQ(body.body_case(), v1::Event::kCampaign);
  EXPECT_TRUE(MessageDifferencer::Equals(body.campaign(), r.campaign()));
  EXPECT_TRUE(body.request_id().empty());
}

TEST(PrepareWriteTest, ChecksTheGroupThenTheRequestIdThenTheBody) {
  v1::Event invalid;
  invalid.mutable_pledge_cancellation()->set_pledge_id("short");

  const std::string bad_group = "g";
  EXPECT_THAT(PrepareWrite(&bad_group, invalid),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("group_id")));
  EXPECT_THAT(PrepareWrite(&kGroup32, invalid),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("request_id is required")));
  invalid.set_request_id("req-3");
  EXPECT_THAT(
      PrepareWrite(&kGroup32, invalid),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("pledge_cancellation.pledge_id")));
}

TEST(PrepareWriteTest, ReturnsTheGroupAndTheBody) {
  v1::Event body;
  body.set_request_id("req-4");
  body.mutable_pledge_cancellation()->set_pledge_id(kId32);

  ASSERT_OK_AND_ASSIGN(PreparedWrite write, PrepareWrite(&kGroup32, body));
  ASSERT_TRUE(write.group.has_value());
  EXPECT_EQ(write.group->Bytes(), kGroup32);
  EXPECT_TRUE(MessageDifferencer::Equals(write.body, body));

  // A charter founds a group: there is none to name.
  v1::Event charter;
  charter.set_request_id("req-5");
  charter.mutable_charter()->set_name("Coalition");
  charter.mutable_charter()->set_kind(v1::GROUP_KIND_PARTNERSHIP);
  ASSERT_OK_AND_ASSIGN(PreparedWrite genesis, PrepareWrite(nullptr, charter));
  EXPECT_FALSE(genesis.group.has_value());
}

TEST(SetViewFieldTest, PutsTheViewInTheFieldOfItsType) {
  v1::GroupView view;
  view.set_group_id(kGroup32);
  v1::JoinGroupResponse response;
  response.mutable_sync()->set_rounds(2);

  SetViewField(view, &response);

  EXPECT_EQ(response.group().group_id(), kGroup32);
  EXPECT_EQ(response.sync().rounds(), 2u);
}

}  // namespace
}  // namespace constellation::rpc
