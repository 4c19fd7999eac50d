// server/core/codec.h
//
// The event codec (DESIGN §2): turns untrusted SignedEvent bytes into a VerifiedEvent, and
// seals a locally built Event into SignedEvent bytes. Checks here need no group state: sizes,
// structure, format version, field shapes and the author's signature. Chain and authority
// rules need state and live in dag.h and group_state.h.
// Invariant: VerifiedEvent::event_bytes are the exact signed bytes; they are never
// re-serialized, and id == SHA-256(event_bytes).
// Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include <absl/status/statusor.h>

#include "constellation/v1/event.pb.h"
#include "server/core/crypto.h"
#include "server/core/hlc.h"
#include "server/core/ids.h"

namespace constellation::core {

struct VerifiedEvent {
  EventId id;
  GroupId group;  // for a genesis event: its own id
  OrgKey author;
  uint64_t seq = 0;
  Hlc hlc;
  std::string event_bytes;  // exactly as signed
  std::string signature;
  v1::Event event;  // parsed from event_bytes

  bool is_genesis() const { return event.body_case() == v1::Event::kCharter && seq == 1; }
  // The SignedEvent wire form.
  v1::SignedEvent ToSignedEvent() const;
  std::string SerializeSigned() const;
};

// Decodes and verifies a SignedEvent. Errors (kInvalidArgument, naming what is wrong):
// oversized, unparsable, unknown format version, bad ids or deps, missing body, bad signature.
absl::StatusOr<VerifiedEvent> VerifySignedEvent(const v1::SignedEvent& signed_event);
// Same, from the serialized SignedEvent.
absl::StatusOr<VerifiedEvent> DecodeSignedEvent(std::string_view signed_bytes);

// Serializes `event` once, signs its id with `key` and returns the result, checked like a
// received event except for the signature, which `key` (tested when it was made) just produced.
// kInvalidArgument if the event is malformed or `event.author` is not `key`'s public key.
absl::StatusOr<VerifiedEvent> SealEvent(const v1::Event& event, const SigningKey& key);

}  // namespace constellation::core
