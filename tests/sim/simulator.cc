#include "tests/sim/simulator.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <set>
#include <utility>

#include <absl/cleanup/cleanup.h>
#include <absl/strings/str_format.h>

#include "server/base/check.h"
#include "server/core/governance/governance_ledger.h"
#include "server/core/sync.h"
#include "tests/testing/event_factory.h"

namespace constellation::sim {
namespace {

using ::constellation::testing::CampaignBody;
using ::constellation::testing::HashHex;
using ::constellation::testing::TestCampaign;
using ::constellation::testing::TestKey;

constexpr int kNodeCountMin = 3;
constexpr int kNodeCountMax = 5;
constexpr uint64_t kStartMs = 1'767'225'600'000;  // 2026-01-01, simulated
constexpr uint64_t kStepMsMin = 200;
constexpr uint64_t kStepMsMax = 2'000;
constexpr size_t kTraceLinesMax = 40;

// Per-message network faults (the per-step ones are the network domain's actions).
// Workload: drops, duplicates, delays (reordering).
constexpr NetworkFaults kWorkloadFaults{
    .drop_per_mille = 100, .duplicate_per_mille = 50, .delay_ms_max = 3'000};
// Settle phase: healed, still duplicating, every message deliverable at once.
constexpr NetworkFaults kSettleFaults{
    .drop_per_mille = 0, .duplicate_per_mille = 50, .delay_ms_max = 0};
// Received events written with sync = false (a crash loses them).
constexpr uint32_t kUnsyncedReceivePerMille = 300;
// Events one pull response carries at most: small, so that truncated pulls happen.
constexpr size_t kPullEventsMax = 48;

// The settle phase starts this far later: past every default voting window (7 days).
constexpr uint64_t kSettleTimeJumpMs = 8ULL * 24 * 3'600'000;
constexpr uint64_t kSettleRoundMs = 1'000;
constexpr int kDeliveryRoundsMax = 1'000;

// Fork scenario: when backups are taken and when a node is restored from one.
constexpr double kBackupAtFraction = 0.3;
constexpr double kRestoreAtFraction = 0.6;

// The run in progress, for the abort report (one Run() at a time per process).
const Simulator* running_simulator = nullptr;

// Async-signal-safe output for the abort report: write(2) only.
void WriteRaw(std::string_view text) {
  while (!text.empty()) {
    const ssize_t n = ::write(STDERR_FILENO, text.data(), text.size());
    if (n <= 0) return;
    text.remove_prefix(static_cast<size_t>(n));
  }
}

void WriteDecimal(uint64_t value) {
  char digits[20];
  size_t size = 0;
  do {
    digits[sizeof digits - ++size] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value > 0);
  WriteRaw(std::string_view(digits + sizeof digits - size, size));
}

}  // namespace

Simulator::Simulator(SimOptions options)
    : options_(options),
      random_(options.seed),
      node_count_(kNodeCountMin +
                  static_cast<int>(random_.Below(kNodeCountMax - kNodeCountMin + 1))),
      network_(node_count_, &random_),
      global_ms_(kStartMs),
      skew_ms_(node_count_, 0),
      down_until_step_(node_count_, 0),
      crash_counts_(node_count_, 0),
      acknowledged_(node_count_) {
  stats_.node_count = node_count_;
  for (int i = 0; i < node_count_; ++i) {
    nodes_.push_back(std::make_unique<SimNode>(i, TestKey(static_cast<char>('a' + i))));
  }
  network_.set_faults(kWorkloadFaults);
  for (SimDomainFactory factory : SimDomainRegistry()) {
    domains_.push_back(factory());
    for (const SimAction& action : domains_.back().actions) {
      CONSTELLATION_CHECK(action.weight > 0 && action.run);
      action_weight_total_ += action.weight;
    }
    for (std::string_view label : domains_.back().known_issues) {
      stats_.known_issues[std::string(label)] = 0;
    }
  }
  CONSTELLATION_CHECK(action_weight_total_ > 0);
}

uint64_t Simulator::NowMs(int node) const {
  return static_cast<uint64_t>(static_cast<int64_t>(global_ms_) + skew_ms_[node]);
}

void Simulator::Trace(std::string line) {
  trace_.push_back(absl::StrFormat("[step %d, t=%d] %s", step_, global_ms_ - kStartMs, line));
  if (options_.trace_all) std::fprintf(stderr, "%s\n", trace_.back().c_str());
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

void Simulator::WriteAbortReport() const {
  WriteRaw("simulation failed: seed ");
  WriteDecimal(options_.seed);
  WriteRaw(", step ");
  WriteDecimal(step_);
  WriteRaw(settling_ ? " (settle phase, " : " (workload phase, ");
  WriteDecimal(static_cast<uint64_t>(node_count_));
  WriteRaw(
      " nodes): a CONSTELLATION_CHECK failed (the line above); the process aborts\n"
      "replay: CONSTELLATION_SIM_SEED=");
  WriteDecimal(options_.seed);
  WriteRaw(" sim_test --gtest_filter='*ReplaySeed*'\nlast actions:");
  for (const std::string& line : trace_) {
    WriteRaw("\n  ");
    WriteRaw(line);
  }
  WriteRaw("\n");
}

void Simulator::OnAbort(int signal) {
  (void)signal;
  // abort() raises SIGABRT again with the default action once this returns.
  if (running_simulator != nullptr) running_simulator->WriteAbortReport();
}

void Simulator::CheckInvariants(SimInvariant::When when) {
  if (when == SimInvariant::When::kEveryStep) CheckFoldInvariants();
  for (const SimDomain& domain : domains_) {
    for (const SimInvariant& invariant : domain.invariants) {
      if (invariant.when != when || !violation_.ok()) continue;
      Fail(invariant.check(*this));
    }
  }
}

void Simulator::CheckFoldInvariants() const {
  for (const auto& node : nodes_) {
    if (!node->up()) continue;
    for (const auto& [id, group] : node->state().groups()) group->state().CheckInvariants();
  }
}

std::string Simulator::StatsLine() const {
  std::string known_issues;
  for (const SimDomain& domain : domains_) {
    for (std::string_view label : domain.known_issues) {
      known_issues += absl::StrFormat("%s %s %d", known_issues.empty() ? "; known issues" : ",",
                                      label, stats_.known_issues.at(std::string(label)));
    }
  }
  return absl::StrFormat(
      "seed %d: %d nodes, %d steps (%d settle rounds); own writes %d (refused %d), received "
      "inserted %d, pending %d, held %d, duplicate %d, refused %d; admissions %d, final "
      "proposals %d; crashes %d, partitions %d, forks detected %d; messages sent %d, dropped %d, "
      "duplicated %d, cut by partitions %d%s",
      options_.seed, stats_.node_count, stats_.steps, stats_.settle_rounds, stats_.own_writes,
      stats_.own_writes_refused, stats_.received_inserted, stats_.received_pending,
      stats_.received_held, stats_.received_duplicate, stats_.received_refused, stats_.admissions,
      stats_.final_proposals, stats_.crashes, stats_.partitions, stats_.forks_detected,
      stats_.network.sent, stats_.network.dropped, stats_.network.duplicated,
      stats_.network.partitioned, known_issues);
}

absl::Status Simulator::Run() {
  CONSTELLATION_CHECK(running_simulator == nullptr);
  struct sigaction report {};
  struct sigaction previous {};
  report.sa_handler = &Simulator::OnAbort;
  sigemptyset(&report.sa_mask);
  running_simulator = this;
  sigaction(SIGABRT, &report, &previous);
  absl::Cleanup restore = [&previous] {
    sigaction(SIGABRT, &previous, nullptr);
    running_simulator = nullptr;
  };
  if (options_.trace_all) {
    for (int i = 0; i < node_count_; ++i) {
      std::fprintf(stderr, "node %d is org %s\n", i, nodes_[i]->org().ShortHex().c_str());
    }
  }
  for (int i = 0; i < options_.workload_steps && violation_.ok(); ++i) Step();
  if (violation_.ok()) Fail(Settle());
  stats_.network = network_.stats();
  return violation_;
}

void Simulator::Step() {
  ++step_;
  ++stats_.steps;
  global_ms_ += random_.Between(kStepMsMin, kStepMsMax);
  EndDueFaults();
  MaybeBackupOrRestore();
  Deliver(network_.TakeDue(global_ms_));
  ReleaseAndReact();
  RunAction();
  CheckInvariants(SimInvariant::When::kEveryStep);
}

void Simulator::EndDueFaults() {
  if (network_.partitioned() && step_ >= heal_at_step_) {
    network_.Heal();
    Trace("partition healed");
  }
  RestartDueNodes(/*all=*/false);
  if (far_ahead_node_ && step_ >= far_ahead_until_step_) {
    skew_ms_[*far_ahead_node_] = 0;
    Trace(absl::StrFormat("node %d clock back in step", *far_ahead_node_));
    far_ahead_node_.reset();
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

void Simulator::ReleaseAndReact() {
  for (int i = 0; i < node_count_; ++i) {
    if (!nodes_[i]->up()) continue;
    const bool sync = settling_ || !random_.Chance(kUnsyncedReceivePerMille);
    absl::StatusOr<std::vector<core::GroupChanges>> released =
        nodes_[i]->ReleaseHeld(NowMs(i), sync);
    CONSTELLATION_CHECK(released.ok());
    for (const core::GroupChanges& changes : *released) {
      stats_.received_inserted += changes.inserted.size();
      Gossip(i, changes);
    }
    for (const SimDomain& domain : domains_) {
      if (domain.react) domain.react(*this, i);
    }
  }
}

void Simulator::RunAction() {
  uint64_t roll = random_.Below(action_weight_total_);
  for (const SimDomain& domain : domains_) {
    for (const SimAction& action : domain.actions) {
      if (roll < action.weight) {
        action.run(*this);
        return;
      }
      roll -= action.weight;
    }
  }
}

// ---- Faults ----

void Simulator::Partition(const std::vector<int>& side_of_node, uint64_t steps) {
  network_.Partition(side_of_node);
  if (!network_.partitioned()) return;
  ++stats_.partitions;
  heal_at_step_ = step_ + steps;
  std::string desc;
  for (int side : side_of_node) desc += static_cast<char>('A' + side);
  Trace(absl::StrFormat("partition %s until step %d", desc, heal_at_step_));
}

void Simulator::Crash(int i, uint64_t down_steps) {
  CONSTELLATION_CHECK(nodes_[i]->up());
  nodes_[i]->Crash();
  ++crash_counts_[i];
  ++stats_.crashes;
  down_until_step_[i] = step_ + down_steps;
  Trace(absl::StrFormat("node %d crashed, down until step %d", i, down_until_step_[i]));
}

void Simulator::SetFarAhead(int i, uint64_t ahead_ms, uint64_t steps) {
  far_ahead_node_ = i;
  skew_ms_[i] = static_cast<int64_t>(ahead_ms);
  far_ahead_until_step_ = step_ + steps;
  Trace(absl::StrFormat("node %d clock %d ms ahead until step %d", i, skew_ms_[i],
                        far_ahead_until_step_));
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
  const v1::Frontier stated_before = StatedFrontier(i, m.group);
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
  // fork, would otherwise be sent again and again). Also when the response walked the stated
  // frontier down towards a divergence (PROTOCOL §8.1), as constellationd does.
  if (m.kind != MessageKind::kPullResponse || !node.up()) return;
  if ((m.truncated && inserted > 0) || core::WalksDown(stated_before, StatedFrontier(i, m.group))) {
    SendPull(i, m.from);
  }
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
    m.frontier = StatedFrontier(from, g);
    network_.Send(std::move(m), global_ms_);
  }
}

v1::Frontier Simulator::StatedFrontier(int i, const core::GroupId& g) const {
  const core::Group* group = nodes_[i]->state().FindGroup(g);
  v1::Frontier frontier;
  if (group != nullptr) frontier = core::StatedFrontier(*group, nodes_[i]->state().FindPending(g));
  frontier.set_group_id(g.Bytes());
  return frontier;
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
  // Acknowledged: the network domain's invariants check that it is never lost and that an
  // honest node acknowledges one event per seq.
  std::vector<core::EventId>& at_seq = acknowledged_[i][(*e)->group][(*e)->seq];
  if (std::find(at_seq.begin(), at_seq.end(), (*e)->id) == at_seq.end()) {
    at_seq.push_back((*e)->id);
  }
  if (!group.has_value()) groups_.push_back((*e)->group);
  Push(i, **e);
  return true;
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
    const AcknowledgedWrites& acks = acknowledged_[i];
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
  stats_.forked_node = f;
  absl::Status s = nodes_[f]->RestoreFromBackup(backups_.at(f));
  if (!s.ok()) {
    Fail(absl::InternalError(absl::StrFormat("node %d cannot be restored from its backup: %s", f,
                                             std::string(s.message()))));
    return;
  }
  ++crash_counts_[f];  // what it showed before is forgotten, as after a crash
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
    ReleaseAndReact();
    for (int i = 0; i < node_count_; ++i) {
      for (int j = 0; j < node_count_; ++j) {
        if (i != j) SendPull(i, j);
      }
    }
    for (int d = 0; d < kDeliveryRoundsMax && network_.in_flight() > 0; ++d) {
      Deliver(network_.TakeDue(UINT64_MAX));
    }
    CheckInvariants(SimInvariant::When::kEveryStep);
    if (!violation_.ok()) return violation_;
    if (stats_.own_writes == writes_before && Converged(&why)) {
      CheckInvariants(SimInvariant::When::kSettled);
      return violation_;
    }
  }
  Fail(absl::InternalError(absl::StrFormat("liveness: not converged after %d settle rounds: %s",
                                           options_.settle_rounds_max, why)));
  return violation_;
}

const core::Group* Simulator::ReferenceView(const core::GroupId& g) const {
  // The most informed honest view: the one knowing the most forks, then holding the most
  // events. A fork is knowledge that the event count does not show: a node that never learned
  // it (e.g. an invitee of a frozen ADMIT, which no node that knows the fork serves any more)
  // may hold as many events, and must not be the view the others are judged by.
  const core::Group* reference = nullptr;
  for (int i = 0; i < node_count_; ++i) {
    const core::Group* group = honest(i) ? nodes_[i]->state().FindGroup(g) : nullptr;
    if (group == nullptr) continue;
    if (reference == nullptr || std::make_pair(group->forks().size(), group->size()) >
                                    std::make_pair(reference->forks().size(), reference->size())) {
      reference = group;
    }
  }
  return reference;
}

bool Simulator::MustConverge(int i, const core::GroupId& g) const {
  const core::Group* reference = ReferenceView(g);
  return reference != nullptr && Served(*reference, nodes_[i]->org());
}

bool Simulator::Converged(std::string* why) const {
  if (network_.in_flight() > 0) {
    *why = "messages still in flight";
    return false;
  }
  for (const core::GroupId& g : groups_) {
    // The reference view (ReferenceView: the most forks known, then the most events). The nodes
    // that must agree are those it serves (ServePull): members, whatever their status, and
    // invitees. A node that holds a copy but is no longer served (an admission that lost its
    // effect: known issue A, or an ADMIT by a forked author frozen since, whose invitee no node
    // that knows the fork serves, so it never learns the fork: docs/PROTOCOL.md §8.6) is left
    // out.
    const core::Group* reference = ReferenceView(g);
    if (reference == nullptr) continue;
    std::vector<int> holders;
    for (int i = 0; i < node_count_; ++i) {
      if (!honest(i)) continue;
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
      if (!honest(i)) continue;
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

}  // namespace constellation::sim
