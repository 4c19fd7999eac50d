// tests/unit/fold_property_test.cc
//
// The property DESIGN §3 rests on: two nodes holding the same set of events have
// byte-identical state, whatever order the events arrived in. Random but valid multi-author
// histories (seeded; a failure names its seed) are inserted into fresh Groups in many orders
// (random topological orders, and random arrival orders with a pending set as a node keeps),
// and every Group must end with the same canonical order, GroupState::Hash() and rejected
// events. Then the same through NodeState::Receive, as a node receives from peers: both
// branches of a forking author, duplicates, events before their parents or before the genesis,
// and events ahead of the receiver's clock (held); every node must end with the same
// Group::StateHash(), freeze and order of the events that take effect (DESIGN §2-4).
#include <algorithm>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <absl/strings/str_format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "server/base/limits.h"
#include "server/core/group.h"
#include "server/core/node_state.h"
#include "server/core/fundraising/fundraising_ledger.h"
#include "tests/testing/event_factory.h"
#include "tests/testing/status_matchers.h"

namespace constellation::core {
namespace {

using ::constellation::testing::AmendmentBody;
using ::constellation::testing::CampaignBody;
using ::constellation::testing::CancellationBody;
using ::constellation::testing::HashHex;
using ::constellation::testing::HistoryBuilder;
using ::constellation::testing::ParentsOf;
using ::constellation::testing::PaymentBody;
using ::constellation::testing::PledgeBody;
using ::constellation::testing::PulseCheckBody;
using ::constellation::testing::TestCampaign;
using ::constellation::testing::TestCharter;
using ::constellation::testing::TestKey;
using ::constellation::testing::TestTerms;
using ::constellation::testing::TestTermsWithInstallments;

constexpr int kSeedCount = 50;
constexpr int kEventsPerHistory = 48;
constexpr int kOrdersPerSeed = 6;

// What one Group ends with.
struct Outcome {
  std::vector<EventId> order;
  std::string hash;  // GroupState::Hash() in hex
  std::map<EventId, std::string> rejected;
  int late_inserts = 0;  // inserts whose key sorted before an applied event (a refold)
};

// Counts of what the histories exercised, so the property is not checked on trivia.
struct Coverage {
  int accepted_pledges = 0;
  int accepted_amendments = 0;
  int accepted_cancellations = 0;
  int accepted_payments = 0;
  int rejected = 0;
  int late_inserts = 0;
  int pending_waits = 0;
};

// How a RandomHistory is shaped beyond its seed.
struct HistoryOptions {
  // Halfway through, one author (the founder or an outsider) forks: a branch of 1-3 events
  // competes with its next event, which it writes right after. Other authors never depend on
  // the forking author's events from the fork seq on (either branch), so every node can hold
  // the same non-frozen events whichever branch it holds (DESIGN §2).
  bool with_fork = false;
  uint64_t genesis_wall_ms = 1'000;
};

class RandomHistory {
 public:
  explicit RandomHistory(uint64_t seed, HistoryOptions options = {})
      : rng_(seed),
        founder_(TestKey('a')),
        outsiders_{TestKey('b'), TestKey('c'), TestKey('d')},
        builder_(founder_, TestCharter(), options.genesis_wall_ms) {
    for (int i = 0; i < kEventsPerHistory; ++i) {
      if (options.with_fork && i == kEventsPerHistory / 2) Fork();
      AppendOne();
    }
  }

  const HistoryBuilder& builder() const { return builder_; }
  // The forking author, when the history has a fork.
  const std::optional<OrgKey>& forker() const { return forker_; }

  // Every event written: the chains (builder().events()) then the fork branch, if any.
  std::vector<const VerifiedEvent*> AllEvents() const {
    std::vector<const VerifiedEvent*> all;
    for (const VerifiedEvent& e : builder_.events()) all.push_back(&e);
    for (const VerifiedEvent& e : builder_.branch_events()) all.push_back(&e);
    return all;
  }

 private:
  bool Chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  size_t Below(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }
  int64_t Amount(int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng_);
  }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[Below(v.size())];
  }

