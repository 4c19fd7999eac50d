#include "server/rpc/services.h"

#include <absl/strings/str_format.h>
#include <google/protobuf/util/message_differencer.h>

#include "constellation/v1/client.grpc.pb.h"
#include "server/base/limits.h"
#include "server/base/status_macros.h"
#include "server/core/records.h"
#include "server/core/fundraising/fundraising_ledger.h"
#include "server/rpc/reactors.h"
#include "server/rpc/service_support.h"
#include "server/rpc/status_map.h"
#include "server/rpc/views.h"

namespace constellation::rpc {
namespace {

constexpr char kVersion[] = "0.1.0";

// ---------------------------------------------------------------------------------------------

class NodeServiceImpl final : public v1::NodeService::CallbackService {
 public:
  explicit NodeServiceImpl(Backend* backend) : backend_(backend) {}

  grpc::ServerUnaryReactor* GetNodeInfo(grpc::CallbackServerContext* ctx,
                                        const v1::GetNodeInfoRequest* req,
                                        v1::GetNodeInfoResponse* resp) override {
    return Unary(backend_, ctx, req, resp, Access::kRead,
                 [](ApplyContext& apply, const Principal& p, const v1::GetNodeInfoRequest&,
                    v1::GetNodeInfoResponse* out) {
                   out->set_org_key(apply.state().org().Bytes());
                   out->set_org_name(apply.OrgName());
                   for (const std::string& e : apply.Endpoints()) out->add_endpoints(e);
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
                   return absl::OkStatus();
                 });
  }

  grpc::ServerUnaryReactor* GetOrgCard(grpc::CallbackServerContext* ctx,
                                       const v1::GetOrgCardRequest* req,
                                       v1::OrgCard* resp) override {
    return Unary(backend_, ctx, req, resp, Access::kRead,
                 [](ApplyContext& apply, const Principal&, const v1::GetOrgCardRequest&,
                    v1::OrgCard* out) {
                   out->set_key(apply.state().org().Bytes());
                   out->set_name(apply.OrgName());
                   for (const std::string& e : apply.Endpoints()) out->add_endpoints(e);
                   return absl::OkStatus();
                 });
  }

 private:
  Backend* backend_;
};

class TokenServiceImpl final : public v1::TokenService::CallbackService {
 public:
  explicit TokenServiceImpl(Backend* backend) : backend_(backend) {}

  grpc::ServerUnaryReactor* CreateToken(grpc::CallbackServerContext* ctx,
                                        const v1::CreateTokenRequest* req,
                                        v1::CreateTokenResponse* resp) override {
    return Unary(backend_, ctx, req, resp, Access::kAdmin,
                 [](ApplyContext& apply, const Principal&, const v1::CreateTokenRequest& r,
                    v1::CreateTokenResponse* out) -> absl::Status {
                   CONSTELLATION_ASSIGN_OR_RETURN(Role role, ParseRole(r.role()));
                   if (r.label().size() > limits::kNameSizeBytesMax) {
                     return absl::InvalidArgumentError(
                         absl::StrFormat("label is %d bytes; the limit kNameSizeBytesMax is %d",
                                         r.label().size(), limits::kNameSizeBytesMax));
                   }
                   std::vector<core::GroupId> groups;
                   for (const std::string& g : r.group_ids()) {
                     CONSTELLATION_ASSIGN_OR_RETURN(core::GroupId id, ParseGroupId(g, "group_ids"));
                     groups.push_back(id);
                   }
                   if (!groups.empty() && role != Role::kAuditor) {
                     return absl::InvalidArgumentError(
                         "group_ids limit an auditor token's reads; other roles cannot be scoped");
                   }
                   CONSTELLATION_ASSIGN_OR_RETURN(*out, apply.CreateToken(role, r.label(), groups));
                   return absl::OkStatus();
                 });
  }

  grpc::ServerUnaryReactor* ListTokens(grpc::CallbackServerContext* ctx,
                                       const v1::ListTokensRequest* req,
                                       v1::ListTokensResponse* resp) override {
    return Unary(backend_, ctx, req, resp, Access::kAdmin,
                 [](ApplyContext& apply, const Principal&, const v1::ListTokensRequest&,
                    v1::ListTokensResponse* out) {
                   for (v1::TokenInfo& t : apply.ListTokens()) *out->add_tokens() = std::move(t);
                   return absl::OkStatus();
                 });
  }

