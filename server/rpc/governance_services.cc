// GovernanceService and MembershipService (client.proto): proposals, stances, closes, the
// "waiting on" view, joining a group across nodes, notice and withdrawal. Writes go through
// Append (service_support.h): idempotent by request_id, durable before they are answered.
#include <algorithm>

#include <absl/strings/str_format.h>

#include "constellation/v1/client.grpc.pb.h"
#include "server/base/status_macros.h"
#include "server/rpc/peer_client.h"
#include "server/rpc/peer_sync.h"
#include "server/rpc/service_support.h"
#include "server/rpc/services.h"
#include "server/rpc/views.h"
#include "server/core/governance/governance_ledger.h"

namespace constellation::rpc {
namespace {

absl::StatusOr<const core::ProposalState*> FindProposal(const core::Group& g,
                                                        const std::string& id_bytes) {
  CONSTELLATION_ASSIGN_OR_RETURN(core::EventId id, ParseEventId(id_bytes, "proposal_id"));
  auto it = Governance(g.state()).proposals().find(id);
  if (it == Governance(g.state()).proposals().end()) {
    return absl::NotFoundError(absl::StrFormat(
        "proposal %s not found in group %s ('constellation proposal list' shows them)", id.Hex(),
        g.id().Hex()));
  }
  return &it->second;
}

// The group's proposals in canonical order (DESIGN §3), so that lists read the same on every
// node.
std::vector<const core::ProposalState*> ProposalsInOrder(const core::Group& g) {
  std::vector<std::pair<core::OrderKey, const core::ProposalState*>> keyed;
  for (const auto& [id, p] : Governance(g.state()).proposals()) {
    keyed.emplace_back(core::OrderKey{g.dag().Find(id)->depth, id}, &p);
  }
  std::sort(keyed.begin(), keyed.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<const core::ProposalState*> out;
  for (const auto& [key, p] : keyed) out.push_back(p);
  return out;
}

// Appends a decision record and answers with the proposal it concerns.
absl::Status WriteDecision(ApplyContext& apply, const Principal& p, const std::string& group_id,
                           const v1::Event& body, const std::string& proposal_id,
                           v1::ProposalWriteResponse* out) {
  CONSTELLATION_ASSIGN_OR_RETURN(const core::Group* g, ReadableGroup(apply, p, group_id));
  CONSTELLATION_ASSIGN_OR_RETURN(const core::VerifiedEvent* e, Append(apply, g->id(), body));
  *out->mutable_event() = ToEventRef(*e);
  const core::Group& now = *apply.state().FindGroup(g->id());
  CONSTELLATION_ASSIGN_OR_RETURN(
      const core::ProposalState* proposal,
      FindProposal(now, proposal_id.empty() ? e->id.Bytes() : proposal_id));
  *out->mutable_proposal() = ToProposalView(now, *proposal, apply.NowMs());
  return absl::OkStatus();
}

// Appends a membership record of this org and answers with its member view.
absl::Status WriteMembership(ApplyContext& apply, const Principal& p, const std::string& group_id,
                             const v1::Event& body, v1::MembershipWriteResponse* out) {
  CONSTELLATION_ASSIGN_OR_RETURN(const core::Group* g, ReadableGroup(apply, p, group_id));
  CONSTELLATION_ASSIGN_OR_RETURN(const core::VerifiedEvent* e, Append(apply, g->id(), body));
  *out->mutable_event() = ToEventRef(*e);
  const core::Group& now = *apply.state().FindGroup(g->id());
  *out->mutable_member() =
      ToMemberView(now, now.state().roster().members().at(apply.state().org()), apply.NowMs());
  return absl::OkStatus();
}

class GovernanceServiceImpl final : public v1::GovernanceService::CallbackService {
 public:
  explicit GovernanceServiceImpl(Backend* backend) : backend_(backend) {}

  grpc::ServerUnaryReactor* Propose(grpc::CallbackServerContext* ctx,
                                    const v1::ProposeRequest* req,
                                    v1::ProposalWriteResponse* resp) override {
    return Unary(backend_, ctx, req, resp, Access::kWrite,
                 [](ApplyContext& apply, const Principal& p, const v1::ProposeRequest& r,
                    v1::ProposalWriteResponse* out) {
                   v1::Event body;
                   body.set_request_id(r.request_id());
                   *body.mutable_proposal() = r.proposal();
                   return WriteDecision(apply, p, r.group_id(), body, "", out);
                 });
  }

  grpc::ServerUnaryReactor* CastStance(grpc::CallbackServerContext* ctx,
                                       const v1::CastStanceRequest* req,
                                       v1::ProposalWriteResponse* resp) override {
    return Unary(backend_, ctx, req, resp, Access::kWrite,
                 [](ApplyContext& apply, const Principal& p, const v1::CastStanceRequest& r,
                    v1::ProposalWriteResponse* out) {
                   v1::Event body;
                   body.set_request_id(r.request_id());
                   v1::Stance* stance = body.mutable_stance();
                   stance->set_proposal_id(r.proposal_id());
                   stance->set_choice(r.choice());
                   stance->set_reason(r.reason());
                   return WriteDecision(apply, p, r.group_id(), body, r.proposal_id(), out);
                 });
  }

  grpc::ServerUnaryReactor* CloseProposal(grpc::CallbackServerContext* ctx,
                                          const v1::CloseProposalRequest* req,
                                          v1::ProposalWriteResponse* resp) override {
    return Unary(backend_, ctx, req, resp, Access::kWrite,
                 [](ApplyContext& apply, const Principal& p, const v1::CloseProposalRequest& r,
                    v1::ProposalWriteResponse* out) {
                   v1::Event body;
                   body.set_request_id(r.request_id());
                   body.mutable_proposal_close()->set_proposal_id(r.proposal_id());
                   return WriteDecision(apply, p, r.group_id(), body, r.proposal_id(), out);
                 });
  }

  grpc::ServerUnaryReactor* GetProposal(grpc::CallbackServerContext* ctx,
                                        const v1::GetProposalRequest* req,
                                        v1::ProposalView* resp) override {
    return Unary(backend_, ctx, req, resp, Access::kRead,
                 [](ApplyContext& apply, const Principal& p, const v1::GetProposalRequest& r,
                    v1::ProposalView* out) -> absl::Status {
                   CONSTELLATION_ASSIGN_OR_RETURN(const core::Group* g,
                                                  ReadableGroup(apply, p, r.group_id()));
                   CONSTELLATION_ASSIGN_OR_RETURN(const core::ProposalState* proposal,
                                                  FindProposal(*g, r.proposal_id()));
                   *out = ToProposalView(*g, *proposal, AsOf(apply, r.as_of_ms()));
                   return absl::OkStatus();
                 });
  }

  grpc::ServerUnaryReactor* ListProposals(grpc::CallbackServerContext* ctx,
                                          const v1::ListProposalsRequest* req,
                                          v1::ListProposalsResponse* resp) override {
    return Unary(backend_, ctx, req, resp, Access::kRead,
                 [](ApplyContext& apply, const Principal& p, const v1::ListProposalsRequest& r,
                    v1::ListProposalsResponse* out) -> absl::Status {
                   CONSTELLATION_ASSIGN_OR_RETURN(const core::Group* g,
                                                  ReadableGroup(apply, p, r.group_id()));
                   const uint64_t as_of_ms = AsOf(apply, r.as_of_ms());
                   for (const core::ProposalState* proposal : ProposalsInOrder(*g)) {
                     if (r.open_only() && proposal->outcome.final) continue;
                     *out->add_proposals() = ToProposalView(*g, *proposal, as_of_ms);
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
                     CONSTELLATION_ASSIGN_OR_RETURN(const core::Group* g,
                                                    ReadableGroup(apply, p, r.group_id()));
                     groups.push_back(g);
                   } else {
                     for (const auto& [id, g] : apply.state().groups()) {
                       if (p.CanRead(id) && g->state().roster().IsActiveWriter(me)) groups.push_back(g.get());
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

class MembershipServiceImpl final : public v1::MembershipService::CallbackService {
 public:
  explicit MembershipServiceImpl(Backend* backend) : backend_(backend) {}

  grpc::ServerUnaryReactor* JoinGroup(grpc::CallbackServerContext* ctx,
                                      const v1::JoinGroupRequest* req,
                                      v1::JoinGroupResponse* resp) override {
    grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
    absl::StatusOr<Principal> caller = AuthenticateBearer(ctx, *backend_);
    absl::Status ok = caller.status();
    if (ok.ok()) ok = CheckAccess(*caller, Access::kAdmin);
    if (ok.ok()) ok = CheckRequestId(req->request_id());
    if (ok.ok()) ok = ParseGroupId(req->group_id(), "group_id").status();
    if (ok.ok() && req->peer_endpoint().empty()) {
      ok = absl::InvalidArgumentError(
          "peer_endpoint is required: host:port of a member's node that holds the group");
    }
    if (ok.ok()) {
      ok = backend_->RunInBackground([this, reactor, req, resp] {
        reactor->Finish(ToGrpcStatus(Join(*req, resp)));
      });
    }
    if (!ok.ok()) reactor->Finish(ToGrpcStatus(ok));
    return reactor;
  }

  grpc::ServerUnaryReactor* GiveNotice(grpc::CallbackServerContext* ctx,
                                       const v1::GiveNoticeRequest* req,
                                       v1::MembershipWriteResponse* resp) override {
    return Unary(backend_, ctx, req, resp, Access::kWrite,
                 [](ApplyContext& apply, const Principal& p, const v1::GiveNoticeRequest& r,
                    v1::MembershipWriteResponse* out) {
                   v1::Event body;
                   body.set_request_id(r.request_id());
                   body.mutable_membership_notice()->set_reason(r.reason());
                   body.mutable_membership_notice()->set_effective_ms(r.effective_ms());
                   return WriteMembership(apply, p, r.group_id(), body, out);
                 });
  }

  grpc::ServerUnaryReactor* Withdraw(grpc::CallbackServerContext* ctx,
                                     const v1::WithdrawRequest* req,
                                     v1::MembershipWriteResponse* resp) override {
    return Unary(backend_, ctx, req, resp, Access::kWrite,
                 [](ApplyContext& apply, const Principal& p, const v1::WithdrawRequest& r,
                    v1::MembershipWriteResponse* out) {
                   v1::Event body;
                   body.set_request_id(r.request_id());
                   body.mutable_membership_withdrawal()->set_reason(r.reason());
                   return WriteMembership(apply, p, r.group_id(), body, out);
                 });
  }

 private:
  // Runs on a background worker: fetches the group from the peer, then accepts the admission.
  absl::Status Join(const v1::JoinGroupRequest& r, v1::JoinGroupResponse* out) {
    const core::GroupId group = *core::GroupId::FromBytes(r.group_id());
    PeerClient peer(r.peer_endpoint(), backend_);
    absl::Status pulled = PullFromPeer(*backend_, peer, group, out->mutable_sync());
    if (absl::IsPermissionDenied(pulled)) {
      return absl::PermissionDeniedError(absl::StrFormat(
          "%s: the peer knows of no final, passed admission of this org in group %s yet; ask "
          "a member to check 'constellation proposal waiting' (acknowledgements make a closed "
          "admission final within seconds)",
          std::string(pulled.message()), group.ShortHex()));
    }
    CONSTELLATION_RETURN_IF_ERROR(pulled);
    CONSTELLATION_RETURN_IF_ERROR(FillStateHash(*backend_, group, out->mutable_sync()));
    return RunOnLoop<bool>(*backend_, [&](ApplyContext& apply) -> absl::StatusOr<bool> {
             const core::Group* g = apply.state().FindGroup(group);
             if (g == nullptr) {
               return absl::FailedPreconditionError(absl::StrFormat(
                   "peer %s sent nothing of group %s", r.peer_endpoint(), group.Hex()));
             }
             CONSTELLATION_ASSIGN_OR_RETURN(std::string proposal_id, Admission(apply, *g));
             v1::Event body;
             body.set_request_id(r.request_id());
             v1::MembershipAcceptance* a = body.mutable_membership_acceptance();
             a->set_proposal_id(proposal_id);
             *a->mutable_profile() = r.profile();
             if (a->profile().name().empty()) a->mutable_profile()->set_name(apply.OrgName());
             if (a->profile().endpoints().empty()) {
               for (const std::string& e : apply.Endpoints()) a->mutable_profile()->add_endpoints(e);
             }
             CONSTELLATION_ASSIGN_OR_RETURN(const core::VerifiedEvent* e,
                                            Append(apply, group, body));
             *out->mutable_event() = ToEventRef(*e);
             *out->mutable_group() = ToGroupView(*apply.state().FindGroup(group), apply.NowMs());
             return true;
           })
        .status();
  }

  // The admission this org accepts: the ADMIT proposal naming it whose passed outcome is
  // final (the latest one, by canonical order, if several). A retry of a join that already
  // succeeded finds the accepted proposal (Append then returns the original event).
  static absl::StatusOr<std::string> Admission(const ApplyContext& apply, const core::Group& g) {
    const core::OrgKey& me = apply.state().org();
    const core::ProposalState* waiting = nullptr;
    const core::ProposalState* found = nullptr;
    for (const core::ProposalState* p : ProposalsInOrder(g)) {
      if (p->type() != v1::DECISION_TYPE_ADMIT || p->target != me) continue;
      if (p->effect_applied) {
        found = p;
      } else if (!p->outcome.final) {
        waiting = p;
      }
    }
    if (found != nullptr) return found->id.Bytes();
    if (waiting != nullptr) {
      return absl::FailedPreconditionError(absl::StrFormat(
          "admission proposal %s is not final yet (provisional outcome: %s); retry once it is",
          waiting->id.ShortHex(),
          std::string(core::DecisionOutcomeName(waiting->outcome.outcome))));
    }
    return absl::FailedPreconditionError(absl::StrFormat(
        "group %s holds no passed admission of org %s; a member must propose it ('constellation "
        "proposal admit --card ...')",
        g.id().ShortHex(), me.ShortHex()));
  }

  Backend* backend_;
};

}  // namespace

std::vector<std::unique_ptr<grpc::Service>> MakeGovernanceServices(Backend* backend) {
  std::vector<std::unique_ptr<grpc::Service>> services;
  services.push_back(std::make_unique<GovernanceServiceImpl>(backend));
  services.push_back(std::make_unique<MembershipServiceImpl>(backend));
  return services;
}

}  // namespace constellation::rpc
