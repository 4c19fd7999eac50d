#include "server/core/governance/governance_ledger.h"

#include <algorithm>
#include <functional>
#include <map>
#include <tuple>

#include <absl/strings/str_format.h>

#include "server/base/check.h"
#include "server/base/limits.h"
#include "server/base/status_macros.h"
#include "server/core/fold/group_state.h"
#include "server/core/fold/registry.h"

namespace constellation::core {
namespace {

std::string HlcText(const Hlc& hlc) {
  return absl::StrFormat("(%d, %d)", hlc.wall_ms, hlc.logical);
}

uint64_t WeightOf(uint32_t voting_weight) { return voting_weight == 0 ? 1 : voting_weight; }

// The earliest time a notice written at `e` may take effect under the charter.
uint64_t EarliestNoticeMs(const VerifiedEvent& e, const v1::Charter& charter) {
  return e.hlc.wall_ms + uint64_t{charter.withdrawal_notice_days()} * kDayMs;
}

// When the notice `e` takes effect: its effective_ms, but never before the charter allows.
uint64_t NoticeEffectiveMs(const VerifiedEvent& e, const v1::Charter& charter) {
  return std::max(e.event.membership_notice().effective_ms(), EarliestNoticeMs(e, charter));
}

// Whether `span` had ended by its member's own chain, as far as the events `seen` go: its
// withdrawal is seen, or its notice is seen and `latest` (the hlc of the member's latest seen
// event) is at or after the notice's effective time (docs/PROTOCOL.md §5.6).
bool EndedByOwnChain(const MembershipSpan& span, const std::optional<Hlc>& latest,
                     const std::function<bool(const EventId&)>& seen) {
  if (span.withdrawal.has_value() && seen(*span.withdrawal)) return true;
  return span.notice.has_value() && seen(*span.notice) && latest.has_value() &&
         latest->wall_ms >= span.notice_effective_ms;
}

}  // namespace

const GovernanceLedger& Governance(const GroupState& state) {
  return state.ledger<GovernanceLedger>();
}

// ---------------------------------------------------------------------------------------------
// Check

absl::Status GovernanceLedger::Check(const VerifiedEvent& e, const GroupState& state) const {
  const v1::Event& ev = e.event;
  switch (ev.body_case()) {
    case v1::Event::kProposal:
      return CheckProposal(e, state);
    case v1::Event::kStance:
      return CheckStance(e, state);
    case v1::Event::kProposalClose:
      return CheckClose(e, state);
    case v1::Event::kAcknowledgement:
      for (const std::string& id : ev.acknowledgement().proposal_ids()) {
        CONSTELLATION_RETURN_IF_ERROR(
            ReferencedProposal(id, "acknowledgement.proposal_ids", e, state).status());
      }
      return absl::OkStatus();
    case v1::Event::kMembershipAcceptance:
      return CheckAcceptance(e, state);
    case v1::Event::kMembershipNotice:
      return CheckNotice(e, state);
    case v1::Event::kMembershipWithdrawal:
      return absl::OkStatus();  // always allowed to a member (autonomy); the roster checked it
    default:
      CONSTELLATION_CHECK(false);  // the registry routes only these record types here
      return absl::InternalError("unreachable");
  }
}

bool GovernanceLedger::AdmitsRemovedAuthor(const VerifiedEvent& e, const GroupState& state) const {
  // A final outcome never changes (docs/PROTOCOL.md §5.7), so an expulsion does not reach back
  // into decisions: the expelled member's stances, closes and proposals that did not see the
  // event at which its expulsion became final keep their effect wherever they sort (mutual
  // removals remove both), and its acknowledgements always count, since they only show that
  // its chain has passed a close (finality waits for it).
  const MemberState* m = state.roster().Find(e.author);
  if (m == nullptr || m->status != MemberStatus::kExpelled) return false;
  switch (e.event.body_case()) {
    case v1::Event::kAcknowledgement:
      return true;
    case v1::Event::kStance:
    case v1::Event::kProposalClose:
    case v1::Event::kProposal:
      return IsMemberInPast(e.author, e, state);
    default:
      return false;
  }
}

absl::StatusOr<const ProposalState*> GovernanceLedger::ReferencedProposal(
    const std::string& id_bytes, std::string_view field, const VerifiedEvent& e,
    const GroupState& state) const {
  CONSTELLATION_ASSIGN_OR_RETURN(EventId id, EventId::FromBytes(id_bytes, field));
  auto it = proposals_.find(id);
  if (it == proposals_.end()) {
    return absl::NotFoundError(absl::StrFormat("%s: proposal %s not found in group %s",
                                               std::string(field), id.ShortHex(),
                                               state.group().ShortHex()));
  }
  if (!state.clocks().HappenedBefore(id, e)) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "%s: proposal %s is not in the causal past of event %s; an event may only refer to a "
        "proposal its author had seen (name it in deps)",
        std::string(field), id.ShortHex(), e.id.ShortHex()));
  }
  return &it->second;
}

