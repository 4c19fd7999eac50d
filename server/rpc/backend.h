// server/rpc/backend.h
//
// The seam between the gRPC services (server/rpc) and the node that runs them (server/app).
// Services never block (STYLE.md): they authenticate, validate, and Post() a task to the
// node's single apply loop. The task runs on the loop with exclusive access to the node's
// state and returns a Reply; the loop commits every event staged by the tasks of one batch
// with one synced write (group commit) and only then calls each Reply, which finishes the RPC.
// So nothing is acknowledged before it is durable, and a read never reports state that is not
// yet durable. If the commit fails for a full disk, each Reply of the batch is called with
// that kUnavailable "disk full" status instead and must answer it, not its own result; on any
// other commit failure the node stops and no Reply of that batch runs.
#pragma once

#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <absl/status/status.h>
#include <absl/status/statusor.h>
#include <grpcpp/security/credentials.h>

#include "constellation/v1/client.pb.h"
#include "server/core/codec.h"
#include "server/core/federation_auth.h"
#include "server/core/ids.h"
#include "server/core/node_state.h"

namespace constellation::rpc {

class CallLimits;  // call_limits.h
class WatchHub;    // watch_hub.h

enum class Role { kAdmin, kMember, kAuditor };
std::string_view RoleName(Role role);
absl::StatusOr<Role> ParseRole(std::string_view name);

// Who is calling: the role of the bearer token and, for auditors, the groups it may read
// (empty = all).
struct Principal {
  Role role = Role::kAuditor;
  std::string token_id;
  std::vector<core::GroupId> groups;

  bool CanWrite() const { return role != Role::kAuditor; }
  bool CanRead(const core::GroupId& group) const;
};

// Called on the apply loop after the batch's commit: with OK once everything the batch staged
// is durable, or with the commit's error (kUnavailable "disk full"), which is then the answer.
using Reply = std::function<void(const absl::Status& commit)>;

// What a task may do on the apply loop.
class ApplyContext {
 public:
  virtual ~ApplyContext() = default;

  virtual const core::NodeState& state() const = 0;

  // Appends an event of this node's org (core::NodeState::AppendOwn) and stages it for the
  // batch's commit. Idempotency by request_id is the caller's (write.h) to check first.
  virtual absl::StatusOr<const core::VerifiedEvent*> AppendOwn(
      const std::optional<core::GroupId>& group, const v1::Event& body) = 0;

  // Receives a verified event from a peer (core::NodeState::Receive: inserted, or kept in
  // pending until its parents arrive, or held while its clock is ahead) and stages every event
  // the call inserted (it and the pending events it released) for the batch's commit.
  virtual absl::StatusOr<core::ReceiveResult> IngestRemote(core::VerifiedEvent e) = 0;

  // Records a fork proof that arrived on its own (gossip; core::NodeState::ReceiveForkProof)
  // and stages it. A proof that changed the group's freeze is gossiped onward after the
  // commit. Errors: those of ReceiveForkProof (kInvalidArgument, kNotFound).
  virtual absl::StatusOr<core::GroupChanges> IngestForkProof(const v1::ForkProof& proof) = 0;

  // Counts `accepted` events (new here) that `from`'s node pushed to this one, for the peer
  // views (hints, DESIGN §4).
  virtual void RecordPushReceived(const core::OrgKey& from, uint64_t accepted) = 0;

  // What this node knows of the member nodes it replicates with (hints, DESIGN §4), for
  // `group` or for every group when it is empty; ordered by org, then endpoint.
  virtual std::vector<v1::PeerView> Peers(const std::optional<core::GroupId>& group) const = 0;

  // Current wall-clock time (ms since the Unix epoch), for HLC stamps and "as of" queries.
  virtual uint64_t NowMs() const = 0;

  // Token administration, staged with the batch. CreateToken returns the secret once.
  virtual absl::StatusOr<v1::CreateTokenResponse> CreateToken(
      Role role, std::string label, std::vector<core::GroupId> groups) = 0;
  virtual absl::Status RevokeToken(const std::string& token_id) = 0;
  virtual std::vector<v1::TokenInfo> ListTokens() const = 0;

