// Core benchmarks: the per-event cost of sealing, verifying and folding (DESIGN §2-3).
// Run: ./build/bench/core_bench   (see docs/PERFORMANCE.md for recorded numbers)
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "server/base/check.h"
#include "server/base/limits.h"
#include "server/core/codec.h"
#include "server/core/fundraising/fundraising_ledger.h"
#include "server/core/group.h"
#include "server/core/node_state.h"

namespace constellation::core {
namespace {

SigningKey Key() { return *SigningKey::FromSeed(std::string(32, 'k')); }

v1::Event PledgeBody(const EventId& campaign, int64_t amount) {
  v1::Event body;
  v1::Pledge* p = body.mutable_pledge();
  p->set_campaign_id(campaign.Bytes());
  p->mutable_terms()->mutable_amount()->set_amount_minor(amount);
  p->mutable_terms()->mutable_amount()->set_currency("EUR");
  return body;
}

// A node with one group and one campaign; returns the group and campaign ids.
std::pair<GroupId, EventId> Seed(NodeState& node) {
  v1::Event charter;
  charter.mutable_charter()->set_name("Bench partnership");
  charter.mutable_charter()->set_kind(v1::GROUP_KIND_PARTNERSHIP);
  // A member opens campaigns alone (docs/PROTOCOL.md §5.11.1).
  v1::DecisionRule* rule = charter.mutable_charter()->add_decision_rules();
  rule->set_decision_type(v1::DECISION_TYPE_OPEN_CAMPAIGN);
  rule->set_process(v1::DECISION_PROCESS_CONSENT);
  rule->set_member_acts_alone(true);
  const VerifiedEvent* genesis = *node.AppendOwn(std::nullopt, charter, 1);
  v1::Event campaign;
  campaign.mutable_campaign()->set_name("Appeal");
  campaign.mutable_campaign()->mutable_goal()->set_amount_minor(1'000'000);
  campaign.mutable_campaign()->mutable_goal()->set_currency("EUR");
  const VerifiedEvent* c = *node.AppendOwn(genesis->group, campaign, 2);
  return {genesis->group, c->id};
}

// Seed(node), then `pledges` pledges to the campaign; returns the group and campaign ids.
std::pair<GroupId, EventId> SeedWithPledges(NodeState& node, int64_t pledges) {
  auto [group, campaign] = Seed(node);
  for (int64_t i = 0; i < pledges; ++i) {
    (void)node.AppendOwn(group, PledgeBody(campaign, 100 + i), 10 + i);
  }
  return {group, campaign};
}

// The group's events as stored (SignedEvent bytes), in canonical order: what a restart loads.
std::vector<std::string> StoredHistory(const Group& group) {
  std::vector<std::string> stored;
  group.ForEachInOrder(0, [&](uint64_t, const VerifiedEvent& e) {
    stored.push_back(e.SerializeSigned());
    return true;
  });
  return stored;
}

void BM_SealEvent(benchmark::State& state) {
  SigningKey key = Key();
  v1::Event e;
  e.set_format_version(limits::kEventFormatVersion);
  e.set_group_id(std::string(32, 'g'));
  e.set_author(key.public_key().Bytes());
  e.set_seq(7);
  e.set_prev(std::string(32, 'p'));
  e.mutable_hlc()->set_wall_ms(1);
  *e.mutable_pledge() = PledgeBody(EventId(), 100).pledge();
  for (auto _ : state) benchmark::DoNotOptimize(SealEvent(e, key));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SealEvent);

void BM_VerifyEvent(benchmark::State& state) {
  NodeState node(Key());
  auto [group, campaign] = Seed(node);
  const VerifiedEvent* e = *node.AppendOwn(group, PledgeBody(campaign, 100), 3);
  const std::string bytes = e->SerializeSigned();
  for (auto _ : state) benchmark::DoNotOptimize(DecodeSignedEvent(bytes));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_VerifyEvent);

// Appending local pledges: build, seal, check chain and fold rules, apply.
void BM_AppendOwnPledge(benchmark::State& state) {
  NodeState node(Key());
  auto [group, campaign] = Seed(node);
  uint64_t now = 3;
  for (auto _ : state)
    benchmark::DoNotOptimize(node.AppendOwn(group, PledgeBody(campaign, 100), ++now));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AppendOwnPledge);

// Re-ingesting a stored history (what a restart does), per event.
void BM_IngestHistory(benchmark::State& state) {
  NodeState source(Key());
  auto [group, campaign] = SeedWithPledges(source, state.range(0));
  const std::vector<std::string> stored = StoredHistory(*source.FindGroup(group));
  for (auto _ : state) {
    NodeState node(Key());
    for (const std::string& bytes : stored) (void)node.Ingest(*DecodeSignedEvent(bytes));
    benchmark::DoNotOptimize(node.FindGroup(group)->state().Hash());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(stored.size()));
}
BENCHMARK(BM_IngestHistory)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

// What a restart does per stored event since stored signatures are trusted (issue 10): decode
// without verifying, insert, fold, with range(1) = 1 telling the group its final size first
// (NodeState::ExpectGroupSize: checkpoints only near the end) and 0 without (a copy of the
// growing state every max(1024, size / 64) events). Counter `checkpoints`: copies per load.
void BM_RestartLoad(benchmark::State& state) {
  NodeState source(Key());
  auto [group, campaign] = SeedWithPledges(source, state.range(0));
  const std::vector<std::string> stored = StoredHistory(*source.FindGroup(group));
  uint64_t checkpoints = 0;
  for (auto _ : state) {
    auto node = std::make_unique<NodeState>(Key());
    if (state.range(1) == 1) node->ExpectGroupSize(group, stored.size());
    for (const std::string& bytes : stored) (void)node->Ingest(*DecodeStoredEvent(bytes));
    checkpoints = node->FindGroup(group)->checkpoints_taken();
    benchmark::DoNotOptimize(node->FindGroup(group)->state().Hash());
    state.PauseTiming();  // not the teardown of the loaded node
    node.reset();
    state.ResumeTiming();
  }
  state.counters["checkpoints"] = static_cast<double>(checkpoints);
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(stored.size()));
}
BENCHMARK(BM_RestartLoad)
    ->Args({100'000, 0})
    ->Args({100'000, 1})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

// The cost of a refold (a late event sorting before applied events), per event in the group.
void BM_Refold(benchmark::State& state) {
  NodeState node(Key());
  auto [group, campaign] = SeedWithPledges(node, state.range(0));
  const Group* g = node.FindGroup(group);
  for (auto _ : state) {
    GroupState fresh(group);
    g->ForEachInOrder(0, [&](uint64_t, const VerifiedEvent& e) {
      fresh.Apply(e);
      return true;
    });
    benchmark::DoNotOptimize(fresh.Hash());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(g->size()));
}
BENCHMARK(BM_Refold)->Arg(10000)->Unit(benchmark::kMillisecond);

// A late event in a group of range(0) events: an outsider's event whose only dep is the event
// 100 positions from the end, inserted last, so it sorts among the last events. range(1) = 1
// replays from the nearest fold checkpoint (DESIGN §3), 0 refolds from the genesis (as before
// checkpoints). Timed: the insert with its refold, not the copy of the group it starts from
// nor that copy's destruction. Counter `refolded`: events re-applied per late event.
void BM_LateEvent(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  NodeState node(Key());
  auto [group, campaign] = SeedWithPledges(node, n);
  std::vector<VerifiedEvent> events;
  node.FindGroup(group)->ForEachInOrder(0, [&](uint64_t, const VerifiedEvent& e) {
    events.push_back(e);
    return true;
  });
  const VerifiedEvent& anchor = events[events.size() - 100];
  const SigningKey outsider = *SigningKey::FromSeed(std::string(32, 'o'));
  v1::Event draft = PledgeBody(campaign, 7);
  draft.set_format_version(limits::kEventFormatVersion);
  draft.set_group_id(group.Bytes());
  draft.set_author(outsider.public_key().Bytes());
  draft.set_seq(1);
  draft.add_deps(anchor.id.Bytes());
  *draft.mutable_hlc() = Hlc{anchor.hlc.wall_ms + 1, 0}.ToProto();
  const VerifiedEvent late = *SealEvent(draft, outsider);
  Group base(group);
  if (state.range(1) == 0) base.set_checkpoint_interval_min(SIZE_MAX);
  for (const VerifiedEvent& e : events) (void)base.Insert(e);
  uint64_t refolded = 0;
  std::optional<Group> g;  // made and dropped untimed: a node keeps its group
  for (auto _ : state) {
    state.PauseTiming();
    g.reset();
    g.emplace(base);
    state.ResumeTiming();
    (void)g->Insert(late);
    benchmark::DoNotOptimize(g->StateHash());
    refolded = g->events_refolded() - base.events_refolded();
  }
  state.counters["refolded"] = static_cast<double>(refolded);
}
BENCHMARK(BM_LateEvent)
    ->Args({100'000, 0})
    ->Args({100'000, 1})
    ->Iterations(5)
    ->Unit(benchmark::kMillisecond);

// What one fold checkpoint costs (DESIGN §3; taken every so many events, copied back on a late
// event): a copy of the folded state of a group of range(0) pledges, whole (range(1) = 0) or
// its fundraising ledger alone (range(1) = 1). Counter `pledges_per_s`.
void BM_CheckpointCopy(benchmark::State& state) {
  NodeState node(Key());
  auto [group, campaign] = SeedWithPledges(node, state.range(0));
  const GroupState& folded = node.FindGroup(group)->state();
  for (auto _ : state) {
    if (state.range(1) == 0) {
      GroupState copy = folded;
      benchmark::DoNotOptimize(copy);
    } else {
      benchmark::DoNotOptimize(Fundraising(folded).Clone());
    }
  }
  state.counters["pledges_per_s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * state.range(0)), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_CheckpointCopy)
    ->Args({100'000, 0})
    ->Args({100'000, 1})
    ->Unit(benchmark::kMillisecond);

// What reading a campaign's totals costs with range(0) pledges (issue 8: the same with 10k
// pledges as with 100): the ledger keeps them as events apply, so a read is a map lookup per
// currency, never a walk over the pledges.
void BM_CampaignTotals(benchmark::State& state) {
  NodeState node(Key());
  auto [group, campaign] = SeedWithPledges(node, state.range(0));
  const FundraisingLedger& ledger = Fundraising(node.FindGroup(group)->state());
  const CampaignState& c = ledger.campaigns().at(campaign);
  CONSTELLATION_CHECK(ledger.Totals(c)->pledge_count == static_cast<uint32_t>(state.range(0)));
  for (auto _ : state) {
    absl::StatusOr<CampaignTotals> totals = ledger.Totals(c);
    benchmark::DoNotOptimize(totals);
  }
}
BENCHMARK(BM_CampaignTotals)->Arg(100)->Arg(10'000);

}  // namespace
}  // namespace constellation::core

BENCHMARK_MAIN();
