// sdk/src/fundraising/fundraising_convert.cc
#include "sdk/src/fundraising/fundraising_convert.h"

#include <optional>
#include <string>
#include <string_view>

#include <absl/strings/str_format.h>

#include "sdk/src/convert.h"
#include "sdk/src/hex.h"
#include "sdk/src/status.h"

namespace constellation::internal {

// Conversions used only here are `static` (internal linkage) rather than in an unnamed
// namespace: there they would hide the FromProto overloads of the headers from each other.

static Restriction FromProto(const v1::Restriction& proto) {
  return Restriction{EnumName(proto.kind()), proto.text(), proto.until_ms()};
}

static absl::Status ToProto(const Restriction& restriction, std::string_view field,
                            v1::Restriction* proto) {
  CONSTELLATION_SDK_RETURN_IF_ERROR(SetEnum(restriction.kind,
                                            absl::StrFormat("%s.kind", std::string(field)), proto,
                                            &v1::Restriction::set_kind));
  proto->set_text(restriction.text);
  proto->set_until_ms(restriction.until_ms);
  return absl::OkStatus();
}

static Installment FromProto(const v1::Installment& proto) {
  return Installment{proto.due_ms(), proto.amount_minor()};
}

static std::optional<PledgeCondition> FromProto(const v1::PledgeCondition& proto) {
  // An unset condition reads as an empty one: both mean "unconditional".
  if (proto.barrier().empty() && proto.right_of_release().empty()) return std::nullopt;
  return PledgeCondition{proto.barrier(), proto.right_of_release()};
}

static PledgeTerms FromProto(const v1::PledgeTerms& proto) {
  return PledgeTerms{FromProto(proto.amount()),
                     FromList<Installment>(proto.installments(), FromProto),
                     FromProto(proto.condition()),
                     FromProto(proto.restriction()),
                     proto.note(),
                     proto.donor_name(),
                     HexEncode(proto.evidence_sha256())};
}

CampaignInput FromProto(const v1::Campaign& proto) {
  return CampaignInput{
      proto.name(),
      FromProto(proto.goal()),
      proto.deadline_ms(),
      HexEncode(proto.fiscal_host()),
      FromProto(proto.restriction()),
      FromOptional<Money>(proto.has_assurance_threshold(), proto.assurance_threshold(), FromProto),
      proto.assurance_deadline_ms(),
      HexEncode(proto.action_team_id()),
      HexEncode(proto.proposal_id()),
      std::vector<std::string>(proto.accepted_currencies().begin(),
                               proto.accepted_currencies().end()),
      proto.assurance_member_count()};
}

absl::Status ToProto(const CampaignInput& campaign, v1::Campaign* proto) {
  proto->set_name(campaign.name);
  ToProto(campaign.goal, proto->mutable_goal());
  proto->set_deadline_ms(campaign.deadline_ms);
  CONSTELLATION_SDK_RETURN_IF_ERROR(
      DecodeOptionalId(campaign.fiscal_host, "campaign.fiscal_host", proto->mutable_fiscal_host()));
  CONSTELLATION_SDK_RETURN_IF_ERROR(
      ToProto(campaign.restriction, "campaign.restriction", proto->mutable_restriction()));
  if (campaign.assurance_threshold.has_value()) {
    ToProto(*campaign.assurance_threshold, proto->mutable_assurance_threshold());
  }
  proto->set_assurance_deadline_ms(campaign.assurance_deadline_ms);
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeOptionalId(
      campaign.action_team_id, "campaign.action_team_id", proto->mutable_action_team_id()));
  CONSTELLATION_SDK_RETURN_IF_ERROR(
      DecodeOptionalId(campaign.proposal_id, "campaign.proposal_id", proto->mutable_proposal_id()));
  for (const std::string& currency : campaign.accepted_currencies) {
    proto->add_accepted_currencies(currency);
  }
  proto->set_assurance_member_count(campaign.assurance_member_count);
  return absl::OkStatus();
}

static CampaignTotals FromProto(const v1::CampaignTotalsView& proto) {
  return CampaignTotals{proto.currency(),
                        HexEncode(proto.member()),
                        proto.pledge_count(),
                        proto.pledged_minor(),
                        proto.received_minor(),
                        proto.written_off_minor(),
                        proto.outstanding_minor(),
                        proto.conditional_minor(),
                        proto.cancelled_minor(),
                        proto.lapsed_minor(),
                        proto.unapplied_minor(),
                        proto.closed_received_minor(),
                        proto.closed_written_off_minor()};
}

Campaign FromProto(const v1::CampaignView& proto) {
  return Campaign{
      HexEncode(proto.campaign_id()), HexEncode(proto.group_id()),    HexEncode(proto.opened_by()),
      FromProto(proto.campaign()),    HexEncode(proto.fiscal_host()), proto.pledge_count(),
      proto.pledged_minor(),          proto.received_minor(),         proto.outstanding_minor(),
      proto.conditional_minor(),      FromProto(proto.opened_hlc()),  proto.threshold_state(),
      proto.written_off_minor(),      proto.lapsed_minor(),           proto.cancelled_minor(),
      proto.unapplied_minor(),
      FromList<CampaignTotals>(proto.totals(), FromProto),
      FromList<CampaignTotals>(proto.member_totals(), FromProto)};
}

std::vector<Campaign> FromProto(const v1::ListCampaignsResponse& proto) {
  return FromList<Campaign>(proto.campaigns(), FromProto);
}