absl::StatusOr<const ProposalState*> GovernanceLedger::PassedDecisionInPast(
    const std::string& id_bytes, std::string_view field, v1::DecisionType type,
    const VerifiedEvent& e, const GroupState& state) const {
  CONSTELLATION_ASSIGN_OR_RETURN(const ProposalState* p,
                                 ReferencedProposal(id_bytes, field, e, state));
  if (p->type() != type) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: proposal %s is a %s proposal, not %s", std::string(field), p->id.ShortHex(),
        std::string(DecisionTypeName(p->type())), std::string(DecisionTypeName(type))));
  }
  if (!p->outcome.final) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "%s: proposal %s is not final yet (provisional outcome: %s); its effect can be recorded "
        "once every deciding member has an event after its close",
        std::string(field), p->id.ShortHex(),
        std::string(DecisionOutcomeName(p->outcome.outcome))));
  }
  if (p->outcome.outcome != DecisionOutcome::kPassed) {
    return absl::FailedPreconditionError(
        absl::StrFormat("%s: proposal %s did not pass (outcome: %s)", std::string(field),
                        p->id.ShortHex(), std::string(DecisionOutcomeName(p->outcome.outcome))));
  }
  if (!FinalAndPassedInPast(*p, e, state)) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "%s: proposal %s is final, but not in this event's causal past; record it from a node "
        "that holds every event that made it final",
        std::string(field), p->id.ShortHex()));
  }
  return p;
}

absl::StatusOr<Electorate> GovernanceLedger::BuildElectorate(const v1::DecisionRule& rule,
                                                             const v1::Proposal& proposal,
                                                             const VerifiedEvent& e,
                                                             const GroupState& state) const {
  std::optional<OrgKey> excluded;
  if (proposal.decision_type() == v1::DECISION_TYPE_EXPEL) {
    excluded = *OrgKey::FromBytes(proposal.expel().member());
  }
  // A ledger may limit the electorate (a TEAM_LEADS proposal: the team's orgs, §5.4).
  const std::optional<std::vector<OrgKey>> scope = state.ElectorateScope(e);
  Electorate electorate;
  bool anyone_decides = false;
  for (const auto& [key, m] : state.roster().members()) {
    if (scope.has_value() && !std::binary_search(scope->begin(), scope->end(), key)) continue;
    if (!IsMemberInPast(key, e, state)) continue;
    // The membership e saw, with the role and weight it was admitted with.
    const MembershipSpan& span = *state.roster().SpanInPast(key, e, state.clocks());
    if (span.role == v1::ROLE_OBSERVER) continue;
    if (span.role == v1::ROLE_COORDINATOR && !rule.coordinators_vote()) continue;
    if (excluded.has_value() && key == *excluded) continue;  // unanimity of the *others*
    Voter v;
    v.weight = WeightOf(span.voting_weight);
    v.decides = rule.process() != v1::DECISION_PROCESS_LEAD_DECIDES || span.role == v1::ROLE_LEAD;
    anyone_decides = anyone_decides || v.decides;
    electorate.emplace(key, v);
  }
  if (!anyone_decides) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "no member of group %s may decide this %s proposal under its %s rule (no eligible "
        "%s%s)",
        state.group().ShortHex(), std::string(DecisionTypeName(proposal.decision_type())),
        std::string(DecisionProcessName(rule.process())),
        rule.process() == v1::DECISION_PROCESS_LEAD_DECIDES ? "lead" : "member",
        scope.has_value() ? " among the orgs it concerns" : ""));
  }
  return electorate;
}

bool SettlesDissolvedGroup(const v1::Event& event) {
  switch (event.body_case()) {
    case v1::Event::kProposal:
      return event.proposal().decision_type() == v1::DECISION_TYPE_ALLOCATE_FUNDS ||
             event.proposal().decision_type() == v1::DECISION_TYPE_WRITE_OFF;
    case v1::Event::kStance:
    case v1::Event::kProposalClose:
    case v1::Event::kAcknowledgement:
    case v1::Event::kMembershipNotice:
    case v1::Event::kMembershipWithdrawal:
    case v1::Event::kPaymentReceipt:
    case v1::Event::kWriteOff:
    case v1::Event::kPledgeCancellation:
    case v1::Event::kPledgeCondition:
    case v1::Event::kContributionReceipt:
    case v1::Event::kDisbursement:
    case v1::Event::kForkProof:
      return true;
    default:
      return false;
  }
}

absl::Status GovernanceLedger::CheckAnyRecord(const VerifiedEvent& e,
                                              const GroupState& state) const {
  if (dissolutions_.empty() || SettlesDissolvedGroup(e.event)) return absl::OkStatus();
  const std::optional<EventId> dissolved_by = DissolvedInPast(e, state);
  if (!dissolved_by.has_value()) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrFormat(
      "group %s is dissolved (DISSOLVE proposal %s is final and passed): it accepts only the "
      "records that settle it (payments, write-offs, fund receipts and disbursements, "
      "ALLOCATE_FUNDS and WRITE_OFF decisions, stances, acknowledgements, leaving); this %s is "
      "not one",
      state.group().ShortHex(), dissolved_by->ShortHex(),
      std::string(RecordName(e.event.body_case()))));
}

