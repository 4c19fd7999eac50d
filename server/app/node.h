// server/app/node.h
//
// Node: one running constellationd (DESIGN §5). It owns the store, the org's signing key, the
// in-memory NodeState, the token table, the apply loop and the gRPC server.
//
// The apply loop is one thread. It takes up to limits::kApplyBatchSizeMax queued tasks, runs
// them in order against the NodeState (each may stage events and token changes into one
// WriteBatch), writes that batch with sync=true (group commit), and only then replies to every
// task of the batch. Nothing of a batch is acknowledged or sent to a peer before that write
// returns. If it fails:
//  - disk full (storage::IsDiskFull): every reply of the batch gets kUnavailable "disk full",
//    the in-memory state is rebuilt from the store (dropping the batch's events, which are
//    not durable), the store is closed and the node turns read-only: writes and received peer
//    events are refused kUnavailable "disk full" while reads are served. Each housekeeping
//    tick then tries to reopen the store and make a synced write; when that succeeds the state
//    is rebuilt again from what the store holds and writes resume (docs/RELIABILITY.md,
//    "Disk full");
//  - any other error: the node stops (fail-stop): nothing of the batch was acknowledged, and
//    on restart RocksDB's recovery decides what is durable.
//
// Restored (docs/OPERATIONS.md, "Backup and restore"; DESIGN §5): a data directory written by
// `constellationd restore` is marked (storage::RestoredMark). While marked, the node refuses
// every write of its own org's records (AppendOwn: kFailedPrecondition, the message says why
// and what to do) and skips its automatic acknowledgements, because its backup may lack events
// of its own chain that its peers hold: signing the next seq would fork its chain. It clears
// the mark (a synced delete; logged; the gauge constellation_restored_read_only drops to 0)
// once, for every group it holds, every other member org that it replicates with (PeerTargets)
// has answered a sync round after which that member's frontier for this org is at or below
// this node's: a complete pull brought every event of this chain that member had. A group
// with no other member counts as confirmed. A member that never answers keeps the node
// read-only: the operator restarts it with NodeOptions::accept_restored_state.
//
// Thread safety: Authenticate() and Post() are thread-safe; Start() and Shutdown() are called
// by the owner thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <absl/base/thread_annotations.h>
#include <absl/container/flat_hash_map.h>
#include <absl/synchronization/mutex.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/impl/codegen/service_type.h>

#include "server/app/metrics_server.h"
#include "server/app/replicator.h"
#include "server/core/federation_auth.h"
#include "server/core/node_state.h"
#include "server/metrics/registry.h"
#include "server/rpc/backend.h"
#include "server/storage/rocks_store.h"
#include "server/rpc/call_limits.h"
#include "server/rpc/watch_hub.h"
#include "server/rpc/tls.h"
#include "server/storage/store.h"

namespace constellation::app {

struct NodeOptions {
  std::string data_dir;  // holds org.key and db/
  std::string org_name;
  std::string listen_address;                    // host:port; port 0 picks a free port
  std::vector<std::string> advertise_endpoints;  // empty = the bound listen address
  // Wall clock in ms since the Unix epoch; tests may substitute a manual clock.
  std::function<uint64_t()> now_ms;
  // Replication (DESIGN §4): an anti-entropy round with every member node this often.
  uint64_t anti_entropy_interval_ms = 5'000;
  // Housekeeping on the apply loop this often: release held events whose time has come and
  // append automatic acknowledgements of closed proposals (DESIGN §3).
  uint64_t housekeeping_interval_ms = 1'000;
  // Options of the RocksDB store in data_dir/db (tests inject a file system that fills up).
  storage::RocksStoreOptions store;
  // Disk full (docs/RELIABILITY.md): a read-only node tries to reopen its store only once the
  // disk of its data directory has at least this much free space, so that it neither replays
  // its WAL every tick on a full disk nor resumes only to fill it again at once.
  uint64_t disk_free_bytes_to_resume_min = 4 * 1024 * 1024;
  // Prometheus endpoint (GET /metrics), host:port; port 0 = any free port; empty = off.
  std::string metrics_listen;
  // TLS of the server and of calls to peers (rpc/tls.h, config [tls]); empty = plaintext.
  rpc::TlsOptions tls;
  // Restored from a backup (see "Restored" below): true deletes the mark at start, so that own
  // writes resume at once (`constellationd run --accept-restored-state`).
  bool accept_restored_state = false;
};

class Node final : public rpc::Backend {
 public:
  // Opens the data directory created by `constellationd init`: reads the org key, opens the
  // RocksDB store and loads every event and token. Errors: kNotFound (no key: run init first),
  // kFailedPrecondition (another process holds the store, or the key file is readable by
  // others), kDataLoss (a stored event or record does not verify or fit its group).
  static absl::StatusOr<std::unique_ptr<Node>> Open(NodeOptions options);

  ~Node() override;

