#include "server/core/pooled/pooled_ledger.h"

#include <algorithm>

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

Money CompactValue(const v1::Money& money) {
  return Money{.amount_minor = money.amount_minor(), .currency = CurrencyCode(money.currency())};
}

std::optional<EventId> OptionalEventId(const std::string& bytes) {
  if (bytes.empty()) return std::nullopt;
  return *EventId::FromBytes(bytes);
}

std::string KindName(v1::ContributionKind kind) {
  return std::string(ProtoEnumName<v1::ContributionKind_descriptor>(kind, "CONTRIBUTION_KIND_"));
}

// Basis points for `weights` (all >= 0, in order of precedence: earliest-joined first) by the
// largest remainder method: floor(10000 × w / Σw) each, then one basis point each to the
// largest remainders, ties to the earlier entry (docs/PROTOCOL.md §5.10).
std::vector<uint32_t> Apportion(const std::vector<int64_t>& weights) {
  std::vector<uint32_t> bps(weights.size(), 0);
  __int128 total = 0;
  for (int64_t w : weights) total += w;
  if (total <= 0) return bps;
  std::vector<std::pair<__int128, size_t>> remainders;
  int64_t given = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    const __int128 scaled = static_cast<__int128>(weights[i]) * 10000;
    bps[i] = static_cast<uint32_t>(scaled / total);
    given += bps[i];
    remainders.push_back({scaled % total, i});
  }
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (size_t k = 0; given < 10000 && k < remainders.size(); ++k, ++given) {
    ++bps[remainders[k].second];
  }
  return bps;
}

}  // namespace

const PooledLedger& Pooled(const GroupState& state) { return state.ledger<PooledLedger>(); }

std::string_view PooledEntryKindName(PooledEntryKind kind) {
  static constexpr std::string_view kNames[] = {"contribution", "reversal", "fund", "receipt",
                                                "disbursement"};
  return EnumName(kind, kNames);
}

std::string_view DrawdownStatusName(DrawdownStatus status) {
  static constexpr std::string_view kNames[] = {"proposed", "rejected", "approved", "refused",
                                                "disbursed"};
  return EnumName(status, kNames);
}

// ---------------------------------------------------------------------------------------------
// Check

absl::Status PooledLedger::Check(const VerifiedEvent& e, const GroupState& state) const {
  switch (e.event.body_case()) {
    case v1::Event::kContribution:
      return CheckContribution(e, state);
    case v1::Event::kFund:
      return CheckFund(e, state);
    case v1::Event::kContributionReceipt:
      return CheckReceipt(e, state);
    case v1::Event::kDisbursement:
      return CheckDisbursement(e, state);
    default:
      CONSTELLATION_CHECK(false);  // the registry routes only these record types here
      return absl::InternalError("unreachable");
  }
}

