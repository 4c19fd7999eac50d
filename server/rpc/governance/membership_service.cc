#include "server/rpc/governance/membership_service.h"

#include <absl/strings/str_format.h>

#include "constellation/v1/client.grpc.pb.h"
#include "server/rpc/governance/governance_views.h"
#include "server/rpc/group/group_views.h"
#include "server/rpc/peer_sync.h"
#include "server/rpc/reactors.h"
#include "server/rpc/write.h"

namespace constellation::rpc {
namespace {

class MembershipServiceImpl final : public v1::MembershipService::CallbackService {
 public:
  explicit MembershipServiceImpl(Backend* backend) : backend_(backend) {}

  // Validated here; the pull from the peer and the acceptance run on the background worker.
  grpc::ServerUnaryReactor* JoinGroup(grpc::CallbackServerContext* ctx,
                                      const v1::JoinGroupRequest* req,
                                      v1::JoinGroupResponse* resp) override {
    absl::Status checked = AuthenticateClient(ctx, *backend_, Access::kAdmin).status();
    if (checked.ok()) checked = CheckRequestId(req->request_id());
    if (checked.ok()) checked = ParseGroupId(req->group_id(), "group_id").status();
    if (checked.ok() && req->peer_endpoint().empty()) {
      checked = absl::InvalidArgumentError(
          "peer_endpoint is required: host:port of a member's node that holds the group");
    }
    return RunDetached(ctx, checked, [this, req, resp](Finish finish) {
      return backend_->RunInBackground([this, req, resp, finish] { finish(Join(*req, resp)); });
    });
  }

  grpc::ServerUnaryReactor* GiveNotice(grpc::CallbackServerContext* ctx,
                                       const v1::GiveNoticeRequest* req,
                                       v1::MembershipWriteResponse* resp) override {
    v1::Event body;
    body.mutable_membership_notice()->set_reason(req->reason());
    body.mutable_membership_notice()->set_effective_ms(req->effective_ms());
    return Write(backend_, ctx, req, resp, Access::kWrite, std::move(body),
                 backend_->OwnCard().key(), MemberAnswer);
  }

  grpc::ServerUnaryReactor* Withdraw(grpc::CallbackServerContext* ctx,
                                     const v1::WithdrawRequest* req,
                                     v1::MembershipWriteResponse* resp) override {
    v1::Event body;
    body.mutable_membership_withdrawal()->set_reason(req->reason());
    return Write(backend_, ctx, req, resp, Access::kWrite, std::move(body),
                 backend_->OwnCard().key(), MemberAnswer);
  }

 private:
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
            return absl::FailedPreconditionError(absl::StrFormat(
                "peer %s sent nothing of group %s", r.peer_endpoint(), group.Hex()));
          }
          return Admission(apply, *g);
        }));
    CONSTELLATION_ASSIGN_OR_RETURN(
        PreparedWrite write,
        PrepareWrite(&r.group_id(), AcceptanceBody(r, proposal_id, backend_->OwnCard())));
    return RunOnLoop<bool>(*backend_, [&](ApplyContext& apply) -> absl::StatusOr<bool> {
             CONSTELLATION_RETURN_IF_ERROR(AnswerWrite<v1::JoinGroupResponse>(
                 apply, write, "", GroupAnswer<v1::JoinGroupResponse>, out));
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

  Backend* backend_;
};

}  // namespace

std::unique_ptr<grpc::Service> MakeMembershipService(Backend* backend) {
  return std::make_unique<MembershipServiceImpl>(backend);
}

}  // namespace constellation::rpc
