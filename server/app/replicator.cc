#include "server/app/replicator.h"

#include <algorithm>

#include <absl/strings/str_format.h>
#include <absl/time/time.h>

#include "server/app/log.h"
#include "server/base/limits.h"
#include "server/base/status_macros.h"
#include "server/rpc/peer_sync.h"

namespace constellation::app {

std::vector<PeerTarget> PeerTargets(const core::Group& group, const core::OrgKey& self,
                                    uint64_t now_ms) {
  std::vector<PeerTarget> targets;
  const auto& members = group.state().roster().members();
  auto replicates = [now_ms](const core::MemberState& m) { return core::IsMemberAt(m, now_ms); };
  auto me = members.find(self);
  if (me == members.end() || !replicates(me->second)) return targets;
  for (const auto& [key, m] : members) {
    if (key == self || !replicates(m)) continue;
    for (const std::string& endpoint : m.profile.endpoints()) {
      targets.push_back(PeerTarget{key, m.profile.name(), endpoint});
    }
  }
  return targets;  // members are ordered by key; endpoints in profile order
}

v1::PeerView ToPeerView(const PeerTarget& target, const PeerStats* stats,
                        uint64_t pushed_received) {
  v1::PeerView v;
  v.set_org(target.org.Bytes());
  v.set_name(target.name);
  v.set_endpoint(target.endpoint);
  v.set_events_pushed_received(pushed_received);
  if (stats == nullptr) {
    v.set_status("unknown");
    return v;
  }
  v.set_status(stats->consecutive_failures == 0 ? "ok" : "failing");
  v.set_last_success_ms(stats->last_success_ms);
  v.set_last_attempt_ms(stats->last_attempt_ms);
  v.set_last_error(stats->last_error);
  v.set_consecutive_failures(stats->consecutive_failures);
  v.set_next_attempt_ms(stats->next_attempt_ms);
  v.set_events_sent(stats->events_sent);
  v.set_events_received(stats->events_received);
  return v;
}

void Replicator::RecordPushReceived(const core::OrgKey& org, uint64_t accepted) {
  absl::MutexLock lock(&mu_);
  pushed_received_[org] += accepted;
}

v1::PeerView Replicator::PeerViewOf(const PeerTarget& target) const {
  absl::MutexLock lock(&mu_);
  auto stats = stats_.find(target.endpoint);
  auto pushed = pushed_received_.find(target.org);
  return ToPeerView(target, stats == stats_.end() ? nullptr : &stats->second,
                    pushed == pushed_received_.end() ? 0 : pushed->second);
}

Replicator::Replicator(rpc::Backend* backend, ReplicatorOptions options)
    : backend_(backend), options_(std::move(options)) {}

Replicator::~Replicator() { Stop(); }

void Replicator::Start() {
  absl::MutexLock lock(&mu_);
  if (started_) return;
  started_ = true;
  started_ms_ = options_.now_ms();
  next_round_ms_ = 0;  // at once
  thread_ = std::thread([this] { Loop(); });
}

void Replicator::Stop() {
  std::deque<Job> dropped;
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
  {
    absl::MutexLock lock(&mu_);
    dropped.swap(jobs_);
  }
  for (Job& job : dropped) {
    if (job.done) job.done(absl::UnavailableError("the node is shutting down; retry on restart"));
  }
}

void Replicator::Push(const core::GroupId& group, std::vector<v1::SignedEvent> events,
                      std::vector<PeerTarget> targets) {
  if (events.empty() || targets.empty()) return;
  absl::MutexLock lock(&mu_);
  if (stopping_ || jobs_.size() >= limits::kReplicationQueueDepthMax) return;
  jobs_.push_back(Job{group, std::move(events), std::nullopt, std::move(targets), nullptr});
}

void Replicator::Gossip(const core::GroupId& group, v1::ForkProof proof,
                        std::vector<PeerTarget> targets) {
  if (targets.empty()) return;
  absl::MutexLock lock(&mu_);
  if (stopping_ || jobs_.size() >= limits::kReplicationQueueDepthMax) return;
  jobs_.push_back(Job{group, {}, std::move(proof), std::move(targets), nullptr});
}

absl::Status Replicator::SyncNow(const core::GroupId& group, SyncDone done) {
  absl::MutexLock lock(&mu_);
  if (stopping_ || !started_) {
    return absl::UnavailableError("the node is shutting down; retry on restart");
  }
  if (jobs_.size() >= limits::kReplicationQueueDepthMax) {
    return absl::ResourceExhaustedError(absl::StrFormat(
        "the replication queue holds %d jobs (kReplicationQueueDepthMax); retry shortly",
        jobs_.size()));
  }
  jobs_.push_back(Job{group, {}, std::nullopt, {}, std::move(done)});
  return absl::OkStatus();
}

std::map<std::string, PeerStats> Replicator::Stats() const {
  absl::MutexLock lock(&mu_);
  return stats_;
}

uint64_t Replicator::started_ms() const {
  absl::MutexLock lock(&mu_);
  return started_ms_;
}

void Replicator::Loop() {
  while (true) {
    std::optional<Job> job;
    {
      absl::MutexLock lock(&mu_);
      auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return stopping_ || !jobs_.empty();
      };
      const uint64_t now = options_.now_ms();
      if (!ready() && now < next_round_ms_) {
        mu_.AwaitWithTimeout(absl::Condition(&ready),
                             absl::Milliseconds(static_cast<int64_t>(next_round_ms_ - now)));
      }
      if (stopping_) return;
      if (!jobs_.empty()) {
        job = std::move(jobs_.front());
        jobs_.pop_front();
      } else if (options_.now_ms() >= next_round_ms_) {
        next_round_ms_ = options_.now_ms() + options_.anti_entropy_interval_ms;
      } else {
        continue;
      }
    }
    if (job.has_value()) {
      RunJob(*job);
    } else {
      RoundAll();
    }
  }
}

