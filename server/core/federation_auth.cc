#include "server/core/federation_auth.h"

#include <absl/strings/numbers.h>
#include <absl/strings/str_format.h>

#include "server/base/limits.h"
#include "server/base/status_macros.h"

namespace constellation::core {
namespace {

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * bytes.size());
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 0xF];
  }
  return out;
}

absl::StatusOr<std::string> Unhex(std::string_view hex, size_t bytes, std::string_view what) {
  auto value = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  if (hex.size() != 2 * bytes) {
    return absl::UnauthenticatedError(absl::StrFormat(
        "federation %s must be %d lowercase hex characters", std::string(what), 2 * bytes));
  }
  std::string out(bytes, '\0');
  for (size_t i = 0; i < bytes; ++i) {
    int hi = value(hex[2 * i]), lo = value(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      return absl::UnauthenticatedError(absl::StrFormat(
          "federation %s must be %d lowercase hex characters", std::string(what), 2 * bytes));
    }
    out[i] = static_cast<char>(hi * 16 + lo);
  }
  return out;
}

}  // namespace

std::string FederationPayload(std::string_view method, uint64_t timestamp_ms,
                              std::string_view nonce_hex, std::string_view request_bytes) {
  const auto request_hash = Sha256(request_bytes);
  std::string payload(method);
  payload += '\0';
  payload += absl::StrFormat("%d", timestamp_ms);
  payload += '\0';
  payload.append(nonce_hex);
  payload += '\0';
  payload.append(reinterpret_cast<const char*>(request_hash.data()), request_hash.size());
  return payload;
}

CallCredentials SignCall(const SigningKey& key, std::string_view method, uint64_t timestamp_ms,
                         std::string_view nonce, std::string_view request_bytes) {
  CallCredentials c;
  c.caller = key.public_key();
  c.timestamp_ms = timestamp_ms;
  c.nonce_hex = Hex(nonce);
  c.signature_hex =
      Hex(key.Sign(kFederationSignatureContext,
                   FederationPayload(method, timestamp_ms, c.nonce_hex, request_bytes)));
  return c;
}

absl::StatusOr<CallCredentials> ParseCallCredentials(std::string_view org_hex,
                                                     std::string_view timestamp,
                                                     std::string_view nonce_hex,
                                                     std::string_view signature_hex) {
  if (org_hex.empty() || timestamp.empty() || nonce_hex.empty() || signature_hex.empty()) {
    return absl::UnauthenticatedError(absl::StrFormat(
        "federation calls need the metadata %s, %s, %s and %s", kFederationOrgHeader,
        kFederationTimestampHeader, kFederationNonceHeader, kFederationSignatureHeader));
  }
  CallCredentials c;
  CONSTELLATION_ASSIGN_OR_RETURN(std::string org, Unhex(org_hex, 32, "org key"));
  c.caller = *OrgKey::FromBytes(org);
  if (!absl::SimpleAtoi(std::string(timestamp), &c.timestamp_ms)) {
    return absl::UnauthenticatedError("federation timestamp must be decimal milliseconds");
  }
  CONSTELLATION_RETURN_IF_ERROR(Unhex(nonce_hex, 16, "nonce").status());
  CONSTELLATION_RETURN_IF_ERROR(Unhex(signature_hex, 64, "signature").status());
  c.nonce_hex = std::string(nonce_hex);
  c.signature_hex = std::string(signature_hex);
  return c;
}

void ReplayGuard::Forget(uint64_t now_ms) {
  const uint64_t horizon =
      now_ms > limits::kFederationClockSkewMsMax ? now_ms - limits::kFederationClockSkewMsMax : 0;
  while (!seen_.empty() && std::get<0>(*seen_.begin()) < horizon) seen_.erase(seen_.begin());
}

absl::Status ReplayGuard::Accept(const CallCredentials& c, std::string_view method,
                                 std::string_view request_bytes, uint64_t now_ms) {
  const uint64_t skew = limits::kFederationClockSkewMsMax;
  if (c.timestamp_ms + skew < now_ms || c.timestamp_ms > now_ms + skew) {
    return absl::UnauthenticatedError(absl::StrFormat(
        "federation call timestamp %d is more than %d ms from this node's clock (%d); check "
        "both clocks (kFederationClockSkewMsMax)",
        c.timestamp_ms, skew, now_ms));
  }
  const std::string signature = *Unhex(c.signature_hex, 64, "signature");
  if (!VerifySignature(c.caller, kFederationSignatureContext,
                       FederationPayload(method, c.timestamp_ms, c.nonce_hex, request_bytes),
                       signature)) {
    return absl::UnauthenticatedError(absl::StrFormat(
        "federation call signature is not valid for org %s and this request", c.caller.ShortHex()));
  }
  Forget(now_ms);
  auto key = std::make_tuple(c.timestamp_ms, c.caller, c.nonce_hex);
  if (seen_.contains(key)) {
    return absl::UnauthenticatedError("federation call replayed (nonce already used)");
  }
  if (seen_.size() >= limits::kFederationNonceCountMax) {
    return absl::ResourceExhaustedError(absl::StrFormat(
        "more than %d federation calls in the replay window (kFederationNonceCountMax); retry",
        limits::kFederationNonceCountMax));
  }
  seen_.insert(std::move(key));
  return absl::OkStatus();
}

}  // namespace constellation::core
