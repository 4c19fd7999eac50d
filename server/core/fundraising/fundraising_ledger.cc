#include "server/core/fundraising/fundraising_ledger.h"

#include <algorithm>
#include <functional>
#include <set>
#include <tuple>

#include <absl/strings/str_format.h>
#include <google/protobuf/util/message_differencer.h>

#include "server/base/check.h"
#include "server/base/enum_names.h"
#include "server/base/status_macros.h"
#include "server/core/fold/group_state.h"
#include "server/core/governance/governance_ledger.h"
#include "server/core/records.h"

namespace constellation::core {
namespace {

constexpr int64_t kInt64Max = INT64_MAX;

Money CompactMoney(const v1::Money& money) {
  return Money{.amount_minor = money.amount_minor(), .currency = CurrencyCode(money.currency())};
}

// The last hlc counting as "by the deadline" (PROTOCOL §5.11.2): wall_ms <= deadline_ms.
Hlc DeadlinePoint(uint64_t deadline_ms) { return Hlc{deadline_ms, UINT32_MAX}; }

bool ByDeadline(const Hlc& hlc, uint64_t deadline_ms) { return hlc.wall_ms <= deadline_ms; }

// (hlc, event id): the order in which settlement applies payments and write-offs.
bool EarlierStamp(const PledgeEntry& a, const PledgeEntry& b) {
  return std::tie(a.hlc, a.event) < std::tie(b.hlc, b.event);
}

// The money state of a pledge computed from a set of its records (PROTOCOL §5.11.9).
struct Settlement {
  int64_t amount_minor = 0;
  int64_t received_minor = 0;
  int64_t written_off_minor = 0;
  int64_t unapplied_minor = 0;
  bool cancelled = false;
  ConditionOutcome condition = ConditionOutcome::kNone;
  const TermsVersion* terms = nullptr;
  std::map<size_t, int64_t> applied;  // history index -> applied part (payments, write-offs)
};

// Settles `p` over the records `in_view` admits (all of them for the fold; those in an
// event's causal past for a check). `threshold_lapsed`: the campaign's threshold is not met.
Settlement Settle(const PledgeState& p, const std::function<bool(const PledgeEntry&)>& in_view,
                  bool threshold_lapsed, const CausalClocks& clocks) {
  Settlement s;
  std::vector<size_t> payments, write_offs;
  std::vector<const PledgeEntry*> closing;
  const PledgeEntry* resolution = nullptr;
  for (size_t i = 0; i < p.history.size(); ++i) {
    const PledgeEntry& entry = p.history[i];
    if (!in_view(entry)) continue;
    switch (entry.kind) {
      case PledgeEntryKind::kPledge:
      case PledgeEntryKind::kAmendment: {
        const TermsVersion& v = p.versions[entry.terms_index];
        if (s.terms == nullptr || s.terms->seq < v.seq) s.terms = &v;
        break;
      }
      case PledgeEntryKind::kCancellation:
        s.cancelled = true;
        closing.push_back(&entry);
        break;
      case PledgeEntryKind::kPayment:
        payments.push_back(i);
        break;
      case PledgeEntryKind::kWriteOff:
        write_offs.push_back(i);
        break;
      case PledgeEntryKind::kCondition:
        if (resolution == nullptr || EarlierStamp(entry, *resolution)) resolution = &entry;
        break;
    }
  }
  CONSTELLATION_CHECK(s.terms != nullptr);
  s.amount_minor = s.terms->terms.amount.amount_minor;
  if (resolution != nullptr) {
    s.condition = resolution->outcome;
    if (resolution->outcome == ConditionOutcome::kReleased) closing.push_back(resolution);
  }
  auto eligible = [&](const PledgeEntry& entry) {
    if (threshold_lapsed) return false;
    for (const PledgeEntry* x : closing) {
      if (!clocks.HappenedBefore(entry.event, x->event)) return false;
    }
    return true;
  };
  auto by_stamp = [&](size_t a, size_t b) { return EarlierStamp(p.history[a], p.history[b]); };
  std::sort(payments.begin(), payments.end(), by_stamp);
  std::sort(write_offs.begin(), write_offs.end(), by_stamp);
  for (size_t i : payments) {
    const PledgeEntry& entry = p.history[i];
    int64_t applied = 0;
    if (!entry.unapplied_requested && eligible(entry)) {
      applied = std::min(entry.amount_minor, s.amount_minor - s.received_minor);
    }
    s.received_minor += applied;
    s.unapplied_minor += entry.amount_minor - applied;
    s.applied[i] = applied;
  }
  for (size_t i : write_offs) {
    const PledgeEntry& entry = p.history[i];
    int64_t effect = 0;
    if (eligible(entry)) {
      effect = std::min(entry.amount_minor,
                        s.amount_minor - s.received_minor - s.written_off_minor);
    }
    s.written_off_minor += effect;
    s.applied[i] = effect;
  }
  return s;
}

// The installments a schedule of `terms` has (one due at the deadline when it lists none).
std::vector<InstallmentDue> ScheduleOf(const PledgeTerms& terms, uint64_t campaign_deadline_ms) {
  if (!terms.installments.empty()) return terms.installments;
  return {InstallmentDue{.due_ms = campaign_deadline_ms, .amount_minor = terms.amount.amount_minor}};
}

// How many leading installments of `terms` `received_minor` pays in full.
size_t FullyPaidCount(const PledgeTerms& terms, int64_t received_minor) {
  size_t count = 0;
  int64_t cumulated = 0;
  for (const InstallmentDue& in : terms.installments) {
    cumulated += in.amount_minor;
    if (cumulated > received_minor) break;
    ++count;
  }
  return count;
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
// Check

absl::Status FundraisingLedger::Check(const VerifiedEvent& e, const GroupState& state) const {
  switch (e.event.body_case()) {
    case v1::Event::kCampaign:
      return CheckCampaign(e, state);
    case v1::Event::kPledge:
      return CheckPledge(e, state);
    case v1::Event::kPledgeAmendment:
      return CheckAmendment(e, state);
    case v1::Event::kPledgeCancellation:
      return CheckCancellation(e, state);
    case v1::Event::kPaymentReceipt:
      return CheckPayment(e, state);
    case v1::Event::kWriteOff:
      return CheckWriteOff(e, state);
    case v1::Event::kPledgeCondition:
      return CheckCondition(e, state);
    default:
      CONSTELLATION_CHECK(false);  // the registry routes only these record types here
      return absl::InternalError("unreachable");
  }
}

absl::Status FundraisingLedger::CheckCampaign(const VerifiedEvent& e,
                                              const GroupState& state) const {
  const v1::Campaign& c = e.event.campaign();
  if (!c.proposal_id().empty()) {
    CONSTELLATION_ASSIGN_OR_RETURN(
        const ProposalState* p,
        Governance(state).PassedDecisionInPast(c.proposal_id(), "campaign.proposal_id",
                                               v1::DECISION_TYPE_OPEN_CAMPAIGN, e, state));
    v1::Campaign body = c;
    body.clear_proposal_id();
    if (!google::protobuf::util::MessageDifferencer::Equals(body, p->proposal.campaign())) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "campaign differs from the payload of OPEN_CAMPAIGN proposal %s; open the campaign "
          "exactly as decided (only proposal_id is added)",
          p->id.ShortHex()));
    }
    const std::string& named_host = p->proposal.campaign().fiscal_host();
    const bool is_host = !named_host.empty() && *OrgKey::FromBytes(named_host) == e.author;
    if (e.author != p->proposer && !is_host) {
      return absl::PermissionDeniedError(absl::StrFormat(
          "only the proposer (org %s) or the named fiscal host may open the campaign decided "
          "by proposal %s",
          p->proposer.ShortHex(), p->id.ShortHex()));
    }
    if (auto it = campaign_of_proposal_.find(p->id); it != campaign_of_proposal_.end()) {
      return absl::AlreadyExistsError(
          absl::StrFormat("proposal %s already opened campaign %s; one campaign per decision",
                          p->id.ShortHex(), it->second.ShortHex()));
    }
  } else {
    bool alone = false;
    for (const v1::DecisionRule& rule : Governance(state).CharterInPast(e, state).decision_rules()) {
      if (rule.decision_type() == v1::DECISION_TYPE_OPEN_CAMPAIGN) {
        alone = rule.member_acts_alone();
      }
    }
    if (!alone) {
      return absl::FailedPreconditionError(
          "the charter requires an OPEN_CAMPAIGN decision: propose it with the campaign as the "
          "proposal's payload, then open the campaign with campaign.proposal_id once the "
          "decision is final (or amend the charter's OPEN_CAMPAIGN rule to member_acts_alone)");
    }
  }
  const OrgKey host = c.fiscal_host().empty() ? e.author : *OrgKey::FromBytes(c.fiscal_host());
  const MembershipSpan* span = state.roster().SpanInPast(host, e, state.clocks());
  if (!Governance(state).IsMemberInPast(host, e, state) || span == nullptr ||
      span->role == v1::ROLE_OBSERVER) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "campaign.fiscal_host %s is not an active member of the group; the fiscal host "
        "must be a member (there is no umbrella to hold money)",
        host.ShortHex()));
  }
  return absl::OkStatus();
}

