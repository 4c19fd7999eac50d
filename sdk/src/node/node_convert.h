// sdk/src/node/node_convert.h
//
// Conversions of the node domain (constellation/node.h and the OrgCard of org_card.h) between
// the SDK's types and client.proto: node info, org cards, tokens, peers and sync results. Each
// response the node domain's Client methods receive has its FromProto here.
// Thread safety: pure functions.
#pragma once

#include <string_view>
#include <vector>

#include <absl/status/status.h>
#include <constellation/node.h>
#include <constellation/org_card.h>

#include "constellation/v1/client.pb.h"
#include "constellation/v1/event.pb.h"

namespace constellation::internal {

NodeInfo FromProto(const v1::GetNodeInfoResponse& proto);

OrgCard FromProto(const v1::OrgCard& proto);
// kInvalidArgument for a key that is not 64 hex characters.
absl::Status ToProto(const OrgCard& card, std::string_view field, v1::OrgCard* proto);

std::vector<TokenInfo> FromProto(const v1::ListTokensResponse& proto);
CreatedToken FromProto(const v1::CreateTokenResponse& proto);

std::vector<PeerStatus> FromProto(const v1::ListPeersResponse& proto);
SyncResult FromProto(const v1::SyncGroupResponse& proto);

}  // namespace constellation::internal
