#include "server/rpc/request.h"

namespace constellation::rpc {

absl::Status CheckRequestId(const std::string& id) {
  if (id.empty()) {
    return absl::InvalidArgumentError(
        "request_id is required: a client-chosen key, unique per intended write, that makes "
        "retries safe (the SDK and CLI generate one)");
  }
  if (id.size() > limits::kRequestIdSizeBytesMax) {
    return absl::InvalidArgumentError(
        absl::StrFormat("request_id is %d bytes; the limit kRequestIdSizeBytesMax is %d", id.size(),
                        limits::kRequestIdSizeBytesMax));
  }
  for (char c : id) {
    if (c < 0x21 || c > 0x7e) {
      return absl::InvalidArgumentError("request_id must be printable ASCII without spaces");
    }
  }
  return absl::OkStatus();
}

namespace {

absl::StatusOr<const core::Group*> GroupIf(const ApplyContext& ctx, const core::GroupId& id,
                                           bool visible) {
  const core::Group* g = visible ? ctx.state().FindGroup(id) : nullptr;
  if (g == nullptr) {
    return absl::NotFoundError(absl::StrFormat("group %s not found on this node", id.Hex()));
  }
  return g;
}

}  // namespace

absl::StatusOr<const core::Group*> HeldGroup(const ApplyContext& ctx, const core::GroupId& id) {
  return GroupIf(ctx, id, true);
}

absl::StatusOr<const core::Group*> ReadableGroup(const ApplyContext& ctx, const Principal& p,
                                                 const std::string& id_bytes) {
  CONSTELLATION_ASSIGN_OR_RETURN(core::GroupId id, ParseGroupId(id_bytes, "group_id"));
  return GroupIf(ctx, id, p.CanRead(id));
}

uint64_t AsOf(const ApplyContext& ctx, uint64_t requested_ms) {
  return requested_ms != 0 ? requested_ms : ctx.NowMs();
}

}  // namespace constellation::rpc