bool FundraisingLedger::ThresholdSettledInPast(const CampaignState& c, const VerifiedEvent& e,
                                               const GroupState& state) const {
  const Hlc point = DeadlinePoint(c.assurance_deadline_ms);
  for (const OrgKey& key : c.assurance_set) {
    if (!ChainSettledInPast(key, c.id, point, e, state)) return false;
  }
  return true;
}

absl::Status FundraisingLedger::ThresholdMetInPast(const CampaignState& c, const VerifiedEvent& e,
                                                   const GroupState& state,
                                                   std::string_view what) const {
  if (c.threshold == ThresholdState::kNone) return absl::OkStatus();
  const bool settled = ThresholdSettledInPast(c, e, state);
  if (settled && c.threshold == ThresholdState::kMet) return absl::OkStatus();
  if (settled) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "campaign %s did not reach its assurance threshold by %d ms: its pledges lapsed; %s",
        c.id.ShortHex(), c.assurance_deadline_ms, std::string(what)));
  }
  return absl::FailedPreconditionError(absl::StrFormat(
      "campaign %s's assurance threshold is not settled and met in this event's causal past "
      "(deadline %d ms); its pledges are conditional on the threshold; %s",
      c.id.ShortHex(), c.assurance_deadline_ms, std::string(what)));
}