  // Restored from a backup (server/app/node.h): nullopt when not; else what the node waits
  // for before it accepts writes of its own records again (for node info).
  virtual std::optional<std::string> Restored() const { return std::nullopt; }
};

class Backend {
 public:
  virtual ~Backend() = default;

  // This node's org card: its org key, name and endpoints (the configured advertised ones, or
  // the bound listen address). Thread-safe and non-blocking (fixed once the server listens).
  virtual v1::OrgCard OwnCard() const = 0;

  // Resolves a bearer token. kUnauthenticated for an unknown or revoked token. Thread-safe and
  // non-blocking (an in-memory lookup).
  virtual absl::StatusOr<Principal> Authenticate(std::string_view token) const = 0;

  // Queues `task` for the apply loop. kUnavailable when the node is shutting down,
  // kResourceExhausted when the queue holds limits::kApplyQueueDepthMax tasks; the task is not
  // run then. Thread-safe and non-blocking.
  virtual absl::Status Post(std::function<Reply(ApplyContext&)> task) = 0;

  // Checks a federation call's credentials against the method and request (signature,
  // timestamp window, nonce not replayed; core/federation_auth.h). Thread-safe, non-blocking.
  virtual absl::Status AuthenticatePeer(const core::CallCredentials& credentials,
                                        std::string_view method,
                                        std::string_view request_bytes) = 0;

  // The caps on this node's concurrent calls (call_limits.h), which the reactors take places
  // from. Lives as long as the Backend. Thread-safe.
  virtual CallLimits& calls() = 0;

  // Where open watches (GroupService.WatchEvents) wait for their group's next commit
  // (watch_hub.h). Lives as long as the Backend. Thread-safe.
  virtual WatchHub& watches() = 0;

  // Signs an outgoing federation call as this node's org (fresh nonce, current time).
  virtual core::CallCredentials SignPeerCall(std::string_view method,
                                             std::string_view request_bytes) = 0;

  // The credentials of this node's channels to peers (tls.h, MakePeerCredentials): TLS when
  // the node has [tls] ca_file, else plaintext (null also means plaintext). Thread-safe.
  virtual std::shared_ptr<grpc::ChannelCredentials> PeerChannelCredentials() const = 0;

  // Runs `work` on a background worker, off the apply loop and off gRPC's threads: for work
  // that waits on other nodes. kUnavailable when shutting down. Thread-safe.
  virtual absl::Status RunInBackground(std::function<void()> work) = 0;

  // Runs an anti-entropy round for `group` with every member node now (both directions), off
  // the apply loop, and calls `done` with what it did (from the replication worker).
  // kUnavailable when shutting down (then `done` is not called). Thread-safe.
  virtual absl::Status SyncWithMembers(
      const core::GroupId& group,
      std::function<void(absl::StatusOr<v1::SyncGroupResponse>)> done) = 0;

  // The bound host:port of the node's Prometheus endpoint (GET /metrics); empty when metrics
  // are off or not started yet. Thread-safe.
  virtual std::string MetricsAddress() const = 0;
};

// Runs `fn` on the apply loop and waits for it and for the batch's commit. Only for threads
// that may block (background and replication workers), never for the loop or a reaction.
// Errors: `fn`'s, or Post's (kUnavailable when shutting down).
template <typename T>
absl::StatusOr<T> RunOnLoop(Backend& backend, std::function<absl::StatusOr<T>(ApplyContext&)> fn) {
  auto done = std::make_shared<std::promise<absl::StatusOr<T>>>();
  std::future<absl::StatusOr<T>> result = done->get_future();
  absl::Status posted = backend.Post([fn = std::move(fn), done](ApplyContext& apply) -> Reply {
    auto value = std::make_shared<absl::StatusOr<T>>(fn(apply));
    return [done, value](const absl::Status& commit) {
      done->set_value(commit.ok() ? std::move(*value) : absl::StatusOr<T>(commit));
    };
  });
  if (!posted.ok()) return posted;
  return result.get();
}

}  // namespace constellation::rpc
