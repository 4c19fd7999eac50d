// server/core/governance/governance_ledger.h
//
// GovernanceLedger: decisions and membership records (DESIGN §1, §3; docs/PROTOCOL.md §5):
// proposals, stances, closes, acknowledgements, and the membership records that decisions
// govern (acceptance of a final admission, notice, withdrawal). It changes the roster:
// admission, notice, withdrawal, and expulsion once an EXPEL outcome is final and passed.
//
// A proposal's rule and electorate are fixed when it is folded (from the charter and the
// members whose membership happened before it, by the causal clocks). Its close, tally and
// outcome are recomputed from its recorded stances and close after every event (AfterEvent),
// so they are functions of the events folded so far; its outcome becomes final once every
// deciding member (and the proposer) holds an event past the close, and is frozen then.
// Effects (admission may be accepted, expulsion) apply from the first event in canonical order
// at which the outcome is final and passed; proposals turning final at one event are handled
// in proposal-id order.
//
// Removals (DESIGN §3, docs/PROTOCOL.md §5.7): a final outcome never changes, so removal cuts
// yield to decisions. An expelled member's decision records (proposals, stances, closes) that
// did not see the event at which its expulsion became final keep their effect, and finality
// waits for its chain to pass a close like any member's (its node keeps acknowledging). The
// expulsion's cut of its other concurrent records (pledges, campaigns, ...) is found here
// (removal_cuts()) and applied by a second fold (FoldWithRemovalCuts, the roster's cut
// ranges).
//
// Invariants: a final outcome is closed and never changes; open_proposals_ holds exactly the
// proposals not final; every found cut names an expelled member.
// Pure. Thread safety: not thread-safe; owned by its GroupState.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <absl/status/statusor.h>

#include "constellation/v1/event.pb.h"
#include "server/core/fold/ledger.h"
#include "server/core/governance/decisions.h"
#include "server/core/roster/roster.h"

namespace constellation::core {

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
  // Query-time only (Outcome with now_ms): not closed by the events, but now_ms is past the
  // deadline; `outcome` is then the provisional result at the deadline.
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

// The profile an ADMIT grants (docs/PROTOCOL.md §5.2): the card's name and endpoints, the
// decided role (partner when unspecified), segment and weight (1 when 0).
v1::MemberProfile AdmittedProfile(const v1::AdmitPayload& admit);

class GovernanceLedger final : public Ledger {
 public:
  static constexpr Domain kDomain = Domain::kGovernance;

  // Stateless validation of this domain's record bodies (server/core/records.h; defined in
  // governance_records.cc): kInvalidArgument naming the field. The registry routes bodies here.
  static absl::Status Validate(const v1::Event& e);

  // Every proposal that took effect, by id.
  const std::map<EventId, ProposalState>& proposals() const { return proposals_; }
  // The removal cuts this fold found (one per expulsion that took effect).
  const RemovalCuts& removal_cuts() const { return found_cuts_; }

  // The outcome of `proposal` as the folded events show it. With `now_ms` (a query time, for
  // read APIs), a proposal not closed by the events but past its deadline by now_ms is shown
  // with past_deadline = true and the provisional result at the deadline. kNotFound when the
  // group has no such proposal.
  absl::StatusOr<ProposalOutcome> Outcome(const GroupState& state, const EventId& proposal,
                                          std::optional<uint64_t> now_ms = std::nullopt) const;

  // The proposals `member` should acknowledge now (DESIGN §3 "automatic acknowledgement"):
  // not final, closed by the events or past their deadline at `now_ms`, `member` is their
  // proposer or a deciding member of their electorate (an expelled member too: finality waits
  // for its chain), and holds no event after the close yet. An event by `member` appended at
  // `now_ms` settles them. Ordered by id; at most limits::kListFieldCountMax.
  std::vector<EventId> AcknowledgementsDue(const GroupState& state, const OrgKey& member,
                                           uint64_t now_ms) const;

  // Whether `key` is a member in `e`'s causal past (docs/PROTOCOL.md §5.7): it has a membership
  // whose joined event happened before `e`, its own chain had not ended it there (withdrawal,
  // notice run out at e's time), and no EXPEL of that membership is final and passed in e's
  // causal past. A function of the events that happened before `e` alone, so every node
  // judges it the same wherever `e` and concurrent events sort (DESIGN §3: a proposal's
  // validity and electorate are fixed by its causal past).
  bool IsMemberInPast(const OrgKey& key, const VerifiedEvent& e, const GroupState& state) const;

