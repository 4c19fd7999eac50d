#include "server/core/fundraising/fundraising_ledger.h"

#include <algorithm>
#include <set>

#include <absl/strings/str_format.h>

#include "server/base/check.h"
#include "server/base/enum_names.h"
#include "server/base/status_macros.h"
#include "server/core/fold/group_state.h"
#include "server/core/fundraising/settlement.h"
#include "server/core/governance/governance_ledger.h"
#include "server/core/records.h"

namespace constellation::core {
namespace {

constexpr int64_t kInt64Max = INT64_MAX;

Money CompactMoney(const v1::Money& money) {
  return Money{.amount_minor = money.amount_minor(), .currency = CurrencyCode(money.currency())};
}

TotalSums& operator+=(TotalSums& a, const TotalSums& b) {
  a.pledge_count += b.pledge_count;
  a.pledged += b.pledged;
  a.received += b.received;
  a.written_off += b.written_off;
  a.outstanding += b.outstanding;
  a.conditional += b.conditional;
  a.closed_received += b.closed_received;
  a.closed_written_off += b.closed_written_off;
  a.cancelled += b.cancelled;
  a.lapsed += b.lapsed;
  a.unapplied += b.unapplied;
  return a;
}

// `p`'s part of its campaign's totals (PROTOCOL §5.11.10).
TotalSums PartOf(const PledgeState& p) {
  TotalSums t;
  const int64_t amount = p.terms.amount.amount_minor;
  if (!p.closed()) {
    t.pledge_count = 1;
    t.pledged = amount;
    t.received = p.received_minor;
    t.written_off = p.written_off_minor;
    t.outstanding = p.outstanding_minor();
    if (p.conditional()) t.conditional = amount;
  } else {
    t.closed_received = p.received_minor;
    t.closed_written_off = p.written_off_minor;
    (p.cancelled ? t.cancelled : t.lapsed) = p.dropped_minor();
  }
  t.unapplied = p.unapplied_minor;
  return t;
}

TotalSums Negated(const TotalSums& t) {
  TotalSums n;
  n.pledge_count = static_cast<uint64_t>(-static_cast<int64_t>(t.pledge_count));
  n.pledged = -t.pledged;
  n.received = -t.received;
  n.written_off = -t.written_off;
  n.outstanding = -t.outstanding;
  n.conditional = -t.conditional;
  n.closed_received = -t.closed_received;
  n.closed_written_off = -t.closed_written_off;
  n.cancelled = -t.cancelled;
  n.lapsed = -t.lapsed;
  n.unapplied = -t.unapplied;
  return n;
}

bool IsZero(const TotalSums& t) { return t == TotalSums{}; }

void HashI128(StateHasher& h, __int128 v) {
  h.I64(static_cast<int64_t>(v >> 64));
  h.U64(static_cast<uint64_t>(v));
}

void HashTotals(StateHasher& h, const TotalSums& t) {
  h.U64(t.pledge_count);
  for (__int128 v : {t.pledged, t.received, t.written_off, t.outstanding, t.conditional,
                     t.closed_received, t.closed_written_off, t.cancelled, t.lapsed,
                     t.unapplied}) {
    HashI128(h, v);
  }
}


}  // namespace

CurrencyCode::CurrencyCode(std::string_view code) {
  CONSTELLATION_CHECK(code.size() <= code_.size());
  std::copy(code.begin(), code.end(), code_.begin());
}

std::string_view CurrencyCode::view() const {
  size_t size = 0;
  while (size < code_.size() && code_[size] != '\0') ++size;
  return std::string_view(code_.data(), size);
}

PledgeTerms CompactTerms(const v1::PledgeTerms& terms) {
  PledgeTerms out{.amount = CompactMoney(terms.amount()),
                  .installments = {},
                  .conditional = terms.has_condition()};
  out.installments.reserve(terms.installments_size());
  for (const v1::Installment& in : terms.installments()) {
    out.installments.push_back({.due_ms = in.due_ms(), .amount_minor = in.amount_minor()});
  }
  return out;
}

const FundraisingLedger& Fundraising(const GroupState& state) {
  return state.ledger<FundraisingLedger>();
}

std::string_view ThresholdStateName(ThresholdState state) {
  static constexpr std::string_view kNames[] = {"none", "pending", "met", "not_met"};
  return EnumName(state, kNames);
}

std::string_view PledgeEntryKindName(PledgeEntryKind kind) {
  static constexpr std::string_view kNames[] = {"pledge",  "amendment", "cancellation",
                                                "payment", "write_off", "condition"};
  return EnumName(kind, kNames);
}

std::string_view ConditionOutcomeName(ConditionOutcome outcome) {
  static constexpr std::string_view kNames[] = {"none", "met", "waived", "released"};
  return EnumName(outcome, kNames);
}

std::string_view LapseReasonText(LapseReason reason) {
  static constexpr std::string_view kNames[] = {
      "", "assurance threshold not met", "released by the pledger's right of release"};
  return EnumName(reason, kNames);
}

std::string_view PledgeStatusName(PledgeStatus status) {
  static constexpr std::string_view kNames[] = {"pending",   "in_progress", "overdue",
                                                "completed", "cancelled",   "conditional",
                                                "written_off", "lapsed"};
  return EnumName(status, kNames);
}

bool CampaignState::Accepts(const CurrencyCode& currency) const {
  return currency == goal.currency ||
         std::find(accepted_currencies.begin(), accepted_currencies.end(), currency) !=
             accepted_currencies.end();
}

absl::StatusOr<CampaignTotals> TotalsOf(const TotalSums& sums) {
  CampaignTotals out;
  const std::pair<__int128, int64_t*> fields[] = {
      {sums.pledged, &out.pledged_minor},
      {sums.received, &out.received_minor},
      {sums.written_off, &out.written_off_minor},
      {sums.outstanding, &out.outstanding_minor},
      {sums.conditional, &out.conditional_minor},
      {sums.closed_received, &out.closed_received_minor},
      {sums.closed_written_off, &out.closed_written_off_minor},
      {sums.cancelled, &out.cancelled_minor},
      {sums.lapsed, &out.lapsed_minor},
      {sums.unapplied, &out.unapplied_minor},
  };
  for (const auto& [sum, field] : fields) {
    if (sum > kInt64Max) {
      return absl::OutOfRangeError(absl::StrFormat(
          "a campaign total exceeds the int64 limit of %d minor units; read the pledges one by "
          "one",
          kInt64Max));
    }
    *field = static_cast<int64_t>(sum);
  }
  out.pledge_count = static_cast<uint32_t>(std::min<uint64_t>(sums.pledge_count, UINT32_MAX));
  return out;
}

std::vector<InstallmentPosition> DeriveInstallments(const PledgeState& pledge,
                                                    uint64_t campaign_deadline_ms) {
  const int64_t amount = pledge.terms.amount.amount_minor;
  const int64_t received = pledge.received_minor;
  const int64_t written_off_from = amount - pledge.written_off_minor;
  std::vector<InstallmentPosition> out;
  int64_t start = 0;
  for (const InstallmentDue& in : ScheduleOf(pledge.terms, campaign_deadline_ms)) {
    const int64_t end = start + in.amount_minor;
    InstallmentPosition line{.due_ms = in.due_ms, .amount_minor = in.amount_minor};
    line.paid_minor = std::max<int64_t>(0, std::min(end, received) - start);
    line.written_off_minor = std::max<int64_t>(0, end - std::max(start, written_off_from));
    const int64_t rest = in.amount_minor - line.paid_minor - line.written_off_minor;
    (pledge.closed() ? line.dropped_minor : line.outstanding_minor) = rest;
    out.push_back(line);
    start = end;
  }
  return out;
}

PledgeStatus DerivePledgeStatus(const PledgeState& pledge, uint64_t campaign_deadline_ms,
                                uint64_t as_of_ms) {
  if (pledge.cancelled) return PledgeStatus::kCancelled;
  if (pledge.lapsed()) return PledgeStatus::kLapsed;
  const int64_t amount = pledge.terms.amount.amount_minor;
  const int64_t settled = pledge.settled_minor();
  if (pledge.received_minor >= amount) return PledgeStatus::kCompleted;
  if (settled >= amount) return PledgeStatus::kWrittenOff;
  // Conditional promises are not receivable until the condition is met or waived (DOMAIN.md
  // rule 7), nor pledges to a campaign whose threshold is unsettled: nothing is overdue then.
  if (pledge.conditional()) return PledgeStatus::kConditional;
  // Overdue: an installment due by then still has an outstanding part. Payments fill the oldest
  // installments and write-offs the latest (§5.11.3), so a write-off of a later installment does
  // not excuse an earlier one.
  for (const InstallmentPosition& line : DeriveInstallments(pledge, campaign_deadline_ms)) {
    if (line.due_ms != 0 && line.due_ms <= as_of_ms && line.outstanding_minor > 0) {
      return PledgeStatus::kOverdue;
    }
  }
  return settled > 0 ? PledgeStatus::kInProgress : PledgeStatus::kPending;
}

absl::StatusOr<CampaignTotals> FundraisingLedger::Totals(const CampaignState& campaign) const {
  return TotalsIn(campaign, campaign.goal.currency);
}

absl::StatusOr<CampaignTotals> FundraisingLedger::TotalsIn(const CampaignState& campaign,
                                                           const CurrencyCode& currency) const {
  auto it = campaign.totals.find(currency);
  return TotalsOf(it == campaign.totals.end() ? TotalSums{} : it->second);
}

absl::StatusOr<CampaignTotals> FundraisingLedger::MemberTotalsIn(
    const CampaignState& campaign, const OrgKey& member, const CurrencyCode& currency) const {
  auto it = campaign.member_totals.find({member, currency});
  return TotalsOf(it == campaign.member_totals.end() ? TotalSums{} : it->second);
}

// ---------------------------------------------------------------------------------------------
// Apply

void FundraisingLedger::Apply(const VerifiedEvent& e, const GroupState& state, Roster& roster) {
  (void)roster;
  switch (e.event.body_case()) {
    case v1::Event::kCampaign:
      ApplyCampaign(e, state);
      return;
    case v1::Event::kPledge:
      ApplyPledge(e, state);
      return;
    case v1::Event::kPledgeAmendment:
    case v1::Event::kPledgeCancellation:
    case v1::Event::kPaymentReceipt:
    case v1::Event::kWriteOff:
    case v1::Event::kPledgeCondition:
      ApplyPledgeRecord(e, state);
      return;
    default:
      CONSTELLATION_CHECK(false);  // Check admits only the record types handled above
  }
}

void FundraisingLedger::ApplyCampaign(const VerifiedEvent& e, const GroupState& state) {
  const v1::Campaign& campaign = e.event.campaign();
  CampaignState c;
  c.id = e.id;
  c.opened_by = e.author;
  c.fiscal_host =
      campaign.fiscal_host().empty() ? e.author : *OrgKey::FromBytes(campaign.fiscal_host());
  if (!campaign.proposal_id().empty()) {
    c.proposal = *EventId::FromBytes(campaign.proposal_id());
    campaign_of_proposal_.emplace(*c.proposal, e.id);
  }
  c.goal = CompactMoney(campaign.goal());
  for (const std::string& code : campaign.accepted_currencies()) {
    c.accepted_currencies.emplace_back(code);
  }
  c.deadline_ms = campaign.deadline_ms();
  c.opened_hlc = e.hlc;
  if (campaign.has_assurance_threshold() || campaign.assurance_member_count() > 0) {
    c.threshold_minor = campaign.assurance_threshold().amount_minor();
    c.threshold_member_count = campaign.assurance_member_count();
    c.assurance_deadline_ms = campaign.assurance_deadline_ms();
    c.threshold = ThresholdState::kPending;
    for (const auto& [key, member] : state.roster().members()) {
      if (Governance(state).IsMemberInPast(key, e, state)) c.assurance_set.push_back(key);
    }
    pending_thresholds_.push_back(e.id);
  }
  campaigns_.emplace(e.id, std::move(c));
}

void FundraisingLedger::ApplyPledge(const VerifiedEvent& e, const GroupState& state) {
  PledgeState p;
  p.id = e.id;
  p.campaign = *EventId::FromBytes(e.event.pledge().campaign_id());
  p.pledger = e.author;
  p.created_hlc = p.updated_hlc = e.hlc;
  const PledgeTerms terms = CompactTerms(e.event.pledge().terms());
  p.versions.push_back(TermsVersion{.terms = terms, .event = e.id, .seq = e.seq, .hlc = e.hlc});
  p.history.push_back(PledgeEntry{.kind = PledgeEntryKind::kPledge,
                                  .version = 1,
                                  .event = e.id,
                                  .author = e.author,
                                  .seq = e.seq,
                                  .hlc = e.hlc,
                                  .amount_minor = terms.amount.amount_minor,
                                  .terms_index = 0});
  CampaignState& c = campaigns_.at(p.campaign);
  c.pledges.push_back(e.id);
  gross_bound_[{c.id, terms.amount.currency}] += terms.amount.amount_minor;
  PledgeState& stored = *pledges_.Emplace(e.id, std::move(p)).first;
  Resettle(stored, state, /*counted=*/false);
}

void FundraisingLedger::ApplyPledgeRecord(const VerifiedEvent& e, const GroupState& state) {
  const v1::Event& ev = e.event;
  PledgeEntry entry{.event = e.id, .author = e.author, .seq = e.seq, .hlc = e.hlc};
  std::string pledge_id;
  switch (ev.body_case()) {
    case v1::Event::kPledgeAmendment:
      entry.kind = PledgeEntryKind::kAmendment;
      pledge_id = ev.pledge_amendment().pledge_id();
      entry.amount_minor = ev.pledge_amendment().terms().amount().amount_minor();
      break;
    case v1::Event::kPledgeCancellation:
      entry.kind = PledgeEntryKind::kCancellation;
      pledge_id = ev.pledge_cancellation().pledge_id();
      break;
    case v1::Event::kPaymentReceipt:
      entry.kind = PledgeEntryKind::kPayment;
      pledge_id = ev.payment_receipt().pledge_id();
      entry.amount_minor = ev.payment_receipt().amount().amount_minor();
      entry.unapplied_requested = ev.payment_receipt().unapplied();
      break;
    case v1::Event::kWriteOff:
      entry.kind = PledgeEntryKind::kWriteOff;
      pledge_id = ev.write_off().pledge_id();
      entry.amount_minor = ev.write_off().amount().amount_minor();
      write_off_of_proposal_.emplace(*EventId::FromBytes(ev.write_off().proposal_id()), e.id);
      break;
    case v1::Event::kPledgeCondition:
      entry.kind = PledgeEntryKind::kCondition;
      pledge_id = ev.pledge_condition().pledge_id();
      entry.outcome = static_cast<ConditionOutcome>(ev.pledge_condition().outcome());
      break;
    default:
      CONSTELLATION_CHECK(false);
  }
  PledgeState& p = pledges_.Mutable(*EventId::FromBytes(pledge_id));
  const CampaignState& c = campaigns_.at(p.campaign);
  if (entry.kind == PledgeEntryKind::kAmendment) {
    const PledgeTerms terms = CompactTerms(ev.pledge_amendment().terms());
    auto& bound = gross_bound_[{c.id, terms.amount.currency}];
    int64_t largest = 0;
    for (const TermsVersion& v : p.versions) largest = std::max(largest, v.terms.amount.amount_minor);
    if (terms.amount.amount_minor > largest) bound += terms.amount.amount_minor - largest;
    entry.terms_index = static_cast<uint32_t>(p.versions.size());
    p.versions.push_back(TermsVersion{.terms = terms, .event = e.id, .seq = e.seq, .hlc = e.hlc});
  }
  if (entry.kind == PledgeEntryKind::kPayment) {
    gross_bound_[{c.id, p.terms.amount.currency}] += entry.amount_minor;
  }
  p.updated_hlc = std::max(p.updated_hlc, e.hlc);
  entry.version = static_cast<uint32_t>(p.versions.size());
  p.history.push_back(entry);
  Resettle(p, state, /*counted=*/true);
}

void FundraisingLedger::AddToTotals(const PledgeState& p, int sign) {
  CampaignState& c = campaigns_.at(p.campaign);
  const TotalSums part = sign > 0 ? PartOf(p) : Negated(PartOf(p));
  const CurrencyCode& currency = p.terms.amount.currency;
  auto add = [&](auto& map, const auto& key) {
    TotalSums& sums = map[key];
    sums += part;
    if (IsZero(sums)) map.erase(key);
  };
  add(c.totals, currency);
  add(c.member_totals, std::make_pair(p.pledger, currency));
}

void FundraisingLedger::Resettle(PledgeState& p, const GroupState& state, bool counted) {
  if (counted) AddToTotals(p, -1);
  const CampaignState& c = campaigns_.at(p.campaign);
  const bool threshold_lapsed = c.threshold == ThresholdState::kNotMet;
  Settlement s = Settle(
      p, [](const PledgeEntry&) { return true; }, threshold_lapsed, state.clocks());
  p.terms = s.terms->terms;
  p.terms_event = s.terms->event;
  p.version = static_cast<uint32_t>(p.versions.size());
  p.received_minor = s.received_minor;
  p.written_off_minor = s.written_off_minor;
  p.unapplied_minor = s.unapplied_minor;
  p.cancelled = s.cancelled;
  p.condition = s.condition;
  p.lapse = threshold_lapsed                              ? LapseReason::kThresholdNotMet
            : s.condition == ConditionOutcome::kReleased ? LapseReason::kReleased
                                                          : LapseReason::kNone;
  p.threshold_pending = c.threshold == ThresholdState::kPending;
  for (size_t i = 0; i < p.history.size(); ++i) {
    auto it = s.applied.find(i);
    p.history[i].applied_minor = it == s.applied.end() ? 0 : it->second;
  }
  AddToTotals(p, +1);
  CheckPledgeInvariants(p);
}

void FundraisingLedger::AfterEvent(const VerifiedEvent& e, const GroupState& state,
                                   Roster& roster) {
  (void)roster;
  if (pending_thresholds_.empty()) return;
  for (auto it = pending_thresholds_.begin(); it != pending_thresholds_.end();) {
    CampaignState& c = campaigns_.at(*it);
    // Only an event of a member of the set (or a freeze, seen through its author) can settle.
    if (!std::binary_search(c.assurance_set.begin(), c.assurance_set.end(), e.author) &&
        c.id != e.id) {
      ++it;
      continue;
    }
    MaybeSettleThreshold(c, state);
    it = c.threshold == ThresholdState::kPending ? std::next(it) : pending_thresholds_.erase(it);
  }
}

void FundraisingLedger::MaybeSettleThreshold(CampaignState& c, const GroupState& state) {
  const Hlc point = DeadlinePoint(c.assurance_deadline_ms);
  for (const OrgKey& key : c.assurance_set) {
    if (!ChainSettled(key, c.id, point, state)) return;
  }
  // Settled: every counting record is folded (PROTOCOL §5.11.2).
  __int128 counted = 0;
  std::set<OrgKey> pledgers;
  for (const EventId& id : c.pledges) {
    const PledgeState& p = pledges_.at(id);
    if (!std::binary_search(c.assurance_set.begin(), c.assurance_set.end(), p.pledger)) continue;
    if (!ByDeadline(p.created_hlc, c.assurance_deadline_ms)) continue;
    bool cancelled = false;
    for (const PledgeEntry& entry : p.history) {
      if (entry.kind == PledgeEntryKind::kCancellation &&
          ByDeadline(entry.hlc, c.assurance_deadline_ms)) {
        cancelled = true;
      }
    }
    if (cancelled) continue;
    const TermsVersion* latest = nullptr;
    for (const TermsVersion& v : p.versions) {
      if (ByDeadline(v.hlc, c.assurance_deadline_ms) && (latest == nullptr || latest->seq < v.seq)) {
        latest = &v;
      }
    }
    CONSTELLATION_CHECK(latest != nullptr);  // the pledge itself is by the deadline
    pledgers.insert(p.pledger);
    if (latest->terms.amount.currency == c.goal.currency) counted += latest->terms.amount.amount_minor;
  }
  c.counted_minor = counted;
  c.counted_pledgers = static_cast<uint32_t>(pledgers.size());
  const bool reached =
      (c.threshold_minor > 0 && counted >= c.threshold_minor) ||
      (c.threshold_member_count > 0 && c.counted_pledgers >= c.threshold_member_count);
  c.threshold = reached ? ThresholdState::kMet : ThresholdState::kNotMet;
  for (const EventId& id : c.pledges) Resettle(pledges_.Mutable(id), state, /*counted=*/true);
}

void FundraisingLedger::CheckPledgeInvariants(const PledgeState& p) const {
  const int64_t amount = p.terms.amount.amount_minor;
  CONSTELLATION_CHECK(p.received_minor >= 0 && p.written_off_minor >= 0);
  CONSTELLATION_CHECK(p.unapplied_minor >= 0);
  CONSTELLATION_CHECK(p.settled_minor() <= amount);
  CONSTELLATION_CHECK(p.settled_minor() + p.outstanding_minor() + p.dropped_minor() == amount);
  CONSTELLATION_CHECK(!p.history.empty() && p.history.front().kind == PledgeEntryKind::kPledge);
  CONSTELLATION_CHECK(p.version == p.versions.size());
  int64_t paid = 0, written_off = 0, outstanding = 0, dropped = 0;
  const CampaignState& c = campaigns_.at(p.campaign);
  for (const InstallmentPosition& line : DeriveInstallments(p, c.deadline_ms)) {
    CONSTELLATION_CHECK(line.paid_minor >= 0 && line.written_off_minor >= 0 &&
                        line.outstanding_minor >= 0 && line.dropped_minor >= 0);
    CONSTELLATION_CHECK(line.paid_minor + line.written_off_minor + line.outstanding_minor +
                            line.dropped_minor ==
                        line.amount_minor);
    paid += line.paid_minor;
    written_off += line.written_off_minor;
    outstanding += line.outstanding_minor;
    dropped += line.dropped_minor;
  }
  CONSTELLATION_CHECK(paid == p.received_minor && written_off == p.written_off_minor);
  CONSTELLATION_CHECK(outstanding == p.outstanding_minor() && dropped == p.dropped_minor());
  CONSTELLATION_CHECK(c.Accepts(p.terms.amount.currency));
}

void FundraisingLedger::CheckInvariants() const {
  size_t listed = 0;
  for (const auto& [id, c] : campaigns_) {
    listed += c.pledges.size();
    std::map<CurrencyCode, TotalSums> totals;
    std::map<std::pair<OrgKey, CurrencyCode>, TotalSums> member_totals;
    for (const EventId& pid : c.pledges) {
      const PledgeState& p = pledges_.at(pid);
      CONSTELLATION_CHECK(p.campaign == id);
      totals[p.terms.amount.currency] += PartOf(p);
      member_totals[{p.pledger, p.terms.amount.currency}] += PartOf(p);
    }
    std::erase_if(totals, [](const auto& kv) { return IsZero(kv.second); });
    std::erase_if(member_totals, [](const auto& kv) { return IsZero(kv.second); });
    CONSTELLATION_CHECK(totals == c.totals);
    CONSTELLATION_CHECK(member_totals == c.member_totals);
  }
  CONSTELLATION_CHECK(listed == pledges_.size());
  for (const auto& [id, p] : pledges_) {
    CONSTELLATION_CHECK(p.id == id);
    CheckPledgeInvariants(p);
    int64_t payments = 0;
    for (const PledgeEntry& entry : p.history) {
      if (entry.kind == PledgeEntryKind::kPayment) payments += entry.amount_minor;
    }
    CONSTELLATION_CHECK(payments == p.received_minor + p.unapplied_minor);
  }
}

void FundraisingLedger::HashInto(StateHasher& h) const {
  h.U64(campaigns_.size());
  for (const auto& [id, c] : campaigns_) {
    h.Id(id);
    h.Id(c.opened_by);
    h.Id(c.fiscal_host);
    h.OptionalId(c.proposal);
    h.Bytes(c.goal.currency.view());
    h.I64(c.goal.amount_minor);
    h.U64(c.deadline_ms);
    h.U64(c.accepted_currencies.size());
    for (const CurrencyCode& code : c.accepted_currencies) h.Bytes(code.view());
    h.I64(c.threshold_minor);
    h.U64(c.threshold_member_count);
    h.U64(c.assurance_deadline_ms);
    h.U64(static_cast<uint64_t>(c.threshold));
    HashI128(h, c.counted_minor);
    h.U64(c.counted_pledgers);
    h.U64(c.assurance_set.size());
    for (const OrgKey& key : c.assurance_set) h.Id(key);
    h.U64(c.pledges.size());
    h.U64(c.totals.size());
    for (const auto& [code, sums] : c.totals) {
      h.Bytes(code.view());
      HashTotals(h, sums);
    }
    h.U64(c.member_totals.size());
    for (const auto& [key, sums] : c.member_totals) {
      h.Id(key.first);
      h.Bytes(key.second.view());
      HashTotals(h, sums);
    }
  }
  h.U64(pledges_.size());
  for (const auto& [id, p] : pledges_) {
    h.Id(id);
    h.Id(p.campaign);
    h.Id(p.pledger);
    h.Id(p.terms_event);
    h.U64(p.version);
    h.Bytes(p.terms.amount.currency.view());
    h.I64(p.terms.amount.amount_minor);
    h.Bool(p.terms.conditional);
    h.I64(p.received_minor);
    h.I64(p.written_off_minor);
    h.I64(p.unapplied_minor);
    h.Bool(p.cancelled);
    h.U64(static_cast<uint64_t>(p.lapse));
    h.U64(static_cast<uint64_t>(p.condition));
    h.Bool(p.threshold_pending);
    std::vector<const PledgeEntry*> entries;
    for (const PledgeEntry& entry : p.history) entries.push_back(&entry);
    std::sort(entries.begin(), entries.end(),
              [](const PledgeEntry* a, const PledgeEntry* b) { return a->event < b->event; });
    h.U64(entries.size());
    for (const PledgeEntry* entry : entries) {
      h.Id(entry->event);
      h.U64(static_cast<uint64_t>(entry->kind));
      h.I64(entry->amount_minor);
      h.I64(entry->applied_minor);
    }
  }
}

void FundraisingLedger::AddOpenObligations(const OrgKey& member, const GroupState&,
                                           std::vector<Obligation>& out) const {
  for (const auto& [id, pledge] : pledges_) {
    if (pledge.pledger != member || pledge.outstanding_minor() <= 0) continue;
    out.push_back({.kind = ObligationKind::kPledge,
                   .record = id,
                   .amount_minor = pledge.outstanding_minor(),
                   .currency = pledge.terms.amount.currency.ToString(),
                   .due_ms = 0});
  }
}

}  // namespace constellation::core
