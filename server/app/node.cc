#include "server/app/node.h"

#include <malloc.h>
#include <sodium.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <set>
#include <system_error>

#include <absl/strings/str_format.h>
#include <absl/strings/str_join.h>
#include <absl/time/time.h>
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>

#include "server/app/keyfile.h"
#include "server/app/log.h"
#include "server/app/rpc_observer.h"
#include "server/app/verify.h"
#include "server/base/check.h"
#include "server/base/limits.h"
#include "server/base/status_macros.h"
#include "server/core/governance/governance_ledger.h"
#include "server/rpc/services.h"
#include "server/storage/event_store.h"
#include "server/storage/rocks_store.h"

namespace constellation::app {

uint64_t SystemNowMs() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

std::string TokenHashHex(std::string_view secret) {
  auto hash = core::Sha256(secret);
  return core::EventId::FromArray(hash).Hex();
}

IssuedToken IssueToken(rpc::Role role, std::string label, const std::vector<core::GroupId>& groups,
                       uint64_t now_ms) {
  CONSTELLATION_CHECK(sodium_init() >= 0);
  std::array<uint8_t, 32> random;
  randombytes_buf(random.data(), random.size());
  IssuedToken t;
  t.secret = "cst_" + core::EventId::FromArray(random).Hex();
  t.secret_hash_hex = TokenHashHex(t.secret);
  t.info.set_token_id(t.secret_hash_hex.substr(0, 16));
  t.info.set_role(std::string(rpc::RoleName(role)));
  t.info.set_label(std::move(label));
  for (const core::GroupId& g : groups) t.info.add_group_ids(g.Bytes());
  t.info.set_created_ms(now_ms);
  return t;
}

// The ApplyContext of one batch: stages events and token changes into one WriteBatch.
class Node::Context final : public rpc::ApplyContext {
 public:
  Context(Node* node) : node_(node) {}

  const core::NodeState& state() const override { return *node_->state_; }

  absl::StatusOr<const core::VerifiedEvent*> AppendOwn(const std::optional<core::GroupId>& group,
                                                       const v1::Event& body) override {
    if (node_->read_only_) return node_->DiskFullError();
    if (node_->restored_) return node_->RestoredError();
    CONSTELLATION_ASSIGN_OR_RETURN(const core::VerifiedEvent* e,
                                   node_->state_->AppendOwn(group, body, NowMs()));
    const core::DagNode* dag_node = node_->state_->FindGroup(e->group)->dag().Find(e->id);
    storage::StageEvent(&batch_, *e, core::OrderKey{dag_node->depth, e->id});
    appended_[e->group].push_back(e->ToSignedEvent());
    changed_groups_.insert(e->group);
    return e;
  }

  absl::StatusOr<core::ReceiveResult> IngestRemote(core::VerifiedEvent e) override {
    if (node_->read_only_) return node_->DiskFullError();
    CONSTELLATION_ASSIGN_OR_RETURN(core::ReceiveResult r,
                                   node_->state_->Receive(std::move(e), NowMs()));
    StageChanges(r.changes);
    received_[r.changes.group] += r.changes.inserted.size();
    return r;
  }

  absl::StatusOr<core::GroupChanges> IngestForkProof(const v1::ForkProof& proof) override {
    if (node_->read_only_) return node_->DiskFullError();
    CONSTELLATION_ASSIGN_OR_RETURN(core::GroupChanges changes,
                                   node_->state_->ReceiveForkProof(proof));
    StageChanges(changes);
    return changes;
  }

  // Stages what a receive (or a release of held events) changed: the inserted events and the
  // fork proofs that changed a freeze, which are also gossiped after the commit.
  void StageChanges(const core::GroupChanges& changes) {
    if (!changes.inserted.empty()) {
      const core::Group* g = node_->state_->FindGroup(changes.group);
      for (const core::EventId& id : changes.inserted) {
        storage::StageEvent(&batch_, *g->Find(id), core::OrderKey{g->dag().Find(id)->depth, id});
      }
      changed_groups_.insert(changes.group);
    }
    for (const v1::ForkProof& proof : changes.new_fork_proofs) {
      absl::StatusOr<core::VerifiedForkProof> verified = core::VerifyForkProof(proof);
      CONSTELLATION_CHECK(verified.ok());  // the group verified it before recording it
      storage::StageForkProof(&batch_, *verified);
      fork_proofs_.emplace_back(changes.group, proof);
    }
  }

