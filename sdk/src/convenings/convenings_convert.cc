// sdk/src/convenings/convenings_convert.cc
#include "sdk/src/convenings/convenings_convert.h"

#include <absl/strings/str_format.h>

#include "sdk/src/convert.h"
#include "sdk/src/hex.h"
#include "sdk/src/status.h"

namespace constellation::internal {

// Conversions used only here are `static` (internal linkage), as in the other domains.

absl::Status ToProto(const ConveningInput& in, v1::Convening* proto) {
  proto->set_title(in.title);
  proto->set_scheduled_ms(in.scheduled_ms);
  for (const std::string& item : in.agenda_items) proto->add_agenda_items(item);
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeIdList(in.agenda_proposal_ids,
                                                 "convening.agenda_proposal_ids",
                                                 proto->mutable_agenda_proposal_ids()));
  CONSTELLATION_SDK_RETURN_IF_ERROR(
      DecodeIdList(in.invitees, "convening.invitees", proto->mutable_invitees()));
  proto->set_location(in.location);
  return absl::OkStatus();
}

absl::Status ToProto(const ActionItemInput& in, v1::ActionItem* proto) {
  proto->set_text(in.text);
  CONSTELLATION_SDK_RETURN_IF_ERROR(DecodeId(in.owner, "item.owner", proto->mutable_owner()));
  proto->set_due_ms(in.due_ms);
  return absl::OkStatus();
}

static ConveningInput FromProto(const v1::Convening& proto) {
  return ConveningInput{proto.title(),
                        proto.scheduled_ms(),
                        StringList(proto.agenda_items()),
                        HexList(proto.agenda_proposal_ids()),
                        HexList(proto.invitees()),
                        proto.location()};
}

static ActionItemInput FromProto(const v1::ActionItem& proto) {
  return ActionItemInput{proto.text(), HexEncode(proto.owner()), proto.due_ms()};
}

static Attendance FromProto(const v1::AttendanceView& proto) {
  return Attendance{HexEncode(proto.member()), HexEncode(proto.event_id()), FromProto(proto.hlc())};
}

static AgendaProposal FromProto(const v1::AgendaProposalView& proto) {
  return AgendaProposal{HexEncode(proto.proposal_id()), proto.title(), proto.outcome(),
                        proto.final()};
}

ActionItem FromProto(const v1::ActionItemView& proto) {
  return ActionItem{HexEncode(proto.action_id()),    HexEncode(proto.group_id()),
                    HexEncode(proto.convening_id()), FromProto(proto.item()),
                    HexEncode(proto.recorded_by()),  FromProto(proto.hlc()),
                    EnumName(proto.status()),        HexEncode(proto.completion_id()),
                    HexEncode(proto.completed_by()), proto.completion_note(),
                    FromProto(proto.completed_hlc())};
}

Convening FromProto(const v1::ConveningView& proto) {
  return Convening{HexEncode(proto.convening_id()),
                   HexEncode(proto.group_id()),
                   HexEncode(proto.convener()),
                   FromProto(proto.convening()),
                   FromProto(proto.hlc()),
                   FromList<AgendaProposal>(proto.agenda_proposals(), FromProto),
                   FromList<Attendance>(proto.attendance(), FromProto),
                   proto.minutes(),
                   HexEncode(proto.minutes_id()),
                   proto.minutes_versions(),
                   FromList<ActionItem>(proto.action_items(), FromProto)};
}

ConveningWrite FromProto(const v1::ConveningWriteResponse& proto) {
  return ConveningWrite{FromProto(proto.event()), FromProto(proto.convening())};
}

std::vector<Convening> FromProto(const v1::ListConveningsResponse& proto) {
  return FromList<Convening>(proto.convenings(), FromProto);
}

ActionItemWrite FromProto(const v1::ActionItemWriteResponse& proto) {
  return ActionItemWrite{FromProto(proto.event()), FromProto(proto.action_item())};
}

std::vector<ActionItem> FromProto(const v1::ListActionItemsResponse& proto) {
  return FromList<ActionItem>(proto.action_items(), FromProto);
}

}  // namespace constellation::internal