  // Starts the apply loop and the gRPC server. kUnavailable if the address cannot be bound;
  // kInvalidArgument / kNotFound / kPermissionDenied for TLS files that do not fit or cannot
  // be read (rpc/tls.h). Logs a warning when serving plaintext on a non-loopback address.
  absl::Status Start();
  // The bound port (after Start).
  int port() const { return port_; }
  std::string address() const;
  // The bound host:port of /metrics (after Start); empty when metrics are off.
  std::string metrics_address() const { return MetricsAddress(); }

  // Graceful: stops accepting calls, finishes in-flight ones (waiting at most `grace_ms`),
  // drains the apply loop and closes the store. Idempotent; a concurrent caller returns when
  // the first caller's shutdown has completed.
  void Shutdown(uint64_t grace_ms = 5000);

  // rpc::Backend.
  v1::OrgCard OwnCard() const override;
  absl::StatusOr<rpc::Principal> Authenticate(std::string_view token) const override;
  absl::Status Post(std::function<rpc::Reply(rpc::ApplyContext&)> task) override;
  absl::Status AuthenticatePeer(const core::CallCredentials& credentials, std::string_view method,
                                std::string_view request_bytes) override;
  core::CallCredentials SignPeerCall(std::string_view method,
                                     std::string_view request_bytes) override;
  std::shared_ptr<grpc::ChannelCredentials> PeerChannelCredentials() const override {
    return peer_credentials_;
  }
  absl::Status RunInBackground(std::function<void()> work) override;
  absl::Status SyncWithMembers(
      const core::GroupId& group,
      std::function<void(absl::StatusOr<v1::SyncGroupResponse>)> done) override;
  rpc::CallLimits& calls() override { return calls_; }
  rpc::WatchHub& watches() override { return watches_; }
  std::string MetricsAddress() const override;

 private:
  class Context;
  using Task = std::function<rpc::Reply(rpc::ApplyContext&)>;

  Node(NodeOptions options, std::unique_ptr<storage::Store> store, core::SigningKey key);
  absl::Status Load();
  void Loop();
  void RunBatch(std::vector<Task> tasks);
  void BackgroundLoop();
  void TickerLoop();
  // The housekeeping task (NodeOptions::housekeeping_interval_ms), run on the apply loop.
  void Housekeeping(Context& ctx);
  // After a batch's commit: hands its new own events and fork proofs to the replicator.
  void Replicate(Context& ctx);
  // Disk full (see the top of this file): after a commit failed with `commit`, rebuilds the
  // state from the store, closes it and turns read-only. Apply loop only.
  void EnterReadOnly(const absl::Status& commit);
  // While read-only, on each housekeeping tick: reopens the store and tries a synced write;
  // on success rebuilds the state from the store and leaves read-only mode. Apply loop only.
  void ProbeDiskSpace();
  // The kUnavailable "disk full" answer to a write while read-only.
  absl::Status DiskFullError() const;
  // Restored (see the top of this file). Apply loop only.
  // After a round with `peer` of `group`: records the member as confirmed when `theirs` holds
  // no more of this org's chain than this node, then clears the mark if all are confirmed.
  void ConfirmRestoredPeer(Context& ctx, const core::GroupId& group, const core::OrgKey& peer,
                           const v1::Frontier& theirs);
  // Clears the mark when every member of every group confirmed; returns whether it did.
  bool MaybeLeaveRestored(Context& ctx);
  // What a restored node still waits for ("" when not restored), for node info and errors.
  std::string RestoredWaitingFor() const;
  // The kFailedPrecondition answer to an own write while restored.
  absl::Status RestoredError() const;

  NodeOptions options_;
  // First, so that it outlives every task and reactor that holds a place of it.
  rpc::CallLimits calls_;
  // Open watches wait here for their group's next commit (woken after each batch's replies).
  rpc::WatchHub watches_;
  std::unique_ptr<storage::Store> store_;
  core::SigningKey key_;
  std::unique_ptr<core::NodeState> state_;  // apply loop only
  // Disk full: writes are refused; store_ is null until ProbeDiskSpace reopens it. Apply loop
  // only.
  bool read_only_ = false;
  // Restored from a backup: own writes are refused (see the top of this file). Written on the
  // apply loop; read by the replicator, which asks peers for their frontiers only while set.
  std::atomic<bool> restored_{false};
  // Restored: per group, the member orgs that confirmed. Apply loop only.
  std::map<core::GroupId, std::set<core::OrgKey>> restored_confirmed_;

  mutable absl::Mutex tokens_mu_;
  absl::flat_hash_map<std::string, v1::TokenInfo> tokens_ ABSL_GUARDED_BY(tokens_mu_);

  absl::Mutex queue_mu_;
  std::deque<Task> queue_ ABSL_GUARDED_BY(queue_mu_);
  bool stopping_ ABSL_GUARDED_BY(queue_mu_) = false;
  std::thread loop_thread_;

