// bench/scale_sim.cc
//
// Scale on paper (issue 10, item 5): what a partnership of 10, 30 or 100 members costs each
// member's node, before one exists. For each group size N it forms one group of N members the
// way the protocol does (the founder proposes each admission, every member agrees, which closes
// it, every member acknowledges the close, the invitee accepts: docs/PROTOCOL.md §5.2), gives every
// member a node (the real pure core with the in-memory store, tests/sim/sim_node.h), and then runs
// a workload on the deterministic simulated network (tests/sim/sim_network.h): members record
// pledges in turn, each node pushes its new event to every other member, and every node runs an
// anti-entropy round with every other member every 5 s (PROTOCOL §8.7, the reference schedule).
// It counts every message and the bytes of what it carries, and times from each append until
// every node holds the event, in simulated time (the network delays each message uniformly
// within [0, SCALE_SIM_DELAY_MS]; with SCALE_SIM_DROP_PER_MILLE, messages are lost and only
// anti-entropy repairs). The real core runs every receive, so the CPU time per received event
// is measured on this machine (wall clock).
//
// Bytes are payloads: serialized signed events (push, pull responses) and frontiers (pull
// requests). Each federation call also carries a signed call header (org key, timestamp,
// nonce, Ed25519 signature, method: about 190 bytes) plus gRPC framing, per message.
//
//   ./build/bench/scale_sim                          # N = 10 30 100, 300 pledges, no drops
//   SCALE_SIM_MEMBERS="10 30" SCALE_SIM_DROP_PER_MILLE=10 ./build/bench/scale_sim
//
// Environment: SCALE_SIM_MEMBERS (sizes), SCALE_SIM_PLEDGES (300), SCALE_SIM_RATE (pledges per
// simulated second over the whole group, 10), SCALE_SIM_WRITERS (members who write, in turn: 0 =
// all; 1 = one member importing its pledge book), SCALE_SIM_DELAY_MS (100),
// SCALE_SIM_DROP_PER_MILLE (0), SCALE_SIM_SEED (1). Prints one markdown table on stdout; progress
// on stderr.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <absl/strings/str_format.h>
#include <absl/strings/str_split.h>

#include "server/core/crypto.h"
#include "server/core/sync.h"
#include "tests/sim/sim_network.h"
#include "tests/sim/sim_node.h"
#include "tests/sim/sim_random.h"
#include "tests/testing/event_factory.h"

namespace constellation::sim {
namespace {

using WallClock = std::chrono::steady_clock;

constexpr uint64_t kAntiEntropyIntervalMs = 5'000;
// Events per pull response (kFederationPullEventsMax in the node).
constexpr size_t kPullEventsMax = 48;

uint64_t EnvOr(const char* name, uint64_t fallback) {
  const char* value = std::getenv(name);
  return value == nullptr || *value == '\0' ? fallback : std::strtoull(value, nullptr, 10);
}

core::SigningKey MemberKey(int i) {
  std::string seed(32, '\0');
  seed[0] = static_cast<char>(i & 0xff);
  seed[1] = static_cast<char>(i >> 8);
  seed[31] = 's';
  return *core::SigningKey::FromSeed(seed);
}

double Percentile(std::vector<uint64_t> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t index = std::min(values.size() - 1, static_cast<size_t>(p * values.size()));
  return static_cast<double>(values[index]);
}

struct Traffic {
  uint64_t messages = 0;
  uint64_t bytes = 0;
};

struct Result {
  int members = 0;
  uint64_t setup_events = 0;
  uint64_t setup_bytes = 0;
  double pledge_event_bytes = 0;  // mean signed size of the workload's pledges
  uint64_t pledges = 0;
  // Workload traffic, per member (mean over members), split by what carries it.
  double push_sent_messages = 0, push_sent_bytes = 0, push_received_bytes = 0;
  // One anti-entropy round once every node holds everything: what it costs each member even
  // when there is nothing to repair (requests and responses sent, per member).
  double idle_round_messages = 0, idle_round_bytes = 0;
  uint64_t repaired = 0;  // events that reached a node by anti-entropy, not by push
  double receive_us = 0;  // wall-clock CPU per received event (verify + insert + fold)
  double visible_p50_ms = 0, visible_p99_ms = 0, visible_max_ms = 0;
  uint64_t not_visible = 0;  // pledges some node never held by the end
};

class ScaleRun {
 public:
  ScaleRun(int members, uint64_t seed) : random_(seed), network_(members, &random_) {
    for (int i = 0; i < members; ++i) keys_.push_back(MemberKey(i));
  }

