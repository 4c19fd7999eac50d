// tests/unit/codec_test.cc
//
// The event codec (server/core/codec.h): sealing, decoding, and every structural rejection,
// each kInvalidArgument with a message naming the problem.
#include "server/core/codec.h"

#include <string>

#include <gmock/gmock.h>
#include <google/protobuf/unknown_field_set.h>
#include <gtest/gtest.h>

#include "server/base/limits.h"
#include "tests/testing/event_factory.h"
#include "tests/testing/status_matchers.h"

namespace constellation::core {
namespace {

using ::constellation::testing::CharterBody;
using ::constellation::testing::PledgeBody;
using ::constellation::testing::SealOrDie;
using ::constellation::testing::SignUnchecked;
using ::constellation::testing::StatusIs;
using ::constellation::testing::TestCharter;
using ::constellation::testing::TestKey;
using ::constellation::testing::TestTerms;
using ::testing::HasSubstr;

class CodecTest : public ::testing::Test {
 protected:
  // A valid genesis (charter) event by the founder.
  v1::Event Genesis() const {
    v1::Event e = CharterBody(TestCharter());
    e.set_format_version(limits::kEventFormatVersion);
    e.set_author(founder_.public_key().Bytes());
    e.set_seq(1);
    *e.mutable_hlc() = Hlc{1'000, 0}.ToProto();
    return e;
  }

  // A valid non-genesis event: the founder's seq 2, a pledge.
  v1::Event Second() const {
    v1::Event e = PledgeBody(EventId::FromArray(Sha256("campaign")), TestTerms(500));
    e.set_format_version(limits::kEventFormatVersion);
    e.set_group_id(group_.Bytes());
    e.set_author(founder_.public_key().Bytes());
    e.set_seq(2);
    e.set_prev(std::string(32, '\x01'));
    e.add_deps(std::string(32, '\x02'));
    e.add_deps(std::string(32, '\x03'));
    *e.mutable_hlc() = Hlc{1'001, 0}.ToProto();
    e.set_request_id("req-1");
    return e;
  }

  // Signs `e` correctly (bypassing SealEvent's checks) and decodes it from the wire form.
  absl::StatusOr<VerifiedEvent> SignAndDecode(const v1::Event& e) const {
    return DecodeSignedEvent(SignUnchecked(e, founder_).SerializeAsString());
  }

  const SigningKey founder_ = TestKey('a');
  const SigningKey other_ = TestKey('b');
  const GroupId group_ = GroupId::FromArray(Sha256("group"));
};

TEST_F(CodecTest, SealThenDecodeRoundTrip) {
  ASSERT_OK_AND_ASSIGN(VerifiedEvent sealed, SealEvent(Second(), founder_));
  ASSERT_OK_AND_ASSIGN(VerifiedEvent decoded, DecodeSignedEvent(sealed.SerializeSigned()));
  EXPECT_EQ(decoded.id, sealed.id);
  EXPECT_EQ(decoded.group, group_);
  EXPECT_EQ(decoded.author, founder_.public_key());
  EXPECT_EQ(decoded.seq, 2u);
  EXPECT_EQ(decoded.hlc, (Hlc{1'001, 0}));
  EXPECT_EQ(decoded.event_bytes, sealed.event_bytes);
  EXPECT_EQ(decoded.signature, sealed.signature);
  EXPECT_EQ(decoded.event.request_id(), "req-1");
  EXPECT_EQ(decoded.event.pledge().terms().amount().amount_minor(), 500);
  EXPECT_FALSE(decoded.is_genesis());

  ASSERT_OK_AND_ASSIGN(VerifiedEvent verified, VerifySignedEvent(sealed.ToSignedEvent()));
  EXPECT_EQ(verified.id, sealed.id);
}

TEST_F(CodecTest, IdIsSha256OfTheExactEventBytes) {
  ASSERT_OK_AND_ASSIGN(VerifiedEvent sealed, SealEvent(Second(), founder_));
  EXPECT_EQ(sealed.id, EventId::FromArray(Sha256(sealed.event_bytes)));
  EXPECT_EQ(sealed.event_bytes, Second().SerializeAsString());
  EXPECT_TRUE(VerifySignature(founder_.public_key(), kEventSignatureContext, sealed.id.Bytes(),
                              sealed.signature));
}

TEST_F(CodecTest, EventBytesAreKeptAsReceivedNotReserialized) {
  // Protobuf encoding is not canonical: an unknown field survives in the signed bytes and the
  // id is computed over the bytes as received (DESIGN §2).
  v1::SignedEvent s = SignUnchecked(Second(), founder_);
  std::string with_unknown = s.event() + std::string("\xb8\x3e\x01", 3);  // field 999 = 1
  s.set_event(with_unknown);
  EventId id = EventId::FromArray(Sha256(with_unknown));
  s.set_signature(founder_.Sign(kEventSignatureContext, id.Bytes()));
  ASSERT_OK_AND_ASSIGN(VerifiedEvent decoded, DecodeSignedEvent(s.SerializeAsString()));
  EXPECT_EQ(decoded.event_bytes, with_unknown);
  EXPECT_EQ(decoded.id, id);
  EXPECT_EQ(decoded.ToSignedEvent().event(), with_unknown);
}

TEST_F(CodecTest, GenesisGroupIsItsOwnId) {
  ASSERT_OK_AND_ASSIGN(VerifiedEvent genesis, SealEvent(Genesis(), founder_));
  EXPECT_TRUE(genesis.is_genesis());
  EXPECT_EQ(genesis.group, GroupIdOf(genesis.id));
}

TEST_F(CodecTest, SealRejectsAnotherAuthor) {
  EXPECT_THAT(SealEvent(Second(), other_),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("signing key")));
}

TEST_F(CodecTest, SealRejectsMalformedEvent) {
  v1::Event e = Second();
  e.set_seq(0);
  EXPECT_THAT(SealEvent(e, founder_),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("seq")));
}

TEST_F(CodecTest, RejectsOversizedEvent) {
  v1::Event e = Genesis();
  e.mutable_charter()->set_common_agenda(std::string(limits::kEventSizeBytesMax, 'x'));
  EXPECT_THAT(SealEvent(e, founder_),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("kEventSizeBytesMax")));
  EXPECT_THAT(VerifySignedEvent(SignUnchecked(e, founder_)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("kEventSizeBytesMax")));
}

TEST_F(CodecTest, EventOfExactlyTheSizeLimitIsAccepted) {
  v1::Event e = Genesis();
  e.mutable_charter()->set_common_agenda(std::string(limits::kEventSizeBytesMax - 200, 'x'));
  const size_t overhead = e.ByteSizeLong() - e.charter().common_agenda().size();
  e.mutable_charter()->set_common_agenda(std::string(limits::kEventSizeBytesMax - overhead, 'x'));
  ASSERT_EQ(e.ByteSizeLong(), limits::kEventSizeBytesMax);
  ASSERT_OK_AND_ASSIGN(VerifiedEvent sealed, SealEvent(e, founder_));
  // Its signed wire form fits kSignedEventSizeBytesMax.
  EXPECT_OK(DecodeSignedEvent(sealed.SerializeSigned()));
  e.mutable_charter()->mutable_common_agenda()->push_back('x');
  EXPECT_THAT(SealEvent(e, founder_),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("kEventSizeBytesMax")));
}

TEST_F(CodecTest, RejectsOversizedSignedEvent) {
  EXPECT_THAT(DecodeSignedEvent(std::string(limits::kSignedEventSizeBytesMax + 1, 'x')),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("kSignedEventSizeBytesMax")));
}

TEST_F(CodecTest, RejectsUnparsableSignedEventBytes) {
  EXPECT_THAT(DecodeSignedEvent(std::string("\x0a\x05"
                                            "ab",
                                            4)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("SignedEvent")));
}

TEST_F(CodecTest, RejectsUnparsableEventBytes) {
  v1::SignedEvent s;
  s.set_event(
      std::string("\x2a\x20"
                  "short",
                  7));  // prev: 32 bytes announced, 5 given
  s.set_signature(std::string(64, 's'));
  EXPECT_THAT(DecodeSignedEvent(s.SerializeAsString()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("do not parse as constellation.v1.Event")));
}

TEST_F(CodecTest, RejectsWrongFormatVersion) {
  v1::Event e = Second();
  e.set_format_version(2);
  EXPECT_THAT(SignAndDecode(e), StatusIs(absl::StatusCode::kInvalidArgument,
                                         HasSubstr("format_version 2 is not supported")));
  e.set_format_version(0);
  EXPECT_THAT(SignAndDecode(e),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("format_version 0")));
}

TEST_F(CodecTest, RejectsBadAuthorSize) {
  v1::Event e = Second();
  e.set_author(founder_.public_key().Bytes().substr(0, 31));
  EXPECT_THAT(SignAndDecode(e),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("author must be a 32-byte")));
  e.clear_author();
  EXPECT_THAT(SignAndDecode(e), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("author")));
}

