// tests/fuzz/event_decode_fuzz.cc
//
// Fuzz target: the event codec (server/core/codec.h), the first thing every byte from a peer
// or a client passes through. Tag (first byte of the input) even: the rest is untrusted
// SignedEvent bytes and is decoded. Tag odd: the rest is a v1::Event that a member signs
// (SealEvent), which runs every body rule (records.h ValidateBody) on arbitrary content; what
// seals must decode again. Properties: nothing crashes; a decoded event re-encodes to bytes
// that decode to the same id; whatever SealEvent accepts, DecodeSignedEvent accepts.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "server/base/check.h"
#include "server/core/codec.h"
#include "tests/fuzz/fuzz_world.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace constellation;
  if (size == 0) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  if ((data[0] & 1) == 0) {
    absl::StatusOr<core::VerifiedEvent> e = core::DecodeSignedEvent(rest);
    if (e.ok()) {
      absl::StatusOr<core::VerifiedEvent> again = core::DecodeSignedEvent(e->SerializeSigned());
      CONSTELLATION_CHECK(again.ok() && again->id == e->id);
    }
    return 0;
  }
  v1::Event event;
  if (!event.ParseFromArray(rest.data(), static_cast<int>(rest.size()))) return 0;
  const core::SigningKey& key = fuzz::FuzzWorld::Get().Member(data[0] >> 1);
  event.set_author(key.public_key().Bytes());
  absl::StatusOr<core::VerifiedEvent> sealed = core::SealEvent(event, key);
  if (!sealed.ok()) return 0;
  absl::StatusOr<core::VerifiedEvent> decoded = core::DecodeSignedEvent(sealed->SerializeSigned());
  CONSTELLATION_CHECK(decoded.ok() && decoded->id == sealed->id);
  return 0;
}