  Result Run(uint64_t pledges, uint64_t rate_per_s, uint64_t writers, uint64_t delay_ms_max,
             uint32_t drop_per_mille) {
    const int n = static_cast<int>(keys_.size());
    Result result;
    result.members = n;
    std::fprintf(stderr, "scale_sim: %d members: forming the group\n", n);
    // The group's history, written as the members would (signed, chained, deps on every
    // other member's latest event).
    testing::HistoryBuilder history(keys_[0], testing::TestCharter());
    for (int i = 1; i < n; ++i) {
      const core::EventId p =
          history.Append(keys_[0], testing::AdmitBody(keys_[i].public_key())).id;
      // Every member agrees (the last stance closes it), then acknowledges the close (final).
      for (int j = 0; j < i; ++j) {
        history.Append(keys_[j], testing::StanceBody(p, v1::STANCE_CHOICE_AGREE));
      }
      for (int j = 0; j < i; ++j) history.Append(keys_[j], testing::AcknowledgementBody({p}));
      history.Append(keys_[i], testing::AcceptanceBody(p, absl::StrFormat("Member %03d", i)));
    }
    campaign_ =
        history.Append(keys_[0], testing::CampaignBody(testing::TestCampaign(1'000'000))).id;
    group_ = history.group();
    now_ms_ = history.events().back().hlc.wall_ms + 1'000;
    std::vector<std::string> setup;
    for (const core::VerifiedEvent& e : history.events()) {
      setup.push_back(e.SerializeSigned());
      result.setup_bytes += setup.back().size();
    }
    result.setup_events = setup.size();
    std::fprintf(stderr, "scale_sim: %d members: %zu events; loading every node\n", n,
                 setup.size());
    for (int i = 0; i < n; ++i) {
      nodes_.push_back(std::make_unique<SimNode>(i, keys_[i]));
      for (const std::string& bytes : setup) {
        absl::StatusOr<core::ReceiveResult> r = nodes_[i]->Receive(bytes, now_ms_, false);
        if (!r.ok() || r->outcome != core::ReceiveOutcome::kInserted) {
          std::fprintf(stderr, "scale_sim: node %d did not take a setup event\n", i);
          std::exit(1);
        }
      }
    }
    push_sent_.assign(n, {});
    push_received_.assign(n, {});
    pull_sent_.assign(n, {});
    NetworkFaults faults;
    faults.delay_ms_max = delay_ms_max;
    faults.drop_per_mille = drop_per_mille;
    network_.set_faults(faults);

    std::fprintf(stderr, "scale_sim: %d members: %llu pledges at %llu/s\n", n,
                 static_cast<unsigned long long>(pledges),
                 static_cast<unsigned long long>(rate_per_s));
    const uint64_t interval_ms = std::max<uint64_t>(1, 1'000 / std::max<uint64_t>(1, rate_per_s));
    const uint64_t start_ms = now_ms_;
    uint64_t next_round_ms = start_ms + kAntiEntropyIntervalMs;
    uint64_t pledge_bytes = 0;
    for (uint64_t k = 0; k < pledges; ++k) {
      AdvanceTo(start_ms + k * interval_ms, &next_round_ms);
      const uint64_t writing = writers == 0 ? n : std::min<uint64_t>(writers, n);
      const int author = static_cast<int>(k % writing);
      absl::StatusOr<const core::VerifiedEvent*> e = nodes_[author]->AppendOwn(
          group_, testing::PledgeBody(campaign_, testing::TestTerms(100)), now_ms_);
      if (!e.ok()) {
        std::fprintf(stderr, "scale_sim: append by member %d failed: %s\n", author,
                     e.status().ToString().c_str());
        std::exit(1);
      }
      const std::string bytes = (*e)->SerializeSigned();
      pledge_bytes += bytes.size();
      appended_[(*e)->id] = {now_ms_, 1};
      for (int to = 0; to < n; ++to) {
        if (to == author) continue;
        Message m = Message::To(MessageKind::kPush, author, to, group_);
        m.signed_events.push_back(bytes);
        push_sent_[author].messages++;
        push_sent_[author].bytes += bytes.size();
        network_.Send(std::move(m), now_ms_);
      }
    }
    // Then until every pledge is everywhere (or 10 anti-entropy rounds found nothing to do).
    const uint64_t end_ms = now_ms_ + 10 * kAntiEntropyIntervalMs;
    while (now_ms_ < end_ms &&
           !(visible_.size() == appended_.size() && network_.in_flight() == 0)) {
      AdvanceTo(now_ms_ + 10, &next_round_ms);
    }

    result.pledges = pledges;
    result.pledge_event_bytes = static_cast<double>(pledge_bytes) / pledges;
    for (int i = 0; i < n; ++i) {
      result.push_sent_messages += push_sent_[i].messages;
      result.push_sent_bytes += push_sent_[i].bytes;
      result.push_received_bytes += push_received_[i].bytes;
    }
    const double per_member_event = static_cast<double>(n) * pledges;
    result.push_sent_messages /= per_member_event;
    result.push_sent_bytes /= per_member_event;
    result.push_received_bytes /= per_member_event;
    result.repaired = repaired_;
    result.receive_us = receives_ == 0 ? 0 : receive_ns_ / 1'000.0 / receives_;
    result.visible_p50_ms = Percentile(visible_ms_, 0.50);
    result.visible_p99_ms = Percentile(visible_ms_, 0.99);
    result.visible_max_ms = Percentile(visible_ms_, 1.0);
    result.not_visible = appended_.size() - visible_.size();

    // An idle round: every node holds every event now.
    pull_sent_.assign(n, {});
    Round();
    uint64_t no_round_ms = UINT64_MAX;  // only this round
    AdvanceTo(now_ms_ + 2 * delay_ms_max + 10, &no_round_ms);
    for (int i = 0; i < n; ++i) {
      result.idle_round_messages += pull_sent_[i].messages;
      result.idle_round_bytes += pull_sent_[i].bytes;
    }
    result.idle_round_messages /= n;
    result.idle_round_bytes /= n;
    return result;
  }

 private:
  // Moves simulated time to `t`, delivering what is due and running anti-entropy rounds.
  void AdvanceTo(uint64_t t, uint64_t* next_round_ms) {
    while (now_ms_ < t) {
      now_ms_ = std::min(t, now_ms_ + 1);
      if (now_ms_ >= *next_round_ms) {
        Round();
        *next_round_ms += kAntiEntropyIntervalMs;
      }
      std::vector<Message> due = network_.TakeDue(now_ms_);
      for (Message& m : due) Deliver(m);
    }
  }

  // Every node sends its frontier to every other member (a pull request).
  void Round() {
    ++rounds_;
    const int n = static_cast<int>(nodes_.size());
    for (int from = 0; from < n; ++from) {
      const v1::Frontier frontier = nodes_[from]->state().FindGroup(group_)->Frontier();
      for (int to = 0; to < n; ++to) {
        if (to == from) continue;
        Message m = Message::To(MessageKind::kPullRequest, from, to, group_);
        m.frontier = frontier;
        pull_sent_[from].messages++;
        pull_sent_[from].bytes += frontier.ByteSizeLong();
        network_.Send(std::move(m), now_ms_);
      }
    }
  }

  void Deliver(const Message& m) {
    if (m.kind == MessageKind::kPullRequest) {
      const core::Group* group = nodes_[m.to]->state().FindGroup(group_);
      absl::StatusOr<core::SyncPlan> plan = core::Diff(*group, m.frontier, kPullEventsMax);
      if (!plan.ok() || plan->events.empty()) return;
      Message response = Message::To(MessageKind::kPullResponse, m.to, m.from, group_);
      for (const core::VerifiedEvent* e : plan->events) {
        response.signed_events.push_back(e->SerializeSigned());
        pull_sent_[m.to].bytes += response.signed_events.back().size();
      }
      pull_sent_[m.to].messages++;
      network_.Send(std::move(response), now_ms_);
      return;
    }
    for (const std::string& bytes : m.signed_events) {
      if (m.kind == MessageKind::kPush) {
        push_received_[m.to].messages++;
        push_received_[m.to].bytes += bytes.size();
      }
      const WallClock::time_point start = WallClock::now();
      absl::StatusOr<core::ReceiveResult> r = nodes_[m.to]->Receive(bytes, now_ms_, false);
      receive_ns_ +=
          std::chrono::duration_cast<std::chrono::nanoseconds>(WallClock::now() - start).count();
      ++receives_;
      if (!r.ok()) continue;
      if (m.kind == MessageKind::kPullResponse) repaired_ += r->changes.inserted.size();
      for (const core::EventId& id : r->changes.inserted) {
        auto it = appended_.find(id);
        if (it == appended_.end()) continue;
        if (++it->second.holders == static_cast<int>(nodes_.size())) {
          visible_.insert(id);
          visible_ms_.push_back(now_ms_ - it->second.appended_ms);
        }
      }
    }
  }

  struct Appended {
    uint64_t appended_ms = 0;
    int holders = 0;
  };

  SimRandom random_;
  SimNetwork network_;
  std::vector<core::SigningKey> keys_;
  std::vector<std::unique_ptr<SimNode>> nodes_;
  core::GroupId group_;
  core::EventId campaign_;
  uint64_t now_ms_ = 0;
  uint64_t rounds_ = 0;
  uint64_t repaired_ = 0;
  std::vector<Traffic> push_sent_, push_received_, pull_sent_;
  std::map<core::EventId, Appended> appended_;
  std::set<core::EventId> visible_;
  std::vector<uint64_t> visible_ms_;
  uint64_t receive_ns_ = 0;
  uint64_t receives_ = 0;
};

}  // namespace
}  // namespace constellation::sim

int main() {
  using namespace constellation::sim;
  std::vector<int> sizes;
  const char* members = std::getenv("SCALE_SIM_MEMBERS");
  const std::vector<std::string> words =
      absl::StrSplit(members != nullptr ? members : "10 30 100", ' ', absl::SkipEmpty());
  for (const std::string& s : words) {
    sizes.push_back(std::atoi(s.c_str()));
  }
  const uint64_t pledges = EnvOr("SCALE_SIM_PLEDGES", 300);
  const uint64_t rate = EnvOr("SCALE_SIM_RATE", 10);
  const uint64_t writers = EnvOr("SCALE_SIM_WRITERS", 0);
  const uint64_t delay = EnvOr("SCALE_SIM_DELAY_MS", 100);
  const uint32_t drop = static_cast<uint32_t>(EnvOr("SCALE_SIM_DROP_PER_MILLE", 0));
  const uint64_t seed = EnvOr("SCALE_SIM_SEED", 1);
  std::printf(
      "scale_sim: %llu pledges at %llu/s over the group, delays uniform 0-%llu ms, drops "
      "%u per mille, anti-entropy every %llu ms, seed %llu\n\n",
      static_cast<unsigned long long>(pledges), static_cast<unsigned long long>(rate),
      static_cast<unsigned long long>(delay), drop,
      static_cast<unsigned long long>(kAntiEntropyIntervalMs),
      static_cast<unsigned long long>(seed));
  std::printf(
      "| members | events to form the group (bytes) | pledge event, bytes | push per "
      "event: messages / bytes sent by its author | push bytes received per member per "
      "event | an idle anti-entropy round, per member: messages / bytes sent | CPU per "
      "received event, us | append to visible on all, p50 / p99 / max ms | events "
      "repaired by anti-entropy |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|\n");
  for (int n : sizes) {
    if (n < 2) continue;
    ScaleRun run(n, seed);
    const Result r = run.Run(pledges, rate, writers, delay, drop);
    // Per pledge, the author sends n - 1 pushes: per member and event, that is (n - 1) / n of
    // a push on average; the table shows what one author sends for one event.
    std::printf(
        "| %d | %llu (%.0f KB) | %.0f | %.0f / %.0f | %.0f | %.0f / %.0f | %.0f | %.0f / "
        "%.0f / %.0f%s | %llu |\n",
        n, static_cast<unsigned long long>(r.setup_events), r.setup_bytes / 1e3,
        r.pledge_event_bytes, r.push_sent_messages * n, r.push_sent_bytes * n,
        r.push_received_bytes, r.idle_round_messages, r.idle_round_bytes, r.receive_us,
        r.visible_p50_ms, r.visible_p99_ms, r.visible_max_ms,
        r.not_visible == 0
            ? ""
            : absl::StrFormat(" (%llu never)", static_cast<unsigned long long>(r.not_visible))
                  .c_str(),
        static_cast<unsigned long long>(r.repaired));
    std::fflush(stdout);
  }
  return 0;
}