void Replicator::RunJob(Job& job) {
  if (job.done) {
    v1::SyncGroupResponse out;
    absl::StatusOr<std::map<core::GroupId, std::vector<PeerTarget>>> all = AllTargets(job.group);
    if (!all.ok()) {
      job.done(all.status());
      return;
    }
    for (const PeerTarget& target : (*all)[job.group]) {
      // A member that cannot be reached does not fail the round: its view says so.
      RoundWith(job.group, target, &out).IgnoreError();
      v1::PeerView* view = out.add_peers();
      *view = PeerViewOf(target);
      view->add_group_ids(job.group.Bytes());
    }
    absl::Status hashed = rpc::FillStateHash(*backend_, job.group, &out);
    if (!hashed.ok()) {
      job.done(hashed);
      return;
    }
    job.done(std::move(out));
    return;
  }
  for (const PeerTarget& target : job.targets) {
    if (!Ready(target.endpoint)) continue;  // backing off: the next round brings it
    rpc::PeerClient& peer = ClientFor(target.endpoint);
    if (job.proof.has_value()) {
      absl::StatusOr<bool> changed = peer.GossipForkProof(job.group, *job.proof);
      if (changed.ok()) {
        LogInfo("fork proof gossiped", {{"peer", target.endpoint}, {"group", job.group.Hex()}});
        RecordSuccess(target.endpoint, 0, 0);
      } else {
        RecordFailure(target.endpoint, changed.status());
      }
      continue;
    }
    absl::Status failed;
    for (size_t i = 0; i < job.events.size() && failed.ok();
         i += limits::kFederationPullEventsMax) {
      const size_t end = std::min(job.events.size(), i + limits::kFederationPullEventsMax);
      std::vector<v1::SignedEvent> chunk(job.events.begin() + i, job.events.begin() + end);
      failed = peer.Push(job.group, chunk).status();
    }
    if (failed.ok()) {
      LogInfo("events pushed", {{"peer", target.endpoint},
                                {"group", job.group.Hex()},
                                {"events", absl::StrFormat("%d", job.events.size())}});
      RecordSuccess(target.endpoint, job.events.size(), 0);
    } else {
      RecordFailure(target.endpoint, failed);
    }
  }
}

void Replicator::RoundAll() {
  absl::StatusOr<std::map<core::GroupId, std::vector<PeerTarget>>> all = AllTargets(std::nullopt);
  if (!all.ok()) return;  // shutting down
  for (const auto& [group, targets] : *all) {
    for (const PeerTarget& target : targets) {
      if (!Ready(target.endpoint)) continue;
      {
        absl::MutexLock lock(&mu_);
        if (stopping_) return;
      }
      v1::SyncGroupResponse ignored;
      RoundWith(group, target, &ignored).IgnoreError();  // recorded in the peer's stats
    }
  }
}

