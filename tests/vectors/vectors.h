// tests/vectors/vectors.h
//
// Protocol test vectors (docs/PROTOCOL.md §4.2, tests/vectors/README.md): groups written as
// signed events from fixed keys and fixed hybrid logical clocks, and the document that states
// what every implementation must derive from them: event ids, the canonical order, fork freezes,
// the derived state that feeds the state hash (in the terms of the spec's layout), the fold hash,
// the state hash, totals and statuses, at several points of each group's history.
//
// The scenarios are built by the test helpers (tests/testing/event_factory.h); the document is
// derived from the events alone by the reference fold (server/core), so the checked-in files can
// be re-derived from their own events (vectors_test) and cannot drift from the code silently.
// Pure; thread-compatible (no shared state).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <absl/status/statusor.h>
#include <nlohmann/json.hpp>

#include "server/core/codec.h"

namespace constellation::vectors {

// A point of a scenario: the state after the first `after` events of its arrival order.
struct VectorPoint {
  std::string label;
  size_t after = 0;
};

struct VectorScenario {
  std::string name;  // the file name without ".json"
  std::string description;
  std::vector<core::VerifiedEvent> events;  // in the order one node receives them
  std::vector<VectorPoint> points;
};

// The scenarios of tests/vectors/*.json, built deterministically (the same bytes on every run).
std::vector<VectorScenario> BuildScenarios();

// The vector document of `scenario`: everything in it except its name, description, events and
// point labels is derived from the events by the reference fold. kInvalidArgument when an event
// is neither inserted nor a fork where it arrives, or a point lies beyond the events.
absl::StatusOr<nlohmann::json> DeriveDocument(const VectorScenario& scenario);

// The scenario a vector document states (name, description, events verified as signed events,
// points): what DeriveDocument needs to re-derive the document. kInvalidArgument naming what is
// malformed.
absl::StatusOr<VectorScenario> ParseScenario(const nlohmann::json& document);

}  // namespace constellation::vectors
