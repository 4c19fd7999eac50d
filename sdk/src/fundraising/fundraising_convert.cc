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
      HexEncode(proto.action_team_id())};
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
  return absl::OkStatus();
}

Campaign FromProto(const v1::CampaignView& proto) {
  return Campaign{
      HexEncode(proto.campaign_id()), HexEncode(proto.group_id()),    HexEncode(proto.opened_by()),
      FromProto(proto.campaign()),    HexEncode(proto.fiscal_host()), proto.pledge_count(),
      proto.pledged_minor(),          proto.received_minor(),         proto.outstanding_minor(),
      proto.conditional_minor(),      FromProto(proto.opened_hlc())};
}

std::vector<Campaign> FromProto(const v1::ListCampaignsResponse& proto) {
  return FromList<Campaign>(proto.campaigns(), FromProto);
}

CampaignWrite FromProto(const v1::OpenCampaignResponse& proto) {
  return CampaignWrite{FromProto(proto.event()), FromProto(proto.campaign())};
}

absl::Status ToProto(const PledgeTerms& terms, v1::PledgeTerms* proto) {
  ToProto(terms.amount, proto->mutable_amount());
  for (const Installment& installment : terms.installments) {
    v1::Installment* out = proto->add_installments();
    out->set_due_ms(installment.due_ms);
    out->set_amount_minor(installment.amount_minor);
  }
  if (terms.condition.has_value()) {
    proto->mutable_condition()->set_barrier(terms.condition->barrier);
    proto->mutable_condition()->set_right_of_release(terms.condition->right_of_release);
  }
  CONSTELLATION_SDK_RETURN_IF_ERROR(
      ToProto(terms.restriction, "terms.restriction", proto->mutable_restriction()));
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeOptionalId(terms.evidence_sha256, "terms.evidence_sha256",
                                                     proto->mutable_evidence_sha256()));
  proto->set_note(terms.note);
  proto->set_donor_name(terms.donor_name);
  return absl::OkStatus();
}

Pledge FromProto(const v1::PledgeView& proto) {
  return Pledge{
      HexEncode(proto.pledge_id()), HexEncode(proto.group_id()),    HexEncode(proto.campaign_id()),
      HexEncode(proto.pledger()),   FromProto(proto.terms()),       proto.version(),
      EnumName(proto.status()),     proto.received_minor(),         proto.written_off_minor(),
      proto.outstanding_minor(),    FromProto(proto.created_hlc()), FromProto(proto.updated_hlc()),
      proto.cancel_reason()};
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
