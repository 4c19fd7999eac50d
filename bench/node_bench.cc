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

}  // namespace
}  // namespace constellation

BENCHMARK_MAIN();
