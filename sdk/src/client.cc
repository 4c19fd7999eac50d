// sdk/src/client.cc: Client::Connect and one method per RPC of client.proto.
#include <utility>

#include <absl/random/random.h>
#include <absl/strings/str_format.h>
#include <constellation/client.h>

#include "sdk/src/client_core.h"
#include "sdk/src/convert.h"
#include "sdk/src/hex.h"
#include "sdk/src/status.h"
#include "sdk/src/streams.h"

#ifndef CONSTELLATION_SDK_VERSION
#define CONSTELLATION_SDK_VERSION "0.0.0"
#endif

namespace constellation {
namespace {

using internal::ClientCore;
using internal::DecodeId;
using internal::DecodeOptionalId;
using internal::FromProto;

// Same rule as client.proto for request ids.
constexpr size_t kRequestIdSizeBytesMax = 128;

bool IsPrintableAscii(std::string_view text) {
  for (char c : text) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

// The request id to send: the caller's (validated) or a fresh random one. Generated once per
// SDK call, before the retry loop, so that every attempt carries the same id.
absl::StatusOr<std::string> RequestIdFor(const WriteOptions& write) {
  if (write.request_id.empty()) return NewRequestId();
  if (write.request_id.size() > kRequestIdSizeBytesMax || !IsPrintableAscii(write.request_id)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("request_id must be 1..%d printable ASCII characters, got %d characters",
                        kRequestIdSizeBytesMax, write.request_id.size()));
  }
  return write.request_id;
}

PledgeWrite ToPledgeWrite(const v1::PledgeWriteResponse& response) {
  return PledgeWrite{FromProto(response.event()), FromProto(response.pledge())};
}

ProposalWrite ToProposalWrite(const v1::ProposalWriteResponse& response) {
  return ProposalWrite{FromProto(response.event()), FromProto(response.proposal())};
}

}  // namespace

std::string NewRequestId() {
  thread_local absl::BitGen bits;
  const uint64_t high = absl::Uniform<uint64_t>(bits);
  const uint64_t low = absl::Uniform<uint64_t>(bits);
  return absl::StrFormat("%016x%016x", high, low);
}

const char* SdkVersion() { return CONSTELLATION_SDK_VERSION; }

absl::StatusOr<std::unique_ptr<Client>> Client::Connect(const ClientOptions& options) {
  if (options.endpoint.empty()) {
    return absl::InvalidArgumentError("endpoint is empty: give host:port, e.g. 127.0.0.1:7400");
  }
  if (!IsPrintableAscii(options.token) || options.token.find(' ') != std::string::npos) {
    return absl::InvalidArgumentError(
        "token contains spaces or non-printable characters: check how it was copied");
  }
  if (options.max_attempts < 1) {
    return absl::InvalidArgumentError(
        absl::StrFormat("max_attempts must be >= 1, got %d", options.max_attempts));
  }
  if (options.deadline <= absl::ZeroDuration() || options.stream_deadline <= absl::ZeroDuration() ||
      options.initial_backoff <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("deadline, stream_deadline and initial_backoff must be > 0");
  }
  return std::unique_ptr<Client>(new Client(std::make_shared<ClientCore>(options)));
}

Client::Client(std::shared_ptr<internal::ClientCore> core) : core_(std::move(core)) {}
Client::~Client() = default;

const ClientOptions& Client::options() const { return core_->options(); }

// --- Node and tokens ---------------------------------------------------------------------

absl::StatusOr<NodeInfo> Client::GetNodeInfo() {
  v1::GetNodeInfoRequest request;
  v1::GetNodeInfoResponse response;
  CONSTELLATION_SDK_RETURN_IF_ERROR(core_->Call("GetNodeInfo", [&](grpc::ClientContext* context) {
    return core_->node().GetNodeInfo(context, request, &response);
  }));
  return FromProto(response);
}

absl::StatusOr<OrgCard> Client::GetOrgCard() {
  v1::GetOrgCardRequest request;
  v1::OrgCard response;
  CONSTELLATION_SDK_RETURN_IF_ERROR(core_->Call("GetOrgCard", [&](grpc::ClientContext* context) {
    return core_->node().GetOrgCard(context, request, &response);
  }));
  return FromProto(response);
}

absl::StatusOr<CreatedToken> Client::CreateToken(std::string_view role, std::string_view label,
                                                 const std::vector<std::string>& group_ids) {
  v1::CreateTokenRequest request;
  request.set_role(std::string(role));
  request.set_label(std::string(label));
  for (const std::string& group_id : group_ids) {
    CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_ids", request.add_group_ids()));
  }
  v1::CreateTokenResponse response;
  CONSTELLATION_SDK_RETURN_IF_ERROR(core_->Call("CreateToken", [&](grpc::ClientContext* context) {
    return core_->tokens().CreateToken(context, request, &response);
  }));
  return CreatedToken{response.token(), response.token_id()};
}

absl::StatusOr<std::vector<TokenInfo>> Client::ListTokens() {
  v1::ListTokensRequest request;
  v1::ListTokensResponse response;
  CONSTELLATION_SDK_RETURN_IF_ERROR(core_->Call("ListTokens", [&](grpc::ClientContext* context) {
    return core_->tokens().ListTokens(context, request, &response);
  }));
  std::vector<TokenInfo> out;
  for (const v1::TokenInfo& token : response.tokens()) out.push_back(FromProto(token));
  return out;
}

absl::Status Client::RevokeToken(std::string_view token_id) {
  if (token_id.empty()) return absl::InvalidArgumentError("token_id is empty");
  v1::RevokeTokenRequest request;
  request.set_token_id(std::string(token_id));
  v1::RevokeTokenResponse response;
  return core_->Call("RevokeToken", [&](grpc::ClientContext* context) {
    return core_->tokens().RevokeToken(context, request, &response);
  });
}

absl::StatusOr<SyncResult> Client::SyncGroup(std::string_view peer_endpoint,
                                             std::string_view group_id) {
  if (peer_endpoint.empty()) {
    return absl::InvalidArgumentError("peer endpoint is empty: give the peer's host:port");
  }
  v1::SyncGroupRequest request;
  request.set_peer_endpoint(std::string(peer_endpoint));
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  v1::SyncGroupResponse response;
  CONSTELLATION_SDK_RETURN_IF_ERROR(core_->Call("SyncGroup", [&](grpc::ClientContext* context) {
    return core_->peers().SyncGroup(context, request, &response);
  }));
  return FromProto(response);
}

absl::StatusOr<SyncResult> Client::SyncGroupWithMembers(std::string_view group_id) {
  v1::SyncGroupRequest request;  // empty peer_endpoint: a round with every member
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  v1::SyncGroupResponse response;
  CONSTELLATION_SDK_RETURN_IF_ERROR(core_->Call("SyncGroup", [&](grpc::ClientContext* context) {
    return core_->peers().SyncGroup(context, request, &response);
  }));
  return FromProto(response);
}

absl::StatusOr<std::vector<PeerStatus>> Client::ListPeers(std::string_view group_id) {
  v1::ListPeersRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(
      DecodeOptionalId(group_id, "group_id", request.mutable_group_id()));
  v1::ListPeersResponse response;
  CONSTELLATION_SDK_RETURN_IF_ERROR(core_->Call("ListPeers", [&](grpc::ClientContext* context) {
    return core_->peers().ListPeers(context, request, &response);
  }));
  std::vector<PeerStatus> out;
  for (const v1::PeerView& peer : response.peers()) out.push_back(FromProto(peer));
  return out;
}

// --- Decisions ---------------------------------------------------------------------------

absl::StatusOr<ProposalWrite> Client::Propose(std::string_view group_id,
                                              const ProposalSpec& proposal,
                                              const WriteOptions& write) {
  v1::ProposeRequest request;
  absl::StatusOr<std::string> request_id = RequestIdFor(write);
  if (!request_id.ok()) return request_id.status();
  request.set_request_id(*request_id);
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  CONSTELLATION_SDK_RETURN_IF_ERROR(internal::ToProto(proposal, request.mutable_proposal()));
  v1::ProposalWriteResponse response;
  CONSTELLATION_SDK_RETURN_IF_ERROR(core_->Call("Propose", [&](grpc::ClientContext* context) {
    return core_->governance().Propose(context, request, &response);
  }));
  return ToProposalWrite(response);
}

absl::StatusOr<ProposalWrite> Client::CastStance(std::string_view group_id,
                                                 std::string_view proposal_id,
                                                 std::string_view stance, std::string_view reason,
                                                 const WriteOptions& write) {
  v1::CastStanceRequest request;
  absl::StatusOr<std::string> request_id = RequestIdFor(write);
  if (!request_id.ok()) return request_id.status();
  request.set_request_id(*request_id);
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  CONSTELLATION_SDK_RETURN_IF_ERROR(
      DecodeId(proposal_id, "proposal_id", request.mutable_proposal_id()));
  absl::StatusOr<v1::StanceChoice> choice = internal::StanceFromName(stance);
  if (!choice.ok()) return choice.status();
  request.set_choice(*choice);
  request.set_reason(std::string(reason));
  v1::ProposalWriteResponse response;
  CONSTELLATION_SDK_RETURN_IF_ERROR(core_->Call("CastStance", [&](grpc::ClientContext* context) {
    return core_->governance().CastStance(context, request, &response);
  }));
  return ToProposalWrite(response);
}

absl::StatusOr<ProposalWrite> Client::CloseProposal(std::string_view group_id,
                                                    std::string_view proposal_id,
                                                    const WriteOptions& write) {
  v1::CloseProposalRequest request;
  absl::StatusOr<std::string> request_id = RequestIdFor(write);
  if (!request_id.ok()) return request_id.status();
  request.set_request_id(*request_id);
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  CONSTELLATION_SDK_RETURN_IF_ERROR(
      DecodeId(proposal_id, "proposal_id", request.mutable_proposal_id()));
  v1::ProposalWriteResponse response;
  CONSTELLATION_SDK_RETURN_IF_ERROR(core_->Call("CloseProposal", [&](grpc::ClientContext* context) {
    return core_->governance().CloseProposal(context, request, &response);
  }));
  return ToProposalWrite(response);
}

absl::StatusOr<Proposal> Client::GetProposal(std::string_view group_id,
                                             std::string_view proposal_id, uint64_t as_of_ms) {
  v1::GetProposalRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  CONSTELLATION_SDK_RETURN_IF_ERROR(
      DecodeId(proposal_id, "proposal_id", request.mutable_proposal_id()));
  request.set_as_of_ms(as_of_ms);
  v1::ProposalView response;
  CONSTELLATION_SDK_RETURN_IF_ERROR(core_->Call("GetProposal", [&](grpc::ClientContext* context) {
    return core_->governance().GetProposal(context, request, &response);
  }));
  return FromProto(response);
}

absl::StatusOr<std::vector<Proposal>> Client::ListProposals(std::string_view group_id,
                                                            bool open_only, uint64_t as_of_ms) {
  v1::ListProposalsRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  request.set_open_only(open_only);
  request.set_as_of_ms(as_of_ms);
  v1::ListProposalsResponse response;
  CONSTELLATION_SDK_RETURN_IF_ERROR(core_->Call("ListProposals", [&](grpc::ClientContext* context) {
    return core_->governance().ListProposals(context, request, &response);
  }));
  std::vector<Proposal> out;
  for (const v1::ProposalView& proposal : response.proposals()) out.push_back(FromProto(proposal));
  return out;
}

absl::StatusOr<WaitingOnResult> Client::WaitingOn(std::string_view group_id) {
  v1::WaitingOnRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(
      DecodeOptionalId(group_id, "group_id", request.mutable_group_id()));
  v1::WaitingOnResponse response;
  CONSTELLATION_SDK_RETURN_IF_ERROR(core_->Call("WaitingOn", [&](grpc::ClientContext* context) {
    return core_->governance().WaitingOn(context, request, &response);
  }));
  WaitingOnResult out;
  for (const v1::ProposalView& proposal : response.needs_my_stance()) {
    out.needs_my_stance.push_back(FromProto(proposal));
  }
  for (const v1::ProposalView& proposal : response.waiting_on_others()) {
    out.waiting_on_others.push_back(FromProto(proposal));
  }
  return out;
}

// --- Membership --------------------------------------------------------------------------

absl::StatusOr<JoinResult> Client::JoinGroup(std::string_view group_id,
                                             std::string_view peer_endpoint,
                                             const MemberProfile& profile,
                                             const WriteOptions& write) {
  if (peer_endpoint.empty()) {
    return absl::InvalidArgumentError(
        "peer endpoint is empty: give host:port of a member's node that holds the group");
  }
  v1::JoinGroupRequest request;
  absl::StatusOr<std::string> request_id = RequestIdFor(write);
  if (!request_id.ok()) return request_id.status();
  request.set_request_id(*request_id);
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  request.set_peer_endpoint(std::string(peer_endpoint));
  CONSTELLATION_SDK_RETURN_IF_ERROR(
      internal::ToProto(profile, "profile", request.mutable_profile()));
  v1::JoinGroupResponse response;
  CONSTELLATION_SDK_RETURN_IF_ERROR(core_->Call("JoinGroup", [&](grpc::ClientContext* context) {
    return core_->membership().JoinGroup(context, request, &response);
  }));
  return JoinResult{FromProto(response.event()), FromProto(response.group()),
                    FromProto(response.sync())};
}

absl::StatusOr<MembershipWrite> Client::GiveNotice(std::string_view group_id,
                                                   std::string_view reason, uint64_t effective_ms,
                                                   const WriteOptions& write) {
  v1::GiveNoticeRequest request;
  absl::StatusOr<std::string> request_id = RequestIdFor(write);
  if (!request_id.ok()) return request_id.status();
  request.set_request_id(*request_id);
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  request.set_reason(std::string(reason));
  request.set_effective_ms(effective_ms);
  v1::MembershipWriteResponse response;
  CONSTELLATION_SDK_RETURN_IF_ERROR(core_->Call("GiveNotice", [&](grpc::ClientContext* context) {
    return core_->membership().GiveNotice(context, request, &response);
  }));
  return MembershipWrite{FromProto(response.event()), FromProto(response.member())};
}

absl::StatusOr<MembershipWrite> Client::Withdraw(std::string_view group_id, std::string_view reason,
                                                 const WriteOptions& write) {
  v1::WithdrawRequest request;
  absl::StatusOr<std::string> request_id = RequestIdFor(write);
  if (!request_id.ok()) return request_id.status();
  request.set_request_id(*request_id);
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  request.set_reason(std::string(reason));
  v1::MembershipWriteResponse response;
  CONSTELLATION_SDK_RETURN_IF_ERROR(core_->Call("Withdraw", [&](grpc::ClientContext* context) {
    return core_->membership().Withdraw(context, request, &response);
  }));
  return MembershipWrite{FromProto(response.event()), FromProto(response.member())};
}

// --- Groups ------------------------------------------------------------------------------

absl::StatusOr<GroupWrite> Client::CreateGroup(const CharterInput& charter,
                                               const WriteOptions& write) {
  v1::CreateGroupRequest request;
  absl::StatusOr<std::string> request_id = RequestIdFor(write);
  if (!request_id.ok()) return request_id.status();
  request.set_request_id(*request_id);
  CONSTELLATION_SDK_RETURN_IF_ERROR(internal::ToProto(charter, request.mutable_charter()));
  v1::CreateGroupResponse response;
  CONSTELLATION_SDK_RETURN_IF_ERROR(core_->Call("CreateGroup", [&](grpc::ClientContext* context) {
    return core_->groups().CreateGroup(context, request, &response);
  }));
  return GroupWrite{FromProto(response.event()), FromProto(response.group())};
}

absl::StatusOr<Group> Client::GetGroup(std::string_view group_id) {
  v1::GetGroupRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  v1::GroupView response;
  CONSTELLATION_SDK_RETURN_IF_ERROR(core_->Call("GetGroup", [&](grpc::ClientContext* context) {
    return core_->groups().GetGroup(context, request, &response);
  }));
  return FromProto(response);
}

absl::StatusOr<std::vector<Group>> Client::ListGroups() {
  v1::ListGroupsRequest request;
  v1::ListGroupsResponse response;
  CONSTELLATION_SDK_RETURN_IF_ERROR(core_->Call("ListGroups", [&](grpc::ClientContext* context) {
    return core_->groups().ListGroups(context, request, &response);
  }));
  std::vector<Group> out;
  for (const v1::GroupView& group : response.groups()) out.push_back(FromProto(group));
  return out;
}

absl::StatusOr<GroupEventStream> Client::GroupEvents(std::string_view group_id,
                                                     uint64_t after_position) {
  v1::StreamEventsRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  request.set_after_position(after_position);
  return GroupEventStream(std::make_unique<internal::GroupEventReader>(core_, std::move(request)));
}

// --- Joint fundraising -------------------------------------------------------------------

absl::StatusOr<CampaignWrite> Client::OpenCampaign(std::string_view group_id,
                                                   const CampaignInput& campaign,
                                                   const WriteOptions& write) {
  v1::OpenCampaignRequest request;
  absl::StatusOr<std::string> request_id = RequestIdFor(write);
  if (!request_id.ok()) return request_id.status();
  request.set_request_id(*request_id);
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  CONSTELLATION_SDK_RETURN_IF_ERROR(internal::ToProto(campaign, request.mutable_campaign()));
  v1::OpenCampaignResponse response;
  CONSTELLATION_SDK_RETURN_IF_ERROR(core_->Call("OpenCampaign", [&](grpc::ClientContext* context) {
    return core_->fundraising().OpenCampaign(context, request, &response);
  }));
  return CampaignWrite{FromProto(response.event()), FromProto(response.campaign())};
}

absl::StatusOr<Campaign> Client::GetCampaign(std::string_view group_id,
                                             std::string_view campaign_id) {
  v1::GetCampaignRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  CONSTELLATION_SDK_RETURN_IF_ERROR(
      DecodeId(campaign_id, "campaign_id", request.mutable_campaign_id()));
  v1::CampaignView response;
  CONSTELLATION_SDK_RETURN_IF_ERROR(core_->Call("GetCampaign", [&](grpc::ClientContext* context) {
    return core_->fundraising().GetCampaign(context, request, &response);
  }));
  return FromProto(response);
}

absl::StatusOr<std::vector<Campaign>> Client::ListCampaigns(std::string_view group_id) {
  v1::ListCampaignsRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  v1::ListCampaignsResponse response;
  CONSTELLATION_SDK_RETURN_IF_ERROR(core_->Call("ListCampaigns", [&](grpc::ClientContext* context) {
    return core_->fundraising().ListCampaigns(context, request, &response);
  }));
  std::vector<Campaign> out;
  for (const v1::CampaignView& campaign : response.campaigns()) out.push_back(FromProto(campaign));
  return out;
}

absl::StatusOr<PledgeWrite> Client::RecordPledge(std::string_view group_id,
                                                 std::string_view campaign_id,
                                                 const PledgeTerms& terms,
                                                 const WriteOptions& write) {
  v1::RecordPledgeRequest request;
  absl::StatusOr<std::string> request_id = RequestIdFor(write);
  if (!request_id.ok()) return request_id.status();
  request.set_request_id(*request_id);
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  CONSTELLATION_SDK_RETURN_IF_ERROR(
      DecodeId(campaign_id, "campaign_id", request.mutable_campaign_id()));
  CONSTELLATION_SDK_RETURN_IF_ERROR(internal::ToProto(terms, request.mutable_terms()));
  v1::PledgeWriteResponse response;
  CONSTELLATION_SDK_RETURN_IF_ERROR(core_->Call("RecordPledge", [&](grpc::ClientContext* context) {
    return core_->fundraising().RecordPledge(context, request, &response);
  }));
  return ToPledgeWrite(response);
}

absl::StatusOr<PledgeWrite> Client::AmendPledge(std::string_view group_id,
                                                std::string_view pledge_id,
                                                const PledgeTerms& terms, std::string_view reason,
                                                const WriteOptions& write) {
  v1::AmendPledgeRequest request;
  absl::StatusOr<std::string> request_id = RequestIdFor(write);
  if (!request_id.ok()) return request_id.status();
  request.set_request_id(*request_id);
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(pledge_id, "pledge_id", request.mutable_pledge_id()));
  CONSTELLATION_SDK_RETURN_IF_ERROR(internal::ToProto(terms, request.mutable_terms()));
  request.set_reason(std::string(reason));
  v1::PledgeWriteResponse response;
  CONSTELLATION_SDK_RETURN_IF_ERROR(core_->Call("AmendPledge", [&](grpc::ClientContext* context) {
    return core_->fundraising().AmendPledge(context, request, &response);
  }));
  return ToPledgeWrite(response);
}