absl::Status PooledLedger::CheckContribution(const VerifiedEvent& e,
                                             const GroupState& state) const {
  const v1::Contribution& c = e.event.contribution();
  if (!Governance(state).IsMemberInPast(e.author, e, state)) {
    return absl::PermissionDeniedError(absl::StrFormat(
        "org %s is not a member in this contribution's causal past; only members record "
        "contributions",
        e.author.ShortHex()));
  }
  if (c.valuation_method() == v1::VALUATION_METHOD_STANDARD_RATE) {
    const v1::StandardRate* rate = nullptr;
    for (const v1::StandardRate& r : Governance(state).CharterInPast(e, state).standard_rates()) {
      if (r.kind() == c.kind() && r.unit() == c.unit()) {
        rate = &r;
        break;
      }
    }
    if (rate == nullptr) {
      return absl::FailedPreconditionError(absl::StrFormat(
          "the charter has no standard rate for %s per '%s'; value it at actual cost, or amend "
          "the charter to add the rate",
          KindName(c.kind()), c.unit()));
    }
    if (rate->rate().amount_minor() != c.unit_rate().amount_minor() ||
        rate->rate().currency() != c.unit_rate().currency()) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "contribution.unit_rate is %s but the charter's standard rate for %s per '%s' is %s",
          FormatMoney(c.unit_rate().amount_minor(), c.unit_rate().currency()), KindName(c.kind()),
          c.unit(), FormatMoney(rate->rate().amount_minor(), rate->rate().currency())));
    }
    // ValidateContribution checked value = round_half_up(quantity × unit_rate / 1000).
  }
  if (!c.fund_id().empty()) {
    const EventId fund_id = *EventId::FromBytes(c.fund_id());
    auto f = funds_.find(fund_id);
    if (f == funds_.end()) {
      return absl::NotFoundError(absl::StrFormat("fund %s not found in group %s",
                                                 fund_id.ShortHex(), state.group().ShortHex()));
    }
    if (!state.clocks().HappenedBefore(fund_id, e)) {
      return absl::FailedPreconditionError(absl::StrFormat(
          "fund %s is not in this contribution's causal past; write it from a node that holds "
          "the fund",
          fund_id.ShortHex()));
    }
    if (c.value().currency() != f->second.currency.view()) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "contribution.value is in %s but fund %s holds %s; pay it in %s", c.value().currency(),
          fund_id.ShortHex(), f->second.currency.ToString(), f->second.currency.ToString()));
    }
  }
  if (!c.reverses().empty()) return CheckReversal(e, state);
  auto net = net_contributed_.find({e.author, c.value().currency()});
  const __int128 sum = static_cast<__int128>(net == net_contributed_.end() ? 0 : net->second) +
                       c.value().amount_minor();
  if (sum > INT64_MAX) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "org %s's contributions in %s would exceed int64 (9223372036854775807 minor units); "
        "record it in another group or currency",
        e.author.ShortHex(), c.value().currency()));
  }
  return absl::OkStatus();
}

absl::Status PooledLedger::CheckReversal(const VerifiedEvent& e, const GroupState& state) const {
  const v1::Contribution& c = e.event.contribution();
  const EventId target = *EventId::FromBytes(c.reverses());
  auto it = contributions_.find(target);
  if (it == contributions_.end()) {
    return absl::NotFoundError(absl::StrFormat("contribution %s not found in group %s",
                                               target.ShortHex(), state.group().ShortHex()));
  }
  const ContributionState& t = it->second;
  if (t.contributor != e.author) {
    return absl::PermissionDeniedError(
        absl::StrFormat("contribution %s was recorded by org %s; only its contributor may "
                        "reverse it",
                        target.ShortHex(), t.contributor.ShortHex()));
  }
  if (t.is_reversal()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "contribution %s is itself a reversal; record the entry again instead", target.ShortHex()));
  }
  if (t.reversed_by.has_value()) {
    return absl::AlreadyExistsError(absl::StrFormat("contribution %s was already reversed by %s",
                                                    target.ShortHex(), t.reversed_by->ShortHex()));
  }
  if (t.kind != c.kind() || t.value != CompactValue(c.value()) ||
      t.fund != OptionalEventId(c.fund_id())) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "a reversal repeats the kind, value and fund of contribution %s (%s, %s); record the "
        "corrected entry separately",
        target.ShortHex(), KindName(t.kind),
        FormatMoney(t.value.amount_minor, t.value.currency.view())));
  }
  if (t.receipt.has_value() && state.clocks().HappenedBefore(*t.receipt, e)) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "contribution %s cannot be reversed: its cash is in fund %s (receipt %s); ask the "
        "fiscal host to refund it through a drawdown",
        target.ShortHex(), t.fund->ShortHex(), t.receipt->ShortHex()));
  }
  return absl::OkStatus();
}