TEST_F(CodecTest, RejectsSeqZero) {
  v1::Event e = Second();
  e.set_seq(0);
  e.clear_prev();
  EXPECT_THAT(SignAndDecode(e),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("seq must be in [1,")));
}

TEST_F(CodecTest, RejectsSeqAboveLimit) {
  v1::Event e = Second();
  e.set_seq(limits::kEventSeqMax + 1);
  EXPECT_THAT(SignAndDecode(e), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("seq")));
}

TEST_F(CodecTest, RejectsCharterWithGroupId) {
  v1::Event e = Genesis();
  e.set_group_id(group_.Bytes());
  EXPECT_THAT(SignAndDecode(e),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("charter (genesis) event")));
}

TEST_F(CodecTest, RejectsCharterWithDepsOrLaterSeq) {
  v1::Event e = Genesis();
  e.add_deps(std::string(32, '\x02'));
  EXPECT_THAT(SignAndDecode(e),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("charter (genesis) event")));
  e = Genesis();
  e.set_seq(2);
  e.set_prev(std::string(32, '\x01'));
  EXPECT_THAT(SignAndDecode(e),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("charter (genesis) event")));
}

TEST_F(CodecTest, RejectsNonCharterWithoutGroupId) {
  v1::Event e = Second();
  e.clear_group_id();
  EXPECT_THAT(SignAndDecode(e),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("group_id must be 32 bytes")));
  e.set_group_id(std::string(31, 'g'));
  EXPECT_THAT(SignAndDecode(e),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("group_id")));
}