absl::Status FundraisingLedger::CheckTotalsBound(const CampaignState& c,
                                                 const CurrencyCode& currency,
                                                 int64_t amount_minor, const VerifiedEvent& e,
                                                 const GroupState& state) const {
  auto bound = gross_bound_.find({c.id, currency});
  const __int128 fold_bound = bound == gross_bound_.end() ? 0 : bound->second;
  if (fold_bound + amount_minor <= kInt64Max) return absl::OkStatus();
  // Near the limit: the exact sum over the campaign's records in e's causal past.
  __int128 gross = amount_minor;
  for (const EventId& id : c.pledges) {
    const PledgeState& p = pledges_.at(id);
    if (p.terms.amount.currency != currency) continue;
    int64_t largest = 0;
    for (const PledgeEntry& entry : p.history) {
      if (!state.clocks().HappenedBefore(entry.event, e)) continue;
      if (entry.kind == PledgeEntryKind::kPayment) gross += entry.amount_minor;
      if (entry.kind == PledgeEntryKind::kPledge || entry.kind == PledgeEntryKind::kAmendment) {
        largest = std::max(largest, entry.amount_minor);
      }
    }
    gross += largest;
  }
  if (gross <= kInt64Max) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrFormat(
      "campaign %s's pledged and received sums in %s would exceed the int64 limit of %d minor "
      "units; open another campaign",
      c.id.ShortHex(), currency.ToString(), kInt64Max));
}

