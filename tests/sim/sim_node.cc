#include "tests/sim/sim_node.h"

#include <utility>

#include <absl/strings/str_format.h>

#include "server/base/check.h"
#include "server/base/status_macros.h"
#include "server/core/group.h"
#include "server/storage/event_store.h"

namespace constellation::sim {

SimNode::SimNode(int index, core::SigningKey key)
    : index_(index), key_(std::move(key)), store_(std::make_unique<storage::MemoryStore>()) {
  CONSTELLATION_CHECK(storage::InitSchema(*store_).ok());
  state_ = std::make_unique<core::NodeState>(key_);
}

absl::StatusOr<const core::VerifiedEvent*> SimNode::AppendOwn(
    const std::optional<core::GroupId>& group, const v1::Event& body, uint64_t now_ms) {
  CONSTELLATION_CHECK(up());
  CONSTELLATION_ASSIGN_OR_RETURN(const core::VerifiedEvent* e,
                                 state_->AppendOwn(group, body, now_ms));
  core::GroupChanges changes;
  changes.group = e->group;
  changes.inserted.push_back(e->id);
  // DESIGN §2: persisted with sync = true before it is acknowledged or sent to a peer.
  CONSTELLATION_RETURN_IF_ERROR(Persist(changes, /*sync=*/true));
  return e;
}

absl::StatusOr<core::ReceiveResult> SimNode::Receive(const std::string& signed_event,
                                                     uint64_t now_ms, bool sync) {
  CONSTELLATION_CHECK(up());
  CONSTELLATION_ASSIGN_OR_RETURN(core::VerifiedEvent e, core::DecodeSignedEvent(signed_event));
  CONSTELLATION_ASSIGN_OR_RETURN(core::ReceiveResult r, state_->Receive(std::move(e), now_ms));
  CONSTELLATION_RETURN_IF_ERROR(Persist(r.changes, sync));
  return r;
}

absl::StatusOr<std::vector<core::GroupChanges>> SimNode::ReleaseHeld(uint64_t now_ms, bool sync) {
  CONSTELLATION_CHECK(up());
  std::vector<core::GroupChanges> all = state_->ReleaseHeld(now_ms);
  for (const core::GroupChanges& changes : all) {
    CONSTELLATION_RETURN_IF_ERROR(Persist(changes, sync));
  }
  return all;
}

absl::StatusOr<core::GroupChanges> SimNode::ReceiveForkProof(const v1::ForkProof& proof,
                                                             bool sync) {
  CONSTELLATION_CHECK(up());
  CONSTELLATION_ASSIGN_OR_RETURN(core::GroupChanges changes, state_->ReceiveForkProof(proof));
  CONSTELLATION_RETURN_IF_ERROR(Persist(changes, sync));
  return changes;
}

absl::Status SimNode::Persist(const core::GroupChanges& changes, bool sync) {
  if (changes.inserted.empty() && changes.new_fork_proofs.empty()) return absl::OkStatus();
  const core::Group* group = state_->FindGroup(changes.group);
  CONSTELLATION_CHECK(group != nullptr);
  storage::WriteBatch batch;
  for (const core::EventId& id : changes.inserted) {
    const core::VerifiedEvent* e = group->Find(id);
    CONSTELLATION_CHECK(e != nullptr);
    storage::StageEvent(&batch, *e, core::OrderKey{group->dag().Find(id)->depth, id});
  }
  for (const v1::ForkProof& proof : changes.new_fork_proofs) {
    CONSTELLATION_ASSIGN_OR_RETURN(core::VerifiedForkProof verified, core::VerifyForkProof(proof));
    storage::StageForkProof(&batch, verified);
  }
  return store_->Write(batch, storage::WriteOptions{.sync = sync});
}

void SimNode::Crash() {
  store_->CrashAndLoseUnsyncedWrites();
  state_.reset();
}

absl::Status SimNode::Restart() {
  // As server/app/node.cc Node::Load: stored events in canonical order per group, then the
  // stored fork proofs (DESIGN §2: freezes survive a restart).
  auto state = std::make_unique<core::NodeState>(key_);
  CONSTELLATION_RETURN_IF_ERROR(
      storage::LoadEvents(*store_, storage::StoredSignatures::kTrust, [&](core::VerifiedEvent e) -> absl::Status {
        const std::string id = e.id.Hex();
        absl::StatusOr<core::InsertResult> r = state->Ingest(std::move(e));
        if (!r.ok()) {
          return absl::DataLossError(absl::StrFormat("stored event %s does not fit its group: %s",
                                                     id, std::string(r.status().message())));
        }
        if (r->admission != core::Admission::kReady) {
          return absl::DataLossError(
              absl::StrFormat("stored event %s does not fit its group's chain", id));
        }
        return absl::OkStatus();
      }));
  CONSTELLATION_RETURN_IF_ERROR(
      storage::LoadForkProofs(*store_, [&](v1::ForkProof proof) -> absl::Status {
        return state->ReceiveForkProof(proof).status();
      }));
  state_ = std::move(state);
  return absl::OkStatus();
}

std::vector<std::string> SimNode::Backup() const {
  std::vector<std::string> backup;
  absl::Status s = storage::LoadEvents(*store_, storage::StoredSignatures::kTrust, [&](core::VerifiedEvent e) -> absl::Status {
    backup.push_back(e.SerializeSigned());
    return absl::OkStatus();
  });
  CONSTELLATION_CHECK(s.ok());
  return backup;
}

absl::Status SimNode::RestoreFromBackup(const std::vector<std::string>& backup) {
  state_.reset();
  store_ = std::make_unique<storage::MemoryStore>();
  CONSTELLATION_RETURN_IF_ERROR(storage::InitSchema(*store_));
  // Ingest into a scratch core only to learn each event's canonical order key.
  core::NodeState scratch(key_);
  storage::WriteBatch batch;
  for (const std::string& bytes : backup) {
    CONSTELLATION_ASSIGN_OR_RETURN(core::VerifiedEvent e, core::DecodeSignedEvent(bytes));
    const core::GroupId group = e.group;
    const core::EventId id = e.id;
    CONSTELLATION_ASSIGN_OR_RETURN(core::InsertResult r, scratch.Ingest(std::move(e)));
    CONSTELLATION_CHECK(r.admission == core::Admission::kReady);
    const core::Group* g = scratch.FindGroup(group);
    storage::StageEvent(&batch, *g->Find(id), r.key);
  }
  CONSTELLATION_RETURN_IF_ERROR(store_->Write(batch, storage::WriteOptions{.sync = true}));
  return Restart();
}

}  // namespace constellation::sim