  // Writes a branch of 1-3 events after the forker's head, then the forker's competing next
  // event on its chain.
  void Fork() {
    std::vector<const SigningKey*> candidates;
    for (const SigningKey* k : AllAuthors()) {
      if (!builder_.Chain(k->public_key()).empty()) candidates.push_back(k);
    }
    const SigningKey& author = Chance(0.5) ? founder_ : *candidates[Below(candidates.size())];
    const std::vector<EventId>& chain = builder_.Chain(author.public_key());
    forker_ = author.public_key();
    dep_ceiling_ = chain.size();  // others may depend on seqs 1..ceiling only
    std::optional<EventId> after = chain.back();
    const int branch_length = 1 + static_cast<int>(Below(3));
    for (int i = 0; i < branch_length; ++i) {
      VerifiedEvent e = builder_.AppendBranch(author, after, Body());
      if (e.event.has_campaign()) campaigns_.push_back(e.id);
      if (e.event.has_pledge()) pledges_.push_back(e.id);
      after = e.id;
    }
    AppendOne(&author);
  }

  // How many of `author`'s first events others may name as deps.
  size_t UsableLength(const OrgKey& author) {
    const size_t length = builder_.Chain(author).size();
    return forker_ == author ? std::min(length, dep_ceiling_) : length;
  }

  void AppendOne(const SigningKey* forced_author = nullptr) {
    // The founder is the only member in this version; outsiders write too, and every node must
    // reject their events identically.
    const SigningKey& author = forced_author != nullptr ? *forced_author
                               : Chance(0.6)            ? founder_
                                                        : outsiders_[Below(outsiders_.size())];
    const OrgKey me = author.public_key();

    // Deps: for each other author, sometimes one of its events (not necessarily the latest).
    std::vector<EventId> deps;
    Hlc floor;
    const std::vector<EventId>& own = builder_.Chain(me);
    if (!own.empty()) floor = builder_.Get(own.back()).hlc;
    for (const SigningKey* other : AllAuthors()) {
      if (other->public_key() == me) continue;
      const std::vector<EventId>& chain = builder_.Chain(other->public_key());
      const size_t usable = UsableLength(other->public_key());
      if (usable == 0) continue;
      // A new author must name something it has seen (at least the genesis).
      const bool must = own.empty() && deps.empty() && other == &founder_;
      if (!must && !Chance(0.5)) continue;
      const size_t back = std::min<size_t>(usable - 1, Below(3));
      const EventId dep = chain[usable - 1 - back];
      deps.push_back(dep);
      floor = std::max(floor, builder_.Get(dep).hlc);
    }
    // HLC: sometimes equal to the highest parent (allowed), else a little later.
    Hlc hlc = floor;
    if (Chance(0.3)) {
      hlc.logical += static_cast<uint32_t>(Below(2));
    } else {
      hlc = Hlc{floor.wall_ms + 1 + Below(5), 0};
    }
    builder_.AppendWithDeps(author, Body(), deps, hlc);
    // Remember ids for later bodies to reference (accepted or not: the fold decides).
    const VerifiedEvent& e = builder_.events().back();
    if (e.event.has_campaign()) campaigns_.push_back(e.id);
    if (e.event.has_pledge()) pledges_.push_back(e.id);
  }

