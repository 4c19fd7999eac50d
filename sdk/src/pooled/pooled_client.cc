// sdk/src/pooled/pooled_client.cc: the pooled resources domain's Client methods
// (PooledService): contributions and their corrections, funds, receipts, drawdowns and
// disbursements, the ledger and benefit shares.
#include <string>
#include <utility>

#include <absl/strings/str_format.h>
#include <constellation/client.h>

#include "sdk/src/convert.h"
#include "sdk/src/hex.h"
#include "sdk/src/paging.h"
#include "sdk/src/pooled/pooled_convert.h"
#include "sdk/src/status.h"
#include "sdk/src/unary_call.h"

namespace constellation {
namespace {

using internal::DecodeId, internal::DecodeOptionalId, internal::DecodeRecordIds,
    internal::FromProto, internal::UnaryCall;
using PooledStub = v1::PooledService::Stub;

}  // namespace

absl::StatusOr<ContributionWrite> Client::RecordContribution(std::string_view group_id,
                                                             const ContributionInput& contribution,
                                                             const WriteOptions& write) {
  return internal::GroupWriteCall<ContributionWrite>(
      *core_, "RecordContribution", &PooledStub::RecordContribution, group_id, contribution,
      &v1::RecordContributionRequest::mutable_contribution, internal::ToProto, write, FromProto);
}

absl::StatusOr<ContributionWrite> Client::ReverseContribution(std::string_view group_id,
                                                              std::string_view contribution_id,
                                                              const WriteOptions& write) {
  absl::StatusOr<Contribution> original = GetContribution(group_id, contribution_id);
  if (!original.ok()) return original.status();
  if (!original->entry.reverses.empty()) {
    return absl::InvalidArgumentError(
        absl::StrFormat("contribution %s is itself a reversal; record the entry again instead",
                        std::string(contribution_id)));
  }
  ContributionInput reversal = original->entry;
  reversal.reverses = original->contribution_id;
  return RecordContribution(group_id, reversal, write);
}

absl::StatusOr<Contribution> Client::GetContribution(std::string_view group_id,
                                                     std::string_view contribution_id) {
  v1::GetContributionRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeRecordIds(group_id, contribution_id, "contribution_id",
                                                    request.mutable_group_id(),
                                                    request.mutable_contribution_id()));
  return UnaryCall<Contribution>(*core_, "GetContribution", &PooledStub::GetContribution, request,
                                 FromProto);
}

absl::StatusOr<PooledLedger> Client::ListContributions(std::string_view group_id,
                                                       std::string_view member,
                                                       std::string_view fund_id) {
  v1::ListContributionsRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeOptionalId(member, "member", request.mutable_member()));
  CONSTELLATION_SDK_RETURN_IF_ERROR(
      DecodeOptionalId(fund_id, "fund_id", request.mutable_fund_id()));
  // Every page (client.proto "Paged lists"): the entries, then the contributions, in order;
  // the totals come with the first page.
  PooledLedger ledger;
  do {
    absl::StatusOr<v1::ListContributionsResponse> response =
        UnaryCall(*core_, "ListContributions", &PooledStub::ListContributions, request);
    if (!response.ok()) return response.status();
    PooledLedger page = FromProto(*response);
    for (PooledEntry& entry : page.entries) ledger.entries.push_back(std::move(entry));
    for (Contribution& c : page.contributions) ledger.contributions.push_back(std::move(c));
    if (request.page_token().empty()) ledger.totals = std::move(page.totals);
    if (!response->next_page_token().empty() &&
        response->next_page_token() == request.page_token()) {
      return absl::InternalError("ListContributions returned the page token it was given");
    }
    request.set_page_token(response->next_page_token());
  } while (!request.page_token().empty());
  return ledger;
}

absl::StatusOr<FundWrite> Client::CreateFund(std::string_view group_id,
                                             std::string_view proposal_id,
                                             const WriteOptions& write) {
  absl::StatusOr<Proposal> proposal = GetProposal(group_id, proposal_id);
  if (!proposal.ok()) return proposal.status();
  if (!proposal->spec.fund.has_value()) {
    return absl::InvalidArgumentError(
        absl::StrFormat("proposal %s is a %s proposal, not create_fund", std::string(proposal_id),
                        proposal->spec.decision_type));
  }
  v1::CreateFundRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  CONSTELLATION_SDK_RETURN_IF_ERROR(
      internal::ToProto(*proposal->spec.fund, "fund", request.mutable_fund()));
  CONSTELLATION_SDK_RETURN_IF_ERROR(
      DecodeId(proposal_id, "proposal_id", request.mutable_fund()->mutable_proposal_id()));
  return UnaryCall<FundWrite>(*core_, "CreateFund", &PooledStub::CreateFund, std::move(request),
                              write, FromProto);
}