absl::Status PooledLedger::CheckFund(const VerifiedEvent& e, const GroupState& state) const {
  const v1::Fund& fund = e.event.fund();
  CONSTELLATION_ASSIGN_OR_RETURN(
      const ProposalState* p,
      Governance(state).PassedDecisionInPast(fund.proposal_id(), "fund.proposal_id",
                                             v1::DECISION_TYPE_CREATE_FUND, e, state));
  v1::Fund without_proposal = fund;
  without_proposal.clear_proposal_id();
  if (!google::protobuf::util::MessageDifferencer::Equivalent(without_proposal,
                                                              p->proposal.fund())) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "fund differs from the payload of proposal %s; record exactly the fund decided",
        p->id.ShortHex()));
  }
  const OrgKey host = *OrgKey::FromBytes(fund.fiscal_host());
  if (host != e.author) {
    return absl::PermissionDeniedError(
        absl::StrFormat("fund of proposal %s is held by org %s; only its fiscal host records it",
                        p->id.ShortHex(), host.ShortHex()));
  }
  if (!Governance(state).IsMemberInPast(host, e, state)) {
    return absl::PermissionDeniedError(absl::StrFormat(
        "fiscal host %s is not a member in this event's causal past", host.ShortHex()));
  }
  if (auto it = fund_by_proposal_.find(p->id); it != fund_by_proposal_.end()) {
    return absl::AlreadyExistsError(absl::StrFormat("proposal %s already created fund %s",
                                                    p->id.ShortHex(), it->second.ShortHex()));
  }
  return absl::OkStatus();
}

absl::StatusOr<const FundState*> PooledLedger::HostedFund(const std::string& id_bytes,
                                                          std::string_view field,
                                                          const VerifiedEvent& e,
                                                          const GroupState& state) const {
  CONSTELLATION_ASSIGN_OR_RETURN(EventId id, EventId::FromBytes(id_bytes, field));
  auto it = funds_.find(id);
  if (it == funds_.end()) {
    return absl::NotFoundError(
        absl::StrFormat("fund %s not found in group %s", id.ShortHex(), state.group().ShortHex()));
  }
  if (it->second.fiscal_host != e.author) {
    return absl::PermissionDeniedError(
        absl::StrFormat("fund %s is held by org %s; only its fiscal host records its receipts and "
                        "disbursements",
                        id.ShortHex(), it->second.fiscal_host.ShortHex()));
  }
  return &it->second;
}

absl::Status PooledLedger::CheckReceipt(const VerifiedEvent& e, const GroupState& state) const {
  const v1::ContributionReceipt& r = e.event.contribution_receipt();
  const EventId id = *EventId::FromBytes(r.contribution_id());
  auto it = contributions_.find(id);
  if (it == contributions_.end()) {
    return absl::NotFoundError(absl::StrFormat("contribution %s not found in group %s",
                                               id.ShortHex(), state.group().ShortHex()));
  }
  const ContributionState& c = it->second;
  if (!state.clocks().HappenedBefore(id, e)) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "contribution %s is not in this receipt's causal past; record it from a node that holds "
        "the contribution",
        id.ShortHex()));
  }
  if (!c.fund.has_value() || c.is_reversal()) {
    return absl::FailedPreconditionError(
        absl::StrFormat("contribution %s is not cash paid into a fund; there is nothing to receipt",
                        id.ShortHex()));
  }
  CONSTELLATION_ASSIGN_OR_RETURN(const FundState* f,
                                 HostedFund(c.fund->Bytes(), "contribution.fund_id", e, state));
  if (c.reversed_by.has_value() && state.clocks().HappenedBefore(*c.reversed_by, e)) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "contribution %s was reversed by its contributor (%s); the cash is not owed to fund %s",
        id.ShortHex(), c.reversed_by->ShortHex(), f->id.ShortHex()));
  }
  if (c.receipt.has_value()) {
    return absl::AlreadyExistsError(absl::StrFormat("contribution %s was already receipted (%s)",
                                                    id.ShortHex(), c.receipt->ShortHex()));
  }
  if (CompactValue(r.amount()) != c.value) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "contribution_receipt.amount is %s but contribution %s is %s; receipt the whole value",
        FormatMoney(r.amount().amount_minor(), r.amount().currency()), id.ShortHex(),
        FormatMoney(c.value.amount_minor, c.value.currency.view())));
  }
  if (r.received_ms() > e.hlc.wall_ms) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "contribution_receipt.received_ms %d is received in the future (the event is stamped "
        "%d); give the date the cash arrived",
        r.received_ms(), e.hlc.wall_ms));
  }
  if (static_cast<__int128>(f->received_minor) + c.value.amount_minor > INT64_MAX) {
    return absl::InvalidArgumentError(
        absl::StrFormat("fund %s's receipts would exceed int64 (9223372036854775807 minor units)",
                        f->id.ShortHex()));
  }
  return absl::OkStatus();
}

