// The node's own services (client.proto): NodeService (who this node is, what it holds),
// TokenService (bearer tokens, admin only) and PeerService (the member nodes it replicates
// with, and syncing a group with them now).
#include <absl/strings/str_format.h>

#include "constellation/v1/client.grpc.pb.h"
#include "server/rpc/peer_sync.h"
#include "server/rpc/service.h"
#include "server/rpc/services.h"

namespace constellation::rpc {
namespace {

constexpr char kVersion[] = "0.1.0";

class NodeServiceImpl final : public BoundService<v1::NodeService> {
  UnaryReactor* GetNodeInfo(CallContext* ctx, const v1::GetNodeInfoRequest* req,
                            v1::GetNodeInfoResponse* resp) override {
    return Unary(
        ctx, req, resp, Access::kRead,
        [card = backend_->OwnCard(), metrics_address = backend_->MetricsAddress()](
            ApplyContext& apply, const Principal& p, const v1::GetNodeInfoRequest&,
            v1::GetNodeInfoResponse* out) {
          out->set_org_key(card.key());
          out->set_org_name(card.name());
          *out->mutable_endpoints() = card.endpoints();
          out->set_version(kVersion);
          // Counts cover only what the caller may read (a scoped auditor learns
          // nothing about other groups).
          uint32_t groups = 0;
          uint64_t events = 0;
          for (const auto& [id, g] : apply.state().groups()) {
            if (!p.CanRead(id)) continue;
            ++groups;
            events += g->size();
          }
          out->set_group_count(groups);
          out->set_event_count(events);
          out->set_caller_role(std::string(RoleName(p.role)));
          out->set_metrics_address(metrics_address);
          if (std::optional<std::string> restored = apply.Restored(); restored.has_value()) {
            out->set_restored_read_only(true);
            out->set_restored_waiting_for(*std::move(restored));
          }
          return absl::OkStatus();
        });
  }

  UnaryReactor* GetOrgCard(CallContext* ctx, const v1::GetOrgCardRequest* req,
                           v1::OrgCard* resp) override {
    return Unary(ctx, req, resp, Access::kRead,
                 [card = backend_->OwnCard()](ApplyContext&, const Principal&,
                                              const v1::GetOrgCardRequest&, v1::OrgCard* out) {
                   *out = card;
                   return absl::OkStatus();
                 });
  }
};

class TokenServiceImpl final : public BoundService<v1::TokenService> {
  UnaryReactor* CreateToken(CallContext* ctx, const v1::CreateTokenRequest* req,
                            v1::CreateTokenResponse* resp) override {
    return RunUnary(backend_, ctx, req, resp, AuthenticateClient(ctx, *backend_, Access::kAdmin),
                    ParseTokenRequest,
                    [](ApplyContext& apply, const Principal&, const v1::CreateTokenRequest& r,
                       TokenRequest& t, v1::CreateTokenResponse* out) -> absl::Status {
                      CONSTELLATION_ASSIGN_OR_RETURN(
                          *out, apply.CreateToken(t.role, r.label(), t.groups));
                      return absl::OkStatus();
                    });
  }

  UnaryReactor* ListTokens(CallContext* ctx, const v1::ListTokensRequest* req,
                           v1::ListTokensResponse* resp) override {
    return Unary(ctx, req, resp, Access::kAdmin,
                 [](ApplyContext& apply, const Principal&, const v1::ListTokensRequest&,
                    v1::ListTokensResponse* out) {
                   for (v1::TokenInfo& t : apply.ListTokens()) *out->add_tokens() = std::move(t);
                   return absl::OkStatus();
                 });
  }

  UnaryReactor* RevokeToken(CallContext* ctx, const v1::RevokeTokenRequest* req,
                            v1::RevokeTokenResponse* resp) override {
    return Unary(ctx, req, resp, Access::kAdmin,
                 [](ApplyContext& apply, const Principal&, const v1::RevokeTokenRequest& r,
                    v1::RevokeTokenResponse*) { return apply.RevokeToken(r.token_id()); });
  }

  // A CreateTokenRequest, validated: its role and the groups an auditor token is scoped to.
  struct TokenRequest {
    Role role = Role::kAuditor;
    std::vector<core::GroupId> groups;
  };

  static absl::StatusOr<TokenRequest> ParseTokenRequest(const v1::CreateTokenRequest& r) {
    TokenRequest t;
    CONSTELLATION_ASSIGN_OR_RETURN(t.role, ParseRole(r.role()));
    if (r.label().size() > limits::kNameSizeBytesMax) {
      return absl::InvalidArgumentError(
          absl::StrFormat("label is %d bytes; the limit kNameSizeBytesMax is %d", r.label().size(),
                          limits::kNameSizeBytesMax));
    }
    for (const std::string& g : r.group_ids()) {
      CONSTELLATION_ASSIGN_OR_RETURN(t.groups.emplace_back(), ParseGroupId(g, "group_ids"));
    }
    if (!t.groups.empty() && t.role != Role::kAuditor) {
      return absl::InvalidArgumentError(
          "group_ids limit an auditor token's reads; other roles cannot be scoped");
    }
    return t;
  }
};

class PeerServiceImpl final : public BoundService<v1::PeerService> {
  // With a peer_endpoint: pulls the group from that node on the background worker. Without:
  // a round with every member now (both directions), on the replication worker.
  UnaryReactor* SyncGroup(CallContext* ctx, const v1::SyncGroupRequest* req,
                          v1::SyncGroupResponse* resp) override {
    const absl::StatusOr<core::GroupId> group = ParseGroupId(req->group_id(), "group_id");
    const absl::StatusOr<Principal> caller = AuthenticateClient(
        ctx, *backend_, Access::kAdmin, "syncing a group with peers needs an admin token");
    return RunDetached(
        backend_, ctx, caller, group.status(), [this, req, resp, group](Finish finish) {
          if (req->peer_endpoint().empty()) {
            return backend_->SyncWithMembers(
                *group, [resp, finish](absl::StatusOr<v1::SyncGroupResponse> result) {
                  if (result.ok()) *resp = *std::move(result);
                  finish(result.status());
                });
          }
          return backend_->RunInBackground([this, req, resp, group, finish] {
            finish(SyncFromPeer(*backend_, req->peer_endpoint(), *group, resp));
          });
        });
  }

  UnaryReactor* ListPeers(CallContext* ctx, const v1::ListPeersRequest* req,
                          v1::ListPeersResponse* resp) override {
    return RunUnary(backend_, ctx, req, resp,
                    AuthenticateClient(ctx, *backend_, Access::kWrite,
                                       "listing peers needs an admin or member token"),
                    [](ApplyContext& apply, const Principal&, const v1::ListPeersRequest& r,
                       v1::ListPeersResponse* out) -> absl::Status {
                      std::optional<core::GroupId> group;
                      if (!r.group_id().empty()) {
                        CONSTELLATION_ASSIGN_OR_RETURN(group,
                                                       ParseGroupId(r.group_id(), "group_id"));
                        CONSTELLATION_RETURN_IF_ERROR(HeldGroup(apply, *group).status());
                      }
                      for (v1::PeerView& p : apply.Peers(group)) *out->add_peers() = std::move(p);
                      return absl::OkStatus();
                    });
  }
};

}  // namespace

Services MakeNodeServices(Backend* backend) {
  return MakeServices<NodeServiceImpl, TokenServiceImpl, PeerServiceImpl>(backend);
}

}  // namespace constellation::rpc
