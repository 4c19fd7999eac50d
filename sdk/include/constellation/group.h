// sdk/include/constellation/group.h
//
// Group domain of the client API (GroupService): a group's charter and decision rules, its
// members as the node derives them, the group view, its signed events in canonical order, and
// the result of founding a group, and a watch's resume point.
// Thread safety: plain values.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <absl/status/statusor.h>

#include <constellation/common.h>

namespace constellation {

// What a member says about itself inside a group.
struct MemberProfile {
  std::string name;
  std::string role;            // "lead" | "partner" | "affiliate" | "coordinator" | "observer" | ""
  std::string segment;         // "strategic" | "funder" | "advisor" | "contractor" | ""
  uint32_t voting_weight = 0;  // 0 means 1
  std::vector<std::string> endpoints;
};

// How one decision type is decided (integer basis points, never floating point).
struct DecisionRule {
  std::string decision_type;  // "admit", "expel", "adopt_strategy", "allocate_funds",
                              // "open_campaign", "amend_charter", "write_off", "dissolve"
  std::string process;        // "consent", "consensus", "majority", "supermajority",
                              // "unanimity", "lead_decides"
  uint32_t threshold_bps = 0;
  uint32_t quorum_bps = 0;
  uint64_t voting_window_ms = 0;
  bool coordinators_vote = false;
  // OPEN_CAMPAIGN only: a member may open a campaign alone, without a decision.
  bool member_acts_alone = false;
};

// A standard rate for in-kind contributions valued "standard_rate" (pooled.h): `rate` per one
// `unit` of `kind` (e.g. "staff_time", "hour", 85.00 EUR).
struct StandardRate {
  std::string kind;  // "goods" | "services" | "staff_time" | "facilities" | "cash"
  std::string unit;
  Money rate;
};

// A group's charter (DESIGN §1). As an input (CharterInput) only `name` is required; the
// founder profile defaults to this node's organisation.
struct Charter {
  std::string name;
  std::string common_agenda;
  std::string discovery_hypothesis;
  std::string kind;  // "partnership" | "collaboration" | ""
  uint64_t term_start_ms = 0;
  uint64_t term_end_ms = 0;
  uint64_t review_ms = 0;
  std::vector<DecisionRule> decision_rules;
  uint32_t withdrawal_notice_days = 0;
  std::string dissolution_rule;
  std::string inkind_valuation_rules;
  std::string fx_rate_source;
  MemberProfile founder;
  std::string base_currency;  // e.g. "EUR"
  std::vector<StandardRate> standard_rates;  // at most one per (kind, unit)
  std::string benefit_share_basis;           // "equal" | "contributed_value" | "" (= equal)
  // Days a member may go without a record before `health` flags it silent; 0 = 30.
  uint32_t review_cadence_days = 0;
};
using CharterInput = Charter;

// What a member still owes the group or holds for it (docs/PROTOCOL.md §5.7, "Open
// obligations"); leaving ends none of them.
struct Obligation {
  // "pledge" (outstanding part), "fund" (balance it hosts), "disbursement" (approved drawdown
  // of a fund it hosts), "receipt" (cash paid into a fund it hosts, not received yet),
  // "action_item" (owned, not done).
  std::string kind;
  std::string record_id;     // hex: the pledge, fund, ALLOCATE_FUNDS proposal, contribution or item
  int64_t amount_minor = 0;  // 0 for an action item
  std::string currency;      // empty for an action item
  uint64_t due_ms = 0;       // an action item's due time
};

struct Member {
  std::string key;  // hex org key
  MemberProfile profile;
  // "active" | "notice_given" | "withdrawn" | "expelled", as of the query time (a notice whose
  // effective time has come shows "withdrawn").
  std::string status;
  uint64_t last_seq = 0;
  uint64_t notice_effective_ms = 0;  // notice given: when the withdrawal takes effect
  // The member forked its chain (DESIGN §2): its events from the fork on have no effect until
  // it is readmitted.
  bool frozen = false;
  // The lowest seq at which the member forked (its events from there on have no effect);
  // 0 when not frozen. The state hash's fork wrapper covers these seqs (docs/PROTOCOL.md §4).
  uint64_t frozen_from_seq = 0;
  // Filled by Client::GetMember, GiveNotice and Withdraw (empty in a Group's member list).
  std::vector<Obligation> open_obligations;
};

// An org admitted by a final, passed ADMIT that has not accepted it yet (docs/PROTOCOL.md §5.2,
// "Invited"): no member until it accepts.
struct Invitation {
  std::string key;           // hex org key
  MemberProfile profile;     // as the admission states it: card name, decided role and weight
  std::string admitted_by;   // hex ADMIT proposal
  uint64_t admitted_ms = 0;  // when the admission turned final
};

struct Group {
  std::string group_id;  // hex
  Charter charter;
  std::string founder;  // hex org key
  std::vector<Member> members;
  uint64_t event_count = 0;
  // SHA-256 over the group's derived state (hex): equal on every node with the same events.
  std::string state_hash;
  Hlc last_hlc;
  // The AMEND_CHARTER proposal (hex) whose charter `charter` is; "" = the genesis charter.
  std::string charter_amended_by;
  // The DISSOLVE proposal (hex) that dissolved the group; "" = not dissolved. A dissolved group
  // accepts only the records that settle it (payments, disbursements, acknowledgements, ...).
  std::string dissolved_by;
  std::vector<Invitation> invitations;  // ascending by key
};

// One event of a group in canonical order, exactly as signed (GroupService.StreamEvents; a
// watch delivers the same entries with position 0).
// `event_bytes` and `signature` are raw bytes: event id = SHA-256(event_bytes), and the
// signature is Ed25519 by `author` (DESIGN §2), so an auditor can re-verify offline.
struct GroupEventEntry {
  uint64_t position = 0;  // 1-based position in canonical order
  std::string event_id;   // hex
  std::string author;     // hex, decoded from event_bytes
  uint64_t seq = 0;
  Hlc hlc;
  std::string kind;        // the body's field name in event.proto: "charter", "pledge", ...
  std::string request_id;  // the client idempotency key, if any
  std::string event_bytes;
  std::string signature;
};

// The state hash of a prefix of a group's canonical order (Client::GetStateHash): what a
// node holding exactly events 1..event_count of GroupEvents (with the same fork proofs) has.
struct StateHashAt {
  uint64_t event_count = 0;   // the events hashed
  std::string state_hash;     // hex
  std::string last_event_id;  // hex id of the event at position event_count ("" when 0)
};

// One frozen author's fork (Client::ListForkProofs): the two events it signed for one seq,
// exactly as signed (position 0), first = the lower event id. Each verifies on its own.
struct ForkProofEntry {
  std::string author;  // hex org key
  uint64_t seq = 0;    // frozen from this seq on
  GroupEventEntry first;
  GroupEventEntry second;
};

// Where a watch (Client::Watch) resumes: for each author (hex org key), the highest seq of its
// events received. A watch delivers each author's events in seq order, so this names exactly
// the events received, whatever order the node inserted them in (an event that arrives late
// from a peer sorts early in canonical order, so a position could not say this). Pass it to a
// new Watch, on this node or after a restart, to receive every other event exactly once.
struct WatchRevision {
  std::map<std::string, uint64_t> seqs;  // hex org key -> highest seq received (> 0)

  // Records that `author`'s event `seq` was received.
  void Advance(const std::string& author, uint64_t seq) { seqs[author] = seq; }
  // The text form: "<author hex>:<seq>" entries sorted by author, joined by ","; "" when empty.
  std::string ToString() const;
  // Reads the text form (the CLI's `--from`). kInvalidArgument naming the bad entry: not
  // "<64 hex>:<seq>", a seq that is not a positive number, an author twice.
  static absl::StatusOr<WatchRevision> Parse(std::string_view text);
  friend bool operator==(const WatchRevision&, const WatchRevision&) = default;
};

// Client::CreateGroup: the genesis event and the group it founded.
struct GroupWrite {
  EventRef event;
  Group group;
};

}  // namespace constellation
