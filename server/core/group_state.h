// server/core/group_state.h
//
// GroupState: the deterministic fold of one group's events (DESIGN §3). Events are applied in
// canonical order; each is first checked against the state so far (authority and record
// rules). An event that fails the check is kept in the log but has no effect; it is listed in
// rejected_events() so that every node reports the same outcome.
//
// Records folded by this version: charter (genesis, with the founder's membership), campaigns,
// pledges (create; amend as a new version; cancel; payment received), decisions (proposal,
// stance, proposal_close, acknowledgement; outcomes and finality from decisions.h) and
// membership (acceptance of a final admission, notice, withdrawal, expulsion by a final
// decision). Statuses are derived, never set. Other record types are accepted into the log and
// reported as not yet folded. docs/PROTOCOL.md §5 specifies every rule.
//
// Decisions: a proposal's rule and electorate are fixed when it is folded (from the charter
// and the members whose membership happened before it, by the causal clocks). Its close,
// tally and outcome are recomputed from its recorded stances and close after every event, so
// they are functions of the events folded so far; its outcome becomes final once every
// deciding member (and the proposer) holds an event past the close, and is frozen then.
// Effects (admission may be accepted, expulsion) apply from the first event in canonical order
// at which the outcome is final and passed; proposals turning final at one event are handled
// in proposal-id order.
//
// Removals (DESIGN §3): an expelled member's events after the expulsion has taken effect have
// no effect; its stances that the expulsion proposal had not seen (concurrent with it) stop
// counting in every proposal not yet final. Voiding its other records concurrent with the
// expulsion is retroactive: the fold reports the cuts it found (removal_cuts()) and a second
// fold given those cuts voids them (FoldWithRemovalCuts). Cuts void only records that no
// decision or membership rule reads, so the second fold finds the same cuts: it is the
// fixpoint.
//
// Invariant: two GroupStates fed the same events in the same canonical order (with the same
// cuts) have the same Hash(). The hash covers source event ids and derived integers, not
// re-serialized protos.
// Pure. Thread safety: not thread-safe; owned by the apply loop.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <absl/status/status.h>

#include "constellation/v1/event.pb.h"
#include "server/core/codec.h"
#include "server/core/dag.h"
#include "server/core/decisions.h"
#include "server/core/ids.h"

namespace constellation::core {

enum class MemberStatus { kActive, kNoticeGiven, kWithdrawn, kExpelled };
std::string_view MemberStatusName(MemberStatus status);

struct MemberState {
  OrgKey key;
  v1::MemberProfile profile;
  EventId profile_event;  // the event that set `profile`
  MemberStatus status = MemberStatus::kActive;
  // The event from which the current membership counts (the genesis for the founder, else the
  // member's membership_acceptance) and the member's seq in it.
  EventId joined_event;
  uint64_t joined_seq = 1;
  std::optional<EventId> admitted_by;  // the ADMIT proposal of the current membership
  // Notice given (status kNoticeGiven): the member's events with hlc.wall_ms >=
  // notice_effective_ms have no effect; DeriveMemberStatus shows it withdrawn from then on.
  std::optional<EventId> notice_event;
  uint64_t notice_effective_ms = 0;
  // Withdrawn: the withdrawal. Expelled: the event at which the expulsion became final.
  std::optional<EventId> removal_event;
  std::optional<EventId> expelled_by;  // the EXPEL proposal
};

// The status of `m` as of `as_of_ms`: kWithdrawn once a notice's effective time has come,
// else m.status (which the fold keeps at kNoticeGiven: the fold reads no clock).
MemberStatus DeriveMemberStatus(const MemberState& m, uint64_t as_of_ms);

// A proposal's outcome as derived from the events folded so far.
struct ProposalOutcome {
  DecisionOutcome outcome = DecisionOutcome::kOpen;  // kOpen until closed
  // Closed: the proposer closed it, every deciding member took a stance, or (deadline) an
  // event of the electorate or the proposer has wall_ms >= the deadline.
  bool closed = false;
  // Final: closed, and every deciding member and the proposer holds an event with hlc > close
  // (or can no longer write: withdrawn, expelled, notice run out). Until then `outcome` is
  // provisional. A final outcome never changes.
  bool final = false;
  // Query-time only (GroupState::Outcome with now_ms): not closed by the events, but now_ms is
  // past the deadline; `outcome` is then the provisional result at the deadline.
  bool past_deadline = false;
  ClosePoint close;  // the earliest close known (the deadline while nothing earlier is)
  Tally tally;       // the stances that count at `close`
  std::optional<EventId> final_at;  // the event at which it became final
};

struct ProposalState {
  EventId id;
  OrgKey proposer;
  uint64_t proposer_seq = 0;
  Hlc hlc;
  v1::Proposal proposal;
  v1::DecisionRule rule;  // resolved (decisions.h), fixed at the proposal
  bool rule_from_charter = false;
  uint64_t deadline_ms = 0;         // proposal.deadline_ms, or hlc.wall_ms + rule.voting_window_ms
  Electorate electorate;            // fixed at the proposal
  std::optional<OrgKey> target;     // ADMIT: the invitee (card.key); EXPEL: the member
  std::vector<CastStance> stances;  // accepted stances, in canonical order
  std::optional<EventId> close_event;  // the proposer's proposal_close
  Hlc close_event_hlc;
  ProposalOutcome outcome;            // refreshed after every event until final
  bool effect_applied = false;        // ADMIT: may be accepted; EXPEL: member expelled
  std::optional<EventId> acceptance;  // ADMIT: the invitee's membership_acceptance

