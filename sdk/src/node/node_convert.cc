// sdk/src/node/node_convert.cc
#include "sdk/src/node/node_convert.h"

#include <string>

#include <absl/strings/str_format.h>

#include "sdk/src/convert.h"
#include "sdk/src/hex.h"
#include "sdk/src/status.h"

namespace constellation::internal {

// Conversions used only here are `static` (internal linkage) rather than in an unnamed
// namespace: there they would hide the FromProto overloads of the headers from each other.

NodeInfo FromProto(const v1::GetNodeInfoResponse& proto) {
  return NodeInfo{HexEncode(proto.org_key()),
                  proto.org_name(),
                  StringList(proto.endpoints()),
                  proto.version(),
                  proto.group_count(),
                  proto.event_count(),
                  proto.caller_role(),
                  proto.metrics_address(),
                  proto.restored_read_only(),
                  proto.restored_waiting_for()};
}

OrgCard FromProto(const v1::OrgCard& proto) {
  return OrgCard{HexEncode(proto.key()), proto.name(), StringList(proto.endpoints())};
}

absl::Status ToProto(const OrgCard& card, std::string_view field, v1::OrgCard* proto) {
  CONSTELLATION_SDK_RETURN_IF_ERROR(
      DecodeId(card.key, absl::StrFormat("%s.key", std::string(field)), proto->mutable_key()));
  proto->set_name(card.name);
  for (const std::string& endpoint : card.endpoints) proto->add_endpoints(endpoint);
  return absl::OkStatus();
}

static TokenInfo FromProto(const v1::TokenInfo& proto) {
  return TokenInfo{proto.token_id(),           proto.role(),       proto.label(),
                   HexList(proto.group_ids()), proto.created_ms(), proto.revoked()};
}

std::vector<TokenInfo> FromProto(const v1::ListTokensResponse& proto) {
  return FromList<TokenInfo>(proto.tokens(), FromProto);
}

CreatedToken FromProto(const v1::CreateTokenResponse& proto) {
  return CreatedToken{proto.token(), proto.token_id()};
}

static PeerStatus FromProto(const v1::PeerView& proto) {
  return PeerStatus{
      HexEncode(proto.org()),        proto.name(),        proto.endpoint(),
      HexList(proto.group_ids()),    proto.status(),      proto.last_success_ms(),
      proto.last_attempt_ms(),       proto.last_error(),  proto.consecutive_failures(),
      proto.next_attempt_ms(),       proto.events_sent(), proto.events_received(),
      proto.events_pushed_received()};
}

std::vector<PeerStatus> FromProto(const v1::ListPeersResponse& proto) {
  return FromList<PeerStatus>(proto.peers(), FromProto);
}

SyncResult FromProto(const v1::SyncGroupResponse& proto) {
  return SyncResult{proto.received(),  proto.inserted(),
                    proto.duplicate(), proto.waiting(),
                    proto.rounds(),    HexEncode(proto.state_hash()),
                    proto.sent(),      FromList<PeerStatus>(proto.peers(), FromProto),
                    proto.dropped()};
}

}  // namespace constellation::internal
