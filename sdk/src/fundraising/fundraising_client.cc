// sdk/src/fundraising/fundraising_client.cc: the joint fundraising domain's Client methods
// (FundraisingService): campaigns, pledges, payments and the pledge history stream.
#include <string>
#include <utility>

#include <absl/strings/str_format.h>
#include <constellation/client.h>

#include "sdk/src/convert.h"
#include "sdk/src/fundraising/fundraising_convert.h"
#include "sdk/src/hex.h"
#include "sdk/src/paging.h"
#include "sdk/src/status.h"
#include "sdk/src/streams.h"
#include "sdk/src/unary_call.h"

namespace constellation {
namespace {

using internal::DecodeId, internal::DecodeOptionalId, internal::DecodeRecordIds,
    internal::FromProto, internal::GroupWriteCall, internal::UnaryCall;
using FundraisingStub = v1::FundraisingService::Stub;

}  // namespace

absl::StatusOr<CampaignWrite> Client::OpenCampaign(std::string_view group_id,
                                                   const CampaignInput& campaign,
                                                   const WriteOptions& write) {
  return GroupWriteCall<CampaignWrite>(
      *core_, "OpenCampaign", &FundraisingStub::OpenCampaign, group_id, campaign,
      &v1::OpenCampaignRequest::mutable_campaign, internal::ToProto, write, FromProto);
}

absl::StatusOr<Campaign> Client::GetCampaign(std::string_view group_id,
                                             std::string_view campaign_id) {
  v1::GetCampaignRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeRecordIds(group_id, campaign_id, "campaign_id",
                                                    request.mutable_group_id(),
                                                    request.mutable_campaign_id()));
  return UnaryCall<Campaign>(*core_, "GetCampaign", &FundraisingStub::GetCampaign, request,
                             FromProto);
}

absl::StatusOr<std::vector<Campaign>> Client::ListCampaigns(std::string_view group_id) {
  v1::ListCampaignsRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  return internal::DrainPages<Campaign>(*core_, "ListCampaigns", &FundraisingStub::ListCampaigns,
                                        request, FromProto);
}

absl::StatusOr<Page<Campaign>> Client::ListCampaignsPage(std::string_view group_id,
                                                         const PageOptions& page) {
  v1::ListCampaignsRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  return internal::PageCall<Campaign>(*core_, "ListCampaigns", &FundraisingStub::ListCampaigns,
                                      request, page, FromProto);
}

namespace {

// The RecordPledge request for `terms`, with `schedule` when set.
absl::StatusOr<v1::RecordPledgeRequest> PledgeRequest(std::string_view group_id,
                                                      std::string_view campaign_id,
                                                      const PledgeTerms& terms,
                                                      const InstallmentSchedule* schedule) {
  v1::RecordPledgeRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeRecordIds(group_id, campaign_id, "campaign_id",
                                                    request.mutable_group_id(),
                                                    request.mutable_campaign_id()));
  CONSTELLATION_SDK_RETURN_IF_ERROR(internal::ToProto(terms, request.mutable_terms()));
  if (schedule != nullptr) {
    CONSTELLATION_SDK_RETURN_IF_ERROR(internal::ToProto(*schedule, request.mutable_schedule()));
  }
  return request;
}

}  // namespace

absl::StatusOr<PledgeWrite> Client::RecordPledge(std::string_view group_id,
                                                 std::string_view campaign_id,
                                                 const PledgeTerms& terms,
                                                 const WriteOptions& write) {
  absl::StatusOr<v1::RecordPledgeRequest> request =
      PledgeRequest(group_id, campaign_id, terms, nullptr);
  if (!request.ok()) return request.status();
  return UnaryCall<PledgeWrite>(*core_, "RecordPledge", &FundraisingStub::RecordPledge,
                                *std::move(request), write, FromProto);
}

absl::StatusOr<PledgeWrite> Client::RecordPledge(std::string_view group_id,
                                                 std::string_view campaign_id,
                                                 const PledgeTerms& terms,
                                                 const InstallmentSchedule& schedule,
                                                 const WriteOptions& write) {
  absl::StatusOr<v1::RecordPledgeRequest> request =
      PledgeRequest(group_id, campaign_id, terms, &schedule);
  if (!request.ok()) return request.status();
  return UnaryCall<PledgeWrite>(*core_, "RecordPledge", &FundraisingStub::RecordPledge,
                                *std::move(request), write, FromProto);
}