  v1::DecisionType type() const { return proposal.decision_type(); }
};

// The retroactive part of an expulsion (DESIGN §3): the expelled member's events with a seq
// above kept_seq_max (those the EXPEL proposal had not seen), up to a readmission, have no
// effect. Keyed by the EXPEL proposal id.
struct RemovalCut {
  OrgKey member;
  uint64_t kept_seq_max = 0;
  friend bool operator==(const RemovalCut&, const RemovalCut&) = default;
};
using RemovalCuts = std::map<EventId, RemovalCut>;

// Authors frozen by a fork, each with the seq it is frozen from.
using FrozenAuthors = std::map<OrgKey, uint64_t>;

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
  // A state of `group` with nothing folded. `cuts`: the removal cuts a previous fold of the
  // same events found (FoldWithRemovalCuts). `clocks`: causal clocks to borrow (the group's
  // DAG); they must outlive this state and hold every event applied to it. When null, the
  // state keeps its own clocks of the events applied to it.
  // `frozen`: authors frozen by a fork, each from its fork seq (Group applies none of their
  // events from there on, DESIGN §2). Such a member can no longer change a tally, so it does not
  // hold up finality once its events before the fork are folded.
  explicit GroupState(GroupId group, RemovalCuts cuts = {}, const CausalClocks* clocks = nullptr,
                      FrozenAuthors frozen = {});

  // Whether `e` may take effect now. Codes: kPermissionDenied (author may not write this: not
  // a member, withdrawn, expelled, outside the electorate, not the proposer or invitee),
  // kNotFound (unknown campaign, pledge, proposal or member), kAlreadyExists (already a
  // member, already accepted), kFailedPrecondition (state forbids it: pledge cancelled, amount
  // below what was received, proposal closed or not final, decision type not allowed by the
  // charter, the referenced proposal not in the event's causal past), kInvalidArgument (body
  // invalid, currency mismatch, deadline out of range), kUnimplemented (record type not folded
  // by this version).
  absl::Status Check(const VerifiedEvent& e) const;

  // Applies `e` (next in canonical order): its effect if Check passes, else it is recorded
  // as rejected with the reason.
  void Apply(const VerifiedEvent& e);

  // SHA-256 over the derived state (see the invariant above). Computed when first asked (it
  // reads the whole state; replication_bench saw GetGroup take 0.1 s at 100k events) and kept
  // until the next Apply.
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

  // Every proposal that took effect, by id.
  const std::map<EventId, ProposalState>& proposals() const { return proposals_; }

  // The outcome of `proposal` as the folded events show it. With `now_ms` (a query time, for
  // read APIs), a proposal not closed by the events but past its deadline by now_ms is shown
  // with past_deadline = true and the provisional result at the deadline. kNotFound when the
  // group has no such proposal.
  absl::StatusOr<ProposalOutcome> Outcome(const EventId& proposal,
                                          std::optional<uint64_t> now_ms = std::nullopt) const;

  // The proposals `member` should acknowledge now (DESIGN §3 "automatic acknowledgement"):
  // not final, closed by the events or past their deadline at `now_ms`, `member` is their
  // proposer or a deciding member of their electorate, and holds no event after the close
  // yet. An event by `member` appended at `now_ms` settles them. Ordered by id; at most
  // limits::kListFieldCountMax.
  std::vector<EventId> AcknowledgementsDue(const OrgKey& member, uint64_t now_ms) const;

  // The removal cuts found by this fold (one per expulsion that took effect) and those it was
  // given (constructor).
  const RemovalCuts& removal_cuts() const { return found_cuts_; }
  const RemovalCuts& input_cuts() const { return input_cuts_; }
  // True when this fold found a cut it was not given: the group's state is then the fold of
  // the same events from the start with the cuts (FoldWithRemovalCuts). Callers that apply
  // events one at a time check it after each Apply.
  bool NeedsRefold() const;