  grpc::ServerUnaryReactor* RevokeToken(grpc::CallbackServerContext* ctx,
                                        const v1::RevokeTokenRequest* req,
                                        v1::RevokeTokenResponse* resp) override {
    return Unary(backend_, ctx, req, resp, Access::kAdmin,
                 [](ApplyContext& apply, const Principal&, const v1::RevokeTokenRequest& r,
                    v1::RevokeTokenResponse*) { return apply.RevokeToken(r.token_id()); });
  }

 private:
  Backend* backend_;
};

class GroupServiceImpl final : public v1::GroupService::CallbackService {
 public:
  explicit GroupServiceImpl(Backend* backend) : backend_(backend) {}

  grpc::ServerUnaryReactor* CreateGroup(grpc::CallbackServerContext* ctx,
                                        const v1::CreateGroupRequest* req,
                                        v1::CreateGroupResponse* resp) override {
    return Unary(backend_, ctx, req, resp, Access::kAdmin,
                 [](ApplyContext& apply, const Principal&, const v1::CreateGroupRequest& r,
                    v1::CreateGroupResponse* out) -> absl::Status {
                   v1::Event body;
                   body.set_request_id(r.request_id());
                   v1::Charter* charter = body.mutable_charter();
                   *charter = r.charter();
                   if (charter->kind() == v1::GROUP_KIND_UNSPECIFIED) {
                     charter->set_kind(v1::GROUP_KIND_PARTNERSHIP);
                   }
                   v1::MemberProfile* founder = charter->mutable_founder();
                   if (founder->name().empty()) founder->set_name(apply.OrgName());
                   if (founder->role() == v1::ROLE_UNSPECIFIED) founder->set_role(v1::ROLE_LEAD);
                   if (founder->voting_weight() == 0) founder->set_voting_weight(1);
                   if (founder->endpoints().empty()) {
                     for (const std::string& e : apply.Endpoints()) founder->add_endpoints(e);
                   }
                   CONSTELLATION_ASSIGN_OR_RETURN(const core::VerifiedEvent* e,
                                                  Append(apply, std::nullopt, body));
                   *out->mutable_event() = ToEventRef(*e);
                   *out->mutable_group() = ToGroupView(*apply.state().FindGroup(e->group), apply.NowMs());
                   return absl::OkStatus();
                 });
  }

  grpc::ServerUnaryReactor* GetGroup(grpc::CallbackServerContext* ctx,
                                     const v1::GetGroupRequest* req, v1::GroupView* resp) override {
    return Unary(backend_, ctx, req, resp, Access::kRead,
                 [](ApplyContext& apply, const Principal& p, const v1::GetGroupRequest& r,
                    v1::GroupView* out) -> absl::Status {
                   CONSTELLATION_ASSIGN_OR_RETURN(const core::Group* g,
                                                  ReadableGroup(apply, p, r.group_id()));
                   *out = ToGroupView(*g, apply.NowMs());
                   return absl::OkStatus();
                 });
  }

  grpc::ServerUnaryReactor* ListGroups(grpc::CallbackServerContext* ctx,
                                       const v1::ListGroupsRequest* req,
                                       v1::ListGroupsResponse* resp) override {
    return Unary(backend_, ctx, req, resp, Access::kRead,
                 [](ApplyContext& apply, const Principal& p, const v1::ListGroupsRequest&,
                    v1::ListGroupsResponse* out) {
                   for (const auto& [id, g] : apply.state().groups()) {
                     if (p.CanRead(id)) *out->add_groups() = ToGroupView(*g, apply.NowMs());
                   }
                   return absl::OkStatus();
                 });
  }

  grpc::ServerWriteReactor<v1::StreamEventsResponse>* StreamEvents(
      grpc::CallbackServerContext* ctx, const v1::StreamEventsRequest* req) override {
    return Streaming<v1::StreamEventsRequest, v1::StreamEventsResponse>(
        backend_, ctx, req,
        [](ApplyContext& apply, const Principal& p, const v1::StreamEventsRequest& r, uint64_t skip,
           std::vector<v1::StreamEventsResponse>* out, bool* more) -> absl::Status {
          CONSTELLATION_ASSIGN_OR_RETURN(const core::Group* g,
                                         ReadableGroup(apply, p, r.group_id()));
          g->ForEachInOrder(r.after_position() + skip,
                            [&](uint64_t position, const core::VerifiedEvent& e) {
                              if (out->size() == limits::kStreamPageSizeMax) {
                                *more = true;
                                return false;
                              }
                              v1::StreamEventsResponse& item = out->emplace_back();
                              item.set_position(position);
                              item.set_event_id(e.id.Bytes());
                              *item.mutable_signed_event() = e.ToSignedEvent();
                              return true;
                            });
          return absl::OkStatus();
        });
  }

