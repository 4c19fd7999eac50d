// server/core/crypto.h
//
// Hashing and signatures (DESIGN §2), on libsodium: SHA-256 for ids, Ed25519 for signatures.
// Every signature is domain-separated: the signed message is a context string ending in NUL,
// then the payload, so a signature made for one purpose is never valid for another.
// Pure: key generation takes the seed as input; the caller supplies randomness.
// Thread safety: functions are thread-safe; SigningKey is immutable after construction.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include <absl/status/statusor.h>

#include "server/core/ids.h"

namespace constellation::core {

inline constexpr std::string_view kEventSignatureContext{"constellation/v1/event\0", 23};
inline constexpr size_t kSeedSizeBytes = 32;

// SHA-256 of `data`.
std::array<uint8_t, 32> Sha256(std::string_view data);

// An Ed25519 key pair. Holds secret material: never log it.
class SigningKey {
 public:
  // Derives the key pair from a 32-byte seed and checks once that a signature it makes
  // verifies under its public key. kInvalidArgument if the seed has another size; kInternal if
  // the self-test fails.
  static absl::StatusOr<SigningKey> FromSeed(std::string_view seed);

  const OrgKey& public_key() const { return public_key_; }

  // Ed25519 signature (64 bytes) over `context` || `payload`.
  std::string Sign(std::string_view context, std::string_view payload) const;

 private:
  SigningKey() = default;
  OrgKey public_key_;
  std::array<uint8_t, 64> secret_key_{};
};

// True when `signature` is a valid Ed25519 signature by `key` over `context` || `payload`.
bool VerifySignature(const OrgKey& key, std::string_view context, std::string_view payload,
                     std::string_view signature);

}  // namespace constellation::core
