#include "tests/sim/simulator.h"

#include <algorithm>

#include "server/base/check.h"
#include "server/base/limits.h"
#include "server/core/sync.h"
#include "server/core/governance/governance_ledger.h"
#include "server/core/fundraising/fundraising_ledger.h"
#include "tests/testing/event_factory.h"

namespace constellation::sim {
namespace {

using ::constellation::testing::AcceptanceBody;
using ::constellation::testing::AcknowledgementBody;
using ::constellation::testing::AdmitBody;
using ::constellation::testing::AmendmentBody;
using ::constellation::testing::CampaignBody;
using ::constellation::testing::CancellationBody;
using ::constellation::testing::CharterBody;
using ::constellation::testing::ExpelBody;
using ::constellation::testing::HashHex;
using ::constellation::testing::NoticeBody;
using ::constellation::testing::PaymentBody;
using ::constellation::testing::PledgeBody;
using ::constellation::testing::ProposalBody;
using ::constellation::testing::ProposalCloseBody;
using ::constellation::testing::StanceBody;
using ::constellation::testing::TestCampaign;
using ::constellation::testing::TestCharter;
using ::constellation::testing::TestKey;
using ::constellation::testing::TestTerms;
using ::constellation::testing::WithdrawalBody;

constexpr int kNodeCountMin = 3;
constexpr int kNodeCountMax = 5;
constexpr size_t kGroupCountMax = 2;
constexpr uint64_t kStartMs = 1'767'225'600'000;  // 2026-01-01, simulated
constexpr uint64_t kStepMsMin = 200;
constexpr uint64_t kStepMsMax = 2'000;
constexpr size_t kTraceLinesMax = 40;

// Workload-phase network faults.
constexpr NetworkFaults kWorkloadFaults{
    .drop_per_mille = 100, .duplicate_per_mille = 50, .delay_ms_max = 3'000};
// Settle phase: healed, still duplicating, every message deliverable at once.
constexpr NetworkFaults kSettleFaults{
    .drop_per_mille = 0, .duplicate_per_mille = 50, .delay_ms_max = 0};

// Per-step fault rates (per mille) and durations (steps).
constexpr uint32_t kPartitionPerMille = 15;
constexpr uint64_t kPartitionStepsMin = 5;
constexpr uint64_t kPartitionStepsMax = 60;
constexpr uint32_t kCrashPerMille = 12;
constexpr uint64_t kDownStepsMax = 15;
constexpr uint32_t kSkewChangePerMille = 20;
constexpr int64_t kSkewMsMax = 3'000;
constexpr uint32_t kFarAheadPerMille = 4;
constexpr uint64_t kFarAheadMsMin = limits::kClockSkewMsMax + 60'000;
constexpr uint64_t kFarAheadMsMax = limits::kClockSkewMsMax + 6 * 60'000;
constexpr uint64_t kFarAheadStepsMin = 30;
constexpr uint64_t kFarAheadStepsMax = 150;
// Received events written with sync = false (a crash loses them).
constexpr uint32_t kUnsyncedReceivePerMille = 300;

// Per-step activity rates (per mille).
constexpr uint32_t kUserActionPerMille = 600;
constexpr uint32_t kPullPerMille = 350;
constexpr uint32_t kFoundSecondGroupPerMille = 3;
// Events one pull response carries at most: small, so that truncated pulls happen.
constexpr size_t kPullEventsMax = 48;

// Proposal deadlines: default (the rule's voting window) or soon, so that deadlines close.
constexpr uint64_t kDeadlineSoonMsMin = 6 * 60'000;
constexpr uint64_t kDeadlineSoonMsMax = 40 * 60'000;
// The settle phase starts this far later: past every default voting window (7 days).
constexpr uint64_t kSettleTimeJumpMs = 8ULL * 24 * 3'600'000;
constexpr uint64_t kSettleRoundMs = 1'000;
constexpr int kDeliveryRoundsMax = 1'000;
constexpr uint32_t kNoticeDays = 1;

// Fork scenario: when backups are taken and when a node is restored from one.
constexpr double kBackupAtFraction = 0.3;
constexpr double kRestoreAtFraction = 0.6;

v1::Charter SimCharter(int founder) {
  v1::Charter c = TestCharter(absl::StrFormat("Sim partnership of node %d", founder),
                              absl::StrFormat("Org %d", founder));
  c.set_withdrawal_notice_days(kNoticeDays);
  return c;
}

bool Concerned(const core::ProposalState& p, const core::OrgKey& org) {
  if (p.proposer == org) return true;
  auto voter = p.electorate.find(org);
  return voter != p.electorate.end() && voter->second.decides;
}

}  // namespace

Simulator::Simulator(SimOptions options)
    : options_(options),
      random_(options.seed),
      node_count_(kNodeCountMin +
                  static_cast<int>(random_.Below(kNodeCountMax - kNodeCountMin + 1))),
      network_(node_count_, &random_),
      checker_(node_count_, options.strict),
      global_ms_(kStartMs),
      skew_ms_(node_count_, 0),
      down_until_step_(node_count_, 0) {
  stats_.node_count = node_count_;
  for (int i = 0; i < node_count_; ++i) {
    nodes_.push_back(std::make_unique<SimNode>(i, TestKey(static_cast<char>('a' + i))));
  }
  network_.set_faults(kWorkloadFaults);
}

uint64_t Simulator::NowMs(int node) const {
  return static_cast<uint64_t>(static_cast<int64_t>(global_ms_) + skew_ms_[node]);
}

std::vector<const SimNode*> Simulator::Nodes() const {
  std::vector<const SimNode*> nodes;
  for (const auto& n : nodes_) nodes.push_back(n.get());
  return nodes;
}

void Simulator::Trace(std::string line) {
  trace_.push_back(absl::StrFormat("[step %d, t=%d] %s", step_, global_ms_ - kStartMs, line));
  if (trace_.size() > kTraceLinesMax) trace_.pop_front();
}

void Simulator::Fail(const absl::Status& violation) {
  if (!violation_.ok() || violation.ok()) return;
  std::string trace;
  for (const std::string& line : trace_) trace += "\n  " + line;
  violation_ = absl::InternalError(
      absl::StrFormat("simulation failed: seed %d, step %d (%s phase, %d nodes): %s\n"
                      "replay: CONSTELLATION_SIM_SEED=%d sim_test --gtest_filter='*ReplaySeed*'\n"
                      "last actions:%s",
                      options_.seed, step_, settling_ ? "settle" : "workload", node_count_,
                      std::string(violation.message()), options_.seed, trace));
}

void Simulator::CheckInvariants() { Fail(checker_.Check(Nodes())); }

std::string Simulator::StatsLine() const {
  return absl::StrFormat(
      "seed %d: %d nodes, %d steps (%d settle rounds); own writes %d (refused %d), received "
      "inserted %d, pending %d, held %d, duplicate %d, refused %d; admissions %d, final "
      "proposals %d; crashes %d, partitions %d, forks detected %d; messages sent %d, dropped %d, "
      "duplicated %d, cut by partitions %d; known issues A %d, B %d, D %d",
      options_.seed, stats_.node_count, stats_.steps, stats_.settle_rounds, stats_.own_writes,
      stats_.own_writes_refused, stats_.received_inserted, stats_.received_pending,
      stats_.received_held, stats_.received_duplicate, stats_.received_refused, stats_.admissions,
      stats_.final_proposals, stats_.crashes, stats_.partitions, stats_.forks_detected,
      stats_.network.sent, stats_.network.dropped, stats_.network.duplicated,
      stats_.network.partitioned, stats_.known_issue_a, stats_.known_issue_b,
      stats_.known_issue_d);
}

absl::Status Simulator::Run() {
  for (int i = 0; i < options_.workload_steps && violation_.ok(); ++i) Step();
  if (violation_.ok()) Fail(Settle());
  stats_.network = network_.stats();
  for (const auto& [key, kind] : checker_.known_issues()) {
    switch (kind) {
      case InvariantChecker::KnownIssueKind::kFinalProposalLostEffect:
        ++stats_.known_issue_a;
        break;
      case InvariantChecker::KnownIssueKind::kCutChangedFinalTally:
        ++stats_.known_issue_b;
        break;
      case InvariantChecker::KnownIssueKind::kFreezeChangedFinal:
        ++stats_.known_issue_d;
        break;
    }
  }
  return violation_;
}

void Simulator::Step() {
  ++step_;
  ++stats_.steps;
  global_ms_ += random_.Between(kStepMsMin, kStepMsMax);
  ScheduleFaults();
  MaybeBackupOrRestore();
  Deliver(network_.TakeDue(global_ms_));
  for (int i = 0; i < node_count_; ++i) {
    if (!nodes_[i]->up()) continue;
    absl::StatusOr<std::vector<core::GroupChanges>> released =
        nodes_[i]->ReleaseHeld(NowMs(i), !random_.Chance(kUnsyncedReceivePerMille));
    CONSTELLATION_CHECK(released.ok());
    for (const core::GroupChanges& changes : *released) {
      stats_.received_inserted += changes.inserted.size();
      Gossip(i, changes);
    }
    AutomaticWrites(i);
  }
  if (random_.Chance(kUserActionPerMille)) {
    const int i = static_cast<int>(random_.Below(node_count_));
    if (nodes_[i]->up()) UserAction(i);
  }
  if (random_.Chance(kPullPerMille)) {
    const int i = static_cast<int>(random_.Below(node_count_));
    const int j = static_cast<int>(random_.Below(node_count_));
    if (i != j && nodes_[i]->up()) SendPull(i, j);
  }
  CheckInvariants();
}

void Simulator::ScheduleFaults() {
  // Partitions: split the nodes in two sides for a while, then heal.
  if (network_.partitioned()) {
    if (step_ >= heal_at_step_) {
      network_.Heal();
      Trace("partition healed");
    }
  } else if (random_.Chance(kPartitionPerMille)) {
    std::vector<int> sides(node_count_);
    for (int& side : sides) side = static_cast<int>(random_.Below(2));
    network_.Partition(sides);
    if (network_.partitioned()) {
      ++stats_.partitions;
      heal_at_step_ = step_ + random_.Between(kPartitionStepsMin, kPartitionStepsMax);
      std::string desc;
      for (int side : sides) desc += static_cast<char>('A' + side);
      Trace(absl::StrFormat("partition %s until step %d", desc, heal_at_step_));
    }
  }
  // Crashes: a node loses its unsynced writes and stays down for some steps.
  RestartDueNodes(/*all=*/false);
  if (random_.Chance(kCrashPerMille)) {
    const int i = static_cast<int>(random_.Below(node_count_));
    if (nodes_[i]->up()) {
      nodes_[i]->Crash();
      checker_.RecordCrash(i);
      ++stats_.crashes;
      down_until_step_[i] = step_ + random_.Below(kDownStepsMax + 1);
      Trace(absl::StrFormat("node %d crashed, down until step %d", i, down_until_step_[i]));
    }
  }
  // Clock skew: a few seconds either way; now and then one node minutes ahead, so that the
  // others hold its events (docs/PROTOCOL.md §8.3).
  if (far_ahead_node_ && step_ >= far_ahead_until_step_) {
    skew_ms_[*far_ahead_node_] = 0;
    Trace(absl::StrFormat("node %d clock back in step", *far_ahead_node_));
    far_ahead_node_.reset();
  }
  if (random_.Chance(kSkewChangePerMille)) {
    const int i = static_cast<int>(random_.Below(node_count_));
    if (far_ahead_node_ != i) {
      skew_ms_[i] = static_cast<int64_t>(random_.Below(2 * kSkewMsMax + 1)) - kSkewMsMax;
    }
  }
  if (!far_ahead_node_ && random_.Chance(kFarAheadPerMille)) {
    const int i = static_cast<int>(random_.Below(node_count_));
    far_ahead_node_ = i;
    skew_ms_[i] = static_cast<int64_t>(random_.Between(kFarAheadMsMin, kFarAheadMsMax));
    far_ahead_until_step_ = step_ + random_.Between(kFarAheadStepsMin, kFarAheadStepsMax);
    Trace(absl::StrFormat("node %d clock %d ms ahead until step %d", i, skew_ms_[i],
                          far_ahead_until_step_));
  }
}

void Simulator::RestartDueNodes(bool all) {
  for (int i = 0; i < node_count_; ++i) {
    if (nodes_[i]->up() || (!all && step_ < down_until_step_[i])) continue;
    absl::Status s = nodes_[i]->Restart();
    if (!s.ok()) {
      Fail(absl::InternalError(absl::StrFormat("node %d cannot restart from its store: %s", i,
                                               std::string(s.message()))));
      return;
    }
    Trace(absl::StrFormat("node %d restarted", i));
  }
}

// ---- Messages ----

void Simulator::Deliver(std::vector<Message> messages) {
  for (const Message& m : messages) {
    if (!violation_.ok()) return;
    if (!nodes_[m.to]->up()) continue;
    switch (m.kind) {
      case MessageKind::kPush:
      case MessageKind::kPullResponse:
        ReceiveEvents(m.to, m);
        break;
      case MessageKind::kPullRequest:
        ServePull(m.to, m);
        break;
      case MessageKind::kForkProof:
        ReceiveProof(m.to, m);
        break;
    }
  }
}

void Simulator::ReceiveEvents(int i, const Message& m) {
  SimNode& node = *nodes_[i];
  size_t inserted = 0;
  for (const std::string& bytes : m.signed_events) {
    absl::StatusOr<core::ReceiveResult> r =
        node.Receive(bytes, NowMs(i), !random_.Chance(kUnsyncedReceivePerMille));
    if (!r.ok()) {
      // kNotFound: an event of a group this node does not hold (yet).
      if (r.status().code() != absl::StatusCode::kNotFound) {
        Fail(absl::InternalError(absl::StrFormat("node %d refused an event from node %d: %s", i,
                                                 m.from, std::string(r.status().message()))));
        return;
      }
      ++stats_.received_refused;
      continue;
    }
    stats_.received_inserted += r->changes.inserted.size();
    inserted += r->changes.inserted.size();
    switch (r->outcome) {
      case core::ReceiveOutcome::kPending:
        ++stats_.received_pending;
        break;
      case core::ReceiveOutcome::kHeld:
        ++stats_.received_held;
        break;
      case core::ReceiveOutcome::kDuplicate:
        ++stats_.received_duplicate;
        break;
      default:
        break;
    }
    Gossip(i, r->changes);
  }
  // A capped response: pull again with the new frontier (stateless rounds, PROTOCOL §8.2), as
  // long as the last one made progress (events that cannot be inserted here, e.g. beyond a
  // fork, would otherwise be sent again and again).
  if (m.kind == MessageKind::kPullResponse && m.truncated && inserted > 0) SendPull(i, m.from);
}

void Simulator::ServePull(int i, const Message& m) {
  const SimNode& node = *nodes_[i];
  const core::Group* group = node.state().FindGroup(m.group);
  if (group == nullptr) return;
  if (!Served(*group, nodes_[m.from]->org())) {
    ++stats_.pulls_refused;
    return;
  }
  absl::StatusOr<core::SyncPlan> plan = core::Diff(*group, m.frontier, kPullEventsMax);
  if (!plan.ok()) {
    Fail(absl::InternalError(absl::StrFormat("node %d cannot plan a pull of node %d: %s", i, m.from,
                                             std::string(plan.status().message()))));
    return;
  }
  if (!plan->events.empty()) {
    Message response = Message::To(MessageKind::kPullResponse, i, m.from, m.group);
    for (const core::VerifiedEvent* e : plan->events) {
      response.signed_events.push_back(e->SerializeSigned());
    }
    response.truncated = plan->truncated;
    network_.Send(std::move(response), global_ms_);
  }
  // PROTOCOL §8.4: the proof of a fork hint's author. Unless options.proofs_on_hint_only, also
  // the proof of every frozen author whose chain the requester holds up to the fork seq or
  // beyond: a peer ahead on the other branch gets no hint from this side (§8.2 "t > L"), and
  // one-shot gossip may have been lost, so without this it may never learn the fork (found by
  // this simulator: docs/RELIABILITY.md).
  std::set<core::OrgKey> proof_authors;
  for (const core::ForkHint& hint : plan->fork_hints) proof_authors.insert(hint.author);
  if (!options_.proofs_on_hint_only) {
    for (const v1::ChainHead& head : m.frontier.heads()) {
      absl::StatusOr<core::OrgKey> author = core::OrgKey::FromBytes(head.author());
      if (!author.ok()) continue;
      auto fork = group->forks().find(*author);
      if (fork != group->forks().end() && head.seq() >= fork->second.seq) {
        proof_authors.insert(*author);
      }
    }
  }
  for (const core::OrgKey& author : proof_authors) {
    auto fork = group->forks().find(author);
    if (fork == group->forks().end()) continue;
    Message gossip = Message::To(MessageKind::kForkProof, i, m.from, m.group);
    gossip.proof = fork->second.proof;
    network_.Send(std::move(gossip), global_ms_);
  }
}

bool Simulator::Served(const core::Group& group, const core::OrgKey& requester) {
  if (group.state().roster().members().contains(requester)) return true;
  for (const auto& [id, p] : Governance(group.state()).proposals()) {
    if (p.type() == v1::DECISION_TYPE_ADMIT && p.target == requester) return true;
  }
  return false;
}

void Simulator::ReceiveProof(int i, const Message& m) {
  absl::StatusOr<core::GroupChanges> changes =
      nodes_[i]->ReceiveForkProof(m.proof, !random_.Chance(kUnsyncedReceivePerMille));
  if (!changes.ok()) {
    if (changes.status().code() != absl::StatusCode::kNotFound) {
      Fail(absl::InternalError(absl::StrFormat("node %d refused a fork proof from node %d: %s", i,
                                               m.from, std::string(changes.status().message()))));
    }
    return;
  }
  Gossip(i, *changes);
}

void Simulator::SendPull(int from, int to) {
  for (const core::GroupId& g : groups_) {
    Message m = Message::To(MessageKind::kPullRequest, from, to, g);
    const core::Group* group = nodes_[from]->state().FindGroup(g);
    if (group != nullptr) {
      m.frontier = group->Frontier();
    } else {
      m.frontier.set_group_id(g.Bytes());
    }
    network_.Send(std::move(m), global_ms_);
  }
}

void Simulator::Gossip(int from, const core::GroupChanges& changes) {
  for (const v1::ForkProof& proof : changes.new_fork_proofs) {
    ++stats_.forks_detected;
    Trace(absl::StrFormat("node %d learned a fork in group %s; gossips the proof", from,
                          changes.group.ShortHex()));
    for (int j = 0; j < node_count_; ++j) {
      if (j == from) continue;
      Message gossip = Message::To(MessageKind::kForkProof, from, j, changes.group);
      gossip.proof = proof;
      network_.Send(std::move(gossip), global_ms_);
    }
  }
}

void Simulator::Push(int from, const core::VerifiedEvent& e) {
  const core::Group* group = nodes_[from]->state().FindGroup(e.group);
  const std::string bytes = e.SerializeSigned();
  for (int j = 0; j < node_count_; ++j) {
    if (j == from || !group->state().roster().members().contains(nodes_[j]->org())) continue;
    Message push = Message::To(MessageKind::kPush, from, j, e.group);
    push.signed_events.push_back(bytes);
    network_.Send(std::move(push), global_ms_);
  }
}

// ---- Writes ----

bool Simulator::Write(int i, const std::optional<core::GroupId>& group, const v1::Event& body,
                      const std::string& what) {
  absl::StatusOr<const core::VerifiedEvent*> e = nodes_[i]->AppendOwn(group, body, NowMs(i));
  if (!e.ok()) {
    ++stats_.own_writes_refused;
    Trace(absl::StrFormat("node %d: %s refused: %s", i, what, std::string(e.status().message())));
    return false;
  }
  ++stats_.own_writes;
  Trace(absl::StrFormat("node %d: %s = %s (seq %d)", i, what, (*e)->id.ShortHex(), (*e)->seq));
  Fail(checker_.RecordAcknowledged(i, **e));
  if (!group.has_value()) groups_.push_back((*e)->group);
  Push(i, **e);
  return true;
}

int Simulator::AutomaticWrites(int i) {
  int writes = 0;
  const core::OrgKey org = nodes_[i]->org();
  std::vector<core::GroupId> held;
  for (const auto& [id, group] : nodes_[i]->state().groups()) held.push_back(id);
  for (const core::GroupId& g : held) {
    const core::GroupState& state = nodes_[i]->state().FindGroup(g)->state();
    // DESIGN §3: acknowledge closed proposals so that they become final without people.
    std::vector<core::EventId> due = Governance(state).AcknowledgementsDue(state, org, NowMs(i));
    if (!due.empty()) {
      writes += Write(i, g, AcknowledgementBody(due),
                      absl::StrFormat("acknowledge %d proposals", due.size()))
                    ? 1
                    : 0;
    }
    // DESIGN §4: the invitee of a final, passed admission accepts it.
    std::vector<core::EventId> accept;
    const core::GroupState& now = nodes_[i]->state().FindGroup(g)->state();
    if (now.roster().IsActiveWriter(org)) continue;
    for (const auto& [id, p] : Governance(now).proposals()) {
      if (p.type() == v1::DECISION_TYPE_ADMIT && p.target == org && p.outcome.final &&
          p.outcome.outcome == core::DecisionOutcome::kPassed && p.effect_applied &&
          !p.acceptance && !acceptances_tried_.contains({i, id})) {
        accept.push_back(id);
      }
    }
    for (const core::EventId& id : accept) {
      acceptances_tried_.insert({i, id});
      if (Write(i, g, AcceptanceBody(id, absl::StrFormat("Org %d", i)),
                absl::StrFormat("accept admission %s", id.ShortHex()))) {
        ++writes;
        ++stats_.admissions;
        break;
      }
    }
  }
  return writes;
}

void Simulator::UserAction(int i) {
  const SimNode& node = *nodes_[i];
  const core::OrgKey org = node.org();
  const uint64_t now_ms = NowMs(i);
  // Found a group: node 0 first, then now and then another node.
  if (groups_.empty()) {
    if (i == 0) Write(0, std::nullopt, CharterBody(SimCharter(0)), "found a group");
    return;
  }
  if (groups_.size() < kGroupCountMax && i != 0 && random_.Chance(kFoundSecondGroupPerMille)) {
    Write(i, std::nullopt, CharterBody(SimCharter(i)), "found a group");
    return;
  }
  std::vector<core::GroupId> writable;
  for (const auto& [id, group] : node.state().groups()) {
    if (group->state().roster().IsActiveWriter(org)) writable.push_back(id);
  }
  if (writable.empty()) return;
  const core::GroupId g = random_.Pick(writable);
  const core::GroupState& state = node.state().FindGroup(g)->state();
  const uint64_t deadline_ms =
      random_.Chance(500) ? 0 : now_ms + random_.Between(kDeadlineSoonMsMin, kDeadlineSoonMsMax);

  // Candidates the action kinds below choose from, from this node's view.
  std::vector<core::EventId> open_to_vote, own_open, campaigns, own_pledges, hosted_pledges;
  for (const auto& [id, p] : Governance(state).proposals()) {
    if (p.outcome.closed) continue;
    if (p.electorate.contains(org)) open_to_vote.push_back(id);
    if (p.proposer == org) own_open.push_back(id);
  }
  for (const auto& [id, c] : Fundraising(state).campaigns()) campaigns.push_back(id);
  for (const auto& [id, pledge] : Fundraising(state).pledges()) {
    if (pledge.pledger == org && !pledge.cancelled) own_pledges.push_back(id);
    auto c = Fundraising(state).campaigns().find(pledge.campaign);
    if (c != Fundraising(state).campaigns().end() && c->second.fiscal_host == org &&
        pledge.outstanding_minor() > 0) {
      hosted_pledges.push_back(id);
    }
  }
  std::vector<int> outsiders, other_members;
  int active_writers = 0;
  for (int j = 0; j < node_count_; ++j) {
    const core::OrgKey& key = nodes_[j]->org();
    if (state.roster().IsActiveWriter(key)) ++active_writers;
    if (j == i) continue;
    if (state.roster().IsActiveWriter(key)) {
      other_members.push_back(j);
    } else {
      outsiders.push_back(j);
    }
  }

  // Weights per mille of the action kinds.
  const uint64_t roll = random_.Below(1000);
  if (roll < 130) {
    if (outsiders.empty()) return;
    const int j = random_.Pick(outsiders);
    Write(i, g, AdmitBody(nodes_[j]->org(), v1::ROLE_PARTNER, 1, deadline_ms),
          absl::StrFormat("propose to admit node %d", j));
  } else if (roll < 460) {
    if (open_to_vote.empty()) return;
    const core::EventId p = random_.Pick(open_to_vote);
    const uint64_t choice = random_.Below(100);
    v1::Event body;
    if (choice < 60) {
      body = StanceBody(p, v1::STANCE_CHOICE_AGREE);
    } else if (choice < 70) {
      body = StanceBody(p, v1::STANCE_CHOICE_ABSTAIN);
    } else if (choice < 90) {
      body = StanceBody(p, v1::STANCE_CHOICE_DISAGREE, "the budget is not there yet");
    } else {
      body = StanceBody(p, v1::STANCE_CHOICE_BLOCK, "this breaks our charter");
    }
    Write(
        i, g, body,
        absl::StrFormat("stance %d on %s", static_cast<int>(body.stance().choice()), p.ShortHex()));
  } else if (roll < 500) {
    if (own_open.empty()) return;
    const core::EventId p = random_.Pick(own_open);
    Write(i, g, ProposalCloseBody(p), absl::StrFormat("close %s", p.ShortHex()));
  } else if (roll < 550) {
    Write(i, g,
          CampaignBody(TestCampaign(static_cast<int64_t>(random_.Between(10'000, 1'000'000)))),
          "open a campaign");
  } else if (roll < 680) {
    if (campaigns.empty()) return;
    const core::EventId c = random_.Pick(campaigns);
    Write(i, g, PledgeBody(c, TestTerms(static_cast<int64_t>(random_.Between(100, 50'000)))),
          absl::StrFormat("pledge to %s", c.ShortHex()));
  } else if (roll < 740) {
    if (own_pledges.empty()) return;
    const core::EventId p = random_.Pick(own_pledges);
    Write(i, g, AmendmentBody(p, TestTerms(static_cast<int64_t>(random_.Between(100, 50'000)))),
          absl::StrFormat("amend pledge %s", p.ShortHex()));
  } else if (roll < 840) {
    if (hosted_pledges.empty()) return;
    const core::EventId p = random_.Pick(hosted_pledges);
    const int64_t outstanding = Fundraising(state).pledges().at(p).outstanding_minor();
    const int64_t amount = static_cast<int64_t>(random_.Between(1, outstanding));
    Write(i, g, PaymentBody(p, amount, "EUR", now_ms),
          absl::StrFormat("record payment of %d on %s", amount, p.ShortHex()));
  } else if (roll < 860) {
    if (own_pledges.empty()) return;
    const core::EventId p = random_.Pick(own_pledges);
    Write(i, g, CancellationBody(p), absl::StrFormat("cancel pledge %s", p.ShortHex()));
  } else if (roll < 940) {
    static constexpr v1::DecisionType kTypes[] = {v1::DECISION_TYPE_ADOPT_STRATEGY,
                                                  v1::DECISION_TYPE_OPEN_CAMPAIGN,
                                                  v1::DECISION_TYPE_AMEND_CHARTER};
    const v1::DecisionType type = kTypes[random_.Below(3)];
    Write(i, g, ProposalBody(type, deadline_ms),
          absl::StrFormat("propose %s", std::string(core::DecisionTypeName(type))));
  } else if (roll < 965) {
    if (other_members.empty()) return;
    const int j = random_.Pick(other_members);
    Write(i, g, ExpelBody(nodes_[j]->org(), deadline_ms),
          absl::StrFormat("propose to expel node %d", j));
  } else if (roll < 975) {
    if (active_writers < 3) return;
    Write(i, g, NoticeBody(), "give notice");
  } else if (roll < 985) {
    if (active_writers < 3) return;
    Write(i, g, WithdrawalBody(), "withdraw");
  } else {
    // Something the core must refuse: a stance on a proposal that does not exist.
    Write(i, g,
          StanceBody(core::EventId::FromArray(core::Sha256(absl::StrFormat("no such %d", step_))),
                     v1::STANCE_CHOICE_AGREE),
          "stance on an unknown proposal");
  }
}

// ---- Fork scenario ----

void Simulator::MaybeBackupOrRestore() {
  if (!options_.restore_from_old_backup || groups_.empty()) return;
  const uint64_t backup_step = static_cast<uint64_t>(options_.workload_steps * kBackupAtFraction);
  const uint64_t restore_step = static_cast<uint64_t>(options_.workload_steps * kRestoreAtFraction);
  if (step_ == backup_step) {
    for (int i = 0; i < node_count_; ++i) {
      if (nodes_[i]->up()) backups_[i] = nodes_[i]->Backup();
    }
    Trace("every node backed up");
  }
  if (step_ != restore_step || stats_.forked_node) return;
  // A node that was an active writer at the backup and acknowledged writes since.
  const core::GroupId g = groups_.front();
  std::vector<int> candidates;
  for (const auto& [i, backup] : backups_) {
    if (!nodes_[i]->up()) continue;
    const core::Group* group = nodes_[i]->state().FindGroup(g);
    if (group == nullptr || !group->state().roster().IsActiveWriter(nodes_[i]->org())) continue;
    const auto& acks = checker_.acknowledged(i);
    auto own = acks.find(g);
    if (own == acks.end()) continue;
    uint64_t backed_up = 0;
    for (const std::string& bytes : backup) {
      absl::StatusOr<core::VerifiedEvent> e = core::DecodeSignedEvent(bytes);
      CONSTELLATION_CHECK(e.ok());
      if (e->group == g && e->author == nodes_[i]->org()) backed_up = std::max(backed_up, e->seq);
    }
    if (backed_up > 0 && own->second.rbegin()->first > backed_up) candidates.push_back(i);
  }
  if (candidates.empty()) return;
  const int f = random_.Pick(candidates);
  checker_.MarkDishonest(f, nodes_[f]->org());
  stats_.forked_node = f;
  absl::Status s = nodes_[f]->RestoreFromBackup(backups_.at(f));
  if (!s.ok()) {
    Fail(absl::InternalError(absl::StrFormat("node %d cannot be restored from its backup: %s", f,
                                             std::string(s.message()))));
    return;
  }
  checker_.RecordCrash(f);
  Trace(absl::StrFormat("node %d restored from the backup of step %d", f, backup_step));
  // Its next write reuses a seq it already used: a fork.
  const core::Group* group = nodes_[f]->state().FindGroup(g);
  if (group != nullptr && group->state().roster().IsActiveWriter(nodes_[f]->org())) {
    Write(f, g, CampaignBody(TestCampaign(777'000)), "open a campaign after the restore");
  }
}

// ---- Settle (liveness) ----

absl::Status Simulator::Settle() {
  settling_ = true;
  network_.Heal();
  network_.set_faults(kSettleFaults);
  RestartDueNodes(/*all=*/true);
  if (!violation_.ok()) return violation_;
  if (far_ahead_node_) skew_ms_[*far_ahead_node_] = 0;
  far_ahead_node_.reset();
  global_ms_ += kSettleTimeJumpMs;
  Trace("settle: network healed, faults off, every node up, clock +8 days");
  std::string why;
  for (int round = 1; round <= options_.settle_rounds_max; ++round) {
    ++step_;
    ++stats_.steps;
    stats_.settle_rounds = round;
    global_ms_ += kSettleRoundMs;
    const uint64_t writes_before = stats_.own_writes;
    for (int i = 0; i < node_count_; ++i) {
      absl::StatusOr<std::vector<core::GroupChanges>> released =
          nodes_[i]->ReleaseHeld(NowMs(i), /*sync=*/true);
      CONSTELLATION_CHECK(released.ok());
      for (const core::GroupChanges& changes : *released) Gossip(i, changes);
      AutomaticWrites(i);
    }
    for (int i = 0; i < node_count_; ++i) {
      for (int j = 0; j < node_count_; ++j) {
        if (i != j) SendPull(i, j);
      }
    }
    for (int d = 0; d < kDeliveryRoundsMax && network_.in_flight() > 0; ++d) {
      Deliver(network_.TakeDue(UINT64_MAX));
    }
    CheckInvariants();
    if (!violation_.ok()) return violation_;
    if (stats_.own_writes == writes_before && Converged(&why)) {
      if (absl::Status s = CheckSettledOutcomes(); !s.ok()) {
        Fail(s);
        return violation_;
      }
      return absl::OkStatus();
    }
  }
  Fail(absl::InternalError(absl::StrFormat("liveness: not converged after %d settle rounds: %s",
                                           options_.settle_rounds_max, why)));
  return violation_;
}

const core::Group* Simulator::ReferenceView(const core::GroupId& g) const {
  const core::Group* reference = nullptr;
  for (int i = 0; i < node_count_; ++i) {
    const core::Group* group = checker_.honest(i) ? nodes_[i]->state().FindGroup(g) : nullptr;
    if (group != nullptr && (reference == nullptr || group->size() > reference->size())) {
      reference = group;
    }
  }
  return reference;
}

bool Simulator::Converged(std::string* why) const {
  if (network_.in_flight() > 0) {
    *why = "messages still in flight";
    return false;
  }
  for (const core::GroupId& g : groups_) {
    // The reference view: the honest node holding the most events of the group. The nodes that
    // must agree are those it serves (ServePull): members, whatever their status, and invitees.
    // A node that holds a copy but is no longer served (an admission that lost its effect,
    // known issue A) is left out.
    const core::Group* reference = ReferenceView(g);
    if (reference == nullptr) continue;
    std::vector<int> holders;
    for (int i = 0; i < node_count_; ++i) {
      if (!checker_.honest(i)) continue;
      const core::Group* group = nodes_[i]->state().FindGroup(g);
      if (group == nullptr || !Served(*reference, nodes_[i]->org())) continue;
      holders.push_back(i);
      const core::PendingBuffer* pending = nodes_[i]->state().FindPending(g);
      if (pending != nullptr && !stats_.forked_node && !pending->empty()) {
        *why = absl::StrFormat("node %d still has pending events in group %s", i, g.ShortHex());
        return false;
      }
    }
    if (holders.empty()) continue;
    // Frontiers without the dishonest node's chain: honest nodes may hold different branches.
    auto honest_frontier = [&](int i) {
      v1::Frontier f = nodes_[i]->state().FindGroup(g)->Frontier();
      v1::Frontier out;
      out.set_group_id(f.group_id());
      for (const v1::ChainHead& head : f.heads()) {
        if (stats_.forked_node && head.author() == nodes_[*stats_.forked_node]->org().Bytes()) {
          continue;
        }
        *out.add_heads() = head;
      }
      return out.SerializeAsString();
    };
    const core::Group& first = *nodes_[holders.front()]->state().FindGroup(g);
    // Fork scenario: honest events that name an event of the other branch wait in pending
    // forever on nodes holding this branch (PROTOCOL §3.1 "Agreement", §8.6): then only the
    // freezes must agree.
    bool blocked_by_branch = false;
    for (int i : holders) {
      const core::PendingBuffer* pending = nodes_[i]->state().FindPending(g);
      blocked_by_branch = blocked_by_branch || (pending != nullptr && !pending->empty());
    }
    blocked_by_branch = blocked_by_branch && stats_.forked_node.has_value();
    for (int i : holders) {
      const core::Group& group = *nodes_[i]->state().FindGroup(g);
      std::map<core::OrgKey, uint64_t> freezes_first, freezes_here;
      for (const auto& [author, record] : first.forks()) freezes_first[author] = record.seq;
      for (const auto& [author, record] : group.forks()) freezes_here[author] = record.seq;
      if (freezes_first != freezes_here) {
        *why = absl::StrFormat("nodes %d and %d know different forks of group %s", holders.front(),
                               i, g.ShortHex());
        return false;
      }
      if (blocked_by_branch) continue;
      if (honest_frontier(i) != honest_frontier(holders.front())) {
        auto heads = [&](int n) {
          std::string out;
          const v1::Frontier frontier = nodes_[n]->state().FindGroup(g)->Frontier();
          for (const v1::ChainHead& head : frontier.heads()) {
            out += absl::StrFormat(" %s:%d", core::OrgKey::FromBytes(head.author())->ShortHex(),
                                   head.seq());
          }
          const core::PendingBuffer* pending = nodes_[n]->state().FindPending(g);
          return out + absl::StrFormat(" (pending %d)", pending == nullptr
                                                            ? 0
                                                            : pending->stats().waiting_events +
                                                                  pending->stats().held_events);
        };
        *why = absl::StrFormat(
            "nodes %d and %d hold different events of group %s (%d vs %d): heads%s vs%s",
            holders.front(), i, g.ShortHex(), first.size(), group.size(), heads(holders.front()),
            heads(i));
        return false;
      }
      if (group.StateHash() != first.StateHash()) {
        auto freezes = [](const core::Group& x) {
          std::string out;
          for (const auto& [author, record] : x.forks()) {
            out += absl::StrFormat(" %s@%d", author.ShortHex(), record.seq);
          }
          return out;
        };
        *why = absl::StrFormat(
            "nodes %d and %d hold the same events of group %s (but for the "
            "forked node's chain) but state hashes %s and %s (freezes:%s "
            "vs%s; %d vs %d events)",
            holders.front(), i, g.ShortHex(), HashHex(first.StateHash()),
            HashHex(group.StateHash()), freezes(first), freezes(group), first.size(), group.size());
        return false;
      }
    }
    // Every active member's node holds the group.
    for (int i = 0; i < node_count_; ++i) {
      if (!checker_.honest(i)) continue;
      if (first.state().roster().IsActiveWriter(nodes_[i]->org()) &&
          nodes_[i]->state().FindGroup(g) == nullptr) {
        *why = absl::StrFormat("node %d is an active member of group %s but does not hold it", i,
                               g.ShortHex());
        return false;
      }
    }
  }
  return true;
}

absl::Status Simulator::CheckSettledOutcomes() {
  // Every served node holds the same state now (Converged): check the reference view.
  for (const core::GroupId& g : groups_) {
    const core::Group* group = ReferenceView(g);
    if (group == nullptr) continue;
    const core::GroupState& state = group->state();
    for (const auto& [id, p] : Governance(state).proposals()) {
      if (p.outcome.final) {
        ++stats_.final_proposals;
        continue;
      }
      bool all_active = true;
      for (int i = 0; i < node_count_; ++i) {
        const core::OrgKey& org = nodes_[i]->org();
        if (!Concerned(p, org)) continue;
        auto m = state.roster().members().find(org);
        all_active = all_active && m != state.roster().members().end() &&
                     m->second.status == core::MemberStatus::kActive && checker_.honest(i) &&
                     !group->FrozenFrom(org).has_value();
      }
      if (all_active) {
        return absl::InternalError(absl::StrFormat(
            "liveness: proposal %s of group %s is not final after settling, though its proposer "
            "and deciding voters are active members: [%s]",
            id.ShortHex(), g.ShortHex(),
            DescribeOutcome(p.outcome.outcome, p.outcome.close, p.outcome.tally)));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace constellation::sim