 private:
  Backend* backend_;
};

class FundraisingServiceImpl final : public v1::FundraisingService::CallbackService {
 public:
  explicit FundraisingServiceImpl(Backend* backend) : backend_(backend) {}

  grpc::ServerUnaryReactor* OpenCampaign(grpc::CallbackServerContext* ctx,
                                         const v1::OpenCampaignRequest* req,
                                         v1::OpenCampaignResponse* resp) override {
    return Unary(backend_, ctx, req, resp, Access::kWrite,
                 [](ApplyContext& apply, const Principal& p, const v1::OpenCampaignRequest& r,
                    v1::OpenCampaignResponse* out) -> absl::Status {
                   CONSTELLATION_ASSIGN_OR_RETURN(const core::Group* g,
                                                  ReadableGroup(apply, p, r.group_id()));
                   v1::Event body;
                   body.set_request_id(r.request_id());
                   *body.mutable_campaign() = r.campaign();
                   CONSTELLATION_ASSIGN_OR_RETURN(const core::VerifiedEvent* e,
                                                  Append(apply, g->id(), body));
                   *out->mutable_event() = ToEventRef(*e);
                   const core::GroupState& s = apply.state().FindGroup(g->id())->state();
                   auto campaign = core::Fundraising(s).campaigns().find(e->id);
                   if (campaign == core::Fundraising(s).campaigns().end()) {
                     return absl::InternalError("the campaign event took no effect");
                   }
                   *out->mutable_campaign() = ToCampaignView(s, campaign->second);
                   return absl::OkStatus();
                 });
  }

  grpc::ServerUnaryReactor* GetCampaign(grpc::CallbackServerContext* ctx,
                                        const v1::GetCampaignRequest* req,
                                        v1::CampaignView* resp) override {
    return Unary(backend_, ctx, req, resp, Access::kRead,
                 [](ApplyContext& apply, const Principal& p, const v1::GetCampaignRequest& r,
                    v1::CampaignView* out) -> absl::Status {
                   CONSTELLATION_ASSIGN_OR_RETURN(const core::Group* g,
                                                  ReadableGroup(apply, p, r.group_id()));
                   CONSTELLATION_ASSIGN_OR_RETURN(const core::CampaignState* c,
                                                  FindCampaign(*g, r.campaign_id()));
                   *out = ToCampaignView(g->state(), *c);
                   return absl::OkStatus();
                 });
  }

  grpc::ServerUnaryReactor* ListCampaigns(grpc::CallbackServerContext* ctx,
                                          const v1::ListCampaignsRequest* req,
                                          v1::ListCampaignsResponse* resp) override {
    return Unary(backend_, ctx, req, resp, Access::kRead,
                 [](ApplyContext& apply, const Principal& p, const v1::ListCampaignsRequest& r,
                    v1::ListCampaignsResponse* out) -> absl::Status {
                   CONSTELLATION_ASSIGN_OR_RETURN(const core::Group* g,
                                                  ReadableGroup(apply, p, r.group_id()));
                   for (const auto& [id, c] : Fundraising(g->state()).campaigns()) {
                     *out->add_campaigns() = ToCampaignView(g->state(), c);
                   }
                   return absl::OkStatus();
                 });
  }

  grpc::ServerUnaryReactor* RecordPledge(grpc::CallbackServerContext* ctx,
                                         const v1::RecordPledgeRequest* req,
                                         v1::PledgeWriteResponse* resp) override {
    return Unary(backend_, ctx, req, resp, Access::kWrite,
                 [](ApplyContext& apply, const Principal& p, const v1::RecordPledgeRequest& r,
                    v1::PledgeWriteResponse* out) -> absl::Status {
                   v1::Event body;
                   body.set_request_id(r.request_id());
                   body.mutable_pledge()->set_campaign_id(r.campaign_id());
                   *body.mutable_pledge()->mutable_terms() = r.terms();
                   return WritePledge(apply, p, r.group_id(), body, out);
                 });
  }

  grpc::ServerUnaryReactor* AmendPledge(grpc::CallbackServerContext* ctx,
                                        const v1::AmendPledgeRequest* req,
                                        v1::PledgeWriteResponse* resp) override {
    return Unary(backend_, ctx, req, resp, Access::kWrite,
                 [](ApplyContext& apply, const Principal& p, const v1::AmendPledgeRequest& r,
                    v1::PledgeWriteResponse* out) -> absl::Status {
                   v1::Event body;
                   body.set_request_id(r.request_id());
                   v1::PledgeAmendment* a = body.mutable_pledge_amendment();
                   a->set_pledge_id(r.pledge_id());
                   *a->mutable_terms() = r.terms();
                   a->set_reason(r.reason());
                   return WritePledge(apply, p, r.group_id(), body, out);
                 });
  }