  void RecordPushReceived(const core::OrgKey& from, uint64_t accepted) override {
    node_->replicator_->RecordPushReceived(from, accepted);
  }

  std::vector<v1::PeerView> Peers(const std::optional<core::GroupId>& group) const override {
    std::map<std::pair<std::string, std::string>, v1::PeerView> views;  // by (org, endpoint)
    for (const auto& [id, g] : node_->state_->groups()) {
      if (group.has_value() && *group != id) continue;
      for (const PeerTarget& t : PeerTargets(*g, node_->state_->org(), NowMs())) {
        auto [view, inserted] = views.try_emplace({t.org.Bytes(), t.endpoint});
        if (inserted) view->second = node_->replicator_->PeerViewOf(t);
        view->second.add_group_ids(id.Bytes());
      }
    }
    std::vector<v1::PeerView> out;
    for (auto& [key, v] : views) out.push_back(std::move(v));
    return out;
  }

  uint64_t NowMs() const override { return node_->options_.now_ms(); }

  std::optional<std::string> Restored() const override {
    if (!node_->restored_) return std::nullopt;
    return node_->RestoredWaitingFor();
  }

  absl::StatusOr<v1::CreateTokenResponse> CreateToken(rpc::Role role, std::string label,
                                                      std::vector<core::GroupId> groups) override {
    if (node_->read_only_) return node_->DiskFullError();
    {
      absl::MutexLock lock(&node_->tokens_mu_);
      size_t live = token_changes_.size();
      for (const auto& [hash, info] : node_->tokens_) live += info.revoked() ? 0 : 1;
      if (live >= limits::kTokenCountMax) {
        return absl::ResourceExhaustedError(absl::StrFormat(
            "the node holds %d live tokens; the limit kTokenCountMax is %d; revoke unused tokens",
            live, limits::kTokenCountMax));
      }
    }
    IssuedToken t = IssueToken(role, std::move(label), groups, NowMs());
    storage::StageToken(&batch_, t.secret_hash_hex, t.info);
    token_changes_.emplace_back(t.secret_hash_hex, t.info);
    v1::CreateTokenResponse out;
    out.set_token(t.secret);
    out.set_token_id(t.info.token_id());
    return out;
  }

  absl::Status RevokeToken(const std::string& token_id) override {
    if (node_->read_only_) return node_->DiskFullError();
    absl::MutexLock lock(&node_->tokens_mu_);
    for (const auto& [hash, info] : node_->tokens_) {
      if (info.token_id() != token_id) continue;
      v1::TokenInfo revoked = info;
      revoked.set_revoked(true);
      storage::StageToken(&batch_, hash, revoked);
      token_changes_.emplace_back(hash, revoked);
      return absl::OkStatus();
    }
    return absl::NotFoundError(absl::StrFormat(
        "token %s not found; 'constellation token list' shows token ids", token_id));
  }

  std::vector<v1::TokenInfo> ListTokens() const override {
    absl::MutexLock lock(&node_->tokens_mu_);
    std::map<std::string, v1::TokenInfo> by_id;  // ordered output
    for (const auto& [hash, info] : node_->tokens_) by_id[info.token_id()] = info;
    std::vector<v1::TokenInfo> out;
    for (auto& [id, info] : by_id) out.push_back(std::move(info));
    return out;
  }

  storage::WriteBatch& batch() { return batch_; }
  std::vector<std::pair<std::string, v1::TokenInfo>>& token_changes() { return token_changes_; }
  // This org's events appended by the batch, per group, in chain order.
  std::map<core::GroupId, std::vector<v1::SignedEvent>>& appended() { return appended_; }
  const std::map<core::GroupId, uint64_t>& received() const { return received_; }
  std::vector<std::pair<core::GroupId, v1::ForkProof>>& fork_proofs() { return fork_proofs_; }
  // The groups the batch inserted events into (watches wake on them after the commit).
  const std::set<core::GroupId>& changed_groups() const { return changed_groups_; }

