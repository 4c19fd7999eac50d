// sdk/include/constellation/health.h
//
// Partnership health domain of the client API (HealthService, docs/PROTOCOL.md §5.14): pulse
// checks recorded by members, and the partnership at a glance: the charter's review, each
// member's last activity (silent past the review cadence), what it owes, its latest pulses,
// and the pulse trend by month.
// Thread safety: plain values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <constellation/common.h>

namespace constellation {

struct Pulse {
  std::string event_id;    // hex
  std::string group_id;    // hex
  std::string member;      // hex org key
  uint32_t alignment = 0;  // 1 (not aligned at all) .. 5 (fully aligned)
  std::string comment;
  Hlc hlc;
};

struct PulseWrite {
  EventRef event;
  Pulse pulse;
};

// The pulse checks of one UTC calendar month.
struct PulsePeriod {
  std::string period;  // "2026-12"
  uint32_t count = 0;
  uint32_t average_milli = 0;  // mean alignment × 1000 (4500 = 4.5)
};

// An indicator report a member owes.
struct ReportDue {
  std::string version_id;  // hex
  std::string indicator_key;
  std::string period;
};

// An action team that is not closed and whose review date has passed: its leads owe the
// partnership a review.
struct TeamReviewDue {
  std::string team_id;  // hex: the team's first version
  std::string name;
  uint64_t review_ms = 0;
  std::string status;              // "proposed" | "active" | "dormant"
  std::vector<std::string> leads;  // hex org keys
};

// One member at a glance, as of the read.
struct MemberHealth {
  std::string member;  // hex org key
  std::string name;
  std::string status;             // "active" | "notice_given"
  uint64_t last_activity_ms = 0;  // its latest record in the group (0: none)
  bool silent = false;            // no record for longer than the review cadence
  uint32_t latest_alignment = 0;  // 0: no pulse
  uint32_t previous_alignment = 0;
  std::vector<std::string> stances_owed;           // hex proposal ids
  std::vector<std::string> acknowledgements_owed;  // hex proposal ids
  std::vector<std::string> overdue_action_items;   // hex action item ids
  std::vector<std::string> overdue_pledges;        // hex pledge ids
  std::vector<ReportDue> reports_owed;             // indicator reports of the last period
};

struct GroupHealth {
  std::string group_id;  // hex
  uint64_t as_of_ms = 0;
  uint32_t review_cadence_days = 0;
  uint64_t review_ms = 0;
  bool review_due = false;
  uint64_t term_end_ms = 0;
  bool term_ended = false;
  bool dissolved = false;
  uint32_t open_proposals = 0;
  std::vector<MemberHealth> members;     // ascending by key
  std::vector<PulsePeriod> pulse_trend;  // the last 12 months with pulses, ascending
  std::vector<TeamReviewDue> teams_review_due;  // ascending by team id
};

}  // namespace constellation
