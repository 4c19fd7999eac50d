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

// Decodes a SignedEvent that this node verified before it stored it (its own store, read at
// start): every check of DecodeSignedEvent except the signature's. The signature was verified
// when the event was received or made; re-verifying a whole store at each start cost ~70 us per
// event (about 70 s for 1M events; issue 10), and `constellationd verify` still does it offline.
absl::StatusOr<VerifiedEvent> DecodeStoredEvent(std::string_view signed_bytes);

// Serializes `event` once, signs its id with `key` and returns the result, checked like a
// received event except for the signature, which `key` (tested when it was made) just produced.
// kInvalidArgument if the event is malformed or `event.author` is not `key`'s public key.
absl::StatusOr<VerifiedEvent> SealEvent(const v1::Event& event, const SigningKey& key);

}  // namespace constellation::core
