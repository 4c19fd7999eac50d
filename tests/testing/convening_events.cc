#include "tests/testing/convening_events.h"

namespace constellation::testing {

v1::Event ConveningBody(uint64_t scheduled_ms, const std::vector<core::EventId>& agenda_proposals,
                        const std::vector<core::OrgKey>& invitees, const std::string& title) {
  v1::Event e;
  v1::Convening* c = e.mutable_convening();
  c->set_title(title);
  c->set_scheduled_ms(scheduled_ms);
  c->add_agenda_items("Indicators of the quarter");
  for (const core::EventId& p : agenda_proposals) c->add_agenda_proposal_ids(p.Bytes());
  for (const core::OrgKey& k : invitees) c->add_invitees(k.Bytes());
  c->set_location("https://call.example/quarterly");
  return e;
}

v1::Event AttendanceBody(const core::EventId& convening) {
  v1::Event e;
  e.mutable_convening_attendance()->set_convening_id(convening.Bytes());
  return e;
}

v1::Event MinutesBody(const core::EventId& convening, const std::string& text) {
  v1::Event e;
  e.mutable_convening_minutes()->set_convening_id(convening.Bytes());
  e.mutable_convening_minutes()->set_text(text);
  return e;
}

v1::Event ActionBody(const core::EventId& convening, const core::OrgKey& owner, uint64_t due_ms,
                     const std::string& text) {
  v1::Event e;
  e.mutable_convening_action()->set_convening_id(convening.Bytes());
  v1::ActionItem* item = e.mutable_convening_action()->mutable_item();
  item->set_text(text);
  item->set_owner(owner.Bytes());
  item->set_due_ms(due_ms);
  return e;
}

v1::Event CompletionBody(const core::EventId& action, const std::string& note) {
  v1::Event e;
  e.mutable_action_completion()->set_action_id(action.Bytes());
  e.mutable_action_completion()->set_note(note);
  return e;
}

}  // namespace constellation::testing
