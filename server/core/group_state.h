// server/core/group_state.h
//
// GroupState: the deterministic fold of one group's events (DESIGN §3). Events are applied in
// canonical order; each is first checked against the state so far (authority and record
// rules). An event that fails the check is kept in the log but has no effect; it is listed in
// rejected_events() so that every node reports the same outcome.
//
// Records folded by this version: charter (genesis, with the founder's membership), campaigns,
// pledges (create; amend as a new version; cancel; payment received). Statuses are derived,
// never set. Other record types are accepted into the log and reported as not yet folded.
//
// Invariant: two GroupStates fed the same events in the same canonical order have the same
// Hash(). The hash covers source event ids and derived integers, not re-serialized protos.
// Pure. Thread safety: not thread-safe; owned by the apply loop.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <absl/status/status.h>

#include "constellation/v1/event.pb.h"
#include "server/core/codec.h"
#include "server/core/ids.h"

namespace constellation::core {

enum class MemberStatus { kActive, kNoticeGiven, kWithdrawn, kExpelled };
std::string_view MemberStatusName(MemberStatus status);

struct MemberState {
  OrgKey key;
  v1::MemberProfile profile;
  EventId profile_event;  // the event that set `profile`
  MemberStatus status = MemberStatus::kActive;
};

struct CampaignState {
  EventId id;
  OrgKey opened_by;
  OrgKey fiscal_host;
  v1::Campaign campaign;
  Hlc opened_hlc;
  std::vector<EventId> pledges;  // in canonical order
};

enum class PledgeEntryKind { kPledge, kAmendment, kCancellation, kPayment, kWriteOff };
std::string_view PledgeEntryKindName(PledgeEntryKind kind);

// One entry of a pledge's history: a version of its terms, or a payment, write-off or
// cancellation, with who signed it.
struct PledgeEntry {
  PledgeEntryKind kind = PledgeEntryKind::kPledge;
  EventId event;
  OrgKey author;
  Hlc hlc;
  uint32_t version = 0;      // terms version after this entry
  v1::PledgeTerms terms;     // kPledge, kAmendment
  std::string reason;        // kAmendment, kCancellation, kWriteOff (reason code)
  v1::Money amount;          // kPayment, kWriteOff
  std::string external_ref;  // kPayment
  uint64_t received_ms = 0;  // kPayment
};

struct PledgeState {
  EventId id;
  EventId campaign;
  OrgKey pledger;
  v1::PledgeTerms terms;  // current version
  EventId terms_event;    // the event that set `terms`
  uint32_t version = 1;
  int64_t received_minor = 0;
  int64_t written_off_minor = 0;
  bool cancelled = false;
  std::string cancel_reason;
  Hlc created_hlc;
  Hlc updated_hlc;
  std::vector<PledgeEntry> history;

  int64_t settled_minor() const { return received_minor + written_off_minor; }
  int64_t outstanding_minor() const {
    return cancelled ? 0 : terms.amount().amount_minor() - settled_minor();
  }
};

enum class PledgeStatus { kPending, kInProgress, kOverdue, kCompleted, kCancelled, kConditional };
std::string_view PledgeStatusName(PledgeStatus status);

// The status of `pledge` as of `as_of_ms` (DOMAIN.md rule 4). An installment is overdue when
// its due date is <= as_of_ms and the installments due by then exceed what is settled. A
// pledge without installments is due at `campaign_deadline_ms` (0 = never overdue).
PledgeStatus DerivePledgeStatus(const PledgeState& pledge, uint64_t campaign_deadline_ms,
                                uint64_t as_of_ms);

struct CampaignTotals {
  uint32_t pledge_count = 0;  // live (not cancelled) pledges
  int64_t pledged_minor = 0;
  int64_t received_minor = 0;
  int64_t outstanding_minor = 0;
  int64_t conditional_minor = 0;
};

class GroupState {
 public:
  explicit GroupState(GroupId group) : group_(group) {}

  // Whether `e` may take effect now. Codes: kPermissionDenied (author may not write this),
  // kNotFound (unknown campaign or pledge), kFailedPrecondition (state forbids it: pledge
  // cancelled, amount below what was received), kInvalidArgument (body invalid, currency
  // mismatch), kUnimplemented (record type not folded by this version).
  absl::Status Check(const VerifiedEvent& e) const;

  // Applies `e` (next in canonical order): its effect if Check passes, else it is recorded
  // as rejected with the reason.
  void Apply(const VerifiedEvent& e);

  // SHA-256 over the derived state (see the invariant above).
  std::array<uint8_t, 32> Hash() const;

  const GroupId& group() const { return group_; }
  bool has_charter() const { return charter_event_.has_value(); }
  const v1::Charter& charter() const { return charter_; }
  const OrgKey& founder() const { return founder_; }
  const std::map<OrgKey, MemberState>& members() const { return members_; }
  const std::map<EventId, CampaignState>& campaigns() const { return campaigns_; }
  const std::map<EventId, PledgeState>& pledges() const { return pledges_; }
  const std::map<EventId, std::string>& rejected_events() const { return rejected_; }
  uint64_t event_count() const { return event_count_; }
  const Hlc& last_hlc() const { return last_hlc_; }

  // True when `key` is an active member that may write records (not an observer).
  bool IsActiveWriter(const OrgKey& key) const;

  CampaignTotals Totals(const CampaignState& campaign) const;

 private:
  void ApplyValid(const VerifiedEvent& e);
  absl::Status CheckPledgeWrite(const VerifiedEvent& e, const EventId& pledge_id,
                                const PledgeState** pledge) const;

  GroupId group_;
  std::optional<EventId> charter_event_;
  v1::Charter charter_;
  OrgKey founder_;
  std::map<OrgKey, MemberState> members_;
  std::map<EventId, CampaignState> campaigns_;
  std::map<EventId, PledgeState> pledges_;
  std::map<EventId, std::string> rejected_;  // event id -> why it had no effect
  uint64_t event_count_ = 0;
  Hlc last_hlc_;
};

}  // namespace constellation::core
