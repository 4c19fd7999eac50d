// server/core/node_state.h
//
// NodeState: every group one node holds, the node's own signing key and hybrid logical clock,
// and the index of its own writes by client request_id (idempotency, DESIGN §5).
// Local writes and events loaded from storage (or, later, received from peers) go through the
// same chain and fold rules.
// Pure: the current time comes in as an argument. Thread safety: not thread-safe; owned by the
// apply loop.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

#include <absl/container/flat_hash_map.h>
#include <absl/status/statusor.h>

#include "server/core/codec.h"
#include "server/core/crypto.h"
#include "server/core/group.h"
#include "server/core/hlc.h"

namespace constellation::core {

class NodeState {
 public:
  explicit NodeState(SigningKey key) : key_(std::move(key)) {}

  const OrgKey& org() const { return key_.public_key(); }

  // Builds the next event of this node's org from `body` (only the body and request_id are
  // read), signs it, checks it like any event and applies it. `group` is empty for a genesis
  // (charter) event, which founds a new group. Returns the applied event.
  // Errors: kNotFound (unknown group), kInvalidArgument (malformed body), kResourceExhausted
  // (kGroupCountMax), and the fold's codes (kPermissionDenied, kFailedPrecondition, ...).
  // On error nothing changes.
  absl::StatusOr<const VerifiedEvent*> AppendOwn(const std::optional<GroupId>& group,
                                                 const v1::Event& body, uint64_t now_ms);

  // Inserts a verified event from storage or a peer. A genesis event creates its group.
  // kNotFound when the event's group is unknown here. Other errors as Group::Insert.
  absl::StatusOr<InsertResult> Ingest(VerifiedEvent e);

  // The event this node wrote for `request_id`, or nullptr.
  const VerifiedEvent* FindByRequestId(const std::string& request_id) const;

  const Group* FindGroup(const GroupId& id) const;
  const std::map<GroupId, std::unique_ptr<Group>>& groups() const { return groups_; }
  uint64_t event_count() const { return event_count_; }

 private:
  void Index(const VerifiedEvent& e);

  SigningKey key_;
  HlcClock clock_;
  std::map<GroupId, std::unique_ptr<Group>> groups_;
  absl::flat_hash_map<std::string, std::pair<GroupId, EventId>> requests_;  // lookups only
  uint64_t event_count_ = 0;
};

}  // namespace constellation::core