absl::StatusOr<std::vector<EventRef>> Client::RecordPledges(
    std::string_view group_id, const std::vector<PledgeInput>& pledges) {
  v1::RecordPledgesRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  for (size_t i = 0; i < pledges.size(); ++i) {
    const PledgeInput& input = pledges[i];
    absl::StatusOr<v1::RecordPledgeRequest> item =
        PledgeRequest(group_id, input.campaign_id, input.terms,
                      input.schedule.has_value() ? &*input.schedule : nullptr);
    absl::StatusOr<std::string> request_id =
        item.ok() ? internal::RequestIdFor(WriteOptions{input.request_id}) : item.status();
    if (!request_id.ok()) {
      return absl::Status(request_id.status().code(),
                          absl::StrFormat("pledges[%d]: %s; nothing in the batch is recorded", i,
                                          request_id.status().message()));
    }
    item->clear_group_id();  // the batch's
    item->set_request_id(*std::move(request_id));
    *request.add_pledges() = *std::move(item);
  }
  absl::StatusOr<v1::RecordPledgesResponse> response =
      UnaryCall(*core_, "RecordPledges", &FundraisingStub::RecordPledges, request);
  if (!response.ok()) return response.status();
  std::vector<EventRef> events;
  events.reserve(response->events_size());
  for (const v1::EventRef& event : response->events()) events.push_back(FromProto(event));
  return events;
}

absl::StatusOr<PledgeWrite> Client::AmendPledge(std::string_view group_id,
                                                std::string_view pledge_id,
                                                const PledgeTermsPatch& patch,
                                                std::string_view reason,
                                                const WriteOptions& write) {
  v1::AmendPledgeRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeRecordIds(
      group_id, pledge_id, "pledge_id", request.mutable_group_id(), request.mutable_pledge_id()));
  CONSTELLATION_SDK_RETURN_IF_ERROR(internal::ToProto(patch, request.mutable_patch()));
  request.set_reason(std::string(reason));
  return UnaryCall<PledgeWrite>(*core_, "AmendPledge", &FundraisingStub::AmendPledge,
                                std::move(request), write, FromProto);
}

absl::StatusOr<PledgeWrite> Client::AmendPledge(std::string_view group_id,
                                                std::string_view pledge_id,
                                                const PledgeTerms& terms, std::string_view reason,
                                                const WriteOptions& write) {
  v1::AmendPledgeRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeRecordIds(
      group_id, pledge_id, "pledge_id", request.mutable_group_id(), request.mutable_pledge_id()));
  CONSTELLATION_SDK_RETURN_IF_ERROR(internal::ToProto(terms, request.mutable_terms()));
  request.set_reason(std::string(reason));
  return UnaryCall<PledgeWrite>(*core_, "AmendPledge", &FundraisingStub::AmendPledge,
                                std::move(request), write, FromProto);
}

absl::StatusOr<PledgeWrite> Client::CancelPledge(std::string_view group_id,
                                                 std::string_view pledge_id,
                                                 std::string_view reason,
                                                 const WriteOptions& write) {
  v1::CancelPledgeRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeRecordIds(
      group_id, pledge_id, "pledge_id", request.mutable_group_id(), request.mutable_pledge_id()));
  request.set_reason(std::string(reason));
  return UnaryCall<PledgeWrite>(*core_, "CancelPledge", &FundraisingStub::CancelPledge,
                                std::move(request), write, FromProto);
}

absl::StatusOr<PledgeWrite> Client::RecordPayment(std::string_view group_id,
                                                  std::string_view pledge_id, const Money& amount,
                                                  uint64_t received_ms,
                                                  std::string_view external_ref,
                                                  const WriteOptions& write) {
  v1::RecordPaymentRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeRecordIds(
      group_id, pledge_id, "pledge_id", request.mutable_group_id(), request.mutable_pledge_id()));
  internal::ToProto(amount, request.mutable_amount());
  request.set_received_ms(received_ms);
  request.set_external_ref(std::string(external_ref));
  return UnaryCall<PledgeWrite>(*core_, "RecordPayment", &FundraisingStub::RecordPayment,
                                std::move(request), write, FromProto);
}

absl::StatusOr<PledgeWrite> Client::RecordUnappliedReceipt(std::string_view group_id,
                                                           std::string_view pledge_id,
                                                           const Money& amount,
                                                           uint64_t received_ms,
                                                           std::string_view external_ref,
                                                           const WriteOptions& write) {
  v1::RecordPaymentRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeRecordIds(
      group_id, pledge_id, "pledge_id", request.mutable_group_id(), request.mutable_pledge_id()));
  internal::ToProto(amount, request.mutable_amount());
  request.set_received_ms(received_ms);
  request.set_external_ref(std::string(external_ref));
  request.set_unapplied(true);
  return UnaryCall<PledgeWrite>(*core_, "RecordPayment", &FundraisingStub::RecordPayment,
                                std::move(request), write, FromProto);
}

