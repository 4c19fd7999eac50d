#include "server/core/codec.h"

#include <absl/strings/str_format.h>

#include "server/base/limits.h"
#include "server/base/status_macros.h"

namespace constellation::core {
namespace {

absl::Status CheckStructure(const v1::Event& e) {
  if (e.format_version() != limits::kEventFormatVersion) {
    return absl::InvalidArgumentError(
        absl::StrFormat("event format_version %d is not supported (this node reads version %d)",
                        e.format_version(), limits::kEventFormatVersion));
  }
  if (e.author().size() != limits::kKeySizeBytes) {
    return absl::InvalidArgumentError("event author must be a 32-byte Ed25519 public key");
  }
  if (e.seq() == 0 || e.seq() > limits::kEventSeqMax) {
    return absl::InvalidArgumentError(
        absl::StrFormat("event seq must be in [1, %d], got %d", limits::kEventSeqMax, e.seq()));
  }
  if (e.body_case() == v1::Event::BODY_NOT_SET && e.GetReflection()->GetUnknownFields(e).empty()) {
    return absl::InvalidArgumentError("event has no body");
  }
  // A body this version does not know arrives as unknown fields: the event is valid history
  // (a newer node wrote it) and the fold reports it as not understood, the same on every node
  // of this version.
  const bool genesis = e.body_case() == v1::Event::kCharter;
  if (genesis) {
    if (!e.group_id().empty() || e.seq() != 1 || !e.prev().empty() || e.deps_size() != 0) {
      return absl::InvalidArgumentError(
          "a charter (genesis) event must have seq 1 and no group_id, prev or deps");
    }
  } else {
    if (e.group_id().size() != limits::kIdSizeBytes) {
      return absl::InvalidArgumentError("event group_id must be 32 bytes");
    }
  }
  if (e.seq() == 1) {
    if (!e.prev().empty()) {
      return absl::InvalidArgumentError("event with seq 1 must have an empty prev");
    }
  } else if (e.prev().size() != limits::kIdSizeBytes) {
    return absl::InvalidArgumentError(
        absl::StrFormat("event with seq %d must name its 32-byte prev", e.seq()));
  }
  if (static_cast<size_t>(e.deps_size()) > limits::kEventDepsCountMax) {
    return absl::InvalidArgumentError(
        absl::StrFormat("event has %d deps; the limit kEventDepsCountMax is %d", e.deps_size(),
                        limits::kEventDepsCountMax));
  }
  for (int i = 0; i < e.deps_size(); ++i) {
    if (e.deps(i).size() != limits::kIdSizeBytes) {
      return absl::InvalidArgumentError(absl::StrFormat("event dep %d must be 32 bytes", i));
    }
    if (i > 0 && !(e.deps(i - 1) < e.deps(i))) {
      return absl::InvalidArgumentError("event deps must be sorted ascending without duplicates");
    }
  }
  if (!e.has_hlc()) return absl::InvalidArgumentError("event has no hlc");
  if (e.hlc().wall_ms() > limits::kHlcWallMsMax) {
    return absl::InvalidArgumentError(
        absl::StrFormat("event hlc.wall_ms %d is after the year 9999 (kHlcWallMsMax is %d)",
                        e.hlc().wall_ms(), limits::kHlcWallMsMax));
  }
  if (e.request_id().size() > limits::kRequestIdSizeBytesMax) {
    return absl::InvalidArgumentError(
        absl::StrFormat("event request_id is %d bytes; the limit kRequestIdSizeBytesMax is %d",
                        e.request_id().size(), limits::kRequestIdSizeBytesMax));
  }
  return absl::OkStatus();
}

// Parses `event_bytes` and checks its structure; fills every field of the result. Does not
// check the signature (Verify does).
absl::StatusOr<VerifiedEvent> Decode(std::string event_bytes, std::string signature) {
  if (event_bytes.size() > limits::kEventSizeBytesMax) {
    return absl::InvalidArgumentError(
        absl::StrFormat("event is %d bytes; the limit kEventSizeBytesMax is %d", event_bytes.size(),
                        limits::kEventSizeBytesMax));
  }
  VerifiedEvent v;
  if (!v.event.ParseFromString(event_bytes)) {
    return absl::InvalidArgumentError("event bytes do not parse as constellation.v1.Event");
  }
  CONSTELLATION_RETURN_IF_ERROR(CheckStructure(v.event));
  v.id = EventId::FromArray(Sha256(event_bytes));
  v.author = *OrgKey::FromBytes(v.event.author());
  v.seq = v.event.seq();
  v.hlc = Hlc::FromProto(v.event.hlc());
  v.group = v.event.body_case() == v1::Event::kCharter ? GroupIdOf(v.id)
                                                       : *GroupId::FromBytes(v.event.group_id());
  v.event_bytes = std::move(event_bytes);
  v.signature = std::move(signature);
  return v;
}

absl::StatusOr<VerifiedEvent> Verify(std::string event_bytes, std::string signature) {
  CONSTELLATION_ASSIGN_OR_RETURN(VerifiedEvent v,
                                 Decode(std::move(event_bytes), std::move(signature)));
  if (!VerifySignature(v.author, kEventSignatureContext, v.id.Bytes(), v.signature)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "event %s: signature is not valid for author %s", v.id.ShortHex(), v.author.ShortHex()));
  }
  return v;
}

}  // namespace

