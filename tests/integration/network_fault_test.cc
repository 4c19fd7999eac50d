// Network-fault harness (issue 11, docs/RELIABILITY.md "Network faults"): three organisations,
// three real nodes in-process (RocksDB, gRPC on 127.0.0.1), each reached by its peers only
// through its own fault-injecting TcpProxy (tests/testing/tcp_proxy.h), so every peer link is
// faulty. In each round, client threads write pledges through the SDK to all three nodes while
// the proxies cycle through drop, delay (0-500 ms), duplicate, cut and slow-loris at random;
// every acknowledged write is recorded (request id and event id). Then the faults stop, and
// within a generous bound (polled, never a timed assertion of speed) every node must hold every
// acknowledged event exactly once and all three must report the same state hash.
//
// The random choices follow from one seed, printed on failure. Environment:
//   CONSTELLATION_NETFAULT_SEED     the seed (default: from the clock)
//   CONSTELLATION_NETFAULT_MINUTES  long form: rounds until this many minutes of faults are spent
//   CONSTELLATION_NETFAULT_ROUND_S  seconds of faults per round (default 3; 60 in the long form)
// scripts/netfault-harness.sh runs the long form and prints its summary line.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <absl/strings/str_format.h>
#include <constellation/client.h>
#include <gtest/gtest.h>

#include "tests/testing/status_matchers.h"
#include "tests/testing/tcp_proxy.h"
#include "tests/testing/temp_dir.h"
#include "tests/testing/test_node.h"

namespace constellation {
namespace {

using ::constellation::testing::CampaignCharter;
using ::constellation::testing::TcpFault;
using ::constellation::testing::TcpFaultName;
using ::constellation::testing::TcpProxy;
using ::constellation::testing::TempDir;
using ::constellation::testing::TestNode;
using Clock = std::chrono::steady_clock;

// How long convergence may take after the faults stop: generous, since the machine is shared
// and a node may have to wait out gRPC's reconnect backoff to each peer.
constexpr std::chrono::seconds kConvergenceBound{60};
// The short form (CTest): a few rounds of a few seconds each.
constexpr int kShortRounds = 3;
constexpr int kShortRoundSeconds = 3;
constexpr int kLongRoundSeconds = 60;
constexpr int kWritersPerNode = 2;
constexpr TcpFault kFaults[] = {TcpFault::kNone,      TcpFault::kDrop, TcpFault::kDelay,
                                TcpFault::kDuplicate, TcpFault::kCut,  TcpFault::kSlowLoris};

int64_t EnvInt(const char* name, int64_t fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::atoll(value) : fallback;
}

int PortOf(const std::string& endpoint) {
  return std::stoi(endpoint.substr(endpoint.rfind(':') + 1));
}

// Polls `done` until it holds or `timeout` has passed.
bool Eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return done();
}

struct Org {
  std::unique_ptr<TestNode> node;
  std::unique_ptr<TcpProxy> proxy;  // the node's inbound peer traffic
  std::unique_ptr<Client> client;   // the org's coordinator, straight to its node

