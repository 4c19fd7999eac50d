// GovernanceService (client.proto): proposals, stances and closes (DESIGN §3), each write
// answered with the proposal it concerns, and the reads: a proposal, the list, and what is
// waiting on whom. MembershipService: joining a group across nodes (DESIGN §4: fetch the
// group from a member's node, then accept the final admission), giving notice and
// withdrawing.
#include <algorithm>

#include <absl/strings/str_format.h>

#include "constellation/v1/client.grpc.pb.h"
#include "server/rpc/governance/governance_views.h"
#include "server/rpc/group/group_views.h"
#include "server/rpc/paging.h"
#include "server/rpc/peer_sync.h"
#include "server/rpc/service.h"
#include "server/rpc/services.h"

namespace constellation::rpc {
namespace {

class GovernanceServiceImpl final : public BoundService<v1::GovernanceService> {
  UnaryReactor* Propose(CallContext* ctx, const v1::ProposeRequest* req,
                        v1::ProposalWriteResponse* resp) override {
    return Write(ctx, req, resp, BodyFrom(*req, &v1::Event::mutable_proposal), "", ProposalViewOf);
  }

  UnaryReactor* CastStance(CallContext* ctx, const v1::CastStanceRequest* req,
                           v1::ProposalWriteResponse* resp) override {
    return Write(ctx, req, resp, BodyFrom(*req, &v1::Event::mutable_stance), req->proposal_id(),
                 ProposalViewOf);
  }

  UnaryReactor* CloseProposal(CallContext* ctx, const v1::CloseProposalRequest* req,
                              v1::ProposalWriteResponse* resp) override {
    return Write(ctx, req, resp, BodyFrom(*req, &v1::Event::mutable_proposal_close),
                 req->proposal_id(), ProposalViewOf);
  }

  UnaryReactor* GetProposal(CallContext* ctx, const v1::GetProposalRequest* req,
                            v1::ProposalView* resp) override {
    return GetRecord(ctx, req, resp, req->proposal_id(), ProposalViewOf);
  }

  UnaryReactor* ListProposals(CallContext* ctx, const v1::ListProposalsRequest* req,
                              v1::ListProposalsResponse* resp) override {
    return ReadGroup(
        ctx, req, resp,
        [](const ApplyContext& apply, const core::Group& g, const v1::ListProposalsRequest& r,
           v1::ListProposalsResponse* out) -> absl::Status {
          const uint64_t as_of_ms = AsOf(apply, r.as_of_ms());
          CONSTELLATION_ASSIGN_OR_RETURN(const ListPage page,
                                         ListPage::Open("ListProposals", kOrderPageKeySizeBytes,
                                                        r.page_size(), r.page_token()));
          std::vector<const core::ProposalState*> proposals;
          for (const core::ProposalState* proposal : ProposalsInOrder(g)) {
            if (!r.open_only() || !proposal->outcome.final) proposals.push_back(proposal);
          }
          CONSTELLATION_ASSIGN_OR_RETURN(
              *out->mutable_next_page_token(),
              page.Fill(
                  proposals.begin(), proposals.end(),
                  [&](const core::ProposalState* p) {
                    return PageKey(core::OrderKey{g.dag().Find(p->id)->depth, p->id});
                  },
                  [&](const core::ProposalState* p) {
                    return Appended(out->add_proposals(), ToProposalView(g, *p, as_of_ms));
                  }));
          return absl::OkStatus();
        });
  }

  UnaryReactor* WaitingOn(CallContext* ctx, const v1::WaitingOnRequest* req,
                          v1::WaitingOnResponse* resp) override {
    return Unary(ctx, req, resp, Access::kRead,
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
                       const bool mine =
                           std::find(view.missing_stances().begin(), view.missing_stances().end(),
                                     me.Bytes()) != view.missing_stances().end();
                       *(mine ? out->add_needs_my_stance() : out->add_waiting_on_others()) =
                           std::move(view);
                     }
                   }
                   return absl::OkStatus();
                 });
  }
};

