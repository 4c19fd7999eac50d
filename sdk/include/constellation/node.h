// sdk/include/constellation/node.h
//
// Node domain of the client API (NodeService, TokenService, PeerService): who the node is, the
// tokens it issues, the peer nodes it replicates with and the outcome of sync rounds. The org
// card a node exports is in org_card.h.
// Thread safety: plain values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace constellation {

// Who a node is (Client::GetNodeInfo).
struct NodeInfo {
  std::string org_key;  // hex
  std::string org_name;
  std::vector<std::string> endpoints;  // host:port
  std::string version;
  uint32_t group_count = 0;
  uint64_t event_count = 0;
  std::string caller_role;  // "admin" | "member" | "auditor": the role of the token used
  std::string metrics_address;  // host:port of GET /metrics; empty = metrics off
  // Restored from a backup: while true the node refuses writes of its own records
  // (kFailedPrecondition) until its peers have returned its latest events; `restored_waiting_for`
  // names the member nodes it still waits for (docs/OPERATIONS.md, "Backup and restore").
  bool restored_read_only = false;
  std::string restored_waiting_for;
};

// A token as the node lists it: never its secret.
struct TokenInfo {
  std::string token_id;
  std::string role;  // "admin" | "member" | "auditor"
  std::string label;
  std::vector<std::string> group_ids;  // hex; auditor scope, empty = every group
  uint64_t created_ms = 0;
  bool revoked = false;
};

// A freshly issued token. `token` is the secret: the node shows it once and keeps a hash.
struct CreatedToken {
  std::string token;
  std::string token_id;
};

// What this node knows of one peer endpoint (a member's node). Hints only (DESIGN §4): every
// anti-entropy round is stateless.
struct PeerStatus {
  std::string org;  // hex org key
  std::string name;
  std::string endpoint;                // host:port
  std::vector<std::string> group_ids;  // hex: groups this node replicates with it
  // "ok" (last call succeeded), "failing" (backing off until next_attempt_ms), "unknown" (not
  // contacted yet).
  std::string status;
  uint64_t last_success_ms = 0;
  uint64_t last_attempt_ms = 0;
  std::string last_error;
  uint32_t consecutive_failures = 0;
  uint64_t next_attempt_ms = 0;
  uint64_t events_sent = 0;
  uint64_t events_received = 0;  // by this node's pulls from the endpoint, new here
  // Pushed to this node by the peer's org, new here (per org: the same on each of its
  // endpoints).
  uint64_t events_pushed_received = 0;
};

// The outcome of pulling a group from a peer node (Client::SyncGroup), or of an anti-entropy
// round with every member (Client::SyncGroupWithMembers).
struct SyncResult {
  uint64_t received = 0;   // events the peer(s) sent
  uint64_t inserted = 0;   // new here: verified, chain-checked, stored
  uint64_t duplicate = 0;  // already held
  uint64_t waiting = 0;    // held back until their dependencies arrive
  uint32_t rounds = 0;     // pull rounds
  std::string state_hash;  // hex: this node's state hash of the group afterwards
  uint64_t sent = 0;       // events sent to peers (rounds with every member only)
  // Rounds with every member: one entry per member endpoint tried.
  std::vector<PeerStatus> peers;
  uint64_t dropped = 0;  // received but not kept: pending was full, or a forked branch
};

}  // namespace constellation