  // Causal order of applied events (DESIGN §3); see CausalClocks.
  bool HappenedBefore(const EventId& a, const EventId& b) const {
    return clocks().HappenedBefore(a, b);
  }

 private:
  // A range of a member's seqs whose events lose their effect: (after_seq, until_seq).
  struct VoidRange {
    EventId expulsion;
    uint64_t after_seq = 0;
    uint64_t until_seq = UINT64_MAX;  // the readmission acceptance's seq, once readmitted
  };
  // The latest event folded per author: chains are contiguous and their hlc monotone.
  struct AuthorProgress {
    uint64_t seq = 0;
    Hlc hlc;
  };

  std::array<uint8_t, 32> ComputeHash() const;

  const CausalClocks& clocks() const {
    return borrowed_clocks_ != nullptr ? *borrowed_clocks_ : own_clocks_;
  }
  const MemberState* FindMember(const OrgKey& key) const;
  // A member (any role) at an event stamped `hlc`: active, or notice given and not yet run.
  static bool IsMemberAt(const MemberState& m, const Hlc& hlc);
  bool IsActiveWriterAt(const OrgKey& key, const Hlc& hlc) const;
  // Whether `m` is a member in `e`'s causal past (DESIGN §3: a proposal's validity and
  // electorate are fixed by its causal past, so a late concurrent event cannot change them once
  // nodes saw it final): its membership happened before `e`, and neither its removal (the
  // withdrawal, or the event at which its expulsion became final) nor a notice in force at e's
  // time did.
  bool IsMemberInCausalPast(const MemberState& m, const VerifiedEvent& e) const;

  absl::Status CheckAuthor(const VerifiedEvent& e) const;
  absl::Status CheckDecisionOrMembership(const VerifiedEvent& e) const;
  absl::Status CheckProposal(const VerifiedEvent& e) const;
  absl::Status CheckAcceptance(const VerifiedEvent& e) const;
  // The proposal `id_bytes` names, which must be in `e`'s causal past.
  absl::StatusOr<const ProposalState*> ReferencedProposal(const std::string& id_bytes,
                                                          std::string_view field,
                                                          const VerifiedEvent& e) const;
  absl::StatusOr<Electorate> BuildElectorate(const v1::DecisionRule& rule,
                                             const v1::Proposal& proposal,
                                             const VerifiedEvent& e) const;
  // DESIGN §3 "mutual removals remove both": `p` is `member`'s expulsion of the proposer of
  // `expulsion` (which expelled `member`), concurrent with it.
  bool IsMutualRemoval(const ProposalState& p, const OrgKey& member,
                       const EventId& expulsion) const;

  void ApplyValid(const VerifiedEvent& e);
  void ApplyDecisionOrMembership(const VerifiedEvent& e);
  absl::Status CheckPledgeWrite(const EventId& pledge_id, const PledgeState** pledge) const;

  // Decisions: derive, finalize, take effect.
  std::vector<CastStance> CountableStances(const ProposalState& p) const;
  ProposalOutcome Evaluate(const ProposalState& p) const;
  bool Settled(const ProposalState& p, const OrgKey& key, const Hlc& close) const;
  void EvaluateProposals(const VerifiedEvent& e);
  // Applies a final, passed outcome's effect; true when it changed a membership.
  bool ApplyEffect(ProposalState& p, const VerifiedEvent& at);

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

  std::map<EventId, ProposalState> proposals_;
  std::set<EventId> open_proposals_;  // not final yet; evaluated in id order
  std::map<OrgKey, AuthorProgress> progress_;
  RemovalCuts input_cuts_;
  RemovalCuts found_cuts_;
  std::map<OrgKey, std::vector<VoidRange>> input_ranges_;     // non-governance records void
  std::map<OrgKey, std::vector<VoidRange>> expelled_ranges_;  // stances stop counting
  const CausalClocks* borrowed_clocks_ = nullptr;
  FrozenAuthors frozen_;
  mutable std::optional<std::array<uint8_t, 32>> hash_;  // Hash() of this state, once asked
  CausalClocks own_clocks_;
};

// The fold of a group's events including the retroactive part of expulsions (DESIGN §3,
// docs/PROTOCOL.md §5): `replay` must apply the group's events, in canonical order, to the
// state it is given. Folds once; if that fold found removal cuts, folds again with them.
// `clocks` as for the GroupState constructor.
GroupState FoldWithRemovalCuts(const GroupId& group, const std::function<void(GroupState&)>& replay,
                               const CausalClocks* clocks = nullptr,
                               const FrozenAuthors& frozen = {});

}  // namespace constellation::core
