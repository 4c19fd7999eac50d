// sdk/src/pooled/pooled_convert.cc
#include "sdk/src/pooled/pooled_convert.h"

#include <absl/strings/str_format.h>

#include "sdk/src/convert.h"
#include "sdk/src/hex.h"
#include "sdk/src/status.h"

namespace constellation::internal {

// Conversions used only here are `static` (internal linkage), as in the other domains.

static FxRate FromProto(const v1::FxRate& proto) {
  return FxRate{proto.from_currency(), proto.to_currency(), proto.rate_micros(), proto.source(),
                proto.as_of_ms()};
}

static Restriction FromProto(const v1::Restriction& proto) {
  return Restriction{EnumName(proto.kind()), proto.text(), proto.until_ms()};
}

ContributionInput FromProto(const v1::Contribution& proto) {
  return ContributionInput{
      EnumName(proto.kind()),
      proto.quantity_milli(),
      proto.unit(),
      FromOptional<Money>(proto.has_unit_rate(), proto.unit_rate(), FromProto),
      EnumName(proto.valuation_method()),
      FromProto(proto.value()),
      FromOptional<FxRate>(proto.has_fx(), proto.fx(), FromProto),
      FromOptional<Money>(proto.has_original_value(), proto.original_value(), FromProto),
      HexEncode(proto.evidence_sha256()),
      HexEncode(proto.action_team_id()),
      HexEncode(proto.pledge_id()),
      HexEncode(proto.reverses()),
      HexEncode(proto.fund_id())};
}

absl::Status ToProto(const ContributionInput& in, v1::Contribution* proto) {
  CONSTELLATION_SDK_RETURN_IF_ERROR(
      SetEnum(in.kind, "contribution.kind", proto, &v1::Contribution::set_kind));
  proto->set_quantity_milli(in.quantity_milli);
  proto->set_unit(in.unit);
  if (in.unit_rate.has_value()) ToProto(*in.unit_rate, proto->mutable_unit_rate());
  CONSTELLATION_SDK_RETURN_IF_ERROR(SetEnum(in.valuation_method, "contribution.valuation_method",
                                            proto, &v1::Contribution::set_valuation_method));
  ToProto(in.value, proto->mutable_value());
  if (in.fx.has_value()) {
    v1::FxRate* fx = proto->mutable_fx();
    fx->set_from_currency(in.fx->from_currency);
    fx->set_to_currency(in.fx->to_currency);
    fx->set_rate_micros(in.fx->rate_micros);
    fx->set_source(in.fx->source);
    fx->set_as_of_ms(in.fx->as_of_ms);
  }
  if (in.original_value.has_value()) {
    ToProto(*in.original_value, proto->mutable_original_value());
  }
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeOptionalId(
      in.evidence_sha256, "contribution.evidence_sha256", proto->mutable_evidence_sha256()));
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeOptionalId(
      in.action_team_id, "contribution.action_team_id", proto->mutable_action_team_id()));
  CONSTELLATION_SDK_RETURN_IF_ERROR(
      DecodeOptionalId(in.pledge_id, "contribution.pledge_id", proto->mutable_pledge_id()));
  CONSTELLATION_SDK_RETURN_IF_ERROR(
      DecodeOptionalId(in.reverses, "contribution.reverses", proto->mutable_reverses()));
  return DecodeOptionalId(in.fund_id, "contribution.fund_id", proto->mutable_fund_id());
}

FundInput FromProto(const v1::Fund& proto) {
  return FundInput{proto.name(), HexEncode(proto.fiscal_host()), proto.currency(),
                   FromProto(proto.restriction()), HexEncode(proto.action_team_id())};
}

absl::Status ToProto(const FundInput& fund, std::string_view field, v1::Fund* proto) {
  const std::string f(field);
  proto->set_name(fund.name);
  CONSTELLATION_SDK_RETURN_IF_ERROR(
      DecodeId(fund.fiscal_host, f + ".fiscal_host", proto->mutable_fiscal_host()));
  proto->set_currency(fund.currency);
  v1::Restriction* r = proto->mutable_restriction();
  CONSTELLATION_SDK_RETURN_IF_ERROR(
      SetEnum(fund.restriction.kind, f + ".restriction.kind", r, &v1::Restriction::set_kind));
  r->set_text(fund.restriction.text);
  r->set_until_ms(fund.restriction.until_ms);
  if (r->kind() == v1::RESTRICTION_KIND_UNSPECIFIED && r->text().empty() && r->until_ms() == 0) {
    proto->clear_restriction();  // unrestricted: as the node's own proposals carry it
  }
  return DecodeOptionalId(fund.action_team_id, f + ".action_team_id",
                          proto->mutable_action_team_id());
}