absl::Status FundraisingLedger::CheckPledge(const VerifiedEvent& e,
                                            const GroupState& state) const {
  const v1::Pledge& pledge = e.event.pledge();
  CONSTELLATION_ASSIGN_OR_RETURN(EventId campaign_id,
                                 EventId::FromBytes(pledge.campaign_id(), "pledge.campaign_id"));
  auto it = campaigns_.find(campaign_id);
  if (it == campaigns_.end()) {
    return absl::NotFoundError(absl::StrFormat("campaign %s not found in group %s",
                                               campaign_id.ShortHex(), state.group().ShortHex()));
  }
  const CampaignState& c = it->second;
  if (!state.clocks().HappenedBefore(c.id, e)) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "campaign %s is not in the causal past of this pledge; pledge from a node that holds it",
        c.id.ShortHex()));
  }
  const CurrencyCode currency(pledge.terms().amount().currency());
  if (!c.Accepts(currency)) {
    std::string accepted = c.goal.currency.ToString();
    for (const CurrencyCode& code : c.accepted_currencies) accepted += ", " + code.ToString();
    return absl::InvalidArgumentError(absl::StrFormat(
        "pledge.terms.amount.currency is %s but campaign %s is in %s; pledge in %s",
        currency.ToString(), campaign_id.ShortHex(), accepted, accepted));
  }
  for (const v1::Installment& in : pledge.terms().installments()) {
    if (in.due_ms() < c.opened_hlc.wall_ms) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "pledge.terms.installments: an installment is due at %d ms, before campaign %s "
          "opened (%d ms); installment due before the campaign opened: move it later",
          in.due_ms(), c.id.ShortHex(), c.opened_hlc.wall_ms));
    }
  }
  if (c.threshold != ThresholdState::kNone && !ByDeadline(e.hlc, c.assurance_deadline_ms)) {
    CONSTELLATION_RETURN_IF_ERROR(ThresholdMetInPast(
        c, e, state, "pledges after the assurance deadline are refused until it is met"));
  }
  return CheckTotalsBound(c, currency, pledge.terms().amount().amount_minor(), e, state);
}

absl::StatusOr<const PledgeState*> FundraisingLedger::ReferencedPledge(
    const std::string& id_bytes, std::string_view field, const VerifiedEvent& e,
    const GroupState& state) const {
  CONSTELLATION_ASSIGN_OR_RETURN(EventId id, EventId::FromBytes(id_bytes, field));
  auto it = pledges_.find(id);
  if (it == pledges_.end()) {
    return absl::NotFoundError(absl::StrFormat("pledge %s not found in group %s", id.ShortHex(),
                                               state.group().ShortHex()));
  }
  if (!state.clocks().HappenedBefore(id, e)) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "%s: pledge %s is not in this event's causal past; record it from a node that holds it",
        std::string(field), id.ShortHex()));
  }
  return &it->second;
}

namespace {

// What a check reads of a pledge in e's causal past.
struct PastView {
  Settlement settlement;
  bool released = false;
  bool lapsed_by_threshold = false;  // the threshold is settled and not met in past(e)
  int64_t outstanding_minor() const {
    return settlement.amount_minor - settlement.received_minor - settlement.written_off_minor;
  }
  int64_t settled_minor() const {
    return settlement.received_minor + settlement.written_off_minor;
  }
};

}  // namespace

// The pledge's closed state in e's past, as a refusal (kFailedPrecondition) or OK.
static absl::Status OpenInPast(const PledgeState& p, const PastView& past, std::string_view what) {
  if (past.settlement.cancelled) {
    return absl::FailedPreconditionError(
        absl::StrFormat("pledge %s is cancelled; %s", p.id.ShortHex(), std::string(what)));
  }
  if (past.released) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "pledge %s lapsed (released by the pledger's right of release); %s", p.id.ShortHex(),
        std::string(what)));
  }
  if (past.lapsed_by_threshold) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "pledge %s lapsed (assurance threshold not met); %s", p.id.ShortHex(), std::string(what)));
  }
  return absl::OkStatus();
}

