// Replication benchmarks: three real nodes in-process (RocksDB with fsync in a temp directory,
// gRPC on 127.0.0.1), one group of all three formed by decision through the SDK exactly as the
// coordinators would do it (DESIGN §2-4), with the production replication intervals.
//
//   BM_AppendToVisible  one pledge at a time recorded on node A; per pledge, the time until A
//                       acknowledges it (write-acknowledged) and until it is visible on A, B and
//                       C (append-to-visible). Only push carries it (anti-entropy runs every 5 s).
//   BM_CatchUp          node C is stopped, `events` pledges are recorded on A by `writers`
//                       concurrent SDK clients, B takes them by push; then C restarts and the
//                       time until C holds every event: polled by a point read of A's last
//                       pledge (GetGroup recomputes the state hash over the whole group on the
//                       apply loop: ~0.1-0.2 s at 100k events, which would slow the catch-up),
//                       then checked once (same event count and state hash on A, B and C).
//
// Parameters come from the environment (printed at start):
//   REPLICATION_BENCH_EVENTS   events C misses in BM_CatchUp (default 100000)
//   REPLICATION_BENCH_WRITERS  concurrent writers that record them (default 32)
//   REPLICATION_BENCH_PLEDGES  timed pledges in BM_AppendToVisible (default 300)
//   REPLICATION_BENCH_POLL_US  sleep between visibility polls in BM_AppendToVisible (default 100)
// Run: ./build/bench/replication_bench   (see docs/PERFORMANCE.md)
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <numeric>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <absl/status/status.h>
#include <absl/strings/str_format.h>
#include <benchmark/benchmark.h>
#include <constellation/client.h>

#include "server/app/init.h"
#include "server/app/node.h"

