// tests/unit/governance_property_test.cc
//
// The property of DESIGN §3 for decisions and membership: two nodes holding the same events
// have byte-identical state, whatever order the events arrived in. Random multi-author
// histories (seeded; a failure names its seed) where outsiders are admitted, propose, vote,
// close, acknowledge, give notice, withdraw and expel each other, with random causal links and
// stamps, are inserted into fresh Groups in random topological orders and random arrival
// orders (with a pending set, as a node keeps). Every Group must end with the same canonical
// order, state hash and rejected events, and so must the fold with removal cuts.
#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <absl/strings/str_format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "server/core/group.h"
#include "server/core/governance/governance_ledger.h"
#include "tests/testing/event_factory.h"
#include "tests/testing/status_matchers.h"

namespace constellation::core {
namespace {

using ::constellation::testing::AcceptanceBody;
using ::constellation::testing::AcknowledgementBody;
using ::constellation::testing::AdmitBody;
using ::constellation::testing::CampaignBody;
using ::constellation::testing::ExpelBody;
using ::constellation::testing::HashHex;
using ::constellation::testing::HistoryBuilder;
using ::constellation::testing::MakeDecisionRule;
using ::constellation::testing::NoticeBody;
using ::constellation::testing::ParentsOf;
using ::constellation::testing::PledgeBody;
using ::constellation::testing::ProposalBody;
using ::constellation::testing::ProposalCloseBody;
using ::constellation::testing::StanceBody;
using ::constellation::testing::TestCampaign;
using ::constellation::testing::TestCharter;
using ::constellation::testing::TestKey;
using ::constellation::testing::TestTerms;
using ::constellation::testing::WithdrawalBody;

constexpr int kSeedCount = 60;
constexpr int kEventsPerHistory = 90;
constexpr int kOrdersPerSeed = 6;

struct ProposalInfo {
  EventId id;
  v1::DecisionType type;
  OrgKey target;  // ADMIT, EXPEL
};

// Writes a random history. A shadow fold of the events as written steers the choices (who
// writes, what it refers to) towards records that take effect, so that admissions, finality
// and expulsions happen; the random causal links and stamps keep plenty of concurrency, and a
// share of the records is refused all the same.
class GovernanceHistory {
 public:
  explicit GovernanceHistory(uint64_t seed)
      : rng_(seed),
        keys_{TestKey('a'), TestKey('b'), TestKey('c'), TestKey('d'), TestKey('e'), TestKey('f')},
        builder_(keys_[0], Charter()),
        shadow_(builder_.group()) {
    shadow_.Apply(builder_.genesis());
    for (int i = 0; i < kEventsPerHistory; ++i) AppendOne();
  }

  const HistoryBuilder& builder() const { return builder_; }

 private:
  static v1::Charter Charter() {
    v1::Charter c = TestCharter();
    *c.add_decision_rules() =
        MakeDecisionRule(v1::DECISION_TYPE_ADMIT, v1::DECISION_PROCESS_CONSENT);
    *c.add_decision_rules() =
        MakeDecisionRule(v1::DECISION_TYPE_ADOPT_STRATEGY, v1::DECISION_PROCESS_MAJORITY, 3000);
    c.set_withdrawal_notice_days(0);
    return c;
  }

  bool Chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  size_t Below(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[Below(v.size())];
  }

  const SigningKey& KeyOf(const OrgKey& key) const {
    for (const SigningKey& k : keys_) {
      if (k.public_key() == key) return k;
    }
    return keys_[0];
  }

