// server/core/federation_auth.h
//
// Authentication of node-to-node (federation) calls (DESIGN §4, federation.proto). Every call
// carries the caller's org key, its clock reading, a fresh nonce and an Ed25519 signature over
//   "constellation/v1/federation\0" || method || "\0" || timestamp || "\0" || nonce || "\0" ||
//   SHA-256(serialized request)
// where method is the full gRPC method name ("/constellation.v1.FederationService/PushEvents"),
// timestamp the decimal milliseconds since the Unix epoch and nonce 32 lowercase hex
// characters (16 random bytes). A receiver accepts a call once: the timestamp must be within
// limits::kFederationClockSkewMsMax of its own clock and the (caller, nonce) pair unseen in that
// window. Events are self-authenticating; this protects who may read a group and against
// replayed or reordered calls.
// Pure: the caller supplies the time and the nonce. Thread safety: ReplayGuard is not
// thread-safe (the caller serialises access).
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include <absl/status/status.h>
#include <absl/status/statusor.h>

#include "server/core/crypto.h"
#include "server/core/ids.h"

namespace constellation::core {

inline constexpr std::string_view kFederationSignatureContext{"constellation/v1/federation\0", 28};

// gRPC metadata keys carrying the credentials.
inline constexpr char kFederationOrgHeader[] = "x-constellation-org";
inline constexpr char kFederationTimestampHeader[] = "x-constellation-timestamp";
inline constexpr char kFederationNonceHeader[] = "x-constellation-nonce";
inline constexpr char kFederationSignatureHeader[] = "x-constellation-signature";

struct CallCredentials {
  OrgKey caller;
  uint64_t timestamp_ms = 0;
  std::string nonce_hex;      // 32 lowercase hex characters
  std::string signature_hex;  // 128 lowercase hex characters
};

// The bytes signed for a call (after the context string).
std::string FederationPayload(std::string_view method, uint64_t timestamp_ms,
                              std::string_view nonce_hex, std::string_view request_bytes);

// Signs a call. `nonce` must be 16 fresh random bytes (the caller's to generate).
CallCredentials SignCall(const SigningKey& key, std::string_view method, uint64_t timestamp_ms,
                         std::string_view nonce, std::string_view request_bytes);

// Parses the four metadata values. kUnauthenticated naming what is missing or malformed.
absl::StatusOr<CallCredentials> ParseCallCredentials(std::string_view org_hex,
                                                     std::string_view timestamp,
                                                     std::string_view nonce_hex,
                                                     std::string_view signature_hex);

// Accepts each signed call once.
class ReplayGuard {
 public:
  // OK when `credentials` sign exactly this method and request, the timestamp is within the
  // skew window of `now_ms`, and the nonce was not used by this caller in the window; then
  // remembers the nonce. Errors: kUnauthenticated (bad signature, stale or future timestamp,
  // replayed nonce), kResourceExhausted (more than limits::kFederationNonceCountMax calls in
  // one window: retry later).
  absl::Status Accept(const CallCredentials& credentials, std::string_view method,
                      std::string_view request_bytes, uint64_t now_ms);

  size_t size() const { return seen_.size(); }

 private:
  void Forget(uint64_t now_ms);

  // (timestamp, caller, nonce) of accepted calls still inside the window; ordered by time so
  // expired entries are dropped from the front.
  std::set<std::tuple<uint64_t, OrgKey, std::string>> seen_;
};

}  // namespace constellation::core
