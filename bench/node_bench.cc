// Node benchmarks: acknowledged (fsynced) pledge writes through the SDK against a real node
// in-process (RocksDB in a temp dir, gRPC on 127.0.0.1:0). Sequential writes measure the
// per-write latency floor (one fsync each); concurrent writers show group commit at work.
// Run: ./build/bench/node_bench   (see docs/PERFORMANCE.md)
#include <unistd.h>

#include <filesystem>
#include <memory>

#include <benchmark/benchmark.h>
#include <constellation/client.h>

#include "server/app/init.h"
#include "server/app/node.h"

namespace constellation {
namespace {

struct Fixture {
  std::string dir;
  std::unique_ptr<app::Node> node;
  std::string token, group, campaign;

  Fixture() {
    char pattern[] = "/tmp/constellation-bench-XXXXXX";
    dir = ::mkdtemp(pattern);
    app::InitOptions init{dir + "/n", "Bench Org", "127.0.0.1:0", {}};
    app::InitResult r = *app::InitDataDir(init);
    token = r.admin_token;
    app::NodeOptions options;
    options.data_dir = dir + "/n";
    options.org_name = "Bench Org";
    options.listen_address = "127.0.0.1:0";
    node = *app::Node::Open(options);
    (void)node->Start();
    auto client = NewClient();
    CharterInput charter;
    charter.name = "Bench partnership";
    // A member opens campaigns alone (docs/PROTOCOL.md §5.11.1).
    charter.decision_rules.push_back(DecisionRule{.decision_type = "open_campaign",
                                                  .process = "consent",
                                                  .member_acts_alone = true});
    group = client->CreateGroup(charter)->group.group_id;
    CampaignInput c;
    c.name = "Appeal";
    c.goal = Money{100'000'000, "EUR"};
    campaign = client->OpenCampaign(group, c)->campaign.campaign_id;
  }
  ~Fixture() {
    node->Shutdown();
    std::filesystem::remove_all(dir);
  }
  std::unique_ptr<Client> NewClient() const {
    ClientOptions o;
    o.endpoint = node->address();
    o.token = token;
    return *Client::Connect(o);
  }
};

// One node for the whole run (thread-safe static initialisation), removed at exit.
Fixture& Shared() {
  static Fixture fixture;
  return fixture;
}

void BM_RecordPledge(benchmark::State& state) {
  const Fixture& fixture = Shared();
  auto client = fixture.NewClient();
  PledgeTerms terms;
  terms.amount = Money{100, "EUR"};
  for (auto _ : state) {
    if (!client->RecordPledge(fixture.group, fixture.campaign, terms).ok()) {
      state.SkipWithError("write failed");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RecordPledge)
    ->Threads(1)
    ->Threads(8)
    ->Threads(32)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// What a client pays to read a campaign's totals (GetCampaign: totals, per currency and per
// member) with range(0) pledges in it (issue 8: the same with 10k pledges as with 100). Each
// size has its own campaign in the shared group, filled once before timing.
void BM_GetCampaign(benchmark::State& state) {
  const Fixture& fixture = Shared();
  auto client = fixture.NewClient();
  CampaignInput c;
  c.name = "Read appeal";
  c.goal = Money{100'000'000, "EUR"};
  const std::string campaign = client->OpenCampaign(fixture.group, c)->campaign.campaign_id;
  PledgeTerms terms;
  terms.amount = Money{100, "EUR"};
  for (int64_t i = 0; i < state.range(0); ++i) {
    if (!client->RecordPledge(fixture.group, campaign, terms).ok()) {
      state.SkipWithError("filling the campaign failed");
      return;
    }
  }
  for (auto _ : state) {
    absl::StatusOr<Campaign> read = client->GetCampaign(fixture.group, campaign);
    if (!read.ok() || read->pledge_count != static_cast<uint32_t>(state.range(0))) {
      state.SkipWithError("read failed");
      break;
    }
  }
}
BENCHMARK(BM_GetCampaign)->Arg(100)->Arg(10'000)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace constellation

BENCHMARK_MAIN();
