// sdk/include/constellation/convenings.h
//
// Convenings domain of the client API (ConveningService, docs/PROTOCOL.md §5.13): meetings a
// member (the convener) calls, with an agenda of free items and of the group's proposals,
// invitees, attendance recorded by each attendee, the convener's minutes, and action items with
// an owner and a due date that their owner or the convener marks done.
// Thread safety: plain values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <constellation/common.h>

namespace constellation {

// What a convening is: the input of ScheduleConvening.
struct ConveningInput {
  std::string title;
  uint64_t scheduled_ms = 0;                     // when it meets (UTC ms)
  std::vector<std::string> agenda_items;         // free items, in agenda order
  std::vector<std::string> agenda_proposal_ids;  // hex: proposals to discuss, in agenda order
  std::vector<std::string> invitees;             // hex org keys; empty = every member
  std::string location;                          // a place or a call link
};

// An action item: the input of AddActionItem.
struct ActionItemInput {
  std::string text;
  std::string owner;  // hex org key of a member
  uint64_t due_ms = 0;
};

struct ActionItem {
  std::string action_id;     // hex
  std::string group_id;      // hex
  std::string convening_id;  // hex
  ActionItemInput item;
  std::string recorded_by;  // hex org key
  Hlc hlc;
  std::string status;         // "open" | "overdue" | "done" (overdue: as of the read)
  std::string completion_id;  // hex, once done: the completion that counts
  std::string completed_by;   // hex org key, once done
  std::string completion_note;
  Hlc completed_hlc;
};

struct Attendance {
  std::string member;    // hex org key
  std::string event_id;  // hex
  Hlc hlc;
};

// A proposal on a convening's agenda with its state when read.
struct AgendaProposal {
  std::string proposal_id;  // hex
  std::string title;
  std::string outcome;  // as Proposal's outcome ("open", "passed", ...)
  bool final = false;
};

struct Convening {
  std::string convening_id;  // hex
  std::string group_id;      // hex
  std::string convener;      // hex org key
  ConveningInput schedule;
  Hlc hlc;
  std::vector<AgendaProposal> agenda_proposals;  // in agenda order
  std::vector<Attendance> attendance;            // ascending by member key
  std::string minutes;                           // the latest minutes; "" = none yet
  std::string minutes_id;                        // hex: the record holding them
  uint32_t minutes_versions = 0;
  std::vector<ActionItem> action_items;  // in the order they were recorded
};

struct ConveningWrite {
  EventRef event;
  Convening convening;
};
struct ActionItemWrite {
  EventRef event;
  ActionItem action_item;
};

}  // namespace constellation