TEST_F(CodecTest, RejectsSeqOneWithPrev) {
  v1::Event e = Second();
  e.set_seq(1);
  EXPECT_THAT(SignAndDecode(e), StatusIs(absl::StatusCode::kInvalidArgument,
                                         HasSubstr("seq 1 must have an empty prev")));
}

TEST_F(CodecTest, RejectsSeqTwoWithoutPrev) {
  v1::Event e = Second();
  e.clear_prev();
  EXPECT_THAT(SignAndDecode(e), StatusIs(absl::StatusCode::kInvalidArgument,
                                         HasSubstr("seq 2 must name its 32-byte prev")));
  e.set_prev(std::string(16, 'p'));
  EXPECT_THAT(SignAndDecode(e), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("prev")));
}

TEST_F(CodecTest, RejectsUnsortedDeps) {
  v1::Event e = Second();
  e.clear_deps();
  e.add_deps(std::string(32, '\x03'));
  e.add_deps(std::string(32, '\x02'));
  EXPECT_THAT(SignAndDecode(e), StatusIs(absl::StatusCode::kInvalidArgument,
                                         HasSubstr("deps must be sorted ascending")));
}

TEST_F(CodecTest, DepsAreSortedAsUnsignedBytes) {
  v1::Event e = Second();
  e.clear_deps();
  e.add_deps(std::string(32, '\x7f'));
  e.add_deps(std::string(32, '\x80'));
  EXPECT_OK(SignAndDecode(e));
  e.clear_deps();
  e.add_deps(std::string(32, '\x80'));
  e.add_deps(std::string(32, '\x7f'));
  EXPECT_THAT(SignAndDecode(e), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("sorted")));
}

TEST_F(CodecTest, RejectsDuplicateDeps) {
  v1::Event e = Second();
  e.clear_deps();
  e.add_deps(std::string(32, '\x02'));
  e.add_deps(std::string(32, '\x02'));
  EXPECT_THAT(SignAndDecode(e),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("without duplicates")));
}

TEST_F(CodecTest, RejectsBadDepSize) {
  v1::Event e = Second();
  e.add_deps("short");
  EXPECT_THAT(SignAndDecode(e),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("dep 2 must be 32 bytes")));
}

TEST_F(CodecTest, RejectsTooManyDeps) {
  v1::Event e = Second();
  e.clear_deps();
  for (size_t i = 0; i <= limits::kEventDepsCountMax; ++i) {
    std::string dep(32, '\0');
    dep[30] = static_cast<char>(i >> 8);
    dep[31] = static_cast<char>(i & 0xFF);
    e.add_deps(dep);
  }
  EXPECT_THAT(SignAndDecode(e),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("kEventDepsCountMax")));
  e.mutable_deps()->RemoveLast();
  EXPECT_OK(SignAndDecode(e));
}