class MembershipServiceImpl final : public BoundService<v1::MembershipService> {
  // Validated here; the pull from the peer and the acceptance run on the background worker.
  UnaryReactor* JoinGroup(CallContext* ctx, const v1::JoinGroupRequest* req,
                          v1::JoinGroupResponse* resp) override {
    const absl::StatusOr<Principal> caller = AuthenticateClient(ctx, *backend_, Access::kAdmin);
    absl::Status checked = CheckRequestId(req->request_id());
    if (checked.ok()) checked = ParseGroupId(req->group_id(), "group_id").status();
    if (checked.ok() && req->peer_endpoint().empty()) {
      checked = absl::InvalidArgumentError(
          "peer_endpoint is required: host:port of a member's node that holds the group");
    }
    return RunDetached(backend_, ctx, caller, checked, [this, req, resp](Finish finish) {
      return backend_->RunInBackground([this, req, resp, finish] { finish(Join(*req, resp)); });
    });
  }

  UnaryReactor* GiveNotice(CallContext* ctx, const v1::GiveNoticeRequest* req,
                           v1::MembershipWriteResponse* resp) override {
    return Write(ctx, req, resp, BodyFrom(*req, &v1::Event::mutable_membership_notice),
                 backend_->OwnCard().key(), MemberViewOf);
  }

  UnaryReactor* Withdraw(CallContext* ctx, const v1::WithdrawRequest* req,
                         v1::MembershipWriteResponse* resp) override {
    return Write(ctx, req, resp, BodyFrom(*req, &v1::Event::mutable_membership_withdrawal),
                 backend_->OwnCard().key(), MemberViewOf);
  }

  UnaryReactor* GetMember(CallContext* ctx, const v1::GetMemberRequest* req,
                          v1::MemberView* resp) override {
    return GetRecord(ctx, req, resp, req->org_key(), MemberViewOf);
  }

  // On the background worker: fetches the group from the peer, then accepts the admission
  // (the write template's steps: the body validated here, off the loop, then appended).
  absl::Status Join(const v1::JoinGroupRequest& r, v1::JoinGroupResponse* out) {
    const core::GroupId group = *core::GroupId::FromBytes(r.group_id());
    absl::Status pulled = SyncFromPeer(*backend_, r.peer_endpoint(), group, out->mutable_sync());
    if (absl::IsPermissionDenied(pulled)) {
      return absl::PermissionDeniedError(absl::StrFormat(
          "%s: the peer knows of no final, passed admission of this org in group %s yet; ask "
          "a member to check 'constellation proposal waiting' (acknowledgements make a closed "
          "admission final within seconds)",
          std::string(pulled.message()), group.ShortHex()));
    }
    CONSTELLATION_RETURN_IF_ERROR(pulled);
    CONSTELLATION_ASSIGN_OR_RETURN(
        std::string proposal_id,
        RunOnLoop<std::string>(*backend_, [&](ApplyContext& apply) -> absl::StatusOr<std::string> {
          const core::Group* g = apply.state().FindGroup(group);
          if (g == nullptr) {
            return absl::FailedPreconditionError(absl::StrFormat("peer %s sent nothing of group %s",
                                                                 r.peer_endpoint(), group.Hex()));
          }
          return Admission(apply, *g);
        }));
    CONSTELLATION_ASSIGN_OR_RETURN(
        PreparedWrite write,
        PrepareWrite(&r.group_id(), AcceptanceBody(r, proposal_id, backend_->OwnCard())));
    return RunOnLoop<bool>(
               *backend_,
               [&](ApplyContext& apply) -> absl::StatusOr<bool> {
                 CONSTELLATION_RETURN_IF_ERROR(AnswerWrite(apply, write, "", GroupViewOf, out));
                 return true;
               })
        .status();
  }

  // The acceptance of admission `proposal_id`, its profile defaulting to this node's org card.
  static v1::Event AcceptanceBody(const v1::JoinGroupRequest& r, const std::string& proposal_id,
                                  const v1::OrgCard& card) {
    v1::Event body;
    body.set_request_id(r.request_id());
    v1::MembershipAcceptance* a = body.mutable_membership_acceptance();
    a->set_proposal_id(proposal_id);
    *a->mutable_profile() = r.profile();
    if (a->profile().name().empty()) a->mutable_profile()->set_name(card.name());
    if (a->profile().endpoints().empty()) {
      *a->mutable_profile()->mutable_endpoints() = card.endpoints();
    }
    return body;
  }

  // The admission this org accepts: the ADMIT proposal naming it whose passed outcome is
  // final (the latest one, by canonical order, if several). A retry of a join that already
  // succeeded finds the accepted proposal (the append then returns the original event).
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
};

}  // namespace

Services MakeGovernanceServices(Backend* backend) {
  return MakeServices<GovernanceServiceImpl, MembershipServiceImpl>(backend);
}

}  // namespace constellation::rpc
