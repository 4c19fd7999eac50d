// server/core/convenings/convenings_records.cc
//
// Stateless validation of the convenings records (docs/PROTOCOL.md §5.13):
// ConveningsLedger::Validate, which the fold registry (server/core/fold/registry.cc) routes this
// domain's bodies to. Every error is kInvalidArgument naming the field path and what to fix. Pure;
// thread-safe.
#include <absl/strings/str_format.h>

#include "server/base/check.h"
#include "server/base/limits.h"
#include "server/base/status_macros.h"
#include "server/core/convenings/convenings_ledger.h"
#include "server/core/records.h"

namespace constellation::core {
namespace {

absl::Status ValidateConvening(const v1::Convening& c) {
  CONSTELLATION_RETURN_IF_ERROR(CheckRequiredText(c.title(), limits::kNameSizeBytesMax,
                                                  "convening.title", "kNameSizeBytesMax"));
  if (c.scheduled_ms() == 0) return InvalidField("convening.scheduled_ms", "is required");
  CONSTELLATION_RETURN_IF_ERROR(CheckTime(c.scheduled_ms(), "convening.scheduled_ms"));
  CONSTELLATION_RETURN_IF_ERROR(
      CheckIdList(c.agenda_proposal_ids(), "convening.agenda_proposal_ids"));
  CONSTELLATION_RETURN_IF_ERROR(CheckIdList(c.invitees(), "convening.invitees"));
  if (static_cast<size_t>(c.agenda_items_size()) > limits::kListFieldCountMax) {
    return InvalidField("convening.agenda_items",
                        absl::StrFormat("has %d entries; the limit kListFieldCountMax is %d",
                                        c.agenda_items_size(), limits::kListFieldCountMax));
  }
  for (const std::string& item : c.agenda_items()) {
    CONSTELLATION_RETURN_IF_ERROR(CheckRequiredText(
        item, limits::kShortTextSizeBytesMax, "convening.agenda_items", "kShortTextSizeBytesMax"));
  }
  CONSTELLATION_RETURN_IF_ERROR(CheckName(c.location(), "convening.location"));
  if (c.attendees_size() > 0 || !c.minutes().empty() || c.action_items_size() > 0 ||
      !c.supersedes().empty()) {
    return InvalidField("convening",
                        "attendees, minutes, action_items and supersedes must be empty: record "
                        "attendance, minutes and action items as their own records");
  }
  return absl::OkStatus();
}

absl::Status ValidateActionItem(const v1::ActionItem& item, std::string_view field) {
  CONSTELLATION_RETURN_IF_ERROR(CheckRequiredText(item.text(), limits::kShortTextSizeBytesMax,
                                                  FieldPath(field, "text"),
                                                  "kShortTextSizeBytesMax"));
  CONSTELLATION_RETURN_IF_ERROR(CheckId(item.owner(), FieldPath(field, "owner"), true));
  if (item.due_ms() == 0) return InvalidField(FieldPath(field, "due_ms"), "is required");
  return CheckTime(item.due_ms(), FieldPath(field, "due_ms"));
}

}  // namespace

absl::Status ConveningsLedger::Validate(const v1::Event& e) {
  switch (e.body_case()) {
    case v1::Event::kConvening:
      return ValidateConvening(e.convening());
    case v1::Event::kConveningAttendance:
      return CheckId(e.convening_attendance().convening_id(), "convening_attendance.convening_id",
                     true);
    case v1::Event::kConveningMinutes:
      CONSTELLATION_RETURN_IF_ERROR(
          CheckId(e.convening_minutes().convening_id(), "convening_minutes.convening_id", true));
      return CheckRequiredText(e.convening_minutes().text(), limits::kTextSizeBytesMax,
                               "convening_minutes.text", "kTextSizeBytesMax", TextKind::kMultiline);
    case v1::Event::kConveningAction:
      CONSTELLATION_RETURN_IF_ERROR(
          CheckId(e.convening_action().convening_id(), "convening_action.convening_id", true));
      return ValidateActionItem(e.convening_action().item(), "convening_action.item");
    case v1::Event::kActionCompletion:
      CONSTELLATION_RETURN_IF_ERROR(
          CheckId(e.action_completion().action_id(), "action_completion.action_id", true));
      return CheckShort(e.action_completion().note(), "action_completion.note");
    default:
      CONSTELLATION_CHECK(false);  // the registry routes only this domain's records here
      return absl::OkStatus();
  }
}

}  // namespace constellation::core