  grpc::ServerUnaryReactor* CancelPledge(grpc::CallbackServerContext* ctx,
                                         const v1::CancelPledgeRequest* req,
                                         v1::PledgeWriteResponse* resp) override {
    return Unary(backend_, ctx, req, resp, Access::kWrite,
                 [](ApplyContext& apply, const Principal& p, const v1::CancelPledgeRequest& r,
                    v1::PledgeWriteResponse* out) -> absl::Status {
                   v1::Event body;
                   body.set_request_id(r.request_id());
                   body.mutable_pledge_cancellation()->set_pledge_id(r.pledge_id());
                   body.mutable_pledge_cancellation()->set_reason(r.reason());
                   return WritePledge(apply, p, r.group_id(), body, out);
                 });
  }

  grpc::ServerUnaryReactor* RecordPayment(grpc::CallbackServerContext* ctx,
                                          const v1::RecordPaymentRequest* req,
                                          v1::PledgeWriteResponse* resp) override {
    return Unary(backend_, ctx, req, resp, Access::kWrite,
                 [](ApplyContext& apply, const Principal& p, const v1::RecordPaymentRequest& r,
                    v1::PledgeWriteResponse* out) -> absl::Status {
                   v1::Event body;
                   body.set_request_id(r.request_id());
                   v1::PaymentReceipt* receipt = body.mutable_payment_receipt();
                   receipt->set_pledge_id(r.pledge_id());
                   *receipt->mutable_amount() = r.amount();
                   receipt->set_received_ms(r.received_ms());  // 0: now, set by Append
                   receipt->set_external_ref(r.external_ref());
                   return WritePledge(apply, p, r.group_id(), body, out);
                 });
  }

  grpc::ServerUnaryReactor* GetPledge(grpc::CallbackServerContext* ctx,
                                      const v1::GetPledgeRequest* req,
                                      v1::PledgeView* resp) override {
    return Unary(backend_, ctx, req, resp, Access::kRead,
                 [](ApplyContext& apply, const Principal& p, const v1::GetPledgeRequest& r,
                    v1::PledgeView* out) -> absl::Status {
                   CONSTELLATION_ASSIGN_OR_RETURN(const core::Group* g,
                                                  ReadableGroup(apply, p, r.group_id()));
                   CONSTELLATION_ASSIGN_OR_RETURN(const core::PledgeState* pledge,
                                                  FindPledge(*g, r.pledge_id()));
                   *out = ToPledgeView(g->state(), *pledge, AsOf(apply, r.as_of_ms()));
                   return absl::OkStatus();
                 });
  }

  grpc::ServerUnaryReactor* ListPledges(grpc::CallbackServerContext* ctx,
                                        const v1::ListPledgesRequest* req,
                                        v1::ListPledgesResponse* resp) override {
    return Unary(backend_, ctx, req, resp, Access::kRead,
                 [](ApplyContext& apply, const Principal& p, const v1::ListPledgesRequest& r,
                    v1::ListPledgesResponse* out) -> absl::Status {
                   CONSTELLATION_ASSIGN_OR_RETURN(const core::Group* g,
                                                  ReadableGroup(apply, p, r.group_id()));
                   const uint64_t as_of_ms = AsOf(apply, r.as_of_ms());
                   if (!r.campaign_id().empty()) {
                     CONSTELLATION_ASSIGN_OR_RETURN(const core::CampaignState* c,
                                                    FindCampaign(*g, r.campaign_id()));
                     for (const core::EventId& id : c->pledges) {
                       *out->add_pledges() =
                           ToPledgeView(g->state(), Fundraising(g->state()).pledges().at(id), as_of_ms);
                     }
                     return absl::OkStatus();
                   }
                   for (const auto& [id, pledge] : Fundraising(g->state()).pledges()) {
                     *out->add_pledges() = ToPledgeView(g->state(), pledge, as_of_ms);
                   }
                   return absl::OkStatus();
                 });
  }

