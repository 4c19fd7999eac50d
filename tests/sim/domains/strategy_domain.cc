// tests/sim/domains/strategy_domain.cc
//
// The shared strategy domain of the simulation (sim_domain.h; server/core/strategy/,
// docs/PROTOCOL.md §5.15):
//   * actions: draft a version of one of the four documents, now and then a root, else based on
//     a version of the same document the member's node holds (an alternative when that version
//     has children already), with 0-2 indicators (valid key, name, unit, level, frequency, an
//     owner now and then) and goals linking them; now and then based on a version of another
//     document (refused). Propose adopting a version the node holds (ADOPT_STRATEGY under the
//     charter's rule, by default consent; decided by the governance workload: stances, close,
//     acknowledgements). (The governance domain's own ADOPT_STRATEGY proposals name a version
//     no node holds: the simulated write path does not apply CheckOwnWrite, so they are
//     written, as in histories from before §5.15, and adopt nothing.)
//   * invariant "strategy consistent" (after every step, on every node that is up): every
//     version's parent is held and drafts the same document; every adoption in effect names a
//     held version of its document in its proposal's causal past, and its proposal is an
//     ADOPT_STRATEGY proposal of that version, final and passed; every final, passed
//     ADOPT_STRATEGY proposal naming a held version in its past is an adoption in effect;
//     pending adoptions are not final; Current(document) is the adoption of that document
//     greatest by (proposal_hlc, proposal).
//   * invariant "adopted stays adopted" (after every step): an adoption a node once showed in
//     effect stays in effect there with the same version (a final outcome never changes),
//     unless the node crashed or was restored from a backup since, or the group has a removal
//     cut (an expulsion voids records by design) or a known fork (a freeze voids the frozen
//     author's records from its fork seq: the proposal, the version, or stances that decided
//     the outcome, governance known issue D).
// The global invariant "same events, same state" (network domain) covers the strategy part of
// the state hash.
#include <cstdint>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <absl/status/status.h>
#include <absl/status/statusor.h>
#include <absl/strings/str_format.h>

#include "server/core/governance/governance_ledger.h"
#include "server/core/group.h"
#include "server/core/strategy/strategy_ledger.h"
#include "tests/sim/domains/sim_domain.h"
#include "tests/testing/event_factory.h"