absl::Status GovernanceLedger::CheckProposal(const VerifiedEvent& e,
                                             const GroupState& state) const {
  const v1::Proposal& p = e.event.proposal();
  CONSTELLATION_ASSIGN_OR_RETURN(ResolvedRule resolved,
                                 ResolveDecisionRule(CharterInPast(e, state), p.decision_type()));
  if (p.deadline_ms() != 0 && (p.deadline_ms() <= e.hlc.wall_ms ||
                               p.deadline_ms() - e.hlc.wall_ms > limits::kVotingWindowMsMax)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "proposal.deadline_ms %d must be after the proposal's hlc.wall_ms %d and at most "
        "kVotingWindowMsMax (%d ms) after it",
        p.deadline_ms(), e.hlc.wall_ms, limits::kVotingWindowMsMax));
  }
  if (p.decision_type() == v1::DECISION_TYPE_ADMIT) {
    const OrgKey invitee = *OrgKey::FromBytes(p.admit().card().key());
    if (IsMemberInPast(invitee, e, state)) {
      return absl::AlreadyExistsError(absl::StrFormat(
          "org %s is already a member of group %s", invitee.ShortHex(), state.group().ShortHex()));
    }
  }
  if (p.decision_type() == v1::DECISION_TYPE_EXPEL) {
    const OrgKey target = *OrgKey::FromBytes(p.expel().member());
    if (target == e.author) {
      return absl::InvalidArgumentError(
          "proposal.expel.member is the proposer; to leave, give notice or withdraw");
    }
    if (state.roster().SpanInPast(target, e, state.clocks()) == nullptr) {
      return absl::NotFoundError(
          absl::StrFormat("proposal.expel.member: org %s is not a member of group %s",
                          target.ShortHex(), state.group().ShortHex()));
    }
    if (!IsMemberInPast(target, e, state)) {
      return absl::FailedPreconditionError(absl::StrFormat(
          "proposal.expel.member: org %s is no longer a member of group %s (it left or was "
          "expelled before this proposal)",
          target.ShortHex(), state.group().ShortHex()));
    }
  }
  return BuildElectorate(resolved.rule, p, e, state).status();
}

absl::Status GovernanceLedger::CheckStance(const VerifiedEvent& e, const GroupState& state) const {
  CONSTELLATION_ASSIGN_OR_RETURN(
      const ProposalState* p,
      ReferencedProposal(e.event.stance().proposal_id(), "stance.proposal_id", e, state));
  if (!p->electorate.contains(e.author)) {
    return absl::PermissionDeniedError(absl::StrFormat(
        "org %s is not in the electorate of proposal %s (fixed when it was proposed)",
        e.author.ShortHex(), p->id.ShortHex()));
  }
  // The electorate holds memberships, not keys: a member that left and was readmitted does
  // not vote again on what was proposed before (DESIGN §3).
  const MembershipSpan* span = state.roster().SpanInPast(e.author, e, state.clocks());
  if (span == nullptr || !state.clocks().HappenedBefore(span->joined_event, p->id)) {
    return absl::PermissionDeniedError(absl::StrFormat(
        "org %s rejoined group %s after proposal %s was made; its new membership is not in "
        "that proposal's electorate",
        e.author.ShortHex(), state.group().ShortHex(), p->id.ShortHex()));
  }
  if (p->outcome.final || p->outcome.close.hlc < e.hlc) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "proposal %s is closed (%s at hlc %s); a stance stamped %s comes after the close",
        p->id.ShortHex(), std::string(CloseReasonName(p->outcome.close.reason)),
        HlcText(p->outcome.close.hlc), HlcText(e.hlc)));
  }
  return absl::OkStatus();
}

absl::Status GovernanceLedger::CheckClose(const VerifiedEvent& e, const GroupState& state) const {
  CONSTELLATION_ASSIGN_OR_RETURN(const ProposalState* p,
                                 ReferencedProposal(e.event.proposal_close().proposal_id(),
                                                    "proposal_close.proposal_id", e, state));
  if (p->proposer != e.author) {
    return absl::PermissionDeniedError(
        absl::StrFormat("only the proposer (org %s) may close proposal %s", p->proposer.ShortHex(),
                        p->id.ShortHex()));
  }
  // Like a stance (CheckStance): a proposer that left and was readmitted does not act on what
  // its earlier membership proposed, so that membership's withdrawal or notice settles it
  // (Settled).
  const MembershipSpan* span = state.roster().SpanInPast(e.author, e, state.clocks());
  if (span == nullptr || !state.clocks().HappenedBefore(span->joined_event, p->id)) {
    return absl::PermissionDeniedError(absl::StrFormat(
        "org %s rejoined group %s after proposing %s; its new membership cannot close it",
        e.author.ShortHex(), state.group().ShortHex(), p->id.ShortHex()));
  }
  if (p->close_event.has_value() || p->outcome.final || p->outcome.close.hlc < e.hlc) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "proposal %s is already closed (%s at hlc %s)", p->id.ShortHex(),
        std::string(CloseReasonName(p->outcome.close.reason)), HlcText(p->outcome.close.hlc)));
  }
  return absl::OkStatus();
}

