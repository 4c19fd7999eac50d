// FundraisingService (client.proto): campaigns, pledges with their amendments, cancellations
// and payments (each write answered with the record it concerns), and the auditors' reads:
// pledges as of a date and every version of a pledge's history with who signed it.
#include "constellation/v1/client.grpc.pb.h"
#include "server/rpc/fundraising/fundraising_views.h"
#include "server/rpc/reactors.h"
#include "server/rpc/services.h"
#include "server/rpc/write.h"

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

class FundraisingServiceImpl final : public v1::FundraisingService::CallbackService {
 public:
  explicit FundraisingServiceImpl(Backend* backend) : backend_(backend) {}

  grpc::ServerUnaryReactor* OpenCampaign(grpc::CallbackServerContext* ctx,
                                         const v1::OpenCampaignRequest* req,
                                         v1::OpenCampaignResponse* resp) override {
    v1::Event body;
    *body.mutable_campaign() = req->campaign();
    return Write(backend_, ctx, req, resp, Access::kWrite, std::move(body), "", CampaignAnswer);
  }

  grpc::ServerUnaryReactor* GetCampaign(grpc::CallbackServerContext* ctx,
                                        const v1::GetCampaignRequest* req,
                                        v1::CampaignView* resp) override {
    return ReadGroup(backend_, ctx, req, resp,
                     [](const ApplyContext&, const core::Group& g, const v1::GetCampaignRequest& r,
                        v1::CampaignView* out) -> absl::Status {
                       CONSTELLATION_ASSIGN_OR_RETURN(const core::CampaignState* c,
                                                      FindCampaign(g, r.campaign_id()));
                       *out = ToCampaignView(g.state(), *c);
                       return absl::OkStatus();
                     });
  }

  grpc::ServerUnaryReactor* ListCampaigns(grpc::CallbackServerContext* ctx,
                                          const v1::ListCampaignsRequest* req,
                                          v1::ListCampaignsResponse* resp) override {
    return ReadGroup(backend_, ctx, req, resp,
                     [](const ApplyContext&, const core::Group& g, const v1::ListCampaignsRequest&,
                        v1::ListCampaignsResponse* out) {
                       for (const auto& [id, c] : core::Fundraising(g.state()).campaigns()) {
                         *out->add_campaigns() = ToCampaignView(g.state(), c);
                       }
                       return absl::OkStatus();
                     });
  }

  grpc::ServerUnaryReactor* RecordPledge(grpc::CallbackServerContext* ctx,
                                         const v1::RecordPledgeRequest* req,
                                         v1::PledgeWriteResponse* resp) override {
    v1::Event body;
    body.mutable_pledge()->set_campaign_id(req->campaign_id());
    *body.mutable_pledge()->mutable_terms() = req->terms();
    return Write(backend_, ctx, req, resp, Access::kWrite, std::move(body), "", PledgeAnswer);
  }

  grpc::ServerUnaryReactor* AmendPledge(grpc::CallbackServerContext* ctx,
                                        const v1::AmendPledgeRequest* req,
                                        v1::PledgeWriteResponse* resp) override {
    v1::Event body;
    v1::PledgeAmendment* amendment = body.mutable_pledge_amendment();
    amendment->set_pledge_id(req->pledge_id());
    *amendment->mutable_terms() = req->terms();
    amendment->set_reason(req->reason());
    return Write(backend_, ctx, req, resp, Access::kWrite, std::move(body), req->pledge_id(),
                 PledgeAnswer);
  }

  grpc::ServerUnaryReactor* CancelPledge(grpc::CallbackServerContext* ctx,
                                         const v1::CancelPledgeRequest* req,
                                         v1::PledgeWriteResponse* resp) override {
    v1::Event body;
    body.mutable_pledge_cancellation()->set_pledge_id(req->pledge_id());
    body.mutable_pledge_cancellation()->set_reason(req->reason());
    return Write(backend_, ctx, req, resp, Access::kWrite, std::move(body), req->pledge_id(),
                 PledgeAnswer);
  }

  grpc::ServerUnaryReactor* RecordPayment(grpc::CallbackServerContext* ctx,
                                          const v1::RecordPaymentRequest* req,
                                          v1::PledgeWriteResponse* resp) override {
    v1::Event body;
    v1::PaymentReceipt* receipt = body.mutable_payment_receipt();
    receipt->set_pledge_id(req->pledge_id());
    *receipt->mutable_amount() = req->amount();
    receipt->set_received_ms(req->received_ms());  // 0: now, stamped on the apply loop
    receipt->set_external_ref(req->external_ref());
    return Write(backend_, ctx, req, resp, Access::kWrite, std::move(body), req->pledge_id(),
                 PledgeAnswer);
  }

  grpc::ServerUnaryReactor* GetPledge(grpc::CallbackServerContext* ctx,
                                      const v1::GetPledgeRequest* req,
                                      v1::PledgeView* resp) override {
    return ReadGroup(backend_, ctx, req, resp,
                     [](const ApplyContext& apply, const core::Group& g,
                        const v1::GetPledgeRequest& r, v1::PledgeView* out) -> absl::Status {
                       CONSTELLATION_ASSIGN_OR_RETURN(const core::PledgeState* pledge,
                                                      FindPledge(g, r.pledge_id()));
                       *out = ToPledgeView(g.state(), *pledge, AsOf(apply, r.as_of_ms()));
                       return absl::OkStatus();
                     });
  }

  grpc::ServerUnaryReactor* ListPledges(grpc::CallbackServerContext* ctx,
                                        const v1::ListPledgesRequest* req,
                                        v1::ListPledgesResponse* resp) override {
    return ReadGroup(backend_, ctx, req, resp,
                     [](const ApplyContext& apply, const core::Group& g,
                        const v1::ListPledgesRequest& r, v1::ListPledgesResponse* out) {
                       const uint64_t as_of_ms = AsOf(apply, r.as_of_ms());
                       return ForEachPledge(g, r.campaign_id(), [&](const core::PledgeState& p) {
                         *out->add_pledges() = ToPledgeView(g.state(), p, as_of_ms);
                       });
                     });
  }

  grpc::ServerWriteReactor<v1::StreamPledgeHistoryResponse>* StreamPledgeHistory(
      grpc::CallbackServerContext* ctx, const v1::StreamPledgeHistoryRequest* req) override {
    return StreamGroup<v1::StreamPledgeHistoryRequest, v1::StreamPledgeHistoryResponse>(
        backend_, ctx, req,
        [](const ApplyContext&, const core::Group& g, const v1::StreamPledgeHistoryRequest& r,
           uint64_t skip, std::vector<v1::StreamPledgeHistoryResponse>* out,
           bool* more) -> absl::Status {
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
                                           FindPledge(g, r.pledge_id()));
            emit(*pledge);
          } else {
            CONSTELLATION_RETURN_IF_ERROR(ForEachPledge(g, r.campaign_id(), emit));
          }
          *more = page.more();
          return absl::OkStatus();
        });
  }

 private:
  Backend* backend_;
};

}  // namespace

Services MakeFundraisingServices(Backend* backend) {
  Services services;
  services.push_back(std::make_unique<FundraisingServiceImpl>(backend));
  return services;
}

}  // namespace constellation::rpc
