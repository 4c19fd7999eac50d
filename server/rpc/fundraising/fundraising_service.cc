// FundraisingService (client.proto): campaigns, pledges with their amendments, cancellations
// and payments (each write answered with the record it concerns), and the auditors' reads:
// pledges as of a date and every version of a pledge's history with who signed it.
#include "constellation/v1/client.grpc.pb.h"
#include "server/rpc/fundraising/fundraising_views.h"
#include "server/rpc/service.h"
#include "server/rpc/services.h"

namespace constellation::rpc {
namespace {

// Calls `visit` with the pledges of `g` a request selects: every pledge by id, or, when
// `campaign_id` is set, that campaign's in canonical order. kInvalidArgument, kNotFound for
// the campaign id.
template <typename Visit>
absl::Status ForEachPledge(const core::Group& g, const std::string& campaign_id, Visit visit) {
  const auto& pledges = core::Fundraising(g.state()).pledges();
  if (campaign_id.empty()) {
    for (const auto& [id, pledge] : pledges) visit(pledge);
    return absl::OkStatus();
  }
  CONSTELLATION_ASSIGN_OR_RETURN(const core::CampaignState* c, FindCampaign(g, campaign_id));
  for (const core::EventId& id : c->pledges) visit(pledges.at(id));
  return absl::OkStatus();
}

class FundraisingServiceImpl final : public BoundService<v1::FundraisingService> {
  UnaryReactor* OpenCampaign(CallContext* ctx, const v1::OpenCampaignRequest* req,
                             v1::OpenCampaignResponse* resp) override {
    return Write(ctx, req, resp, BodyFrom(*req, &v1::Event::mutable_campaign), "", CampaignViewOf);
  }

  UnaryReactor* GetCampaign(CallContext* ctx, const v1::GetCampaignRequest* req,
                            v1::CampaignView* resp) override {
    return GetRecord(ctx, req, resp, req->campaign_id(), CampaignViewOf);
  }

  UnaryReactor* ListCampaigns(CallContext* ctx, const v1::ListCampaignsRequest* req,
                              v1::ListCampaignsResponse* resp) override {
    return ReadGroup(ctx, req, resp,
                     [](const ApplyContext&, const core::Group& g, const v1::ListCampaignsRequest&,
                        v1::ListCampaignsResponse* out) {
                       for (const auto& [id, c] : core::Fundraising(g.state()).campaigns()) {
                         CONSTELLATION_ASSIGN_OR_RETURN(*out->add_campaigns(),
                                                        ToCampaignView(g, c));
                       }
                       return absl::OkStatus();
                     });
  }

  UnaryReactor* RecordPledge(CallContext* ctx, const v1::RecordPledgeRequest* req,
                             v1::PledgeWriteResponse* resp) override {
    return Write(ctx, req, resp, BodyFrom(*req, &v1::Event::mutable_pledge), "", PledgeViewOf);
  }

  UnaryReactor* AmendPledge(CallContext* ctx, const v1::AmendPledgeRequest* req,
                            v1::PledgeWriteResponse* resp) override {
    return Write(ctx, req, resp, BodyFrom(*req, &v1::Event::mutable_pledge_amendment),
                 req->pledge_id(), PledgeViewOf);
  }

  UnaryReactor* CancelPledge(CallContext* ctx, const v1::CancelPledgeRequest* req,
                             v1::PledgeWriteResponse* resp) override {
    return Write(ctx, req, resp, BodyFrom(*req, &v1::Event::mutable_pledge_cancellation),
                 req->pledge_id(), PledgeViewOf);
  }

  UnaryReactor* RecordPayment(CallContext* ctx, const v1::RecordPaymentRequest* req,
                              v1::PledgeWriteResponse* resp) override {
    return Write(ctx, req, resp, BodyFrom(*req, &v1::Event::mutable_payment_receipt),
                 req->pledge_id(), PledgeViewOf);
  }

  UnaryReactor* GetPledge(CallContext* ctx, const v1::GetPledgeRequest* req,
                          v1::PledgeView* resp) override {
    return GetRecord(ctx, req, resp, req->pledge_id(), PledgeViewOf);
  }

  UnaryReactor* ListPledges(CallContext* ctx, const v1::ListPledgesRequest* req,
                            v1::ListPledgesResponse* resp) override {
    return ReadGroup(ctx, req, resp,
                     [](const ApplyContext& apply, const core::Group& g,
                        const v1::ListPledgesRequest& r, v1::ListPledgesResponse* out) {
                       const uint64_t as_of_ms = AsOf(apply, r.as_of_ms());
                       return ForEachPledge(g, r.campaign_id(), [&](const core::PledgeState& p) {
                         *out->add_pledges() = ToPledgeView(g, p, as_of_ms);
                       });
                     });
  }

  StreamReactor<v1::StreamPledgeHistoryResponse>* StreamPledgeHistory(
      CallContext* ctx, const v1::StreamPledgeHistoryRequest* req) override {
    return StreamGroup<v1::StreamPledgeHistoryResponse>(
        ctx, req,
        [](const ApplyContext&, const core::Group& g, const v1::StreamPledgeHistoryRequest& r,
           uint64_t skip, std::vector<v1::StreamPledgeHistoryResponse>* out,
           bool* more) -> absl::Status {
          PageCollector page(skip);
          auto emit = [&](const core::PledgeState& pledge) {
            for (const core::PledgeEntry& entry : pledge.history) {
              if (!page.Take()) continue;
              v1::StreamPledgeHistoryResponse& item = out->emplace_back();
              item.set_pledge_id(pledge.id.Bytes());
              *item.mutable_version() = ToPledgeVersion(g, pledge, entry);
            }
          };
          if (!r.pledge_id().empty()) {
            CONSTELLATION_ASSIGN_OR_RETURN(const core::PledgeState* pledge,
                                           FindPledge(g, r.pledge_id()));
            emit(*pledge);
          } else {
            CONSTELLATION_RETURN_IF_ERROR(ForEachPledge(g, r.campaign_id(), emit));
          }
          *more = page.more();
          return absl::OkStatus();
        });
  }
};

}  // namespace

Services MakeFundraisingServices(Backend* backend) {
  return MakeServices<FundraisingServiceImpl>(backend);
}

}  // namespace constellation::rpc