absl::Status GovernanceLedger::CheckAcceptance(const VerifiedEvent& e,
                                               const GroupState& state) const {
  const v1::MembershipAcceptance& a = e.event.membership_acceptance();
  CONSTELLATION_ASSIGN_OR_RETURN(
      const ProposalState* p,
      ReferencedProposal(a.proposal_id(), "membership_acceptance.proposal_id", e, state));
  if (p->type() != v1::DECISION_TYPE_ADMIT) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "membership_acceptance.proposal_id: proposal %s is a %s proposal, not an admission",
        p->id.ShortHex(), std::string(DecisionTypeName(p->type()))));
  }
  if (*p->target != e.author) {
    return absl::PermissionDeniedError(
        absl::StrFormat("only the invitee (org %s) may accept admission proposal %s",
                        p->target->ShortHex(), p->id.ShortHex()));
  }
  if (IsMemberInPast(e.author, e, state)) {
    return absl::AlreadyExistsError(absl::StrFormat("org %s is already a member of group %s",
                                                    e.author.ShortHex(), state.group().ShortHex()));
  }
  if (!p->outcome.final) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "admission proposal %s is not final yet (provisional outcome: %s); accept once every "
        "deciding member has an event after its close",
        p->id.ShortHex(), std::string(DecisionOutcomeName(p->outcome.outcome))));
  }
  if (p->outcome.outcome != DecisionOutcome::kPassed) {
    return absl::FailedPreconditionError(
        absl::StrFormat("admission proposal %s did not pass (outcome: %s)", p->id.ShortHex(),
                        std::string(DecisionOutcomeName(p->outcome.outcome))));
  }
  if (p->acceptance.has_value()) {
    return absl::AlreadyExistsError(
        absl::StrFormat("admission proposal %s was already accepted (event %s)", p->id.ShortHex(),
                        p->acceptance->ShortHex()));
  }
  // Which memberships exist must not depend on where the acceptance sorts: the admission is
  // final and passed in the acceptance's own causal past (docs/PROTOCOL.md §5.2).
  if (!FinalAndPassedInPast(*p, e, state)) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "admission proposal %s is final, but not in this acceptance's causal past; accept from a "
        "node that holds every event that made it final",
        p->id.ShortHex()));
  }
  // A removal beats a concurrent re-add (DESIGN §3): a readmission must have seen the earlier
  // membership, whose end it then saw too (the ADMIT was refused were the invitee a member in
  // its causal past).
  const MembershipSpan* before = state.roster().SpanInPast(e.author, e, state.clocks());
  if (before != nullptr && !state.clocks().HappenedBefore(before->joined_event, p->id)) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "org %s was a member of group %s (joined at event %s) concurrently with admission "
        "proposal %s; a removal beats a concurrent re-add: propose the admission again",
        e.author.ShortHex(), state.group().ShortHex(), before->joined_event.ShortHex(),
        p->id.ShortHex()));
  }
  return absl::OkStatus();
}

absl::Status GovernanceLedger::CheckNotice(const VerifiedEvent& e, const GroupState& state) const {
  const MemberState& m = state.roster().members().at(e.author);
  if (m.status == MemberStatus::kNoticeGiven) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "org %s already gave notice (event %s) effective at %d ms; to leave earlier, withdraw",
        e.author.ShortHex(), m.notice_event->ShortHex(), m.notice_effective_ms));
  }
  const v1::Charter& charter = CharterInPast(e, state);
  const uint64_t earliest_ms = EarliestNoticeMs(e, charter);
  const uint64_t effective_ms = e.event.membership_notice().effective_ms();
  if (effective_ms != 0 && effective_ms < earliest_ms) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "membership_notice.effective_ms %d is earlier than the charter's notice of %d days "
        "from this event allows (%d); use 0 for the earliest date, or withdraw to leave now",
        effective_ms, charter.withdrawal_notice_days(), earliest_ms));
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------------------------
// Apply

void GovernanceLedger::Apply(const VerifiedEvent& e, const GroupState& state, Roster& roster) {
  const v1::Event& ev = e.event;
  switch (ev.body_case()) {
    case v1::Event::kProposal:
      ApplyProposal(e, state);
      return;
    case v1::Event::kStance: {
      const v1::Stance& s = ev.stance();
      ProposalState& p = proposals_.at(*EventId::FromBytes(s.proposal_id()));
      p.stances.push_back(CastStance{e.id, e.author, e.seq, e.hlc, s.choice(), s.reason()});
      return;
    }
    case v1::Event::kProposalClose: {
      ProposalState& p = proposals_.at(*EventId::FromBytes(ev.proposal_close().proposal_id()));
      p.close_event = e.id;
      p.close_event_hlc = e.hlc;
      return;
    }
    case v1::Event::kAcknowledgement:
      return;  // its effect is its hlc: it carries its author past the close (finality)
    case v1::Event::kMembershipAcceptance:
      ApplyAcceptance(e, roster);
      return;
    case v1::Event::kMembershipNotice:
      roster.GiveNotice(e.author, e.id, NoticeEffectiveMs(e, CharterInPast(e, state)));
      return;
    case v1::Event::kMembershipWithdrawal:
      roster.Withdraw(e.author, e.id);
      return;
    default:
      CONSTELLATION_CHECK(false);
  }
}

