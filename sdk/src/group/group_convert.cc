// sdk/src/group/group_convert.cc
#include "sdk/src/group/group_convert.h"

#include <string>

#include <absl/strings/str_format.h>
#include <google/protobuf/descriptor.h>

#include "sdk/src/convert.h"
#include "sdk/src/hex.h"
#include "sdk/src/status.h"

namespace constellation::internal {

// Conversions used only here are `static` (internal linkage) rather than in an unnamed
// namespace: there they would hide the FromProto overloads of the headers from each other.

DecisionRule FromProto(const v1::DecisionRule& proto) {
  return DecisionRule{EnumName(proto.decision_type()), EnumName(proto.process()),
                      proto.threshold_bps(),           proto.quorum_bps(),
                      proto.voting_window_ms(),        proto.coordinators_vote(),
                      proto.member_acts_alone()};
}

static absl::Status ToProto(const DecisionRule& rule, v1::DecisionRule* proto) {
  CONSTELLATION_SDK_RETURN_IF_ERROR(SetEnum(rule.decision_type, "decision_rules.decision_type",
                                            proto, &v1::DecisionRule::set_decision_type));
  CONSTELLATION_SDK_RETURN_IF_ERROR(
      SetEnum(rule.process, "decision_rules.process", proto, &v1::DecisionRule::set_process));
  proto->set_threshold_bps(rule.threshold_bps);
  proto->set_quorum_bps(rule.quorum_bps);
  proto->set_voting_window_ms(rule.voting_window_ms);
  proto->set_coordinators_vote(rule.coordinators_vote);
  proto->set_member_acts_alone(rule.member_acts_alone);
  return absl::OkStatus();
}

static MemberProfile FromProto(const v1::MemberProfile& proto) {
  return MemberProfile{proto.name(), EnumName(proto.role()), EnumName(proto.segment()),
                       proto.voting_weight(), StringList(proto.endpoints())};
}

static StandardRate FromProto(const v1::StandardRate& proto) {
  return StandardRate{EnumName(proto.kind()), proto.unit(), FromProto(proto.rate())};
}

Charter FromProto(const v1::Charter& proto) {
  return Charter{proto.name(),
                 proto.common_agenda(),
                 proto.discovery_hypothesis(),
                 EnumName(proto.kind()),
                 proto.term_start_ms(),
                 proto.term_end_ms(),
                 proto.review_ms(),
                 FromList<DecisionRule>(proto.decision_rules(), FromProto),
                 proto.withdrawal_notice_days(),
                 proto.dissolution_rule(),
                 proto.inkind_valuation_rules(),
                 proto.fx_rate_source(),
                 FromProto(proto.founder()),
                 proto.base_currency(),
                 FromList<StandardRate>(proto.standard_rates(), FromProto),
                 EnumName(proto.benefit_share_basis()),
                 proto.review_cadence_days()};
}

absl::Status ToProto(const CharterInput& charter, v1::Charter* proto) {
  proto->set_name(charter.name);
  proto->set_common_agenda(charter.common_agenda);
  proto->set_discovery_hypothesis(charter.discovery_hypothesis);
  CONSTELLATION_SDK_RETURN_IF_ERROR(
      SetEnum(charter.kind, "charter.kind", proto, &v1::Charter::set_kind));
  proto->set_term_start_ms(charter.term_start_ms);
  proto->set_term_end_ms(charter.term_end_ms);
  proto->set_review_ms(charter.review_ms);
  for (const DecisionRule& rule : charter.decision_rules) {
    CONSTELLATION_SDK_RETURN_IF_ERROR(ToProto(rule, proto->add_decision_rules()));
  }
  proto->set_withdrawal_notice_days(charter.withdrawal_notice_days);
  proto->set_review_cadence_days(charter.review_cadence_days);
  proto->set_dissolution_rule(charter.dissolution_rule);
  proto->set_inkind_valuation_rules(charter.inkind_valuation_rules);
  proto->set_fx_rate_source(charter.fx_rate_source);
  CONSTELLATION_SDK_RETURN_IF_ERROR(
      ToProto(charter.founder, "charter.founder", proto->mutable_founder()));
  proto->set_base_currency(charter.base_currency);
  for (const StandardRate& rate : charter.standard_rates) {
    v1::StandardRate* r = proto->add_standard_rates();
    CONSTELLATION_SDK_RETURN_IF_ERROR(
        SetEnum(rate.kind, "charter.standard_rates.kind", r, &v1::StandardRate::set_kind));
    r->set_unit(rate.unit);
    ToProto(rate.rate, r->mutable_rate());
  }
  return SetEnum(charter.benefit_share_basis, "charter.benefit_share_basis", proto,
                 &v1::Charter::set_benefit_share_basis);
}

absl::Status ToProto(const MemberProfile& profile, std::string_view field,
                     v1::MemberProfile* proto) {
  proto->set_name(profile.name);
  CONSTELLATION_SDK_RETURN_IF_ERROR(SetEnum(profile.role,
                                            absl::StrFormat("%s.role", std::string(field)), proto,
                                            &v1::MemberProfile::set_role));
  CONSTELLATION_SDK_RETURN_IF_ERROR(SetEnum(profile.segment,
                                            absl::StrFormat("%s.segment", std::string(field)),
                                            proto, &v1::MemberProfile::set_segment));
  proto->set_voting_weight(profile.voting_weight);
  for (const std::string& endpoint : profile.endpoints) proto->add_endpoints(endpoint);
  return absl::OkStatus();
}

Obligation FromProto(const v1::ObligationView& proto) {
  return Obligation{proto.kind(), HexEncode(proto.record_id()), proto.amount_minor(),
                    proto.currency(), proto.due_ms()};
}

Member FromProto(const v1::MemberView& proto) {
  return Member{HexEncode(proto.key()),
                FromProto(proto.profile()),
                proto.status(),
                proto.last_seq(),
                proto.notice_effective_ms(),
                proto.frozen(),
                proto.frozen_from_seq(),
                FromList<Obligation>(proto.open_obligations(), FromProto)};
}

Invitation FromProto(const v1::InvitationView& proto) {
  return Invitation{HexEncode(proto.key()), FromProto(proto.profile()),
                    HexEncode(proto.admitted_by()), proto.admitted_ms()};
}

Group FromProto(const v1::GroupView& proto) {
  return Group{HexEncode(proto.group_id()),
               FromProto(proto.charter()),
               HexEncode(proto.founder()),
               FromList<Member>(proto.members(), FromProto),
               proto.event_count(),
               HexEncode(proto.state_hash()),
               FromProto(proto.last_hlc()),
               HexEncode(proto.charter_amended_by()),
               HexEncode(proto.dissolved_by()),
               FromList<Invitation>(proto.invitations(), FromProto)};
}

std::vector<Group> FromProto(const v1::ListGroupsResponse& proto) {
  return FromList<Group>(proto.groups(), FromProto);
}

GroupWrite FromProto(const v1::CreateGroupResponse& proto) {
  return GroupWrite{FromProto(proto.event()), FromProto(proto.group())};
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

absl::StatusOr<ForkProofEntry> FromProto(const v1::ForkProofView& proto) {
  ForkProofEntry out;
  out.author = HexEncode(proto.author());
  out.seq = proto.seq();
  v1::StreamEventsResponse first, second;
  first.set_event_id(proto.first_event_id());
  *first.mutable_signed_event() = proto.proof().first();
  second.set_event_id(proto.second_event_id());
  *second.mutable_signed_event() = proto.proof().second();
  absl::StatusOr<GroupEventEntry> f = FromProto(first);
  if (!f.ok()) return f.status();
  absl::StatusOr<GroupEventEntry> s = FromProto(second);
  if (!s.ok()) return s.status();
  out.first = *std::move(f);
  out.second = *std::move(s);
  return out;
}

StateHashAt FromProto(const v1::GetStateHashResponse& proto) {
  return StateHashAt{proto.event_count(), HexEncode(proto.state_hash()),
                     HexEncode(proto.last_event_id())};
}

}  // namespace constellation::internal