absl::Status PooledLedger::CheckDisbursement(const VerifiedEvent& e,
                                             const GroupState& state) const {
  const v1::Disbursement& d = e.event.disbursement();
  CONSTELLATION_ASSIGN_OR_RETURN(
      const ProposalState* p,
      Governance(state).PassedDecisionInPast(d.proposal_id(), "disbursement.proposal_id",
                                             v1::DECISION_TYPE_ALLOCATE_FUNDS, e, state));
  const v1::AllocatePayload& a = p->proposal.allocate();
  CONSTELLATION_ASSIGN_OR_RETURN(const FundState* f,
                                 HostedFund(a.fund_id(), "allocate.fund_id", e, state));
  const std::string currency = f->currency.ToString();
  CONSTELLATION_RETURN_IF_ERROR(
      DrawdownFitsFund(a, *f, absl::StrFormat("drawdown %s", p->id.ShortHex())));
  if (CompactValue(d.amount()) != CompactValue(a.amount())) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "disbursement.amount is %s but drawdown %s decided %s; disburse exactly that",
        FormatMoney(d.amount().amount_minor(), d.amount().currency()), p->id.ShortHex(),
        FormatMoney(a.amount().amount_minor(), currency)));
  }
  if (auto it = disbursements_.find(p->id); it != disbursements_.end()) {
    return absl::AlreadyExistsError(absl::StrFormat("drawdown %s was already disbursed (%s)",
                                                    p->id.ShortHex(), it->second.id.ShortHex()));
  }
  if (f->restriction == v1::RESTRICTION_KIND_TIME && e.hlc.wall_ms < f->until_ms) {
    return absl::FailedPreconditionError(
        absl::StrFormat("fund %s is restricted until %d ms; disburse on or after that time",
                        f->id.ShortHex(), f->until_ms));
  }
  if (f->balance_minor() < a.amount().amount_minor()) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "fund %s has %s available; drawdown %s needs %s (a fund is never overdrawn)",
        f->id.ShortHex(), FormatMoney(f->balance_minor(), currency), p->id.ShortHex(),
        FormatMoney(a.amount().amount_minor(), currency)));
  }
  return absl::OkStatus();
}

absl::Status DrawdownFitsFund(const v1::AllocatePayload& a, const FundState& f,
                              std::string_view label) {
  const std::string currency = f.currency.ToString();
  if (a.amount().currency() != currency) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s is in %s but fund %s holds %s; it cannot be disbursed from this fund",
                        label, a.amount().currency(), f.id.ShortHex(), currency));
  }
  if (f.restriction == v1::RESTRICTION_KIND_PERPETUAL) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "fund %s is perpetually restricted (\"%s\"): an endowment's principal is never "
        "disbursed",
        f.id.ShortHex(), f.restriction_text));
  }
  if (f.restriction == v1::RESTRICTION_KIND_PURPOSE && a.purpose() != f.restriction_text) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s states the purpose \"%s\" but fund %s is restricted to \"%s\"; a restricted fund "
        "pays only for its donors' purpose: state it exactly (put details in the budget line)",
        label, a.purpose(), f.id.ShortHex(), f.restriction_text));
  }
  return absl::OkStatus();
}

absl::Status PooledLedger::CheckOwnWrite(const v1::Event& body, const GroupState& state) const {
  if (!body.has_proposal() || body.proposal().decision_type() != v1::DECISION_TYPE_ALLOCATE_FUNDS) {
    return absl::OkStatus();
  }
  const v1::AllocatePayload& a = body.proposal().allocate();
  CONSTELLATION_ASSIGN_OR_RETURN(const EventId id,
                                 EventId::FromBytes(a.fund_id(), "proposal.allocate.fund_id"));
  auto f = funds_.find(id);
  if (f == funds_.end()) {
    return absl::NotFoundError(absl::StrFormat(
        "proposal.allocate.fund_id: fund %s not found in group %s; a drawdown names a fund its "
        "fiscal host created ('constellation pool fund list')",
        id.ShortHex(), state.group().ShortHex()));
  }
  return DrawdownFitsFund(a, f->second, "the drawdown");
}

