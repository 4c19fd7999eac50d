// sdk/src/health/health_convert.cc
#include "sdk/src/health/health_convert.h"

#include "sdk/src/convert.h"
#include "sdk/src/hex.h"

namespace constellation::internal {

Pulse FromProto(const v1::PulseView& proto) {
  return Pulse{HexEncode(proto.event_id()),
               HexEncode(proto.group_id()),
               HexEncode(proto.member()),
               proto.alignment(),
               proto.comment(),
               FromProto(proto.hlc())};
}

PulseWrite FromProto(const v1::PulseWriteResponse& proto) {
  return PulseWrite{FromProto(proto.event()), FromProto(proto.pulse())};
}

std::vector<Pulse> FromProto(const v1::ListPulsesResponse& proto) {
  return FromList<Pulse>(proto.pulses(), FromProto);
}

static PulsePeriod FromProto(const v1::PulsePeriod& proto) {
  return PulsePeriod{proto.period(), proto.count(), proto.average_milli()};
}

static ReportDue FromProto(const v1::ReportDue& proto) {
  return ReportDue{HexEncode(proto.version_id()), proto.indicator_key(), proto.period()};
}

static TeamReviewDue FromProto(const v1::TeamReviewDue& proto) {
  return TeamReviewDue{HexEncode(proto.team_id()), proto.name(), proto.review_ms(), proto.status(),
                       HexList(proto.leads())};
}

static MemberHealth FromProto(const v1::MemberHealthView& proto) {
  return MemberHealth{HexEncode(proto.member()),
                      proto.name(),
                      proto.status(),
                      proto.last_activity_ms(),
                      proto.silent(),
                      proto.latest_alignment(),
                      proto.previous_alignment(),
                      HexList(proto.stances_owed()),
                      HexList(proto.acknowledgements_owed()),
                      HexList(proto.overdue_action_items()),
                      HexList(proto.overdue_pledges()),
                      FromList<ReportDue>(proto.reports_owed(), FromProto)};
}

GroupHealth FromProto(const v1::HealthView& proto) {
  return GroupHealth{HexEncode(proto.group_id()),
                     proto.as_of_ms(),
                     proto.review_cadence_days(),
                     proto.review_ms(),
                     proto.review_due(),
                     proto.term_end_ms(),
                     proto.term_ended(),
                     proto.dissolved(),
                     proto.open_proposals(),
                     FromList<MemberHealth>(proto.members(), FromProto),
                     FromList<PulsePeriod>(proto.pulse_trend(), FromProto),
                     FromList<TeamReviewDue>(proto.teams_review_due(), FromProto)};
}

}  // namespace constellation::internal