absl::StatusOr<PledgeWrite> Client::CancelPledge(std::string_view group_id,
                                                 std::string_view pledge_id,
                                                 std::string_view reason,
                                                 const WriteOptions& write) {
  v1::CancelPledgeRequest request;
  absl::StatusOr<std::string> request_id = RequestIdFor(write);
  if (!request_id.ok()) return request_id.status();
  request.set_request_id(*request_id);
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(pledge_id, "pledge_id", request.mutable_pledge_id()));
  request.set_reason(std::string(reason));
  v1::PledgeWriteResponse response;
  CONSTELLATION_SDK_RETURN_IF_ERROR(core_->Call("CancelPledge", [&](grpc::ClientContext* context) {
    return core_->fundraising().CancelPledge(context, request, &response);
  }));
  return ToPledgeWrite(response);
}

absl::StatusOr<PledgeWrite> Client::RecordPayment(std::string_view group_id,
                                                  std::string_view pledge_id, const Money& amount,
                                                  uint64_t received_ms,
                                                  std::string_view external_ref,
                                                  const WriteOptions& write) {
  v1::RecordPaymentRequest request;
  absl::StatusOr<std::string> request_id = RequestIdFor(write);
  if (!request_id.ok()) return request_id.status();
  request.set_request_id(*request_id);
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(pledge_id, "pledge_id", request.mutable_pledge_id()));
  internal::ToProto(amount, request.mutable_amount());
  request.set_received_ms(received_ms);
  request.set_external_ref(std::string(external_ref));
  v1::PledgeWriteResponse response;
  CONSTELLATION_SDK_RETURN_IF_ERROR(core_->Call("RecordPayment", [&](grpc::ClientContext* context) {
    return core_->fundraising().RecordPayment(context, request, &response);
  }));
  return ToPledgeWrite(response);
}