  std::string endpoint() const { return proxy->endpoint(); }
};

// A write a client saw acknowledged.
struct AckedWrite {
  std::string request_id;
  std::string event_id;
};

class NetworkFaultTest : public ::testing::Test {
 protected:
  void SetUp() override {
    seed_ = static_cast<uint64_t>(EnvInt(
        "CONSTELLATION_NETFAULT_SEED", std::chrono::system_clock::now().time_since_epoch().count() %
                                           1'000'000'007));
    std::printf("netfault: seed %llu (CONSTELLATION_NETFAULT_SEED=%llu replays it)\n",
                static_cast<unsigned long long>(seed_), static_cast<unsigned long long>(seed_));
    uint64_t proxy_seed = seed_;
    for (const char* name : {"Riverside Food Bank", "Northside Shelter", "Eastgate Kitchen"}) {
      Org org;
      org.node = TestNode::Create(dir_.Sub(name), name);
      ASSERT_NE(org.node, nullptr);
      org.proxy = std::make_unique<TcpProxy>(PortOf(org.node->endpoint()),
                                             testing::TcpProxyDelays{}, ++proxy_seed);
      org.client = org.node->NewClient();
      ASSERT_NE(org.client, nullptr);
      orgs_.push_back(std::move(org));
    }
  }

  OrgCard CardOf(Org& org) {
    absl::StatusOr<OrgCard> card = org.client->GetOrgCard();
    EXPECT_TRUE(card.ok()) << card.status();
    card->endpoints = {org.endpoint()};
    return *card;
  }

  // `voters` admit `invitee`; returns once the decision is final on every voter's node.
  void Admit(Org& invitee, const std::vector<Org*>& voters) {
    ProposalSpec spec;
    spec.decision_type = "admit";
    spec.title = "Admit " + CardOf(invitee).name;
    spec.admit = AdmitPayload{CardOf(invitee), "partner", "strategic", 0};
    ASSERT_OK_AND_ASSIGN(ProposalWrite p, voters[0]->client->Propose(group_, spec));
    const std::string id = p.proposal.proposal_id;
    for (Org* voter : voters) {
      ASSERT_TRUE(Eventually([&] { return voter->client->GetProposal(group_, id).ok(); },
                             kConvergenceBound));
      ASSERT_OK(voter->client->CastStance(group_, id, "agree").status());
    }
    for (Org* voter : voters) {
      ASSERT_TRUE(Eventually(
          [&] {
            absl::StatusOr<Proposal> view = voter->client->GetProposal(group_, id);
            return view.ok() && view->final;
          },
          kConvergenceBound));
    }
  }

  // The group of three, formed with healthy links, and a campaign every node knows.
  void FormGroup() {
    Org& a = orgs_[0];
    CharterInput charter = CampaignCharter("Northside Food Partnership");
    charter.founder.endpoints = {a.endpoint()};
    ASSERT_OK_AND_ASSIGN(GroupWrite g, a.client->CreateGroup(charter));
    group_ = g.group.group_id;
    Admit(orgs_[1], {&a});
    ASSERT_OK(orgs_[1]
                  .client->JoinGroup(group_, a.endpoint(),
                                     MemberProfile{"", "", "", 0, {orgs_[1].endpoint()}})
                  .status());
    // B votes on C's admission only once A counts it a member (the electorate is fixed when
    // the proposal is made).
    ASSERT_TRUE(Eventually(
        [&] {
          absl::StatusOr<Group> view = a.client->GetGroup(group_);
          if (!view.ok()) return false;
          size_t active = 0;
          for (const Member& m : view->members) active += m.status == "active" ? 1 : 0;
          return active == 2;
        },
        kConvergenceBound));
    Admit(orgs_[2], {&a, &orgs_[1]});
    ASSERT_OK(orgs_[2]
                  .client->JoinGroup(group_, orgs_[1].endpoint(),
                                     MemberProfile{"", "", "", 0, {orgs_[2].endpoint()}})
                  .status());
    CampaignInput campaign;
    campaign.name = "Winter appeal";
    campaign.goal = Money{1'000'000'000, "EUR"};
    ASSERT_OK_AND_ASSIGN(CampaignWrite c, a.client->OpenCampaign(group_, campaign));
    campaign_ = c.campaign.campaign_id;
    for (Org& org : orgs_) {
      ASSERT_TRUE(Eventually([&] { return org.client->GetCampaign(group_, campaign_).ok(); },
                             kConvergenceBound));
    }
  }

  // One round: `fault_seconds` of writes under faults, then the faults stop and every node must
  // converge. Returns the seconds convergence took (or -1 after a failure).
  double Round(int round, int fault_seconds) {
    std::mt19937_64 rng(seed_ * 7919 + static_cast<uint64_t>(round));
    std::atomic<bool> stop{false};
    std::vector<std::thread> writers;
    for (int w = 0; w < kWritersPerNode * static_cast<int>(orgs_.size()); ++w) {
      Org* org = &orgs_[static_cast<size_t>(w) % orgs_.size()];
      writers.emplace_back([this, org, &stop, w, round] { Write(org, round, w, &stop); });
    }
    // The proxies cycle through the faults, each on its own schedule (0.2-1.5 s per fault).
    std::vector<Clock::time_point> next_change(orgs_.size(), Clock::now());
    const Clock::time_point faults_end = Clock::now() + std::chrono::seconds(fault_seconds);
    while (Clock::now() < faults_end) {
      for (size_t i = 0; i < orgs_.size(); ++i) {
        if (Clock::now() < next_change[i]) continue;
        const TcpFault fault = kFaults[std::uniform_int_distribution<size_t>(
            0, std::size(kFaults) - 1)(rng)];
        orgs_[i].proxy->SetFault(fault);
        ++fault_counts_[TcpFaultName(fault)];
        next_change[i] =
            Clock::now() +
            std::chrono::milliseconds(std::uniform_int_distribution<int>(200, 1500)(rng));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    for (Org& org : orgs_) org.proxy->SetFault(TcpFault::kNone);
    stop = true;
    for (std::thread& t : writers) t.join();

    const Clock::time_point healed = Clock::now();
    // Two measures: when every node first reports the same event count and state hash (the
    // replication itself), and when the check that every acknowledged write is held exactly
    // once on every node (which streams the whole history from each node) also passes.
    std::optional<double> agreed_s;
    const bool converged = Eventually(
        [&] {
          if (!Agree()) return false;
          if (!agreed_s) {
            agreed_s = std::chrono::duration<double>(Clock::now() - healed).count();
          }
          return Converged();
        },
        kConvergenceBound);
    const double seconds = std::chrono::duration<double>(Clock::now() - healed).count();
    last_agreed_s_ = agreed_s.value_or(-1);
    EXPECT_TRUE(converged) << "round " << round << " (seed " << seed_ << "): "
                           << kConvergenceBound.count()
                           << " s after the faults stopped, the nodes have not converged: "
                           << last_difference_;
    return converged ? seconds : -1;
  }

  // A writer: pledges on its org's node until `stop`, each with its own request id; records
  // every acknowledged write. Failures (a write may time out while its pushes are faulty) are
  // allowed: only what was acknowledged is promised.
  void Write(Org* org, int round, int writer, const std::atomic<bool>* stop) {
    std::mt19937_64 rng(seed_ * 104'729 + static_cast<uint64_t>(round * 100 + writer));
    for (int i = 0; !*stop; ++i) {
      PledgeTerms terms;
      terms.amount = Money{std::uniform_int_distribution<int64_t>(1, 100'000)(rng), "EUR"};
      WriteOptions write;
      write.request_id = absl::StrFormat("netfault-%d-%d-%d-%d", seed_ % 1'000'000, round, writer, i);
      absl::StatusOr<PledgeWrite> w = org->client->RecordPledge(group_, campaign_, terms, write);
      std::lock_guard<std::mutex> lock(mu_);
      if (w.ok()) {
        acked_.push_back({write.request_id, w->event.event_id});
      } else {
        ++failed_writes_;
      }
      std::this_thread::sleep_for(
          std::chrono::milliseconds(std::uniform_int_distribution<int>(5, 40)(rng)));
    }
  }

  // Every node reports the same event count and state hash. Records what differed in
  // last_difference_.
  bool Agree() {
    std::string hash;
    uint64_t events = 0;
    for (size_t i = 0; i < orgs_.size(); ++i) {
      absl::StatusOr<Group> g = orgs_[i].client->GetGroup(group_);
      if (!g.ok()) {
        last_difference_ = absl::StrFormat("node %d: %s", i, g.status().ToString());
        return false;
      }
      if (i == 0) {
        hash = g->state_hash;
        events = g->event_count;
      }
      if (g->state_hash != hash || g->event_count != events) {
        last_difference_ =
            absl::StrFormat("nodes differ: node 0 %d events, %s; node %d %d events, %s", events,
                            hash, i, g->event_count, g->state_hash);
        return false;
      }
    }
    return true;
  }

  // Every node agrees (Agree) and holds every acknowledged event exactly once (with its
  // request id). Records what differed in last_difference_.
  bool Converged() {
    if (!Agree()) return false;
    std::lock_guard<std::mutex> lock(mu_);
    for (size_t i = 0; i < orgs_.size(); ++i) {
      std::map<std::string, std::pair<int, std::string>> held;  // event id -> count, request id
      absl::StatusOr<GroupEventStream> stream = orgs_[i].client->GroupEvents(group_);
      if (!stream.ok()) {
        last_difference_ = absl::StrFormat("node %d: %s", i, stream.status().ToString());
        return false;
      }
      GroupEventEntry entry;
      for (;;) {
        absl::StatusOr<bool> more = stream->Next(&entry);
        if (!more.ok()) {
          last_difference_ = absl::StrFormat("node %d: %s", i, more.status().ToString());
          return false;
        }
        if (!*more) break;
        auto& [count, request_id] = held[entry.event_id];
        ++count;
        request_id = entry.request_id;
      }
      for (const AckedWrite& w : acked_) {
        auto it = held.find(w.event_id);
        if (it == held.end() || it->second.first != 1 || it->second.second != w.request_id) {
          last_difference_ = absl::StrFormat(
              "node %d holds acknowledged event %s (request %s) %d times%s", i, w.event_id,
              w.request_id, it == held.end() ? 0 : it->second.first,
              it == held.end() || it->second.second == w.request_id
                  ? ""
                  : " under request " + it->second.second);
          return false;
        }
      }
      events_checked_ = held.size();
    }
    return true;
  }

  TempDir dir_;
  uint64_t seed_ = 0;
  std::vector<Org> orgs_;
  std::string group_;
  std::string campaign_;
  std::mutex mu_;
  std::vector<AckedWrite> acked_;  // guarded by mu_
  int64_t failed_writes_ = 0;      // guarded by mu_
  size_t events_checked_ = 0;
  std::map<std::string, int> fault_counts_;
  std::string last_difference_;
  double last_agreed_s_ = -1;  // of the last round: when the nodes first agreed
};

// The harness: short in CTest; with CONSTELLATION_NETFAULT_MINUTES, rounds until that many
// minutes of faults are spent.
TEST_F(NetworkFaultTest, AcknowledgedWritesSurviveNetworkFaultsAndNodesConverge) {
  FormGroup();
  ASSERT_FALSE(HasFatalFailure());
  const int64_t minutes = EnvInt("CONSTELLATION_NETFAULT_MINUTES", 0);
  const int round_seconds = static_cast<int>(
      EnvInt("CONSTELLATION_NETFAULT_ROUND_S", minutes > 0 ? kLongRoundSeconds : kShortRoundSeconds));
  const Clock::time_point start = Clock::now();
  int rounds = 0;
  int64_t fault_seconds = 0;
  double max_convergence_s = 0;
  double max_agreed_s = 0;
  for (;; ++rounds) {
    if (minutes > 0 ? fault_seconds >= minutes * 60 : rounds >= kShortRounds) break;
    const double s = Round(rounds, round_seconds);
    fault_seconds += round_seconds;
    if (s < 0) break;
    max_convergence_s = std::max(max_convergence_s, s);
    max_agreed_s = std::max(max_agreed_s, last_agreed_s_);
    std::printf("netfault: round %d: nodes agreed after %.1f s, every acknowledged write checked "
                "after %.1f s (%zu acknowledged, %lld failed, %zu events on each node)\n",
                rounds, last_agreed_s_, s, acked_.size(), static_cast<long long>(failed_writes_),
                events_checked_);
    std::fflush(stdout);
  }
  std::string faults;
  for (const auto& [name, count] : fault_counts_) {
    faults += absl::StrFormat("%s%s %d", faults.empty() ? "" : ", ", name, count);
  }
  std::printf("netfault: faults applied: %s; %lld writes failed under faults (not acknowledged)\n",
              faults.c_str(), static_cast<long long>(failed_writes_));
  if (!HasFailure()) {
    std::printf("netfault: %d rounds, %.1f minutes of faults, %zu acknowledged writes, converged "
                "after every round (nodes agreed within %.1f s, every write checked within "
                "%.1f s), 0 lost (seed %llu, %.1f minutes in all)\n",
                rounds, fault_seconds / 60.0, acked_.size(), max_agreed_s, max_convergence_s,
                static_cast<unsigned long long>(seed_),
                std::chrono::duration<double>(Clock::now() - start).count() / 60.0);
  }
  EXPECT_FALSE(acked_.empty()) << "no write was acknowledged under faults";
}


// Regression (black-holed peer connection, found by this harness: round 1 of seed 781168879 did
// not converge within 60 s): the peer client had no keepalive, so a connection that stopped
// answering (here every connection open at the moment; in the harness, one left waiting for
// the rest of a frame after duplicated bytes) failed every later call at its 10 s deadline for
// as long as it lived, and replication over it stopped. Peer calls now ping
// (limits.h, kPeerKeepaliveTimeMs) and a connection whose ping is not answered is replaced.
TEST_F(NetworkFaultTest, BlackHoledPeerConnectionIsReplacedAndNodesConverge) {
  FormGroup();
  ASSERT_FALSE(HasFatalFailure());
  ASSERT_TRUE(Eventually([&] { return Converged(); }, kConvergenceBound)) << last_difference_;
  // Every peer connection open now (each node's to the two others) goes dead for good.
  for (Org& org : orgs_) org.proxy->BlackHoleOpenConnections();
  for (size_t i = 0; i < orgs_.size(); ++i) {
    PledgeTerms terms;
    terms.amount = Money{1'000, "EUR"};
    WriteOptions write;
    write.request_id = absl::StrFormat("black-hole-%d", i);
    ASSERT_OK_AND_ASSIGN(PledgeWrite w,
                         orgs_[i].client->RecordPledge(group_, campaign_, terms, write));
    std::lock_guard<std::mutex> lock(mu_);
    acked_.push_back({write.request_id, w.event.event_id});
  }
  EXPECT_TRUE(Eventually([&] { return Converged(); }, kConvergenceBound))
      << kConvergenceBound.count() << " s after the connections went dead: " << last_difference_;
}

}  // namespace
}  // namespace constellation