CampaignWrite FromProto(const v1::OpenCampaignResponse& proto) {
  return CampaignWrite{FromProto(proto.event()), FromProto(proto.campaign())};
}

static void ToProto(const std::vector<Installment>& installments,
                    google::protobuf::RepeatedPtrField<v1::Installment>* proto) {
  for (const Installment& installment : installments) {
    v1::Installment* out = proto->Add();
    out->set_due_ms(installment.due_ms);
    out->set_amount_minor(installment.amount_minor);
  }
}

static void ToProto(const PledgeCondition& condition, v1::PledgeCondition* proto) {
  proto->set_barrier(condition.barrier);
  proto->set_right_of_release(condition.right_of_release);
}

absl::Status ToProto(const InstallmentSchedule& schedule, v1::InstallmentSchedule* proto) {
  if (schedule.frequency.empty()) {
    return absl::InvalidArgumentError(
        "schedule.frequency: give weekly, monthly, quarterly or yearly");
  }
  CONSTELLATION_SDK_RETURN_IF_ERROR(SetEnum(schedule.frequency, "schedule.frequency", proto,
                                            &v1::InstallmentSchedule::set_frequency));
  proto->set_count(schedule.count);
  proto->set_start_ms(schedule.start_ms);
  return absl::OkStatus();
}

absl::Status ToProto(const PledgeTermsPatch& patch, v1::PledgeTermsPatch* proto) {
  if (patch.amount.has_value()) ToProto(*patch.amount, proto->mutable_amount());
  if (patch.installments.has_value()) {
    ToProto(*patch.installments, proto->mutable_installments()->mutable_installments());
  }
  if (patch.condition.has_value()) ToProto(*patch.condition, proto->mutable_condition());
  proto->set_clear_condition(patch.clear_condition);
  if (patch.restriction.has_value()) {
    CONSTELLATION_SDK_RETURN_IF_ERROR(
        ToProto(*patch.restriction, "patch.restriction", proto->mutable_restriction()));
  }
  if (patch.evidence_sha256.has_value()) {
    CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeOptionalId(
        *patch.evidence_sha256, "patch.evidence_sha256", proto->mutable_evidence_sha256()));
  }
  if (patch.note.has_value()) proto->set_note(*patch.note);
  if (patch.donor_name.has_value()) proto->set_donor_name(*patch.donor_name);
  if (patch.remaining_installments.has_value()) {
    ToProto(*patch.remaining_installments,
            proto->mutable_remaining_installments()->mutable_installments());
  }
  if (patch.remaining_schedule.has_value()) {
    CONSTELLATION_SDK_RETURN_IF_ERROR(
        ToProto(*patch.remaining_schedule, proto->mutable_remaining_schedule()));
  }
  return absl::OkStatus();
}

absl::Status ToProto(const PledgeTerms& terms, v1::PledgeTerms* proto) {
  ToProto(terms.amount, proto->mutable_amount());
  ToProto(terms.installments, proto->mutable_installments());
  if (terms.condition.has_value()) ToProto(*terms.condition, proto->mutable_condition());
  CONSTELLATION_SDK_RETURN_IF_ERROR(
      ToProto(terms.restriction, "terms.restriction", proto->mutable_restriction()));
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeOptionalId(terms.evidence_sha256, "terms.evidence_sha256",
                                                     proto->mutable_evidence_sha256()));
  proto->set_note(terms.note);
  proto->set_donor_name(terms.donor_name);
  return absl::OkStatus();
}

static InstallmentLine FromProto(const v1::InstallmentLine& proto) {
  return InstallmentLine{proto.due_ms(),          proto.amount_minor(),
                         proto.paid_minor(),      proto.written_off_minor(),
                         proto.outstanding_minor(), proto.dropped_minor()};
}

Pledge FromProto(const v1::PledgeView& proto) {
  return Pledge{
      HexEncode(proto.pledge_id()), HexEncode(proto.group_id()),    HexEncode(proto.campaign_id()),
      HexEncode(proto.pledger()),   FromProto(proto.terms()),       proto.version(),
      EnumName(proto.status()),     proto.received_minor(),         proto.written_off_minor(),
      proto.outstanding_minor(),    FromProto(proto.created_hlc()), FromProto(proto.updated_hlc()),
      proto.cancel_reason(),        proto.conditional_reason(),     proto.lapse_reason(),
      proto.unapplied_minor(),
      FromList<InstallmentLine>(proto.installments(), FromProto),
      proto.condition_outcome(),    proto.threshold_state()};
}

std::vector<Pledge> FromProto(const v1::ListPledgesResponse& proto) {
  return FromList<Pledge>(proto.pledges(), FromProto);
}

PledgeWrite FromProto(const v1::PledgeWriteResponse& proto) {
  return PledgeWrite{FromProto(proto.event()), FromProto(proto.pledge())};
}

static PledgeVersion FromProto(const v1::PledgeVersion& proto) {
  return PledgeVersion{proto.version(),
                       HexEncode(proto.event_id()),
                       HexEncode(proto.author()),
                       FromProto(proto.hlc()),
                       proto.kind(),
                       FromOptional<PledgeTerms>(proto.has_terms(), proto.terms(), FromProto),
                       proto.reason(),
                       FromOptional<Money>(proto.has_amount(), proto.amount(), FromProto),
                       proto.external_ref(),
                       proto.received_ms()};
}

PledgeVersionEntry FromProto(const v1::StreamPledgeHistoryResponse& proto) {
  return PledgeVersionEntry{HexEncode(proto.pledge_id()), FromProto(proto.version())};
}

}  // namespace constellation::internal
