// sdk/src/governance/governance_convert.cc
#include "sdk/src/governance/governance_convert.h"

#include <utility>

#include <absl/strings/str_format.h>

#include "sdk/src/convert.h"
#include "sdk/src/fundraising/fundraising_convert.h"
#include "sdk/src/group/group_convert.h"
#include "sdk/src/hex.h"
#include "sdk/src/node/node_convert.h"
#include "sdk/src/pooled/pooled_convert.h"
#include "sdk/src/status.h"

namespace constellation::internal {

// Conversions used only here are `static` (internal linkage) rather than in an unnamed
// namespace: there they would hide the FromProto overloads of the headers from each other.

static AdmitPayload FromProto(const v1::AdmitPayload& proto) {
  return AdmitPayload{FromProto(proto.card()), EnumName(proto.role()), EnumName(proto.segment()),
                      proto.voting_weight()};
}

static ExpelPayload FromProto(const v1::ExpelPayload& proto) {
  return ExpelPayload{HexEncode(proto.member()), proto.reason()};
}

static AllocatePayload FromProto(const v1::AllocatePayload& proto) {
  return AllocatePayload{HexEncode(proto.fund_id()),     FromProto(proto.amount()),
                         HexEncode(proto.recipient()),   proto.purpose(),
                         HexEncode(proto.drawdown_id()), proto.budget_line()};
}

static WriteOffPayload FromProto(const v1::WriteOffPayload& proto) {
  return WriteOffPayload{HexEncode(proto.pledge_id()), FromProto(proto.amount()),
                         proto.reason_code()};
}

static TeamLeadsPayload FromProto(const v1::TeamLeadsPayload& proto) {
  return TeamLeadsPayload{HexEncode(proto.team_id()), HexList(proto.leads()),
                          HexList(proto.team_orgs())};
}

// The payload is a oneof: has_*() is true for the case set only, and a string case not set
// reads as "", so at most one payload is set.
static ProposalSpec FromProto(const v1::Proposal& proto) {
  return ProposalSpec{
      EnumName(proto.decision_type()),
      proto.title(),
      proto.text(),
      proto.deadline_ms(),
      FromOptional<AdmitPayload>(proto.has_admit(), proto.admit(), FromProto),
      FromOptional<ExpelPayload>(proto.has_expel(), proto.expel(), FromProto),
      HexEncode(proto.strategy_version_id()),
      FromOptional<AllocatePayload>(proto.has_allocate(), proto.allocate(), FromProto),
      FromOptional<CampaignInput>(proto.has_campaign(), proto.campaign(), FromProto),
      FromOptional<Charter>(proto.has_charter(), proto.charter(), FromProto),
      FromOptional<WriteOffPayload>(proto.has_write_off(), proto.write_off(), FromProto),
      proto.dissolution_plan(),
      FromOptional<FundInput>(proto.has_fund(), proto.fund(), FromProto),
      FromOptional<TeamLeadsPayload>(proto.has_team_leads(), proto.team_leads(), FromProto)};
}

absl::Status ToProto(const ProposalSpec& spec, v1::Proposal* proto) {
  CONSTELLATION_SDK_RETURN_IF_ERROR(SetEnum(spec.decision_type, "proposal.decision_type", proto,
                                            &v1::Proposal::set_decision_type));
  proto->set_title(spec.title);
  proto->set_text(spec.text);
  proto->set_deadline_ms(spec.deadline_ms);
  const int payloads = spec.admit.has_value() + spec.expel.has_value() +
                       !spec.strategy_version_id.empty() + spec.allocate.has_value() +
                       spec.campaign.has_value() + spec.charter.has_value() +
                       spec.write_off.has_value() + !spec.dissolution_plan.empty() +
                       spec.fund.has_value() + spec.team_leads.has_value();
  if (payloads > 1) {
    return absl::InvalidArgumentError(
        absl::StrFormat("proposal has %d payloads: set only the one of its decision type '%s'",
                        payloads, spec.decision_type));
  }
  if (spec.admit.has_value()) {
    v1::AdmitPayload* admit = proto->mutable_admit();
    CONSTELLATION_SDK_RETURN_IF_ERROR(
        ToProto(spec.admit->card, "proposal.admit.card", admit->mutable_card()));
    CONSTELLATION_SDK_RETURN_IF_ERROR(
        SetEnum(spec.admit->role, "proposal.admit.role", admit, &v1::AdmitPayload::set_role));
    CONSTELLATION_SDK_RETURN_IF_ERROR(SetEnum(spec.admit->segment, "proposal.admit.segment", admit,
                                              &v1::AdmitPayload::set_segment));
    admit->set_voting_weight(spec.admit->voting_weight);
  }
  if (spec.expel.has_value()) {
    v1::ExpelPayload* expel = proto->mutable_expel();
    CONSTELLATION_SDK_RETURN_IF_ERROR(
        DecodeId(spec.expel->member, "proposal.expel.member", expel->mutable_member()));
    expel->set_reason(spec.expel->reason);
  }
  if (!spec.strategy_version_id.empty()) {
    CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(spec.strategy_version_id,
                                               "proposal.strategy_version_id",
                                               proto->mutable_strategy_version_id()));
  }
  if (spec.allocate.has_value()) {
    v1::AllocatePayload* allocate = proto->mutable_allocate();
    CONSTELLATION_SDK_RETURN_IF_ERROR(
        DecodeId(spec.allocate->fund_id, "proposal.allocate.fund_id", allocate->mutable_fund_id()));
    ToProto(spec.allocate->amount, allocate->mutable_amount());
    CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(
        spec.allocate->recipient, "proposal.allocate.recipient", allocate->mutable_recipient()));
    allocate->set_purpose(spec.allocate->purpose);
    allocate->set_budget_line(spec.allocate->budget_line);
    CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeOptionalId(spec.allocate->drawdown_id,
                                                       "proposal.allocate.drawdown_id",
                                                       allocate->mutable_drawdown_id()));
  }
  if (spec.campaign.has_value()) {
    CONSTELLATION_SDK_RETURN_IF_ERROR(ToProto(*spec.campaign, proto->mutable_campaign()));
  }
  if (spec.charter.has_value()) {
    CONSTELLATION_SDK_RETURN_IF_ERROR(ToProto(*spec.charter, proto->mutable_charter()));
  }
  if (spec.write_off.has_value()) {
    v1::WriteOffPayload* write_off = proto->mutable_write_off();
    CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(
        spec.write_off->pledge_id, "proposal.write_off.pledge_id", write_off->mutable_pledge_id()));
    ToProto(spec.write_off->amount, write_off->mutable_amount());
    write_off->set_reason_code(spec.write_off->reason_code);
  }
  if (!spec.dissolution_plan.empty()) proto->set_dissolution_plan(spec.dissolution_plan);
  if (spec.fund.has_value()) {
    CONSTELLATION_SDK_RETURN_IF_ERROR(ToProto(*spec.fund, "proposal.fund", proto->mutable_fund()));
  }
  if (spec.team_leads.has_value()) {
    v1::TeamLeadsPayload* team_leads = proto->mutable_team_leads();
    CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(
        spec.team_leads->team_id, "proposal.team_leads.team_id", team_leads->mutable_team_id()));
    CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeIdList(
        spec.team_leads->leads, "proposal.team_leads.leads", team_leads->mutable_leads()));
    CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeIdList(spec.team_leads->team_orgs,
                                                   "proposal.team_leads.team_orgs",
                                                   team_leads->mutable_team_orgs()));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::StanceChoice> StanceFromName(std::string_view stance) {
  if (stance.empty()) {
    return absl::InvalidArgumentError("stance is empty: give agree, abstain, disagree or block");
  }
  absl::StatusOr<int> number =
      EnumNumber(google::protobuf::GetEnumDescriptor<v1::StanceChoice>(), stance, "stance");
  if (!number.ok()) return number.status();
  return static_cast<v1::StanceChoice>(*number);
}