 private:
  Node* node_;
  storage::WriteBatch batch_;
  std::vector<std::pair<std::string, v1::TokenInfo>> token_changes_;
  std::map<core::GroupId, std::vector<v1::SignedEvent>> appended_;
  std::map<core::GroupId, uint64_t> received_;  // events inserted from other nodes, per group
  std::vector<std::pair<core::GroupId, v1::ForkProof>> fork_proofs_;
  std::set<core::GroupId> changed_groups_;
};

Node::Node(NodeOptions options, std::unique_ptr<storage::Store> store, core::SigningKey key)
    : options_(std::move(options)), store_(std::move(store)), key_(std::move(key)) {
  if (!options_.now_ms) options_.now_ms = SystemNowMs;
}

namespace {

// Opens the store of a data directory and checks (or writes) its schema version.
absl::StatusOr<std::unique_ptr<storage::Store>> OpenStore(const NodeOptions& options) {
  CONSTELLATION_ASSIGN_OR_RETURN(std::unique_ptr<storage::RocksStore> store,
                                 storage::RocksStore::Open(options.data_dir + "/db", options.store));
  CONSTELLATION_RETURN_IF_ERROR(storage::InitSchema(*store));
  return std::unique_ptr<storage::Store>(std::move(store));
}

}  // namespace

absl::StatusOr<std::unique_ptr<Node>> Node::Open(NodeOptions options) {
  CONSTELLATION_ASSIGN_OR_RETURN(core::SigningKey key, ReadKeyFile(options.data_dir + "/org.key"));
  CONSTELLATION_ASSIGN_OR_RETURN(std::unique_ptr<storage::Store> store, OpenStore(options));
  CONSTELLATION_ASSIGN_OR_RETURN(std::optional<uint64_t> restored, storage::RestoredMark(*store));
  std::unique_ptr<Node> node(new Node(std::move(options), std::move(store), std::move(key)));
  CONSTELLATION_RETURN_IF_ERROR(node->Load());
  if (restored.has_value() && node->options_.accept_restored_state) {
    storage::WriteBatch clear;
    storage::StageClearRestored(&clear);
    CONSTELLATION_RETURN_IF_ERROR(node->store_->Write(clear, storage::WriteOptions{.sync = true}));
    LogWarning("restored from a backup; the operator accepted the restored state "
               "(--accept-restored-state): own writes are allowed without waiting for peers. If "
               "a peer holds later events of this org, the next own write forks its chain",
               {{"data_dir", node->options_.data_dir}});
  } else if (restored.has_value()) {
    node->restored_ = true;
  }
  node->restored_read_only_.WithLabels({}).Set(node->restored_ ? 1 : 0);
  return node;
}

absl::Status Node::Load() {
  CONSTELLATION_ASSIGN_OR_RETURN(std::unique_ptr<core::NodeState> state,
                                 LoadNodeState(*store_, key_, storage::StoredSignatures::kTrust));
  absl::flat_hash_map<std::string, v1::TokenInfo> tokens;
  CONSTELLATION_RETURN_IF_ERROR(storage::LoadTokens(
      *store_,
      [&](const std::string& hash, v1::TokenInfo info) { tokens[hash] = std::move(info); }));
  state_ = std::move(state);
  absl::MutexLock lock(&tokens_mu_);
  tokens_ = std::move(tokens);
  return absl::OkStatus();
}

Node::~Node() { Shutdown(); }

v1::OrgCard Node::OwnCard() const {
  v1::OrgCard card;
  card.set_key(key_.public_key().Bytes());
  card.set_name(options_.org_name);
  if (options_.advertise_endpoints.empty()) {
    card.add_endpoints(address());
  } else {
    for (const std::string& e : options_.advertise_endpoints) card.add_endpoints(e);
  }
  return card;
}

std::string Node::address() const {
  std::string host = options_.listen_address.substr(0, options_.listen_address.rfind(':'));
  return absl::StrFormat("%s:%d", host, port_);
}

absl::Status Node::Start() {
  // TLS files first: a bad file fails the start before any thread runs.
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> server_credentials =
      rpc::MakeServerCredentials(options_.tls);
  if (!server_credentials.ok()) return server_credentials.status();
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> peer_credentials =
      rpc::MakePeerCredentials(options_.tls);
  if (!peer_credentials.ok()) return peer_credentials.status();
  peer_credentials_ = *std::move(peer_credentials);
  loop_thread_ = std::thread([this] { Loop(); });
  background_thread_ = std::thread([this] { BackgroundLoop(); });
  ticker_thread_ = std::thread([this] { TickerLoop(); });
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  // gRPC sets SO_REUSEPORT by default: a second node on a port in use would then start and
  // share the port's connections with the first. A port in use must fail here instead.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  // Peers ping while a call is open (limits.h, kPeerKeepaliveTimeMs); gRPC's default would
  // answer pings more often than every 5 minutes with GOAWAY "too_many_pings".
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS,
                             limits::kPingIntervalMsMin);
  builder.AddListeningPort(options_.listen_address, *server_credentials, &port_);
  builder.SetMaxReceiveMessageSize(static_cast<int>(limits::kRpcMessageSizeBytesMax));
  // One log line and the RPC metrics per call (rpc_observer.h).
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> observers;
  observers.push_back(std::make_unique<RpcObserverFactory>(&metrics_));
  services_ = rpc::RegisterServices(this, builder, std::move(observers));
  server_ = builder.BuildAndStart();
  if (server_ == nullptr || port_ == 0) {
    Shutdown();
    return absl::UnavailableError(absl::StrFormat(
        "cannot listen on %s (in use, or not an address of this host); choose another "
        "with --listen",
        options_.listen_address));
  }
  // Replication starts once the port is known: this node's endpoints are in its profiles.
  ReplicatorOptions replication;
  replication.anti_entropy_interval_ms = options_.anti_entropy_interval_ms;
  replication.now_ms = options_.now_ms;
  replication.restored = [this] { return restored_.load(); };
  replication.peer_frontier = [this](const core::GroupId& group, const core::OrgKey& peer,
                                     v1::Frontier theirs) {
    // Refused only while shutting down or when the queue is full: the next round asks again.
    Post([this, group, peer, theirs = std::move(theirs)](rpc::ApplyContext& apply) -> rpc::Reply {
      ConfirmRestoredPeer(static_cast<Context&>(apply), group, peer, theirs);
      return [](const absl::Status&) {};
    }).IgnoreError();
  };
  replicator_ = std::make_unique<Replicator>(this, replication);
  replicator_->Start();
  if (!options_.metrics_listen.empty()) {
    metrics_.AddCollector([this] { CollectPeerMetrics(); });
    absl::StatusOr<std::string> bound = metrics_server_.Start(options_.metrics_listen);
    if (!bound.ok()) {
      Shutdown();
      return bound.status();
    }
    absl::MutexLock lock(&metrics_address_mu_);
    metrics_address_ = *bound;
  }
  const std::string metrics_address = MetricsAddress();
  LogInfo("node started", {{"org", key_.public_key().Hex()},
                           {"listen", address()},
                           {"metrics", metrics_address.empty() ? "off" : metrics_address},
                           {"groups", absl::StrFormat("%d", state_->groups().size())},
                           {"events", absl::StrFormat("%d", state_->event_count())},
                           {"tls", options_.tls.serves_tls() ? "on" : "off"},
                           {"restored", restored_ ? "yes" : "no"},
                           {"peer_tls", options_.tls.calls_peers_over_tls() ? "on" : "off"}});
  if (restored_) {
    LogWarning("restored from a backup: writes of this org's own records are refused until its "
               "peers have returned its latest events (docs/OPERATIONS.md, \"Backup and "
               "restore\")",
               {{"waiting_for", RestoredWaitingFor()}});
  }
  if (!options_.tls.serves_tls() && !rpc::IsLoopbackAddress(options_.listen_address)) {
    LogWarning("serving plaintext on a non-loopback address: tokens and events cross the "
               "network unencrypted; set [tls] cert_file and key_file (docs/OPERATIONS.md, TLS)",
               {{"listen", address()}});
  }
  return absl::OkStatus();
}