// ---------------------------------------------------------------------------------------------
// Apply

void PooledLedger::Apply(const VerifiedEvent& e, const GroupState& state, Roster& roster) {
  (void)roster;
  switch (e.event.body_case()) {
    case v1::Event::kContribution:
      ApplyContribution(e);
      return;
    case v1::Event::kFund:
      ApplyFund(e);
      return;
    case v1::Event::kContributionReceipt:
      ApplyReceipt(e);
      return;
    case v1::Event::kDisbursement:
      ApplyDisbursement(e, state);
      return;
    default:
      CONSTELLATION_CHECK(false);  // Check admits only the record types handled above
  }
}

void PooledLedger::ApplyContribution(const VerifiedEvent& e) {
  const v1::Contribution& body = e.event.contribution();
  ContributionState c;
  c.id = e.id;
  c.contributor = e.author;
  c.kind = body.kind();
  c.value = CompactValue(body.value());
  c.fund = OptionalEventId(body.fund_id());
  c.reverses = OptionalEventId(body.reverses());
  c.hlc = e.hlc;
  int64_t& net = net_contributed_[{e.author, body.value().currency()}];
  if (c.reverses.has_value()) {
    ContributionState& target = contributions_.at(*c.reverses);
    CONSTELLATION_CHECK(!target.reversed_by.has_value() && target.contributor == e.author);
    target.reversed_by = e.id;
    // A receipt that sorted first but that the reversal had not seen: both stand (§5.10).
    target.reversed_after_receipt = target.receipt.has_value();
    net -= c.value.amount_minor;
    entries_.push_back({PooledEntryKind::kReversal, e.id});
  } else {
    net += c.value.amount_minor;
    entries_.push_back({PooledEntryKind::kContribution, e.id});
  }
  CONSTELLATION_CHECK(net >= 0);
  contributions_.emplace(e.id, std::move(c));
}

void PooledLedger::ApplyFund(const VerifiedEvent& e) {
  const v1::Fund& body = e.event.fund();
  FundState f;
  f.id = e.id;
  f.proposal = *EventId::FromBytes(body.proposal_id());
  f.fiscal_host = e.author;
  f.currency = CurrencyCode(body.currency());
  f.restriction = body.restriction().kind();
  f.restriction_text = body.restriction().text();
  f.until_ms = body.restriction().until_ms();
  f.created_hlc = e.hlc;
  fund_by_proposal_.emplace(f.proposal, e.id);
  entries_.push_back({PooledEntryKind::kFund, e.id});
  CheckFundInvariants(funds_.emplace(e.id, std::move(f)).first->second);
}

void PooledLedger::ApplyReceipt(const VerifiedEvent& e) {
  const v1::ContributionReceipt& r = e.event.contribution_receipt();
  ContributionState& c = contributions_.at(*EventId::FromBytes(r.contribution_id()));
  c.receipt = e.id;
  // A reversal that sorted first but that the receipt had not seen: both stand (§5.10).
  c.reversed_after_receipt = c.reversed_by.has_value();
  FundState& f = funds_.at(*c.fund);
  f.received_minor += c.value.amount_minor;
  f.receipts.push_back(e.id);
  entries_.push_back({PooledEntryKind::kReceipt, e.id});
  CheckFundInvariants(f);
}

void PooledLedger::ApplyDisbursement(const VerifiedEvent& e, const GroupState& state) {
  const v1::Disbursement& d = e.event.disbursement();
  const EventId proposal = *EventId::FromBytes(d.proposal_id());
  const ProposalState& p = Governance(state).proposals().at(proposal);
  DisbursementState s;
  s.id = e.id;
  s.proposal = proposal;
  s.fund = *EventId::FromBytes(p.proposal.allocate().fund_id());
  s.amount_minor = d.amount().amount_minor();
  s.hlc = e.hlc;
  FundState& f = funds_.at(s.fund);
  f.disbursed_minor += s.amount_minor;
  f.disbursements.push_back(e.id);
  entries_.push_back({PooledEntryKind::kDisbursement, e.id});
  disbursements_.emplace(proposal, std::move(s));
  CheckFundInvariants(f);
}

