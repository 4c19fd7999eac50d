// server/core/fold/registry.h
//
// The registry of record kinds: for each body case of v1::Event the fold handles, the domain
// whose ledger checks and applies it, and whether decisions and membership read it (such
// records are never voided by a removal cut, docs/PROTOCOL.md §5.7). Adding a record type means
// one line here; adding a domain means one line in the domain table (registry.cc) and a value
// of `Domain` (ledger.h). Record names come from the proto descriptor (the oneof field name).
// Pure; thread-safe (the tables are immutable).
#pragma once

#include <memory>
#include <optional>
#include <string_view>

#include <absl/status/status.h>

#include "constellation/v1/event.pb.h"
#include "server/core/fold/ledger.h"
#include "server/core/roster/roster.h"

namespace constellation::core {

struct RecordKind {
  v1::Event::BodyCase body;
  // The domain that folds it; nullopt for record types this version keeps as history only.
  std::optional<Domain> domain;
  // Read by decisions and membership: a removal cut never voids it.
  bool governance = false;
  // Stateless validation of the body (the domain's Ledger::Validate; records.h), or nullptr
  // for a record type this version does not validate further.
  absl::Status (*validate)(const v1::Event& e) = nullptr;
};

// The kind of `body`, or nullptr for a body case this version does not know at all.
const RecordKind* FindRecordKind(v1::Event::BodyCase body);

// The record's name as in event.proto ("pledge_amendment"); "unknown" for BODY_NOT_SET.
std::string_view RecordName(v1::Event::BodyCase body);

// kUnimplemented: "record type N is not folded by this node version".
absl::Status RecordNotFolded(v1::Event::BodyCase body);

// A new, empty ledger of `domain` (the roster is made by GroupState: it takes the cuts).
std::unique_ptr<Ledger> NewLedger(Domain domain);

}  // namespace constellation::core