void Node::Shutdown(uint64_t grace_ms) {
  {
    absl::MutexLock lock(&shutdown_mu_);
    if (shutdown_started_) {
      // Another caller is shutting down: wait until it is done.
      shutdown_mu_.Await(absl::Condition(&shut_down_));
      return;
    }
    shutdown_started_ = true;
  }
  {
    absl::MutexLock lock(&ticker_mu_);
    ticker_stopping_ = true;
  }
  if (ticker_thread_.joinable()) ticker_thread_.join();
  // Open watches never end by themselves: end them (kUnavailable, the client resumes
  // elsewhere or later) rather than wait for the server's grace period below.
  watches_.Close();
  // The replicator waits on peers and on the apply loop; it answers queued forced rounds with
  // kUnavailable, so that no RPC is left unfinished.
  if (replicator_) replicator_->Stop();
  if (server_) {
    server_->Shutdown(std::chrono::system_clock::now() + std::chrono::milliseconds(grace_ms));
  }
  // The background worker may wait on the apply loop: stop it first.
  {
    absl::MutexLock lock(&background_mu_);
    background_stopping_ = true;
  }
  if (background_thread_.joinable()) background_thread_.join();
  {
    absl::MutexLock lock(&queue_mu_);
    stopping_ = true;
  }
  if (loop_thread_.joinable()) loop_thread_.join();
  if (server_) server_->Wait();
  metrics_server_.Stop();
  store_.reset();  // closes RocksDB
  LogInfo("node stopped", {{"org", key_.public_key().Hex()}});
  absl::MutexLock lock(&shutdown_mu_);
  shut_down_ = true;
}