void PooledLedger::AfterEvent(const VerifiedEvent& e, const GroupState& state, Roster& roster) {
  (void)roster;
  const v1::Event& ev = e.event;
  if (ev.has_proposal() && ev.proposal().decision_type() == v1::DECISION_TYPE_ALLOCATE_FUNDS &&
      Governance(state).proposals().contains(e.id)) {
    drawdowns_.push_back(e.id);
  }
  const bool joined = (ev.has_charter() && state.roster().charter_event() == e.id) ||
                      (ev.has_membership_acceptance() && state.roster().Find(e.author) != nullptr &&
                       state.roster().Find(e.author)->joined_event == e.id);
  if (joined) {
    std::erase(join_order_, e.author);
    join_order_.push_back(e.author);
  }
}

void PooledLedger::CheckFundInvariants(const FundState& f) const {
  CONSTELLATION_CHECK(f.received_minor >= 0 && f.disbursed_minor >= 0);
  CONSTELLATION_CHECK(f.balance_minor() >= 0);
  CONSTELLATION_CHECK(f.received_minor >= f.disbursed_minor);
}

void PooledLedger::CheckInvariants() const {
  std::map<std::pair<OrgKey, std::string>, int64_t> net;
  for (const auto& [id, c] : contributions_) {
    CONSTELLATION_CHECK(c.id == id);
    const std::string currency = c.value.currency.ToString();
    if (c.reverses.has_value()) {
      const ContributionState& t = contributions_.at(*c.reverses);
      CONSTELLATION_CHECK(t.reversed_by == id && t.contributor == c.contributor);
      CONSTELLATION_CHECK(t.kind == c.kind && t.value == c.value && t.fund == c.fund);
      net[{c.contributor, currency}] -= c.value.amount_minor;
    } else {
      net[{c.contributor, currency}] += c.value.amount_minor;
    }
    if (c.reversed_by.has_value()) {
      CONSTELLATION_CHECK(contributions_.at(*c.reversed_by).reverses == id);
    }
    CONSTELLATION_CHECK(c.reversed_after_receipt ==
                        (c.reversed_by.has_value() && c.receipt.has_value()));
  }
  CONSTELLATION_CHECK(net == net_contributed_);
  for (const auto& [id, f] : funds_) {
    CheckFundInvariants(f);
    int64_t received = 0, disbursed = 0;
    for (const auto& [cid, c] : contributions_) {
      if (c.receipt.has_value() && c.fund == id) received += c.value.amount_minor;
    }
    for (const auto& [proposal, d] : disbursements_) {
      if (d.fund == id) disbursed += d.amount_minor;
    }
    CONSTELLATION_CHECK(received == f.received_minor && disbursed == f.disbursed_minor);
    CONSTELLATION_CHECK(fund_by_proposal_.at(f.proposal) == id);
  }
  CONSTELLATION_CHECK(fund_by_proposal_.size() == funds_.size());
}

