#include "server/core/crypto.h"

#include <sodium.h>

#include <absl/strings/str_format.h>

#include "server/base/check.h"
#include "server/base/limits.h"

namespace constellation::core {
namespace {

// sodium_init is idempotent and thread-safe; it only selects CPU-specific implementations.
void EnsureSodium() {
  static const bool ready = [] { return sodium_init() >= 0; }();
  CONSTELLATION_CHECK(ready);
}

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

std::array<uint8_t, 32> Sha256(std::string_view data) {
  EnsureSodium();
  std::array<uint8_t, 32> out;
  crypto_hash_sha256(out.data(), Bytes(data), data.size());
  return out;
}

absl::StatusOr<SigningKey> SigningKey::FromSeed(std::string_view seed) {
  EnsureSodium();
  if (seed.size() != kSeedSizeBytes) {
    return absl::InvalidArgumentError(
        absl::StrFormat("key seed must be %d bytes, got %d", kSeedSizeBytes, seed.size()));
  }
  SigningKey key;
  std::array<uint8_t, 32> pk;
  crypto_sign_seed_keypair(pk.data(), key.secret_key_.data(), Bytes(seed));
  key.public_key_ = OrgKey::FromArray(pk);
  // The key proves once, here, that what it signs verifies under its public key: SealEvent
  // then need not verify each event the node signs (about 70 us each; issue 10).
  constexpr std::string_view kSelfTestContext = "constellation/key-self-test/v1";
  if (!VerifySignature(key.public_key_, kSelfTestContext, "",
                       key.Sign(kSelfTestContext, ""))) {
    return absl::InternalError(
        "the Ed25519 key derived from this seed does not verify its own signature (libsodium "
        "fault?); the key cannot be used");
  }
  return key;
}

std::string SigningKey::Sign(std::string_view context, std::string_view payload) const {
  std::string message;
  message.reserve(context.size() + payload.size());
  message.append(context).append(payload);
  std::string signature(crypto_sign_BYTES, '\0');
  crypto_sign_detached(reinterpret_cast<unsigned char*>(signature.data()), nullptr, Bytes(message),
                       message.size(), secret_key_.data());
  return signature;
}

bool VerifySignature(const OrgKey& key, std::string_view context, std::string_view payload,
                     std::string_view signature) {
  EnsureSodium();
  if (signature.size() != limits::kSignatureSizeBytes) return false;
  std::string message;
  message.reserve(context.size() + payload.size());
  message.append(context).append(payload);
  return crypto_sign_verify_detached(Bytes(signature), Bytes(message), message.size(),
                                     key.data()) == 0;
}

}  // namespace constellation::core