Contribution FromProto(const v1::ContributionView& proto) {
  return Contribution{HexEncode(proto.contribution_id()),
                      HexEncode(proto.group_id()),
                      HexEncode(proto.contributor()),
                      FromProto(proto.contribution()),
                      FromProto(proto.hlc()),
                      HexEncode(proto.reversed_by()),
                      HexEncode(proto.receipt_id()),
                      proto.reversed_after_receipt()};
}

ContributionWrite FromProto(const v1::ContributionWriteResponse& proto) {
  return ContributionWrite{FromProto(proto.event()), FromProto(proto.contribution())};
}

static PooledEntry FromProto(const v1::PooledEntryView& proto) {
  PooledEntry e;
  e.event_id = HexEncode(proto.event_id());
  e.kind = proto.kind();
  e.author = HexEncode(proto.author());
  e.hlc = FromProto(proto.hlc());
  e.fund_id = HexEncode(proto.fund_id());
  if (proto.has_contribution()) e.contribution = FromProto(proto.contribution());
  if (proto.has_fund()) e.fund = FromProto(proto.fund());
  if (proto.has_receipt()) {
    e.contribution_id = HexEncode(proto.receipt().contribution_id());
    e.amount = FromProto(proto.receipt().amount());
    e.external_ref = proto.receipt().external_ref();
  }
  if (proto.has_disbursement()) {
    e.proposal_id = HexEncode(proto.disbursement().proposal_id());
    e.amount = FromProto(proto.disbursement().amount());
    e.external_ref = proto.disbursement().external_ref();
  }
  return e;
}

static MemberTotal FromProto(const v1::MemberTotal& proto) {
  return MemberTotal{HexEncode(proto.member()), proto.currency(), proto.net_contributed_minor()};
}

PooledLedger FromProto(const v1::ListContributionsResponse& proto) {
  return PooledLedger{FromList<PooledEntry>(proto.entries(), FromProto),
                      FromList<Contribution>(proto.contributions(), FromProto),
                      FromList<MemberTotal>(proto.totals(), FromProto)};
}

Fund FromProto(const v1::FundView& proto) {
  return Fund{HexEncode(proto.fund_id()),
              HexEncode(proto.group_id()),
              HexEncode(proto.fund().proposal_id()),
              FromProto(proto.fund()),
              proto.received_minor(),
              proto.disbursed_minor(),
              proto.balance_minor(),
              proto.approved_undisbursed_minor(),
              proto.available_minor(),
              proto.receipt_count(),
              proto.disbursement_count(),
              FromProto(proto.created_hlc())};
}

FundWrite FromProto(const v1::FundWriteResponse& proto) {
  return FundWrite{FromProto(proto.event()), FromProto(proto.fund())};
}

std::vector<Fund> FromProto(const v1::ListFundsResponse& proto) {
  return FromList<Fund>(proto.funds(), FromProto);
}

Drawdown FromProto(const v1::DrawdownView& proto) {
  return Drawdown{HexEncode(proto.proposal_id()),
                  HexEncode(proto.group_id()),
                  HexEncode(proto.fund_id()),
                  HexEncode(proto.proposer()),
                  HexEncode(proto.recipient()),
                  FromProto(proto.amount()),
                  proto.title(),
                  proto.purpose(),
                  proto.budget_line(),
                  EnumName(proto.status()),
                  proto.reason(),
                  HexEncode(proto.disbursement_id()),
                  proto.outcome(),
                  proto.final()};
}

DrawdownWrite FromProto(const v1::DrawdownWriteResponse& proto) {
  return DrawdownWrite{FromProto(proto.event()), FromProto(proto.drawdown())};
}

std::vector<Drawdown> FromProto(const v1::ListDrawdownsResponse& proto) {
  return FromList<Drawdown>(proto.drawdowns(), FromProto);
}

static BenefitShare FromProto(const v1::BenefitShareView& proto) {
  return BenefitShare{HexEncode(proto.member()), proto.share_bps(), proto.contributed_minor()};
}

static SharesInCurrency FromProto(const v1::SharesInCurrency& proto) {
  return SharesInCurrency{proto.currency(), FromList<BenefitShare>(proto.shares(), FromProto)};
}

BenefitShares FromProto(const v1::SharesView& proto) {
  return BenefitShares{EnumName(proto.basis()),
                       FromList<SharesInCurrency>(proto.currencies(), FromProto)};
}

}  // namespace constellation::internal
