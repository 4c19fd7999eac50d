#include "server/rpc/strategy/strategy_views.h"

#include <algorithm>

#include "server/base/check.h"
#include "server/core/governance/governance_ledger.h"
#include "server/rpc/request.h"

namespace constellation::rpc {
namespace {

core::OrderKey OrderOf(const core::Group& g, const core::EventId& id) {
  return core::OrderKey{g.dag().Find(id)->depth, id};
}

template <typename T, typename IdOf>
void SortCanonically(const core::Group& g, std::vector<const T*>& items, IdOf id_of) {
  std::sort(items.begin(), items.end(),
            [&](const T* a, const T* b) { return OrderOf(g, id_of(*a)) < OrderOf(g, id_of(*b)); });
}

}  // namespace

v1::StrategyAdoptionView ToStrategyAdoptionView(const core::Group& g,
                                                const core::AdoptionState& a) {
  const core::StrategyLedger& strategy = core::Strategy(g.state());
  const core::VerifiedEvent* version = g.Find(a.version);
  const core::VerifiedEvent* final_at = g.Find(a.final_at);
  CONSTELLATION_CHECK(version != nullptr && final_at != nullptr);
  v1::StrategyAdoptionView v;
  v.set_proposal_id(a.proposal.Bytes());
  v.set_version_id(a.version.Bytes());
  v.set_document(a.document);
  v.set_title(version->event.strategy_version().title());
  *v.mutable_proposal_hlc() = a.proposal_hlc.ToProto();
  v.set_final_ms(final_at->hlc.wall_ms);
  v.set_current(strategy.Current(a.document) == &a);
  return v;
}

v1::StrategyVersionView ToStrategyVersionView(const core::Group& g,
                                              const core::StrategyVersionState& s) {
  const core::StrategyLedger& strategy = core::Strategy(g.state());
  const core::VerifiedEvent* e = g.Find(s.id);
  CONSTELLATION_CHECK(e != nullptr && e->event.has_strategy_version());
  v1::StrategyVersionView v;
  v.set_version_id(s.id.Bytes());
  v.set_group_id(g.id().Bytes());
  v.set_author(s.author.Bytes());
  *v.mutable_hlc() = s.hlc.ToProto();
  *v.mutable_version() = e->event.strategy_version();
  for (const core::EventId& child : s.children) v.add_children(child.Bytes());
  // Alternatives: the other versions on the same base (the other first drafts of the document
  // when it has none), in canonical order.
  std::vector<const core::StrategyVersionState*> siblings;
  for (const auto& [id, other] : strategy.versions()) {
    if (id != s.id && other.document == s.document && other.parent == s.parent) {
      siblings.push_back(&other);
    }
  }
  SortCanonically(g, siblings, [](const core::StrategyVersionState& x) { return x.id; });
  for (const core::StrategyVersionState* other : siblings) v.add_alternatives(other->id.Bytes());
  v.set_status(v1::STRATEGY_VERSION_STATUS_DRAFT);
  for (const core::AdoptionState* a : AdoptionsInOrder(g, s.document)) {
    if (a->version != s.id) continue;
    *v.add_adoptions() = ToStrategyAdoptionView(g, *a);
    v.set_status(v.adoptions().rbegin()->current() ? v1::STRATEGY_VERSION_STATUS_CURRENT
                                                   : v1::STRATEGY_VERSION_STATUS_SUPERSEDED);
  }
  for (const v1::StrategyAdoptionView& a : v.adoptions()) {
    if (a.current()) v.set_status(v1::STRATEGY_VERSION_STATUS_CURRENT);
  }
  const auto& proposals = core::Governance(g.state()).proposals();
  for (const core::EventId& id : strategy.pending_adoptions()) {
    if (proposals.at(id).proposal.strategy_version_id() == s.id.Bytes()) {
      v.add_open_proposals(id.Bytes());
    }
  }
  return v;
}

std::vector<const core::StrategyVersionState*> StrategyVersionsInOrder(
    const core::Group& g, v1::StrategyDocument document) {
  std::vector<const core::StrategyVersionState*> out;
  for (const auto& [id, v] : core::Strategy(g.state()).versions()) {
    if (document == v1::STRATEGY_DOCUMENT_UNSPECIFIED || v.document == document) {
      out.push_back(&v);
    }
  }
  SortCanonically(g, out, [](const core::StrategyVersionState& v) { return v.id; });
  return out;
}

std::vector<const core::AdoptionState*> AdoptionsInOrder(const core::Group& g,
                                                         v1::StrategyDocument document) {
  std::vector<const core::AdoptionState*> out;
  for (const auto& [id, a] : core::Strategy(g.state()).adoptions()) {
    if (document == v1::STRATEGY_DOCUMENT_UNSPECIFIED || a.document == document) {
      out.push_back(&a);
    }
  }
  SortCanonically(g, out, [](const core::AdoptionState& a) { return a.proposal; });
  return out;
}

absl::StatusOr<v1::StrategyVersionView> StrategyVersionViewOf(const core::Group& group,
                                                              const std::string& version_id,
                                                              uint64_t as_of_ms) {
  (void)as_of_ms;
  CONSTELLATION_ASSIGN_OR_RETURN(
      const core::StrategyVersionState* v,
      FindRecord(core::Strategy(group.state()).versions(), group, "strategy version", version_id,
                 "; list them with 'constellation strategy list'"));
  return ToStrategyVersionView(group, *v);
}

}  // namespace constellation::rpc