void GovernanceLedger::ApplyProposal(const VerifiedEvent& e, const GroupState& state) {
  const v1::Proposal& body = e.event.proposal();
  ResolvedRule resolved = *ResolveDecisionRule(CharterInPast(e, state), body.decision_type());
  ProposalState p;
  p.id = e.id;
  p.proposer = e.author;
  p.proposer_seq = e.seq;
  p.hlc = e.hlc;
  p.proposal = body;
  p.rule = resolved.rule;
  p.rule_from_charter = resolved.from_charter;
  p.deadline_ms = body.deadline_ms() != 0 ? body.deadline_ms()
                                          : e.hlc.wall_ms + resolved.rule.voting_window_ms();
  p.electorate = *BuildElectorate(resolved.rule, body, e, state);
  if (body.has_admit()) p.target = *OrgKey::FromBytes(body.admit().card().key());
  if (body.has_expel()) p.target = *OrgKey::FromBytes(body.expel().member());
  if (p.type() == v1::DECISION_TYPE_EXPEL) expulsions_[*p.target].push_back(e.id);
  if (p.type() == v1::DECISION_TYPE_AMEND_CHARTER || p.type() == v1::DECISION_TYPE_DISSOLVE) {
    std::vector<std::pair<Hlc, EventId>>& index =
        p.type() == v1::DECISION_TYPE_DISSOLVE ? dissolutions_ : amendments_;
    const std::pair<Hlc, EventId> key{e.hlc, e.id};
    index.insert(std::upper_bound(index.begin(), index.end(), key), key);
  }
  p.outcome = Evaluate(p, state);
  open_proposals_.insert(e.id);
  proposals_.emplace(e.id, std::move(p));
}

void GovernanceLedger::ApplyAcceptance(const VerifiedEvent& e, Roster& roster) {
  const v1::MembershipAcceptance& a = e.event.membership_acceptance();
  ProposalState& p = proposals_.at(*EventId::FromBytes(a.proposal_id()));
  p.acceptance = e.id;
  const v1::AdmitPayload& admit = p.proposal.admit();
  MemberState m;
  m.key = e.author;
  // Role, segment and weight are what the members decided, not what the invitee says; name and
  // endpoints are the invitee's to say, and the org card fills what it leaves out.
  m.profile = AdmittedProfile(admit);
  if (!a.profile().name().empty()) m.profile.set_name(a.profile().name());
  if (a.profile().endpoints_size() > 0) *m.profile.mutable_endpoints() = a.profile().endpoints();
  m.profile_event = e.id;
  m.joined_event = e.id;
  m.joined_seq = e.seq;
  m.admitted_by = p.id;
  roster.Admit(std::move(m));  // a readmission ends the cut ranges of an earlier expulsion
}

// ---------------------------------------------------------------------------------------------
// Decisions: derive, finalize, take effect.

bool GovernanceLedger::Settled(const ProposalState& p, const OrgKey& key, const Hlc& close,
                               const GroupState& state) const {
  return ChainSettled(key, p.id, close, state);
}

bool ChainSettled(const OrgKey& key, const EventId& seen_by, const Hlc& point,
                  const GroupState& state) {
  const AuthorProgress* progress = state.Progress(key);
  if (progress != nullptr && point < progress->hlc) return true;
  // A member frozen by a fork (DESIGN §2): none of its events from the fork seq on take effect,
  // so once those before it are folded (chains are contiguous) its stances are all known.
  if (std::optional<uint64_t> frozen = state.FrozenFrom(key); frozen.has_value()) {
    const uint64_t folded_seq = progress == nullptr ? 0 : progress->seq;
    if (folded_seq + 1 >= *frozen) return true;
  }
  // The membership `seen_by` saw, ended by the member's own chain (withdrawal, notice run out):
  // its later events have no effect on it. Judged on that membership, whatever the member's
  // status is now (expelled, readmitted): an expulsion is not the member's own record, and
  // events of its chain that did not see it may still arrive and count (AdmitsRemovedAuthor),
  // so finality waits for the chain like any other (docs/PROTOCOL.md §5.7).
  const MembershipSpan* span = state.roster().SpanInPast(key, seen_by, state.clocks());
  if (span == nullptr) return false;
  std::optional<Hlc> latest;
  if (progress != nullptr) latest = progress->hlc;
  return EndedByOwnChain(*span, latest, [](const EventId&) { return true; });
}