  v1::Event Body() {
    const double r = std::uniform_real_distribution<double>(0, 1)(rng_);
    if (campaigns_.empty() || r < 0.10) {
      return CampaignBody(TestCampaign(Amount(10'000, 90'000), Chance(0.8) ? "EUR" : "USD"));
    }
    if (pledges_.empty() || r < 0.40) {
      if (Chance(0.05)) return PledgeBody(builder_.genesis().id, TestTerms(100));  // not found
      const std::string currency = Chance(0.9) ? "EUR" : "USD";
      if (Chance(0.3)) {
        return PledgeBody(Pick(campaigns_),
                          TestTermsWithInstallments(
                              {{10'000, Amount(50, 400)}, {20'000, Amount(50, 400)}}, currency));
      }
      return PledgeBody(Pick(campaigns_), TestTerms(Amount(100, 1'000), currency));
    }
    if (r < 0.55) return AmendmentBody(Pick(pledges_), TestTerms(Amount(50, 1'500)));
    if (r < 0.65) return CancellationBody(Pick(pledges_));
    if (r < 0.95) return PaymentBody(Pick(pledges_), Amount(1, 600));
    return PulseCheckBody();
  }

  std::vector<const SigningKey*> AllAuthors() const {
    std::vector<const SigningKey*> all = {&founder_};
    for (const SigningKey& k : outsiders_) all.push_back(&k);
    return all;
  }

  std::mt19937_64 rng_;
  const SigningKey founder_;
  const std::vector<SigningKey> outsiders_;
  HistoryBuilder builder_;
  std::vector<EventId> campaigns_;
  std::vector<EventId> pledges_;
  std::optional<OrgKey> forker_;
  size_t dep_ceiling_ = 0;
};

// Inserts `events`, which must form a valid topological order, into a fresh Group.
Outcome InsertInOrder(const GroupId& id, const std::vector<const VerifiedEvent*>& events) {
  Outcome out;
  Group group(id);
  std::optional<OrderKey> max_key;
  for (const VerifiedEvent* e : events) {
    absl::StatusOr<InsertResult> r = group.Insert(*e);
    EXPECT_TRUE(r.ok()) << r.status();
    if (!r.ok()) return out;
    EXPECT_EQ(r->admission, Admission::kReady) << "event " << e->id.ShortHex();
    if (max_key && r->key < *max_key) ++out.late_inserts;
    if (!max_key || *max_key < r->key) max_key = r->key;
  }
  group.ForEachInOrder(0, [&](uint64_t, const VerifiedEvent& e) {
    out.order.push_back(e.id);
    return true;
  });
  out.hash = HashHex(group.state().Hash());
  out.rejected = group.state().rejected_events();
  return out;
}

// Every event comes after its parents (prev and deps): the canonical order is a linear
// extension of the causal order (DESIGN §3).
void ExpectCausalOrder(const HistoryBuilder& h, const std::vector<EventId>& order) {
  std::map<EventId, size_t> position;
  for (size_t i = 0; i < order.size(); ++i) position[order[i]] = i;
  for (const VerifiedEvent& e : h.events()) {
    ASSERT_EQ(position.count(e.id), 1u) << "event " << e.id.ShortHex() << " missing";
    for (const EventId& parent : ParentsOf(e)) {
      EXPECT_LT(position.at(parent), position.at(e.id))
          << "event " << e.id.ShortHex() << " is ordered before its parent " << parent.ShortHex();
    }
  }
}

// A random topological order: repeatedly picks one of the events whose parents are all placed.
std::vector<const VerifiedEvent*> RandomTopologicalOrder(const HistoryBuilder& h,
                                                         std::mt19937_64& rng) {
  std::map<EventId, int> missing;
  std::map<EventId, std::vector<const VerifiedEvent*>> children;
  std::vector<const VerifiedEvent*> ready;
  for (const VerifiedEvent& e : h.events()) {
    std::vector<EventId> parents = ParentsOf(e);
    missing[e.id] = static_cast<int>(parents.size());
    for (const EventId& p : parents) children[p].push_back(&e);
    if (parents.empty()) ready.push_back(&e);
  }
  std::vector<const VerifiedEvent*> order;
  while (!ready.empty()) {
    size_t i = std::uniform_int_distribution<size_t>(0, ready.size() - 1)(rng);
    const VerifiedEvent* e = ready[i];
    ready.erase(ready.begin() + static_cast<std::ptrdiff_t>(i));
    order.push_back(e);
    for (const VerifiedEvent* c : children[e->id]) {
      if (--missing[c->id] == 0) ready.push_back(c);
    }
  }
  EXPECT_EQ(order.size(), h.events().size());
  return order;
}

// Random arrival order, as from an unreliable network: events whose parents are missing wait
// in a pending set (as a node keeps) and are retried after every insert. Returns the order in
// which events were actually inserted, and counts the waits.
std::vector<const VerifiedEvent*> ArrivalOrderWithPending(const HistoryBuilder& h,
                                                          std::mt19937_64& rng, int* waits) {
  std::vector<const VerifiedEvent*> arrivals;
  for (const VerifiedEvent& e : h.events()) arrivals.push_back(&e);
  std::shuffle(arrivals.begin(), arrivals.end(), rng);
  GroupDag dag(h.group());
  std::vector<const VerifiedEvent*> inserted;
  std::vector<const VerifiedEvent*> pending;
  auto try_insert = [&](const VerifiedEvent* e) {
    absl::StatusOr<Admission> a = dag.Check(*e);
    EXPECT_TRUE(a.ok()) << a.status();
    if (!a.ok() || *a != Admission::kReady) {
      EXPECT_TRUE(!a.ok() || *a == Admission::kMissingDeps);
      return false;
    }
    dag.Insert(*e);
    inserted.push_back(e);
    return true;
  };
  for (const VerifiedEvent* e : arrivals) {
    if (!try_insert(e)) {
      ++*waits;
      pending.push_back(e);
      continue;
    }
    for (bool progress = true; progress;) {
      progress = false;
      for (auto it = pending.begin(); it != pending.end();) {
        if (try_insert(*it)) {
          it = pending.erase(it);
          progress = true;
        } else {
          ++it;
        }
      }
    }
  }
  EXPECT_TRUE(pending.empty()) << pending.size() << " events never became ready";
  return inserted;
}

void Tally(const HistoryBuilder& h, const Outcome& o, Coverage* c) {
  c->rejected += static_cast<int>(o.rejected.size());
  c->late_inserts += o.late_inserts;
  for (const VerifiedEvent& e : h.events()) {
    if (o.rejected.count(e.id) != 0) continue;
    c->accepted_pledges += e.event.has_pledge();
    c->accepted_amendments += e.event.has_pledge_amendment();
    c->accepted_cancellations += e.event.has_pledge_cancellation();
    c->accepted_payments += e.event.has_payment_receipt();
  }
}

TEST(FoldPropertyTest, SameEventsInAnyOrderGiveTheSameState) {
  Coverage coverage;
  for (uint64_t seed = 1; seed <= kSeedCount; ++seed) {
    SCOPED_TRACE(absl::StrFormat("seed %d (history and orders are reproducible from it)", seed));
    RandomHistory history(seed);
    const HistoryBuilder& h = history.builder();
    std::vector<const VerifiedEvent*> written;
    for (const VerifiedEvent& e : h.events()) written.push_back(&e);
    const Outcome reference = InsertInOrder(h.group(), written);
    ASSERT_EQ(reference.order.size(), h.events().size());
    ExpectCausalOrder(h, reference.order);
    Tally(h, reference, &coverage);

    std::mt19937_64 rng(seed * 7919);
    for (int k = 0; k < kOrdersPerSeed; ++k) {
      SCOPED_TRACE(absl::StrFormat("order %d", k));
      const std::vector<const VerifiedEvent*> order =
          k % 2 == 0 ? RandomTopologicalOrder(h, rng)
                     : ArrivalOrderWithPending(h, rng, &coverage.pending_waits);
      const Outcome outcome = InsertInOrder(h.group(), order);
      coverage.late_inserts += outcome.late_inserts;
      ASSERT_EQ(outcome.order, reference.order);
      ASSERT_EQ(outcome.hash, reference.hash);
      ASSERT_EQ(outcome.rejected, reference.rejected);
    }
  }
  // The histories exercised what the property is about.
  EXPECT_GT(coverage.accepted_pledges, kSeedCount);
  EXPECT_GT(coverage.accepted_amendments, 0);
  EXPECT_GT(coverage.accepted_cancellations, 0);
  EXPECT_GT(coverage.accepted_payments, kSeedCount);
  EXPECT_GT(coverage.rejected, kSeedCount);
  EXPECT_GT(coverage.late_inserts, kSeedCount);
  EXPECT_GT(coverage.pending_waits, kSeedCount);
}

// What a node ends with when forks may be involved: only non-frozen events take effect, so
// the canonical order is compared without the frozen ones (which branch a node holds depends
// on arrival order; DESIGN §2).
struct ForkOutcome {
  std::string hash;  // Group::StateHash() in hex
  std::vector<EventId> effective_order;
  std::map<EventId, std::string> rejected;
  std::map<OrgKey, uint64_t> frozen;
};

ForkOutcome OutcomeOf(const Group& g) {
  ForkOutcome out;
  out.hash = HashHex(g.StateHash());
  g.ForEachInOrder(0, [&](uint64_t, const VerifiedEvent& e) {
    if (!g.IsFrozen(e)) out.effective_order.push_back(e.id);
    return true;
  });
  out.rejected = g.state().rejected_events();
  for (const auto& [author, record] : g.forks()) out.frozen[author] = record.seq;
  return out;
}

// Counts of what the deliveries exercised.
struct DeliveryCoverage {
  int pending_waits = 0;
  int held = 0;
  int duplicates = 0;
  int redelivered = 0;  // refused before the genesis arrived (kNotFound), delivered again
  int forks_found = 0;
  int other_branch_held = 0;  // nodes that hold the branch the reference does not
  int frozen_effects = 0;     // histories where the fork removed effects of the forker
};

// Delivers every event of `history` (both fork branches), in a random order with random
// duplicates, to a fresh NodeState through Receive, as an unreliable network would: events
// arrive before their parents (pending), before the genesis (refused, delivered again later),
// twice, and ahead of the receiver's clock (held, released as the clock advances).
ForkOutcome DeliverThroughReceive(const RandomHistory& history, std::mt19937_64& rng,
                                  uint64_t start_ms, DeliveryCoverage* coverage) {
  const HistoryBuilder& h = history.builder();
  std::vector<const VerifiedEvent*> arrivals = history.AllEvents();
  const size_t distinct = arrivals.size();
  for (size_t i = 0; i < distinct; ++i) {
    if (std::uniform_int_distribution<int>(0, 3)(rng) == 0) arrivals.push_back(arrivals[i]);
  }
  std::shuffle(arrivals.begin(), arrivals.end(), rng);
  std::deque<const VerifiedEvent*> queue(arrivals.begin(), arrivals.end());
  NodeState node(TestKey('n'));
  uint64_t now_ms = start_ms;
  while (!queue.empty()) {
    const VerifiedEvent* e = queue.front();
    queue.pop_front();
    now_ms += 1;
    for (const GroupChanges& c : node.ReleaseHeld(now_ms)) EXPECT_EQ(c.dropped, 0u);
    absl::StatusOr<ReceiveResult> r = node.Receive(*e, now_ms);
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), absl::StatusCode::kNotFound) << r.status();
      ++coverage->redelivered;
      queue.push_back(e);
      continue;
    }
    EXPECT_EQ(r->changes.dropped, 0u);
    coverage->forks_found += static_cast<int>(r->changes.new_fork_proofs.size());
    switch (r->outcome) {
      case ReceiveOutcome::kPending:
        ++coverage->pending_waits;
        break;
      case ReceiveOutcome::kHeld:
        ++coverage->held;
        break;
      case ReceiveOutcome::kDuplicate:
        ++coverage->duplicates;
        break;
      case ReceiveOutcome::kEvicted:
        ADD_FAILURE() << "nothing should be evicted under the default limits";
        break;
      case ReceiveOutcome::kInserted:
      case ReceiveOutcome::kFork:
        break;
    }
  }
  node.ReleaseHeld(limits::kHlcWallMsMax);  // the clock catches up with everything
  EXPECT_EQ(node.pending_stats().held_events, 0u);
  const Group* g = node.FindGroup(h.group());
  EXPECT_NE(g, nullptr);
  if (g == nullptr) return {};
  if (!h.branch_events().empty() && g->Find(h.branch_events().front().id) != nullptr) {
    ++coverage->other_branch_held;
  }
  // What is left in pending can never be inserted here: the other fork branch only.
  const PendingBuffer* pending = node.FindPending(h.group());
  if (pending != nullptr && !pending->empty()) {
    EXPECT_TRUE(history.forker().has_value()) << pending->size() << " events stuck in pending";
  }
  return OutcomeOf(*g);
}

TEST(FoldPropertyTest, ForksDuplicatesAndAnyDeliveryOrderGiveTheSameState) {
  // Half the histories fork. Every node receives every event of both branches, through the
  // pending buffer, and must end with the same state hash, effective order, rejections and
  // freeze as a node that received the events in the order they were written.
  DeliveryCoverage coverage;
  for (uint64_t seed = 1; seed <= kSeedCount; ++seed) {
    SCOPED_TRACE(absl::StrFormat("seed %d (history and orders are reproducible from it)", seed));
    const uint64_t genesis_ms = 10'000'000;
    RandomHistory history(
        seed, HistoryOptions{.with_fork = seed % 2 == 1, .genesis_wall_ms = genesis_ms});
    const HistoryBuilder& h = history.builder();
    Group written(h.group());
    int reference_forks = 0;
    for (const VerifiedEvent* e : history.AllEvents()) {
      ASSERT_OK_AND_ASSIGN(InsertResult r, written.Insert(*e));
      reference_forks += r.new_fork_proof.has_value();
    }
    ASSERT_EQ(reference_forks, history.forker().has_value() ? 1 : 0);
    const ForkOutcome reference = OutcomeOf(written);
    if (history.forker().has_value()) {
      ASSERT_EQ(reference.frozen.size(), 1u);
      Group unforked(h.group());
      for (const VerifiedEvent& e : h.events()) ASSERT_OK(unforked.Insert(e));
      if (HashHex(unforked.state().Hash()) != HashHex(written.state().Hash())) {
        ++coverage.frozen_effects;
      }
    }

    std::mt19937_64 rng(seed * 104729);
    for (int k = 0; k < kOrdersPerSeed; ++k) {
      SCOPED_TRACE(absl::StrFormat("delivery %d", k));
      // Half the deliveries start with the receiver's clock behind the history's stamps, so
      // that some events are held until it catches up.
      const uint64_t start_ms = k % 2 == 0 ? genesis_ms + 40 - limits::kClockSkewMsMax
                                           : genesis_ms + limits::kClockSkewMsMax;
      const ForkOutcome outcome = DeliverThroughReceive(history, rng, start_ms, &coverage);
      ASSERT_EQ(outcome.effective_order, reference.effective_order);
      ASSERT_EQ(outcome.rejected, reference.rejected);
      ASSERT_EQ(outcome.frozen, reference.frozen);
      ASSERT_EQ(outcome.hash, reference.hash);
    }
  }
  EXPECT_GT(coverage.pending_waits, kSeedCount);
  EXPECT_GT(coverage.held, kSeedCount);
  EXPECT_GT(coverage.duplicates, kSeedCount);
  EXPECT_GT(coverage.redelivered, 0);
  EXPECT_EQ(coverage.forks_found, kSeedCount / 2 * kOrdersPerSeed)
      << "every delivery of a forked history finds the fork once";
  EXPECT_GT(coverage.other_branch_held, 0) << "no node held the other branch";
  EXPECT_GT(coverage.frozen_effects, 0) << "no fork removed effects";
}

TEST(FoldPropertyTest, LateEventRefoldsToTheInOrderState) {
  const SigningKey founder = TestKey('a');
  const SigningKey outsider = TestKey('b');
  HistoryBuilder h(founder, TestCharter());
  const VerifiedEvent& g = h.genesis();
  VerifiedEvent campaign = h.AppendWithDeps(founder, CampaignBody(TestCampaign(50'000)), {});
  VerifiedEvent pledge = h.AppendWithDeps(founder, PledgeBody(campaign.id, TestTerms(900)), {});
  VerifiedEvent payment = h.AppendWithDeps(founder, PaymentBody(pledge.id, 400), {});
  // Concurrent with all of the founder's events after the genesis: depth 2.
  VerifiedEvent late = h.AppendWithDeps(outsider, PaymentBody(pledge.id, 500), {g.id});

  Group in_order(h.group());
  std::vector<const VerifiedEvent*> canonical = {&g, &campaign, &late, &pledge, &payment};
  if (late.id < campaign.id) std::swap(canonical[1], canonical[2]);
  for (const VerifiedEvent* e : canonical) {
    ASSERT_OK_AND_ASSIGN(InsertResult r, in_order.Insert(*e));
    ASSERT_EQ(r.admission, Admission::kReady);
  }

  Group refolded(h.group());
  OrderKey last_applied;
  for (const VerifiedEvent* e :
       std::vector<const VerifiedEvent*>{&g, &campaign, &pledge, &payment}) {
    ASSERT_OK_AND_ASSIGN(InsertResult r, refolded.Insert(*e));
    last_applied = r.key;
  }
  ASSERT_OK_AND_ASSIGN(InsertResult r, refolded.Insert(late));
  ASSERT_EQ(r.admission, Admission::kReady);
  ASSERT_LT(r.key, last_applied) << "the late event must sort before applied events";

  EXPECT_EQ(HashHex(refolded.state().Hash()), HashHex(in_order.state().Hash()));
  EXPECT_EQ(refolded.state().rejected_events(), in_order.state().rejected_events());
  EXPECT_EQ(refolded.state().event_count(), 5u);
  EXPECT_EQ(Fundraising(refolded.state()).pledges().at(pledge.id).received_minor, 400);
  EXPECT_EQ(Fundraising(refolded.state()).pledges().at(pledge.id).history.size(), 2u);
  EXPECT_EQ(refolded.state().rejected_events().count(late.id), 1u);
  std::vector<EventId> order;
  refolded.ForEachInOrder(0, [&](uint64_t, const VerifiedEvent& e) {
    order.push_back(e.id);
    return true;
  });
  std::vector<EventId> expected;
  for (const VerifiedEvent* e : canonical) expected.push_back(e->id);
  EXPECT_EQ(order, expected);
  ExpectCausalOrder(h, order);
}

TEST(FoldPropertyTest, ForkedAuthorGivesTheSameStateWhicheverBranchArrivedFirst) {
  // DESIGN §2: two valid events with the same (group, author, seq) are a fork; every node
  // freezes that author's events from the fork seq on, whichever branch arrived first. Two
  // nodes that received the same events must therefore agree (DESIGN §3).
  const SigningKey founder = TestKey('a');
  HistoryBuilder h(founder, TestCharter());
  v1::Event draft = h.Draft(founder.public_key(), {});
  v1::Event branch_a = draft;
  branch_a.MergeFrom(CampaignBody(TestCampaign(1'000)));
  v1::Event branch_b = draft;
  branch_b.MergeFrom(CampaignBody(TestCampaign(2'000)));
  VerifiedEvent a = ::constellation::testing::SealOrDie(branch_a, founder);
  VerifiedEvent b = ::constellation::testing::SealOrDie(branch_b, founder);

  Group first_a(h.group());
  Group first_b(h.group());
  for (Group* group : {&first_a, &first_b}) ASSERT_OK(group->Insert(h.genesis()));
  ASSERT_OK(first_a.Insert(a));
  ASSERT_OK_AND_ASSIGN(InsertResult fork_a, first_a.Insert(b));
  ASSERT_OK(first_b.Insert(b));
  ASSERT_OK_AND_ASSIGN(InsertResult fork_b, first_b.Insert(a));
  EXPECT_EQ(fork_a.admission, Admission::kFork);
  EXPECT_EQ(fork_b.admission, Admission::kFork);

  EXPECT_EQ(HashHex(first_a.StateHash()), HashHex(first_b.StateHash()))
      << "the state depends on which fork branch arrived first";
  // Both nodes keep the same canonical proof and freeze the founder from seq 2: neither
  // branch's campaign takes effect.
  ASSERT_TRUE(fork_a.new_fork_proof.has_value());
  ASSERT_TRUE(fork_b.new_fork_proof.has_value());
  EXPECT_EQ(fork_a.new_fork_proof->SerializeAsString(), fork_b.new_fork_proof->SerializeAsString());
  EXPECT_EQ(first_a.FrozenFrom(founder.public_key()), 2u);
  EXPECT_EQ(first_b.FrozenFrom(founder.public_key()), 2u);
  EXPECT_TRUE(Fundraising(first_a.state()).campaigns().empty());
  EXPECT_TRUE(Fundraising(first_b.state()).campaigns().empty());
}

}  // namespace
}  // namespace constellation::core
