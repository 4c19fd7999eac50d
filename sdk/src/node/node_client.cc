// sdk/src/node/node_client.cc: the node domain's Client methods (NodeService, TokenService,
// PeerService): node info, org card, tokens, peers and sync rounds.
#include <string>

#include <constellation/client.h>

#include "sdk/src/hex.h"
#include "sdk/src/node/node_convert.h"
#include "sdk/src/status.h"
#include "sdk/src/unary_call.h"

namespace constellation {
namespace {

using internal::DecodeId, internal::DecodeOptionalId, internal::FromProto, internal::UnaryCall;
using NodeStub = v1::NodeService::Stub;
using PeerStub = v1::PeerService::Stub;
using TokenStub = v1::TokenService::Stub;

}  // namespace

absl::StatusOr<NodeInfo> Client::GetNodeInfo() {
  return UnaryCall<NodeInfo>(*core_, "GetNodeInfo", &NodeStub::GetNodeInfo,
                             v1::GetNodeInfoRequest(), FromProto);
}

absl::StatusOr<OrgCard> Client::GetOrgCard() {
  return UnaryCall<OrgCard>(*core_, "GetOrgCard", &NodeStub::GetOrgCard, v1::GetOrgCardRequest(),
                            FromProto);
}

absl::StatusOr<CreatedToken> Client::CreateToken(std::string_view role, std::string_view label,
                                                 const std::vector<std::string>& group_ids) {
  v1::CreateTokenRequest request;
  request.set_role(std::string(role));
  request.set_label(std::string(label));
  for (const std::string& group_id : group_ids) {
    CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_ids", request.add_group_ids()));
  }
  return UnaryCall<CreatedToken>(*core_, "CreateToken", &TokenStub::CreateToken, request,
                                 FromProto);
}

absl::StatusOr<std::vector<TokenInfo>> Client::ListTokens() {
  return UnaryCall<std::vector<TokenInfo>>(*core_, "ListTokens", &TokenStub::ListTokens,
                                           v1::ListTokensRequest(), FromProto);
}

absl::Status Client::RevokeToken(std::string_view token_id) {
  if (token_id.empty()) return absl::InvalidArgumentError("token_id is empty");
  v1::RevokeTokenRequest request;
  request.set_token_id(std::string(token_id));
  return UnaryCall(*core_, "RevokeToken", &TokenStub::RevokeToken, request).status();
}

absl::StatusOr<SyncResult> Client::SyncGroup(std::string_view peer_endpoint,
                                             std::string_view group_id) {
  if (peer_endpoint.empty()) {
    return absl::InvalidArgumentError("peer endpoint is empty: give the peer's host:port");
  }
  v1::SyncGroupRequest request;
  request.set_peer_endpoint(std::string(peer_endpoint));
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  return UnaryCall<SyncResult>(*core_, "SyncGroup", &PeerStub::SyncGroup, request, FromProto);
}

absl::StatusOr<SyncResult> Client::SyncGroupWithMembers(std::string_view group_id) {
  v1::SyncGroupRequest request;  // empty peer_endpoint: a round with every member
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  return UnaryCall<SyncResult>(*core_, "SyncGroup", &PeerStub::SyncGroup, request, FromProto);
}

absl::StatusOr<std::vector<PeerStatus>> Client::ListPeers(std::string_view group_id) {
  v1::ListPeersRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(
      DecodeOptionalId(group_id, "group_id", request.mutable_group_id()));
  return UnaryCall<std::vector<PeerStatus>>(*core_, "ListPeers", &PeerStub::ListPeers, request,
                                            FromProto);
}

}  // namespace constellation
