#include "server/core/roster/roster.h"

#include <absl/strings/str_format.h>

#include "server/base/check.h"
#include "server/base/enum_names.h"
#include "server/core/fold/registry.h"

namespace constellation::core {

std::string_view MemberStatusName(MemberStatus status) {
  static constexpr std::string_view kNames[] = {"active", "notice_given", "withdrawn", "expelled"};
  return EnumName(status, kNames);
}

MemberStatus DeriveMemberStatus(const MemberState& m, uint64_t as_of_ms) {
  if (m.status == MemberStatus::kNoticeGiven && as_of_ms >= m.notice_effective_ms) {
    return MemberStatus::kWithdrawn;
  }
  return m.status;
}

bool IsMemberAt(const MemberState& m, uint64_t as_of_ms) {
  const MemberStatus status = DeriveMemberStatus(m, as_of_ms);
  return status == MemberStatus::kActive || status == MemberStatus::kNoticeGiven;
}

void EndVoidRanges(VoidRanges& ranges, const OrgKey& member, uint64_t seq) {
  auto it = ranges.find(member);
  if (it == ranges.end()) return;
  for (VoidRange& r : it->second) {
    if (seq > r.after_seq) r.until_seq = std::min(r.until_seq, seq);
  }
}

Roster::Roster(const RemovalCuts& cuts) {
  for (const auto& [expulsion, cut] : cuts) {
    cut_ranges_[cut.member].push_back(VoidRange{expulsion, cut.kept_seq_max, UINT64_MAX});
  }
}

const MemberState* Roster::Find(const OrgKey& key) const {
  auto it = members_.find(key);
  return it == members_.end() ? nullptr : &it->second;
}

bool Roster::IsActiveWriter(const OrgKey& key) const {
  const MemberState* m = Find(key);
  return m != nullptr &&
         (m->status == MemberStatus::kActive || m->status == MemberStatus::kNoticeGiven) &&
         m->profile.role() != v1::ROLE_OBSERVER;
}

bool Roster::IsMemberAt(const MemberState& m, const Hlc& hlc) {
  if (m.status == MemberStatus::kActive) return true;
  return m.status == MemberStatus::kNoticeGiven && hlc.wall_ms < m.notice_effective_ms;
}

bool Roster::IsActiveWriterAt(const OrgKey& key, const Hlc& hlc) const {
  const MemberState* m = Find(key);
  return m != nullptr && IsMemberAt(*m, hlc) && m->profile.role() != v1::ROLE_OBSERVER;
}

namespace {

// The latest of `spans` whose joined event happened before `e` (an id or an event). Spans follow
// one chain: when a later span's joined event happened before `e`, so did every earlier one's,
// so the first hit from the back is the latest.
template <typename Event>
const MembershipSpan* LatestSpanBefore(const std::vector<MembershipSpan>& spans, const Event& e,
                                       const CausalClocks& clocks) {
  for (auto span = spans.rbegin(); span != spans.rend(); ++span) {
    if (clocks.HappenedBefore(span->joined_event, e)) return &*span;
  }
  return nullptr;
}

}  // namespace

const MembershipSpan* Roster::SpanInPast(const OrgKey& key, const VerifiedEvent& e,
                                         const CausalClocks& clocks) const {
  auto it = spans_.find(key);
  return it == spans_.end() ? nullptr : LatestSpanBefore(it->second, e, clocks);
}

const MembershipSpan* Roster::SpanInPast(const OrgKey& key, const EventId& id,
                                         const CausalClocks& clocks) const {
  auto it = spans_.find(key);
  return it == spans_.end() ? nullptr : LatestSpanBefore(it->second, id, clocks);
}

const MembershipSpan* Roster::CurrentSpan(const OrgKey& key) const {
  auto it = spans_.find(key);
  return it == spans_.end() || it->second.empty() ? nullptr : &it->second.back();
}

bool Roster::LeftInPast(const MembershipSpan& span, const VerifiedEvent& e,
                        const CausalClocks& clocks) {
  if (span.withdrawal.has_value() && clocks.HappenedBefore(*span.withdrawal, e)) return true;
  return span.notice.has_value() && clocks.HappenedBefore(*span.notice, e) &&
         e.hlc.wall_ms >= span.notice_effective_ms;
}

absl::Status Roster::CheckAuthor(const VerifiedEvent& e, const GroupId& group,
                                 bool governance_record, bool removed_admitted) const {
  const v1::Event::BodyCase body = e.event.body_case();
  // The invitee is not a member yet: governance checks the acceptance.
  if (body == v1::Event::kMembershipAcceptance) return absl::OkStatus();
  const MemberState* m = Find(e.author);
  if (m == nullptr) {
    return absl::PermissionDeniedError(
        absl::StrFormat("org %s is not an active member of group %s that may write records",
                        e.author.ShortHex(), group.ShortHex()));
  }
  if (m->status == MemberStatus::kExpelled && removed_admitted) return absl::OkStatus();
  if (m->status == MemberStatus::kWithdrawn) {
    return absl::PermissionDeniedError(
        absl::StrFormat("org %s withdrew from group %s (event %s); its later events have no effect",
                        e.author.ShortHex(), group.ShortHex(), m->removal_event->ShortHex()));
  }
  if (m->status == MemberStatus::kExpelled) {
    return absl::PermissionDeniedError(absl::StrFormat(
        "org %s was expelled from group %s by proposal %s; its later events have no effect",
        e.author.ShortHex(), group.ShortHex(), m->expelled_by->ShortHex()));
  }
  if (m->status == MemberStatus::kNoticeGiven && e.hlc.wall_ms >= m->notice_effective_ms) {
    return absl::PermissionDeniedError(absl::StrFormat(
        "org %s gave notice (event %s) effective at %d ms; this event (wall_ms %d) comes after "
        "it left group %s and has no effect",
        e.author.ShortHex(), m->notice_event->ShortHex(), m->notice_effective_ms, e.hlc.wall_ms,
        group.ShortHex()));
  }
  auto ranges = cut_ranges_.find(e.author);
  if (!governance_record && ranges != cut_ranges_.end()) {
    for (const VoidRange& r : ranges->second) {
      if (r.Contains(e.seq)) {
        return absl::PermissionDeniedError(absl::StrFormat(
            "org %s was expelled from group %s by proposal %s; its records the expulsion "
            "proposal had not seen (seq > %d) have no effect",
            e.author.ShortHex(), group.ShortHex(), r.expulsion.ShortHex(), r.after_seq));
      }
    }
  }
  // Autonomy: any member, observers included, may give notice or leave.
  if (body == v1::Event::kMembershipNotice || body == v1::Event::kMembershipWithdrawal) {
    return absl::OkStatus();
  }
  if (m->profile.role() == v1::ROLE_OBSERVER) {
    return absl::PermissionDeniedError(
        absl::StrFormat("org %s is not an active member of group %s that may write records "
                        "(it is an observer)",
                        e.author.ShortHex(), group.ShortHex()));
  }
  return absl::OkStatus();
}

void Roster::Admit(MemberState m) {
  EndVoidRanges(cut_ranges_, m.key, m.joined_seq);
  CheckMemberInvariants(m);
  const OrgKey key = m.key;
  std::vector<MembershipSpan>& spans = spans_[key];
  CONSTELLATION_CHECK(spans.empty() || spans.back().joined_seq < m.joined_seq);
  MembershipSpan& span = spans.emplace_back();
  span.joined_event = m.joined_event;
  span.joined_seq = m.joined_seq;
  span.role = m.profile.role();
  span.voting_weight = m.profile.voting_weight();
  members_[key] = std::move(m);
}

void Roster::GiveNotice(const OrgKey& key, const EventId& notice, uint64_t effective_ms) {
  MemberState& m = members_.at(key);
  CONSTELLATION_CHECK(m.status == MemberStatus::kActive);
  m.status = MemberStatus::kNoticeGiven;
  m.notice_event = notice;
  m.notice_effective_ms = effective_ms;
}

void Roster::Withdraw(const OrgKey& key, const EventId& withdrawal) {
  MemberState& m = members_.at(key);
  m.status = MemberStatus::kWithdrawn;
  m.removal_event = withdrawal;
  CheckMemberInvariants(m);
}

void Roster::NoteChainWithdrawal(const OrgKey& key, const EventId& withdrawal) {
  auto it = spans_.find(key);
  if (it == spans_.end() || it->second.back().withdrawal.has_value()) return;
  it->second.back().withdrawal = withdrawal;
}

void Roster::NoteChainNotice(const OrgKey& key, const EventId& notice, uint64_t effective_ms) {
  auto it = spans_.find(key);
  if (it == spans_.end()) return;
  MembershipSpan& span = it->second.back();
  if (span.withdrawal.has_value() || span.notice.has_value()) return;
  span.notice = notice;
  span.notice_effective_ms = effective_ms;
}

bool Roster::Expel(const OrgKey& key, const EventId& proposal, const EventId& at) {
  auto it = members_.find(key);
  if (it == members_.end()) return false;
  MemberState& m = it->second;
  if (m.status != MemberStatus::kActive && m.status != MemberStatus::kNoticeGiven) {
    return false;  // already gone
  }
  m.status = MemberStatus::kExpelled;
  m.removal_event = at;
  m.expelled_by = proposal;
  CheckMemberInvariants(m);
  return true;
}

absl::Status Roster::Check(const VerifiedEvent& e, const GroupState& state) const {
  (void)state;
  // The genesis charter is checked by the fold before any author rule; a charter body later in
  // a chain is not folded by this version.
  return RecordNotFolded(e.event.body_case());
}

void Roster::Apply(const VerifiedEvent& e, const GroupState& state, Roster& roster) {
  (void)state, (void)roster;
  CONSTELLATION_CHECK(e.is_genesis() && !has_charter());
  charter_event_ = e.id;
  charter_ = e.event.charter();
  founder_ = e.author;
  MemberState m;
  m.key = e.author;
  m.profile = charter_.founder();
  if (m.profile.role() == v1::ROLE_UNSPECIFIED) m.profile.set_role(v1::ROLE_LEAD);
  if (m.profile.voting_weight() == 0) m.profile.set_voting_weight(1);
  m.profile_event = e.id;
  m.joined_event = e.id;
  m.joined_seq = e.seq;
  Admit(std::move(m));
}

void Roster::HashInto(StateHasher& h) const {
  h.OptionalId(charter_event_);
  h.U64(members_.size());
  for (const auto& [key, m] : members_) {
    h.Id(key);
    h.Id(m.profile_event);
    h.U64(static_cast<uint64_t>(m.status));
    h.Id(m.joined_event);
    h.U64(m.joined_seq);
    h.OptionalId(m.admitted_by);
    h.OptionalId(m.notice_event);
    h.U64(m.notice_effective_ms);
    h.OptionalId(m.removal_event);
    h.OptionalId(m.expelled_by);
  }
}

void Roster::CheckMemberInvariants(const MemberState& m) const {
  switch (m.status) {
    case MemberStatus::kActive:
      break;
    case MemberStatus::kNoticeGiven:
      CONSTELLATION_CHECK(m.notice_event.has_value());
      break;
    case MemberStatus::kWithdrawn:
      CONSTELLATION_CHECK(m.removal_event.has_value());
      break;
    case MemberStatus::kExpelled:
      CONSTELLATION_CHECK(m.removal_event.has_value() && m.expelled_by.has_value());
      break;
  }
  CONSTELLATION_CHECK(m.profile.voting_weight() > 0);
}

void Roster::CheckInvariants() const {
  if (!has_charter()) {
    CONSTELLATION_CHECK(members_.empty());
    return;
  }
  CONSTELLATION_CHECK(members_.contains(founder_));
  for (const auto& [key, m] : members_) {
    CONSTELLATION_CHECK(key == m.key);
    CheckMemberInvariants(m);
    // The current membership is the latest span.
    const std::vector<MembershipSpan>& spans = spans_.at(key);
    CONSTELLATION_CHECK(!spans.empty() && spans.back().joined_event == m.joined_event);
  }
  CONSTELLATION_CHECK(spans_.size() == members_.size());
}

}  // namespace constellation::core
