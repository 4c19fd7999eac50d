// server/rpc/request.h
//
// Reading a client request against the node's state, the same way in every domain: ids parsed
// with errors that name the field, request ids checked, groups and records looked up with one
// kNotFound wording, "as of" times, and the paging of streamed lists. Functions taking an
// ApplyContext run on the apply loop; the others are pure.
// Thread safety: thread-safe (no state of their own).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include <absl/status/status.h>
#include <absl/status/statusor.h>
#include <absl/strings/str_format.h>

#include "server/base/limits.h"
#include "server/base/status_macros.h"
#include "server/core/group.h"
#include "server/core/ids.h"
#include "server/rpc/backend.h"

namespace constellation::rpc {

// Parses a required 32-byte id field; kInvalidArgument naming `field` otherwise.
template <typename Id>
absl::StatusOr<Id> ParseId(const std::string& bytes, std::string_view field) {
  if (bytes.empty()) {
    return absl::InvalidArgumentError(absl::StrFormat("%s is required", std::string(field)));
  }
  return Id::FromBytes(bytes, field);
}
inline absl::StatusOr<core::EventId> ParseEventId(const std::string& bytes,
                                                  std::string_view field) {
  return ParseId<core::EventId>(bytes, field);
}
inline absl::StatusOr<core::GroupId> ParseGroupId(const std::string& bytes,
                                                  std::string_view field) {
  return ParseId<core::GroupId>(bytes, field);
}

// kInvalidArgument unless `id` is a valid request_id (client.proto: required, 1..128
// printable ASCII characters without spaces).
absl::Status CheckRequestId(const std::string& id);

// The group `id` if this node holds it; kNotFound otherwise.
absl::StatusOr<const core::Group*> HeldGroup(const ApplyContext& ctx, const core::GroupId& id);

// The group `id_bytes` names if it exists and `p` may read it; kInvalidArgument for a
// malformed id, kNotFound otherwise (an auditor out of scope learns nothing about the group's
// existence).
absl::StatusOr<const core::Group*> ReadableGroup(const ApplyContext& ctx, const Principal& p,
                                                 const std::string& id_bytes);

// The record of `g` (from a ledger's map by event id) that the request field `<kind>_id`
// names. kInvalidArgument for a malformed id; kNotFound "<kind> <id> not found in group
// <group><hint>".
template <typename Records>
absl::StatusOr<const typename Records::mapped_type*> FindRecord(const Records& records,
                                                                const core::Group& g,
                                                                std::string_view kind,
                                                                const std::string& id_bytes,
                                                                std::string_view hint = {}) {
  CONSTELLATION_ASSIGN_OR_RETURN(
      core::EventId id, ParseEventId(id_bytes, absl::StrFormat("%s_id", std::string(kind))));
  auto it = records.find(id);
  if (it == records.end()) {
    return absl::NotFoundError(absl::StrFormat("%s %s not found in group %s%s", std::string(kind),
                                               id.Hex(), g.id().Hex(), std::string(hint)));
  }
  return &it->second;
}

// `requested_ms`, or now when it is 0.
uint64_t AsOf(const ApplyContext& ctx, uint64_t requested_ms);

// Whether a stream page of `items` items and `bytes` serialized bytes is full: it holds
// kStreamPageSizeMax items, or kStreamPageSizeBytesMax bytes (at least one item, whatever its
// size). A page is what an open stream holds on the node (reactors.h PagedWriter).
inline bool PageFull(size_t items, size_t bytes) {
  return items >= limits::kStreamPageSizeMax || bytes >= limits::kStreamPageSizeBytesMax;
}

// Collects items `skip` + 1 .. of a sequence being visited, until the page is full (PageFull).
class PageCollector {
 public:
  explicit PageCollector(uint64_t skip) : skip_(skip) {}
  // Whether the item at the current index belongs to the page; advances the index. Sets more()
  // when an item past the full page exists (the visit can stop then). The caller adds the size
  // of each item taken (Taken).
  bool Take() {
    const uint64_t index = index_++;
    if (index < skip_) return false;
    if (PageFull(index - skip_, bytes_)) {
      more_ = true;
      return false;
    }
    return true;
  }
  void Taken(size_t bytes) { bytes_ += bytes; }
  bool more() const { return more_; }

 private:
  uint64_t skip_;
  uint64_t index_ = 0;
  size_t bytes_ = 0;
  bool more_ = false;
};

}  // namespace constellation::rpc