absl::StatusOr<rpc::Principal> Node::Authenticate(std::string_view token) const {
  const std::string hash = TokenHashHex(token);
  absl::MutexLock lock(&tokens_mu_);
  auto it = tokens_.find(hash);
  if (it == tokens_.end() || it->second.revoked()) {
    return absl::UnauthenticatedError(
        "unknown or revoked token; ask the node's admin for a token ('constellation token "
        "create')");
  }
  rpc::Principal p;
  p.role = *rpc::ParseRole(it->second.role());
  p.token_id = it->second.token_id();
  for (const std::string& g : it->second.group_ids()) {
    p.groups.push_back(*core::GroupId::FromBytes(g));
  }
  return p;
}

absl::Status Node::AuthenticatePeer(const core::CallCredentials& credentials,
                                    std::string_view method, std::string_view request_bytes) {
  absl::MutexLock lock(&replay_mu_);
  return replay_guard_.Accept(credentials, method, request_bytes, options_.now_ms());
}

core::CallCredentials Node::SignPeerCall(std::string_view method, std::string_view request_bytes) {
  std::string nonce(16, '\0');
  randombytes_buf(nonce.data(), nonce.size());
  return core::SignCall(key_, method, options_.now_ms(), nonce, request_bytes);
}

absl::Status Node::RunInBackground(std::function<void()> work) {
  absl::MutexLock lock(&background_mu_);
  if (background_stopping_) {
    return absl::UnavailableError("the node is shutting down; retry on restart");
  }
  background_.push_back(std::move(work));
  return absl::OkStatus();
}

absl::Status Node::SyncWithMembers(
    const core::GroupId& group, std::function<void(absl::StatusOr<v1::SyncGroupResponse>)> done) {
  if (replicator_ == nullptr) return absl::UnavailableError("the node is not running");
  return replicator_->SyncNow(group, std::move(done));
}

void Node::TickerLoop() {
  while (true) {
    {
      absl::MutexLock lock(&ticker_mu_);
      ticker_mu_.AwaitWithTimeout(
          absl::Condition(&ticker_stopping_),
          absl::Milliseconds(static_cast<int64_t>(options_.housekeeping_interval_ms)));
      if (ticker_stopping_) return;
    }
    // Refused only while shutting down or when the queue is full: the next tick retries.
    Post([this](rpc::ApplyContext& apply) -> rpc::Reply {
      Housekeeping(static_cast<Context&>(apply));
      return [](const absl::Status&) {};
    }).IgnoreError();
    // Streams that closed freed their pages and gRPC buffers, but glibc keeps freed memory in
    // its per-thread arenas: 800 closed streams left the node at its peak resident size until
    // malloc_trim (docs/RELIABILITY.md). Here, off the loop and the gRPC threads.
    if (calls_.TakeMemoryTrimDue()) malloc_trim(0);
  }
}

std::string Node::MetricsAddress() const {
  absl::MutexLock lock(&metrics_address_mu_);
  return metrics_address_;
}

void Node::CollectPeerMetrics() {
  const uint64_t now = options_.now_ms();
  const uint64_t started = replicator_->started_ms();
  int reachable = 0;
  for (const auto& [endpoint, stats] : replicator_->Stats()) {
    const bool up = stats.consecutive_failures == 0 && stats.last_success_ms > 0;
    reachable += up ? 1 : 0;
    peer_up_.WithLabels({endpoint}).Set(up ? 1 : 0);
    uint64_t difference = 0;
    for (const auto& [group, events] : stats.round_difference_events) difference += events;
    lag_events_.WithLabels({endpoint}).Set(static_cast<double>(difference));
    const uint64_t since = stats.last_success_ms > 0 ? stats.last_success_ms : started;
    lag_seconds_.WithLabels({endpoint})
        .Set(static_cast<double>(now > since ? now - since : 0) / 1e3);
  }
  peers_reachable_.WithLabels({}).Set(reachable);
}