void PooledLedger::HashInto(StateHasher& h) const {
  // An empty ledger writes nothing, so histories without pooled records keep their hashes
  // (docs/PROTOCOL.md §5.10).
  // The drawdown list and the join order are indexes of governance and roster facts, which
  // those ledgers hash; they are not hashed again.
  if (contributions_.empty() && funds_.empty() && disbursements_.empty()) return;
  h.Bytes("constellation/v1/pooled");
  h.U64(entries_.size());
  for (const PooledEntry& entry : entries_) {
    h.U64(static_cast<uint64_t>(entry.kind));
    h.Id(entry.event);
  }
  h.U64(contributions_.size());
  for (const auto& [id, c] : contributions_) {
    h.Id(id);
    h.Id(c.contributor);
    h.U64(static_cast<uint64_t>(c.kind));
    h.I64(c.value.amount_minor);
    h.Bytes(c.value.currency.view());
    h.OptionalId(c.fund);
    h.OptionalId(c.reverses);
    h.OptionalId(c.reversed_by);
    h.OptionalId(c.receipt);
    h.Bool(c.reversed_after_receipt);
  }
  h.U64(funds_.size());
  for (const auto& [id, f] : funds_) {
    h.Id(id);
    h.Id(f.proposal);
    h.Id(f.fiscal_host);
    h.Bytes(f.currency.view());
    h.U64(static_cast<uint64_t>(f.restriction));
    h.U64(f.until_ms);
    h.I64(f.received_minor);
    h.I64(f.disbursed_minor);
  }
  h.U64(disbursements_.size());
  for (const auto& [proposal, d] : disbursements_) {
    h.Id(proposal);
    h.Id(d.id);
    h.Id(d.fund);
    h.I64(d.amount_minor);
  }
  h.U64(net_contributed_.size());
  for (const auto& [key, net] : net_contributed_) {
    h.Id(key.first);
    h.Bytes(key.second);
    h.I64(net);
  }
}

// ---------------------------------------------------------------------------------------------
// Derived views

std::vector<DrawdownView> Drawdowns(const GroupState& state, const std::optional<EventId>& fund) {
  const PooledLedger& pooled = Pooled(state);
  const GovernanceLedger& governance = Governance(state);
  std::vector<DrawdownView> out;
  std::map<EventId, int64_t> available;  // per fund, as the walk claims from it
  for (const EventId& id : pooled.drawdown_proposals()) {
    const ProposalState& p = governance.proposals().at(id);
    const v1::AllocatePayload& a = p.proposal.allocate();
    DrawdownView d;
    d.proposal = id;
    d.fund = *EventId::FromBytes(a.fund_id());
    if (fund.has_value() && d.fund != *fund) continue;
    d.proposer = p.proposer;
    d.recipient = *OrgKey::FromBytes(a.recipient());
    d.amount = CompactValue(a.amount());
    const std::string currency = d.amount.currency.ToString();
    if (auto it = pooled.disbursements().find(id); it != pooled.disbursements().end()) {
      d.status = DrawdownStatus::kDisbursed;
      d.disbursement = it->second.id;
    } else if (!p.outcome.final) {
      d.status = DrawdownStatus::kProposed;
    } else if (p.outcome.outcome != DecisionOutcome::kPassed) {
      d.status = DrawdownStatus::kRejected;
    } else if (auto f = pooled.funds().find(d.fund); f == pooled.funds().end()) {
      d.status = DrawdownStatus::kRefused;
      d.reason = absl::StrFormat("fund %s does not exist", d.fund.ShortHex());
    } else if (absl::Status fits = DrawdownFitsFund(a, f->second, "the drawdown"); !fits.ok()) {
      d.status = DrawdownStatus::kRefused;
      d.reason = std::string(fits.message());
    } else {
      auto [slot, inserted] = available.try_emplace(d.fund, f->second.balance_minor());
      if (d.amount.amount_minor <= slot->second) {
        d.status = DrawdownStatus::kApproved;
        slot->second -= d.amount.amount_minor;
      } else {
        d.status = DrawdownStatus::kRefused;
        d.reason = absl::StrFormat(
            "fund %s has %s available after earlier approved drawdowns; this one needs %s",
            d.fund.ShortHex(), FormatMoney(slot->second, currency),
            FormatMoney(d.amount.amount_minor, currency));
      }
    }
    out.push_back(std::move(d));
  }
  return out;
}

int64_t ApprovedUndisbursedMinor(const std::vector<DrawdownView>& drawdowns, const EventId& fund) {
  int64_t sum = 0;  // cannot overflow: approved drawdowns fit the fund's balance together
  for (const DrawdownView& d : drawdowns) {
    if (d.fund == fund && d.status == DrawdownStatus::kApproved) sum += d.amount.amount_minor;
  }
  return sum;
}

