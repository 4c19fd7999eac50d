// server/rpc/strategy/strategy_views.h
//
// Shared strategy's views (client.proto StrategyVersionView, StrategyAdoptionView) from the
// core's StrategyLedger (docs/PROTOCOL.md §5.15). Texts, goals and indicators are read from the
// events the ledger names (core::Group::Find). Pure functions of their arguments.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <absl/status/statusor.h>

#include "constellation/v1/client.pb.h"
#include "server/core/group.h"
#include "server/core/strategy/strategy_ledger.h"

namespace constellation::rpc {

v1::StrategyVersionView ToStrategyVersionView(const core::Group& g,
                                              const core::StrategyVersionState& v);
v1::StrategyAdoptionView ToStrategyAdoptionView(const core::Group& g, const core::AdoptionState& a);

// The group's versions of `document` (every document when unspecified), in canonical order.
std::vector<const core::StrategyVersionState*> StrategyVersionsInOrder(
    const core::Group& g, v1::StrategyDocument document);
// The adoptions in effect of `document` (every document when unspecified), in their proposals'
// canonical order.
std::vector<const core::AdoptionState*> AdoptionsInOrder(const core::Group& g,
                                                         v1::StrategyDocument document);

// write.h RecordView: the strategy version `version_id`. kInvalidArgument for a malformed id,
// kNotFound when the group has no such version.
absl::StatusOr<v1::StrategyVersionView> StrategyVersionViewOf(const core::Group& group,
                                                              const std::string& version_id,
                                                              uint64_t as_of_ms);

}  // namespace constellation::rpc