// `p` as its records in e's causal past show it (PROTOCOL §5.11.9, last paragraph).
static PastView PastOf(const PledgeState& p, bool lapsed_by_threshold, const VerifiedEvent& e,
                       const GroupState& state) {
  PastView past;
  past.lapsed_by_threshold = lapsed_by_threshold;
  past.settlement = Settle(
      p, [&](const PledgeEntry& entry) { return state.clocks().HappenedBefore(entry.event, e); },
      lapsed_by_threshold, state.clocks());
  past.released = past.settlement.condition == ConditionOutcome::kReleased;
  return past;
}

absl::StatusOr<const PledgeState*> FundraisingLedger::OwnPledge(const std::string& id_bytes,
                                                                std::string_view field,
                                                                std::string_view verb,
                                                                const VerifiedEvent& e,
                                                                const GroupState& state) const {
  CONSTELLATION_ASSIGN_OR_RETURN(EventId id, EventId::FromBytes(id_bytes, field));
  auto it = pledges_.find(id);
  if (it == pledges_.end()) {
    return absl::NotFoundError(absl::StrFormat("pledge %s not found in group %s", id.ShortHex(),
                                               state.group().ShortHex()));
  }
  if (it->second.pledger != e.author) {
    return absl::PermissionDeniedError(
        absl::StrFormat("pledge %s belongs to org %s; only the pledger may %s it",
                        id.ShortHex(), it->second.pledger.ShortHex(), std::string(verb)));
  }
  return &it->second;
}

bool FundraisingLedger::LapsedInPast(const CampaignState& c, const VerifiedEvent& e,
                                     const GroupState& state) const {
  return c.threshold == ThresholdState::kNotMet && ThresholdSettledInPast(c, e, state);
}

absl::Status FundraisingLedger::CheckAmendment(const VerifiedEvent& e,
                                               const GroupState& state) const {
  const v1::PledgeAmendment& a = e.event.pledge_amendment();
  CONSTELLATION_ASSIGN_OR_RETURN(
      const PledgeState* own,
      OwnPledge(a.pledge_id(), "pledge_amendment.pledge_id", "amend", e, state));
  const PledgeState& p = *own;
  const CampaignState& c = campaigns_.at(p.campaign);
  const PastView past = PastOf(p, LapsedInPast(c, e, state), e, state);
  CONSTELLATION_RETURN_IF_ERROR(OpenInPast(p, past, "it cannot be amended"));
  const std::string currency = p.terms.amount.currency.ToString();
  if (a.terms().amount().currency() != currency) {
    return absl::InvalidArgumentError(
        absl::StrFormat("pledge_amendment.terms.amount.currency must stay %s", currency));
  }
  const int64_t amount = a.terms().amount().amount_minor();
  if (amount < past.settled_minor()) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "pledge %s has %s received or written off; the amended amount %s cannot be lower",
        p.id.ShortHex(), FormatMoney(past.settled_minor(), currency),
        FormatMoney(amount, currency)));
  }
  const PledgeTerms& old_terms = past.settlement.terms->terms;
  const size_t paid = FullyPaidCount(old_terms, past.settlement.received_minor);
  const PledgeTerms new_terms = CompactTerms(a.terms());
  for (size_t i = 0; i < paid; ++i) {
    if (i >= new_terms.installments.size() || new_terms.installments[i] != old_terms.installments[i]) {
      return absl::FailedPreconditionError(absl::StrFormat(
          "pledge %s has its first %d installment(s) paid; paid installments are never "
          "rewritten: keep them unchanged at the start of pledge_amendment.terms.installments",
          p.id.ShortHex(), paid));
    }
  }
  for (const InstallmentDue& in : new_terms.installments) {
    if (in.due_ms < c.opened_hlc.wall_ms) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "pledge_amendment.terms.installments: an installment is due at %d ms, before "
          "campaign %s opened (%d ms); installment due before the campaign opened",
          in.due_ms, c.id.ShortHex(), c.opened_hlc.wall_ms));
    }
  }
  return CheckTotalsBound(c, p.terms.amount.currency, amount, e, state);
}