absl::Status Replicator::RoundWith(const core::GroupId& group, const PeerTarget& target,
                                   v1::SyncGroupResponse* out) {
  rpc::PeerClient& peer = ClientFor(target.endpoint);
  v1::SyncGroupResponse round;
  // A long catch-up must not hold up a shutdown.
  auto stopping = [this] {
    absl::MutexLock lock(&mu_);
    return stopping_;
  };
  absl::Status s = rpc::PullFromPeer(*backend_, peer, group, &round, stopping);
  if (s.ok() && options_.restored && options_.restored()) {
    // After a complete pull: does the member hold more of this org's chain than this node?
    absl::StatusOr<v1::Frontier> theirs = peer.GetFrontier(group);
    if (theirs.ok()) {
      options_.peer_frontier(group, target.org, *std::move(theirs));
    } else {
      s = theirs.status();
    }
  }
  if (s.ok()) s = rpc::PushToPeer(*backend_, peer, group, &round, stopping);
  out->set_received(out->received() + round.received());
  out->set_inserted(out->inserted() + round.inserted());
  out->set_duplicate(out->duplicate() + round.duplicate());
  out->set_dropped(out->dropped() + round.dropped());
  out->set_waiting(out->waiting() + round.waiting());
  out->set_rounds(out->rounds() + round.rounds());
  out->set_sent(out->sent() + round.sent());
  if (!s.ok() && stopping()) return s;  // cut short by the shutdown, not the peer's fault
  if (s.ok()) {
    const uint64_t pulled_new =
        round.received() > round.duplicate() ? round.received() - round.duplicate() : 0;
    if (pulled_new + round.sent() > 0) {
      LogInfo("sync round exchanged events", {{"peer", target.endpoint},
                                              {"group", group.Hex()},
                                              {"pulled", absl::StrFormat("%d", pulled_new)},
                                              {"pushed", absl::StrFormat("%d", round.sent())}});
    }
    RecordRoundDifference(target.endpoint, group, pulled_new + round.sent());
    RecordSuccess(target.endpoint, round.sent(), round.inserted());
  } else {
    RecordFailure(target.endpoint, s);
  }
  return s;
}

absl::StatusOr<std::map<core::GroupId, std::vector<PeerTarget>>> Replicator::AllTargets(
    std::optional<core::GroupId> only) {
  return rpc::RunOnLoop<std::map<core::GroupId, std::vector<PeerTarget>>>(
      *backend_,
      [only](rpc::ApplyContext& apply)
          -> absl::StatusOr<std::map<core::GroupId, std::vector<PeerTarget>>> {
        std::map<core::GroupId, std::vector<PeerTarget>> out;
        for (const auto& [id, g] : apply.state().groups()) {
          if (only.has_value() && *only != id) continue;
          out[id] = PeerTargets(*g, apply.state().org(), apply.NowMs());
        }
        if (only.has_value() && out.empty()) {
          return absl::NotFoundError(
              absl::StrFormat("group %s not found on this node", only->Hex()));
        }
        return out;
      });
}

bool Replicator::Ready(const std::string& endpoint) const {
  absl::MutexLock lock(&mu_);
  auto it = stats_.find(endpoint);
  return it == stats_.end() || it->second.consecutive_failures == 0 ||
         options_.now_ms() >= it->second.next_attempt_ms;
}

void Replicator::RecordSuccess(const std::string& endpoint, uint64_t sent, uint64_t received) {
  absl::MutexLock lock(&mu_);
  PeerStats& s = stats_[endpoint];
  const uint64_t now = options_.now_ms();
  const bool reconnected = s.consecutive_failures > 0;
  s.last_attempt_ms = now;
  s.last_success_ms = now;
  s.last_error.clear();
  s.consecutive_failures = 0;
  s.next_attempt_ms = 0;
  s.events_sent += sent;
  s.events_received += received;
  if (reconnected) {
    // DESIGN §4: a round on reconnect, so that what the peer missed while away arrives now.
    next_round_ms_ = now;
    LogInfo("peer reachable again", {{"peer", endpoint}});
  }
}

void Replicator::RecordRoundDifference(const std::string& endpoint, const core::GroupId& group,
                                       uint64_t events) {
  absl::MutexLock lock(&mu_);
  stats_[endpoint].round_difference_events[group] = events;
}

void Replicator::RecordFailure(const std::string& endpoint, const absl::Status& error) {
  absl::MutexLock lock(&mu_);
  PeerStats& s = stats_[endpoint];
  const uint64_t now = options_.now_ms();
  s.last_attempt_ms = now;
  s.last_error = std::string(error.message());
  if (s.consecutive_failures == 0) {
    LogWarning("peer call failed; backing off", {{"peer", endpoint}, {"error", error.ToString()}});
  } else {
    LogInfo("peer call failed again",
            {{"peer", endpoint},
             {"failures", absl::StrFormat("%d", s.consecutive_failures + 1)},
             {"error", error.ToString()}});
  }
  s.consecutive_failures = std::min<uint32_t>(s.consecutive_failures + 1, 32);
  const uint32_t doublings = std::min<uint32_t>(s.consecutive_failures - 1, 16);
  s.next_attempt_ms =
      now + std::min(options_.backoff_max_ms, options_.backoff_initial_ms << doublings);
}

rpc::PeerClient& Replicator::ClientFor(const std::string& endpoint) {
  std::unique_ptr<rpc::PeerClient>& client = clients_[endpoint];
  if (client == nullptr) client = std::make_unique<rpc::PeerClient>(endpoint, backend_);
  return *client;
}

}  // namespace constellation::app