void Node::Housekeeping(Context& ctx) {
  if (store_ != nullptr) {
    // Read here, on the loop, where store_ cannot close underneath (disk full reopens it).
    if (absl::StatusOr<storage::Store::SizeBytes> size = store_->Size(); size.ok()) {
      store_bytes_.WithLabels({"sst"}).Set(static_cast<double>(size->sst_bytes));
      store_bytes_.WithLabels({"wal"}).Set(static_cast<double>(size->wal_bytes));
    }
  }
  if (read_only_) {
    // Releasing held events and acknowledging would write: only look for space instead.
    ProbeDiskSpace();
    return;
  }
  const uint64_t now = ctx.NowMs();
  for (const core::GroupChanges& changes : state_->ReleaseHeld(now)) ctx.StageChanges(changes);
  // Restored: no own events (acknowledgements) until the peers confirmed; a group without
  // other members (or whose members all confirmed) needs no round to clear the mark.
  if (restored_ && !MaybeLeaveRestored(ctx)) return;
  std::vector<std::pair<core::GroupId, std::vector<core::EventId>>> due;
  for (const auto& [id, g] : state_->groups()) {
    if (g->FrozenFrom(state_->org()).has_value()) continue;
    std::vector<core::EventId> proposals =
        Governance(g->state()).AcknowledgementsDue(g->state(), state_->org(), now);
    if (!proposals.empty()) due.emplace_back(id, std::move(proposals));
  }
  for (const auto& [group, proposals] : due) {
    v1::Event body;
    for (const core::EventId& p : proposals)
      body.mutable_acknowledgement()->add_proposal_ids(p.Bytes());
    absl::StatusOr<const core::VerifiedEvent*> e = ctx.AppendOwn(group, body);
    if (!e.ok()) {
      LogError("automatic acknowledgement failed",
               {{"group", group.Hex()}, {"error", e.status().ToString()}});
    }
  }
}

void Node::Replicate(Context& ctx) {
  if (replicator_ == nullptr) return;
  const uint64_t now = options_.now_ms();
  for (auto& [group, events] : ctx.appended()) {
    replicator_->Push(group, std::move(events),
                      PeerTargets(*state_->FindGroup(group), state_->org(), now));
  }
  for (auto& [group, proof] : ctx.fork_proofs()) {
    replicator_->Gossip(group, std::move(proof),
                        PeerTargets(*state_->FindGroup(group), state_->org(), now));
  }
}

void Node::BackgroundLoop() {
  while (true) {
    std::function<void()> work;
    {
      absl::MutexLock lock(&background_mu_);
      auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(background_mu_) {
        return background_stopping_ || !background_.empty();
      };
      background_mu_.Await(absl::Condition(&ready));
      if (background_.empty()) return;  // stopping and drained
      work = std::move(background_.front());
      background_.pop_front();
    }
    work();
  }
}

absl::Status Node::Post(Task task) {
  absl::MutexLock lock(&queue_mu_);
  if (stopping_) return absl::UnavailableError("the node is shutting down; retry on restart");
  if (queue_.size() >= limits::kApplyQueueDepthMax) {
    return absl::ResourceExhaustedError(absl::StrFormat(
        "the apply queue holds %d tasks (kApplyQueueDepthMax); retry shortly", queue_.size()));
  }
  queue_.push_back(std::move(task));
  return absl::OkStatus();
}