  void AppendOne() {
    // An invitee whose admission is final and passed usually accepts soon.
    std::vector<EventId> acceptable;
    for (const auto& [id, p] : Governance(shadow_).proposals()) {
      if (p.type() == v1::DECISION_TYPE_ADMIT && p.outcome.final &&
          p.outcome.outcome == DecisionOutcome::kPassed && !p.acceptance.has_value()) {
        acceptable.push_back(id);
      }
    }
    std::vector<const SigningKey*> writers;
    for (const SigningKey& k : keys_) {
      if (shadow_.roster().IsActiveWriter(k.public_key())) writers.push_back(&k);
    }
    const SigningKey* author = nullptr;
    std::optional<v1::Event> body;
    if (!acceptable.empty() && Chance(0.5)) {
      const ProposalState& p = Governance(shadow_).proposals().at(Pick(acceptable));
      author = &KeyOf(*p.target);
      body = AcceptanceBody(p.id);
    } else if (!writers.empty() && Chance(0.85)) {
      author = Pick(writers);
    } else {
      author = &keys_[Below(keys_.size())];
    }
    const OrgKey me = author->public_key();

    std::vector<EventId> deps;
    Hlc floor;
    const std::vector<EventId>& own = builder_.Chain(me);
    if (!own.empty()) floor = builder_.Get(own.back()).hlc;
    for (const SigningKey& other : keys_) {
      if (other.public_key() == me) continue;
      const std::vector<EventId>& chain = builder_.Chain(other.public_key());
      if (chain.empty()) continue;
      const bool must = own.empty() && deps.empty() && &other == &keys_[0];
      if (!must && !Chance(0.7)) continue;
      const size_t back = std::min<size_t>(chain.size() - 1, Chance(0.7) ? 0 : Below(3));
      const EventId dep = chain[chain.size() - 1 - back];
      deps.push_back(dep);
      floor = std::max(floor, builder_.Get(dep).hlc);
    }
    Hlc hlc = floor;
    if (Chance(0.2)) {
      hlc.logical += static_cast<uint32_t>(Below(2));
    } else {
      hlc = Hlc{floor.wall_ms + 1 + Below(4), 0};
    }
    if (!body.has_value()) body = Body(me, hlc);
    const VerifiedEvent e = builder_.AppendWithDeps(*author, *body, deps, hlc);
    shadow_.Apply(e);
    if (e.event.has_campaign()) campaigns_.push_back(e.id);
  }

  uint64_t Deadline(const Hlc& hlc) { return Chance(0.3) ? 0 : hlc.wall_ms + 3 + Below(60); }

  v1::StanceChoice Choice(const ProposalState& p) {
    // Expulsions need every other member: mostly agree, so that some take effect.
    if (p.type() == v1::DECISION_TYPE_EXPEL && Chance(0.9)) return v1::STANCE_CHOICE_AGREE;
    static constexpr v1::StanceChoice kChoices[] = {
        v1::STANCE_CHOICE_AGREE, v1::STANCE_CHOICE_AGREE, v1::STANCE_CHOICE_ABSTAIN,
        v1::STANCE_CHOICE_DISAGREE, v1::STANCE_CHOICE_BLOCK};
    return kChoices[Below(5)];
  }