absl::Status FundraisingLedger::CheckCancellation(const VerifiedEvent& e,
                                                  const GroupState& state) const {
  CONSTELLATION_ASSIGN_OR_RETURN(
      const PledgeState* own, OwnPledge(e.event.pledge_cancellation().pledge_id(),
                                        "pledge_cancellation.pledge_id", "cancel", e, state));
  const PledgeState& p = *own;
  const PastView past = PastOf(p, LapsedInPast(campaigns_.at(p.campaign), e, state), e, state);
  CONSTELLATION_RETURN_IF_ERROR(OpenInPast(p, past, "it cannot be cancelled again"));
  if (past.settled_minor() >= past.settlement.amount_minor) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "pledge %s is completed; there is nothing left to cancel", p.id.ShortHex()));
  }
  return absl::OkStatus();
}

absl::Status FundraisingLedger::CheckPayment(const VerifiedEvent& e,
                                             const GroupState& state) const {
  const v1::PaymentReceipt& r = e.event.payment_receipt();
  CONSTELLATION_ASSIGN_OR_RETURN(
      const PledgeState* p, ReferencedPledge(r.pledge_id(), "payment_receipt.pledge_id", e, state));
  const CampaignState& c = campaigns_.at(p->campaign);
  if (c.fiscal_host != e.author) {
    return absl::PermissionDeniedError(absl::StrFormat(
        "only the campaign's fiscal host (org %s) records payments for pledge %s",
        c.fiscal_host.ShortHex(), p->id.ShortHex()));
  }
  const std::string currency = p->terms.amount.currency.ToString();
  if (r.amount().currency() != currency) {
    return absl::InvalidArgumentError(
        absl::StrFormat("payment_receipt.amount.currency is %s but pledge %s is in %s",
                        r.amount().currency(), p->id.ShortHex(), currency));
  }
  if (r.received_ms() > e.hlc.wall_ms) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "payment_receipt.received_ms %d is after this event's time %d: received in the future; "
        "record a payment once it has arrived",
        r.received_ms(), e.hlc.wall_ms));
  }
  CONSTELLATION_RETURN_IF_ERROR(
      CheckTotalsBound(c, p->terms.amount.currency, r.amount().amount_minor(), e, state));
  if (r.unapplied()) return absl::OkStatus();
  constexpr std::string_view kUnapplied =
      "record the money as an unapplied receipt (payment_receipt.unapplied) to refund or "
      "re-allocate it";
  CONSTELLATION_RETURN_IF_ERROR(ThresholdMetInPast(c, e, state, kUnapplied));
  const PastView past = PastOf(*p, /*lapsed_by_threshold=*/false, e, state);  // met: checked
  CONSTELLATION_RETURN_IF_ERROR(OpenInPast(*p, past, std::string(kUnapplied)));
  if (r.amount().amount_minor() > past.outstanding_minor()) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "payment of %s exceeds the %s outstanding on pledge %s; record the excess as an "
        "unapplied receipt",
        FormatMoney(r.amount().amount_minor(), r.amount().currency()),
        FormatMoney(past.outstanding_minor(), r.amount().currency()), p->id.ShortHex()));
  }
  return absl::OkStatus();
}