  // The proposal `id_bytes` names, when it is of `type` and its outcome is final and passed in
  // `e`'s causal past (docs/PROTOCOL.md §5.7): what a record that executes a decision checks
  // (a fund, a disbursement, a write-off, a campaign opened by decision). Errors: kNotFound (no
  // such proposal), kInvalidArgument (a proposal of another type), kFailedPrecondition (not in
  // e's causal past, not final, not passed, or final only by events e's author had not seen).
  // `field` names the id in messages. A function of e's causal past: every node agrees.
  absl::StatusOr<const ProposalState*> PassedDecisionInPast(const std::string& id_bytes,
                                                            std::string_view field,
                                                            v1::DecisionType type,
                                                            const VerifiedEvent& e,
                                                            const GroupState& state) const;

  // The charter in force for `e` (docs/PROTOCOL.md §5.6, "Charter amendments"): the charter of
  // the AMEND_CHARTER proposal latest by (hlc, id) among those final and passed in `e`'s causal
  // past, or the genesis charter when there is none. What every rule that reads the charter
  // (decision rules at a proposal, notice days, standard rates, member_acts_alone) reads, so a
  // record's verdict never depends on where a concurrent amendment sorts. A function of
  // past(e): every node agrees.
  const v1::Charter& CharterInPast(const VerifiedEvent& e, const GroupState& state) const;

  // The charter in force after every event folded so far (what views show): the charter of the
  // latest (hlc, id) AMEND_CHARTER proposal whose outcome is final and passed, or the genesis
  // charter. `amended_by` (optional) receives that proposal's id, or nullopt for the genesis.
  const v1::Charter& CurrentCharter(const GroupState& state,
                                    std::optional<EventId>* amended_by = nullptr) const;

  // The DISSOLVE proposal, final and passed in `e`'s causal past, that dissolves the group for
  // `e` (the least by (hlc, id) when several are); nullopt when there is none
  // (docs/PROTOCOL.md §5.6, "Dissolution"). A function of past(e): every node agrees.
  std::optional<EventId> DissolvedInPast(const VerifiedEvent& e, const GroupState& state) const;
  // The DISSOLVE proposal, final and passed in the fold, that dissolved the group (the least by
  // (hlc, id)); nullopt while it is not dissolved. What views show.
  std::optional<EventId> DissolvedBy() const;

  // True when `key` is the invitee of a final, passed admission it has not accepted yet (it
  // may fetch the group to accept, docs/PROTOCOL.md §8.6).
  bool IsAdmittedInvitee(const OrgKey& key) const;
  // The invited orgs (docs/PROTOCOL.md §5.2, "Invited"): per invitee, ascending by key, the
  // ADMIT proposal least by (hlc, id) that invites it. Read time only; never hashed.
  std::vector<const ProposalState*> Invitations(const GroupState& state) const;

  absl::Status Check(const VerifiedEvent& e, const GroupState& state) const override;
  // Refuses, once the group is dissolved for `e`, every record that does not settle it.
  absl::Status CheckAnyRecord(const VerifiedEvent& e, const GroupState& state) const override;
  void Apply(const VerifiedEvent& e, const GroupState& state, Roster& roster) override;
  void AfterEvent(const VerifiedEvent& e, const GroupState& state, Roster& roster) override;
  bool AdmitsRemovedAuthor(const VerifiedEvent& e, const GroupState& state) const override;
  void HashInto(StateHasher& h) const override;
  void CheckInvariants() const override;
  std::unique_ptr<Ledger> Clone() const override {
    return std::make_unique<GovernanceLedger>(*this);
  }

 private:
  absl::Status CheckProposal(const VerifiedEvent& e, const GroupState& state) const;
  absl::Status CheckStance(const VerifiedEvent& e, const GroupState& state) const;
  absl::Status CheckClose(const VerifiedEvent& e, const GroupState& state) const;
  absl::Status CheckAcceptance(const VerifiedEvent& e, const GroupState& state) const;
  absl::Status CheckNotice(const VerifiedEvent& e, const GroupState& state) const;
  // The proposal `id_bytes` names, which must be in `e`'s causal past.
  absl::StatusOr<const ProposalState*> ReferencedProposal(const std::string& id_bytes,
                                                          std::string_view field,
                                                          const VerifiedEvent& e,
                                                          const GroupState& state) const;
  absl::StatusOr<Electorate> BuildElectorate(const v1::DecisionRule& rule,
                                             const v1::Proposal& proposal, const VerifiedEvent& e,
                                             const GroupState& state) const;