bool ChainSettledInPast(const OrgKey& key, const EventId& seen_by, const Hlc& point,
                        const VerifiedEvent& e, const GroupState& state) {
  const std::optional<Hlc> latest = state.LatestHlcInPast(key, e);
  if (latest.has_value() && point < *latest) return true;
  const CausalClocks& clocks = state.clocks();
  const MembershipSpan* span = state.roster().SpanInPast(key, seen_by, clocks);
  return span != nullptr &&
         EndedByOwnChain(*span, latest,
                         [&](const EventId& id) { return clocks.HappenedBefore(id, e); });
}

bool GovernanceLedger::IsMemberInPast(const OrgKey& key, const VerifiedEvent& e,
                                      const GroupState& state) const {
  const CausalClocks& clocks = state.clocks();
  const MembershipSpan* span = state.roster().SpanInPast(key, e, clocks);
  if (span == nullptr || Roster::LeftInPast(*span, e, clocks)) return false;
  auto expulsions = expulsions_.find(key);
  if (expulsions == expulsions_.end()) return true;
  for (const EventId& id : expulsions->second) {
    // An expulsion ends the membership it was proposed against (its joined event → the EXPEL).
    const ProposalState& q = proposals_.at(id);
    if (clocks.HappenedBefore(span->joined_event, q.id) && FinalAndPassedInPast(q, e, state)) {
      return false;
    }
  }
  return true;
}

bool GovernanceLedger::FinalAndPassedInPast(const ProposalState& q, const VerifiedEvent& e,
                                            const GroupState& state) const {
  const CausalClocks& clocks = state.clocks();
  if (!clocks.HappenedBefore(q.id, e)) return false;
  std::vector<CastStance> stances;
  for (const CastStance& stance : q.stances) {
    if (clocks.HappenedBefore(stance.event, e)) stances.push_back(stance);
  }
  std::optional<Hlc> proposer_close;
  if (q.close_event.has_value() && clocks.HappenedBefore(*q.close_event, e)) {
    proposer_close = q.close_event_hlc;
  }
  const ClosePoint close = ComputeClose(q.deadline_ms, proposer_close, q.electorate, stances);
  auto past_close = [&](const OrgKey& key) {
    std::optional<Hlc> latest = state.LatestHlcInPast(key, e);
    return latest.has_value() && close.hlc < *latest;
  };
  bool closed = close.reason != CloseReason::kDeadline || past_close(q.proposer);
  for (const auto& [key, voter] : q.electorate) closed = closed || past_close(key);
  if (!closed) return false;
  // Settled in e's causal past: the same conditions as Settled, each a statement of the
  // member's own chain before `e` (a fork freeze is not one: it is not used here).
  auto settled = [&](const OrgKey& key) {
    return ChainSettledInPast(key, q.id, close.hlc, e, state);
  };
  if (!settled(q.proposer)) return false;
  for (const auto& [key, voter] : q.electorate) {
    if (voter.decides && !settled(key)) return false;
  }
  return Decide(q.rule, CountStances(q.rule, q.electorate, stances, close.hlc)) ==
         DecisionOutcome::kPassed;
}

ProposalOutcome GovernanceLedger::Evaluate(const ProposalState& p, const GroupState& state) const {
  const std::vector<CastStance>& stances = p.stances;
  ProposalOutcome out;
  std::optional<Hlc> proposer_close;
  if (p.close_event.has_value()) proposer_close = p.close_event_hlc;
  out.close = ComputeClose(p.deadline_ms, proposer_close, p.electorate, stances);
  out.tally = CountStances(p.rule, p.electorate, stances, out.close.hlc);
  out.closed = out.close.reason != CloseReason::kDeadline;
  auto past_close = [&](const OrgKey& key) {
    const AuthorProgress* progress = state.Progress(key);
    return progress != nullptr && out.close.hlc < progress->hlc;
  };
  if (!out.closed) {
    out.closed = past_close(p.proposer);
    for (const auto& [key, voter] : p.electorate) out.closed = out.closed || past_close(key);
  }
  if (!out.closed) return out;
  out.outcome = Decide(p.rule, out.tally);
  out.final = Settled(p, p.proposer, out.close.hlc, state);
  for (const auto& [key, voter] : p.electorate) {
    if (voter.decides) out.final = out.final && Settled(p, key, out.close.hlc, state);
  }
  return out;
}

void GovernanceLedger::AfterEvent(const VerifiedEvent& e, const GroupState& state, Roster& roster) {
  // A withdrawal ends its author's chain as a member whether or not it took effect (an
  // expelled member's does not): finality and "member in the causal past" read the chain.
  if (e.event.body_case() == v1::Event::kMembershipWithdrawal) {
    roster.NoteChainWithdrawal(e.author, e.id);
  }
  if (e.event.body_case() == v1::Event::kMembershipNotice) {
    roster.NoteChainNotice(e.author, e.id, NoticeEffectiveMs(e, CharterInPast(e, state)));
  }
  // Re-derive the proposals this event may affect (its author votes or proposed), all of them
  // after a membership changed; repeat while finality changes memberships.
  bool everything = false;
  for (bool again = true; again;) {
    again = false;
    for (auto it = open_proposals_.begin(); it != open_proposals_.end();) {
      ProposalState& p = proposals_.at(*it);
      if (!everything && p.proposer != e.author && !p.electorate.contains(e.author)) {
        ++it;
        continue;
      }
      p.outcome = Evaluate(p, state);
      if (!p.outcome.final) {
        ++it;
        continue;
      }
      CONSTELLATION_CHECK(p.outcome.closed && p.outcome.outcome != DecisionOutcome::kOpen);
      p.outcome.final_at = e.id;
      it = open_proposals_.erase(it);
      if (p.outcome.outcome == DecisionOutcome::kPassed && ApplyEffect(p, e, state, roster)) {
        everything = true;
        again = true;
      }
    }
  }
}