absl::Status FundraisingLedger::CheckWriteOff(const VerifiedEvent& e,
                                              const GroupState& state) const {
  const v1::WriteOff& w = e.event.write_off();
  CONSTELLATION_ASSIGN_OR_RETURN(const PledgeState* p,
                                 ReferencedPledge(w.pledge_id(), "write_off.pledge_id", e, state));
  const CampaignState& c = campaigns_.at(p->campaign);
  if (c.fiscal_host != e.author) {
    return absl::PermissionDeniedError(absl::StrFormat(
        "only the campaign's fiscal host (org %s) writes off pledge %s, backed by a WRITE_OFF "
        "decision",
        c.fiscal_host.ShortHex(), p->id.ShortHex()));
  }
  CONSTELLATION_ASSIGN_OR_RETURN(
      const ProposalState* proposal,
      Governance(state).PassedDecisionInPast(w.proposal_id(), "write_off.proposal_id",
                                             v1::DECISION_TYPE_WRITE_OFF, e, state));
  const v1::WriteOffPayload& decided = proposal->proposal.write_off();
  if (decided.pledge_id() != w.pledge_id() || decided.amount().amount_minor() != w.amount().amount_minor() ||
      decided.amount().currency() != w.amount().currency()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "write_off differs from WRITE_OFF proposal %s, which decided %s on pledge %s; write off "
        "exactly what was decided",
        proposal->id.ShortHex(),
        FormatMoney(decided.amount().amount_minor(), decided.amount().currency()),
        EventId::FromBytes(decided.pledge_id()).ok()
            ? EventId::FromBytes(decided.pledge_id())->ShortHex()
            : std::string("?")));
  }
  if (auto it = write_off_of_proposal_.find(proposal->id); it != write_off_of_proposal_.end()) {
    return absl::AlreadyExistsError(
        absl::StrFormat("WRITE_OFF proposal %s was already executed by write-off %s",
                        proposal->id.ShortHex(), it->second.ShortHex()));
  }
  constexpr std::string_view kWhat = "nothing can be written off";
  CONSTELLATION_RETURN_IF_ERROR(ThresholdMetInPast(c, e, state, kWhat));
  const PastView past = PastOf(*p, /*lapsed_by_threshold=*/false, e, state);  // met: checked
  CONSTELLATION_RETURN_IF_ERROR(OpenInPast(*p, past, std::string(kWhat)));
  const std::string currency = p->terms.amount.currency.ToString();
  if (w.amount().amount_minor() > past.outstanding_minor()) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "write-off of %s exceeds the %s outstanding on pledge %s",
        FormatMoney(w.amount().amount_minor(), currency),
        FormatMoney(past.outstanding_minor(), currency), p->id.ShortHex()));
  }
  return absl::OkStatus();
}

absl::Status FundraisingLedger::CheckCondition(const VerifiedEvent& e,
                                               const GroupState& state) const {
  const v1::PledgeConditionResolution& r = e.event.pledge_condition();
  CONSTELLATION_ASSIGN_OR_RETURN(
      const PledgeState* p, ReferencedPledge(r.pledge_id(), "pledge_condition.pledge_id", e, state));
  const CampaignState& c = campaigns_.at(p->campaign);
  if (e.author != p->pledger && e.author != c.fiscal_host) {
    return absl::PermissionDeniedError(absl::StrFormat(
        "only the pledger (org %s) or the campaign's fiscal host (org %s) resolves the condition "
        "of pledge %s",
        p->pledger.ShortHex(), c.fiscal_host.ShortHex(), p->id.ShortHex()));
  }
  const PastView past = PastOf(*p, LapsedInPast(c, e, state), e, state);
  if (past.settlement.condition != ConditionOutcome::kNone) {
    return absl::AlreadyExistsError(absl::StrFormat(
        "the condition of pledge %s is already resolved (%s)", p->id.ShortHex(),
        std::string(ConditionOutcomeName(past.settlement.condition))));
  }
  CONSTELLATION_RETURN_IF_ERROR(OpenInPast(*p, past, "its condition cannot be resolved"));
  if (!past.settlement.terms->terms.conditional) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "pledge %s has no condition in its current terms; there is nothing to resolve",
        p->id.ShortHex()));
  }
  return absl::OkStatus();
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
  PledgeState& stored = pledges_.emplace(e.id, std::move(p)).first->second;
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
  PledgeState& p = pledges_.at(*EventId::FromBytes(pledge_id));
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
  for (const EventId& id : c.pledges) Resettle(pledges_.at(id), state, /*counted=*/true);
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
