// server/core/roster/roster.h
//
// Roster: the group's charter and members, and who may write what (DESIGN §1 membership,
// §3 authority). The bottom layer of the fold: every domain's ledger reads it; it folds the
// charter (genesis) itself, and governance changes it through its mutators (admission,
// notice, withdrawal, expulsion). It also holds the removal cuts the fold was given
// (docs/PROTOCOL.md §5.7): a cut member's non-governance records that its expulsion had not
// seen have no effect.
//
// Invariants: the founder is a member from the genesis; a member's status and its removal or
// notice events agree (kWithdrawn and kExpelled have a removal event, kExpelled an
// expelled_by, kNoticeGiven a notice event).
// Pure. Thread safety: not thread-safe; owned by its GroupState.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string_view>
#include <vector>

#include "constellation/v1/event.pb.h"
#include "server/core/dag.h"
#include "server/core/fold/ledger.h"
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

// One membership of an org, as its own chain records it: from its joined event (the genesis for
// the founder, else an accepted membership_acceptance) to its withdrawal or notice. An org
// that left and was readmitted has one span per membership. Expulsion is not recorded here:
// it is a decision, judged by governance (docs/PROTOCOL.md §5.7, "member in the causal past").
struct MembershipSpan {
  EventId joined_event;
  uint64_t joined_seq = 0;
  v1::Role role = v1::ROLE_UNSPECIFIED;  // as admitted: what an electorate reads
  uint32_t voting_weight = 1;
  std::optional<EventId> withdrawal;
  std::optional<EventId> notice;
  uint64_t notice_effective_ms = 0;
};

// The status of `m` as of `as_of_ms`: kWithdrawn once a notice's effective time has come,
// else m.status (which the fold keeps at kNoticeGiven: the fold reads no clock).
MemberStatus DeriveMemberStatus(const MemberState& m, uint64_t as_of_ms);

// Whether `m` is a member as of `as_of_ms`: active or under notice (DeriveMemberStatus).
bool IsMemberAt(const MemberState& m, uint64_t as_of_ms);

// The retroactive part of an expulsion (DESIGN §3): the expelled member's events with a seq
// above kept_seq_max (those the EXPEL proposal had not seen), up to a readmission, have no
// effect. Keyed by the EXPEL proposal id.
struct RemovalCut {
  OrgKey member;
  uint64_t kept_seq_max = 0;
  friend bool operator==(const RemovalCut&, const RemovalCut&) = default;
};
using RemovalCuts = std::map<EventId, RemovalCut>;

// A range of a member's seqs whose events lose their effect: (after_seq, until_seq).
struct VoidRange {
  EventId expulsion;
  uint64_t after_seq = 0;
  uint64_t until_seq = UINT64_MAX;  // the readmission acceptance's seq, once readmitted

  bool Contains(uint64_t seq) const { return seq > after_seq && seq < until_seq; }
};
using VoidRanges = std::map<OrgKey, std::vector<VoidRange>>;

// Ends `member`'s open ranges at its readmission acceptance `seq` (a range the acceptance is
// inside of is the membership the expulsion ended, not a readmission).
void EndVoidRanges(VoidRanges& ranges, const OrgKey& member, uint64_t seq);

class Roster final : public Ledger {
 public:
  static constexpr Domain kDomain = Domain::kRoster;

  // `cuts`: the removal cuts a previous fold of the same events found.
  explicit Roster(const RemovalCuts& cuts);

  bool has_charter() const { return charter_event_.has_value(); }
  const std::optional<EventId>& charter_event() const { return charter_event_; }
  const v1::Charter& charter() const { return charter_; }
  const OrgKey& founder() const { return founder_; }
  const std::map<OrgKey, MemberState>& members() const { return members_; }
  const MemberState* Find(const OrgKey& key) const;