bool GovernanceLedger::ApplyEffect(ProposalState& p, const VerifiedEvent& at,
                                   const GroupState& state, Roster& roster) {
  switch (p.type()) {
    case v1::DECISION_TYPE_ADMIT:
      p.effect_applied = true;  // the invitee may now accept
      return false;
    case v1::DECISION_TYPE_EXPEL: {
      // An expulsion ends the membership it was proposed against, not a later one.
      const MembershipSpan* current = roster.CurrentSpan(*p.target);
      if (current == nullptr || !state.clocks().HappenedBefore(current->joined_event, p.id)) {
        return false;
      }
      if (!roster.Expel(*p.target, p.id, at.id)) return false;  // already gone
      const uint64_t kept = state.clocks().SeqInPast(*p.target, p.id);
      found_cuts_[p.id] = RemovalCut{*p.target, kept};
      p.effect_applied = true;
      return true;
    }
    default:
      return false;  // recorded only; effects of the other types belong to later versions
  }
}

// ---------------------------------------------------------------------------------------------
// Queries

absl::StatusOr<ProposalOutcome> GovernanceLedger::Outcome(const GroupState& state,
                                                          const EventId& proposal,
                                                          std::optional<uint64_t> now_ms) const {
  auto it = proposals_.find(proposal);
  if (it == proposals_.end()) {
    return absl::NotFoundError(absl::StrFormat("proposal %s not found in group %s",
                                               proposal.ShortHex(), state.group().ShortHex()));
  }
  const ProposalState& p = it->second;
  ProposalOutcome out = p.outcome;
  if (!out.closed && now_ms.has_value() && *now_ms >= p.deadline_ms) {
    out.past_deadline = true;
    out.tally = CountStances(p.rule, p.electorate, p.stances, out.close.hlc);
    out.outcome = Decide(p.rule, out.tally);
  }
  return out;
}

const v1::Charter& GovernanceLedger::CharterInPast(const VerifiedEvent& e,
                                                   const GroupState& state) const {
  for (auto it = amendments_.rbegin(); it != amendments_.rend(); ++it) {
    const ProposalState& q = proposals_.at(it->second);
    if (FinalAndPassedInPast(q, e, state)) return q.proposal.charter();
  }
  return state.roster().charter();
}

const v1::Charter& GovernanceLedger::CurrentCharter(const GroupState& state,
                                                    std::optional<EventId>* amended_by) const {
  for (auto it = amendments_.rbegin(); it != amendments_.rend(); ++it) {
    const ProposalState& q = proposals_.at(it->second);
    if (q.outcome.final && q.outcome.outcome == DecisionOutcome::kPassed) {
      if (amended_by != nullptr) *amended_by = q.id;
      return q.proposal.charter();
    }
  }
  if (amended_by != nullptr) *amended_by = std::nullopt;
  return state.roster().charter();
}

std::optional<EventId> GovernanceLedger::DissolvedInPast(const VerifiedEvent& e,
                                                         const GroupState& state) const {
  for (const auto& [hlc, id] : dissolutions_) {
    if (FinalAndPassedInPast(proposals_.at(id), e, state)) return id;
  }
  return std::nullopt;
}

std::optional<EventId> GovernanceLedger::DissolvedBy() const {
  for (const auto& [hlc, id] : dissolutions_) {
    const ProposalOutcome& o = proposals_.at(id).outcome;
    if (o.final && o.outcome == DecisionOutcome::kPassed) return id;
  }
  return std::nullopt;
}

bool GovernanceLedger::IsAdmittedInvitee(const OrgKey& key) const {
  for (const auto& [id, p] : proposals_) {
    if (p.type() == v1::DECISION_TYPE_ADMIT && p.target == key && p.effect_applied &&
        !p.acceptance.has_value()) {
      return true;
    }
  }
  return false;
}

v1::MemberProfile AdmittedProfile(const v1::AdmitPayload& admit) {
  v1::MemberProfile profile;
  profile.set_name(admit.card().name());
  *profile.mutable_endpoints() = admit.card().endpoints();
  profile.set_role(admit.role() == v1::ROLE_UNSPECIFIED ? v1::ROLE_PARTNER : admit.role());
  profile.set_segment(admit.segment());
  profile.set_voting_weight(static_cast<uint32_t>(WeightOf(admit.voting_weight())));
  return profile;
}

