// sdk/src/governance/governance_client.cc: the governance domain's Client methods
// (GovernanceService, MembershipService): proposals, stances, what waits on whom, and the
// membership writes an org makes for itself (join, notice, withdrawal).
#include <string>
#include <utility>

#include <constellation/client.h>

#include "sdk/src/governance/governance_convert.h"
#include "sdk/src/group/group_convert.h"
#include "sdk/src/hex.h"
#include "sdk/src/paging.h"
#include "sdk/src/status.h"
#include "sdk/src/unary_call.h"

namespace constellation {
namespace {

using internal::DecodeId, internal::DecodeOptionalId, internal::DecodeRecordIds,
    internal::FromProto, internal::GroupWriteCall, internal::UnaryCall;
using GovernanceStub = v1::GovernanceService::Stub;
using MembershipStub = v1::MembershipService::Stub;

}  // namespace

absl::StatusOr<ProposalWrite> Client::Propose(std::string_view group_id,
                                              const ProposalSpec& proposal,
                                              const WriteOptions& write) {
  return GroupWriteCall<ProposalWrite>(*core_, "Propose", &GovernanceStub::Propose, group_id,
                                       proposal, &v1::ProposeRequest::mutable_proposal,
                                       internal::ToProto, write, FromProto);
}

absl::StatusOr<ProposalWrite> Client::CastStance(std::string_view group_id,
                                                 std::string_view proposal_id,
                                                 std::string_view stance, std::string_view reason,
                                                 const WriteOptions& write) {
  v1::CastStanceRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeRecordIds(group_id, proposal_id, "proposal_id",
                                                    request.mutable_group_id(),
                                                    request.mutable_proposal_id()));
  absl::StatusOr<v1::StanceChoice> choice = internal::StanceFromName(stance);
  if (!choice.ok()) return choice.status();
  request.set_choice(*choice);
  request.set_reason(std::string(reason));
  return UnaryCall<ProposalWrite>(*core_, "CastStance", &GovernanceStub::CastStance,
                                  std::move(request), write, FromProto);
}

absl::StatusOr<ProposalWrite> Client::CloseProposal(std::string_view group_id,
                                                    std::string_view proposal_id,
                                                    const WriteOptions& write) {
  v1::CloseProposalRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeRecordIds(group_id, proposal_id, "proposal_id",
                                                    request.mutable_group_id(),
                                                    request.mutable_proposal_id()));
  return UnaryCall<ProposalWrite>(*core_, "CloseProposal", &GovernanceStub::CloseProposal,
                                  std::move(request), write, FromProto);
}

absl::StatusOr<Proposal> Client::GetProposal(std::string_view group_id,
                                             std::string_view proposal_id, uint64_t as_of_ms) {
  v1::GetProposalRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeRecordIds(group_id, proposal_id, "proposal_id",
                                                    request.mutable_group_id(),
                                                    request.mutable_proposal_id()));
  request.set_as_of_ms(as_of_ms);
  return UnaryCall<Proposal>(*core_, "GetProposal", &GovernanceStub::GetProposal, request,
                             FromProto);
}

absl::StatusOr<std::vector<Proposal>> Client::ListProposals(std::string_view group_id,
                                                            bool open_only, uint64_t as_of_ms) {
  v1::ListProposalsRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  request.set_open_only(open_only);
  request.set_as_of_ms(as_of_ms);
  return internal::DrainPages<Proposal>(*core_, "ListProposals", &GovernanceStub::ListProposals,
                                        request, FromProto);
}

absl::StatusOr<Page<Proposal>> Client::ListProposalsPage(std::string_view group_id, bool open_only,
                                                         uint64_t as_of_ms,
                                                         const PageOptions& page) {
  v1::ListProposalsRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  request.set_open_only(open_only);
  request.set_as_of_ms(as_of_ms);
  return internal::PageCall<Proposal>(*core_, "ListProposals", &GovernanceStub::ListProposals,
                                      request, page, FromProto);
}

absl::StatusOr<WaitingOnResult> Client::WaitingOn(std::string_view group_id) {
  v1::WaitingOnRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(
      DecodeOptionalId(group_id, "group_id", request.mutable_group_id()));
  return UnaryCall<WaitingOnResult>(*core_, "WaitingOn", &GovernanceStub::WaitingOn, request,
                                    FromProto);
}

absl::StatusOr<JoinResult> Client::JoinGroup(std::string_view group_id,
                                             std::string_view peer_endpoint,
                                             const MemberProfile& profile,
                                             const WriteOptions& write) {
  if (peer_endpoint.empty()) {
    return absl::InvalidArgumentError(
        "peer endpoint is empty: give host:port of a member's node that holds the group");
  }
  v1::JoinGroupRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  request.set_peer_endpoint(std::string(peer_endpoint));
  CONSTELLATION_SDK_RETURN_IF_ERROR(
      internal::ToProto(profile, "profile", request.mutable_profile()));
  return UnaryCall<JoinResult>(*core_, "JoinGroup", &MembershipStub::JoinGroup, std::move(request),
                               write, FromProto);
}

absl::StatusOr<MembershipWrite> Client::GiveNotice(std::string_view group_id,
                                                   std::string_view reason, uint64_t effective_ms,
                                                   const WriteOptions& write) {
  v1::GiveNoticeRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  request.set_reason(std::string(reason));
  request.set_effective_ms(effective_ms);
  return UnaryCall<MembershipWrite>(*core_, "GiveNotice", &MembershipStub::GiveNotice,
                                    std::move(request), write, FromProto);
}

absl::StatusOr<Member> Client::GetMember(std::string_view group_id, std::string_view org_key) {
  v1::GetMemberRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(org_key, "org_key", request.mutable_org_key()));
  return UnaryCall<Member>(*core_, "GetMember", &MembershipStub::GetMember, std::move(request),
                           FromProto);
}

absl::StatusOr<MembershipWrite> Client::Withdraw(std::string_view group_id, std::string_view reason,
                                                 const WriteOptions& write) {
  v1::WithdrawRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  request.set_reason(std::string(reason));
  return UnaryCall<MembershipWrite>(*core_, "Withdraw", &MembershipStub::Withdraw,
                                    std::move(request), write, FromProto);
}

}  // namespace constellation