  v1::Event Body(const OrgKey& me, const Hlc& hlc) {
    std::vector<const ProposalState*> all;
    std::vector<const ProposalState*> mine_to_vote;
    for (const auto& [id, p] : Governance(shadow_).proposals()) {
      all.push_back(&p);
      if (p.electorate.contains(me) && !p.outcome.final) mine_to_vote.push_back(&p);
    }
    std::vector<OrgKey> outsiders;
    std::vector<OrgKey> others;
    for (const SigningKey& k : keys_) {
      const OrgKey& key = k.public_key();
      if (key == me) continue;
      (shadow_.roster().IsActiveWriter(key) ? others : outsiders).push_back(key);
    }
    const double r = std::uniform_real_distribution<double>(0, 1)(rng_);
    if (all.empty() || r < 0.10) {
      const OrgKey invitee = outsiders.empty() || Chance(0.1) ? me : Pick(outsiders);
      return AdmitBody(invitee, Chance(0.8) ? v1::ROLE_PARTNER : v1::ROLE_LEAD,
                       static_cast<uint32_t>(1 + Below(3)), Deadline(hlc));
    }
    if (r < 0.17) return ProposalBody(v1::DECISION_TYPE_ADOPT_STRATEGY, Deadline(hlc));
    if (r < 0.21) {
      return ExpelBody(others.empty() || Chance(0.1) ? me : Pick(others), Deadline(hlc));
    }
    if (r < 0.50) {
      const ProposalState& p =
          mine_to_vote.empty() || Chance(0.1) ? *Pick(all) : *Pick(mine_to_vote);
      const v1::StanceChoice choice = Choice(p);
      const bool reason = choice == v1::STANCE_CHOICE_AGREE || Chance(0.9);
      return StanceBody(p.id, choice, reason ? "because" : "");
    }
    if (r < 0.56) return ProposalCloseBody(Pick(all)->id);
    if (r < 0.74) {
      std::vector<EventId> ids = {Pick(all)->id};
      const EventId other = Pick(all)->id;
      if (other != ids.front()) ids.push_back(other);
      return AcknowledgementBody(ids);
    }
    if (r < 0.77) return NoticeBody(Chance(0.5) ? 0 : hlc.wall_ms + Below(40));
    if (r < 0.79) return WithdrawalBody();
    if (r < 0.80) return ProposalBody(v1::DECISION_TYPE_DISSOLVE);  // not allowed here
    if (campaigns_.empty() || r < 0.85) return CampaignBody(TestCampaign(50'000));
    return PledgeBody(Pick(campaigns_), TestTerms(100));
  }

  std::mt19937_64 rng_;
  const std::vector<SigningKey> keys_;
  HistoryBuilder builder_;
  GroupState shadow_;
  std::vector<EventId> campaigns_;
};

struct Outcome {
  std::vector<EventId> order;
  std::string hash;  // the Group's state
  std::map<EventId, std::string> rejected;
  std::string single_fold_hash;  // one GroupState fold of the canonical order
  std::string cut_fold_hash;     // FoldWithRemovalCuts over the canonical order
};

Outcome InsertInOrder(const GroupId& id, const std::vector<const VerifiedEvent*>& events) {
  Outcome out;
  Group group(id);
  for (const VerifiedEvent* e : events) {
    absl::StatusOr<InsertResult> r = group.Insert(*e);
    EXPECT_TRUE(r.ok()) << r.status();
    if (!r.ok()) return out;
    EXPECT_EQ(r->admission, Admission::kReady) << "event " << e->id.ShortHex();
  }
  group.ForEachInOrder(0, [&](uint64_t, const VerifiedEvent& e) {
    out.order.push_back(e.id);
    return true;
  });
  out.hash = HashHex(group.state().Hash());
  out.rejected = group.state().rejected_events();
  auto replay = [&](GroupState& s) {
    group.ForEachInOrder(0, [&](uint64_t, const VerifiedEvent& e) {
      s.Apply(e);
      return true;
    });
  };
  GroupState single_fold(id);
  replay(single_fold);
  out.single_fold_hash = HashHex(single_fold.Hash());
  GroupState cut_fold = FoldWithRemovalCuts(id, replay);
  EXPECT_FALSE(cut_fold.NeedsRefold());
  EXPECT_EQ(cut_fold.removal_cuts(), single_fold.removal_cuts());
  out.cut_fold_hash = HashHex(cut_fold.Hash());
  return out;
}

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

// Random arrival order; events whose parents are missing wait in a pending set.
std::vector<const VerifiedEvent*> ArrivalOrderWithPending(const HistoryBuilder& h,
                                                          std::mt19937_64& rng) {
  std::vector<const VerifiedEvent*> arrivals;
  for (const VerifiedEvent& e : h.events()) arrivals.push_back(&e);
  std::shuffle(arrivals.begin(), arrivals.end(), rng);
  GroupDag dag(h.group());
  std::vector<const VerifiedEvent*> inserted;
  std::vector<const VerifiedEvent*> pending;
  auto try_insert = [&](const VerifiedEvent* e) {
    absl::StatusOr<Admission> a = dag.Check(*e);
    if (!a.ok() || *a != Admission::kReady) return false;
    dag.Insert(*e);
    inserted.push_back(e);
    return true;
  };
  for (const VerifiedEvent* e : arrivals) {
    if (!try_insert(e)) {
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
  EXPECT_TRUE(pending.empty());
  return inserted;
}

// What the reference fold exercised, so that the property is not checked on trivia.
struct Coverage {
  int proposals = 0;
  int final_outcomes = 0;
  int passed_admissions = 0;
  int admitted = 0;  // members other than the founder
  int stances = 0;
  int closed_rejections = 0;  // stances refused because their proposal had closed
  int withdrawn = 0;
  int notices = 0;
  int expelled = 0;
  int cut_fold_differs = 0;  // histories where the fold with cuts voided something
};

void Tally(const Group& g, const Outcome& o, Coverage* c) {
  const GroupState& s = g.state();
  c->proposals += static_cast<int>(Governance(s).proposals().size());
  for (const auto& [id, p] : Governance(s).proposals()) {
    c->stances += static_cast<int>(p.stances.size());
    if (!p.outcome.final) continue;
    ++c->final_outcomes;
    c->passed_admissions +=
        p.type() == v1::DECISION_TYPE_ADMIT && p.outcome.outcome == DecisionOutcome::kPassed;
  }
  for (const auto& [key, m] : s.roster().members()) {
    c->admitted += m.admitted_by.has_value();
    c->withdrawn += m.status == MemberStatus::kWithdrawn;
    c->notices += m.notice_event.has_value();
    c->expelled += m.status == MemberStatus::kExpelled;
  }
  for (const auto& [id, reason] : s.rejected_events()) {
    c->closed_rejections += reason.find("is closed") != std::string::npos;
  }
  c->cut_fold_differs += o.cut_fold_hash != o.single_fold_hash;
}

TEST(GovernancePropertyTest, SameEventsInAnyOrderGiveTheSameDecisionsAndMembers) {
  Coverage coverage;
  for (uint64_t seed = 1; seed <= kSeedCount; ++seed) {
    SCOPED_TRACE(absl::StrFormat("seed %d (history and orders are reproducible from it)", seed));
    GovernanceHistory history(seed);
    const HistoryBuilder& h = history.builder();
    std::vector<const VerifiedEvent*> written;
    for (const VerifiedEvent& e : h.events()) written.push_back(&e);
    const Outcome reference = InsertInOrder(h.group(), written);
    ASSERT_EQ(reference.order.size(), h.events().size());
    {
      Group g(h.group());
      for (const VerifiedEvent* e : written) ASSERT_OK(g.Insert(*e));
      Tally(g, reference, &coverage);
    }
    std::mt19937_64 rng(seed * 7919);
    for (int k = 0; k < kOrdersPerSeed; ++k) {
      SCOPED_TRACE(absl::StrFormat("order %d", k));
      const std::vector<const VerifiedEvent*> order =
          k % 2 == 0 ? RandomTopologicalOrder(h, rng) : ArrivalOrderWithPending(h, rng);
      const Outcome outcome = InsertInOrder(h.group(), order);
      ASSERT_EQ(outcome.order, reference.order);
      ASSERT_EQ(outcome.rejected, reference.rejected);
      ASSERT_EQ(outcome.hash, reference.hash);
      ASSERT_EQ(outcome.single_fold_hash, reference.single_fold_hash);
      ASSERT_EQ(outcome.cut_fold_hash, reference.cut_fold_hash);
    }
  }
  RecordProperty("proposals", coverage.proposals);
  RecordProperty("stances", coverage.stances);
  RecordProperty("final_outcomes", coverage.final_outcomes);
  RecordProperty("admitted", coverage.admitted);
  RecordProperty("closed_rejections", coverage.closed_rejections);
  RecordProperty("withdrawn", coverage.withdrawn);
  RecordProperty("notices", coverage.notices);
  RecordProperty("expelled", coverage.expelled);
  RecordProperty("cut_fold_differs", coverage.cut_fold_differs);
  EXPECT_GT(coverage.proposals, kSeedCount * 5);
  EXPECT_GT(coverage.stances, kSeedCount * 3);
  EXPECT_GT(coverage.final_outcomes, kSeedCount);
  EXPECT_GT(coverage.passed_admissions, kSeedCount / 2);
  EXPECT_GT(coverage.admitted, kSeedCount / 2);
  EXPECT_GT(coverage.closed_rejections, 0);
  EXPECT_GT(coverage.withdrawn, 0);
  EXPECT_GT(coverage.notices, 0);
  EXPECT_GT(coverage.expelled, 0);
  EXPECT_GT(coverage.cut_fold_differs, 0) << "no history needed the fold with cuts";
}

}  // namespace
}  // namespace constellation::core