  void ApplyProposal(const VerifiedEvent& e, const GroupState& state);
  void ApplyAcceptance(const VerifiedEvent& e, Roster& roster);

  // Decisions: derive, finalize, take effect.
  ProposalOutcome Evaluate(const ProposalState& p, const GroupState& state) const;
  // Whether `key` can no longer add a stance to `p` with hlc <= `close`: its chain here has an
  // event past the close, it is frozen by a fork and its events before the fork are folded, or
  // the membership `p` saw ended by its own chain (withdrawal, or notice run out by its latest
  // event), whether or not that record took effect.
  bool Settled(const ProposalState& p, const OrgKey& key, const Hlc& close,
               const GroupState& state) const;
  // Whether `q`'s outcome is final and passed when judged on `e`'s causal past alone: its
  // stances and close that happened before `e`, and for the proposer and every deciding voter
  // an event before `e` past the close (or its own withdrawal, or its notice run out, before
  // `e`). When true, every node's fold shows `q` final and passed with the same close and
  // tally (docs/PROTOCOL.md §5.7).
  bool FinalAndPassedInPast(const ProposalState& q, const VerifiedEvent& e,
                            const GroupState& state) const;
  // Applies a final, passed outcome's effect; true when it changed a membership.
  bool ApplyEffect(ProposalState& p, const VerifiedEvent& at, const GroupState& state,
                   Roster& roster);

  std::map<EventId, ProposalState> proposals_;
  std::set<EventId> open_proposals_;                   // not final yet; evaluated in id order
  std::map<OrgKey, std::vector<EventId>> expulsions_;  // EXPEL proposals by target (an index)
  // AMEND_CHARTER proposals ascending by (hlc, id): the order in which amendments supersede
  // each other (an index).
  std::vector<std::pair<Hlc, EventId>> amendments_;
  // DISSOLVE proposals ascending by (hlc, id) (an index).
  std::vector<std::pair<Hlc, EventId>> dissolutions_;
  RemovalCuts found_cuts_;
};

// Whether a record of this body settles a dissolved group (docs/PROTOCOL.md §5.6,
// "Dissolution"): decisions on what is open and the ALLOCATE_FUNDS / WRITE_OFF decisions that
// pay out or write off what remains, money received or paid out, pledges ended, leaving, fork
// evidence. Every other record has no effect in a dissolved group.
bool SettlesDissolvedGroup(const v1::Event& event);

// The governance ledger of `state` (state.ledger<GovernanceLedger>()).
const GovernanceLedger& Governance(const GroupState& state);

// Whether `key`'s chain can no longer add an event stamped at or before `point`, as far as the
// fold goes (docs/PROTOCOL.md §5.6): the fold holds an event of `key` with hlc > point; `key`
// is frozen by a fork and its events before the fork are folded; or the membership of `key`
// that event `seen_by` saw ended by its own chain (withdrawal, or notice run out by its latest
// event). What finality asks of every voter at a close, and fundraising of every member of a
// campaign's assurance set at its deadline (§5.11.2).
bool ChainSettled(const OrgKey& key, const EventId& seen_by, const Hlc& point,
                  const GroupState& state);
// The same judged on `e`'s causal past alone (its latest event in past(e), its withdrawal or
// notice in past(e)); a fork freeze does not count. A function of past(e): every node agrees.
bool ChainSettledInPast(const OrgKey& key, const EventId& seen_by, const Hlc& point,
                        const VerifiedEvent& e, const GroupState& state);

// Stateless checks of a charter and of a proposal (type, title, the payload its type needs:
// AdmitPayload for ADMIT, ...), kInvalidArgument naming the field (server/core/records.h).
// Rules that need state (is the type allowed, is the invitee a member, the deadline against the
// event's hlc) are GovernanceLedger::Check's.
absl::Status ValidateCharter(const v1::Charter& charter, std::string_view field);
absl::Status ValidateProposal(const v1::Proposal& proposal, std::string_view field);

}  // namespace constellation::core