namespace constellation {
namespace {

using Clock = std::chrono::steady_clock;

// Production defaults (NodeOptions), so that the numbers show push, not anti-entropy.
constexpr uint64_t kAntiEntropyIntervalMs = 5'000;
constexpr uint64_t kHousekeepingIntervalMs = 1'000;
// Polls for the last pledge during catch-up (a point read).
constexpr auto kCatchUpPollInterval = std::chrono::milliseconds(5);
// Untimed pledges before BM_AppendToVisible's timed ones (connections, caches).
constexpr int kWarmUpPledges = 20;

struct Parameters {
  int64_t catch_up_events = 100'000;
  int64_t catch_up_writers = 32;
  int64_t latency_pledges = 300;
  int64_t poll_interval_us = 100;
};

Parameters& Params() {
  static Parameters params;
  return params;
}

int64_t EnvOr(const char* name, int64_t fallback) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return fallback;
  return std::strtoll(value, nullptr, 10);
}

// Setup failures are not measurements: say what failed and stop.
[[noreturn]] void Die(const std::string& what, const absl::Status& status) {
  std::fprintf(stderr, "replication_bench: %s: %s\n", what.c_str(), status.ToString().c_str());
  std::fflush(stderr);
  std::abort();
}

template <typename T>
T Must(absl::StatusOr<T> value, const std::string& what) {
  if (!value.ok()) Die(what, value.status());
  return *std::move(value);
}

void Must(const absl::Status& status, const std::string& what) {
  if (!status.ok()) Die(what, status);
}

// Polls `done` every `interval` until it holds; dies after `timeout`.
void WaitFor(const std::function<bool()>& done, const std::string& what,
             std::chrono::milliseconds interval = std::chrono::milliseconds(20),
             std::chrono::seconds timeout = std::chrono::seconds(600)) {
  const auto deadline = Clock::now() + timeout;
  while (!done()) {
    if (Clock::now() > deadline) Die(what, absl::DeadlineExceededError("timed out"));
    std::this_thread::sleep_for(interval);
  }
}

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }
double Millis(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// One organisation's node, started on 127.0.0.1:0 the first time and on the same port after a
// restart (its endpoint is in the group profiles the other nodes replicate to).
class BenchNode {
 public:
  BenchNode(std::string dir, std::string name) : dir_(std::move(dir)), name_(std::move(name)) {
    app::InitOptions init;
    init.data_dir = dir_;
    init.org_name = name_;
    init.listen = "127.0.0.1:0";
    admin_token_ = Must(app::InitDataDir(init), "init " + name_).admin_token;
    Start();
  }
  ~BenchNode() { Stop(); }

  void Start() {
    app::NodeOptions options;
    options.data_dir = dir_;
    options.org_name = name_;
    options.listen_address =
        port_ == 0 ? std::string("127.0.0.1:0") : absl::StrFormat("127.0.0.1:%d", port_);
    options.anti_entropy_interval_ms = kAntiEntropyIntervalMs;
    options.housekeeping_interval_ms = kHousekeepingIntervalMs;
    node_ = Must(app::Node::Open(options), "open " + name_);
    Must(node_->Start(), "start " + name_);
    port_ = node_->port();
    client_ = NewClient();
  }

  // Graceful shutdown; the data directory stays.
  void Stop() {
    client_.reset();
    if (node_) node_->Shutdown();
    node_.reset();
  }

  std::unique_ptr<Client> NewClient() const {
    ClientOptions options;
    options.endpoint = endpoint();
    options.token = admin_token_;
    return Must(Client::Connect(options), "connect to " + name_);
  }

  std::string endpoint() const { return node_->address(); }
  Client& client() { return *client_; }
  const std::string& name() const { return name_; }

  OrgCard Card() {
    OrgCard card = Must(client_->GetOrgCard(), "org card of " + name_);
    card.endpoints = {endpoint()};
    return card;
  }

 private:
  std::string dir_;
  std::string name_;
  std::string admin_token_;
  std::unique_ptr<app::Node> node_;
  std::unique_ptr<Client> client_;
  int port_ = 0;
};

// Three organisations in one temp directory; the group formed as tests/integration/cluster_test
// forms it: A founds it, A admits B, A and B admit C, each joins from a member's node.
class Cluster {
 public:
  Cluster() {
    char pattern[] = "/tmp/constellation-replication-bench-XXXXXX";
    const char* dir = ::mkdtemp(pattern);
    if (dir == nullptr) Die("mkdtemp", absl::InternalError("cannot create a temp directory"));
    dir_ = dir;
    for (const char* name : {"Riverside Food Bank", "Northside Shelter", "Eastgate Kitchen"}) {
      nodes_.push_back(
          std::make_unique<BenchNode>(dir_ + "/" + std::to_string(nodes_.size()), name));
    }
    FormGroup();
  }
  ~Cluster() {
    nodes_.clear();
    std::filesystem::remove_all(dir_);
  }

  BenchNode& a() { return *nodes_[0]; }
  BenchNode& b() { return *nodes_[1]; }
  BenchNode& c() { return *nodes_[2]; }
  const std::string& group() const { return group_; }

  std::string OpenCampaign() {
    CampaignInput campaign;
    campaign.name = "Winter appeal";
    campaign.goal = Money{1'000'000'000, "EUR"};
    const std::string id =
        Must(a().client().OpenCampaign(group_, campaign), "open campaign").campaign.campaign_id;
    for (BenchNode* node : {&b(), &c()}) {
      WaitFor([&] { return node->client().GetCampaign(group_, id).ok(); },
              "campaign reaching " + node->name());
    }
    return id;
  }

  Group GroupOn(BenchNode& node) {
    return Must(node.client().GetGroup(group_), "group on " + node.name());
  }

 private:
  void Admit(BenchNode& invitee, const std::vector<BenchNode*>& voters) {
    ProposalSpec spec;
    spec.decision_type = "admit";
    spec.title = "Admit " + invitee.name();
    spec.admit = AdmitPayload{invitee.Card(), "partner", "strategic", 0};
    const std::string id =
        Must(voters[0]->client().Propose(group_, spec), "propose").proposal.proposal_id;
    for (BenchNode* voter : voters) {
      WaitFor([&] { return voter->client().GetProposal(group_, id).ok(); },
              "proposal reaching " + voter->name());
      Must(voter->client().CastStance(group_, id, "agree").status(), "stance");
    }
    for (BenchNode* voter : voters) {
      WaitFor(
          [&] {
            absl::StatusOr<Proposal> p = voter->client().GetProposal(group_, id);
            return p.ok() && p->final;
          },
          "admission final on " + voter->name());
    }
  }

  void FormGroup() {
    CharterInput charter;
    charter.name = "Northside Food Partnership";
    charter.founder.endpoints = {a().endpoint()};
    // A member opens campaigns alone (docs/PROTOCOL.md §5.11.1).
    charter.decision_rules.push_back(DecisionRule{.decision_type = "open_campaign",
                                                  .process = "consent",
                                                  .member_acts_alone = true});
    group_ = Must(a().client().CreateGroup(charter), "create group").group.group_id;
    Admit(b(), {&a()});
    Must(b().client()
             .JoinGroup(group_, a().endpoint(), MemberProfile{"", "", "", 0, {b().endpoint()}})
             .status(),
         "B joins");
    Admit(c(), {&a(), &b()});
    Must(c().client()
             .JoinGroup(group_, b().endpoint(), MemberProfile{"", "", "", 0, {c().endpoint()}})
             .status(),
         "C joins");
    WaitFor(
        [&] {
          const std::string h = GroupOn(a()).state_hash;
          return h == GroupOn(b()).state_hash && h == GroupOn(c()).state_hash &&
                 GroupOn(a()).members.size() == 3;
        },
        "the three nodes converging on the formed group");
  }

  std::string dir_;
  std::vector<std::unique_ptr<BenchNode>> nodes_;
  std::string group_;
};

struct Distribution {
  double mean = 0, p50 = 0, p99 = 0, max = 0;
};

Distribution Summarise(std::vector<double> samples) {
  Distribution d;
  if (samples.empty()) return d;
  std::sort(samples.begin(), samples.end());
  auto at = [&](double q) {
    const size_t i = static_cast<size_t>(q * static_cast<double>(samples.size() - 1) + 0.5);
    return samples[std::min(i, samples.size() - 1)];
  };
  d.mean = std::accumulate(samples.begin(), samples.end(), 0.0) / samples.size();
  d.p50 = at(0.50);
  d.p99 = at(0.99);
  d.max = samples.back();
  return d;
}

// Printed after the benchmark table (Google Benchmark owns stdout while it runs).
std::vector<std::string>& Summaries() {
  static std::vector<std::string> lines;
  return lines;
}

void BM_AppendToVisible(benchmark::State& state) {
  Cluster cluster;
  const std::string campaign = cluster.OpenCampaign();
  const std::string& group = cluster.group();
  const auto poll_interval = std::chrono::microseconds(Params().poll_interval_us);
  PledgeTerms terms;
  terms.amount = Money{100, "EUR"};

  // A pushes to its peers one after the other (in org-key order), so report the first and the
  // second node that shows the pledge rather than B and C.
  std::vector<double> ack_ms, visible_ms, visible_first_ms;
  // One pledge: returns false (and skips the benchmark) on an error.
  auto one = [&](bool record) {
    const auto start = Clock::now();
    absl::StatusOr<PledgeWrite> write = cluster.a().client().RecordPledge(group, campaign, terms);
    const auto acknowledged = Clock::now();
    if (!write.ok()) {
      state.SkipWithError(write.status().ToString().c_str());
      return false;
    }
    const std::string& id = write->pledge.pledge_id;
    std::optional<Clock::time_point> on_b, on_c;
    const auto deadline = acknowledged + std::chrono::seconds(30);
    while (!on_b || !on_c) {
      if (!on_b && cluster.b().client().GetPledge(group, id).ok()) on_b = Clock::now();
      if (!on_c && cluster.c().client().GetPledge(group, id).ok()) on_c = Clock::now();
      if (on_b && on_c) break;
      if (Clock::now() > deadline) {
        state.SkipWithError("a pledge was not visible on every node within 30 s");
        return false;
      }
      if (poll_interval.count() > 0) std::this_thread::sleep_for(poll_interval);
    }
    const auto visible = std::max(*on_b, *on_c);
    if (record) {
      state.SetIterationTime(Seconds(visible - start));
      ack_ms.push_back(Millis(acknowledged - start));
      visible_ms.push_back(Millis(visible - start));
      visible_first_ms.push_back(Millis(std::min(*on_b, *on_c) - start));
    }
    return true;
  };
  for (int i = 0; i < kWarmUpPledges; ++i) {
    if (!one(false)) return;
  }
  for (auto _ : state) {
    if (!one(true)) break;
  }

  const Distribution ack = Summarise(ack_ms), all = Summarise(visible_ms);
  const Distribution first = Summarise(visible_first_ms);
  state.counters["ack_p50_ms"] = ack.p50;
  state.counters["ack_p99_ms"] = ack.p99;
  state.counters["visible_p50_ms"] = all.p50;
  state.counters["visible_p99_ms"] = all.p99;
  auto line = [](const char* what, const Distribution& d) {
    return absl::StrFormat("  %-34s mean %7.2f ms  p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms", what,
                           d.mean, d.p50, d.p99, d.max);
  };
  Summaries().push_back(absl::StrFormat(
      "BM_AppendToVisible: %d pledges, one at a time, recorded on A (poll every %d us):",
      ack_ms.size(), Params().poll_interval_us));
  Summaries().push_back(line("write-acknowledged (A returns)", ack));
  Summaries().push_back(line("visible on the first other node", first));
  Summaries().push_back(line("append-to-visible (A, B and C)", all));
  Summaries().push_back(absl::StrFormat("  ratio visible/acknowledged (means): %.2f",
                                        ack.mean > 0 ? all.mean / ack.mean : 0.0));
}

void BM_CatchUp(benchmark::State& state) {
  const int64_t events = state.range(0);
  const int64_t writers = state.range(1);
  for (auto _ : state) {
    Cluster cluster;
    const std::string campaign = cluster.OpenCampaign();
    const std::string& group = cluster.group();
    const uint64_t c_events_before = cluster.GroupOn(cluster.c()).event_count;
    PledgeTerms terms;
    terms.amount = Money{1, "EUR"};

    cluster.c().Stop();
    // `events` - 1 pledges on A from concurrent writers (group commit shares the fsyncs), then
    // one more: the last event of A's chain, which a node can insert only after all the others.
    std::atomic<int64_t> next{1};
    std::atomic<int64_t> failures{0};
    const auto write_start = Clock::now();
    std::vector<std::thread> threads;
    for (int64_t t = 0; t < writers; ++t) {
      threads.emplace_back([&] {
        std::unique_ptr<Client> client = cluster.a().NewClient();
        while (next.fetch_add(1) < events) {
          absl::Status s = client->RecordPledge(group, campaign, terms).status();
          if (!s.ok() && failures.fetch_add(1) == 0) {
            std::fprintf(stderr, "replication_bench: a write failed: %s\n", s.ToString().c_str());
          }
        }
      });
    }
    for (std::thread& t : threads) t.join();
    const std::string last =
        Must(cluster.a().client().RecordPledge(group, campaign, terms), "last pledge")
            .pledge.pledge_id;
    const double write_s = Seconds(Clock::now() - write_start);
    if (failures.load() > 0) {
      state.SkipWithError("writes failed");
      return;
    }
    // GetGroup recomputes the state hash over the whole group on the node's apply loop, so
    // progress is polled with a point read of the last pledge and the group compared once.
    auto caught_up = [&](BenchNode& node, const Group& target) {
      WaitFor([&] { return node.client().GetPledge(group, last).ok(); },
              "the last pledge reaching " + node.name(), kCatchUpPollInterval);
      const Group on_node = cluster.GroupOn(node);
      if (on_node.event_count != target.event_count || on_node.state_hash != target.state_hash) {
        Die(absl::StrFormat("%s after the last pledge: %d events, hash %s; A: %d events, hash %s",
                            node.name(), on_node.event_count, on_node.state_hash,
                            target.event_count, target.state_hash),
            absl::InternalError("not converged"));
      }
    };
    const auto get_group_start = Clock::now();
    const Group on_a = cluster.GroupOn(cluster.a());
    const double get_group_ms = Millis(Clock::now() - get_group_start);
    // B holds them too (by push, or anti-entropy for dropped pushes) before C restarts, so
    // that only C's catch-up runs while it is timed.
    const auto b_start = Clock::now();
    caught_up(cluster.b(), on_a);
    const double b_lag_s = Seconds(Clock::now() - b_start);

    const uint64_t missed = on_a.event_count - c_events_before;
    const auto restart = Clock::now();
    cluster.c().Start();
    const double start_s = Seconds(Clock::now() - restart);
    WaitFor([&] { return cluster.c().client().GetPledge(group, last).ok(); },
            "the last pledge reaching C", kCatchUpPollInterval);
    const double catch_up_s = Seconds(Clock::now() - restart);
    state.SetIterationTime(catch_up_s);
    caught_up(cluster.c(), on_a);  // same event count and state hash as A

    // Which path carried the events: C's pulls (received) or A's and B's pushes (sent).
    std::string paths;
    for (BenchNode* node : {&cluster.a(), &cluster.b(), &cluster.c()}) {
      absl::StatusOr<std::vector<PeerStatus>> peers = node->client().ListPeers(group);
      if (!peers.ok()) continue;
      for (const PeerStatus& p : *peers) {
        paths += absl::StrFormat("    %-20s -> %-20s sent %7d  received %7d\n", node->name(),
                                 p.name, p.events_sent, p.events_received);
      }
    }
    state.counters["missed_events"] = static_cast<double>(missed);
    state.counters["catch_up_s"] = catch_up_s;
    state.counters["events_per_s"] = static_cast<double>(missed) / catch_up_s;
    state.counters["write_per_s"] = static_cast<double>(events) / write_s;
    Summaries().push_back(absl::StrFormat(
        "BM_CatchUp: %d pledges recorded on A by %d writers in %.1f s (%.0f/s) while C was "
        "down;\n  B held them %.1f s after the last write; C restarted (open+start %.2f s) and "
        "held all %d missed events after %.2f s: %.0f events/s\n  (%d events in total, same "
        "event count and state hash on A, B and C; one GetGroup of the full group takes %.0f ms "
        "on A).\n  Replication counters per peer (ListPeers):\n%s",
        events, writers, write_s, events / write_s, b_lag_s, start_s, missed, catch_up_s,
        missed / catch_up_s, on_a.event_count, get_group_ms, paths));
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.counters["missed_events"]));
}

}  // namespace
}  // namespace constellation