  grpc::ServerWriteReactor<v1::StreamPledgeHistoryResponse>* StreamPledgeHistory(
      grpc::CallbackServerContext* ctx, const v1::StreamPledgeHistoryRequest* req) override {
    return Streaming<v1::StreamPledgeHistoryRequest, v1::StreamPledgeHistoryResponse>(
        backend_, ctx, req,
        [](ApplyContext& apply, const Principal& p, const v1::StreamPledgeHistoryRequest& r,
           uint64_t skip, std::vector<v1::StreamPledgeHistoryResponse>* out,
           bool* more) -> absl::Status {
          CONSTELLATION_ASSIGN_OR_RETURN(const core::Group* g,
                                         ReadableGroup(apply, p, r.group_id()));
          PageCollector page(skip);
          auto emit = [&](const core::PledgeState& pledge) {
            for (const core::PledgeEntry& entry : pledge.history) {
              if (!page.Take()) continue;
              v1::StreamPledgeHistoryResponse& item = out->emplace_back();
              item.set_pledge_id(pledge.id.Bytes());
              *item.mutable_version() = ToPledgeVersion(entry);
            }
          };
          if (!r.pledge_id().empty()) {
            CONSTELLATION_ASSIGN_OR_RETURN(const core::PledgeState* pledge,
                                           FindPledge(*g, r.pledge_id()));
            emit(*pledge);
          } else if (!r.campaign_id().empty()) {
            CONSTELLATION_ASSIGN_OR_RETURN(const core::CampaignState* c,
                                           FindCampaign(*g, r.campaign_id()));
            for (const core::EventId& id : c->pledges) emit(Fundraising(g->state()).pledges().at(id));
          } else {
            for (const auto& [id, pledge] : Fundraising(g->state()).pledges()) emit(pledge);
          }
          *more = page.more();
          return absl::OkStatus();
        });
  }

 private:
  // Appends a pledge-area event and returns the pledge it concerns.
  static absl::Status WritePledge(ApplyContext& apply, const Principal& p,
                                  const std::string& group_id, const v1::Event& body,
                                  v1::PledgeWriteResponse* out) {
    CONSTELLATION_ASSIGN_OR_RETURN(const core::Group* g, ReadableGroup(apply, p, group_id));
    CONSTELLATION_ASSIGN_OR_RETURN(const core::VerifiedEvent* e, Append(apply, g->id(), body));
    *out->mutable_event() = ToEventRef(*e);
    const core::GroupState& s = apply.state().FindGroup(g->id())->state();
    std::string pledge_id;
    switch (e->event.body_case()) {
      case v1::Event::kPledge:
        pledge_id = e->id.Bytes();
        break;
      case v1::Event::kPledgeAmendment:
        pledge_id = e->event.pledge_amendment().pledge_id();
        break;
      case v1::Event::kPledgeCancellation:
        pledge_id = e->event.pledge_cancellation().pledge_id();
        break;
      case v1::Event::kPaymentReceipt:
        pledge_id = e->event.payment_receipt().pledge_id();
        break;
      default:
        return absl::InternalError("not a pledge event");
    }
    CONSTELLATION_ASSIGN_OR_RETURN(const core::PledgeState* pledge,
                                   FindPledge(*apply.state().FindGroup(g->id()), pledge_id));
    *out->mutable_pledge() = ToPledgeView(s, *pledge, apply.NowMs());
    return absl::OkStatus();
  }

  Backend* backend_;
};

}  // namespace

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kAdmin:
      return "admin";
    case Role::kMember:
      return "member";
    case Role::kAuditor:
      return "auditor";
  }
  return "unknown";
}

absl::StatusOr<Role> ParseRole(std::string_view name) {
  if (name == "admin") return Role::kAdmin;
  if (name == "member") return Role::kMember;
  if (name == "auditor") return Role::kAuditor;
  return absl::InvalidArgumentError(
      absl::StrFormat("role '%s' is not one of admin, member, auditor", std::string(name)));
}

bool Principal::CanRead(const core::GroupId& group) const {
  if (role != Role::kAuditor || groups.empty()) return true;
  return std::find(groups.begin(), groups.end(), group) != groups.end();
}

std::vector<std::unique_ptr<grpc::Service>> MakeClientServices(Backend* backend) {
  std::vector<std::unique_ptr<grpc::Service>> services;
  services.push_back(std::make_unique<NodeServiceImpl>(backend));
  services.push_back(std::make_unique<TokenServiceImpl>(backend));
  services.push_back(std::make_unique<GroupServiceImpl>(backend));
  services.push_back(std::make_unique<FundraisingServiceImpl>(backend));
  for (auto& s : MakeGovernanceServices(backend)) services.push_back(std::move(s));
  return services;
}

}  // namespace constellation::rpc