absl::StatusOr<Fund> Client::GetFund(std::string_view group_id, std::string_view fund_id) {
  v1::GetFundRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeRecordIds(
      group_id, fund_id, "fund_id", request.mutable_group_id(), request.mutable_fund_id()));
  return UnaryCall<Fund>(*core_, "GetFund", &PooledStub::GetFund, request, FromProto);
}

absl::StatusOr<std::vector<Fund>> Client::ListFunds(std::string_view group_id) {
  v1::ListFundsRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  return internal::DrainPages<Fund>(*core_, "ListFunds", &PooledStub::ListFunds, request,
                                    FromProto);
}

absl::StatusOr<Page<Fund>> Client::ListFundsPage(std::string_view group_id,
                                                 const PageOptions& page) {
  v1::ListFundsRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  return internal::PageCall<Fund>(*core_, "ListFunds", &PooledStub::ListFunds, request, page,
                                  FromProto);
}

absl::StatusOr<ContributionWrite> Client::RecordReceipt(std::string_view group_id,
                                                        std::string_view contribution_id,
                                                        const Money& amount, uint64_t received_ms,
                                                        std::string_view external_ref,
                                                        const WriteOptions& write) {
  v1::RecordReceiptRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeRecordIds(group_id, contribution_id, "contribution_id",
                                                    request.mutable_group_id(),
                                                    request.mutable_contribution_id()));
  internal::ToProto(amount, request.mutable_amount());
  request.set_received_ms(received_ms);
  request.set_external_ref(std::string(external_ref));
  return UnaryCall<ContributionWrite>(*core_, "RecordReceipt", &PooledStub::RecordReceipt,
                                      std::move(request), write, FromProto);
}

absl::StatusOr<DrawdownWrite> Client::Disburse(std::string_view group_id,
                                               std::string_view proposal_id, const Money& amount,
                                               std::string_view external_ref, uint64_t paid_ms,
                                               const WriteOptions& write) {
  v1::DisburseRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeRecordIds(group_id, proposal_id, "proposal_id",
                                                    request.mutable_group_id(),
                                                    request.mutable_proposal_id()));
  internal::ToProto(amount, request.mutable_amount());
  request.set_external_ref(std::string(external_ref));
  request.set_paid_ms(paid_ms);
  return UnaryCall<DrawdownWrite>(*core_, "Disburse", &PooledStub::Disburse, std::move(request),
                                  write, FromProto);
}

absl::StatusOr<std::vector<Drawdown>> Client::ListDrawdowns(std::string_view group_id,
                                                            std::string_view fund_id) {
  v1::ListDrawdownsRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  CONSTELLATION_SDK_RETURN_IF_ERROR(
      DecodeOptionalId(fund_id, "fund_id", request.mutable_fund_id()));
  return internal::DrainPages<Drawdown>(*core_, "ListDrawdowns", &PooledStub::ListDrawdowns,
                                        request, FromProto);
}

absl::StatusOr<Page<Drawdown>> Client::ListDrawdownsPage(std::string_view group_id,
                                                         std::string_view fund_id,
                                                         const PageOptions& page) {
  v1::ListDrawdownsRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  CONSTELLATION_SDK_RETURN_IF_ERROR(
      DecodeOptionalId(fund_id, "fund_id", request.mutable_fund_id()));
  return internal::PageCall<Drawdown>(*core_, "ListDrawdowns", &PooledStub::ListDrawdowns, request,
                                      page, FromProto);
}

absl::StatusOr<BenefitShares> Client::GetShares(std::string_view group_id) {
  v1::GetSharesRequest request;
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(group_id, "group_id", request.mutable_group_id()));
  return UnaryCall<BenefitShares>(*core_, "GetShares", &PooledStub::GetShares, request, FromProto);
}

}  // namespace constellation