absl::StatusOr<Pledge> Client::GetPledge(std::string_view group_id, std::string_view pledge_id,
                                         uint64_t as_of_ms) {
  v1::GetPledgeRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(pledge_id, "pledge_id", request.mutable_pledge_id()));
  request.set_as_of_ms(as_of_ms);
  v1::PledgeView response;
  CONSTELLATION_SDK_RETURN_IF_ERROR(core_->Call("GetPledge", [&](grpc::ClientContext* context) {
    return core_->fundraising().GetPledge(context, request, &response);
  }));
  return FromProto(response);
}

absl::StatusOr<std::vector<Pledge>> Client::ListPledges(std::string_view group_id,
                                                        std::string_view campaign_id,
                                                        uint64_t as_of_ms) {
  v1::ListPledgesRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  CONSTELLATION_SDK_RETURN_IF_ERROR(
      DecodeOptionalId(campaign_id, "campaign_id", request.mutable_campaign_id()));
  request.set_as_of_ms(as_of_ms);
  v1::ListPledgesResponse response;
  CONSTELLATION_SDK_RETURN_IF_ERROR(core_->Call("ListPledges", [&](grpc::ClientContext* context) {
    return core_->fundraising().ListPledges(context, request, &response);
  }));
  std::vector<Pledge> out;
  for (const v1::PledgeView& pledge : response.pledges()) out.push_back(FromProto(pledge));
  return out;
}

absl::StatusOr<PledgeHistoryStream> Client::PledgeHistory(std::string_view group_id,
                                                          std::string_view pledge_id,
                                                          std::string_view campaign_id) {
  v1::StreamPledgeHistoryRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  CONSTELLATION_SDK_RETURN_IF_ERROR(
      DecodeOptionalId(pledge_id, "pledge_id", request.mutable_pledge_id()));
  CONSTELLATION_SDK_RETURN_IF_ERROR(
      DecodeOptionalId(campaign_id, "campaign_id", request.mutable_campaign_id()));
  return PledgeHistoryStream(
      std::make_unique<internal::PledgeHistoryReader>(core_, std::move(request)));
}

}  // namespace constellation