static Voter FromProto(const v1::VoterView& proto) {
  return Voter{HexEncode(proto.key()),
               proto.name(),
               proto.weight(),
               proto.decides(),
               EnumName(proto.stance()),
               proto.reason(),
               FromProto(proto.stance_hlc())};
}

static Tally FromProto(const v1::TallyView& proto) {
  return Tally{proto.eligible_weight(), proto.stance_weight(),   proto.agree_weight(),
               proto.abstain_weight(),  proto.disagree_weight(), proto.block_weight(),
               proto.eligible_count(),  proto.stance_count(),    proto.quorum_met()};
}

Proposal FromProto(const v1::ProposalView& proto) {
  return Proposal{HexEncode(proto.proposal_id()),
                  HexEncode(proto.group_id()),
                  HexEncode(proto.proposer()),
                  FromProto(proto.proposal()),
                  FromProto(proto.hlc()),
                  FromProto(proto.rule()),
                  proto.rule_from_charter(),
                  proto.deadline_ms(),
                  proto.outcome(),
                  proto.closed(),
                  proto.final(),
                  proto.past_deadline(),
                  proto.close_reason(),
                  FromProto(proto.close_hlc()),
                  FromProto(proto.tally()),
                  FromList<Voter>(proto.electorate(), FromProto),
                  HexList(proto.missing_stances()),
                  HexEncode(proto.final_at()),
                  proto.effect_applied(),
                  HexEncode(proto.acceptance())};
}

std::vector<Proposal> FromProto(const v1::ListProposalsResponse& proto) {
  return FromList<Proposal>(proto.proposals(), FromProto);
}

ProposalWrite FromProto(const v1::ProposalWriteResponse& proto) {
  return ProposalWrite{FromProto(proto.event()), FromProto(proto.proposal())};
}

WaitingOnResult FromProto(const v1::WaitingOnResponse& proto) {
  return WaitingOnResult{FromList<Proposal>(proto.needs_my_stance(), FromProto),
                         FromList<Proposal>(proto.waiting_on_others(), FromProto)};
}

JoinResult FromProto(const v1::JoinGroupResponse& proto) {
  return JoinResult{FromProto(proto.event()), FromProto(proto.group()), FromProto(proto.sync())};
}

MembershipWrite FromProto(const v1::MembershipWriteResponse& proto) {
  return MembershipWrite{FromProto(proto.event()), FromProto(proto.member())};
}

}  // namespace constellation::internal