v1::SignedEvent VerifiedEvent::ToSignedEvent() const {
  v1::SignedEvent s;
  s.set_event(event_bytes);
  s.set_signature(signature);
  return s;
}

std::string VerifiedEvent::SerializeSigned() const { return ToSignedEvent().SerializeAsString(); }

absl::StatusOr<VerifiedEvent> VerifySignedEvent(const v1::SignedEvent& signed_event) {
  return Verify(signed_event.event(), signed_event.signature());
}

namespace {

absl::StatusOr<v1::SignedEvent> ParseSigned(std::string_view signed_bytes) {
  if (signed_bytes.size() > limits::kSignedEventSizeBytesMax) {
    return absl::InvalidArgumentError(
        absl::StrFormat("signed event is %d bytes; the limit kSignedEventSizeBytesMax is %d",
                        signed_bytes.size(), limits::kSignedEventSizeBytesMax));
  }
  v1::SignedEvent s;
  if (!s.ParseFromArray(signed_bytes.data(), static_cast<int>(signed_bytes.size()))) {
    return absl::InvalidArgumentError("bytes do not parse as constellation.v1.SignedEvent");
  }
  return s;
}

}  // namespace

absl::StatusOr<VerifiedEvent> DecodeSignedEvent(std::string_view signed_bytes) {
  CONSTELLATION_ASSIGN_OR_RETURN(v1::SignedEvent s, ParseSigned(signed_bytes));
  return Verify(std::move(*s.mutable_event()), std::move(*s.mutable_signature()));
}

absl::StatusOr<VerifiedEvent> DecodeStoredEvent(std::string_view signed_bytes) {
  CONSTELLATION_ASSIGN_OR_RETURN(v1::SignedEvent s, ParseSigned(signed_bytes));
  return Decode(std::move(*s.mutable_event()), std::move(*s.mutable_signature()));
}

absl::StatusOr<VerifiedEvent> SealEvent(const v1::Event& event, const SigningKey& key) {
  if (event.author() != key.public_key().Bytes()) {
    return absl::InvalidArgumentError("event author is not the signing key's public key");
  }
  std::string bytes;
  if (!event.SerializeToString(&bytes)) {
    return absl::InternalError("event did not serialize");
  }
  EventId id = EventId::FromArray(Sha256(bytes));
  std::string signature = key.Sign(kEventSignatureContext, id.Bytes());
  // Not verified again: `key` is the author (checked above) and proved when it was made that
  // its signatures verify (SigningKey::FromSeed). Re-verifying cost ~70 us per own event.
  return Decode(std::move(bytes), std::move(signature));
}

}  // namespace constellation::core