  absl::Mutex replay_mu_;
  core::ReplayGuard replay_guard_ ABSL_GUARDED_BY(replay_mu_);

  // One background worker for calls that wait on other nodes (PeerService).
  absl::Mutex background_mu_;
  std::deque<std::function<void()>> background_ ABSL_GUARDED_BY(background_mu_);
  bool background_stopping_ ABSL_GUARDED_BY(background_mu_) = false;
  std::thread background_thread_;

  std::unique_ptr<Replicator> replicator_;

  absl::Mutex ticker_mu_;
  bool ticker_stopping_ ABSL_GUARDED_BY(ticker_mu_) = false;
  std::thread ticker_thread_;

  // Metrics (docs/OPERATIONS.md, Monitoring). The families live as long as the registry.
  metrics::Registry metrics_;
  metrics::CounterFamily& events_appended_ = metrics_.AddCounter(
      "constellation_events_appended_total",
      "Events this node wrote to its own log and committed, per group.", {"group"});
  metrics::CounterFamily& events_received_ = metrics_.AddCounter(
      "constellation_events_received_total",
      "Events of other nodes committed from pushes and pulls, per group.", {"group"});
  metrics::HistogramFamily& batch_size_ = metrics_.AddHistogram(
      "constellation_apply_batch_size", "Tasks per apply-loop batch.",
      metrics::ExponentialBuckets(1, 2, 10));
  metrics::HistogramFamily& commit_seconds_ = metrics_.AddHistogram(
      "constellation_commit_seconds", "Latency of one synced RocksDB batch write (group commit).",
      metrics::LatencySecondsBuckets());
  metrics::GaugeFamily& pending_events_ = metrics_.AddGauge(
      "constellation_pending_events", "Received events waiting for a missing parent.");
  metrics::GaugeFamily& held_events_ = metrics_.AddGauge(
      "constellation_held_events", "Received events held until this node's clock catches up.");
  metrics::GaugeFamily& pending_bytes_ = metrics_.AddGauge(
      "constellation_pending_bytes", "Signed bytes of every pending and held event.");
  // Peers, replication lag and store size (docs/OPERATIONS.md, Monitoring); RPC counts and
  // latencies are rpc_observer.h's. Peer series are per endpoint, as the replicator keeps them.
  metrics::GaugeFamily& peers_reachable_ =
      metrics_.AddGauge("constellation_peers_reachable",
                        "Peer endpoints whose last exchange with this node succeeded.");
  metrics::GaugeFamily& peer_up_ = metrics_.AddGauge(
      "constellation_peer_up", "1 if the last exchange with this peer endpoint succeeded, else 0.",
      {"peer"});
  metrics::GaugeFamily& lag_events_ = metrics_.AddGauge(
      "constellation_replication_lag_events",
      "Events by which this node and the peer differed when their last successful sync round "
      "started (pulled new + pushed), summed over groups.",
      {"peer"});
  metrics::GaugeFamily& lag_seconds_ = metrics_.AddGauge(
      "constellation_replication_lag_seconds",
      "Seconds since the last successful exchange with the peer (since the node started if "
      "none yet).",
      {"peer"});
  metrics::GaugeFamily& store_bytes_ = metrics_.AddGauge(
      "constellation_store_size_bytes",
      "Bytes of the RocksDB store: live SST files (part=sst) and write-ahead log (part=wal).",
      {"part"});
  // Sets the peer families from the replicator's stats (a collector: runs on each scrape).
  void CollectPeerMetrics();
  metrics::GaugeFamily& restored_read_only_ = metrics_.AddGauge(
      "constellation_restored_read_only",
      "1 while the node, restored from a backup, refuses writes of its own records until its "
      "peers have returned its latest events; 0 otherwise.");
  MetricsServer metrics_server_{&metrics_};
  mutable absl::Mutex metrics_address_mu_;
  std::string metrics_address_;

  std::unique_ptr<grpc::Server> server_;
  // Set by Start() before the server and the replicator run; read-only afterwards.
  std::shared_ptr<grpc::ChannelCredentials> peer_credentials_;
  std::vector<std::unique_ptr<grpc::Service>> services_;
  int port_ = 0;

  absl::Mutex shutdown_mu_;
  bool shutdown_started_ ABSL_GUARDED_BY(shutdown_mu_) = false;
  bool shut_down_ ABSL_GUARDED_BY(shutdown_mu_) = false;
};

// Creates a token record, returns the secret; for `constellationd init` (before any Node runs)
// and the TokenService. The secret is "cst_" + 64 hex characters; the store keeps its SHA-256.
struct IssuedToken {
  std::string secret;
  std::string secret_hash_hex;
  v1::TokenInfo info;
};
IssuedToken IssueToken(rpc::Role role, std::string label, const std::vector<core::GroupId>& groups,
                       uint64_t now_ms);
std::string TokenHashHex(std::string_view secret);

uint64_t SystemNowMs();

}  // namespace constellation::app