void Node::Loop() {
  while (true) {
    std::vector<Task> tasks;
    {
      absl::MutexLock lock(&queue_mu_);
      auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(queue_mu_) {
        return stopping_ || !queue_.empty();
      };
      queue_mu_.Await(absl::Condition(&ready));
      if (queue_.empty()) return;  // stopping and drained
      while (!queue_.empty() && tasks.size() < limits::kApplyBatchSizeMax) {
        tasks.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    RunBatch(std::move(tasks));
  }
}

void Node::RunBatch(std::vector<Task> tasks) {
  Context ctx(this);
  std::vector<rpc::Reply> replies;
  replies.reserve(tasks.size());
  for (Task& task : tasks) replies.push_back(task(ctx));
  if (!ctx.batch().empty()) {
    // While read-only the store is closed, and no task can stage anything.
    CONSTELLATION_CHECK(store_ != nullptr);
    const auto commit_start = std::chrono::steady_clock::now();
    absl::Status commit = store_->Write(ctx.batch(), storage::WriteOptions{.sync = true});
    commit_seconds_.WithLabels({}).Observe(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - commit_start).count());
    if (!commit.ok() && storage::IsDiskFull(commit)) {
      // Nothing of the batch was acknowledged or sent; every reply says "disk full" (a read in
      // the batch may have seen the batch's events, so it is refused too).
      EnterReadOnly(commit);
      const absl::Status refused = DiskFullError();
      for (rpc::Reply& reply : replies) reply(refused);
      return;
    }
    if (!commit.ok()) {
      // A failed synced write does not prove that nothing reached the disk, and memory already
      // holds the batch's events: neither can be trusted. Stop (fail-stop). On restart, WAL
      // recovery decides what is durable; clients retry with the same request_id and get the
      // original event if it survived, or a new one if it did not. Nothing was acknowledged.
      LogError("commit failed; stopping the node",
               {{"data_dir", options_.data_dir}, {"error", commit.ToString()}});
      std::abort();
    }
  }
  {
    absl::MutexLock lock(&tokens_mu_);
    for (auto& [hash, info] : ctx.token_changes()) tokens_[hash] = std::move(info);
  }
  batch_size_.WithLabels({}).Observe(static_cast<double>(tasks.size()));
  const core::PendingStats pending = state_->pending_stats();
  pending_events_.WithLabels({}).Set(static_cast<double>(pending.waiting_events));
  held_events_.WithLabels({}).Set(static_cast<double>(pending.held_events));
  pending_bytes_.WithLabels({}).Set(static_cast<double>(pending.bytes));
  for (const auto& [group, events] : ctx.appended()) {
    events_appended_.WithLabels({group.Hex()}).Increment(static_cast<double>(events.size()));
  }
  for (const auto& [group, count] : ctx.received()) {
    events_received_.WithLabels({group.Hex()}).Increment(static_cast<double>(count));
  }
  for (rpc::Reply& reply : replies) reply(absl::OkStatus());
  // Watches parked in this batch's tasks are parked by now: wake those of changed groups.
  for (const core::GroupId& group : ctx.changed_groups()) watches_.Notify(group);
  // Only durable events leave the node (DESIGN §2).
  Replicate(ctx);
}

absl::Status Node::DiskFullError() const {
  return storage::DiskFullError(absl::StrFormat(
      "the node cannot write to its data directory %s and is read-only; free space on that "
      "disk: the node resumes writes by itself (reads are served meanwhile); retry then",
      options_.data_dir));
}

// Why dropping the failed batch's events cannot create a fork that anyone sees (DESIGN §2):
// an event of this org signed in the failed batch (seq N) was never acknowledged, never served
// (every reply of the batch is refused) and never sent (Replicate runs only after a successful
// commit): it never left this process. Below, memory forgets it; while read-only nothing is
// signed. On reopen RocksDB's recovery settles it for good: if its WAL record reached the file
// whole, it is replayed and flushed (durable; the state rebuilt from the store then holds it
// and the next own event is N+1), otherwise it is gone and seq N will be signed again with
// other content, which is no fork because no other process ever held the first one.
void Node::EnterReadOnly(const absl::Status& commit) {
  LogError("disk full: a commit failed for lack of space; the node is read-only until space "
           "is freed on the disk of its data directory",
           {{"data_dir", options_.data_dir}, {"error", commit.ToString()}});
  read_only_ = true;
  // The store still reads (RocksDB keeps serving reads in its background-error state) and
  // holds exactly the committed batches: rebuild from it, as a restart would.
  if (absl::Status loaded = Load(); !loaded.ok()) {
    LogError("cannot reload the state after a failed commit; stopping the node",
             {{"data_dir", options_.data_dir}, {"error", loaded.ToString()}});
    std::abort();
  }
  // Closed, so that the reopen in ProbeDiskSpace starts from a clean recovery (RocksDB's
  // in-place Resume() waits for its own free-space threshold, the write buffer size).
  store_.reset();
}

void Node::ProbeDiskSpace() {
  std::error_code error;
  const std::filesystem::space_info space = std::filesystem::space(options_.data_dir, error);
  if (!error && space.available < options_.disk_free_bytes_to_resume_min) return;
  absl::StatusOr<std::unique_ptr<storage::Store>> store = OpenStore(options_);
  if (store.ok()) {
    // Opening may succeed where a write does not: try a synced write that changes nothing.
    storage::WriteBatch probe;
    probe.Delete(storage::Column::kMeta, "disk_probe");
    absl::Status written = (*store)->Write(probe, storage::WriteOptions{.sync = true});
    if (!written.ok()) store = written;
  }
  if (!store.ok()) {
    if (!storage::IsDiskFull(store.status())) {
      LogError("disk full: cannot reopen the store yet; retrying",
               {{"data_dir", options_.data_dir}, {"error", store.status().ToString()}});
    }
    return;
  }
  store_ = *std::move(store);
  // RocksDB's recovery decided what of the failed batch is durable: memory follows it.
  if (absl::Status loaded = Load(); !loaded.ok()) {
    LogError("cannot reload the state after the disk was full; stopping the node",
             {{"data_dir", options_.data_dir}, {"error", loaded.ToString()}});
    std::abort();
  }
  read_only_ = false;
  // The reload may hold events of the failed batch that no watch has seen.
  watches_.NotifyAll();
  LogInfo("disk space returned; writes resumed",
          {{"data_dir", options_.data_dir},
           {"events", absl::StrFormat("%d", state_->event_count())}});
}

namespace {

// The seq of `author`'s head in `frontier` (0 when it holds none of that chain).
uint64_t HeadSeq(const v1::Frontier& frontier, const core::OrgKey& author) {
  for (const v1::ChainHead& head : frontier.heads()) {
    if (head.author() == author.Bytes()) return head.seq();
  }
  return 0;
}

}  // namespace

void Node::ConfirmRestoredPeer(Context& ctx, const core::GroupId& group, const core::OrgKey& peer,
                               const v1::Frontier& theirs) {
  if (!restored_) return;
  const core::Group* g = state_->FindGroup(group);
  if (g == nullptr) return;
  const uint64_t ours = HeadSeq(g->Frontier(), state_->org());
  const uint64_t their_seq = HeadSeq(theirs, state_->org());
  if (their_seq > ours) {
    // The pull before this did not insert them all yet (some wait in pending for parents of
    // other authors). The next round asks again.
    LogInfo("restored: a member holds later events of this org than this node; waiting",
            {{"group", group.Hex()}, {"member", peer.Hex()},
             {"ours", absl::StrFormat("%d", ours)}, {"theirs", absl::StrFormat("%d", their_seq)}});
    return;
  }
  if (restored_confirmed_[group].insert(peer).second) {
    LogInfo("restored: a member returned this org's latest events",
            {{"group", group.Hex()}, {"member", peer.Hex()},
             {"seq", absl::StrFormat("%d", ours)}});
  }
  MaybeLeaveRestored(ctx);
}

bool Node::MaybeLeaveRestored(Context& ctx) {
  if (!restored_) return true;
  if (!RestoredWaitingFor().empty()) return false;
  storage::StageClearRestored(&ctx.batch());
  restored_ = false;
  restored_confirmed_.clear();
  restored_read_only_.WithLabels({}).Set(0);
  LogInfo("restored: every member node returned this org's latest events; own writes resumed",
          {{"data_dir", options_.data_dir}});
  return true;
}

std::string Node::RestoredWaitingFor() const {
  if (!restored_) return "";
  std::vector<std::string> waiting;
  const uint64_t now = options_.now_ms();
  for (const auto& [id, g] : state_->groups()) {
    auto confirmed = restored_confirmed_.find(id);
    std::set<core::OrgKey> listed;
    for (const PeerTarget& t : PeerTargets(*g, state_->org(), now)) {
      if (confirmed != restored_confirmed_.end() && confirmed->second.contains(t.org)) continue;
      if (!listed.insert(t.org).second) continue;
      waiting.push_back(absl::StrFormat("%s (%s) in group %s", t.name, t.org.Hex().substr(0, 12),
                                        id.Hex().substr(0, 12)));
    }
  }
  return absl::StrJoin(waiting, ", ");
}

absl::Status Node::RestoredError() const {
  return absl::FailedPreconditionError(absl::StrFormat(
      "this node was restored from a backup and refuses writes of its own records until its "
      "peers have returned its latest events (the backup may lack some: a new write could then "
      "fork this org's chain); waiting for a sync with %s. It clears by itself once each has "
      "answered ('constellation node info' shows it); if one is gone for good, the node's "
      "operator restarts it with 'constellationd run --accept-restored-state' "
      "(docs/OPERATIONS.md, \"Backup and restore\")",
      RestoredWaitingFor()));
}

}  // namespace constellation::app
