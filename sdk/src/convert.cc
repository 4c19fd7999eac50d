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

Group FromProto(const v1::GroupView& proto) {
  Group out;
  out.group_id = HexEncode(proto.group_id());
  out.charter = FromProto(proto.charter());
  out.founder = HexEncode(proto.founder());
  for (const v1::MemberView& member : proto.members()) {
    out.members.push_back(Member{HexEncode(member.key()), FromProto(member.profile()),
                                 member.status(), member.last_seq()});
  }
  out.event_count = proto.event_count();
  out.state_hash = HexEncode(proto.state_hash());
  out.last_hlc = FromProto(proto.last_hlc());
  return out;
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

}  // namespace constellation::internal
