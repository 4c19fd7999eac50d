// server/core/ids.h
//
// Strong 32-byte identifiers (STYLE.md: ids that could be confused get strong types).
//   EventId - SHA-256 of an event's exact serialized bytes (DESIGN §2);
//   GroupId - the EventId of a group's genesis event;
//   OrgKey  - an organisation's Ed25519 public key: its identity.
// Pledge, campaign and proposal ids are EventIds of the events that created them.
// Values are ordered bytewise, hashable, and print as 64 lowercase hex characters.
// Thread safety: immutable values.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include <absl/status/statusor.h>
#include <absl/strings/str_format.h>

namespace constellation::core {

template <typename Tag>
class Id32 {
 public:
  static constexpr size_t kSize = 32;

  Id32() { bytes_.fill(0); }

  // From exactly 32 raw bytes. kInvalidArgument otherwise; `what` names the field.
  static absl::StatusOr<Id32> FromBytes(std::string_view raw, std::string_view what = Tag::kName) {
    if (raw.size() != kSize) {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s must be %d bytes, got %d", std::string(what), kSize, raw.size()));
    }
    Id32 id;
    std::memcpy(id.bytes_.data(), raw.data(), kSize);
    return id;
  }

  // From 64 hex characters (either case). kInvalidArgument otherwise.
  static absl::StatusOr<Id32> FromHex(std::string_view hex, std::string_view what = Tag::kName) {
    if (hex.size() != 2 * kSize) {
      return absl::InvalidArgumentError(absl::StrFormat("%s must be %d hex characters, got %d",
                                                        std::string(what), 2 * kSize, hex.size()));
    }
    Id32 id;
    for (size_t i = 0; i < kSize; ++i) {
      int hi = HexValue(hex[2 * i]);
      int lo = HexValue(hex[2 * i + 1]);
      if (hi < 0 || lo < 0) {
        return absl::InvalidArgumentError(
            absl::StrFormat("%s is not hex: '%s'", std::string(what), std::string(hex)));
      }
      id.bytes_[i] = static_cast<uint8_t>(hi * 16 + lo);
    }
    return id;
  }

  // Unchecked construction from a 32-byte array.
  static Id32 FromArray(const std::array<uint8_t, kSize>& a) {
    Id32 id;
    id.bytes_ = a;
    return id;
  }

  std::string Bytes() const {
    return std::string(reinterpret_cast<const char*>(bytes_.data()), kSize);
  }
  const std::array<uint8_t, kSize>& array() const { return bytes_; }
  const uint8_t* data() const { return bytes_.data(); }

  std::string Hex() const {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out(2 * kSize, '0');
    for (size_t i = 0; i < kSize; ++i) {
      out[2 * i] = kDigits[bytes_[i] >> 4];
      out[2 * i + 1] = kDigits[bytes_[i] & 0xF];
    }
    return out;
  }
  // First 12 hex characters, for messages meant for people.
  std::string ShortHex() const { return Hex().substr(0, 12); }

  bool IsZero() const {
    for (uint8_t b : bytes_) {
      if (b != 0) return false;
    }
    return true;
  }

  friend auto operator<=>(const Id32&, const Id32&) = default;
  friend bool operator==(const Id32&, const Id32&) = default;

  template <typename H>
  friend H AbslHashValue(H h, const Id32& id) {
    return H::combine_contiguous(std::move(h), id.bytes_.data(), kSize);
  }

 private:
  static int HexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  std::array<uint8_t, kSize> bytes_;
};

struct EventIdTag {
  static constexpr std::string_view kName = "event id";
};
struct GroupIdTag {
  static constexpr std::string_view kName = "group id";
};
struct OrgKeyTag {
  static constexpr std::string_view kName = "org key";
};

using EventId = Id32<EventIdTag>;
using GroupId = Id32<GroupIdTag>;
using OrgKey = Id32<OrgKeyTag>;

// The group id of the group whose genesis event is `genesis`.
inline GroupId GroupIdOf(const EventId& genesis) { return GroupId::FromArray(genesis.array()); }
// The genesis event id of a group.
inline EventId GenesisIdOf(const GroupId& group) { return EventId::FromArray(group.array()); }

}  // namespace constellation::core