std::vector<const ProposalState*> GovernanceLedger::Invitations(const GroupState& state) const {
  std::map<OrgKey, const ProposalState*> invited;
  for (const auto& [id, p] : proposals_) {
    if (p.type() != v1::DECISION_TYPE_ADMIT || !p.effect_applied || p.acceptance.has_value()) {
      continue;
    }
    // A membership the admission did not see beats it (§5.2 step 3): it can never be accepted.
    const MemberState* m = state.roster().Find(*p.target);
    if (m != nullptr && !state.HappenedBefore(m->joined_event, id)) continue;
    auto [it, inserted] = invited.emplace(*p.target, &p);
    if (!inserted && std::tie(p.hlc, p.id) < std::tie(it->second->hlc, it->second->id)) {
      it->second = &p;
    }
  }
  std::vector<const ProposalState*> out;
  for (const auto& [key, p] : invited) out.push_back(p);
  return out;
}

std::vector<EventId> GovernanceLedger::AcknowledgementsDue(const GroupState& state,
                                                           const OrgKey& member,
                                                           uint64_t now_ms) const {
  std::vector<EventId> due;
  // An expelled member acknowledges too: finality waits for its chain (Settled).
  const MemberState* m = state.roster().Find(member);
  if (m == nullptr || state.roster().CurrentSpan(member)->withdrawal.has_value()) return due;
  const EventId& joined = state.roster().CurrentSpan(member)->joined_event;
  const AuthorProgress* progress = state.Progress(member);
  for (const EventId& id : open_proposals_) {
    const ProposalState& p = proposals_.at(id);
    auto voter = p.electorate.find(member);
    const bool concerned =
        p.proposer == member || (voter != p.electorate.end() && voter->second.decides);
    if (!concerned || p.outcome.final) continue;
    if (!p.outcome.closed && now_ms < p.deadline_ms) continue;
    if (!state.HappenedBefore(joined, id)) {
      // Readmitted since `p`: the membership p saw ended by the member's own chain, which
      // settles it for finality, but a deadline closes p only once its proposer or a deciding
      // voter writes past it (docs/PROTOCOL.md §5.6), and the others may all be gone. Its new
      // chain passes the close (soak seed 200058 at 1500 steps stalled without it).
      if (progress != nullptr && p.outcome.close.hlc < progress->hlc) continue;
    } else if (Settled(p, member, p.outcome.close.hlc, state)) {
      continue;
    }
    due.push_back(id);
    if (due.size() == limits::kListFieldCountMax) break;
  }
  return due;
}

// ---------------------------------------------------------------------------------------------
// Hash and invariants

void GovernanceLedger::HashInto(StateHasher& h) const {
  h.U64(proposals_.size());
  for (const auto& [id, p] : proposals_) {
    h.Id(id);
    h.U64(static_cast<uint64_t>(p.rule.process()));
    h.U64(p.deadline_ms);
    h.U64(p.electorate.size());
    for (const auto& [key, voter] : p.electorate) {
      h.Id(key);
      h.U64(voter.weight);
      h.Bool(voter.decides);
    }
    h.U64(p.stances.size());
    for (const CastStance& stance : p.stances) h.Id(stance.event);
    h.OptionalId(p.close_event);
    const ProposalOutcome& o = p.outcome;
    h.U64(static_cast<uint64_t>(o.outcome));
    h.Bool(o.closed);
    h.Bool(o.final);
    h.Stamp(o.close.hlc);
    h.U64(static_cast<uint64_t>(o.close.reason));
    h.U64(o.tally.stance_weight);
    h.U64(o.tally.agree_weight);
    h.U64(o.tally.disagree_weight);
    h.U64(o.tally.block_weight);
    h.OptionalId(o.final_at);
    h.Bool(p.effect_applied);
    h.OptionalId(p.acceptance);
  }
  h.U64(found_cuts_.size());
  for (const auto& [id, cut] : found_cuts_) {
    h.Id(id);
    h.Id(cut.member);
    h.U64(cut.kept_seq_max);
  }
}

void GovernanceLedger::CheckInvariants() const {
  for (const auto& [id, p] : proposals_) {
    CONSTELLATION_CHECK(p.id == id);
    CONSTELLATION_CHECK(p.outcome.final != open_proposals_.contains(id));
    if (p.outcome.final) CONSTELLATION_CHECK(p.outcome.closed && p.outcome.final_at.has_value());
    CONSTELLATION_CHECK(!p.acceptance.has_value() || p.effect_applied);
  }
  for (const EventId& id : open_proposals_) CONSTELLATION_CHECK(proposals_.contains(id));
  for (const auto& [id, cut] : found_cuts_) {
    const ProposalState& x = proposals_.at(id);
    CONSTELLATION_CHECK(x.type() == v1::DECISION_TYPE_EXPEL && x.effect_applied);
    CONSTELLATION_CHECK(x.target.has_value() && *x.target == cut.member);
  }
}

}  // namespace constellation::core
