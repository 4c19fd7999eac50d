// tests/unit/crypto_test.cc
//
// SHA-256 and domain-separated Ed25519 signatures (server/core/crypto.h).
#include "server/core/crypto.h"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/testing/status_matchers.h"

namespace constellation::core {
namespace {

using ::constellation::testing::StatusIs;
using ::testing::HasSubstr;

std::string HexOf(const std::array<uint8_t, 32>& digest) {
  return EventId::FromArray(digest).Hex();
}

std::string Unhex(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

SigningKey KeyOf(char fill) {
  absl::StatusOr<SigningKey> key = SigningKey::FromSeed(std::string(kSeedSizeBytes, fill));
  EXPECT_TRUE(key.ok()) << key.status();
  return *std::move(key);
}

constexpr std::string_view kOtherContext{"constellation/v1/peer-call\0", 27};

TEST(Sha256Test, KnownVectors) {
  EXPECT_EQ(HexOf(Sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(HexOf(Sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Sha256Test, HashesEmbeddedNulBytes) {
  EXPECT_NE(Sha256(std::string("a\0b", 3)), Sha256(std::string("a", 1)));
}

TEST(SigningKeyTest, SeedMustBe32Bytes) {
  EXPECT_THAT(SigningKey::FromSeed(std::string(31, 'a')),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("32 bytes, got 31")));
  EXPECT_THAT(SigningKey::FromSeed(""), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(SigningKeyTest, Rfc8032TestVectorOne) {
  // RFC 8032 §7.1 TEST 1: empty message. With an empty context the signed message is empty.
  ASSERT_OK_AND_ASSIGN(SigningKey key,
                       SigningKey::FromSeed(Unhex(
                           "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")));
  EXPECT_EQ(key.public_key().Hex(),
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  const std::string signature = key.Sign("", "");
  EXPECT_EQ(signature,
            Unhex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33"
                  "bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"));
  EXPECT_TRUE(VerifySignature(key.public_key(), "", "", signature));
}

TEST(SigningKeyTest, DeterministicFromSeed) {
  SigningKey a1 = KeyOf('a');
  SigningKey a2 = KeyOf('a');
  SigningKey b = KeyOf('b');
  EXPECT_EQ(a1.public_key(), a2.public_key());
  EXPECT_NE(a1.public_key(), b.public_key());
  EXPECT_EQ(a1.Sign(kEventSignatureContext, "payload"), a2.Sign(kEventSignatureContext, "payload"));
  EXPECT_NE(a1.Sign(kEventSignatureContext, "payload"), b.Sign(kEventSignatureContext, "payload"));
}

TEST(SignatureTest, SignThenVerify) {
  SigningKey key = KeyOf('a');
  std::string signature = key.Sign(kEventSignatureContext, "event id bytes");
  EXPECT_EQ(signature.size(), 64u);
  EXPECT_TRUE(
      VerifySignature(key.public_key(), kEventSignatureContext, "event id bytes", signature));
}

TEST(SignatureTest, EventContextEndsInItsOnlyNul) {
  // Contexts are prefix-free because each ends in its only NUL (crypto.h).
  ASSERT_FALSE(kEventSignatureContext.empty());
  EXPECT_EQ(kEventSignatureContext.back(), '\0');
  EXPECT_EQ(kEventSignatureContext.find('\0'), kEventSignatureContext.size() - 1);
  EXPECT_EQ(kEventSignatureContext.substr(0, 22), "constellation/v1/event");
}

TEST(SignatureTest, SignatureForAnotherContextFails) {
  SigningKey key = KeyOf('a');
  std::string signature = key.Sign(kOtherContext, "payload");
  EXPECT_TRUE(VerifySignature(key.public_key(), kOtherContext, "payload", signature));
  EXPECT_FALSE(VerifySignature(key.public_key(), kEventSignatureContext, "payload", signature));
  // Without a context the signature is not valid either.
  EXPECT_FALSE(VerifySignature(key.public_key(), "", "payload", signature));
}

TEST(SignatureTest, TamperedPayloadFails) {
  SigningKey key = KeyOf('a');
  std::string signature = key.Sign(kEventSignatureContext, "payload");
  EXPECT_FALSE(VerifySignature(key.public_key(), kEventSignatureContext, "Payload", signature));
  EXPECT_FALSE(VerifySignature(key.public_key(), kEventSignatureContext, "payload!", signature));
  EXPECT_FALSE(VerifySignature(key.public_key(), kEventSignatureContext, "", signature));
}

TEST(SignatureTest, WrongKeyFails) {
  SigningKey a = KeyOf('a');
  SigningKey b = KeyOf('b');
  std::string signature = a.Sign(kEventSignatureContext, "payload");
  EXPECT_FALSE(VerifySignature(b.public_key(), kEventSignatureContext, "payload", signature));
}

TEST(SignatureTest, TamperedOrMisSizedSignatureFails) {
  SigningKey key = KeyOf('a');
  std::string signature = key.Sign(kEventSignatureContext, "payload");
  for (size_t i : {size_t{0}, size_t{31}, size_t{63}}) {
    std::string flipped = signature;
    flipped[i] ^= 0x01;
    EXPECT_FALSE(VerifySignature(key.public_key(), kEventSignatureContext, "payload", flipped))
        << "byte " << i;
  }
  EXPECT_FALSE(VerifySignature(key.public_key(), kEventSignatureContext, "payload",
                               signature.substr(0, 63)));
  EXPECT_FALSE(
      VerifySignature(key.public_key(), kEventSignatureContext, "payload", signature + "x"));
  EXPECT_FALSE(VerifySignature(key.public_key(), kEventSignatureContext, "payload", ""));
  EXPECT_FALSE(
      VerifySignature(key.public_key(), kEventSignatureContext, "payload", std::string(64, '\0')));
}

}  // namespace
}  // namespace constellation::core
