// sdk/src/convert.cc
#include "sdk/src/convert.h"

#include <string>
#include <string_view>
#include <vector>

#include <absl/strings/ascii.h>
#include <absl/strings/str_format.h>
#include <absl/strings/str_join.h>
#include <google/protobuf/descriptor.h>

#include "sdk/src/hex.h"
#include "sdk/src/status.h"

namespace constellation::internal {
namespace {

using google::protobuf::EnumDescriptor;

// Enum values appear as lowercase names without the type prefix: PLEDGE_STATUS_IN_PROGRESS
// with prefix "PLEDGE_STATUS_" is "in_progress"; the zero value is "".
std::string EnumName(const EnumDescriptor* descriptor, std::string_view prefix, int number) {
  if (number == 0) return "";
  const google::protobuf::EnumValueDescriptor* value = descriptor->FindValueByNumber(number);
  if (value == nullptr) return absl::StrFormat("unknown_%d", number);
  std::string_view name = value->name();
  if (name.substr(0, prefix.size()) == prefix) name.remove_prefix(prefix.size());
  return absl::AsciiStrToLower(std::string(name));
}

// The inverse of EnumName; "" is the zero value. kInvalidArgument lists the accepted names.
absl::StatusOr<int> EnumNumber(const EnumDescriptor* descriptor, std::string_view prefix,
                               std::string_view name, std::string_view field) {
  if (name.empty()) return 0;
  const std::string full = std::string(prefix) + absl::AsciiStrToUpper(std::string(name));
  const google::protobuf::EnumValueDescriptor* value = descriptor->FindValueByName(full);
  if (value != nullptr && value->number() != 0) return value->number();
  std::vector<std::string> accepted;
  for (int i = 0; i < descriptor->value_count(); ++i) {
    if (descriptor->value(i)->number() == 0) continue;
    accepted.push_back(EnumName(descriptor, prefix, descriptor->value(i)->number()));
  }
  return absl::InvalidArgumentError(absl::StrFormat("%s '%s' is not one of: %s", std::string(field),
                                                    std::string(name),
                                                    absl::StrJoin(accepted, ", ")));
}

Hlc FromProto(const v1::Hlc& proto) { return Hlc{proto.wall_ms(), proto.logical()}; }

Money FromProto(const v1::Money& proto) { return Money{proto.amount_minor(), proto.currency()}; }

std::vector<std::string> HexList(const google::protobuf::RepeatedPtrField<std::string>& list) {
  std::vector<std::string> out;
  out.reserve(list.size());
  for (const std::string& bytes : list) out.push_back(HexEncode(bytes));
  return out;
}

MemberProfile FromProto(const v1::MemberProfile& proto) {
  MemberProfile out;
  out.name = proto.name();
  out.role = EnumName(v1::Role_descriptor(), "ROLE_", proto.role());
  out.segment = EnumName(v1::Segment_descriptor(), "SEGMENT_", proto.segment());
  out.voting_weight = proto.voting_weight();
  out.endpoints.assign(proto.endpoints().begin(), proto.endpoints().end());
  return out;
}

DecisionRule FromProto(const v1::DecisionRule& proto) {
  DecisionRule out;
  out.decision_type =
      EnumName(v1::DecisionType_descriptor(), "DECISION_TYPE_", proto.decision_type());
  out.process = EnumName(v1::DecisionProcess_descriptor(), "DECISION_PROCESS_", proto.process());
  out.threshold_bps = proto.threshold_bps();
  out.quorum_bps = proto.quorum_bps();
  out.voting_window_ms = proto.voting_window_ms();
  out.coordinators_vote = proto.coordinators_vote();
  return out;
}

absl::Status ToProto(const DecisionRule& rule, v1::DecisionRule* proto) {
  absl::StatusOr<int> type = EnumNumber(v1::DecisionType_descriptor(), "DECISION_TYPE_",
                                        rule.decision_type, "decision_rules.decision_type");
  if (!type.ok()) return type.status();
  absl::StatusOr<int> process = EnumNumber(v1::DecisionProcess_descriptor(), "DECISION_PROCESS_",
                                           rule.process, "decision_rules.process");
  if (!process.ok()) return process.status();
  proto->set_decision_type(static_cast<v1::DecisionType>(*type));
  proto->set_process(static_cast<v1::DecisionProcess>(*process));
  proto->set_threshold_bps(rule.threshold_bps);
  proto->set_quorum_bps(rule.quorum_bps);
  proto->set_voting_window_ms(rule.voting_window_ms);
  proto->set_coordinators_vote(rule.coordinators_vote);
  return absl::OkStatus();
}

Charter FromProto(const v1::Charter& proto) {
  Charter out;
  out.name = proto.name();
  out.common_agenda = proto.common_agenda();
  out.discovery_hypothesis = proto.discovery_hypothesis();
  out.kind = EnumName(v1::GroupKind_descriptor(), "GROUP_KIND_", proto.kind());
  out.term_start_ms = proto.term_start_ms();
  out.term_end_ms = proto.term_end_ms();
  out.review_ms = proto.review_ms();
  for (const v1::DecisionRule& rule : proto.decision_rules()) {
    out.decision_rules.push_back(FromProto(rule));
  }
  out.withdrawal_notice_days = proto.withdrawal_notice_days();
  out.dissolution_rule = proto.dissolution_rule();
  out.inkind_valuation_rules = proto.inkind_valuation_rules();
  out.fx_rate_source = proto.fx_rate_source();
  out.founder = FromProto(proto.founder());
  out.base_currency = proto.base_currency();
  return out;
}

Restriction FromProto(const v1::Restriction& proto) {
  return Restriction{EnumName(v1::RestrictionKind_descriptor(), "RESTRICTION_KIND_", proto.kind()),
                     proto.text(), proto.until_ms()};
}

absl::Status ToProto(const Restriction& restriction, std::string_view field,
                     v1::Restriction* proto) {
  absl::StatusOr<int> kind =
      EnumNumber(v1::RestrictionKind_descriptor(), "RESTRICTION_KIND_", restriction.kind,
                 absl::StrFormat("%s.kind", std::string(field)));
  if (!kind.ok()) return kind.status();
  proto->set_kind(static_cast<v1::RestrictionKind>(*kind));
  proto->set_text(restriction.text);
  proto->set_until_ms(restriction.until_ms);
  return absl::OkStatus();
}

CampaignInput FromProto(const v1::Campaign& proto) {
  CampaignInput out;
  out.name = proto.name();
  out.goal = FromProto(proto.goal());
  out.deadline_ms = proto.deadline_ms();
  out.fiscal_host = HexEncode(proto.fiscal_host());
  out.restriction = FromProto(proto.restriction());
  if (proto.has_assurance_threshold()) {
    out.assurance_threshold = FromProto(proto.assurance_threshold());
  }
  out.assurance_deadline_ms = proto.assurance_deadline_ms();
  out.action_team_id = HexEncode(proto.action_team_id());
  return out;
}

PledgeTerms FromProto(const v1::PledgeTerms& proto) {
  PledgeTerms out;
  out.amount = FromProto(proto.amount());
  for (const v1::Installment& installment : proto.installments()) {
    out.installments.push_back(Installment{installment.due_ms(), installment.amount_minor()});
  }
  if (proto.has_condition() &&
      !(proto.condition().barrier().empty() && proto.condition().right_of_release().empty())) {
    out.condition =
        PledgeCondition{proto.condition().barrier(), proto.condition().right_of_release()};
  }
  out.restriction = FromProto(proto.restriction());
  out.note = proto.note();
  out.donor_name = proto.donor_name();
  out.evidence_sha256 = HexEncode(proto.evidence_sha256());
  return out;
}

}  // namespace

NodeInfo FromProto(const v1::GetNodeInfoResponse& proto) {
  NodeInfo out;
  out.org_key = HexEncode(proto.org_key());
  out.org_name = proto.org_name();
  out.endpoints.assign(proto.endpoints().begin(), proto.endpoints().end());
  out.version = proto.version();
  out.group_count = proto.group_count();
  out.event_count = proto.event_count();
  out.caller_role = proto.caller_role();
  return out;
}

TokenInfo FromProto(const v1::TokenInfo& proto) {
  TokenInfo out;
  out.token_id = proto.token_id();
  out.role = proto.role();
  out.label = proto.label();
  out.group_ids = HexList(proto.group_ids());
  out.created_ms = proto.created_ms();
  out.revoked = proto.revoked();
  return out;
}

EventRef FromProto(const v1::EventRef& proto) {
  EventRef out;
  out.event_id = HexEncode(proto.event_id());
  out.group_id = HexEncode(proto.group_id());
  out.author = HexEncode(proto.author());
  out.seq = proto.seq();
  out.hlc = FromProto(proto.hlc());
  return out;
}

absl::StatusOr<GroupEventEntry> FromProto(const v1::StreamEventsResponse& proto) {
  GroupEventEntry out;
  out.position = proto.position();
  out.event_id = HexEncode(proto.event_id());
  out.event_bytes = proto.signed_event().event();
  out.signature = proto.signed_event().signature();
  v1::Event event;
  if (!event.ParseFromString(out.event_bytes)) {
    return absl::DataLossError(
        absl::StrFormat("event %s at position %d does not parse as constellation.v1.Event",
                        out.event_id, out.position));
  }
  out.author = HexEncode(event.author());
  out.seq = event.seq();
  out.hlc = FromProto(event.hlc());
  out.request_id = event.request_id();
  if (event.body_case() != v1::Event::BODY_NOT_SET) {
    const google::protobuf::FieldDescriptor* field =
        v1::Event::descriptor()->FindFieldByNumber(static_cast<int>(event.body_case()));
    if (field != nullptr) out.kind = field->name();
  }
  return out;
}

Member FromProto(const v1::MemberView& proto) {
  Member out;
  out.key = HexEncode(proto.key());
  out.profile = FromProto(proto.profile());
  out.status = proto.status();
  out.last_seq = proto.last_seq();
  out.notice_effective_ms = proto.notice_effective_ms();
  out.frozen = proto.frozen();
  return out;
}

Group FromProto(const v1::GroupView& proto) {
  Group out;
  out.group_id = HexEncode(proto.group_id());
  out.charter = FromProto(proto.charter());
  out.founder = HexEncode(proto.founder());
  for (const v1::MemberView& member : proto.members()) out.members.push_back(FromProto(member));
  out.event_count = proto.event_count();
  out.state_hash = HexEncode(proto.state_hash());
  out.last_hlc = FromProto(proto.last_hlc());
  return out;
}

absl::Status ToProto(const MemberProfile& profile, std::string_view field,
                     v1::MemberProfile* proto) {
  proto->set_name(profile.name);
  absl::StatusOr<int> role = EnumNumber(v1::Role_descriptor(), "ROLE_", profile.role,
                                        absl::StrFormat("%s.role", std::string(field)));
  if (!role.ok()) return role.status();
  proto->set_role(static_cast<v1::Role>(*role));
  absl::StatusOr<int> segment = EnumNumber(v1::Segment_descriptor(), "SEGMENT_", profile.segment,
                                           absl::StrFormat("%s.segment", std::string(field)));
  if (!segment.ok()) return segment.status();
  proto->set_segment(static_cast<v1::Segment>(*segment));
  proto->set_voting_weight(profile.voting_weight);
  for (const std::string& endpoint : profile.endpoints) proto->add_endpoints(endpoint);
  return absl::OkStatus();
}

absl::Status ToProto(const CharterInput& charter, v1::Charter* proto) {
  proto->set_name(charter.name);
  proto->set_common_agenda(charter.common_agenda);
  proto->set_discovery_hypothesis(charter.discovery_hypothesis);
  absl::StatusOr<int> kind =
      EnumNumber(v1::GroupKind_descriptor(), "GROUP_KIND_", charter.kind, "charter.kind");
  if (!kind.ok()) return kind.status();
  proto->set_kind(static_cast<v1::GroupKind>(*kind));
  proto->set_term_start_ms(charter.term_start_ms);
  proto->set_term_end_ms(charter.term_end_ms);
  proto->set_review_ms(charter.review_ms);
  for (const DecisionRule& rule : charter.decision_rules) {
    CONSTELLATION_SDK_RETURN_IF_ERROR(ToProto(rule, proto->add_decision_rules()));
  }
  proto->set_withdrawal_notice_days(charter.withdrawal_notice_days);
  proto->set_dissolution_rule(charter.dissolution_rule);
  proto->set_inkind_valuation_rules(charter.inkind_valuation_rules);
  proto->set_fx_rate_source(charter.fx_rate_source);
  CONSTELLATION_SDK_RETURN_IF_ERROR(
      ToProto(charter.founder, "charter.founder", proto->mutable_founder()));
  proto->set_base_currency(charter.base_currency);
  return absl::OkStatus();
}

Campaign FromProto(const v1::CampaignView& proto) {
  Campaign out;
  out.campaign_id = HexEncode(proto.campaign_id());
  out.group_id = HexEncode(proto.group_id());
  out.opened_by = HexEncode(proto.opened_by());
  out.definition = FromProto(proto.campaign());
  out.fiscal_host = HexEncode(proto.fiscal_host());
  out.pledge_count = proto.pledge_count();
  out.pledged_minor = proto.pledged_minor();
  out.received_minor = proto.received_minor();
  out.outstanding_minor = proto.outstanding_minor();
  out.conditional_minor = proto.conditional_minor();
  out.opened_hlc = FromProto(proto.opened_hlc());
  return out;
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

Pledge FromProto(const v1::PledgeView& proto) {
  Pledge out;
  out.pledge_id = HexEncode(proto.pledge_id());
  out.group_id = HexEncode(proto.group_id());
  out.campaign_id = HexEncode(proto.campaign_id());
  out.pledger = HexEncode(proto.pledger());
  out.terms = FromProto(proto.terms());
  out.version = proto.version();
  out.status = EnumName(v1::PledgeStatus_descriptor(), "PLEDGE_STATUS_", proto.status());
  out.received_minor = proto.received_minor();
  out.written_off_minor = proto.written_off_minor();
  out.outstanding_minor = proto.outstanding_minor();
  out.created_hlc = FromProto(proto.created_hlc());
  out.updated_hlc = FromProto(proto.updated_hlc());
  out.cancel_reason = proto.cancel_reason();
  return out;
}

PledgeVersionEntry FromProto(const v1::StreamPledgeHistoryResponse& proto) {
  PledgeVersionEntry out;
  out.pledge_id = HexEncode(proto.pledge_id());
  const v1::PledgeVersion& version = proto.version();
  out.version.version = version.version();
  out.version.event_id = HexEncode(version.event_id());
  out.version.author = HexEncode(version.author());
  out.version.hlc = FromProto(version.hlc());
  out.version.kind = version.kind();
  if (version.has_terms()) out.version.terms = FromProto(version.terms());
  out.version.reason = version.reason();
  if (version.has_amount()) out.version.amount = FromProto(version.amount());
  out.version.external_ref = version.external_ref();
  out.version.received_ms = version.received_ms();
  return out;
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

void ToProto(const Money& money, v1::Money* proto) {
  proto->set_amount_minor(money.amount_minor);
  proto->set_currency(money.currency);
}

OrgCard FromProto(const v1::OrgCard& proto) {
  OrgCard out;
  out.key = HexEncode(proto.key());
  out.name = proto.name();
  out.endpoints.assign(proto.endpoints().begin(), proto.endpoints().end());
  return out;
}

absl::Status ToProto(const OrgCard& card, std::string_view field, v1::OrgCard* proto) {
  CONSTELLATION_SDK_RETURN_IF_ERROR(
      DecodeId(card.key, absl::StrFormat("%s.key", std::string(field)), proto->mutable_key()));
  proto->set_name(card.name);
  for (const std::string& endpoint : card.endpoints) proto->add_endpoints(endpoint);
  return absl::OkStatus();
}

namespace {

ProposalSpec FromProto(const v1::Proposal& proto) {
  ProposalSpec out;
  out.decision_type =
      EnumName(v1::DecisionType_descriptor(), "DECISION_TYPE_", proto.decision_type());
  out.title = proto.title();
  out.text = proto.text();
  out.deadline_ms = proto.deadline_ms();
  switch (proto.payload_case()) {
    case v1::Proposal::kAdmit: {
      AdmitPayload admit;
      admit.card = internal::FromProto(proto.admit().card());  // declared outside this namespace
      admit.role = EnumName(v1::Role_descriptor(), "ROLE_", proto.admit().role());
      admit.segment = EnumName(v1::Segment_descriptor(), "SEGMENT_", proto.admit().segment());
      admit.voting_weight = proto.admit().voting_weight();
      out.admit = std::move(admit);
      break;
    }
    case v1::Proposal::kExpel:
      out.expel = ExpelPayload{HexEncode(proto.expel().member()), proto.expel().reason()};
      break;
    case v1::Proposal::kStrategyVersionId:
      out.strategy_version_id = HexEncode(proto.strategy_version_id());
      break;
    case v1::Proposal::kAllocate: {
      const v1::AllocatePayload& allocate = proto.allocate();
      out.allocate = AllocatePayload{HexEncode(allocate.fund_id()), FromProto(allocate.amount()),
                                     HexEncode(allocate.recipient()), allocate.purpose(),
                                     HexEncode(allocate.drawdown_id())};
      break;
    }
    case v1::Proposal::kCampaign:
      out.campaign = FromProto(proto.campaign());
      break;
    case v1::Proposal::kCharter:
      out.charter = FromProto(proto.charter());
      break;
    case v1::Proposal::kWriteOff: {
      const v1::WriteOffPayload& write_off = proto.write_off();
      out.write_off = WriteOffPayload{HexEncode(write_off.pledge_id()),
                                      FromProto(write_off.amount()), write_off.reason_code()};
      break;
    }
    case v1::Proposal::kDissolutionPlan:
      out.dissolution_plan = proto.dissolution_plan();
      break;
    case v1::Proposal::PAYLOAD_NOT_SET:
      break;
  }
  return out;
}

Voter FromProto(const v1::VoterView& proto) {
  Voter out;
  out.key = HexEncode(proto.key());
  out.name = proto.name();
  out.weight = proto.weight();
  out.decides = proto.decides();
  out.stance = EnumName(v1::StanceChoice_descriptor(), "STANCE_CHOICE_", proto.stance());
  out.reason = proto.reason();
  out.stance_hlc = FromProto(proto.stance_hlc());
  return out;
}

Tally FromProto(const v1::TallyView& proto) {
  Tally out;
  out.eligible_weight = proto.eligible_weight();
  out.stance_weight = proto.stance_weight();
  out.agree_weight = proto.agree_weight();
  out.abstain_weight = proto.abstain_weight();
  out.disagree_weight = proto.disagree_weight();
  out.block_weight = proto.block_weight();
  out.eligible_count = proto.eligible_count();
  out.stance_count = proto.stance_count();
  out.quorum_met = proto.quorum_met();
  return out;
}

}  // namespace

Proposal FromProto(const v1::ProposalView& proto) {
  Proposal out;
  out.proposal_id = HexEncode(proto.proposal_id());
  out.group_id = HexEncode(proto.group_id());
  out.proposer = HexEncode(proto.proposer());
  out.spec = FromProto(proto.proposal());
  out.hlc = FromProto(proto.hlc());
  out.rule = FromProto(proto.rule());
  out.rule_from_charter = proto.rule_from_charter();
  out.deadline_ms = proto.deadline_ms();
  out.outcome = proto.outcome();
  out.closed = proto.closed();
  out.final = proto.final();
  out.past_deadline = proto.past_deadline();
  out.close_reason = proto.close_reason();
  out.close_hlc = FromProto(proto.close_hlc());
  out.tally = FromProto(proto.tally());
  for (const v1::VoterView& voter : proto.electorate()) out.electorate.push_back(FromProto(voter));
  out.missing_stances = HexList(proto.missing_stances());
  out.final_at = HexEncode(proto.final_at());
  out.effect_applied = proto.effect_applied();
  out.acceptance = HexEncode(proto.acceptance());
  return out;
}

absl::Status ToProto(const ProposalSpec& spec, v1::Proposal* proto) {
  absl::StatusOr<int> type = EnumNumber(v1::DecisionType_descriptor(), "DECISION_TYPE_",
                                        spec.decision_type, "proposal.decision_type");
  if (!type.ok()) return type.status();
  proto->set_decision_type(static_cast<v1::DecisionType>(*type));
  proto->set_title(spec.title);
  proto->set_text(spec.text);
  proto->set_deadline_ms(spec.deadline_ms);
  const int payloads = spec.admit.has_value() + spec.expel.has_value() +
                       !spec.strategy_version_id.empty() + spec.allocate.has_value() +
                       spec.campaign.has_value() + spec.charter.has_value() +
                       spec.write_off.has_value() + !spec.dissolution_plan.empty();
  if (payloads > 1) {
    return absl::InvalidArgumentError(
        absl::StrFormat("proposal has %d payloads: set only the one of its decision type '%s'",
                        payloads, spec.decision_type));
  }
  if (spec.admit.has_value()) {
    v1::AdmitPayload* admit = proto->mutable_admit();
    CONSTELLATION_SDK_RETURN_IF_ERROR(
        ToProto(spec.admit->card, "proposal.admit.card", admit->mutable_card()));
    absl::StatusOr<int> role =
        EnumNumber(v1::Role_descriptor(), "ROLE_", spec.admit->role, "proposal.admit.role");
    if (!role.ok()) return role.status();
    admit->set_role(static_cast<v1::Role>(*role));
    absl::StatusOr<int> segment = EnumNumber(v1::Segment_descriptor(), "SEGMENT_",
                                             spec.admit->segment, "proposal.admit.segment");
    if (!segment.ok()) return segment.status();
    admit->set_segment(static_cast<v1::Segment>(*segment));
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
  return absl::OkStatus();
}

absl::StatusOr<v1::StanceChoice> StanceFromName(std::string_view stance) {
  if (stance.empty()) {
    return absl::InvalidArgumentError("stance is empty: give agree, abstain, disagree or block");
  }
  absl::StatusOr<int> number =
      EnumNumber(v1::StanceChoice_descriptor(), "STANCE_CHOICE_", stance, "stance");
  if (!number.ok()) return number.status();
  return static_cast<v1::StanceChoice>(*number);
}

PeerStatus FromProto(const v1::PeerView& proto) {
  PeerStatus out;
  out.org = HexEncode(proto.org());
  out.name = proto.name();
  out.endpoint = proto.endpoint();
  out.group_ids = HexList(proto.group_ids());
  out.status = proto.status();
  out.last_success_ms = proto.last_success_ms();
  out.last_attempt_ms = proto.last_attempt_ms();
  out.last_error = proto.last_error();
  out.consecutive_failures = proto.consecutive_failures();
  out.next_attempt_ms = proto.next_attempt_ms();
  out.events_sent = proto.events_sent();
  out.events_received = proto.events_received();
  return out;
}

SyncResult FromProto(const v1::SyncGroupResponse& proto) {
  SyncResult out;
  out.received = proto.received();
  out.inserted = proto.inserted();
  out.duplicate = proto.duplicate();
  out.waiting = proto.waiting();
  out.rounds = proto.rounds();
  out.state_hash = HexEncode(proto.state_hash());
  out.sent = proto.sent();
  for (const v1::PeerView& peer : proto.peers()) out.peers.push_back(FromProto(peer));
  return out;
}

}  // namespace constellation::internal
