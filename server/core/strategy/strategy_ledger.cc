#include "server/core/strategy/strategy_ledger.h"

#include <algorithm>
#include <tuple>

#include <absl/strings/ascii.h>
#include <absl/strings/str_format.h>

#include "server/base/check.h"
#include "server/base/status_macros.h"
#include "server/core/fold/group_state.h"
#include "server/core/governance/governance_ledger.h"

namespace constellation::core {

const StrategyLedger& Strategy(const GroupState& state) { return state.ledger<StrategyLedger>(); }

namespace {

// "strategic plan", for messages.
std::string DocumentName(v1::StrategyDocument document) {
  std::string name = absl::AsciiStrToLower(
      v1::StrategyDocument_Name(document).substr(std::string_view("STRATEGY_DOCUMENT_").size()));
  std::replace(name.begin(), name.end(), '_', ' ');
  return name;
}

}  // namespace

const IndicatorState* StrategyVersionState::FindIndicator(std::string_view key) const {
  for (const IndicatorState& i : indicators) {
    if (i.key == key) return &i;
  }
  return nullptr;
}

const AdoptionState* StrategyLedger::Current(v1::StrategyDocument document) const {
  const AdoptionState* current = nullptr;
  for (const auto& [id, a] : adoptions_) {
    if (a.document != document) continue;
    if (current == nullptr ||
        std::tie(current->proposal_hlc, current->proposal) < std::tie(a.proposal_hlc, a.proposal)) {
      current = &a;
    }
  }
  return current;
}

// ---------------------------------------------------------------------------------------------
// Check

absl::Status StrategyLedger::Check(const VerifiedEvent& e, const GroupState& state) const {
  const GovernanceLedger& governance = Governance(state);
  if (!governance.IsMemberInPast(e.author, e, state)) {
    return absl::PermissionDeniedError(absl::StrFormat(
        "org %s is not a member in this record's causal past; only members draft strategy",
        e.author.ShortHex()));
  }
  const v1::StrategyVersion& v = e.event.strategy_version();
  if (!v.parent_version_id().empty()) {
    const EventId parent = *EventId::FromBytes(v.parent_version_id());  // ValidateBody checked
    const StrategyVersionState* base = FindInPast(parent, e, state);
    if (base == nullptr) {
      return absl::NotFoundError(absl::StrFormat(
          "strategy_version.parent_version_id: no strategy version %s in this record's causal "
          "past; base a version on one your node holds ('constellation strategy list')",
          parent.ShortHex()));
    }
    if (base->document != v.document()) {
      return absl::FailedPreconditionError(absl::StrFormat(
          "strategy_version.parent_version_id: version %s drafts the %s, not the %s; base a "
          "version on one of the same document",
          parent.ShortHex(), DocumentName(base->document), DocumentName(v.document())));
    }
  }
  for (const v1::Indicator& i : v.indicators()) {
    if (i.owner().empty()) continue;
    const OrgKey owner = *OrgKey::FromBytes(i.owner());
    if (!governance.IsMemberInPast(owner, e, state)) {
      return absl::FailedPreconditionError(absl::StrFormat(
          "strategy_version.indicators: the owner of '%s', org %s, is not a member of group %s; "
          "an indicator is owned by a member",
          i.key(), owner.ShortHex(), state.group().ShortHex()));
    }
  }
  return absl::OkStatus();
}

const StrategyVersionState* StrategyLedger::FindInPast(const EventId& id, const VerifiedEvent& e,
                                                       const GroupState& state) const {
  auto it = versions_.find(id);
  if (it == versions_.end() || !state.clocks().HappenedBefore(id, e)) return nullptr;
  return &it->second;
}

absl::Status StrategyLedger::CheckOwnWrite(const v1::Event& body, const GroupState& state) const {
  if (!body.has_proposal() || body.proposal().decision_type() != v1::DECISION_TYPE_ADOPT_STRATEGY) {
    return absl::OkStatus();
  }
  CONSTELLATION_ASSIGN_OR_RETURN(
      const EventId id,
      EventId::FromBytes(body.proposal().strategy_version_id(), "proposal.strategy_version_id"));
  if (!versions_.contains(id)) {
    return absl::NotFoundError(absl::StrFormat(
        "proposal.strategy_version_id: strategy version %s not found in group %s; draft it "
        "there first ('constellation strategy draft')",
        id.ShortHex(), state.group().ShortHex()));
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------------------------
// Apply and adoptions

void StrategyLedger::Apply(const VerifiedEvent& e, const GroupState& state, Roster& roster) {
  (void)state, (void)roster;
  const v1::StrategyVersion& v = e.event.strategy_version();
  StrategyVersionState s;
  s.id = e.id;
  s.author = e.author;
  s.document = v.document();
  s.hlc = e.hlc;
  if (!v.parent_version_id().empty()) {
    s.parent = *EventId::FromBytes(v.parent_version_id());
    versions_.at(*s.parent).children.push_back(e.id);
  }
  for (const v1::Indicator& i : v.indicators()) {
    IndicatorState& out = s.indicators.emplace_back();
    out.key = i.key();
    out.level = i.level();
    out.frequency = i.frequency();
    if (!i.owner().empty()) out.owner = *OrgKey::FromBytes(i.owner());
  }
  for (const v1::StrategyGoal& g : v.goals()) s.goal_keys.push_back(g.key());
  auto [it, inserted] = versions_.emplace(e.id, std::move(s));
  CONSTELLATION_CHECK(inserted);
  CheckVersionInvariants(it->second);
}

void StrategyLedger::AfterEvent(const VerifiedEvent& e, const GroupState& state, Roster& roster) {
  (void)roster;
  const GovernanceLedger& governance = Governance(state);
  // A new ADOPT_STRATEGY proposal that took effect adopts its version when the version is in
  // the proposal's causal past (docs/PROTOCOL.md §5.15); otherwise it adopts nothing.
  if (e.event.has_proposal() &&
      e.event.proposal().decision_type() == v1::DECISION_TYPE_ADOPT_STRATEGY &&
      governance.proposals().contains(e.id)) {
    absl::StatusOr<EventId> version = EventId::FromBytes(e.event.proposal().strategy_version_id());
    if (version.ok() && FindInPast(*version, e, state) != nullptr) {
      pending_.insert(e.id);
    }
  }
  for (auto it = pending_.begin(); it != pending_.end();) {
    const ProposalState& p = governance.proposals().at(*it);
    if (!p.outcome.final) {
      ++it;
      continue;
    }
    if (p.outcome.outcome == DecisionOutcome::kPassed) {
      const EventId version = *EventId::FromBytes(p.proposal.strategy_version_id());
      CONSTELLATION_CHECK(p.outcome.final_at.has_value());
      // This event turned the outcome final (AfterEvent runs after every event).
      CONSTELLATION_CHECK(*p.outcome.final_at == e.id);
      AdoptionState a{
          p.id, version, versions_.at(version).document, p.hlc, *p.outcome.final_at, e.hlc.wall_ms};
      CONSTELLATION_CHECK(adoptions_.emplace(p.id, a).second);
    }
    it = pending_.erase(it);
  }
}

// ---------------------------------------------------------------------------------------------
// Hash and invariants

void StrategyLedger::HashInto(StateHasher& h) const {
  // An empty ledger writes nothing, so histories without strategy keep their hashes
  // (docs/PROTOCOL.md §5.15). Adoptions need a version, so none exist while it is empty.
  if (versions_.empty()) return;
  h.Bytes("constellation/v1/strategy");
  h.U64(versions_.size());
  for (const auto& [id, v] : versions_) {
    h.Id(id);
    h.Id(v.author);
    h.U64(static_cast<uint64_t>(v.document));
    h.OptionalId(v.parent);
  }
  h.U64(adoptions_.size());
  for (const auto& [proposal, a] : adoptions_) {
    h.Id(proposal);
    h.Id(a.version);
  }
}

void StrategyLedger::CheckVersionInvariants(const StrategyVersionState& v) const {
  CONSTELLATION_CHECK(v.document != v1::STRATEGY_DOCUMENT_UNSPECIFIED);
  if (v.parent.has_value()) {
    const StrategyVersionState& parent = versions_.at(*v.parent);
    CONSTELLATION_CHECK(parent.document == v.document);
    CONSTELLATION_CHECK(parent.hlc <= v.hlc);  // hlc never falls along causality (§3)
    CONSTELLATION_CHECK(std::find(parent.children.begin(), parent.children.end(), v.id) !=
                        parent.children.end());
  }
}

void StrategyLedger::CheckInvariants() const {
  for (const auto& [id, v] : versions_) {
    CONSTELLATION_CHECK(v.id == id);
    CheckVersionInvariants(v);
  }
  for (const auto& [proposal, a] : adoptions_) {
    CONSTELLATION_CHECK(a.proposal == proposal);
    CONSTELLATION_CHECK(versions_.at(a.version).document == a.document);
    CONSTELLATION_CHECK(!pending_.contains(proposal));
  }
}

}  // namespace constellation::core