int main(int argc, char** argv) {
  using constellation::Params;
  Params().catch_up_events = constellation::EnvOr("REPLICATION_BENCH_EVENTS", 100'000);
  Params().catch_up_writers = constellation::EnvOr("REPLICATION_BENCH_WRITERS", 32);
  Params().latency_pledges = constellation::EnvOr("REPLICATION_BENCH_PLEDGES", 300);
  Params().poll_interval_us = constellation::EnvOr("REPLICATION_BENCH_POLL_US", 100);
  std::printf(
      "replication_bench: 3 nodes in-process; anti_entropy_interval_ms=%llu "
      "housekeeping_interval_ms=%llu\n  REPLICATION_BENCH_PLEDGES=%lld "
      "REPLICATION_BENCH_POLL_US=%lld REPLICATION_BENCH_EVENTS=%lld "
      "REPLICATION_BENCH_WRITERS=%lld\n",
      static_cast<unsigned long long>(constellation::kAntiEntropyIntervalMs),
      static_cast<unsigned long long>(constellation::kHousekeepingIntervalMs),
      static_cast<long long>(Params().latency_pledges),
      static_cast<long long>(Params().poll_interval_us),
      static_cast<long long>(Params().catch_up_events),
      static_cast<long long>(Params().catch_up_writers));
  std::fflush(stdout);

  benchmark::RegisterBenchmark("BM_AppendToVisible", constellation::BM_AppendToVisible)
      ->Iterations(Params().latency_pledges)
      ->UseManualTime()
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("BM_CatchUp", constellation::BM_CatchUp)
      ->Args({Params().catch_up_events, Params().catch_up_writers})
      ->ArgNames({"events", "writers"})
      ->Iterations(1)
      ->UseManualTime()
      ->Unit(benchmark::kSecond);

  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  std::printf("\n");
  for (const std::string& line : constellation::Summaries()) std::printf("%s\n", line.c_str());
  return 0;
}
