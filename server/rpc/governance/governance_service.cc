// GovernanceService (client.proto): proposals, stances and closes (DESIGN §3), each write
// answered with the proposal it concerns; and the reads: a proposal, the list, and what is
// waiting on whom.
#include <algorithm>

#include "constellation/v1/client.grpc.pb.h"
#include "server/rpc/governance/governance_views.h"
#include "server/rpc/governance/membership_service.h"
#include "server/rpc/reactors.h"
#include "server/rpc/services.h"
#include "server/rpc/write.h"

namespace constellation::rpc {
namespace {

class GovernanceServiceImpl final : public v1::GovernanceService::CallbackService {
 public:
  explicit GovernanceServiceImpl(Backend* backend) : backend_(backend) {}

  grpc::ServerUnaryReactor* Propose(grpc::CallbackServerContext* ctx,
                                    const v1::ProposeRequest* req,
                                    v1::ProposalWriteResponse* resp) override {
    v1::Event body;
    *body.mutable_proposal() = req->proposal();
    return Write(backend_, ctx, req, resp, Access::kWrite, std::move(body), "", ProposalAnswer);
  }

  grpc::ServerUnaryReactor* CastStance(grpc::CallbackServerContext* ctx,
                                       const v1::CastStanceRequest* req,
                                       v1::ProposalWriteResponse* resp) override {
    v1::Event body;
    v1::Stance* stance = body.mutable_stance();
    stance->set_proposal_id(req->proposal_id());
    stance->set_choice(req->choice());
    stance->set_reason(req->reason());
    return Write(backend_, ctx, req, resp, Access::kWrite, std::move(body), req->proposal_id(),
                 ProposalAnswer);
  }

  grpc::ServerUnaryReactor* CloseProposal(grpc::CallbackServerContext* ctx,
                                          const v1::CloseProposalRequest* req,
                                          v1::ProposalWriteResponse* resp) override {
    v1::Event body;
    body.mutable_proposal_close()->set_proposal_id(req->proposal_id());
    return Write(backend_, ctx, req, resp, Access::kWrite, std::move(body), req->proposal_id(),
                 ProposalAnswer);
  }

  grpc::ServerUnaryReactor* GetProposal(grpc::CallbackServerContext* ctx,
                                        const v1::GetProposalRequest* req,
                                        v1::ProposalView* resp) override {
    return ReadGroup(backend_, ctx, req, resp,
                     [](const ApplyContext& apply, const core::Group& g,
                        const v1::GetProposalRequest& r, v1::ProposalView* out) -> absl::Status {
                       CONSTELLATION_ASSIGN_OR_RETURN(const core::ProposalState* proposal,
                                                      FindProposal(g, r.proposal_id()));
                       *out = ToProposalView(g, *proposal, AsOf(apply, r.as_of_ms()));
                       return absl::OkStatus();
                     });
  }

  grpc::ServerUnaryReactor* ListProposals(grpc::CallbackServerContext* ctx,
                                          const v1::ListProposalsRequest* req,
                                          v1::ListProposalsResponse* resp) override {
    return ReadGroup(backend_, ctx, req, resp,
                     [](const ApplyContext& apply, const core::Group& g,
                        const v1::ListProposalsRequest& r, v1::ListProposalsResponse* out) {
                       const uint64_t as_of_ms = AsOf(apply, r.as_of_ms());
                       for (const core::ProposalState* proposal : ProposalsInOrder(g)) {
                         if (r.open_only() && proposal->outcome.final) continue;
                         *out->add_proposals() = ToProposalView(g, *proposal, as_of_ms);
                       }
                       return absl::OkStatus();
                     });
  }

  grpc::ServerUnaryReactor* WaitingOn(grpc::CallbackServerContext* ctx,
                                      const v1::WaitingOnRequest* req,
                                      v1::WaitingOnResponse* resp) override {
    return Unary(backend_, ctx, req, resp, Access::kRead,
                 [](ApplyContext& apply, const Principal& p, const v1::WaitingOnRequest& r,
                    v1::WaitingOnResponse* out) -> absl::Status {
                   const core::OrgKey& me = apply.state().org();
                   std::vector<const core::Group*> groups;
                   if (!r.group_id().empty()) {
                     CONSTELLATION_ASSIGN_OR_RETURN(groups.emplace_back(),
                                                    ReadableGroup(apply, p, r.group_id()));
                   } else {
                     for (const auto& [id, g] : apply.state().groups()) {
                       if (p.CanRead(id) && g->state().roster().IsActiveWriter(me)) {
                         groups.push_back(g.get());
                       }
                     }
                   }
                   for (const core::Group* g : groups) {
                     for (const core::ProposalState* proposal : ProposalsInOrder(*g)) {
                       if (proposal->outcome.final) continue;
                       v1::ProposalView view = ToProposalView(*g, *proposal, apply.NowMs());
                       const bool mine = std::find(view.missing_stances().begin(),
                                                   view.missing_stances().end(),
                                                   me.Bytes()) != view.missing_stances().end();
                       *(mine ? out->add_needs_my_stance() : out->add_waiting_on_others()) =
                           std::move(view);
                     }
                   }
                   return absl::OkStatus();
                 });
  }

 private:
  Backend* backend_;
};

}  // namespace

Services MakeGovernanceServices(Backend* backend) {
  Services services;
  services.push_back(std::make_unique<GovernanceServiceImpl>(backend));
  services.push_back(MakeMembershipService(backend));
  return services;
}

}  // namespace constellation::rpc