absl::StatusOr<PledgeWrite> Client::RecordWriteOff(std::string_view group_id,
                                                   std::string_view pledge_id,
                                                   std::string_view proposal_id,
                                                   const Money& amount,
                                                   std::string_view reason_code,
                                                   uint64_t effective_ms,
                                                   const WriteOptions& write) {
  v1::RecordWriteOffRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeRecordIds(
      group_id, pledge_id, "pledge_id", request.mutable_group_id(), request.mutable_pledge_id()));
  CONSTELLATION_SDK_RETURN_IF_ERROR(
      DecodeId(proposal_id, "proposal_id", request.mutable_proposal_id()));
  internal::ToProto(amount, request.mutable_amount());
  request.set_reason_code(std::string(reason_code));
  request.set_effective_ms(effective_ms);
  return UnaryCall<PledgeWrite>(*core_, "RecordWriteOff", &FundraisingStub::RecordWriteOff,
                                std::move(request), write, FromProto);
}

absl::StatusOr<PledgeWrite> Client::ResolveCondition(std::string_view group_id,
                                                     std::string_view pledge_id,
                                                     std::string_view outcome,
                                                     std::string_view note,
                                                     const WriteOptions& write) {
  v1::ResolveConditionRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeRecordIds(
      group_id, pledge_id, "pledge_id", request.mutable_group_id(), request.mutable_pledge_id()));
  if (outcome.empty()) {
    return absl::InvalidArgumentError("outcome: give met, waived or released");
  }
  CONSTELLATION_SDK_RETURN_IF_ERROR(internal::SetEnum(outcome, "outcome", &request,
                                                      &v1::ResolveConditionRequest::set_outcome));
  request.set_note(std::string(note));
  return UnaryCall<PledgeWrite>(*core_, "ResolveCondition", &FundraisingStub::ResolveCondition,
                                std::move(request), write, FromProto);
}

absl::StatusOr<Pledge> Client::GetPledge(std::string_view group_id, std::string_view pledge_id,
                                         uint64_t as_of_ms) {
  v1::GetPledgeRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeRecordIds(
      group_id, pledge_id, "pledge_id", request.mutable_group_id(), request.mutable_pledge_id()));
  request.set_as_of_ms(as_of_ms);
  return UnaryCall<Pledge>(*core_, "GetPledge", &FundraisingStub::GetPledge, request, FromProto);
}

namespace {

absl::StatusOr<v1::ListPledgesRequest> PledgesRequest(std::string_view group_id,
                                                      std::string_view campaign_id,
                                                      uint64_t as_of_ms) {
  v1::ListPledgesRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  CONSTELLATION_SDK_RETURN_IF_ERROR(
      DecodeOptionalId(campaign_id, "campaign_id", request.mutable_campaign_id()));
  request.set_as_of_ms(as_of_ms);
  return request;
}

}  // namespace

absl::StatusOr<std::vector<Pledge>> Client::ListPledges(std::string_view group_id,
                                                        std::string_view campaign_id,
                                                        uint64_t as_of_ms) {
  absl::StatusOr<v1::ListPledgesRequest> request = PledgesRequest(group_id, campaign_id, as_of_ms);
  if (!request.ok()) return request.status();
  return internal::DrainPages<Pledge>(*core_, "ListPledges", &FundraisingStub::ListPledges,
                                      *std::move(request), FromProto);
}

absl::StatusOr<Page<Pledge>> Client::ListPledgesPage(std::string_view group_id,
                                                     std::string_view campaign_id,
                                                     uint64_t as_of_ms, const PageOptions& page) {
  absl::StatusOr<v1::ListPledgesRequest> request = PledgesRequest(group_id, campaign_id, as_of_ms);
  if (!request.ok()) return request.status();
  return internal::PageCall<Pledge>(*core_, "ListPledges", &FundraisingStub::ListPledges,
                                    *std::move(request), page, FromProto);
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
  return PledgeHistoryStream(internal::OpenStream<PledgeVersionEntry>(
      core_, "StreamPledgeHistory", &FundraisingStub::StreamPledgeHistory, std::move(request),
      [](const v1::StreamPledgeHistoryResponse& response) { return FromProto(response); },
      // History has no resume point: it is reopened only if nothing was read yet.
      [](const v1::StreamPledgeHistoryResponse&, v1::StreamPledgeHistoryRequest*) {
        return false;
      }));
}

}  // namespace constellation
