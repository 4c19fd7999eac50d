// server/core/fold/state_hasher.h
//
// StateHasher: incremental SHA-256 over a length-prefixed, big-endian encoding of derived
// state (docs/PROTOCOL.md §4). Every ledger writes its part through it (Ledger::HashInto), so
// the encoding rules live in one place: byte strings are prefixed by their length as u64,
// integers are 8 bytes big-endian (signed ones as two's complement), ids are their 32 raw
// bytes, booleans and "present" flags are u64 0/1, optional values are a flag then the value.
// Pure. Thread safety: not thread-safe; one hasher per hash.
#pragma once

#include <sodium.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "server/core/hlc.h"
#include "server/core/ids.h"

namespace constellation::core {

class StateHasher {
 public:
  StateHasher() { crypto_hash_sha256_init(&state_); }

  void Bytes(std::string_view b) {
    U64(b.size());
    Raw(reinterpret_cast<const unsigned char*>(b.data()), b.size());
  }
  void U64(uint64_t v) {
    unsigned char be[8];
    for (int i = 7; i >= 0; --i, v >>= 8) be[i] = static_cast<unsigned char>(v & 0xFF);
    Raw(be, sizeof be);
  }
  void I64(int64_t v) { U64(static_cast<uint64_t>(v)); }
  void Bool(bool v) { U64(v ? 1 : 0); }
  template <typename Tag>
  void Id(const Id32<Tag>& id) {
    Raw(id.data(), Id32<Tag>::kSize);
  }
  template <typename Tag>
  void OptionalId(const std::optional<Id32<Tag>>& id) {
    Bool(id.has_value());
    if (id.has_value()) Id(*id);
  }
  void Stamp(const Hlc& hlc) {
    U64(hlc.wall_ms);
    U64(hlc.logical);
  }

  std::array<uint8_t, 32> Finish() {
    std::array<uint8_t, 32> out;
    crypto_hash_sha256_final(&state_, out.data());
    return out;
  }

 private:
  void Raw(const unsigned char* data, size_t size) {
    crypto_hash_sha256_update(&state_, data, size);
  }

  crypto_hash_sha256_state state_;
};

}  // namespace constellation::core