  // True when `key` is an active member that may write records (not an observer).
  bool IsActiveWriter(const OrgKey& key) const;
  // A member (any role) at an event stamped `hlc`: active, or notice given and not yet run.
  static bool IsMemberAt(const MemberState& m, const Hlc& hlc);
  // IsMemberAt, and not an observer.
  bool IsActiveWriterAt(const OrgKey& key, const Hlc& hlc) const;
  // The membership of `key` that `e` saw (docs/PROTOCOL.md §5.7): the latest span whose joined
  // event happened before `e`, or nullptr. A function of e's causal past alone, so every node
  // finds the same span wherever `e` sorts.
  const MembershipSpan* SpanInPast(const OrgKey& key, const VerifiedEvent& e,
                                   const CausalClocks& clocks) const;
  // The same for a folded event `id` (e.g. the proposal whose electorate saw the span).
  const MembershipSpan* SpanInPast(const OrgKey& key, const EventId& id,
                                   const CausalClocks& clocks) const;
  // The current (latest) membership of `key`, or nullptr when it never joined.
  const MembershipSpan* CurrentSpan(const OrgKey& key) const;
  // Whether `span` had ended by its own chain in `e`'s causal past: its withdrawal happened
  // before `e`, or its notice did and `e` is stamped at or after the notice's effective time.
  static bool LeftInPast(const MembershipSpan& span, const VerifiedEvent& e,
                         const CausalClocks& clocks);

  // Whether `e`'s author may write a record of its kind now. `governance_record`: the record
  // is read by decisions and membership (a removal cut never voids it). `removed_admitted`: the
  // record's ledger admits it although its author was expelled (mutual removals). Codes:
  // kPermissionDenied naming why (not a member, withdrawn, expelled, notice run out, cut by an
  // expulsion, an observer).
  absl::Status CheckAuthor(const VerifiedEvent& e, const GroupId& group, bool governance_record,
                           bool removed_admitted) const;

  // Mutators for governance (DESIGN §1: admission and expulsion by decision, notice and
  // withdrawal by the org itself).
  void Admit(MemberState m);
  void GiveNotice(const OrgKey& key, const EventId& notice, uint64_t effective_ms);
  void Withdraw(const OrgKey& key, const EventId& withdrawal);
  // Records that `key`'s chain withdrew at `withdrawal`, whether or not the withdrawal took
  // effect (an expelled member's does not): its current membership ends there by its own chain
  // (docs/PROTOCOL.md §5.6 "k withdrew", §5.7). No-op for an org without a membership.
  void NoteChainWithdrawal(const OrgKey& key, const EventId& withdrawal);
  // Records that `key`'s chain gave notice at `notice`, effective at `effective_ms`, whether or
  // not the notice took effect; the first notice of a membership counts. No-op for an org
  // without a membership or whose membership already ended by its chain.
  void NoteChainNotice(const OrgKey& key, const EventId& notice, uint64_t effective_ms);
  // Marks `key` expelled by `proposal`, final at `at`. False when it is no longer a member.
  bool Expel(const OrgKey& key, const EventId& proposal, const EventId& at);

  // Ledger: the genesis charter. Non-genesis charter bodies are not folded by this version.
  absl::Status Check(const VerifiedEvent& e, const GroupState& state) const override;
  void Apply(const VerifiedEvent& e, const GroupState& state, Roster& roster) override;
  void HashInto(StateHasher& h) const override;
  void CheckInvariants() const override;
  std::unique_ptr<Ledger> Clone() const override { return std::make_unique<Roster>(*this); }

 private:
  void CheckMemberInvariants(const MemberState& m) const;

  std::optional<EventId> charter_event_;
  v1::Charter charter_;
  OrgKey founder_;
  std::map<OrgKey, MemberState> members_;
  VoidRanges cut_ranges_;  // from the cuts given: non-governance records void
  // Every membership of every org that ever joined, in its chain's order. Derived from the
  // folded membership records (hashed through them), so not hashed itself.
  std::map<OrgKey, std::vector<MembershipSpan>> spans_;
};

}  // namespace constellation::core