namespace constellation::sim {
namespace {

using ::constellation::testing::ProposalBody;

// Weights (sim_domain.h: about "per 10'000 steps").
constexpr uint32_t kDraftWeight = 250;
constexpr uint32_t kProposeAdoptionWeight = 200;

// Now and then (per mille): a draft based on a version of another document, which the core
// must refuse.
constexpr uint32_t kRefusedPerMille = 40;
// Per mille: a draft based on a held version of its document (when there is one).
constexpr uint32_t kBasedPerMille = 650;

constexpr v1::StrategyDocument kDocuments[] = {
    v1::STRATEGY_DOCUMENT_COMMON_AGENDA, v1::STRATEGY_DOCUMENT_GUIDING_PRINCIPLES,
    v1::STRATEGY_DOCUMENT_TERMS_OF_REFERENCE, v1::STRATEGY_DOCUMENT_STRATEGIC_PLAN};
constexpr v1::IndicatorLevel kLevels[] = {
    v1::INDICATOR_LEVEL_EARLY, v1::INDICATOR_LEVEL_INTERMEDIATE, v1::INDICATOR_LEVEL_LONG_TERM};
constexpr v1::ReportingFrequency kFrequencies[] = {
    v1::REPORTING_FREQUENCY_MONTHLY, v1::REPORTING_FREQUENCY_QUARTERLY,
    v1::REPORTING_FREQUENCY_SEMIANNUAL, v1::REPORTING_FREQUENCY_ANNUAL};

const core::StrategyLedger& Ledger(const Member& m) { return core::Strategy(*m.state); }

std::string Name(v1::StrategyDocument document) { return v1::StrategyDocument_Name(document); }

std::vector<core::OrgKey> ActiveMembers(const Member& m) {
  std::vector<core::OrgKey> out;
  for (const auto& [key, member] : m.state->roster().members()) {
    if (member.status == core::MemberStatus::kActive) out.push_back(key);
  }
  return out;
}

// The held versions of `document` (or of every other document, with `other`), by id.
std::vector<core::EventId> VersionsOf(const Member& m, v1::StrategyDocument document,
                                      bool other = false) {
  std::vector<core::EventId> out;
  for (const auto& [id, v] : Ledger(m).versions()) {
    if ((v.document == document) != other) out.push_back(id);
  }
  return out;
}

// ---- Actions ----

void Draft(SimWorld& w, const Member& m) {
  const v1::StrategyDocument document = kDocuments[w.random().Below(std::size(kDocuments))];
  v1::Event body;
  v1::StrategyVersion* v = body.mutable_strategy_version();
  v->set_document(document);
  v->set_title(absl::StrFormat("%s, step %d", Name(document), w.step()));
  v->set_content("We restore the estuary together.\nEach member reports what it reached.");
  std::string based_on = "a root";
  const bool wrong_document = w.random().Chance(kRefusedPerMille);
  std::vector<core::EventId> bases = VersionsOf(m, document, /*other=*/wrong_document);
  if (!bases.empty() && (wrong_document || w.random().Chance(kBasedPerMille))) {
    const core::EventId parent = w.random().Pick(bases);
    v->set_parent_version_id(parent.Bytes());
    based_on = absl::StrFormat("based on %s%s", parent.ShortHex(),
                               wrong_document ? " (another document)" : "");
  }
  const std::vector<core::OrgKey> members = ActiveMembers(m);
  const int indicators = static_cast<int>(w.random().Below(3));
  for (int n = 0; n < indicators; ++n) {
    v1::Indicator* i = v->add_indicators();
    i->set_key(absl::StrFormat("indicator-%d", n));
    i->set_name(absl::StrFormat("Households reached %d", n));
    i->set_definition("Households the members' programmes reached in the period.");
    i->set_unit("households");
    i->set_level(kLevels[w.random().Below(std::size(kLevels))]);
    i->set_baseline(static_cast<int64_t>(w.random().Below(100)));
    i->set_target(static_cast<int64_t>(w.random().Between(100, 10'000)));
    i->set_frequency(kFrequencies[w.random().Below(std::size(kFrequencies))]);
    if (!members.empty() && w.random().Chance(300)) {
      i->set_owner(w.random().Pick(members).Bytes());
    }
  }
  // Goals: one per indicator, now and then one more linking every indicator (or none).
  for (int n = 0; n < indicators; ++n) {
    v1::StrategyGoal* g = v->add_goals();
    g->set_key(absl::StrFormat("goal-%d", n));
    g->set_text("Reach more households each period.");
    g->add_indicator_keys(absl::StrFormat("indicator-%d", n));
  }
  if (w.random().Chance(300)) {
    v1::StrategyGoal* g = v->add_goals();
    g->set_key("goal-all");
    g->set_text("Keep the partnership aligned.");
    for (int n = 0; n < indicators; ++n) g->add_indicator_keys(absl::StrFormat("indicator-%d", n));
  }
  w.Write(m.node, m.group, body,
          absl::StrFormat("draft strategy %s, %s, %d indicators", Name(document), based_on,
                          indicators));
}

void ProposeAdoption(SimWorld& w, const Member& m) {
  std::vector<core::EventId> held;
  for (const auto& [id, v] : Ledger(m).versions()) held.push_back(id);
  if (held.empty()) return;
  const core::EventId version = w.random().Pick(held);
  v1::Event body = ProposalBody(v1::DECISION_TYPE_ADOPT_STRATEGY, DrawDeadlineMs(w, m));
  body.mutable_proposal()->set_strategy_version_id(version.Bytes());
  w.Write(m.node, m.group, body,
          absl::StrFormat("propose adopting strategy version %s", version.ShortHex()));
}

// ---- Invariants ----

// What is wrong with `group`'s strategy, or "".
std::string Inconsistency(const core::Group& group) {
  const core::GroupState& state = group.state();
  const core::StrategyLedger& ledger = core::Strategy(state);
  const auto& versions = ledger.versions();
  const auto& proposals = core::Governance(state).proposals();
  for (const auto& [id, v] : versions) {
    if (v.id != id) {
      return absl::StrFormat("version %s is filed under %s", v.id.ShortHex(), id.ShortHex());
    }
    if (state.roster().members().count(v.author) == 0) {
      return absl::StrFormat("version %s is by org %s, which the roster does not know",
                             id.ShortHex(), v.author.ShortHex());
    }
    if (!v.parent.has_value()) continue;
    auto parent = versions.find(*v.parent);
    if (parent == versions.end()) {
      return absl::StrFormat("version %s is based on %s, which the node does not hold",
                             id.ShortHex(), v.parent->ShortHex());
    }
    if (parent->second.document != v.document) {
      return absl::StrFormat("version %s of %s is based on %s of %s", id.ShortHex(),
                             Name(v.document), v.parent->ShortHex(), Name(parent->second.document));
    }
  }
  for (const auto& [proposal, a] : ledger.adoptions()) {
    auto version = versions.find(a.version);
    if (version == versions.end() || version->second.document != a.document) {
      return absl::StrFormat("adoption %s names version %s, not a held version of %s",
                             proposal.ShortHex(), a.version.ShortHex(), Name(a.document));
    }
    auto p = proposals.find(proposal);
    if (p == proposals.end()) {
      return absl::StrFormat("adoption %s has no proposal in governance", proposal.ShortHex());
    }
    absl::StatusOr<core::EventId> named =
        core::EventId::FromBytes(p->second.proposal.strategy_version_id());
    if (p->second.type() != v1::DECISION_TYPE_ADOPT_STRATEGY || !named.ok() ||
        *named != a.version || p->second.hlc != a.proposal_hlc) {
      return absl::StrFormat("adoption %s of version %s does not match its proposal, %s of %s",
                             proposal.ShortHex(), a.version.ShortHex(),
                             std::string(core::DecisionTypeName(p->second.type())),
                             named.ok() ? named->ShortHex() : "no version");
    }
    if (!p->second.outcome.final || p->second.outcome.outcome != core::DecisionOutcome::kPassed) {
      return absl::StrFormat("adoption %s is in effect, but its proposal is %s%s",
                             proposal.ShortHex(),
                             p->second.outcome.final ? "final, " : "not final, ",
                             std::string(core::DecisionOutcomeName(p->second.outcome.outcome)));
    }
    if (!state.HappenedBefore(a.version, proposal)) {
      return absl::StrFormat("adoption %s names version %s, which is not in its causal past",
                             proposal.ShortHex(), a.version.ShortHex());
    }
    if (ledger.pending_adoptions().contains(proposal)) {
      return absl::StrFormat("adoption %s is both pending and in effect", proposal.ShortHex());
    }
  }
  // Every final, passed ADOPT_STRATEGY proposal naming a held version in its past adopts it.
  for (const auto& [id, p] : proposals) {
    if (p.type() != v1::DECISION_TYPE_ADOPT_STRATEGY) continue;
    absl::StatusOr<core::EventId> version =
        core::EventId::FromBytes(p.proposal.strategy_version_id());
    const bool adopts =
        version.ok() && versions.contains(*version) && state.HappenedBefore(*version, id);
    const bool decided = p.outcome.final && p.outcome.outcome == core::DecisionOutcome::kPassed;
    if (adopts && decided && !ledger.adoptions().contains(id)) {
      return absl::StrFormat(
          "proposal %s is final and passed and names version %s in its past, but adopts nothing",
          id.ShortHex(), version->ShortHex());
    }
    if (!adopts && ledger.adoptions().contains(id)) {
      return absl::StrFormat("proposal %s adopts a version it may not adopt", id.ShortHex());
    }
  }
  for (const core::EventId& pending : ledger.pending_adoptions()) {
    auto p = proposals.find(pending);
    if (p == proposals.end() || p->second.outcome.final) {
      return absl::StrFormat("pending adoption %s is %s", pending.ShortHex(),
                             p == proposals.end() ? "no proposal" : "final");
    }
  }
  for (const v1::StrategyDocument document : kDocuments) {
    const core::AdoptionState* want = nullptr;
    for (const auto& [proposal, a] : ledger.adoptions()) {
      if (a.document != document) continue;
      if (want == nullptr ||
          std::tie(want->proposal_hlc, want->proposal) < std::tie(a.proposal_hlc, a.proposal)) {
        want = &a;
      }
    }
    const core::AdoptionState* current = ledger.Current(document);
    if (current != want) {
      return absl::StrFormat(
          "the current version of the %s is adopted by %s, but the "
          "latest-proposed adoption in effect is %s",
          Name(document), current ? current->proposal.ShortHex() : "none",
          want ? want->proposal.ShortHex() : "none");
    }
  }
  return "";
}

absl::Status CheckConsistent(SimWorld& w) {
  return CheckEveryGroup(w, "strategy (consistent)",
                         [](const core::Group& group) { return Inconsistency(group); });
}

// Per node and group: every adoption it has shown in effect (proposal -> version), since the
// node last crashed (a crash may lose received events that were not synced, and a restore from
// a backup its own).
using AdoptedSeen = SeenSinceCrash<std::map<core::EventId, core::EventId>>;

// Whether an adoption may leave `group`'s fold: an expulsion's removal cut voids the expelled
// member's concurrent records (docs/PROTOCOL.md §5.7), and a fork freezes its author (§3.1):
// either may void the proposal, its version, or stances that decided its outcome.
bool MayBeVoided(const core::Group& group) {
  return !group.state().removal_cuts().empty() || !group.forks().empty();
}

absl::Status CheckAdoptedStaysAdopted(SimWorld& w, AdoptedSeen& seen) {
  for (int i = 0; i < w.node_count(); ++i) {
    const SimNode& node = w.node(i);
    if (!node.up()) continue;
    seen.Refresh(w, i);
    for (const auto& [group_id, group] : node.state().groups()) {
      std::map<core::EventId, core::EventId> now;
      for (const auto& [proposal, a] : core::Strategy(group->state()).adoptions()) {
        now.emplace(proposal, a.version);
      }
      for (const auto& [proposal, version] : seen.At(i, group_id)) {
        auto it = now.find(proposal);
        if ((it == now.end() || it->second != version) && !MayBeVoided(*group)) {
          return absl::InternalError(absl::StrFormat(
              "strategy (adopted stays adopted): node %d showed adoption %s of version %s in "
              "effect in group %s, and now %s",
              i, proposal.ShortHex(), version.ShortHex(), group_id.ShortHex(),
              it == now.end() ? "does not"
                              : absl::StrFormat("shows version %s", it->second.ShortHex())));
        }
      }
      seen.At(i, group_id) = std::move(now);
    }
  }
  return absl::OkStatus();
}

}  // namespace

SimDomain StrategyDomain() {
  auto seen = std::make_shared<AdoptedSeen>();
  return SimDomain{
      .name = "strategy",
      .actions =
          {
              MemberAction("draft a strategy version", kDraftWeight, Draft),
              MemberAction("propose adopting a strategy version", kProposeAdoptionWeight,
                           ProposeAdoption),
          },
      .react = nullptr,
      .invariants = {{.name = "strategy consistent",
                      .when = SimInvariant::When::kEveryStep,
                      .check = CheckConsistent},
                     {.name = "adopted stays adopted",
                      .when = SimInvariant::When::kEveryStep,
                      .check = [seen](SimWorld& w) { return CheckAdoptedStaysAdopted(w, *seen); }}},
      .known_issues = {},
  };
}

}  // namespace constellation::sim