TEST_F(CodecTest, RejectsMissingHlc) {
  v1::Event e = Second();
  e.clear_hlc();
  EXPECT_THAT(SignAndDecode(e), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("no hlc")));
}

TEST_F(CodecTest, AcceptsARecordTypeFromANewerVersionAsOpaqueHistory) {
  // A body field this version does not know arrives as unknown fields: still a valid, signed
  // event (the fold reports it as not understood), so old nodes keep the author's chain whole.
  v1::Event e = Second();
  e.clear_body();
  e.GetReflection()->MutableUnknownFields(&e)->AddLengthDelimited(999, "future record");
  ASSERT_OK_AND_ASSIGN(VerifiedEvent v, SignAndDecode(e));
  EXPECT_EQ(v.event.body_case(), v1::Event::BODY_NOT_SET);
}

TEST_F(CodecTest, RejectsHlcAfterTheYear9999) {
  v1::Event e = Second();
  e.mutable_hlc()->set_wall_ms(limits::kHlcWallMsMax);
  EXPECT_OK(SignAndDecode(e));
  e.mutable_hlc()->set_wall_ms(limits::kHlcWallMsMax + 1);
  EXPECT_THAT(SignAndDecode(e),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("kHlcWallMsMax")));
}

TEST_F(CodecTest, RejectsOversizedRequestId) {
  v1::Event e = Second();
  e.set_request_id(std::string(limits::kRequestIdSizeBytesMax, 'r'));
  EXPECT_OK(SignAndDecode(e));
  e.set_request_id(std::string(limits::kRequestIdSizeBytesMax + 1, 'r'));
  EXPECT_THAT(SignAndDecode(e),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("kRequestIdSizeBytesMax")));
}

TEST_F(CodecTest, RejectsMissingBody) {
  v1::Event e = Second();
  e.clear_pledge();
  EXPECT_THAT(SignAndDecode(e), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("no body")));
}

TEST_F(CodecTest, RejectsGarbageSignature) {
  v1::SignedEvent s = SignUnchecked(Second(), founder_);
  s.set_signature(std::string(64, 's'));
  EXPECT_THAT(DecodeSignedEvent(s.SerializeAsString()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("signature is not valid")));
  s.set_signature("");
  EXPECT_THAT(VerifySignedEvent(s),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("signature is not valid")));
}

TEST_F(CodecTest, RejectsSignatureByAnotherKey) {
  // The event names the founder as author but the other org signed it.
  v1::SignedEvent s = SignUnchecked(Second(), other_);
  EXPECT_THAT(VerifySignedEvent(s), StatusIs(absl::StatusCode::kInvalidArgument,
                                             HasSubstr("signature is not valid for author " +
                                                       founder_.public_key().ShortHex())));
}

TEST_F(CodecTest, RejectsSignatureWithAnotherContext) {
  v1::SignedEvent s = SignUnchecked(Second(), founder_);
  EventId id = EventId::FromArray(Sha256(s.event()));
  s.set_signature(founder_.Sign("constellation/v1/peer-call", id.Bytes()));
  EXPECT_THAT(VerifySignedEvent(s),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("signature is not valid")));
}

TEST_F(CodecTest, OneFlippedByteInEventBytesInvalidatesTheSignature) {
  v1::SignedEvent s = SignUnchecked(Genesis(), founder_);
  std::string bytes = s.event();
  const std::string name = TestCharter().name();
  size_t at = bytes.find(name);
  ASSERT_NE(at, std::string::npos);
  bytes[at] ^= 0x20;  // 'C' -> 'c': still a parsable, structurally valid event
  s.set_event(bytes);
  EXPECT_THAT(VerifySignedEvent(s),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("signature is not valid")));
}

TEST_F(CodecTest, SignatureOverTheEventBytesInsteadOfTheIdIsRejected) {
  // The signature covers the prefix plus the id, not the raw bytes (DESIGN §2).
  v1::SignedEvent s = SignUnchecked(Second(), founder_);
  s.set_signature(founder_.Sign(kEventSignatureContext, s.event()));
  EXPECT_THAT(VerifySignedEvent(s),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("signature is not valid")));
}

}  // namespace
}  // namespace constellation::core