BenefitShares ComputeBenefitShares(const GroupState& state) {
  const PooledLedger& pooled = Pooled(state);
  // Precedence: the canonical order of joined events, then key (orgs that left keep theirs).
  std::map<OrgKey, size_t> rank;
  for (size_t i = 0; i < pooled.join_order().size(); ++i) rank[pooled.join_order()[i]] = i;
  auto by_rank = [&rank](const OrgKey& a, const OrgKey& b) {
    auto ra = rank.find(a), rb = rank.find(b);
    const size_t x = ra == rank.end() ? SIZE_MAX : ra->second;
    const size_t y = rb == rank.end() ? SIZE_MAX : rb->second;
    return x != y ? x < y : a < b;
  };
  BenefitShares out;
  out.basis = Governance(state).CurrentCharter(state).benefit_share_basis();
  if (out.basis != v1::BENEFIT_SHARE_BASIS_CONTRIBUTED_VALUE) {
    out.basis = v1::BENEFIT_SHARE_BASIS_EQUAL;
    std::vector<OrgKey> members;
    for (const auto& [key, m] : state.roster().members()) {
      const bool active =
          m.status == MemberStatus::kActive || m.status == MemberStatus::kNoticeGiven;
      if (active && m.profile.role() != v1::ROLE_OBSERVER) members.push_back(key);
    }
    std::sort(members.begin(), members.end(), by_rank);
    const std::vector<uint32_t> bps = Apportion(std::vector<int64_t>(members.size(), 1));
    std::vector<BenefitShare> shares;
    for (size_t i = 0; i < members.size(); ++i) shares.push_back({members[i], bps[i], 0});
    out.by_currency.push_back({"", std::move(shares)});
    return out;
  }
  std::map<std::string, std::vector<std::pair<OrgKey, int64_t>>> per_currency;
  for (const auto& [key, net] : pooled.net_contributed()) {
    if (net > 0) per_currency[key.second].push_back({key.first, net});
  }
  for (auto& [currency, entries] : per_currency) {
    std::sort(entries.begin(), entries.end(),
              [&by_rank](const auto& a, const auto& b) { return by_rank(a.first, b.first); });
    std::vector<int64_t> weights;
    for (const auto& entry : entries) weights.push_back(entry.second);
    const std::vector<uint32_t> bps = Apportion(weights);
    std::vector<BenefitShare> shares;
    for (size_t i = 0; i < entries.size(); ++i) {
      shares.push_back({entries[i].first, bps[i], entries[i].second});
    }
    out.by_currency.push_back({currency, std::move(shares)});
  }
  return out;
}

void PooledLedger::AddOpenObligations(const OrgKey& member, const GroupState& state,
                                      std::vector<Obligation>& out) const {
  for (const auto& [id, fund] : funds_) {
    if (fund.fiscal_host != member || fund.balance_minor() <= 0) continue;
    out.push_back({.kind = ObligationKind::kFund,
                   .record = id,
                   .amount_minor = fund.balance_minor(),
                   .currency = fund.currency.ToString(),
                   .due_ms = 0});
  }
  for (const DrawdownView& d : Drawdowns(state)) {
    auto fund = funds_.find(d.fund);
    if (d.status != DrawdownStatus::kApproved || fund == funds_.end() ||
        fund->second.fiscal_host != member) {
      continue;
    }
    out.push_back({.kind = ObligationKind::kDisbursement,
                   .record = d.proposal,
                   .amount_minor = d.amount.amount_minor,
                   .currency = d.amount.currency.ToString(),
                   .due_ms = 0});
  }
  for (const auto& [id, c] : contributions_) {
    if (!c.fund.has_value() || c.is_reversal() || c.reversed_by.has_value() ||
        c.receipt.has_value()) {
      continue;
    }
    auto fund = funds_.find(*c.fund);
    if (fund == funds_.end() || fund->second.fiscal_host != member) continue;
    out.push_back({.kind = ObligationKind::kReceipt,
                   .record = id,
                   .amount_minor = c.value.amount_minor,
                   .currency = c.value.currency.ToString(),
                   .due_ms = 0});
  }
}

}  // namespace constellation::core
